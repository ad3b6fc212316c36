/**
 * Shared plumbing of every chart: render an Observable Plot spec at build time with a linkedom document (no DOM
 * globals), then make the SVG self-describing and safe to inline:
 *   - `role="img"`, `aria-label` (the title), a first-child `<title>` and a `<desc>` (the text alternative);
 *   - `role="group"` on every `<g aria-label>` (axe's `aria-prohibited-attr`);
 *   - Plot's stable class (`plot-d6a7b5`) kept, plus `kpi-chart kpi-chart-<kind>`; ids that Plot numbers from
 *     a global counter (clip paths, markers) renamed after the chart, so output never depends on render order;
 *   - a fixed `width`/`height` and a `viewBox` (Plot's inline style makes it shrink with its container);
 *   - an optional visible title and legend drawn inside the SVG (Plot's own are HTML);
 *   - serialization by our own XML serializer, which escapes `&`, `<`, `>` and `"` in text and attributes, so
 *     labels from the data never come out as markup, and the output is valid both inline in HTML and as an
 *     `.svg` file.
 * Nothing here knows about KPIs or chart kinds.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** The sizes every chart kind builds its layout from. */
export const FONT_SIZE = 10;
export const TITLE_FONT_SIZE = 13;
const TITLE_HEIGHT = 22;
const LEGEND_ROW_HEIGHT = 16;
const LEGEND_SWATCH = 18;
/** The title and the legend start at the left edge of the chart. */
const HEADER_LEFT = 4;

/** One entry of a legend drawn inside the SVG. */
export interface LegendItem {
  label: string;
  color: string;
  /** Draw the swatch line dashed (partial periods). */
  dashed?: boolean;
  /** Draw a hollow dot on the swatch (partial periods). */
  hollow?: boolean;
}

/** What every chart says about itself, whatever its kind. */
export interface ChartFrame {
  /** The chart kind, for the class `kpi-chart-<kind>`. */
  kind: string;
  /** The chart's title: its accessible name (`aria-label`, `<title>`) and, unless `showTitle` is false, drawn on top. */
  title: string;
  /** The text alternative: what the chart shows, in sentences (`<desc>`). */
  description: string;
  /** Overrides the `aria-label` (default: the title). */
  ariaLabel?: string;
  width: number;
  height: number;
  /** An `id` for the `<svg>`; also the prefix of the ids inside it. Give one per chart when a page shows several. */
  id?: string;
  /** Draw the title inside the SVG (default true). */
  showTitle?: boolean;
  legend?: LegendItem[];
}

/** Handed to a chart's `decorate` step, to add elements Plot has no mark for. */
export interface Decorator {
  document: Document;
  /** Creates an SVG element with attributes (set as attributes: the serializer escapes them) and optional text. */
  el(tag: string, attributes?: Record<string, string | number | undefined>, text?: string): SVGElement;
  /** The plot's scales, as `plot.scale(name)` returns them. */
  scale(name: 'x' | 'y'): Plot.Scale | undefined;
}

let sharedDocument: Document | undefined;
/** A linkedom document used only as an element factory: nothing is ever attached to it. */
export function chartDocument(): Document {
  sharedDocument ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return sharedDocument;
}

function createEl(document: Document, tag: string, attributes: Record<string, string | number | undefined> = {}, text?: string): SVGElement {
  const node = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------------------------------------------------------
// Text measurement (estimated: there is no layout engine at build time)

// Widths in em, calibrated on DejaVu Sans (what `system-ui` resolves to on a bare Linux), which is wider than
// the system fonts of most readers: estimates err towards more room, never clipping.
const NARROW = new Set("ijl'.,:;|!".split(''));
const SEMI = new Set('tfr()[]{} -"'.split(''));
const WIDE = new Set('mwMW@%—…'.split(''));

/** An estimate, on the wide side, of the width of `text` in the system-ui font at `fontSize` px. */
export function estimateTextWidth(text: string, fontSize = FONT_SIZE): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.3;
    else if (SEMI.has(ch)) em += 0.42;
    else if (WIDE.has(ch)) em += 0.98;
    else if (ch >= 'A' && ch <= 'Z') em += 0.74;
    else if (ch >= '0' && ch <= '9') em += 0.64;
    else em += 0.63;
  }
  return Math.ceil(em * fontSize);
}

/** `text` cut to at most `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------------------------
// Linear ticks (computed here rather than by Plot, so that charts know their tick step for formatting)

/** A "nice" step (1, 2 or 5 times a power of ten) giving about `count` ticks over [lo, hi]. */
export function tickStep(lo: number, hi: number, count: number): number {
  const raw = Math.abs(hi - lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  return (error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1) * power;
}

/** [lo, hi] extended outwards to multiples of a nice step, with the ticks at each multiple. */
export function niceTicks(lo: number, hi: number, count: number): { domain: [number, number]; ticks: number[]; step: number } {
  const step = tickStep(lo, hi, count);
  const start = Math.floor(lo / step + 1e-9);
  const stop = Math.ceil(hi / step - 1e-9);
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const round = (v: number) => Number(v.toFixed(Math.min(20, digits)));
  const ticks: number[] = [];
  for (let i = start; i <= stop; i++) ticks.push(round(i * step));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, step };
}

// ---------------------------------------------------------------------------------------------------------------
// Header: visible title and legend, laid out above the plot area

interface HeaderLayout {
  height: number;
  titleY?: number;
  legend: { item: LegendItem; x: number; y: number }[];
}

function layoutHeader(frame: ChartFrame, left: number): HeaderLayout {
  let height = 0;
  let titleY: number | undefined;
  if (frame.showTitle !== false) {
    titleY = 15;
    height = TITLE_HEIGHT;
  }
  const legend: HeaderLayout['legend'] = [];
  if (frame.legend?.length) {
    let x = left;
    let row = 0;
    for (const item of frame.legend) {
      const w = LEGEND_SWATCH + 5 + estimateTextWidth(item.label) + 14;
      if (x > left && x + w > frame.width - 4) {
        x = left;
        row++;
      }
      legend.push({ item, x, y: height + 8 + row * LEGEND_ROW_HEIGHT });
      x += w;
    }
    height += (row + 1) * LEGEND_ROW_HEIGHT + 2;
  }
  return { height, titleY, legend };
}

function drawHeader(svg: SVGElement, document: Document, frame: ChartFrame, layout: HeaderLayout, left: number): void {
  const el = (tag: string, attrs?: Record<string, string | number | undefined>, text?: string) => createEl(document, tag, attrs, text);
  if (layout.titleY !== undefined) {
    const g = el('g', { class: 'kpi-chart-title', 'aria-hidden': 'true' });
    g.appendChild(el('text', { x: left, y: layout.titleY, 'text-anchor': 'start', 'font-size': TITLE_FONT_SIZE, 'font-weight': 'bold' }, frame.title));
    svg.appendChild(g);
  }
  if (layout.legend.length) {
    const g = el('g', { class: 'kpi-chart-legend', 'aria-label': 'Legend', 'text-anchor': 'start' });
    for (const { item, x, y } of layout.legend) {
      const entry = el('g', { transform: `translate(${x},${y})` });
      entry.appendChild(
        el('line', { x1: 0, x2: LEGEND_SWATCH, y1: 0, y2: 0, stroke: item.color, 'stroke-width': 2, 'stroke-dasharray': item.dashed ? '3,2' : undefined }),
      );
      if (item.hollow) entry.appendChild(el('circle', { cx: LEGEND_SWATCH / 2, cy: 0, r: 3, fill: 'none', stroke: item.color, 'stroke-width': 1.5 }));
      entry.appendChild(el('text', { x: LEGEND_SWATCH + 5, y: 0, dy: '0.32em' }, item.label));
      g.appendChild(entry);
    }
    svg.appendChild(g);
  }
}

/** The height the title and legend of a frame take above the plot (what `build` receives). */
export function headerHeight(frame: Pick<ChartFrame, 'showTitle' | 'legend' | 'width'>): number {
  return layoutHeader(frame as ChartFrame, HEADER_LEFT).height;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/**
 * Renders a chart: `build` receives the height the header (title, legend) takes and returns the Plot options
 * (without `document`, `width` and `height`, which come from the frame); `decorate` may add elements after
 * Plot has drawn. Returns the SVG as a string.
 */
export function renderChart(
  frame: ChartFrame,
  build: (header: { height: number }) => Plot.PlotOptions,
  decorate?: (svg: SVGElement, decorator: Decorator) => void,
): string {
  const document = chartDocument();
  const header = layoutHeader(frame, HEADER_LEFT);
  const options = build({ height: header.height });
  const plotted = Plot.plot({ ...options, width: frame.width, height: frame.height, document } as Plot.PlotOptions);
  const svg = plotted as unknown as SVGElement & Plot.Plot;
  if (svg.tagName.toLowerCase() !== 'svg') throw new Error('renderChart: the Plot spec must produce a bare <svg> (no HTML legend, title or caption)');
  decorate?.(svg, {
    document,
    el: (tag, attributes, text) => createEl(document, tag, attributes, text),
    scale: (name) => svg.scale(name),
  });
  drawHeader(svg, document, frame, header, HEADER_LEFT);
  finish(svg, document, frame);
  return serializeSvg(svg);
}

/** A chart that says there is nothing to show, in the same frame (title, size, text alternative) as the chart it replaces. */
export function renderNoData(frame: ChartFrame, message = 'No data for this range.'): string {
  return renderChart(
    { ...frame, legend: undefined, description: frame.description || message, ariaLabel: frame.ariaLabel ?? `${frame.title}: no data` },
    ({ height }) => ({
      marginTop: height + 4,
      marginLeft: 4,
      marginRight: 4,
      marginBottom: 4,
      axis: null,
      x: { domain: [0, 1] },
      y: { domain: [0, 1] },
      marks: [
        Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.25, strokeDasharray: '4,3' }),
        Plot.text([message], { frameAnchor: 'middle', fontSize: 12, fill: 'currentColor', fillOpacity: 0.8 }),
      ],
    }),
    (svg) => svg.setAttribute('data-no-data', 'true'),
  );
}

function finish(svg: SVGElement, document: Document, frame: ChartFrame): void {
  // Size: fixed intrinsic size plus a viewBox, so the chart scales down with its container.
  svg.setAttribute('width', String(frame.width));
  svg.setAttribute('height', String(frame.height));
  svg.setAttribute('viewBox', `0 0 ${frame.width} ${frame.height}`);
  const classes = (svg.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
  svg.setAttribute('class', [...classes, 'kpi-chart', `kpi-chart-${frame.kind}`].join(' '));

  // Plot's inline style defaults the background used for halos and hollow dots to white; the system colour
  // Canvas is white too unless the page declares a dark `color-scheme`. Pages may set --plot-background.
  const style = svg.querySelector('style');
  if (style?.textContent) style.textContent = style.textContent.replace('--plot-background: white;', '--plot-background: Canvas;');

  // Accessibility.
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', frame.ariaLabel ?? frame.title);
  svg.removeAttribute('aria-description');
  for (const node of svg.querySelectorAll('[aria-label]')) {
    // A labelled group needs a role (axe: aria-prohibited-attr); other labelled shapes (Plot's frame is a
    // <rect aria-label="frame">) only repeat what the chart's own text alternative says.
    if (node.localName === 'g') node.setAttribute('role', 'group');
    else node.removeAttribute('aria-label');
  }
  const desc = createEl(document, 'desc', {}, frame.description);
  const title = createEl(document, 'title', {}, frame.title);
  svg.insertBefore(desc, svg.firstChild);
  svg.insertBefore(title, desc);

  // Stable ids: rename whatever Plot numbered from its global counters.
  const prefix = frame.id ?? `kpi-chart-${frame.kind}`;
  if (frame.id) svg.setAttribute('id', frame.id);
  const renamed = new Map<string, string>();
  for (const node of svg.querySelectorAll('[id]')) {
    if (node === svg) continue;
    const next = `${prefix}-${renamed.size + 1}`;
    renamed.set(node.getAttribute('id')!, next);
    node.setAttribute('id', next);
  }
  if (renamed.size) {
    for (const node of svg.querySelectorAll('*')) {
      for (const attr of [...node.attributes]) {
        const replaced = attr.value
          .replace(/url\(#([^)]+)\)/g, (all, id: string) => (renamed.has(id) ? `url(#${renamed.get(id)})` : all))
          .replace(/^#(.+)$/, (all, id: string) => (renamed.has(id) ? `#${renamed.get(id)}` : all));
        if (replaced !== attr.value) node.setAttribute(attr.name, replaced);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Serialization

/** Escapes text for XML and HTML, in text content and in double-quoted attributes alike. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'));
}

/** Serializes an SVG element (elements, attributes and text only) with every text and attribute escaped. */
export function serializeSvg(node: Element): string {
  const out: string[] = [];
  const walk = (n: Node): void => {
    if (n.nodeType === 3) {
      out.push(escapeXml(n.nodeValue ?? ''));
      return;
    }
    if (n.nodeType !== 1) return; // comments and the like are dropped
    const e = n as Element;
    const tag = e.localName;
    out.push(`<${tag}`);
    if (e === node && !e.hasAttribute('xmlns')) out.push(` xmlns="${SVG_NS}"`);
    for (const attr of e.attributes) out.push(` ${attr.name}="${escapeXml(attr.value)}"`);
    if (!e.firstChild) {
      out.push('/>');
      return;
    }
    out.push('>');
    for (let c: ChildNode | null = e.firstChild; c; c = c.nextSibling) walk(c);
    out.push(`</${tag}>`);
  };
  walk(node);
  return out.join('');
}
