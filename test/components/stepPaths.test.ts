// Path data of the curve figures' step lines, bands and censoring ticks (src/components/stepPaths.ts).
// Expected strings are worked out by hand from the definition of a right-continuous step function
// (d3's curveStepAfter: from each point across to the next x, then up or down to its y); the scales
// are simple affine maps so every coordinate can be checked by eye.
import {describe, expect, it} from "vitest";
import {stepAreaPath, stepLinePath, tickMarksPath} from "../../src/components/stepPaths.js";

const id = (v: number) => v;
const sx = (v: number) => 10 + 2 * v; // x px = 10 + 2x
const sy = (v: number) => 100 - 100 * v; // y px: 1 → 0, 0 → 100

describe("stepLinePath", () => {
  it("steps across, then down, at each time", () => {
    // S = 1 on [0, 1), 0.5 on [1, 3), 0.25 from 3
    expect(stepLinePath([0, 1, 3], [1, 0.5, 0.25], sx, sy)).toBe("M10,0H12V50H16V75");
  });
  it("rounds to two decimals", () => {
    expect(stepLinePath([0, 1 / 3], [1, 2 / 3], id, id)).toBe("M0,1H0.33V0.67");
  });
  it("breaks at a missing value and starts again at the next point, as Plot's line", () => {
    expect(stepLinePath([0, 1, 2, 3, 4], [1, 0.5, NaN, 0.25, 0.2], sx, sy)).toBe("M10,0H12V50M16,75H18V80");
    expect(stepLinePath([0, 1], [null, null], sx, sy)).toBe("");
    expect(stepLinePath([], [], sx, sy)).toBe("");
  });
});

describe("stepAreaPath", () => {
  it("upper steps forward, lower steps back, closed", () => {
    // upper 1, 0.8, 0.6; lower 1, 0.4, 0.2 at x = 0, 1, 3
    // forward: M10,0 H12 V20 H16 V40; down to lower at x=3: V80; back: V60 (lower on [1,3)) H12, V0 (lower on [0,1)) H10; Z
    expect(stepAreaPath([0, 1, 3], [1, 0.4, 0.2], [1, 0.8, 0.6], sx, sy)).toBe("M10,0H12V20H16V40V80V60H12V0H10Z");
  });
  it("a missing limit splits the band into separate closed pieces, each ending at its last point", () => {
    expect(stepAreaPath([0, 1, 2, 3], [0.9, 0.5, null, 0.2], [1, 0.7, null, 0.4], sx, sy)).toBe("M10,0H12V30V50V10H10Z" + "M16,60V80Z");
  });
  it("is empty without finite limits", () => {
    expect(stepAreaPath([0, 1], [null, NaN], [null, 1], sx, sy)).toBe("");
  });
});

describe("tickMarksPath", () => {
  const frame = {left: 10, right: 50, top: 0, bottom: 100};
  it("draws an 8 px vertical tick centred on each point inside the frame, in one path", () => {
    expect(tickMarksPath([{x: 1, y: 0.5}, {x: 2.5, y: 0.25}], sx, sy, frame)).toBe("M12,46v8M15,71v8");
  });
  it("leaves out points outside the frame or not finite, and honours the size", () => {
    expect(tickMarksPath([{x: 100, y: 0.5}, {x: 1, y: NaN}, {x: 1, y: 0.5}], sx, sy, frame, 4)).toBe("M12,48v4");
  });
});
