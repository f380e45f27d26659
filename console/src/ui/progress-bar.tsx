/** A progress bar with its value for assistive technology (`aria-valuenow`), or indeterminate. */
export function ProgressBar({ percent, label, tone }: { percent: number | null; label: string; tone?: string }) {
  const value = percent === null ? null : Math.round(percent * 10) / 10;
  return (
    <div
      class={`progress ${tone ? `progress--${tone}` : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(value === null ? {} : { 'aria-valuenow': value, 'aria-valuetext': `${value} %` })}
    >
      <div
        class={`progress__bar ${value === null ? 'progress__bar--unknown' : ''}`}
        style={{ width: `${value ?? 100}%` }}
      />
    </div>
  );
}
