# Cumulative incidence edge cases (catalogue R1–R4 of bad-inputs-and-edge-cases.md §8, plus ties
# within and across causes, events at time 0, and the all-cause curve reaching 0) from cmprsk::cuminc,
# evaluated with timepoints, cross-checked with survfit(Surv(time, factor(event))), with the data
# written into the fixture. Same columns as cif-public.R.
# Regenerate from the project root:  Rscript test/reference/cif-edge.R
# Writes test/reference/cif-edge.json. R 4.2.2, survival 3.5-3, cmprsk 2.2-11, jsonlite.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})

source("test/reference/fixture-json.R")  # write_fixture(), arr(): full-precision JSON with a round-trip check

meta <- list(r = R.version.string, survival = as.character(packageVersion("survival")),
             cmprsk = as.character(packageVersion("cmprsk")), jsonlite = as.character(packageVersion("jsonlite")),
             note = paste("cuminc(time, event, group, cencode = 0); est/var at each distinct time of the group and at the requested",
                          "times via timepoints() (NA beyond the group's last follow-up); survfit(Surv(time, factor(event)) ~ group)",
                          "pstate per cause at the same times (1 - surv of the all-cause KM when there is a single cause; timefix = TRUE, no near-ties here);",
                          "lower/upper = est^exp(-/+ qnorm(0.975) * sqrt(var) / (est * log(est))), NA where est is 0 or 1"))

# `event` is 0 = censored or a cause code; `group` may be NA (one curve per cause).
run <- function(id, name, time, event, group, times) {
  source <- list(time = arr(time), event = arr(event), group = if (is.null(group)) NA else group)
  stopifnot(!anyNA(time), !anyNA(event))
  g <- if (is.null(group)) rep("all", length(time)) else as.character(group)
  fit <- cuminc(time, event, g, cencode = 0)
  fit$Tests <- NULL
  single <- length(unique(event[event != 0])) == 1  # survfit's multi-state fit needs two states: use 1 - KM
  sf <- if (single) survfit(Surv(time, event != 0) ~ g) else survfit(Surv(time, factor(event, levels = c(0, sort(unique(event[event != 0]))))) ~ g)  # level 0 must come first (censoring)
  z <- qnorm(0.975)
  ci <- function(est, var) {
    ok <- !is.na(est) & est > 0 & est < 1
    e <- ifelse(ok, z * sqrt(var) / (est * log(est)), NA)
    list(lower = ifelse(ok, est^exp(-e), NA), upper = ifelse(ok, est^exp(e), NA))
  }
  levels <- sort(unique(g))
  causes <- sort(unique(event[event != 0]))
  curves <- list()
  for (cause in causes) for (lev in levels) {
    key <- paste(lev, cause)
    one <- fit[key]
    in_g <- g == lev
    ts <- sort(unique(time[in_g]))
    tp <- timepoints(one, ts)
    at <- timepoints(one, times)
    # the multi-state fit for this group: column "cause" of pstate
    k <- match(paste0("g=", lev), names(sf$strata))
    sfi <- if (is.null(sf$strata)) sf else if (single) sf[k] else sf[k, ]
    stopifnot(isTRUE(all.equal(sfi$time, ts)))
    ci_at <- ci(as.numeric(at$est), as.numeric(at$var))
    curves[[length(curves) + 1]] <- list(
      level = if (is.null(group)) NA else lev, cause = cause, n = sum(in_g), events = sum(in_g & event == cause),
      cuminc = list(time = arr(fit[[key]]$time), est = arr(fit[[key]]$est), var = arr(fit[[key]]$var)),
      time = arr(ts), est = arr(as.numeric(tp$est)), variance = arr(as.numeric(tp$var)),
      survfit = arr(if (single) 1 - sfi$surv else as.numeric(sfi$pstate[, match(as.character(cause), sfi$states)])),
      at = list(time = arr(times), cif = arr(as.numeric(at$est)), variance = arr(as.numeric(at$var)),
                lower = arr(ci_at$lower), upper = arr(ci_at$upper)))
  }
  list(id = id, name = name, data = source, curves = curves)
}

cases <- list(
  run("R1", "no competing events: CIF = 1 - KM", c(1, 2, 2, 3, 4, 5), c(1, 0, 1, 1, 0, 1), NULL, c(0, 2, 4.5, 5, 6)),
  run("R2", "cause 1 and cause 2 tied at t = 2 (and at 5)", c(1, 2, 2, 2, 3, 4, 5, 5, 6), c(1, 1, 2, 0, 2, 0, 1, 2, 0), NULL, c(1.5, 2, 5, 6)),
  run("R4", "all events cause 1: CIF reaches 1", c(1, 2, 3, 4), c(1, 1, 1, 1), NULL, c(0.5, 2, 4)),
  run("ties", "several events of one cause at one time, two groups", c(1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 1, 1, 2, 3, 3, 4, 6, 6),
      c(1, 1, 2, 2, 2, 1, 1, 0, 1, 2, 2, 2, 1, 1, 0, 1, 2, 0), c(rep("a", 10), rep("b", 8)), c(1, 3, 5, 6)),
  run("zero", "events of both causes at time 0", c(0, 0, 1, 2, 3, 3), c(1, 2, 1, 0, 2, 1), NULL, c(0, 1, 3)),
  run("last-other", "the all-cause curve reaches 0 with an event of the other cause", c(1, 2, 3), c(1, 0, 2), NULL, c(1, 3)),
  run("last-both", "the curve reaches 0 with events of both causes at the last time", c(1, 2, 2), c(1, 1, 2), NULL, c(2)),
  run("three", "three causes, two groups, ties across causes", c(1, 2, 2, 3, 4, 4, 4, 5, 6, 7, 1, 2, 3, 3, 5, 5, 6, 8),
      c(3, 1, 2, 0, 1, 3, 2, 0, 1, 2, 2, 3, 1, 1, 0, 3, 2, 1), c(rep("g1", 10), rep("g2", 8)), c(2, 4, 8))
)
write_fixture(list(meta = meta, cases = cases), "test/reference/cif-edge.json")
