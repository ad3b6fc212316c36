import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withDefaults, type Config } from '../../src/config/schema.ts';
import { snapshot } from '../../src/data/snapshot.ts';
import { writeSample } from '../../src/sample/generate.ts';
import { buildSite } from '../../src/site/build.ts';

/** Strings that must never appear in a page: message text and raw user ids, and hostile markup unescaped. */
export const SECRET_TEXT = 'SECRET-MESSAGE-TEXT-7f3a';
export const SECRET_USER = 'user-secret-91c2';
export const HOSTILE_CHANNEL = '<script>alert("channel")</script>';
export const HOSTILE_INTENT = '"><img src=x onerror=alert(1)>';

/** A conversation whose dimensions are hostile HTML and whose text and user id must stay unpublished. */
function hostileEvents(): object[] {
  const c = 'hostile-conversation';
  return [
    { event_id: 'h1', ts: '2026-01-15T10:00:00Z', conversation_id: c, type: 'conversation_started', user_id: SECRET_USER, channel: HOSTILE_CHANNEL, intent: HOSTILE_INTENT },
    { event_id: 'h2', ts: '2026-01-15T10:00:05Z', conversation_id: c, type: 'user_message', text: SECRET_TEXT },
    { event_id: 'h3', ts: '2026-01-15T10:00:06Z', conversation_id: c, type: 'bot_message', latency_ms: 900, fallback: false, text: SECRET_TEXT },
    { event_id: 'h4', ts: '2026-01-15T10:00:07Z', conversation_id: c, type: 'goal', name: '<b>goal</b>' },
    { event_id: 'h5', ts: '2026-01-15T10:00:08Z', conversation_id: c, type: 'resolved' },
  ];
}

/** A final January review using every MDX component, a draft February review, and two annotations. */
export const FIXTURE_CONTENT: Record<string, string> = {
  'reviews/month/2026-01.mdx': `---
title: January fixture review
status: final
authors: [Fixture Author]
summary: Billing fallbacks need work.
primary_kpi: fallback_rate
causes: [Knowledge gaps in billing]
actions:
  - title: Recalibrate the confidence bar
    owner: Sam
    kpi: fallback_rate
    expected: { direction: down, size: 2, unit: pp, segment: "intent: billing" }
  - title: Grow volume
    owner: Alex
    kpi: conversations
    expected: { direction: up }
---

Resolution was <Kpi id="resolution_rate" /> and cost moved <Delta id="cost_per_resolved_usd" />.

<KpiChart id="fallback_rate" by="intent" />

<KpiChart id="resolution_rate" />

<SegmentTable dim="intent" kpi="fallback_rate" />

Shipped this month: <Annotations kind="model" />
`,
  'reviews/month/2026-02.mdx': `---
title: February fixture draft
status: draft
authors: [Fixture Author]
summary: Still writing.
primary_kpi: resolution_rate
---

Work in progress.
`,
  'annotations/model.md': '---\ndate: 2026-01-20\nkind: model\ntitle: Fixture model switch\n---\n',
  'annotations/routing.md': '---\ndate: 2026-02-10\nkind: routing\ntitle: Fixture routing change\nsegment: "intent: billing"\n---\nHandoffs later.\n',
};

export function writeContent(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

export interface FixtureSite {
  dir: string;
  site: string;
  snapshots: string;
  content: string;
  config: Config;
}

/** A small site: a quarter of the sample (2026-01 … 2026-03) plus the hostile conversation, built once. */
export async function buildFixtureSite(): Promise<FixtureSite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-e2e-'));
  const exports = path.join(dir, 'exports');
  await writeSample(exports, { start: '2026-01', months: 3, conversations: 1200 });
  fs.writeFileSync(path.join(exports, 'hostile.ndjson'), hostileEvents().map((e) => JSON.stringify(e)).join('\n') + '\n');
  const snapshots = path.join(dir, 'snapshots');
  await snapshot([exports], { out: snapshots, timezone: 'UTC' });
  const site = path.join(dir, 'site');
  const config = withDefaults(
    { human_contact_cost_usd: 5, goals: { ticket_deflected: { label: 'Tickets deflected' } }, headline_goal: 'ticket_deflected', site: { title: 'Fixture review' } },
    dir,
  );
  const content = path.join(dir, 'content');
  writeContent(content, FIXTURE_CONTENT);
  await buildSite({ snapshots, content, out: site, config, builtAt: new Date('2026-04-02T06:00:00Z') });
  return { dir, site, snapshots, content, config };
}
