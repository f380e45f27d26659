import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { useStore } from '../lib/store.js';
import { theme } from './theme.js';

export interface ChartSeries {
  label: string;
  /** Index of the colour in the palette (`--chart-0` … `--chart-6` of the stylesheet). */
  color: number;
  /** Values shown in the legend and tooltip when the drawn ones differ (a stack draws sums). */
  raw?: number[];
}

export interface TimeChartProps {
  /** `[xs (unix seconds), ...ys]`, one array per series. */
  data: [number[], ...number[][]];
  series: ChartSeries[];
  /** What the chart shows, for assistive technology. */
  label: string;
  height?: number;
  /** Fill each series down to the one below (a stacked chart: pass each series' top edge). */
  stacked?: boolean;
  /** Draw bars instead of lines. */
  bars?: boolean;
  /** Show the legend (default: with more than one series). */
  legend?: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Tick labels in local time: `HH:MM:SS` on a span under ten minutes, else `HH:MM`. */
function timeLabels(_u: uPlot, splits: number[]): string[] {
  const span = (splits[splits.length - 1] ?? 0) - (splits[0] ?? 0);
  return splits.map((seconds) => {
    const at = new Date(seconds * 1000);
    const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
    return span < 600 ? `${clock}:${pad(at.getSeconds())}` : clock;
  });
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** A time-series chart (uPlot), sized to its container and drawn in the theme's colours. */
export function TimeChart({
  data,
  series,
  label,
  height = 180,
  stacked = false,
  bars = false,
  legend,
}: TimeChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const current = useStore(theme);
  const shape = `${series.map((entry) => entry.label).join('|')}|${stacked}|${bars}|${height}|${legend}`;

  // Dependencies: rebuilt on a new shape or theme; data goes through setData
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const axis = {
      stroke: css('--text-muted'),
      grid: { stroke: css('--border'), width: 1 },
      ticks: { stroke: css('--border') },
    };
    const paths = bars ? uPlot.paths.bars?.({ size: [0.8, 40] }) : undefined;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: legend ?? series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { ...axis, values: timeLabels },
        { ...axis, size: 48 },
      ],
      series: [
        {},
        ...series.map((entry) => {
          const color = css(`--chart-${entry.color % 7}`);
          return {
            label: entry.label,
            stroke: color,
            width: bars ? 0 : 2,
            fill: stacked || bars ? color : `${color}22`,
            ...(paths ? { paths } : {}),
            ...(entry.raw
              ? {
                  value: (_u: uPlot, _v: number | null, _s: number, index: number | null) =>
                    index === null ? '–' : String(entry.raw?.[index] ?? '–'),
                }
              : {}),
          };
        }),
      ],
    };
    plot.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(200, element.clientWidth), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, current]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div class="chart" ref={container} role="img" aria-label={label} />;
}
