/**
 * Renders each chart kind once into /tmp/charts-preview.html, in a light and a dark panel, for a look in a
 * browser: `node test/charts/preview.ts [out.html]`. Not a test.
 */
import { writeFileSync } from 'node:fs';
import { NEUTRAL_COLOR, renderBars, renderMultiLine, renderSparkline, renderTrend, segmentColor } from '../../src/charts/index.ts';
import { ANNOTATIONS, FALLBACK_BY_INTENT, HOSTILE, LATENCY, monthly, RESOLUTION } from './fixtures.ts';

const out = process.argv[2] ?? '/tmp/charts-preview.html';
const charts = [
  renderTrend(RESOLUTION, { title: 'Resolution rate, last 12 months', unit: 'rate', annotations: ANNOTATIONS, goodDirection: 'up', id: 'c1' }),
  renderTrend(monthly([1.2e6, 1.35e6, 1.3e6, 1.41e6, 1.52e6, 1.6e6, 1.58e6, 1.7e6, 1.75e6, 1.8e6, 1.9e6, 0.6e6]), { title: 'Conversations', unit: 'count', yLabel: 'Conversations', id: 'c2' }),
  renderTrend(monthly([0.0123, 0.0131, 0.0128, null, null, 0.0142, 0.015, 0.0149, 0.0161, 0.0158, 0.0166, 0.017], { partialLast: false }), { title: 'Cost per resolved conversation', unit: 'usd', id: 'c3' }),
  renderTrend([], { title: 'Satisfaction', unit: 'rate', id: 'c4' }),
  renderMultiLine(LATENCY, { title: 'Latency percentiles', unit: 'ms', annotations: ANNOTATIONS.slice(0, 1), id: 'c5' }),
  renderMultiLine(
    ['web', 'app', 'whatsapp', 'helpdesk', HOSTILE].map((key, k) => ({ key, points: monthly(Array.from({ length: 12 }, (_, i) => 0.5 + 0.03 * k + 0.005 * i * (k % 2 ? 1 : -1))) })),
    { title: 'Resolution rate by channel', unit: 'rate', id: 'c6' },
  ),
  renderBars(FALLBACK_BY_INTENT.map((r) => ({ ...r, color: r.label.startsWith('Other') ? NEUTRAL_COLOR : segmentColor(r.label) })), { title: 'Fallback rate by intent', unit: 'rate', id: 'c7' }),
  renderBars(
    [
      { label: 'billing', value: 0.0312 },
      { label: 'a very long intent name that goes on and on and on', value: 0.0123 },
      { label: HOSTILE, value: 0.0201 },
    ],
    { title: 'Cost per conversation by intent', unit: 'usd', id: 'c8' },
  ),
  renderTrend(
    Array.from({ length: 26 }, (_, i) => {
      const day = new Date(Date.UTC(2025, 11, 1 + 7 * i));
      const week = 49 + i > 52 ? `2026-W${String(i - 3).padStart(2, '0')}` : `2025-W${49 + i}`;
      return { period: week, start: day.toISOString(), value: 0.08 + 0.02 * Math.sin(i / 3), partial: i === 25 };
    }),
    { title: 'Fallback rate, weekly', unit: 'rate', annotations: [{ date: '2026-02-10', label: 'A rather long annotation label that must be shortened', kind: 'release' }], id: 'c9' },
  ),
  renderTrend([{ period: '2026-Q2', start: '2026-04-01', value: 12.5, partial: true }], { title: 'Total cost, one quarter', unit: 'usd', id: 'c10', width: 360, height: 200 }),
];
const sparks = [
  renderSparkline(RESOLUTION, { unit: 'rate', label: 'Resolution rate', id: 's1' }),
  renderSparkline(LATENCY[2].points, { unit: 'ms', label: 'Latency p95', id: 's2' }),
  renderSparkline(monthly([null, null]), { unit: 'rate', label: 'Satisfaction', id: 's3' }),
];
const panel = (scheme: string) => `<section class="${scheme}"><h2>${scheme}</h2>
<p>Sparklines: ${sparks.map((s) => `<span class="spark">${s}</span>`).join(' ')}</p>
${charts.map((c) => `<figure>${c}</figure>`).join('\n')}</section>`;
writeFileSync(
  out,
  `<!doctype html><html><head><meta charset="utf-8"><title>charts preview</title><style>
body { margin: 0; font-family: system-ui, sans-serif; display: grid; grid-template-columns: 1fr 1fr; }
section { padding: 12px; }
.light { background: #fff; color: #1b1b1f; }
.dark { background: #16171d; color: #e6e6ea; --plot-background: #16171d; --kpi-chart-accent: #7ea1ff; }
.light .kpi-chart { --plot-background: #fff; }
.dark .kpi-chart { --plot-background: #16171d; }
figure { margin: 0 0 16px; border: 1px solid color-mix(in srgb, currentColor 15%, transparent); }
.spark svg { display: inline-block !important; vertical-align: middle; }
</style></head><body>${panel('light')}${panel('dark')}</body></html>`,
);
console.log(out);
