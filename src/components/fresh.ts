/**
 * An invisible node to display first in a cell whose other output is conditional.
 *
 * Framework clears a cell's previous output only when the re-run displays something. A cell such as
 * `if (result) display(plot)` would therefore keep the plot of the previous filter state when the new
 * state has no result — a stale figure beside fresh numbers. Calling `display(fresh())` first makes
 * every run replace the cell's output.
 */
export function fresh(): Comment {
  return document.createComment("cell output refreshed");
}
