import type { ComponentChildren } from 'preact';
import { ApiError, failureMessage } from '../api/client.js';
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

export interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
  errors?: string[] | undefined;
  hint?: ComponentChildren;
  type?: 'text' | 'password' | 'url' | 'search' | 'datetime-local';
  placeholder?: string;
  maxLength?: number;
  /** The id of a `<datalist>` of suggestions. */
  list?: string;
}

/** A labelled text input (any of its kinds) with its hint and errors. */
export function TextField({
  label,
  name,
  value,
  onInput,
  errors,
  hint,
  type = 'text',
  placeholder,
  maxLength,
  list,
}: TextFieldProps) {
  return (
    <Field label={label} errors={errors} hint={hint}>
      {(control) => (
        <input
          {...control}
          name={name}
          // Preact's types tie some attributes to some kinds; the kinds used here take them all.
          type={type as 'text'}
          value={value}
          autoComplete="off"
          spellcheck={false}
          {...(placeholder ? { placeholder } : {})}
          {...(maxLength ? { maxLength } : {})}
          {...(list ? { list } : {})}
          {...(type === 'datetime-local' ? { step: 1 } : {})}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/** A time range's bounds as local times (`datetime-local`): `since` inclusive, `until` exclusive. */
export function TimeBoundsFields(props: {
  since: string;
  until: string;
  onSince: (value: string) => void;
  onUntil: (value: string) => void;
  errors: Record<string, string[]>;
  untilHint?: string;
}) {
  return (
    <>
      <TextField
        label="Since (local time, inclusive)"
        name="since"
        type="datetime-local"
        value={props.since}
        onInput={props.onSince}
        errors={props.errors.since}
      />
      <TextField
        label="Until (local time, exclusive)"
        name="until"
        type="datetime-local"
        value={props.until}
        onInput={props.onUntil}
        errors={props.errors.until}
        hint={props.untilHint}
      />
    </>
  );
}

/** What to show above a form after a failure: the API's message and the details naming no field of it. */
export function formMessages(failure: unknown, errors: Record<string, string[]>): string[] | undefined {
  if (!failure) return undefined;
  return failure instanceof ApiError ? [failure.message, ...(errors[''] ?? [])] : [failureMessage(failure)];
}
