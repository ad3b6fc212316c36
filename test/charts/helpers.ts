/** Reading rendered charts back in tests. */
import { parseHTML } from 'linkedom';

export function parseSvg(svg: string): SVGSVGElement {
  const { document } = parseHTML(`<!doctype html><html><body>${svg}</body></html>`);
  const root = document.querySelector('svg');
  if (!root) throw new Error('no <svg> in the output');
  return root as unknown as SVGSVGElement;
}

/** The texts of a Plot axis' tick labels (`y-axis tick label`, `x-axis tick label`), in document order. */
export function tickLabels(svg: SVGSVGElement, axis: 'x' | 'y'): string[] {
  const g = svg.querySelector(`g[aria-label="${axis}-axis tick label"]`);
  return g ? [...g.querySelectorAll('text')].map((t) => t.textContent ?? '') : [];
}

/** The `translate(x,y)` of an element's transform attribute. */
export function translateOf(el: Element): [number, number] {
  const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(el.getAttribute('transform') ?? '');
  if (!m) throw new Error(`no translate on ${el.outerHTML}`);
  return [Number(m[1]), Number(m[2])];
}

/** The tooltip texts of the dots (`<circle><title>`). */
export function dotTitles(svg: SVGSVGElement): string[] {
  return [...svg.querySelectorAll('circle > title')].map((t) => t.textContent ?? '');
}

/** Every start tag of a `<g>` with an aria-label, as written in the SVG string. */
export function labelledGroupTags(svg: string): string[] {
  return [...svg.matchAll(/<g\b[^>]*>/g)].map((m) => m[0]).filter((tag) => / aria-label="/.test(tag));
}

/** Attribute values in the SVG string that contain characters an attribute must never carry raw. */
export function unsafeAttributes(svg: string): string[] {
  return [...svg.matchAll(/\s[\w:-]+="([^"]*)"/g)].map((m) => m[1]).filter((v) => /[<>]|&(?!(amp|lt|gt|quot|#\d+);)/.test(v));
}
