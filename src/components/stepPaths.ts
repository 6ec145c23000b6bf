// SVG path data for step functions, from points and two pixel scales. The curve figures draw their
// curves, confidence bands and censoring marks with these (instead of one Plot mark each), so that a
// figure can be redrawn in place: the same functions serve the first drawing and every update
// (survivalPlot.ts). Pure: strings out, no DOM.

/** A pixel scale: data value → px. */
export type PixelScale = (value: number) => number;

/** Pixel coordinates to two decimals: exact to the eye, and short strings for long curves. */
function px(v: number): number {
  return Math.round(v * 100) / 100;
}

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * A right-continuous step line (d3's curveStepAfter): from each point horizontally to the next x, then
 * vertically to its y. Points whose x or y is not a finite number break the line (as Plot's line does),
 * and each run ends at its last point. Returns "" when nothing is drawn.
 */
export function stepLinePath(x: ArrayLike<number>, y: ArrayLike<number | null>, sx: PixelScale, sy: PixelScale): string {
  let d = "";
  let open = false;
  for (let i = 0; i < x.length; ++i) {
    const yi = y[i];
    if (!finite(x[i]) || !finite(yi)) {
      open = false;
      continue;
    }
    const X = px(sx(x[i]));
    const Y = px(sy(yi));
    d += open ? `H${X}V${Y}` : `M${X},${Y}`;
    open = true;
  }
  return d;
}

/**
 * The region between two right-continuous step functions `lower` and `upper` (a pointwise confidence
 * band, as Plot's areaY with curve "step-after"): the upper steps forward, then the lower steps back, closed.
 * A point where either limit (or x) is not a finite number breaks the band; each run ends at its last
 * point. Returns "" when nothing is drawn.
 */
export function stepAreaPath(x: ArrayLike<number>, lower: ArrayLike<number | null>, upper: ArrayLike<number | null>, sx: PixelScale, sy: PixelScale): string {
  let d = "";
  let start = -1;
  const close = (from: number, to: number) => {
    // upper forward from `from` to `to` (inclusive)
    let part = `M${px(sx(x[from]))},${px(sy(upper[from] as number))}`;
    for (let i = from + 1; i <= to; ++i) part += `H${px(sx(x[i]))}V${px(sy(upper[i] as number))}`;
    // down to the lower limit at the last x, then the lower steps backwards
    part += `V${px(sy(lower[to] as number))}`;
    for (let i = to; i > from; --i) part += `V${px(sy(lower[i - 1] as number))}H${px(sx(x[i - 1]))}`;
    d += `${part}Z`;
  };
  for (let i = 0; i < x.length; ++i) {
    const ok = finite(x[i]) && finite(lower[i]) && finite(upper[i]);
    if (ok && start < 0) start = i;
    if (!ok && start >= 0) {
      close(start, i - 1);
      start = -1;
    }
  }
  if (start >= 0) close(start, x.length - 1);
  return d;
}

/** The frame, in px, outside which a mark is not drawn. */
export interface PixelFrame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Censoring marks: a vertical tick `size` px tall centred on each point (R's plot.survfit draws "|"),
 * all in one path. Points outside `frame` are left out, as a clipped mark would be, and so are points
 * whose coordinates are not finite.
 */
export function tickMarksPath(points: readonly {x: number; y: number}[], sx: PixelScale, sy: PixelScale, frame: PixelFrame, size = 8): string {
  const parts: string[] = [];
  const half = size / 2;
  for (const c of points) {
    const X = sx(c.x);
    const Y = sy(c.y);
    if (!(X >= frame.left && X <= frame.right && Y >= frame.top && Y <= frame.bottom)) continue;
    parts.push(`M${Math.round(X * 10) / 10},${Math.round((Y - half) * 10) / 10}v${size}`);
  }
  return parts.join("");
}
