import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/config/schema.ts';
import { snapshot } from '../../src/data/snapshot.ts';
import { buildSite } from '../../src/site/build.ts';
import { HAS_SAMPLES, SAMPLES } from '../adapters/helpers.ts';

// An OpenTelemetry-only export carries no handoff, resolved or feedback events: the pages must say
// "not measured by your sources" instead of showing 0% escalation or an empty satisfaction.
let dir: string;
let site: string;

function monthPage(): { html: string; json: { coverage?: Record<string, string> } } {
  const month = fs.readdirSync(path.join(site, 'month')).find((d) => /^\d{4}-\d{2}$/.test(d))!;
  return {
    html: fs.readFileSync(path.join(site, 'month', month, 'index.html'), 'utf8'),
    json: JSON.parse(fs.readFileSync(path.join(site, 'month', month, 'kpis.json'), 'utf8')),
  };
}

describe.skipIf(!HAS_SAMPLES)('KPIs the sources cannot measure', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-coverage-'));
    const snapshots = path.join(dir, 'snapshots');
    await snapshot([path.join(SAMPLES, 'otel_genai', 'any-agent_OPENAI_trace.sdk-json.json')], { out: snapshots, timezone: 'UTC', from: 'auto' });
    site = path.join(dir, 'site');
    await buildSite({ snapshots, content: path.join(dir, 'content'), out: site, config: withDefaults({ goals: { ticket_deflected: { label: 'Tickets deflected' } }, headline_goal: 'ticket_deflected' }, dir), builtAt: new Date('2026-01-01T00:00:00Z') });
  }, 120_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are named with a reason in kpis.json', () => {
    const { json } = monthPage();
    for (const kpi of ['escalation_rate', 'resolution_rate', 'satisfaction_rate']) expect(json.coverage?.[kpi]).toMatch(/no \w+ events in any input/);
  });

  it('show "not measured by your sources" on the page instead of a figure', () => {
    const { html, json } = monthPage();
    for (const kpi of ['escalation_rate', 'resolution_rate', 'satisfaction_rate']) {
      const row = new RegExp(`<tr id="${kpi}">[\\s\\S]*?</tr>`).exec(html)![0];
      expect(row).toContain('Not measured by your sources:');
      expect(row).toContain(json.coverage![kpi].replaceAll('"', '&quot;').split(' ')[0]);
      expect(row).not.toContain('0.0%');
    }
    expect(new RegExp('<tr id="conversations">[\\s\\S]*?</tr>').exec(html)![0]).not.toContain('Not measured');
  });

  it('shows the headline goal as not measured when no input has goal events, not as 0%', () => {
    const { html } = monthPage();
    const card = /Tickets deflected[\s\S]*?<\/div>\s*<\/div>/.exec(html)?.[0] ?? '';
    expect(card).toContain('Not measured by your sources: no goal events in any input');
    expect(card).not.toContain('0.0%');
  });

  it('draws no chart of a KPI the sources cannot measure, and says why instead', () => {
    const { html } = monthPage();
    const figure = (id: string) => new RegExp(`<figure class="chart" id="${id}">[\\s\\S]*?</figure>`).exec(html)![0];
    for (const id of ['chart-fallback-by-intent', 'chart-trend-resolution_rate', 'chart-trend-satisfaction_rate', 'chart-abandonment']) {
      expect(figure(id), id).toContain('Not measured by your sources:');
      expect(figure(id), id).not.toContain('<svg');
    }
    expect(figure('chart-latency-percentiles')).toContain('<svg');
    expect(figure('chart-trend-conversations')).toContain('<svg');
  });
});
