# R cross-check of the synthetic Kato 2012 cohort's calibration (data/kato2012-synthetic.csv).
#
#   Rscript test/reference/calibration-kato2012.R
#       computes every calibration figure for the committed file with survival and cmprsk and writes
#       test/reference/calibration-kato2012.json (the engine's numbers are compared with it in
#       test/synthetic/calibration.test.ts);
#   Rscript test/reference/calibration-kato2012.R --search FILE.csv
#       development aid: FILE.csv holds many cohorts with a leading `seed` column; prints, per seed,
#       which acceptance criteria pass (the FINAL acceptance is computed by the project's engine:
#       npm run calibration; the rule is the same as in src/synthetic/calibration.ts).
#
# Definitions (kept identical in scripts/calibration.ts):
#   2 years = 730.5 days. OS: Kaplan-Meier of (os_days, os_status). CIR / NRM / refractory:
#   cmprsk::cuminc(event_days, event, cencode = 0) at 730.5 d, refractory (3) its own competing event.
#   Factors (worse level = 1): age > 9, early relapse (interval_days < 180), non-CR at SCT2, RIC,
#   unrelated donor at SCT2, aGVHD II-IV as a time-dependent covariate (0 before agvhd_days, 1 after).
#   Univariate: survdiff log-rank of OS by each of the four Kato factors.
#   Multivariable: coxph(Surv(start, stop, os_status) ~ age_gt9 + early + noncr + ric + unrelated + agvhd)
#   on (start, stop] rows split at aGVHD onset, Efron ties.
#   117 vs 164 days: wilcox.test(event_days[event == 1], interval_days, exact = FALSE, correct = TRUE).
# R 4.2.2, survival 3.5-3, cmprsk 2.2-11, jsonlite.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})

horizon <- 730.5

split_agvhd <- function(d) {
  has <- !is.na(d$agvhd_days)
  base <- data.frame(id = d$id, start = 0, stop = ifelse(has, d$agvhd_days, d$os_days),
                     status = ifelse(has, 0L, d$os_status), agvhd = 0L)
  after <- data.frame(id = d$id[has], start = d$agvhd_days[has], stop = d$os_days[has],
                      status = d$os_status[has], agvhd = 1L)
  s <- rbind(base, after)
  cov <- d[match(s$id, d$id), c("age_gt9", "early", "noncr", "ric", "unrelated")]
  cbind(s, cov)
}

evaluate <- function(d) {
  d$age_gt9 <- as.integer(d$age > 9)
  d$early <- as.integer(d$interval_days < 180)
  d$noncr <- as.integer(d$status_sct2 == "non-CR")
  d$ric <- as.integer(d$conditioning == "RIC")
  d$unrelated <- as.integer(d$donor_sct2 == "unrelated")
  km <- summary(survfit(Surv(os_days, os_status) ~ 1, data = d), times = horizon, extend = TRUE)
  ci <- cuminc(d$event_days, d$event, cencode = 0)
  tp <- timepoints(ci, horizon)
  get <- function(cause) {
    row <- paste("1", cause)
    if (!row %in% rownames(tp$est)) return(list(est = 0, se = 0))
    list(est = unname(tp$est[row, 1]), se = sqrt(unname(tp$var[row, 1])))
  }
  relapse <- d$event_days[d$event == 1]
  w <- wilcox.test(relapse, d$interval_days, exact = FALSE, correct = TRUE)
  lr <- function(var) {
    sd <- survdiff(Surv(os_days, os_status) ~ d[[var]], data = d)
    # favourable level is 0 (the better level): observed < expected there
    list(chisq = unname(sd$chisq), p = pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE),
         observed = unname(sd$obs), expected = unname(sd$exp),
         favourable = unname(sd$obs[1] < sd$exp[1]))
  }
  s <- split_agvhd(d)
  cox <- coxph(Surv(start, stop, status) ~ age_gt9 + early + noncr + ric + unrelated + agvhd, data = s,
               ties = "efron", control = coxph.control(eps = 1e-12, iter.max = 100))
  cs <- summary(cox)$coefficients
  list(
    n = nrow(d),
    os2 = list(est = km$surv, se = km$std.err),
    cir2 = get(1), nrm2 = get(2), ref2 = get(3),
    relapse = list(n = length(relapse), median = median(relapse)),
    interval = list(n = nrow(d), median = median(d$interval_days)),
    wilcoxon = list(statistic = unname(w$statistic), p = w$p.value),
    logrank = list(age_gt9 = lr("age_gt9"), early = lr("early"), noncr = lr("noncr"), ric = lr("ric")),
    cox = list(terms = rownames(cs), coef = unname(cs[, "coef"]), se = unname(cs[, "se(coef)"]),
               p = unname(cs[, "Pr(>|z|)"]), loglik = unname(cox$loglik), nRows = nrow(s))
  )
}

accept <- function(m) {
  lp <- sapply(m$logrank, function(x) x$p < 0.05 && x$favourable)
  cp <- setNames(m$cox$p, m$cox$terms); cb <- setNames(m$cox$coef, m$cox$terms)
  c(os = abs(m$os2$est - 0.294) <= 0.037,
    cir = abs(m$cir2$est - 0.441) <= 0.040,
    nrm = abs(m$nrm2$est - 0.188) <= 0.035,
    relapse_median = abs(m$relapse$median - 117) <= 15,
    interval_median = abs(m$interval$median - 164) <= 12,
    univariate = all(lp),
    cox_required = cp[["age_gt9"]] < 0.05 && cb[["age_gt9"]] > 0 && cp[["early"]] < 0.05 && cb[["early"]] > 0 &&
      cp[["unrelated"]] >= 0.05 && cp[["agvhd"]] >= 0.05,
    cox_ideal = cp[["noncr"]] >= 0.05 && cp[["ric"]] >= 0.05,
    wilcoxon = m$wilcoxon$p < 0.05 && m$relapse$median < m$interval$median)
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 2 && args[1] == "--search") {
  all <- read.csv(args[2], stringsAsFactors = FALSE)
  res <- do.call(rbind, lapply(split(all, all$seed), function(d) {
    m <- evaluate(d)
    a <- accept(m)
    data.frame(seed = d$seed[1], t(a), os = m$os2$est, cir = m$cir2$est, nrm = m$nrm2$est,
               relmed = m$relapse$median, intmed = m$interval$median, wp = m$wilcoxon$p)
  }))
  write.csv(res, stdout(), row.names = FALSE)
} else {
  d <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE)
  out <- evaluate(d)
  out$meta <- list(
    script = "test/reference/calibration-kato2012.R", data = "data/kato2012-synthetic.csv",
    R = R.version.string, survival = as.character(packageVersion("survival")),
    cmprsk = as.character(packageVersion("cmprsk")),
    calls = c("summary(survfit(Surv(os_days, os_status) ~ 1), times = 730.5, extend = TRUE)",
              "cmprsk::timepoints(cuminc(event_days, event, cencode = 0), 730.5)",
              "wilcox.test(event_days[event == 1], interval_days, exact = FALSE, correct = TRUE)",
              "survdiff(Surv(os_days, os_status) ~ factor) for age_gt9, early, noncr, ric",
              "coxph(Surv(start, stop, status) ~ age_gt9 + early + noncr + ric + unrelated + agvhd, ties = 'efron', control = coxph.control(eps = 1e-12, iter.max = 100)) on rows split at agvhd_days"))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/reference/calibration-kato2012.json")
  cat("wrote test/reference/calibration-kato2012.json\n")
}
