// The column-mapping form of the upload page: which of the file's columns are the overall-survival time and
// status (and what each status value means), the first-event time and event (censored, relapse, NRM,
// refractory, other causes), start/end dates instead of a time, the covariates the study's factors use,
// and the patient id. Presentation only: the columns, their codes and the roles come in as data; the value
// is a plain mapping object (the study layer's CohortMapping). Every name is set as text or as a form
// value, never as HTML.
import {h} from "./dom.js";

type Unit = "days" | "weeks" | "months" | "years";
type Time = {kind: "duration"; column: string; unit: Unit} | {kind: "dates"; start: string; end: string};
interface Endpoint {
  time: Time;
  status: {column: string; codes: [string, number][]};
}
/** The form's value (structurally the study layer's CohortMapping). */
export interface MappingValue {
  v: 1;
  os: Endpoint | null;
  events: Endpoint | null;
  covariates: {target: string; column: string; unit?: Unit}[];
  id: string | null;
}

export interface MappingFormColumn {
  name: string;
  /** The header as written in the file (shown). */
  header: string;
  type: "number" | "string" | "date";
}

export interface MappingFormOptions {
  columns: readonly MappingFormColumn[];
  /** Distinct values of a column with counts (null when there are too many to map one by one). */
  codesOf: (column: string) => {code: string; count: number}[] | null;
  /** Meanings offered for overall-survival status values (k = 0 censored, 1 dead). */
  osCodes: readonly {k: number; label: string}[];
  /** Meanings offered for first-event values (k = 0 censored, 1 relapse, …). */
  eventCauses: readonly {k: number; label: string}[];
  /** The study variables a column can play. */
  variables: readonly {name: string; label: string; kind: "number" | "text" | "indicator"; unit?: Unit; hint: string}[];
  units: readonly Unit[];
  /** Starting mapping (a suggestion or a link's). */
  initial: MappingValue;
  /** How the row count of each value is shown (e.g. small-cell masking); default plain. */
  countText?: (n: number) => string;
}

const NONE = "\u0000none";
const SELECT_STYLE = "max-width:22rem;font:inherit";

function select(options: readonly {value: string; text: string}[], selected: string, label: string): HTMLSelectElement {
  const s = h("select", {style: SELECT_STYLE, "aria-label": label}) as HTMLSelectElement;
  for (const o of options) {
    const opt = h("option", {value: o.value}, o.text) as HTMLOptionElement;
    if (o.value === selected) opt.selected = true;
    s.append(opt);
  }
  return s;
}

/** Display text of a column: its header, truncated, with the type. */
function columnText(c: MappingFormColumn): string {
  const name = c.header.length > 60 ? `${c.header.slice(0, 57)}…` : c.header;
  return `${name} (${c.type === "string" ? "text" : c.type})`;
}

function row(label: string, ...controls: (Node | string)[]): HTMLElement {
  return h("div", {class: "sv-map-row", style: "display:flex;flex-wrap:wrap;gap:.4rem .6rem;align-items:center;margin:.3rem 0"}, h("span", {style: "min-width:11rem;font-weight:500"}, label), ...controls);
}

/**
 * The mapping form. Use with Framework's `view()`: its value is the mapping, updated (with an `input`
 * event) whenever a choice changes.
 */
export function mappingForm(options: MappingFormOptions): HTMLElement & {value: MappingValue} {
  const {columns, codesOf, osCodes, eventCauses, variables, units, countText = (n: number) => n.toLocaleString("en-US")} = options;
  const byName = new Map(columns.map((c) => [c.name, c]));
  const state = structuredClone(options.initial) as MappingValue;
  const root = h("form", {class: "sv-mapping-form", style: "font:14px/1.4 var(--sans-serif, system-ui, sans-serif)"}) as HTMLFormElement & {value: MappingValue};
  root.addEventListener("submit", (e) => e.preventDefault());
  const emit = () => {
    root.value = structuredClone(state);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const columnOptions = (types: readonly MappingFormColumn["type"][], none = "— not mapped —") => [{value: NONE, text: none}, ...columns.filter((c) => types.includes(c.type)).map((c) => ({value: c.name, text: columnText(c)}))];

  function endpointSection(key: "os" | "events", title: string, meanings: readonly {k: number; label: string}[]): HTMLElement {
    const section = h("fieldset", {class: `sv-map-${key}`, style: "border:1px solid color-mix(in srgb, currentColor 20%, transparent);border-radius:6px;padding:.5rem .8rem;margin:0 0 .8rem"});
    const render = () => {
      section.replaceChildren(h("legend", {style: "font-weight:600;padding:0 .3rem"}, title));
      const e = state[key];
      const timeKind = e?.time.kind ?? "duration";
      const kindSelect = select(
        [
          {value: "duration", text: "a time column"},
          {value: "dates", text: "start and end dates"}
        ],
        timeKind,
        `${title}: time from`
      );
      kindSelect.addEventListener("change", () => {
        const t: Time = kindSelect.value === "dates" ? {kind: "dates", start: "", end: ""} : {kind: "duration", column: "", unit: "days"};
        state[key] = e ? {...e, time: t} : {time: t, status: {column: "", codes: []}};
        normalise(key);
        render();
        emit();
      });
      section.append(row("Time from", kindSelect));
      if (timeKind === "duration") {
        const t = e?.time.kind === "duration" ? e.time : null;
        const col = select(columnOptions(["number"]), t?.column || NONE, `${title}: time column`);
        const unit = select(units.map((u) => ({value: u, text: u})), t?.unit ?? "days", `${title}: time unit`);
        const update = () => {
          const time: Time = {kind: "duration", column: col.value === NONE ? "" : col.value, unit: unit.value as Unit};
          state[key] = {time, status: state[key]?.status ?? {column: "", codes: []}};
          normalise(key);
          emit();
        };
        col.addEventListener("change", update);
        unit.addEventListener("change", update);
        section.append(row("Time column", col, "in", unit));
      } else {
        const t = e?.time.kind === "dates" ? e.time : null;
        const start = select(columnOptions(["date"]), t?.start || NONE, `${title}: start date`);
        const end = select(columnOptions(["date"]), t?.end || NONE, `${title}: end date`);
        const update = () => {
          state[key] = {time: {kind: "dates", start: start.value === NONE ? "" : start.value, end: end.value === NONE ? "" : end.value}, status: state[key]?.status ?? {column: "", codes: []}};
          normalise(key);
          emit();
        };
        start.addEventListener("change", update);
        end.addEventListener("change", update);
        section.append(row("Start date", start), row("End date", end, "(time = end − start, in days)"));
      }
      const statusCol = select(columnOptions(["number", "string"]), e?.status.column || NONE, `${title}: status column`);
      statusCol.addEventListener("change", () => {
        const time = state[key]?.time ?? {kind: "duration", column: "", unit: "days"};
        state[key] = {time, status: {column: statusCol.value === NONE ? "" : statusCol.value, codes: []}};
        normalise(key);
        render();
        emit();
      });
      section.append(row(key === "os" ? "Status column" : "Event column", statusCol));
      const status = state[key]?.status;
      if (status?.column) {
        const codes = codesOf(status.column);
        if (codes === null) section.append(h("p", {class: "sv-map-note", style: "margin:.3rem 0;color:#a15c00"}, `${status.column} has more than 30 distinct values; choose a status column with a few codes.`));
        else {
          const table = h("table", {class: "sv-map-codes", style: "border-collapse:collapse;margin:.3rem 0"});
          table.append(h("thead", {}, h("tr", {}, h("th", {style: "text-align:left;padding-right:1rem"}, "Value in the file"), h("th", {style: "text-align:right;padding-right:1rem"}, "Rows"), h("th", {style: "text-align:left"}, "Means"))));
          const body = h("tbody");
          for (const {code, count} of codes) {
            const current = status.codes.find(([c]) => c === code)?.[1];
            const s = select([{value: NONE, text: "— choose —"}, ...meanings.map((m) => ({value: String(m.k), text: `${m.k} = ${m.label}`}))], current === undefined ? NONE : String(current), `${title}: meaning of ${code}`);
            s.addEventListener("change", () => {
              const st = state[key]!.status;
              st.codes = st.codes.filter(([c]) => c !== code);
              if (s.value !== NONE) st.codes.push([code, Number(s.value)]);
              emit();
            });
            body.append(h("tr", {}, h("td", {style: "padding-right:1rem;font-family:var(--monospace, monospace)"}, code === "" ? "(empty)" : code), h("td", {style: "text-align:right;padding-right:1rem"}, countText(count)), h("td", {}, s)));
          }
          table.append(body);
          section.append(table);
        }
      }
    };
    render();
    return section;
  }

  /** An endpoint with no column chosen at all is "not mapped" (null). */
  function normalise(key: "os" | "events") {
    const e = state[key];
    if (!e) return;
    const t = e.time;
    const empty = (t.kind === "duration" ? !t.column : !t.start && !t.end) && !e.status.column;
    if (empty) state[key] = null;
  }

  const covs = h("fieldset", {class: "sv-map-covariates", style: "border:1px solid color-mix(in srgb, currentColor 20%, transparent);border-radius:6px;padding:.5rem .8rem;margin:0 0 .8rem"}, h("legend", {style: "font-weight:600;padding:0 .3rem"}, "Covariates (the study's variables)"));
  for (const v of variables) {
    const current = state.covariates.find((c) => c.target === v.name);
    const col = select(columnOptions(v.kind === "text" ? ["string", "number"] : ["number"]), current?.column ?? NONE, `${v.label}: column`);
    const unit = v.unit ? select(units.map((u) => ({value: u, text: u})), current?.unit ?? v.unit, `${v.label}: unit`) : null;
    const update = () => {
      state.covariates = state.covariates.filter((c) => c.target !== v.name);
      if (col.value !== NONE) state.covariates.push(unit ? {target: v.name, column: col.value, unit: unit.value as Unit} : {target: v.name, column: col.value});
      emit();
    };
    col.addEventListener("change", update);
    unit?.addEventListener("change", update);
    covs.append(row(v.label, col, ...(unit ? ["in", unit] : []), h("span", {style: "font-size:12px;opacity:.7"}, v.hint)));
  }
  const id = select(columnOptions(["string", "number"], "— none —"), state.id ?? NONE, "Patient id column");
  id.addEventListener("change", () => {
    state.id = id.value === NONE ? null : id.value;
    emit();
  });
  // Unknown column names in the initial mapping (from a link) are dropped by the selects; keep the state honest.
  for (const key of ["os", "events"] as const) {
    const e = state[key];
    if (!e) continue;
    const known = (n: string) => n === "" || byName.has(n);
    if (e.time.kind === "duration" ? !known(e.time.column) : !known(e.time.start) || !known(e.time.end)) state[key] = null;
    else if (!known(e.status.column)) e.status = {column: "", codes: []};
  }
  state.covariates = state.covariates.filter((c) => byName.has(c.column));
  if (state.id !== null && !byName.has(state.id)) state.id = null;

  root.append(endpointSection("os", "Overall survival", osCodes), endpointSection("events", "First event after the second SCT (competing risks)", eventCauses), covs, row("Patient id", id));
  root.value = structuredClone(state);
  return root;
}
