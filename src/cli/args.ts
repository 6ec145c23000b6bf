/**
 * Command-line arguments of the headless runner, parsed as data. Nothing a user passes is ever
 * evaluated as code: values are strings, numbers are checked with a strict decimal pattern and
 * `--where` is JSON that must have the structured-filter shape.
 */

export const COMMANDS = ["km", "logrank", "cif", "cox", "finegray", "zph"] as const;
export type Command = (typeof COMMANDS)[number];

export type ConfType = "log-log" | "log" | "plain";

export interface WhereClause {
  column: string;
  op: string;
  value: unknown;
}

export interface RunnerArgs {
  command: Command;
  data: string;
  time: string;
  event: string;
  by: string | null;
  strata: string | null;
  start: string | null;
  at: number[];
  confType: ConfType;
  confLevel: number;
  cause: number | null;
  rho: number;
  trend: boolean;
  where: WhereClause[];
  covariates: string[];
  ties: "efron" | "breslow";
  ref: Map<string, string>;
  format: string | null;
  /** The event column's code for "censored" when it is not 0 (e.g. 1 for R's 1/2 coding). */
  censorCode: number | null;
}

/** A usage problem: reported as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(flag: string, text: string): number {
  const v = DECIMAL.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new UsageError(`${flag}: ${JSON.stringify(text)} is not a finite number`);
  return v;
}

const FLAGS = new Set([
  "--data", "--time", "--event", "--by", "--strata", "--start", "--at", "--conf-type", "--conf-level",
  "--cause", "--rho", "--where", "--covariates", "--ties", "--ref", "--format", "--censor-code"
]);
const SWITCHES = new Set(["--trend"]);

export const USAGE = `usage: npm run --silent analyze -- <km|logrank|cif|cox|finegray|zph> --data FILE --time COL --event COL
    [--by COL] [--strata COL] [--start COL] [--at t1,t2,...] [--conf-type log-log|log|plain] [--conf-level 0.95]
    [--cause k] [--rho 0|1] [--trend] [--censor-code c] [--where JSON] [--covariates a,b,c] [--ties efron|breslow] [--ref col=level]`;

export function parseArgs(argv: readonly string[]): RunnerArgs {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") throw new UsageError(USAGE);
  const [command, ...rest] = argv;
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`unknown command ${JSON.stringify(command)}; expected one of ${COMMANDS.join(", ")}`);
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < rest.length; ++i) {
    let flag = rest[i];
    let value: string | undefined;
    const eq = flag.indexOf("=");
    if (flag.startsWith("--") && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (SWITCHES.has(flag)) {
      switches.add(flag);
      continue;
    }
    if (!FLAGS.has(flag)) throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    if (value === undefined) {
      if (i + 1 >= rest.length) throw new UsageError(`${flag} needs a value`);
      value = rest[++i];
    }
    const list = values.get(flag) ?? [];
    list.push(value);
    values.set(flag, list);
  }
  const one = (flag: string): string | null => {
    const v = values.get(flag);
    if (!v) return null;
    if (v.length > 1 && flag !== "--ref") throw new UsageError(`${flag} given more than once`);
    return v[0];
  };
  const required = (flag: string): string => {
    const v = one(flag);
    if (v === null || v === "") throw new UsageError(`${flag} is required`);
    return v;
  };

  const confTypeText = one("--conf-type") ?? "log-log";
  if (!["log-log", "log", "plain"].includes(confTypeText))
    throw new UsageError(`--conf-type: ${JSON.stringify(confTypeText)}; expected log-log, log or plain`);
  const confLevel = one("--conf-level") === null ? 0.95 : parseNumber("--conf-level", one("--conf-level")!);
  if (!(confLevel > 0 && confLevel < 1)) throw new UsageError(`--conf-level: ${confLevel} is not between 0 and 1`);

  const causeText = one("--cause");
  let cause: number | null = null;
  if (causeText !== null) {
    cause = parseNumber("--cause", causeText);
    if (!Number.isInteger(cause) || cause < 1) throw new UsageError(`--cause: ${causeText} is not a cause code (1, 2, …)`);
  }
  const rhoText = one("--rho");
  const rho = rhoText === null ? 0 : parseNumber("--rho", rhoText);
  if (rho < 0) throw new UsageError(`--rho: ${rhoText} must be ≥ 0`);

  const atText = one("--at");
  const at = atText === null || atText === "" ? [] : atText.split(",").map((t) => parseNumber("--at", t));
  for (const t of at) if (t < 0) throw new UsageError(`--at: ${t} must be ≥ 0`);

  const tiesText = one("--ties") ?? "efron";
  if (tiesText !== "efron" && tiesText !== "breslow") throw new UsageError(`--ties: ${JSON.stringify(tiesText)}; expected efron or breslow`);

  const covText = one("--covariates");
  const covariates = covText === null ? [] : covText.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if ((command === "cox" || command === "finegray" || command === "zph") && covariates.length === 0)
    throw new UsageError(`${command} needs --covariates a,b,…`);
  if (command === "finegray" && cause === null) throw new UsageError("finegray needs --cause k");

  const ref = new Map<string, string>();
  for (const r of values.get("--ref") ?? []) {
    const k = r.indexOf("=");
    if (k <= 0) throw new UsageError(`--ref: ${JSON.stringify(r)} is not column=level`);
    ref.set(r.slice(0, k), r.slice(k + 1));
  }

  return {
    command: command as Command,
    data: required("--data"),
    time: required("--time"),
    event: required("--event"),
    by: one("--by"),
    strata: one("--strata"),
    start: one("--start"),
    at,
    confType: confTypeText as ConfType,
    confLevel,
    cause,
    rho,
    trend: switches.has("--trend"),
    where: parseWhere(one("--where")),
    covariates,
    ties: tiesText,
    ref,
    format: one("--format"),
    censorCode: one("--censor-code") === null ? null : parseNumber("--censor-code", one("--censor-code")!)
  };
}

/** `--where` JSON: an array of {column, op, value}; the shape is checked here, the columns later. */
export function parseWhere(text: string | null): WhereClause[] {
  if (text === null || text.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--where: not valid JSON: ${JSON.stringify(text.length > 80 ? text.slice(0, 77) + "..." : text)}`);
  }
  if (!Array.isArray(parsed)) throw new UsageError("--where: expected a JSON array of {column, op, value}");
  return parsed.map((f, i) => {
    if (f === null || typeof f !== "object" || Array.isArray(f)) throw new UsageError(`--where[${i}]: expected an object {column, op, value}`);
    const o = f as Record<string, unknown>;
    if (typeof o.column !== "string") throw new UsageError(`--where[${i}]: "column" must be a string`);
    if (typeof o.op !== "string") throw new UsageError(`--where[${i}]: "op" must be a string`);
    for (const key of Object.keys(o)) if (key !== "column" && key !== "op" && key !== "value") throw new UsageError(`--where[${i}]: unknown key ${JSON.stringify(key)}`);
    return {column: o.column, op: o.op, value: o.value};
  });
}
