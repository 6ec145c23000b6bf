// The statistics engine's public API. Pages, the headless runner and the benchmarks import from here only.
export {SurvivalInputError} from "./errors.js";
export {prepareSurvivalInput, sortLevels, applyTimefix} from "./input.js";
export type {SurvivalData, LabelColumn, InputOptions, PreparedInput, DroppedRows} from "./input.js";
export {chiSquaredUpper, normalCdf, normalUpper, normalTwoSided, normalQuantile, normalPdf} from "./math/distributions.js";
export {logGamma, gammaP, gammaQ} from "./math/gamma.js";
