# Reference values for the Acute GVHD page's study function (src/study/gvhd.ts) on the committed
# synthetic cohort data/kato2012-synthetic.csv, for all patients and for RIC only, overall survival:
#  (a) naive: survdiff and coxph of Surv(os_days, os_status) by "ever acute GVHD" (agvhd_days present);
#  (b) landmark at L = 100 and 30 days: subset(os_days > L), time os_days - L, group agvhd_days <= L;
#  (c) time-dependent: tmerge split at agvhd_days, coxph(Surv(tstart, tstop, death) ~ agvhd), and the
#      Kaplan-Meier of the split rows by current status (Simon-Makuch) at fixed days.
# Run from the project root: Rscript test/reference/study-gvhd.R → test/reference/study-gvhd.json
# R 4.2.2, survival 3.5-3, jsonlite.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
d0 <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE)
ctl <- coxph.control(eps = 1e-12, iter.max = 100)
hr <- function(fit) {
  s <- summary(fit)
  list(hr = unname(s$conf.int[1, "exp(coef)"]), lower = unname(s$conf.int[1, "lower .95"]),
       upper = unname(s$conf.int[1, "upper .95"]), p = unname(s$coefficients[1, "Pr(>|z|)"]), n = fit$n, events = fit$nevent)
}
lr <- function(sd) list(chisq = unname(sd$chisq), p = pchisq(sd$chisq, 1, lower.tail = FALSE),
                        n = unname(as.vector(sd$n)), observed = unname(sd$obs), expected = unname(sd$exp))
one <- function(label, d) {
  d$ever <- as.integer(!is.na(d$agvhd_days))
  naive <- list(logrank = lr(survdiff(Surv(os_days, os_status) ~ ever, data = d)),
                cox = hr(coxph(Surv(os_days, os_status) ~ ever, data = d, control = ctl)))
  lmk <- lapply(c(100, 30), function(L) {
    s <- subset(d, os_days > L)
    s$t <- s$os_days - L
    s$at <- as.integer(!is.na(s$agvhd_days) & s$agvhd_days <= L)
    list(day = L, n = nrow(s), excluded = nrow(d) - nrow(s), withGvhd = sum(s$at),
         logrank = lr(survdiff(Surv(t, os_status) ~ at, data = s)),
         cox = hr(coxph(Surv(t, os_status) ~ at, data = s, control = ctl)))
  })
  sp <- tmerge(d[, c("id", "os_days", "os_status")], d, id = id, death = event(os_days, os_status), agvhd = tdc(agvhd_days))
  td <- hr(coxph(Surv(tstart, tstop, death) ~ agvhd, data = sp, control = ctl))
  sm <- summary(survfit(Surv(tstart, tstop, death) ~ agvhd, data = sp), times = c(100, 365), extend = TRUE)
  list(label = label, n = nrow(d), deaths = sum(d$os_status), withGvhd = sum(d$ever),
       immortalDays = sum(d$agvhd_days, na.rm = TRUE),
       naive = naive, landmark = lmk,
       timeDependent = list(rows = nrow(sp), cox = td, simonMakuch = list(strata = as.character(sm$strata), time = sm$time, surv = sm$surv)))
}
out <- list(
  meta = list(script = "test/reference/study-gvhd.R", data = "data/kato2012-synthetic.csv",
              R = R.version.string, survival = as.character(packageVersion("survival")),
              calls = c("survdiff(Surv(os_days, os_status) ~ ever)", "coxph(Surv(os_days, os_status) ~ ever, control = coxph.control(eps = 1e-12, iter.max = 100))",
                        "landmark L: subset(d, os_days > L); survdiff/coxph(Surv(os_days - L, os_status) ~ I(agvhd_days <= L))",
                        "tmerge(d, d, id = id, death = event(os_days, os_status), agvhd = tdc(agvhd_days)); coxph(Surv(tstart, tstop, death) ~ agvhd)",
                        "summary(survfit(Surv(tstart, tstop, death) ~ agvhd), times = c(100, 365), extend = TRUE)")),
  cases = list(one("all patients", d0), one("conditioning == RIC", d0[d0$conditioning == "RIC", ]))
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "test/reference/study-gvhd.json")
cat("wrote test/reference/study-gvhd.json\n")
