# Gray's K-sample test for cumulative incidence: reference values from cmprsk::cuminc(...)$Tests,
# with the score vector and variance matrix that cuminc's Fortran (crstm) returns and the rank that
# qr() finds (cuminc sets stat = -1, printed as p = 1, when the variance is singular).
# Regenerate from the project root:  Rscript test/reference/gray-public.R
# Writes test/reference/gray-public.json. R 4.2.2, cmprsk 2.2-11, jsonlite.
suppressPackageStartupMessages({library(cmprsk); library(jsonlite)})

source("test/reference/fixture-json.R")  # write_fixture(), arr(): full-precision JSON with a round-trip check

meta <- list(r = R.version.string, cmprsk = as.character(packageVersion("cmprsk")), jsonlite = as.character(packageVersion("jsonlite")),
             note = paste("cuminc(time, event, group, strata, rho, cencode = 0)$Tests; pUpper = pchisq(stat, df, lower.tail = FALSE)",
                          "(cuminc prints pv = 1 - pchisq(stat, df)); score and variance from the crstm call cuminc makes;",
                          "rank = qr(variance)$rank (stat = -1 when rank-deficient)"))

# The score and variance exactly as cuminc obtains them (same sorting, coding and Fortran call).
crstm <- function(time, event, group, strata, cause, rho) {
  d <- data.frame(time = time, cause = event, group = as.factor(group), strata = as.factor(strata))
  d <- d[order(d$time), ]
  ugg <- table(d$group)
  d$group <- factor(d$group, names(ugg)[ugg > 0])
  ng <- nlevels(d$group); ng1 <- ng - 1; ng2 <- ng * ng1 / 2; nst <- nlevels(d$strata); no <- nrow(d)
  censind <- ifelse(d$cause == 0, 0, 1)
  causeind <- 2 * censind - ifelse(d$cause == cause, 1, 0)
  v <- matrix(0, ng1, ng1); storage.mode(v) <- "double"
  z <- .Fortran("crstm", as.double(d$time), as.integer(causeind), as.integer(d$group), as.integer(d$strata),
                as.integer(no), as.double(rho), as.integer(nst), as.integer(ng), double(ng1), v,
                as.double(d$time), as.integer(causeind), as.integer(d$group), double(ng2), double(ng1),
                double(ng2), double((4 + 3 * ng) * ng), integer(4 * ng), PACKAGE = "cmprsk")
  list(score = z[[9]], variance = z[[10]])
}

run <- function(name, source, time, event, group, strata = NULL, rho = 0, data = NULL) {
  st <- if (is.null(strata)) rep(1, length(time)) else strata
  fit <- if (is.null(strata)) cuminc(time, event, group, rho = rho, cencode = 0) else cuminc(time, event, group, strata, rho = rho, cencode = 0)
  tests <- fit$Tests
  causes <- as.numeric(rownames(tests))
  out <- lapply(seq_along(causes), function(i) {
    sv <- crstm(time, event, group, st, causes[i], rho)
    rank <- qr(sv$variance)$rank
    stat <- tests[i, "stat"]
    list(cause = causes[i], stat = stat, pv = tests[i, "pv"], df = tests[i, "df"],
         pUpper = if (stat >= 0) pchisq(stat, tests[i, "df"], lower.tail = FALSE) else NA,
         score = arr(sv$score), variance = sv$variance, rank = rank)
  })
  c(list(name = name, source = source, rho = rho), if (!is.null(data)) list(data = data), list(levels = sort(unique(as.character(group))), tests = out))
}

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
