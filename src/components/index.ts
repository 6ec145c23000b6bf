// One import point for pages that use several components:
//   import {survivalPlot, forestPlot, formatP} from "./components/index.js";
export {survivalPlot, cumulativeIncidencePlot, redrawCurves, showSurvivalPlot, type CurvePlotOptions} from "./survivalPlot.js";
export type {SurvivalCurve, IncidenceCurve, AtRiskCounts, RiskRow} from "./curves.js";
export {PALETTE, curvesCsvRows, CURVE_CSV_COLUMNS} from "./curves.js";
export {stackedOutcomePlot, type StackedOutcomes, type OutcomeState, type StackedOutcomeOptions} from "./stackedOutcomePlot.js";
export {forestPlot, forestModel, type ForestRow, type ForestPlotOptions} from "./forestPlot.js";
export {dataTable, cohortTable, type DataTableOptions, type CohortTableData, type CohortRow, type CohortCell, type CohortTableOptions} from "./table.js";
export {message, selectionMessage, type SelectionSummary, type SelectionNeeds} from "./message.js";
export {downloadButtons, exportSvg, exportPng, exportCsv, exportJson, compositeSvg, svgText, pngBlob, downloadBlob} from "./exports.js";
export {toCsv, toJson, safeFilename, neutralizeFormula, type CsvColumn} from "./serialize.js";
export {
  MISSING,
  TIME_UNITS,
  DAYS_PER,
  type TimeUnit,
  formatP,
  formatPercent,
  formatPercentSE,
  formatCI,
  formatHR,
  formatRatio,
  formatDays,
  formatNumber,
  formatCount
} from "./format.js";
export {timeTicks, convertTime} from "./layout.js";
