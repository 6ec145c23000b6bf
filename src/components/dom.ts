// Minimal DOM builders used by the components (no htl dependency, so that every text value is set
// with textContent and can never be parsed as HTML).

const SVG_NS = "http://www.w3.org/2000/svg";

type Attrs = Record<string, string | number | null | undefined | false>;
type Child = Node | string | number | null | undefined | false;

function apply(node: Element, attrs: Attrs, children: readonly Child[]): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    node.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

/** An HTML element; string children become text nodes (never markup). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  apply(node, attrs, children);
  return node;
}

/** An SVG element; string children become text nodes. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  apply(node, attrs, children);
  return node;
}

export {SVG_NS};
