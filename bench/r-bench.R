# R side of `npm run bench`: times the same five operations as bench/engine.ts on the same CSV,
# with R 4.2 / survival / cmprsk.
# Usage: Rscript bench/r-bench.R FILE [runs = 3] [crr_max = 20000] [budget_s = 60]
# Prints one JSON line of median elapsed (wall) seconds, then median CPU seconds (user + system):
#   {"km":s,"km_strata_logrank":s,"cox_efron_5cov":s,"cuminc_gray":s,"crr_finegray":s|null,
#    "cpu":{"km":s,...},"runs":{"km":k,...},"n":n,"r":"R version ... | survival ... | cmprsk ..."}
# Columns: time, event (0/1/2), os_time, os_status, age, late, cr, mac, donor, agvhd.
# Reading the CSV and computing age > 9 are outside the timing (as in bench/engine.ts). Each operation
# is first run once on the first 500 rows (loads and byte-compiles the code without costing a full
# run), then timed `runs` times on all rows; an operation stops early (at least one timed run) when its
# timed runs have taken more than budget_s seconds in total — `runs` says how many were made.
# A timed run shorter than 50 ms (system.time's resolution is 1 ms) repeats the call 4, 16, ... times
# until it lasts at least 50 ms and reports the time per call.
# crr is skipped (null) above crr_max patients: it is O(n^2) in time and memory.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
runs <- if (length(args) >= 2) as.integer(args[2]) else 3L
crr_max <- if (length(args) >= 3) as.numeric(args[3]) else 20000
budget <- if (length(args) >= 4) as.numeric(args[4]) else 60
d <- read.csv(file)
d$donor <- factor(d$donor)
d$age9 <- as.integer(d$age > 9)
n <- nrow(d)
small <- d[seq_len(min(n, 500L)), ]

ops <- list(
  km = function(d) survfit(Surv(os_time, os_status) ~ 1, data = d, conf.type = "log-log"),
  km_strata_logrank = function(d) {
    list(survfit(Surv(os_time, os_status) ~ late, data = d, conf.type = "log-log"),
         survdiff(Surv(os_time, os_status) ~ late, data = d))
  },
  cox_efron_5cov = function(d) coxph(Surv(os_time, os_status) ~ age9 + late + cr + mac + donor, data = d, ties = "efron"),
  cuminc_gray = function(d) cuminc(d$time, d$event, group = d$late, cencode = 0),
  crr_finegray = function(d) crr(d$time, d$event, cov1 = cbind(age9 = d$age9, late = d$late, cr = d$cr), failcode = 1, cencode = 0)
)

# Elapsed and CPU seconds of one call of f(d), repeating short calls for resolution.
time1 <- function(f) {
  k <- 1L
  repeat {
    st <- system.time(for (j in seq_len(k)) f(d))
    if (st[["elapsed"]] >= 0.05 || k >= 4096L) {
      return(c(elapsed = st[["elapsed"]] / k, cpu = (st[["user.self"]] + st[["sys.self"]]) / k))
    }
    k <- k * 4L
  }
}

out <- list()
cpu <- list()
used <- list()
for (op in names(ops)) {
  f <- ops[[op]]
  if (op == "crr_finegray" && n > crr_max) { out[op] <- list(NULL); cpu[op] <- list(NULL); used[[op]] <- 0L; next }
  invisible(f(small))
  t <- numeric(0)
  u <- numeric(0)
  for (i in seq_len(runs)) {
    x <- time1(f)
    t <- c(t, x[["elapsed"]])
    u <- c(u, x[["cpu"]])
    if (sum(t) > budget) break
  }
  out[[op]] <- median(t)
  cpu[[op]] <- median(u)
  used[[op]] <- length(t)
}
out$cpu <- cpu
out$runs <- used
out$n <- n
out$r <- paste(R.version.string, "| survival", format(packageVersion("survival")), "| cmprsk", format(packageVersion("cmprsk")))
cat(toJSON(out, auto_unbox = TRUE, null = "null", digits = NA), "\n")
