/** One entry of an API error's `details`. */
export interface ErrorDetail {
  field?: string;
  message: string;
  index?: number;
}

/**
 * The API's error details by form field: `types[1]` and `types` both belong to the `types` field,
 * `data.steps` to `data`; a detail naming no field known to the form goes under `''` (shown above
 * the form). The message keeps the precise name (`types[1]: unknown event type "x"`).
 */
export function errorsByField(details: readonly ErrorDetail[], fields: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const detail of details) {
    const name = detail.field ?? '';
    const base = name.split(/[[.]/)[0] ?? '';
    const field = fields.includes(name) ? name : fields.includes(base) ? base : '';
    const text = name && name !== field ? `${name}: ${detail.message}` : detail.message;
    (out[field] ??= []).push(text);
  }
  return out;
}
