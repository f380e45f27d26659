import { useState } from 'preact/hooks';

/** A button that asks again in place (question, confirm, cancel) before doing what it says. */
export function Confirm({
  label,
  question,
  onConfirm,
  danger,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class={`button ${danger ? 'button--danger' : ''}`} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <fieldset class="confirm">
      <legend>{question}</legend>
      <button
        type="button"
        class={`button ${danger ? 'button--danger' : 'button--primary'}`}
        ref={(element) => element?.focus()}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" class="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </fieldset>
  );
}
