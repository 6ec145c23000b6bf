# Reference values for the number-at-risk table: the counts survival's summary.survfit gives at
# chosen times, next to the step data (one row per distinct time) the components read them from.
# Run from the project root: Rscript test/components/reference/risktable.R
# R 4.2.2, survival 3.5-3. Writes test/components/reference/risktable.json.
suppressPackageStartupMessages({library(survival); library(jsonlite)})

one <- function(data, formula, times) {
  fit <- survfit(formula, data = data)
  strata <- if (is.null(fit$strata)) rep("all", length(fit$time)) else rep(names(fit$strata), fit$strata)
  s <- summary(fit, times = times, extend = TRUE)
  sstrata <- if (is.null(s$strata)) rep("all", length(s$time)) else as.character(s$strata)
  lapply(unique(strata), function(k) {
    i <- strata == k
    j <- sstrata == k
    list(
      stratum = k,
      time = fit$time[i], n_risk = fit$n.risk[i], n_event = fit$n.event[i], n_censor = fit$n.censor[i],
      surv = fit$surv[i],
      ticks = s$time[j],
      # number at risk at each tick, and events/censorings cumulated up to each tick
      tick_n_risk = s$n.risk[j], tick_cum_event = cumsum(s$n.event[j]), tick_cum_censor = cumsum(s$n.censor[j])
    )
  })
}

aml <- read.csv("test/data/aml.csv")
lung <- read.csv("test/data/lung.csv")
out <- list(
  meta = list(R = R.version.string, survival = as.character(packageVersion("survival")),
              calls = c("summary(survfit(Surv(time, status) ~ x, data = aml), times = c(0, 5, 10, 13, 20, 30, 40, 45, 50, 60, 161, 200), extend = TRUE)",
                        "summary(survfit(Surv(time, event) ~ sex, data = lung), times = seq(0, 1100, by = 100), extend = TRUE)")),
  aml = one(aml, Surv(time, status) ~ x, c(0, 5, 10, 13, 20, 30, 40, 45, 50, 60, 161, 200)),
  lung = one(lung, Surv(time, event) ~ sex, seq(0, 1100, by = 100))
)
write_json(out, "test/components/reference/risktable.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
