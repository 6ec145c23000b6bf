# Gray's K-sample test for cumulative incidence: reference values from cmprsk::cuminc(...)$Tests,
# with the score vector and variance matrix that cuminc's Fortran (crstm) returns and the rank that
# qr() finds (cuminc sets stat = -1, printed as p = 1, when the variance is singular).
# Regenerate from the project root:  Rscript test/reference/gray-public.R
# Writes test/reference/gray-public.json. R 4.2.2, cmprsk 2.2-11, jsonlite.
source("test/reference/gray-common.R")  # libraries, meta, crstm(), run()

m <- read.csv("test/data/mgus2.csv", stringsAsFactors = FALSE)
b <- read.csv("data/bmt.csv")
# KMsurv bmt: t2 = disease-free survival time (days); d2 = relapsed; d1 = dead.
# Cause 1 = relapse (d2 == 1), cause 2 = death in remission (d2 == 0 & d1 == 1), else censored.
b$cause <- ifelse(b$d2 == 1, 1, ifelse(b$d1 == 1, 2, 0))
src <- function(file, time, event, group, strata = NA) list(file = file, time = time, event = event, group = group, strata = strata)
M <- function(...) src("test/data/mgus2.csv", "etime", "event", ...)
B <- function(...) src("data/bmt.csv", "t2", "cause", ...)
cases <- list(
  run("mgus2 by sex", M("sex"), m$etime, m$event, m$sex),
  run("mgus2 by sex, rho = 1", M("sex"), m$etime, m$event, m$sex, rho = 1),
  run("mgus2 by sex + strata(dxyr)", M("sex", "dxyr"), m$etime, m$event, m$sex, m$dxyr),
  run("bmt by group (k = 3)", B("group"), b$t2, b$cause, b$group),
  run("bmt by group, rho = 0.5", B("group"), b$t2, b$cause, b$group, rho = 0.5),
  run("bmt by group + strata(z8)", B("group", "z8"), b$t2, b$cause, b$group, b$z8),
  run("bmt by group + strata(z10), rho = 1", B("group", "z10"), b$t2, b$cause, b$group, b$z10, rho = 1),
  run("bmt by z8 + strata(group)", B("z8", "group"), b$t2, b$cause, b$z8, b$group)
)
write_fixture(list(meta = meta, cases = cases), "test/reference/gray-public.json")
