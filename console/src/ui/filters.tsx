import { useEffect, useState } from 'preact/hooks';
import { eventTypes, patternsOf } from '../api/catalog.js';
import { RESOURCE_FILTERS, type ResourceFilter } from '../api/types.js';
import { Field, TextField } from './field.js';

const LABELS: Record<ResourceFilter, string> = {
  session_id: 'Session',
  agent_id: 'Agent',
  team_id: 'Team',
  user_id: 'User',
};

/** The catalogue's patterns, for a type field's suggestions. */
export function usePatterns(): string[] {
  const [patterns, setPatterns] = useState<string[]>([]);
  useEffect(() => {
    eventTypes().then(
      (types) => setPatterns(patternsOf(types)),
      () => undefined,
    );
  }, []);
  return patterns;
}

/** A type patterns field (`session.*, agent.created`), suggesting the catalogue's patterns. */
export function TypesField({
  value,
  onInput,
  errors,
  name = 'types',
  label = 'Event types',
}: {
  value: string;
  onInput: (value: string) => void;
  errors?: string[] | undefined;
  name?: string;
  label?: string;
}) {
  const patterns = usePatterns();
  const listId = `${name}-patterns`;
  return (
    <Field label={label} errors={errors} hint="Comma-separated: session.completed, session.*, or * for all">
      {(control) => (
        <>
          <input
            {...control}
            name={name}
            list={listId}
            value={value}
            placeholder="* (every type)"
            autoComplete="off"
            spellcheck={false}
            onInput={(e) => onInput(e.currentTarget.value)}
          />
          <datalist id={listId}>
            {patterns.map((pattern) => (
              <option key={pattern} value={pattern} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

export interface ResourceValue {
  kind: ResourceFilter;
  value: string;
}

/** The resource a filter names, from a query (`session_id=…`): the first one given. */
export function resourceOf(query: Record<string, string | undefined>): ResourceValue {
  const kind = RESOURCE_FILTERS.find((name) => query[name]) ?? 'session_id';
  return { kind, value: query[kind] ?? '' };
}

/** A resource filter: which resource (session, agent, team, user) and its id. */
export function ResourceField({
  resource,
  onChange,
  errors,
}: {
  resource: ResourceValue;
  onChange: (resource: ResourceValue) => void;
  errors: Record<string, string[]>;
}) {
  return (
    <div class="field-pair">
      <Field label="Resource">
        {(control) => (
          <select
            {...control}
            name="resource_kind"
            value={resource.kind}
            onChange={(e) => onChange({ ...resource, kind: e.currentTarget.value as ResourceFilter })}
          >
            {RESOURCE_FILTERS.map((name) => (
              <option key={name} value={name}>
                {LABELS[name]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField
        label={`${LABELS[resource.kind]} id`}
        name={resource.kind}
        value={resource.value}
        onInput={(value) => onChange({ ...resource, value })}
        errors={errors[resource.kind]}
        placeholder="any"
      />
    </div>
  );
}
