# Reference values for the Relapse timing page's study function (src/study/relapseTiming.ts) on the
# committed synthetic cohort data/kato2012-synthetic.csv, for all patients and for two subgroups:
# quantile(type 7) of days from the first SCT to relapse (interval_days) and from the second SCT to
# relapse (event_days where event == 1); wilcox.test(exact = FALSE, correct = TRUE) of the two; the paired
# differences among relapsers and their signed-rank test (paired = TRUE); the share relapsed by fixed days after the first SCT (ecdf of
# interval_days) and the cumulative incidence of relapse after the second SCT (cmprsk::cuminc,
# timepoints).
# Run from the project root: Rscript test/reference/study-relapse-timing.R → test/reference/study-relapse-timing.json
# R 4.2.2, cmprsk 2.2-11, jsonlite.
suppressPackageStartupMessages({library(cmprsk); library(jsonlite)})
d <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE)
times <- c(90, 117, 164, 182.625, 365.25, 730.5)
q <- function(x) unname(quantile(x, c(0.25, 0.5, 0.75), type = 7))
one <- function(label, s) {
  first <- s$interval_days
  second <- s$event_days[s$event == 1]
  w <- wilcox.test(second, first, exact = FALSE, correct = TRUE)
  diff <- s$event_days[s$event == 1] - s$interval_days[s$event == 1]
  wp <- wilcox.test(s$event_days[s$event == 1], s$interval_days[s$event == 1], paired = TRUE, exact = FALSE, correct = TRUE)
  ci <- cuminc(s$event_days, s$event, cencode = 0)
  tp <- timepoints(ci, times)
  list(label = label, n = nrow(s),
       first = list(n = length(first), quartiles = q(first)),
       second = list(n = length(second), quartiles = q(second)),
       wilcoxon = list(statistic = unname(w$statistic), p = w$p.value),
       paired = list(n = length(diff), sooner = sum(diff < 0), later = sum(diff > 0), quartiles = q(diff),
                     statistic = unname(wp$statistic), p = wp$p.value),
       times = times, ecdfFirst = ecdf(first)(times), cifRelapse = unname(tp$est["1 1", ]),
       outcomes = list(relapse = sum(s$event == 1), nrm = sum(s$event == 2), refractory = sum(s$event == 3), censored = sum(s$event == 0)))
}
out <- list(
  meta = list(script = "test/reference/study-relapse-timing.R", data = "data/kato2012-synthetic.csv",
              R = R.version.string, cmprsk = as.character(packageVersion("cmprsk")),
              calls = c("quantile(x, c(0.25, 0.5, 0.75), type = 7)",
                        "wilcox.test(event_days[event == 1], interval_days, exact = FALSE, correct = TRUE)",
                        "wilcox.test(event_days[event == 1], interval_days[event == 1], paired = TRUE, exact = FALSE, correct = TRUE)",
                        "ecdf(interval_days)(times)", "timepoints(cuminc(event_days, event, cencode = 0), times)$est['1 1', ]")),
  cases = list(one("all patients", d),
               one("age <= 9", d[d$age <= 9, ]),
               one("conditioning == RIC", d[d$conditioning == "RIC", ]))
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "test/reference/study-relapse-timing.json")
cat("wrote test/reference/study-relapse-timing.json\n")
