# R side of `npm run bench`: times the same five operations as bench/engine.ts on the same CSV,
# with R 4.2 / survival / cmprsk. Usage: Rscript bench/r-bench.R FILE [runs] [skip_crr_above]
# Prints one JSON object of median seconds: {"km":s,"km_strata_logrank":s,"cox_efron_5cov":s,
# "cuminc_gray":s,"crr_finegray":s|null}. Columns: time, event (0/1/2), os_time, os_status, age,
# late, cr, mac, donor, agvhd.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
runs <- if (length(args) >= 2) as.integer(args[2]) else 3L
crr_max <- if (length(args) >= 3) as.numeric(args[3]) else 20000
d <- read.csv(file)
d$donor <- factor(d$donor)
d$age9 <- as.integer(d$age > 9)
n <- nrow(d)
timeit <- function(f) {
  t <- numeric(runs)
  for (i in seq_len(runs)) t[i] <- system.time(f())[["elapsed"]]
  median(t)
}
out <- list(
  km = timeit(function() survfit(Surv(os_time, os_status) ~ 1, data = d, conf.type = "log-log")),
  km_strata_logrank = timeit(function() {
    survfit(Surv(os_time, os_status) ~ late, data = d, conf.type = "log-log")
    survdiff(Surv(os_time, os_status) ~ late, data = d)
  }),
  cox_efron_5cov = timeit(function() coxph(Surv(os_time, os_status) ~ age9 + late + cr + mac + donor, data = d, ties = "efron")),
  cuminc_gray = timeit(function() cuminc(d$time, d$event, group = d$late, cencode = 0)),
  crr_finegray = if (n <= crr_max) timeit(function() crr(d$time, d$event, cov1 = cbind(d$age9, d$late, d$cr), failcode = 1, cencode = 0)) else NULL
)
cat(toJSON(out, auto_unbox = TRUE, null = "null", digits = NA), "\n")
