import { useState } from 'preact/hooks';
import { eventTypes } from '../api/catalog.js';
import { failureMessage } from '../api/client.js';
import { href } from '../lib/router.js';
import { useLoad } from '../ui/async.js';
import { TypeBadge } from '../ui/event-summary.js';
import { TextField } from '../ui/field.js';
import { JsonView } from '../ui/json.js';
import { DataTable } from '../ui/table.js';

/** Every event type with its fields, their types and an example, from the schemas. */
export function CatalogPage() {
  const [types] = useLoad(() => eventTypes(), []);
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = (types.value ?? []).filter(
    (entry) =>
      !needle ||
      entry.type.includes(needle) ||
      entry.description.toLowerCase().includes(needle) ||
      entry.fields.some((field) => field.name.toLowerCase().includes(needle)),
  );
  const categories = [...new Set(shown.map((entry) => entry.category))];

  return (
    <section>
      <h1>Event catalog</h1>
      <div class="filters">
        <TextField
          label="Find a type or field"
          name="find"
          type="search"
          value={filter}
          onInput={setFilter}
          placeholder="e.g. session, tokens_used"
        />
      </div>
      {types.state === 'failed' ? <p class="notice notice--error">{failureMessage(types.error)}</p> : null}
      {!types.value ? <p class="muted">Loading…</p> : null}
      {categories.map((category) => (
        <section key={category} class="catalog-category">
          <h2>{category}</h2>
          {shown
            .filter((entry) => entry.category === category)
            .map((entry) => (
              <article class="panel catalog-type" key={entry.type} data-event-type={entry.type}>
                <h3>
                  <TypeBadge type={entry.type} />
                </h3>
                <p>
                  {entry.description}{' '}
                  <span class="muted">
                    Keyed by <code>{entry.resource_key}</code>.{' '}
                    <a href={href('/explorer', { types: entry.type, range: 'all' })}>Find these events</a>
                  </span>
                </p>
                <div class="grid-2">
                  <DataTable columns={['Field of data', 'Type', 'Description']} class="fields">
                    {entry.fields.map((field) => (
                      <tr key={field.name}>
                        <td>
                          <code>{field.name}</code>
                          {field.required ? '' : <span class="muted small"> optional</span>}
                        </td>
                        <td>
                          {field.type}
                          {field.nullable ? ' or null' : ''}
                          {field.values ? <div class="muted small">{field.values.join(' | ')}</div> : null}
                        </td>
                        <td>{field.description}</td>
                      </tr>
                    ))}
                  </DataTable>
                  <div>
                    <h4>Example data</h4>
                    {entry.example ? (
                      <JsonView value={entry.example} label={`Example of ${entry.type}`} />
                    ) : (
                      <p class="muted">No example.</p>
                    )}
                  </div>
                </div>
              </article>
            ))}
        </section>
      ))}
    </section>
  );
}
