// The statistics engine's public API. Pages, the headless runner and the benchmarks import from here only.
export {SurvivalInputError} from "./errors.js";
export {prepareSurvivalInput, sortLevels, applyTimefix} from "./input.js";
export type {SurvivalData, LabelColumn, InputOptions, PreparedInput, DroppedRows} from "./input.js";
export {chiSquaredUpper, normalCdf, normalUpper, normalTwoSided, normalQuantile, normalPdf} from "./math/distributions.js";
export {logGamma, gammaP, gammaQ} from "./math/gamma.js";

// Kaplan–Meier family
export {kaplanMeier, kaplanMeierSteps, kaplanMeierPrepared} from "./kaplanMeier.js";
export type {KaplanMeierOptions, KaplanMeierFit, KaplanMeierStratum, KaplanMeierStep} from "./kaplanMeier.js";
export {confTypes, confidenceZ, survivalLimits, survivalConfidenceBands, survivalConfidenceInterval} from "./confidenceInterval.js";
export type {ConfType, ConfidenceOptions} from "./confidenceInterval.js";
export {survivalQuantile, curveQuantiles, printMedian, quantileTolerance} from "./survivalQuantile.js";
export type {SurvivalQuantiles, SurvivalQuantileStratum} from "./survivalQuantile.js";
export {summaryAt} from "./summaryAt.js";
export type {SurvivalAtTime, SurvivalSummaryAt} from "./summaryAt.js";
export {rmst} from "./rmst.js";
export type {RestrictedMean} from "./rmst.js";
export {kaplanMeierJSON} from "./kaplanMeierJSON.js";
export type {KaplanMeierJSON, KaplanMeierStratumJSON} from "./kaplanMeierJSON.js";

// Fine–Gray and time-dependent helpers
export {fineGray} from "./fineGray.js";
export type {FineGrayOptions, FineGrayResult, FineGrayTerm, FineGrayTest, RegressionCovariates} from "./fineGray.js";
export {splitAtEvent} from "./splitAtEvent.js";
export type {ColumnTable, SplitAtEventSpec, SplitAtEventResult} from "./splitAtEvent.js";
export {landmark} from "./landmark.js";
export type {LandmarkSpec, LandmarkResult} from "./landmark.js";

// Two-sample and contingency tests
export {wilcoxonRankSum, wilcoxonSignedRank} from "./wilcoxon.js";
export type {WilcoxonOptions, WilcoxonResult, WilcoxonSignedRankResult} from "./wilcoxon.js";
export {chiSquaredIndependence} from "./chiSquaredIndependence.js";
export type {ChiSquaredIndependence} from "./chiSquaredIndependence.js";
export {kruskalWallis} from "./kruskalWallis.js";
export type {KruskalWallis} from "./kruskalWallis.js";

// Log-rank, cumulative incidence, Gray's test
export {logRank, logRankPrepared} from "./logRank.js";
export type {LogRankOptions, LogRankResult, LogRankGroup, LogRankTrend} from "./logRank.js";
export {cumulativeIncidence, cumulativeIncidencePrepared} from "./cumulativeIncidence.js";
export type {CumulativeIncidenceOptions, CumulativeIncidenceResult, CumulativeIncidenceCurve, CumulativeIncidencePoint} from "./cumulativeIncidence.js";
export {grayTest, grayTestPrepared} from "./grayTest.js";
export type {GrayTestOptions, GrayTestResult, GrayTestCause} from "./grayTest.js";
export type {WilcoxonAlternative} from "./wilcoxon.js";

// Cox regression, PH test, concordance
export {designMatrix} from "./designMatrix.js";
export type {CovariateSpec, DesignMatrix, DesignMatrixOptions, DesignCovariate} from "./designMatrix.js";
export {coxPH} from "./coxPH.js";
export type {CoxOptions, CoxFit, CoxTerm, ChiSquaredTest} from "./coxPH.js";
export {coxZph} from "./coxZph.js";
export type {CoxZphOptions, CoxZphResult, CoxZphTest} from "./coxZph.js";
export {concordance} from "./concordance.js";
export type {ConcordanceResult, ConcordanceOptions} from "./concordance.js";

// Prepared cohorts (issue 7): validate and rank once at load, a row mask per filter change
export {prepareCohort, selectRows} from "./prepared.js";
export type {PreparedSurvival, PrepareCohortOptions, SurvivalSelection, RowMask, CountCells} from "./prepared.js";
export {rankValues, mergeNearTies} from "./input.js";
