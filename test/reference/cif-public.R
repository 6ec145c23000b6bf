# Cumulative incidence (Aalen–Johansen) reference values from cmprsk::cuminc (estimate and Gray's
# delta-method variance), evaluated with cmprsk::timepoints, cross-checked with the multi-state
# survival::survfit(Surv(time, factor(event)) ~ group), and the log(−log) confidence limits
# est^exp(±z·sqrt(var)/(est·log(est))) computed from cuminc's est and var.
# Regenerate from the project root:  Rscript test/reference/cif-public.R
# Writes test/reference/cif-public.json. R 4.2.2, survival 3.5-3, cmprsk 2.2-11, jsonlite.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})

source("test/reference/fixture-json.R")  # write_fixture(), arr(): full-precision JSON with a round-trip check

meta <- list(r = R.version.string, survival = as.character(packageVersion("survival")),
             cmprsk = as.character(packageVersion("cmprsk")), jsonlite = as.character(packageVersion("jsonlite")),
             note = paste("cuminc(time, event, group, cencode = 0); est/var at each distinct time of the group and at the requested",
                          "times via timepoints() (NA beyond the group's last follow-up); survfit(Surv(time, factor(event)) ~ group)",
                          "pstate per cause at the same times (1 - surv of the all-cause KM when there is a single cause; timefix = TRUE, no near-ties here);",
                          "lower/upper = est^exp(-/+ qnorm(0.975) * sqrt(var) / (est * log(est))), NA where est is 0 or 1"))

# `event` is 0 = censored or a cause code; `group` may be NA (one curve per cause).
run <- function(name, source, time, event, group, times) {
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
  list(name = name, source = source, curves = curves)
}

m <- read.csv("test/data/mgus2.csv", stringsAsFactors = FALSE)
b <- read.csv("data/bmt.csv")
# KMsurv bmt: t2 = disease-free survival time (days); d2 = relapsed; d1 = dead.
# Cause 1 = relapse (d2 == 1), cause 2 = death in remission (d2 == 0 & d1 == 1), else censored.
b$cause <- ifelse(b$d2 == 1, 1, ifelse(b$d1 == 1, 2, 0))
mt <- c(0, 1, 12, 60, 120, 240, 400, 424, 425, 1000)
bt <- c(0, 1, 100, 365, 730, 1000, 2000, 2640, 3000)
cases <- list(
  run("mgus2 PCM (1) vs death (2) by sex", list(file = "test/data/mgus2.csv", time = "etime", event = "event", group = "sex"),
      m$etime, m$event, m$sex, mt),
  run("mgus2 PCM (1) vs death (2), one group", list(file = "test/data/mgus2.csv", time = "etime", event = "event", group = NA),
      m$etime, m$event, NULL, mt),
  run("bmt relapse (1) vs death in remission (2) by group", list(file = "data/bmt.csv", time = "t2", event = "cause", group = "group"),
      b$t2, b$cause, b$group, bt),
  run("bmt relapse (1) vs death in remission (2) by FAB (z8)", list(file = "data/bmt.csv", time = "t2", event = "cause", group = "z8"),
      b$t2, b$cause, b$z8, bt)
)
write_fixture(list(meta = meta, cases = cases), "test/reference/cif-public.json")
