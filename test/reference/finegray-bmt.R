# Reference values for fineGray(): cmprsk::crr on KMsurv's bmt, on a synthetic data set with heavy ties
# (written into the fixture), under separation (catalogue R9) and for the inputs crr rejects (R10).
# Run from the project root: Rscript test/reference/finegray-bmt.R
# R 4.2.2, cmprsk 2.2-11, KMsurv. Writes test/reference/finegray-bmt.json.
suppressPackageStartupMessages({library(cmprsk); library(jsonlite)})
bmt <- read.csv("data/bmt.csv")
# KMsurv: t2 = disease-free survival time; d2 = relapse; d3 = relapse or death. Cause 1 relapse,
# cause 2 death in remission (d3 = 1 and d2 = 0), 0 censored.
bmt$event <- ifelse(bmt$d2 == 1, 1L, ifelse(bmt$d3 == 1, 2L, 0L))

# Newton steps crr takes to converge: the smallest maxiter at which crr reports convergence
# (crr's iterations for a smaller maxiter are a prefix of the same path), NA if none up to `upto`.
iterations <- function(ftime, fstatus, cov1, failcode, gtol, upto) {
  for (k in 0:upto) {
    f <- crr(ftime, fstatus, cov1, failcode = failcode, gtol = gtol, maxiter = k)
    if (f$converged) return(k)
  }
  NA
}

# gtol = 1e-10: at 1e-11 and below crr's score on bmt is at its rounding floor (|u| ~ 5e-9 with age in
# years), the step-halving search fails on rounding and crr reports converged = FALSE at the same coefficients.
fit <- function(label, ftime, fstatus, cov1, failcode, gtol = 1e-10, maxiter = 100) {
  cov1 <- as.matrix(cov1)
  f <- crr(ftime, fstatus, cov1, failcode = failcode, gtol = gtol, maxiter = maxiter)
  se <- sqrt(diag(f$var))
  list(
    label = label,
    call = sprintf("crr(ftime, fstatus, cov1 = cbind(%s), failcode = %d, gtol = %g, maxiter = %d)",
                   paste(colnames(cov1), collapse = ", "), failcode, gtol, maxiter),
    failcode = failcode, gtol = gtol, maxiter = maxiter,
    terms = I(colnames(cov1)),
    coef = unname(f$coef), se = unname(se), var = unname(f$var),
    z = unname(f$coef / se), p = unname(2 * pnorm(-abs(f$coef / se))),
    inf = unname(f$inf),
    loglik = f$loglik, loglikNull = f$loglik.null,
    converged = f$converged, n = f$n, nMissing = f$n.missing,
    events = sum(fstatus[complete.cases(cov1)] == failcode),
    iterations = if (f$converged) iterations(ftime, fstatus, cov1, failcode, gtol, maxiter) else NA,
    summary = unname(summary(f)$coef[, c("exp(coef)", "se(coef)", "z", "p-value")]),
    conf = unname(summary(f, conf.int = 0.95)$conf.int[, c("2.5%", "97.5%")])
  )
}

X <- with(bmt, cbind(age = z1, male = z3, "group=2" = as.numeric(group == 2), "group=3" = as.numeric(group == 3)))
fits <- list(
  fit("bmt relapse ~ age + male + group", bmt$t2, bmt$event, X, 1),
  fit("bmt death in remission ~ age + male + group", bmt$t2, bmt$event, X, 2),
  fit("bmt relapse ~ age (crr defaults)", bmt$t2, bmt$event, X[, "age", drop = FALSE], 1, gtol = 1e-6, maxiter = 10),
  fit("bmt relapse ~ age + male + group (crr defaults)", bmt$t2, bmt$event, X, 1, gtol = 1e-6, maxiter = 10)
)

# Heavy ties: 12 distinct times shared by failures of both causes and censorings.
set.seed(20120601)
n <- 300
ties <- data.frame(time = sample(1:12, n, replace = TRUE), event = sample(0:2, n, replace = TRUE, prob = c(.3, .4, .3)),
                   x1 = round(rnorm(n), 3), x2 = rbinom(n, 1, 0.4))
ties$x1[c(5, 17)] <- NA
fits[[length(fits) + 1]] <- fit("ties cause 1 ~ x1 + x2", ties$time, ties$event, ties[, c("x1", "x2")], 1)
fits[[length(fits) + 1]] <- fit("ties cause 2 ~ x1 + x2", ties$time, ties$event, ties[, c("x1", "x2")], 2)

# Separation (catalogue R9): every cause-1 failure has x = 1 while x = 0 subjects stay at risk.
sep <- data.frame(time = c(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 1.5, 3.5, 6.5, 9.5),
                  event = c(1, 1, 1, 1, 0, 2, 0, 0, 2, 0, 0, 0, 2, 0, 0, 1),
                  x = c(1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1))
sepDefault <- crr(sep$time, sep$event, cbind(x = sep$x), failcode = 1)
sepLong <- crr(sep$time, sep$event, cbind(x = sep$x), failcode = 1, gtol = 1e-10, maxiter = 100)
separation <- list(
  data = sep,
  default = list(call = "crr(time, event, cbind(x), failcode = 1)", coef = unname(sepDefault$coef),
                 se = unname(sqrt(diag(sepDefault$var))), converged = sepDefault$converged, loglik = sepDefault$loglik),
  long = list(call = "crr(time, event, cbind(x), failcode = 1, gtol = 1e-10, maxiter = 100)", coef = unname(sepLong$coef),
              se = unname(sqrt(diag(sepLong$var))), converged = sepLong$converged, loglik = sepLong$loglik)
)

# Failures and censorings at time 0: crr evaluates G at t(1 - 100 eps), which is G(0) (after the
# censorings at 0) for t = 0, not G(0-) = 1.
zero <- data.frame(time = c(0, 0, 0, 3, 4, 5, 5, 7), event = c(0, 2, 1, 1, 1, 0, 2, 1), x = c(0.5, 1, 0, 2, 1, 1.5, 0, 1))
zf <- crr(zero$time, zero$event, cbind(x = zero$x), failcode = 1, gtol = 1e-10, maxiter = 100)
zeroTimes <- list(data = zero, call = "crr(time, event, cbind(x), failcode = 1, gtol = 1e-10, maxiter = 100)",
                  coef = unname(zf$coef), se = unname(sqrt(diag(zf$var))), loglik = zf$loglik,
                  loglikNull = zf$loglik.null, converged = zf$converged)

err <- function(expr) tryCatch({expr; NA}, error = function(e) conditionMessage(e))
rejects <- list(
  constant = list(call = "crr(bmt$t2, bmt$event, cbind(age = z1, one = 1), failcode = 1)",
                  error = err(crr(bmt$t2, bmt$event, cbind(age = bmt$z1, one = 1), failcode = 1))),
  noEvents = list(call = "crr(bmt$t2, bmt$event, cbind(age = z1), failcode = 3)",
                  error = err(crr(bmt$t2, bmt$event, cbind(age = bmt$z1), failcode = 3)))
)

out <- list(
  meta = list(R = R.version.string, cmprsk = as.character(packageVersion("cmprsk")),
              script = "test/reference/finegray-bmt.R",
              data = "data/bmt.csv (KMsurv bmt); event = 1 relapse (d2), 2 death in remission (d3 & !d2), 0 censored; time t2"),
  fits = fits,
  ties = list(data = ties),
  separation = separation,
  zeroTimes = zeroTimes,
  rejects = rejects
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = FALSE, dataframe = "columns"), "test/reference/finegray-bmt.json")
