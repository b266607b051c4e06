/**
 * Serialises a chart's <svg> into a standalone SVG document: every `var(--name, fallback)` in an
 * attribute or inline style is replaced by the variable's computed value on the page (or the
 * fallback), so the file renders the same outside the page, in the current theme.
 */

const VAR = /var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\)[^()]*)*))?\)/g;

/** Replaces CSS variable references in `text` using `lookup` (returns '' for an unset variable). */
export function resolveCssVariables(text: string, lookup: (name: string) => string): string {
  return text.replace(VAR, (_, name: string, fallback: string | undefined) => {
    const value = lookup(name).trim();
    return value !== '' ? value : (fallback ?? '').trim();
  });
}

/** A standalone SVG document of `svg`, with CSS variables resolved against `svg`'s computed style. */
export function serializeChartSvg(svg: SVGSVGElement): string {
  const style = getComputedStyle(svg);
  const lookup = (name: string) => style.getPropertyValue(name);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  for (const el of [clone, ...Array.from(clone.querySelectorAll('*'))]) {
    for (const attr of Array.from(el.attributes)) {
      if (attr.value.includes('var(')) el.setAttribute(attr.name, resolveCssVariables(attr.value, lookup));
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}
