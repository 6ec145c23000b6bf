# Reference rows for splitAtEvent() (survival::tmerge with tdc) and landmark() (by hand in R), on
# KMsurv's bmt with acute GVHD (ta, da) as the intermediate event, and on a small data set with the
# edge cases (onset at 0, before entry, at the end, after the end, missing, an event at onset).
# Also the coxph fits on the split bmt data, for the Cox engine's (start, stop] tests.
# Run from the project root: Rscript test/reference/split-bmt.R
# R 4.2.2, survival 3.5-3, KMsurv. Writes test/reference/split-bmt.json.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
bmt <- read.csv("data/bmt.csv")
bmt$id <- seq_len(nrow(bmt))
bmt$event <- ifelse(bmt$d2 == 1, 1L, ifelse(bmt$d3 == 1, 2L, 0L))   # 1 relapse, 2 death in remission
bmt$agvhd_day <- ifelse(bmt$da == 1, bmt$ta, NA)                     # onset of acute GVHD, NA if never
keep <- c("id", "group", "z1", "t1", "d1", "t2", "event", "agvhd_day")

# Overall survival (t1, d1) split at aGVHD onset.
os <- tmerge(bmt[, keep], bmt, id = id, death = event(t1, d1))
os <- tmerge(os, bmt, id = id, agvhd = tdc(agvhd_day))
# Disease-free survival with cause codes (t2, event) split at aGVHD onset.
dfs <- tmerge(bmt[, keep], bmt, id = id, status = event(t2, event))
dfs <- tmerge(dfs, bmt, id = id, agvhd = tdc(agvhd_day))

cox <- function(label, fit) {
  list(label = label, call = paste(deparse(fit$call, width.cutoff = 500), collapse = ""),
       coef = unname(coef(fit)), se = unname(sqrt(diag(fit$var))), loglik = fit$loglik,
       n = fit$n, nevent = fit$nevent, terms = I(names(coef(fit))))
}
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)
coxFits <- list(
  cox("OS ~ agvhd + z1 on the tmerge split (efron)",
      coxph(Surv(tstart, tstop, death) ~ agvhd + z1, data = os, control = ctl)),
  cox("OS ~ agvhd + z1 on the tmerge split (breslow)",
      coxph(Surv(tstart, tstop, death) ~ agvhd + z1, data = os, ties = "breslow", control = ctl))
)

# Edge cases, with an entry time for some rows.
edge <- data.frame(id = 1:9,
                   entry = c(0, 0, 0, 0, 0, 2, 0, 4, 0),
                   time = c(10, 10, 10, 10, 5, 8, 0.5, 20, 7),
                   status = c(1, 0, 2, 1, 1, 0, 1, 1, 2),
                   onset = c(3, 0, 10, NA, 12, 1, NA, 20, 7))
# onset 3 inside; 0 at the start; 10 at the end; NA never; 12 after the end; 1 before entry 2;
# NA; 20 at the end; 7 = the event time
e1 <- tmerge(edge[, c("id", "onset")], edge, id = id, ev = event(time, status), tstart = entry, tstop = time)
e1 <- tmerge(e1, edge, id = id, td = tdc(onset))

# Landmark at day 100 for OS: alive at day 100 (t1 > 100), clock restarted, aGVHD by day 100.
L <- 100
lm <- bmt[bmt$t1 > L, keep]
lm$t1 <- lm$t1 - L
lm$agvhd100 <- as.integer(!is.na(lm$agvhd_day) & lm$agvhd_day <= L)
lmCox <- coxph(Surv(t1, d1) ~ agvhd100, data = lm, control = ctl)

strip <- function(d) { attr(d, "tcount") <- NULL; attr(d, "tm.retain") <- NULL; class(d) <- "data.frame"; rownames(d) <- NULL; d }
out <- list(
  meta = list(R = R.version.string, survival = as.character(packageVersion("survival")),
              script = "test/reference/split-bmt.R",
              data = "data/bmt.csv (KMsurv bmt); agvhd_day = ta where da = 1 else NA; event = 1 relapse (d2), 2 death in remission"),
  os = list(call = "tmerge(bmt, bmt, id = id, death = event(t1, d1)); tmerge(., bmt, id = id, agvhd = tdc(agvhd_day))", rows = strip(os)),
  dfs = list(call = "tmerge(bmt, bmt, id = id, status = event(t2, event)); tmerge(., bmt, id = id, agvhd = tdc(agvhd_day))", rows = strip(dfs)),
  cox = coxFits,
  edge = list(data = edge,
              call = "tmerge(edge, edge, id = id, ev = event(time, status), tstart = entry, tstop = time); tmerge(., edge, id = id, td = tdc(onset))",
              rows = strip(e1)),
  landmark = list(call = "subset(bmt, t1 > 100); t1 - 100; agvhd100 = agvhd_day <= 100", landmark = L, rows = lm,
                  cox = cox("OS from day 100 ~ aGVHD by day 100", lmCox))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = FALSE, dataframe = "columns"), "test/reference/split-bmt.json")
