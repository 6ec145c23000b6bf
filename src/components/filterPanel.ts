// The filter panel shared by every analysis page: one checkbox group per factor (all levels ticked =
// no filter) and a from–to pair per numeric variable. Its value is the list of structured filters
// {column, op, value} the data layer applies — data, never code. Presentation only.
import * as Inputs from "npm:@observablehq/inputs";
import type {Filter} from "../cohort/filters.js";

export interface PanelFactor {
  column: string;
  label: string;
  levels: readonly string[];
}

export interface PanelRange {
  column: string;
  label: string;
  step: number;
  /** Observed minimum and maximum (the defaults). */
  min: number;
  max: number;
}

export interface FilterPanelOptions {
  /** Filters to start from (e.g. from a shared link); those not expressible by the panel are kept as "other". */
  initial?: readonly Filter[];
  /** Show the panel open (default true). */
  open?: boolean;
}

function initialLevels(f: PanelFactor, initial: readonly Filter[]): string[] {
  const own = initial.find((x) => x.column === f.column);
  if (!own) return [...f.levels];
  if (own.op === "in" && Array.isArray(own.value)) return f.levels.filter((l) => (own.value as readonly unknown[]).map(String).includes(l));
  if (own.op === "==") return f.levels.filter((l) => l === String(own.value));
  if (own.op === "!=") return f.levels.filter((l) => l !== String(own.value));
  return [...f.levels];
}

function initialRange(r: PanelRange, initial: readonly Filter[]): [number, number] {
  let lo = r.min;
  let hi = r.max;
  for (const f of initial) {
    if (f.column !== r.column) continue;
    if (f.op === "between" && Array.isArray(f.value)) [lo, hi] = [Number(f.value[0]), Number(f.value[1])];
    else if (f.op === ">=" || f.op === ">") lo = Number(f.value);
    else if (f.op === "<=" || f.op === "<") hi = Number(f.value);
  }
  return [lo, hi];
}

type PanelValue = Record<string, unknown>;

/**
 * Build the panel. Use it with Framework's `view()`; its value is an object of the raw control values
 * that {@link panelFilters} turns into filters.
 */
export function filterPanel(factors: readonly PanelFactor[], ranges: readonly PanelRange[], options: FilterPanelOptions = {}): HTMLElement {
  const {initial = [], open = true} = options;
  const controls = new Map<string, HTMLElement>();
  for (const f of factors) {
    controls.set(`f:${f.column}`, Inputs.checkbox(f.levels, {label: f.label, value: initialLevels(f, initial)}));
  }
  for (const r of ranges) {
    const [lo, hi] = initialRange(r, initial);
    controls.set(`lo:${r.column}`, Inputs.number([r.min, r.max], {label: `${r.label} from`, value: lo, step: r.step, width: 90}));
    controls.set(`hi:${r.column}`, Inputs.number([r.min, r.max], {label: "to", value: hi, step: r.step, width: 90}));
  }
  const form = Inputs.form<PanelValue>(Object.fromEntries(controls));
  const reset = Inputs.button("Clear all filters", {
    reduce: () => {
      for (const f of factors) setValue(controls.get(`f:${f.column}`)!, [...f.levels]);
      for (const r of ranges) {
        setValue(controls.get(`lo:${r.column}`)!, r.min);
        setValue(controls.get(`hi:${r.column}`)!, r.max);
      }
      form.dispatchEvent(new Event("input", {bubbles: true}));
    }
  });
  // Lay the controls out in columns so the panel stays short on wide screens.
  form.style.display = "grid";
  form.style.gridTemplateColumns = "repeat(auto-fill, minmax(320px, 1fr))";
  form.style.columnGap = "1.5rem";
  const wrapper = document.createElement("details");
  wrapper.className = "filter-panel";
  wrapper.open = open;
  const summary = document.createElement("summary");
  summary.textContent = "Filters";
  wrapper.append(summary, form, reset);
  // The wrapper is the view: forward the form's value and events.
  Object.defineProperty(wrapper, "value", {get: () => form.value});
  form.addEventListener("input", (event) => {
    if (event.target !== wrapper) wrapper.dispatchEvent(new Event("input", {bubbles: false}));
  });
  return wrapper;
}

function setValue(control: HTMLElement, value: unknown): void {
  (control as HTMLElement & {value: unknown}).value = value;
}

/**
 * The structured filters a panel value stands for, given the factors and ranges the panel was built
 * from (controls left at their defaults give none).
 */
export function panelFilters(value: Record<string, unknown>, factors: readonly PanelFactor[], ranges: readonly PanelRange[]): Filter[] {
  const filters: Filter[] = [];
  for (const f of factors) {
    const chosen = (value[`f:${f.column}`] ?? f.levels) as string[];
    if (chosen.length < f.levels.length) filters.push({column: f.column, op: "in", value: [...chosen]});
  }
  for (const r of ranges) {
    const lo = Number(value[`lo:${r.column}`]);
    const hi = Number(value[`hi:${r.column}`]);
    const narrowedLo = Number.isFinite(lo) && lo > r.min;
    const narrowedHi = Number.isFinite(hi) && hi < r.max;
    if (narrowedLo && narrowedHi) filters.push({column: r.column, op: "between", value: [lo, hi]});
    else if (narrowedLo) filters.push({column: r.column, op: ">=", value: lo});
    else if (narrowedHi) filters.push({column: r.column, op: "<=", value: hi});
  }
  return filters;
}
