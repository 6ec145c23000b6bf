// What a Plot function mark's render receives, and a clip path of the plot's frame for the paths such a
// mark draws itself (the curve layers of survivalPlot, the stacked areas of stackedOutcomePlot): the SVG
// equivalent of Plot's `clip: true`.
import {s} from "./dom.js";

/** The scales a Plot function mark's render receives (data value → px). */
export type RenderScales = {x?: (v: number) => number; y?: (v: number) => number};

/** The plot's size and margins a Plot function mark's render receives. */
export type RenderDimensions = {width: number; height: number; marginLeft: number; marginRight: number; marginTop: number; marginBottom: number};

let count = 0;

/**
 * A `<defs>` holding a clipPath of the frame (inside the margins of `d`) with an id unique on the page
 * (`<prefix>-<n>`), and the `url(#…)` to give the clipped elements' `clip-path`.
 */
export function frameClip(d: RenderDimensions, prefix: string): {defs: SVGDefsElement; id: string; url: string} {
  const id = `${prefix}-${++count}`;
  const rect = s("rect", {x: d.marginLeft, y: d.marginTop, width: d.width - d.marginLeft - d.marginRight, height: d.height - d.marginTop - d.marginBottom});
  return {defs: s("defs", {}, s("clipPath", {id}, rect)), id, url: `url(#${id})`};
}
