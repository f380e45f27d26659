import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export interface FieldProps {
  label: string;
  /** The API's messages about this field (shown under it, and announced). */
  errors?: string[] | undefined;
  hint?: ComponentChildren;
  /** Renders the control with the ids that tie it to its label, hint and errors. */
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ComponentChildren;
  class?: string;
}

/** A labelled form control with its hint and the API's errors about it next to it. */
export function Field({ label, errors, hint, children, class: className }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field ${errors?.length ? 'field--invalid' : ''} ${className ?? ''}`}>
      <label for={id}>{label}</label>
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(errors?.length ? { 'aria-invalid': true } : {}),
      })}
      {hint ? (
        <small id={`${id}-hint`} class="field__hint">
          {hint}
        </small>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} class="field__error" data-field-error>
          {errors.join('; ')}
        </p>
      ) : null}
    </div>
  );
}

/** Messages that belong to no field of the form (shown above it). */
export function FormErrors({ messages }: { messages?: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <div class="notice notice--error" role="alert">
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}
