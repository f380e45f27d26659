/**
 * A JSON value, pretty-printed as text. Never markup: a payload holding `<script>` or
 * `<img onerror>` shows those characters and runs nothing.
 */
export function JsonView({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre class="json" title={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
