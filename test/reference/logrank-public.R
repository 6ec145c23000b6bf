# Log-rank / G-rho reference values from survival::survdiff on public data sets, plus the trend test
# for ordered groups computed from survdiff's own observed, expected and variance.
# Regenerate from the project root:  Rscript test/reference/logrank-public.R
# Writes test/reference/logrank-public.json. R 4.2.2, survival 3.5-3, jsonlite.
suppressPackageStartupMessages({library(survival); library(jsonlite)})

source("test/reference/fixture-json.R")  # write_fixture(), arr(): full-precision JSON with a round-trip check

meta <- list(r = R.version.string, survival = as.character(packageVersion("survival")),
             jsonlite = as.character(packageVersion("jsonlite")),
             note = paste("survdiff(..., timefix = TRUE); obs/exp summed over strata; p = pchisq(chisq, df, lower.tail = FALSE);",
                          "trend chisq = (sum(s * (O - E)))^2 / (t(s) %*% var %*% s) on 1 df, from survdiff's obs/exp/var"))

# One case: `source` tells the test which CSV columns to use; `cause` (if any) means event == cause
# is the event and other causes are censored; otherwise any event > 0 is the event.
run <- function(name, file, time, event, group, strata = NA, rho = 0, cause = NA, scores = NULL) {
  d <- read.csv(file, stringsAsFactors = FALSE)
  d$.time <- d[[time]]
  d$.status <- if (is.na(cause)) as.integer(d[[event]] > 0) else as.integer(d[[event]] == cause)
  d$.group <- d[[group]]
  f <- if (is.na(strata)) Surv(.time, .status) ~ .group else {
    d$.strata <- d[[strata]]
    Surv(.time, .status) ~ .group + strata(.strata)
  }
  fit <- survdiff(f, data = d, rho = rho)  # timefix = TRUE is the default (passing it explicitly breaks model.frame in 3.5-3)
  O <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  E <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  df <- sum(E > 0) - 1
  levels <- sub("^\\.group=", "", names(fit$n))
  s <- if (is.null(scores)) seq_along(O) else scores
  num <- sum(s * (O - E))
  den <- as.numeric(t(s) %*% fit$var %*% s)
  tchisq <- num^2 / den
  list(name = name,
       call = sprintf("survdiff(Surv(%s, %s) ~ %s%s, rho = %g)", time,
                      if (is.na(cause)) paste(event, "> 0") else paste(event, "==", cause), group,
                      if (is.na(strata)) "" else sprintf(" + strata(%s)", strata), rho),
       source = list(file = file, time = time, event = event, group = group, strata = strata, cause = cause),
       rho = rho,
       levels = levels, n = arr(as.numeric(fit$n)), observed = arr(as.numeric(O)), expected = arr(as.numeric(E)),
       variance = unname(fit$var), chisq = fit$chisq, df = df,
       p = pchisq(fit$chisq, df, lower.tail = FALSE),
       trend = list(scores = arr(s), chisq = tchisq, df = 1, p = pchisq(tchisq, 1, lower.tail = FALSE)))
}

cases <- list(
  run("aml", "test/data/aml.csv", "time", "status", "x"),
  run("aml rho=1 (catalogue L7)", "test/data/aml.csv", "time", "status", "x", rho = 1),
  run("lung by sex", "test/data/lung.csv", "time", "event", "sex"),
  run("lung by sex, rho=1", "test/data/lung.csv", "time", "event", "sex", rho = 1),
  run("lung by sex + strata(ph.ecog)", "test/data/lung.csv", "time", "event", "sex", strata = "ph.ecog"),
  run("lung by sex + strata(ph.ecog), rho=1", "test/data/lung.csv", "time", "event", "sex", strata = "ph.ecog", rho = 1),
  run("lung by ph.ecog (k=4, singleton level 3), scores 0..3", "test/data/lung.csv", "time", "event", "ph.ecog", scores = c(0, 1, 2, 3)),
  run("lung by ph.ecog + strata(sex), scores 0..3", "test/data/lung.csv", "time", "event", "ph.ecog", strata = "sex", scores = c(0, 1, 2, 3)),
  run("veteran by celltype (k=4)", "test/data/veteran.csv", "time", "status", "celltype"),
  run("veteran by celltype, rho=1", "test/data/veteran.csv", "time", "status", "celltype", rho = 1),
  run("veteran by celltype + strata(trt)", "test/data/veteran.csv", "time", "status", "celltype", strata = "trt"),
  run("veteran by celltype + strata(trt), rho=0.5, scores 1,2,4,8", "test/data/veteran.csv", "time", "status", "celltype", strata = "trt", rho = 0.5, scores = c(1, 2, 4, 8)),
  run("mgus2 any event by sex", "test/data/mgus2.csv", "etime", "event", "sex"),
  run("mgus2 cause 1 (PCM) by sex, deaths censored", "test/data/mgus2.csv", "etime", "event", "sex", cause = 1),
  run("mgus2 cause 2 (death) by sex + strata(dxyr)", "test/data/mgus2.csv", "etime", "event", "sex", strata = "dxyr", cause = 2),
  run("bmt (t2, d3) by group (k=3)", "data/bmt.csv", "t2", "d3", "group")
)
write_fixture(list(meta = meta, cases = cases), "test/reference/logrank-public.json")
