/**
 * An input the engine cannot use. The message is one line naming the field, the row (1-based, in the
 * caller's order) and the offending value, e.g. `time at row 17: -3 (time must be ≥ 0)`.
 */
export class SurvivalInputError extends Error {
  readonly field: string;
  readonly row: number | null;
  readonly value: unknown;
  constructor(field: string, row: number | null, value: unknown, reason: string) {
    const where = row === null ? field : `${field} at row ${row}`;
    super(value === undefined ? `${where}: ${reason}` : `${where}: ${formatValue(value)} (${reason})`);
    this.name = "SurvivalInputError";
    this.field = field;
    this.row = row;
    this.value = value;
  }
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
