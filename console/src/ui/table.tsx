import type { ComponentChildren } from 'preact';

/** A column heading: its label, right-aligned for numbers, or read to assistive technology only. */
export type Column = string | { label: string; numeric?: boolean; hidden?: boolean };

/** A table with column headings, scrolling sideways on a narrow screen; `children` are its rows. */
export function DataTable({
  columns,
  children,
  class: className,
  ...data
}: {
  columns: Column[];
  children: ComponentChildren;
  class?: string;
  [attribute: `data-${string}`]: boolean | string | undefined;
}) {
  return (
    <div class="table-wrap">
      <table class={className} {...data}>
        <thead>
          <tr>
            {columns.map((column) => {
              const { label, numeric, hidden } = typeof column === 'string' ? { label: column } : column;
              return (
                <th key={label} scope="col" class={numeric ? 'num' : undefined}>
                  {hidden ? <span class="visually-hidden">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
