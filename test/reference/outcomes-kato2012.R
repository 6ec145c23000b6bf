# Reference values for src/study/outcomes.ts (the Outcomes page) on the synthetic Kato 2012 cohort:
# overall survival and relapse-free survival (survfit, three CI types) read at horizons, their median
# with CI and restricted mean, and the cumulative incidence of each first event (cmprsk::cuminc) at the
# same horizons — on all patients and on two subgroups (age <= 9; CR at the second SCT and MAC).
# Rscript test/reference/outcomes-kato2012.R  (from the project root); R 4.2.2, survival 3.5-3, cmprsk 2.2-11.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})
d <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE)
horizons <- c(182.625, 365.25, 730.5, 1826.25)
conf_types <- c("log-log", "log", "plain")

km_block <- function(time, status, conf) {
  fit <- survfit(Surv(time, status) ~ 1, conf.type = conf)
  s <- summary(fit, times = horizons, extend = TRUE)
  tab <- survival:::survmean(fit, rmean = "none")$matrix
  rm <- lapply(horizons, function(tau) {
    m <- survival:::survmean(fit, rmean = tau)$matrix
    list(tau = tau, rmean = unname(m["rmean"]), se = unname(m["se(rmean)"]))
  })
  list(n = fit$n, events = sum(fit$n.event), lastTime = max(fit$time),
       surv = I(s$surv), stdErr = I(s$std.err), lower = I(s$lower), upper = I(s$upper), nRisk = I(s$n.risk),
       median = unname(tab["median"]), medianLower = unname(tab["0.95LCL"]), medianUpper = unname(tab["0.95UCL"]),
       rmean = rm, time = I(fit$time), stepSurv = I(fit$surv))
}

cif_block <- function(time, event) {
  ci <- cuminc(time, event, cencode = 0)
  tp <- timepoints(ci, horizons)
  causes <- sort(unique(event[event > 0]))
  out <- lapply(causes, function(k) {
    nm <- paste("1", k)
    list(cause = k, est = I(unname(tp$est[nm, ])), var = I(unname(tp$var[nm, ])))
  })
  out
}

subset_block <- function(rows, label) {
  x <- d[rows, ]
  list(
    label = label,
    n = nrow(x),
    os = setNames(lapply(conf_types, function(ct) km_block(x$os_days, x$os_status, ct)), conf_types),
    rfs = setNames(lapply(conf_types, function(ct) km_block(x$event_days, as.integer(x$event > 0), ct)), conf_types),
    cif = cif_block(x$event_days, x$event)
  )
}

out <- list(
  meta = list(
    R = R.version.string, survival = as.character(packageVersion("survival")), cmprsk = as.character(packageVersion("cmprsk")),
    script = "outcomes-kato2012.R", data = "data/kato2012-synthetic.csv",
    calls = c("summary(survfit(Surv(os_days, os_status) ~ 1, conf.type = ct), times = horizons, extend = TRUE)",
              "survival:::survmean(fit, rmean = tau)$matrix (print(fit, rmean = tau)); median and CI from survmean(fit, rmean = 'none')",
              "survfit(Surv(event_days, event > 0) ~ 1, conf.type = ct)  (relapse-free survival)",
              "timepoints(cuminc(event_days, event, cencode = 0), horizons)"),
    regenerate = "Rscript test/reference/outcomes-kato2012.R  (from the project root)"
  ),
  horizons = I(horizons),
  subsets = list(
    subset_block(rep(TRUE, nrow(d)), "all"),
    subset_block(!is.na(d$age) & d$age <= 9, "age <= 9"),
    subset_block(d$status_sct2 == "CR" & d$conditioning == "MAC", "CR and MAC")
  )
)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = FALSE, na = "null"), "test/reference/outcomes-kato2012.json")
