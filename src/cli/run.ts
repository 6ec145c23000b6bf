// The headless runner's analyses: the same engine functions the pages call, on a cohort table read by
// the data layer, shaped as the JSON the issues specify. Pure apart from its input table: no I/O here
// (src/cli/analyze.ts reads the file and prints), so tests call it directly.
import {applyFilters} from "../cohort/filters.js";
import {CohortError} from "../cohort/problems.js";
import {validateEndpoint} from "../cohort/schema.js";
import type {CohortTable} from "../cohort/table.js";
import {coxPH} from "../survival/coxPH.js";
import {coxZph} from "../survival/coxZph.js";
import {cumulativeIncidence} from "../survival/cumulativeIncidence.js";
import {designMatrix, type CovariateSpec} from "../survival/designMatrix.js";
import {SurvivalInputError} from "../survival/errors.js";
import {fineGray} from "../survival/fineGray.js";
import {grayTest} from "../survival/grayTest.js";
import type {DroppedRows, SurvivalData} from "../survival/input.js";
import {kaplanMeier} from "../survival/kaplanMeier.js";
import {kaplanMeierJSON} from "../survival/kaplanMeierJSON.js";
import {logRank} from "../survival/logRank.js";
import type {RunnerArgs} from "./args.js";
import {covariateColumn, labelColumn, requireColumns, RunnerError} from "./columns.js";

/** Where the excluded rows went, by the user's column names. */
export interface Excluded {
  total: number;
  reasons: {column: string; count: number; reason: string}[];
}

interface Prepared {
  data: SurvivalData;
  /** File row (0-based) of each engine row. */
  rows: Int32Array;
  fieldColumns: Map<string, string>;
}

function prepare(table: CohortTable, args: RunnerArgs, mask: Uint8Array): Prepared & {excludedRows: {column: string; count: number}[]; warnings: string[]} {
  // The data layer validates the endpoint on every selected row (types, negative times, event codes,
  // 1/2 coding, stop ≤ start) and builds the engine's columns, leaving out rows with a missing value.
  const endpoint = validateEndpoint(
    table,
    {time: args.time, event: args.event, ...(args.start ? {start: args.start} : {}), ...(args.censorCode !== null ? {censorCode: args.censorCode} : {})},
    mask
  );
  const errors = endpoint.problems.filter((p) => p.severity === "error");
  if (!endpoint.ok || !endpoint.data) throw new CohortError(errors.length ? errors : endpoint.problems);
  const {rows} = endpoint.data;
  const fieldColumns = new Map<string, string>([
    ["time", args.time],
    ["event", args.event]
  ]);
  const data: SurvivalData = {time: endpoint.data.time, event: endpoint.data.event};
  if (endpoint.data.entry) {
    data.entry = endpoint.data.entry;
    fieldColumns.set("entry", args.start!);
  }
  if (args.by) {
    data.group = labelColumn(table, args.by, rows);
    fieldColumns.set("group", args.by);
  }
  if (args.strata) {
    data.strata = labelColumn(table, args.strata, rows);
    fieldColumns.set("strata", args.strata);
  }
  const warnings = endpoint.problems.filter((p) => p.severity === "warning").map((p) => p.message);
  return {data, rows, fieldColumns, excludedRows: endpoint.data.excluded, warnings};
}

function excluded(prepared: ReturnType<typeof prepare>, dropped: DroppedRows, covariates: string[] = []): Excluded {
  // Rows the data layer left out (missing time/event/start), then rows the engine left out (missing
  // group, strata or covariate).
  const reasons = prepared.excludedRows.map(({column, count}) => ({column, count, reason: "missing value"}));
  for (const {field, count} of dropped.reasons) {
    reasons.push({column: prepared.fieldColumns.get(field) ?? (field === "covariates" ? covariates.join(",") : field), count, reason: "missing value"});
  }
  return {total: reasons.reduce((a, r) => a + r.count, 0), reasons};
}

/** Re-express an engine error in the user's terms: their column name and the file's row number. */
function remap(error: unknown, prepared: Prepared): never {
  if (error instanceof SurvivalInputError && error.row !== null) {
    const column = prepared.fieldColumns.get(error.field) ?? error.field;
    const fileRow = prepared.rows[error.row - 1] + 1; // engine rows are the endpoint's kept rows, in file order
    const reason = /\(([^()]*)\)$/.exec(error.message)?.[1] ?? error.message;
    throw new RunnerError(`${column} at row ${fileRow}: ${JSON.stringify(error.value)} (${reason})`);
  }
  if (error instanceof SurvivalInputError) {
    const column = prepared.fieldColumns.get(error.field);
    throw new RunnerError(column ? error.message.replace(error.field, column) : error.message);
  }
  throw error;
}

/** `--covariates age,factor(edema)`: `factor(col)` makes a numeric column categorical, as in an R formula. */
export function covariateNames(list: readonly string[]): {name: string; categorical: boolean}[] {
  return list.map((item) => {
    const m = /^factor\((.+)\)$/.exec(item);
    return m ? {name: m[1], categorical: true} : {name: item, categorical: false};
  });
}

function covariates(table: CohortTable, args: RunnerArgs, rows: Int32Array) {
  const named = covariateNames(args.covariates);
  const specs: CovariateSpec[] = named.map(({name, categorical}) => ({
    name,
    values: covariateColumn(table, name, rows),
    ...(categorical ? {type: "categorical" as const} : {})
  }));
  for (const name of args.ref.keys()) if (!named.some((c) => c.name === name)) throw new RunnerError(`--ref ${name}: not one of the covariates (${named.map((c) => c.name).join(", ")})`);
  return designMatrix(specs, {references: Object.fromEntries(args.ref)});
}

/**
 * Run one analysis. Returns the JSON-ready result with `data` (file, rows read, rows after --where,
 * fingerprint) and `excluded` (rows left out for a missing value, by column) besides the command's
 * own fields.
 */
export function runAnalysis(table: CohortTable, args: RunnerArgs): Record<string, unknown> {
  requireColumns(table, [args.time, args.event, args.by, args.strata, args.start, ...covariateNames(args.covariates).map((c) => c.name)]);
  const {mask, count} = applyFilters(table, args.where);
  const prepared = prepare(table, args, mask);
  const rows = prepared.rows;
  const meta = {
    file: table.source.name,
    fingerprint: table.source.fingerprint,
    rows: table.numRows,
    selected: count,
    where: args.where,
    warnings: prepared.warnings
  };
  const cause = args.cause ?? undefined;
  try {
    switch (args.command) {
      case "km": {
        const fit = kaplanMeier(prepared.data, {confType: args.confType, confLevel: args.confLevel, cause: args.cause});
        const json = kaplanMeierJSON(fit, {at: args.at});
        return {data: meta, excluded: excluded(prepared, fit.dropped), confType: fit.confType, confLevel: fit.confLevel, cause: fit.cause, strata: json.strata};
      }
      case "logrank": {
        if (!args.by) throw new RunnerError("logrank needs --by COL (the groups to compare)");
        const test = logRank(prepared.data, {rho: args.rho, cause, trend: args.trend});
        return {
          data: meta,
          excluded: excluded(prepared, test.dropped),
          test: args.rho === 0 ? "log-rank" : args.rho === 1 ? "Peto-Peto" : `G-rho (rho = ${args.rho})`,
          chisq: test.chisq,
          df: test.df,
          p: test.p,
          groups: test.groups,
          variance: test.variance,
          strata: test.strata,
          trend: test.trend,
          note: test.note
        };
      }
      case "cif": {
        const fit = cumulativeIncidence(prepared.data, {times: args.at, confLevel: args.confLevel});
        const causes = cause === undefined ? null : [cause];
        const strata = fit.curves
          .filter((c) => causes === null || causes.includes(c.cause))
          .map((c) => ({level: c.level, cause: c.cause, n: c.n, events: c.events, at: c.at}));
        const gray = args.by ? grayTest(prepared.data, {rho: args.rho})
              .tests.filter((t) => causes === null || causes.includes(t.cause))
              .map(({cause, stat, df, p, reason}) => ({cause, stat, df, p, reason})) : [];
        return {data: meta, excluded: excluded(prepared, fit.dropped), strata, gray};
      }
      case "cox": {
        const x = covariates(table, args, rows);
        const fit = coxPH(prepared.data, x, {ties: args.ties, cause, confLevel: args.confLevel});
        const {terms, n, events, loglik, lrTest, waldTest, scoreTest, concordance, converged, iterations, warnings} = fit;
        return {data: meta, excluded: excluded(prepared, fit.dropped, args.covariates), terms, n, events, loglik, lrTest, waldTest, scoreTest, concordance: concordance.concordance, converged, iterations, warnings, ties: args.ties};
      }
      case "finegray": {
        const x = covariates(table, args, rows);
        const fit = fineGray(prepared.data, x, {cause: args.cause!, confLevel: args.confLevel});
        const {terms, n, events, loglik, lrTest, waldTest, scoreTest, concordance, converged, iterations, warnings} = fit;
        return {data: meta, excluded: excluded(prepared, fit.dropped, args.covariates), terms, n, events, competing: fit.competing, loglik, lrTest, waldTest, scoreTest, concordance, converged, iterations, warnings};
      }
      case "zph": {
        const x = covariates(table, args, rows);
        const fit = coxPH(prepared.data, x, {ties: args.ties, cause});
        const zph = coxZph(fit);
        return {data: meta, excluded: excluded(prepared, fit.dropped, args.covariates), terms: zph.terms, global: zph.global, transform: "km"};
      }
    }
  } catch (error) {
    remap(error, prepared);
  }
}

/** JSON text with typed arrays as arrays and any non-finite number as null. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) return null;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    2
  );
}
