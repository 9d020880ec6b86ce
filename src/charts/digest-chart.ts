import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { DigestChartData } from './digest-chart-data.js';

// The digest chart rendered on the server: echarts draws SVG without a DOM (SSR), resvg rasterises
// it to PNG. Two panels: monthly spend against budget and the open month's projection, and the
// largest mover's variance as a waterfall (invisible base bars carry each component from the
// running sum).

/** A rendered chart. */
export interface ChartPng {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Rendering size (CSS pixels of the SVG) and the PNG's scale. */
export interface ChartSize {
  readonly width?: number;
  readonly height?: number;
}

const palette = { actual: '#3366cc', budget: '#7f7f7f', projected: '#f28e2b', up: '#d62728', down: '#2ca02c', total: '#4e79a7' };

function shortAmount(v: number): string {
  const a = Math.abs(v);
  const s = a >= 1e6 ? `${(a / 1e6).toFixed(1)}M` : a >= 1e3 ? `${(a / 1e3).toFixed(1)}k` : a.toFixed(0);
  return `${v < 0 ? '-' : ''}${s}`;
}

/** The echarts option of the digest chart (exported for tests that inspect what is drawn). */
export function digestChartOption(data: DigestChartData): echarts.EChartsOption {
  const steps = data.waterfall?.steps ?? [];
  // Waterfall: the base is where each floating bar starts; a negative step hangs below the running sum.
  const base: number[] = [];
  const rise: (number | { value: number; itemStyle: { color: string } })[] = [];
  let running = 0;
  for (const s of steps) {
    if (s.total) {
      base.push(Math.min(0, s.value));
      rise.push({ value: Math.abs(s.value), itemStyle: { color: palette.total } });
      continue;
    }
    const from = running;
    running += s.value;
    base.push(Math.min(from, running));
    rise.push({ value: Math.abs(s.value), itemStyle: { color: s.value >= 0 ? palette.up : palette.down } });
  }
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'DejaVu Sans, Arial, sans-serif' },
    title: [
      { text: `Effective cost vs budget (${data.currency})`, left: '2%', top: 4, textStyle: { fontSize: 13 } },
      { text: data.waterfall ? `What moved: ${data.waterfall.costCenter}` : 'What moved: nothing', left: '56%', top: 4, textStyle: { fontSize: 13 } },
    ],
    legend: { data: ['Actual', 'Budget', 'Projected'], left: '2%', bottom: 2, textStyle: { fontSize: 10 } },
    grid: [
      { left: '7%', right: '47%', top: 40, bottom: 50 },
      { left: '60%', right: '3%', top: 40, bottom: 50 },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: [...data.months] },
      { type: 'category', gridIndex: 1, data: steps.map((s) => s.label), axisLabel: { interval: 0, rotate: steps.length > 4 ? 30 : 0, fontSize: 10 } },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, axisLabel: { formatter: (v: number) => shortAmount(v), fontSize: 10 } },
      { type: 'value', gridIndex: 1, axisLabel: { formatter: (v: number) => shortAmount(v), fontSize: 10 } },
    ],
    series: [
      { name: 'Actual', type: 'bar', xAxisIndex: 0, yAxisIndex: 0, data: [...data.actual], itemStyle: { color: palette.actual } },
      { name: 'Budget', type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: [...data.budget], itemStyle: { color: palette.budget }, lineStyle: { type: 'dashed' } },
      { name: 'Projected', type: 'scatter', xAxisIndex: 0, yAxisIndex: 0, data: data.projected.map((p) => (p === null ? '-' : p)), symbolSize: 12, itemStyle: { color: palette.projected } },
      { name: 'base', type: 'bar', stack: 'waterfall', stackStrategy: 'all', xAxisIndex: 1, yAxisIndex: 1, data: base, itemStyle: { color: 'transparent' }, silent: true },
      { name: 'change', type: 'bar', stack: 'waterfall', stackStrategy: 'all', xAxisIndex: 1, yAxisIndex: 1, data: rise, label: { show: true, position: 'top', fontSize: 10, formatter: (p: { dataIndex: number }) => shortAmount(steps[p.dataIndex]?.value ?? 0) } },
    ],
  };
}

/**
 * Renders the digest chart to PNG: echarts SSR to an SVG string (the chart instance is always
 * disposed, even when rendering throws), then resvg to PNG at the same size.
 */
export function renderDigestChartPng(data: DigestChartData, size: ChartSize = {}): ChartPng {
  const width = size.width ?? 720;
  const height = size.height ?? 300;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption(digestChartOption(data));
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' }).render().asPng();
  return { png, width, height };
}
