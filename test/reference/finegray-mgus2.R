# Reference values for fineGray() on survival's mgus2 (catalogue R11): cmprsk::crr for progression to
# plasma-cell malignancy (cause 1) and death without it (cause 2), by age and sex, and with hgb (11 NA).
# Run from the project root: Rscript test/reference/finegray-mgus2.R
# R 4.2.2, cmprsk 2.2-11. Writes test/reference/finegray-mgus2.json.
suppressPackageStartupMessages({library(cmprsk); library(jsonlite)})
m <- read.csv("test/data/mgus2.csv")   # etime, event (0 censored, 1 PCM, 2 death), see export-datasets.R
# gtol = 1e-8: tighter, crr's score with age in years sits at its rounding floor and the step-halving
# search fails on rounding (converged = FALSE at the same coefficients).
fit <- function(label, cov1, failcode, gtol = 1e-8, maxiter = 100) {
  f <- crr(m$etime, m$event, cov1, failcode = failcode, gtol = gtol, maxiter = maxiter)
  se <- sqrt(diag(f$var))
  list(label = label,
       call = sprintf("crr(etime, event, cbind(%s), failcode = %d, gtol = %g, maxiter = %d)",
                      paste(colnames(cov1), collapse = ", "), failcode, gtol, maxiter),
       failcode = failcode, gtol = gtol, maxiter = maxiter, terms = I(colnames(cov1)),
       coef = unname(f$coef), se = unname(se), var = unname(f$var), z = unname(f$coef / se),
       p = unname(2 * pnorm(-abs(f$coef / se))), inf = unname(f$inf),
       loglik = f$loglik, loglikNull = f$loglik.null, converged = f$converged, n = f$n, nMissing = f$n.missing,
       events = sum(m$event[complete.cases(cov1)] == failcode))
}
X <- cbind(age = m$age, "sex=M" = as.numeric(m$sex == "M"))
X3 <- cbind(X, hgb = m$hgb)
out <- list(
  meta = list(R = R.version.string, cmprsk = as.character(packageVersion("cmprsk")),
              script = "test/reference/finegray-mgus2.R", data = "test/data/mgus2.csv (survival::mgus2 with etime, event)"),
  fits = list(fit("mgus2 PCM ~ age + sex", X, 1), fit("mgus2 death ~ age + sex", X, 2),
              fit("mgus2 PCM ~ age + sex + hgb", X3, 1), fit("mgus2 PCM ~ age + sex (crr defaults)", X, 1, 1e-6, 10))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = FALSE, dataframe = "columns"), "test/reference/finegray-mgus2.json")
