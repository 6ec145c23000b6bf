# Pointwise confidence limits for a survival probability, for test/survival/confidenceInterval.test.ts.
# Run from the project root: Rscript test/reference/km-confint.R  (writes km-confint.json)
# R 4.2.2, survival 3.5-3: survival:::survfit_confint(p, se, logse = TRUE, conf.type, conf.int),
# the function survfit uses for $lower/$upper (se = fit$std.err, the SE of -log S).
source("test/reference/km-common.R")
grid <- expand.grid(p = c(0, 1e-8, 0.05, 0.2, 0.4, 0.5, 0.75, 0.9, 0.999999, 1), se = c(0, 1e-6, 0.05, 0.3, 1, 4, Inf))
rows <- list()
for (ct in c("log", "log-log", "plain")) for (lev in c(0.5, 0.8, 0.9, 0.95, 0.99, 0.999)) {
  ci <- survival:::survfit_confint(grid$p, grid$se, logse = TRUE, conf.type = ct, conf.int = lev)
  rows[[length(rows) + 1]] <- list(confType = ct, confLevel = lev, surv = I(grid$p),
                                   stdErrLog = I(ifelse(is.finite(grid$se), grid$se, NA)), seInfinite = I(!is.finite(grid$se)),
                                   lower = I(ci$lower), upper = I(ci$upper))
}
out <- list(meta = c(km_meta("km-confint.R"), list(call = "survival:::survfit_confint(p, se, logse = TRUE, conf.type, conf.int)")),
            cases = rows)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null"), "test/reference/km-confint.json")
cat("wrote test/reference/km-confint.json\n")
