# Log-rank edge cases (catalogue L1–L9 of bad-inputs-and-edge-cases.md §8) from survival::survdiff,
# with the data written into the fixture so the test uses exactly the same rows.
# Regenerate from the project root:  Rscript test/reference/logrank-edge.R
# Writes test/reference/logrank-edge.json. R 4.2.2, survival 3.5-3, jsonlite.
suppressPackageStartupMessages({library(survival); library(jsonlite)})

source("test/reference/fixture-json.R")  # write_fixture(), arr(): full-precision JSON with a round-trip check

meta <- list(r = R.version.string, survival = as.character(packageVersion("survival")),
             jsonlite = as.character(packageVersion("jsonlite")),
             note = "survdiff(Surv(time, status) ~ group, rho) with timefix = TRUE (default); p = pchisq(chisq, df, lower.tail = FALSE); NA/NaN written as null")

run <- function(id, name, time, status, group, rho = 0, levels = NULL) {
  g <- if (is.null(levels)) group else factor(group, levels = levels)
  res <- tryCatch({
    fit <- suppressWarnings(survdiff(Surv(time, status) ~ g, rho = rho))
    df <- sum(fit$exp > 0) - 1
    list(levels = sub("^g=", "", names(fit$n)), n = arr(as.numeric(fit$n)), observed = arr(fit$obs), expected = arr(fit$exp),
         variance = unname(fit$var), chisq = fit$chisq, df = df,
         p = suppressWarnings(pchisq(fit$chisq, df, lower.tail = FALSE)), error = NA)
  }, error = function(e) list(error = conditionMessage(e)))
  c(list(id = id, name = name, rho = rho,
         data = list(time = arr(time), status = arr(status), group = group)), res)
}

aml_t <- survival::aml$time; aml_s <- survival::aml$status; aml_g <- as.character(survival::aml$x)
cases <- list(
  run("L1", "one group only", c(1, 2, 3, 4), c(1, 1, 0, 1), c("a", "a", "a", "a")),
  run("L2", "identical groups", c(1, 2, 3, 4, 1, 2, 3, 4), c(1, 0, 1, 1, 1, 0, 1, 1), rep(c("a", "b"), each = 4)),
  run("L3", "aml plus an all-censored Dummy group censored before the first death",
      c(aml_t, 1, 2, 3), c(aml_s, 0, 0, 0), c(aml_g, "Dummy", "Dummy", "Dummy")),
  run("L3b", "aml plus an all-censored Dummy group still at risk (expected > 0, observed 0)",
      c(aml_t, 50, 60, 200), c(aml_s, 0, 0, 0), c(aml_g, "Dummy", "Dummy", "Dummy")),
  run("L4", "no events at all", c(1, 2, 3, 4), c(0, 0, 0, 0), c("a", "a", "b", "b")),
  run("L5", "a group with a single subject", c(1, 2, 3, 4, 5, 6, 7, 2.5), c(1, 1, 0, 1, 1, 0, 1, 1), c(rep("a", 7), "b")),
  run("L6", "NA in the group variable (row dropped)", c(1, 2, 3, 4, 5, 6), c(1, 1, 1, 1, 0, 1), c("a", "b", NA, "a", "b", "b")),
  run("L7", "aml, rho = 1 (Peto–Peto)", aml_t, aml_s, aml_g, rho = 1),
  run("L8", "complete separation", c(1, 2, 3, 4, 5, 6), c(1, 1, 1, 1, 1, 1), c("a", "a", "a", "b", "b", "b")),
  run("L9", "empty factor level c is ignored", c(1, 2, 3, 4, 5, 6), c(1, 0, 1, 1, 1, 0), c("a", "b", "a", "b", "a", "b"), levels = c("a", "b", "c")),
  run("ties", "events and censorings tied across groups, three groups", c(2, 2, 2, 3, 3, 5, 5, 5, 8, 8, 1, 9),
      c(1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0), c("x", "y", "z", "x", "y", "z", "x", "y", "z", "x", "y", "z")),
  run("one-at-risk", "last death with one subject at risk (no variance term)", c(1, 2, 3, 4, 10), c(1, 1, 0, 1, 1), c("a", "b", "a", "b", "a"))
)
write_fixture(list(meta = meta, cases = cases), "test/reference/logrank-edge.json")
