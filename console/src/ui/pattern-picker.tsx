import { useEffect, useState } from 'preact/hooks';
import { eventTypes } from '../api/catalog.js';
import type { EventType } from '../api/types.js';

export interface PatternPickerProps {
  /** The chosen patterns: `*`, `category.*` and exact types, plus any other pattern typed in. */
  value: string[];
  onChange: (patterns: string[]) => void;
  errors?: string[] | undefined;
}

/**
 * Picks a webhook's event patterns from the catalogue: every type (`*`), a whole category
 * (`session.*`, which also takes types added later), single types, or other patterns typed in.
 */
export function PatternPicker({ value, onChange, errors }: PatternPickerProps) {
  const [types, setTypes] = useState<EventType[]>([]);
  useEffect(() => {
    eventTypes().then(setTypes, () => undefined);
  }, []);
  const chosen = new Set(value);
  const categories = [...new Set(types.map((entry) => entry.category))];
  const known = new Set(['*', ...categories.map((category) => `${category}.*`), ...types.map((entry) => entry.type)]);
  const others = value.filter((pattern) => !known.has(pattern));
  const [otherText, setOtherText] = useState(others.join(', '));
  const all = chosen.has('*');

  const toggle = (pattern: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(pattern);
    else next.delete(pattern);
    onChange([...next]);
  };
  const setOthers = (text: string) => {
    setOtherText(text);
    const typed = text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    onChange([...value.filter((pattern) => known.has(pattern)), ...typed]);
  };

  return (
    <fieldset
      class={`patterns ${errors?.length ? 'field--invalid' : ''}`}
      aria-describedby={errors?.length ? 'patterns-error' : undefined}
    >
      <legend>Event types</legend>
      <label class="check check--strong">
        <input
          type="checkbox"
          name="pattern"
          value="*"
          checked={all}
          onChange={(e) => toggle('*', e.currentTarget.checked)}
        />
        Every event type <code>*</code>
      </label>
      <div class="patterns__categories">
        {categories.map((category) => {
          const whole = `${category}.*`;
          const wholeChosen = chosen.has(whole);
          return (
            <fieldset key={category} class="patterns__category" disabled={all}>
              <legend>
                <label class="check check--strong">
                  <input
                    type="checkbox"
                    name="pattern"
                    value={whole}
                    checked={wholeChosen || all}
                    onChange={(e) => toggle(whole, e.currentTarget.checked)}
                  />
                  {category} <code>{whole}</code>
                </label>
              </legend>
              {types
                .filter((entry) => entry.category === category)
                .map((entry) => (
                  <label class="check" key={entry.type} title={entry.description}>
                    <input
                      type="checkbox"
                      name="pattern"
                      value={entry.type}
                      disabled={wholeChosen}
                      checked={chosen.has(entry.type) || wholeChosen || all}
                      onChange={(e) => toggle(entry.type, e.currentTarget.checked)}
                    />
                    {entry.type}
                  </label>
                ))}
            </fieldset>
          );
        })}
      </div>
      <label class="field">
        <span>Other patterns</span>
        <input
          name="other_patterns"
          value={otherText}
          placeholder="e.g. session.step.*"
          autoComplete="off"
          spellcheck={false}
          onInput={(e) => setOthers(e.currentTarget.value)}
        />
      </label>
      {errors?.length ? (
        <p id="patterns-error" class="field__error" data-field-error>
          {errors.join('; ')}
        </p>
      ) : null}
    </fieldset>
  );
}
