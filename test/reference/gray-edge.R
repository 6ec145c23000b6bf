# Gray's K-sample test for cumulative incidence: reference values from cmprsk::cuminc(...)$Tests,
# with the score vector and variance matrix that cuminc's Fortran (crstm) returns and the rank that
# qr() finds (cuminc sets stat = -1, printed as p = 1, when the variance is singular).
# Edge cases: catalogue R5 (identical groups), R6 (a group without events of the cause), R7 (singular
# variance), three causes with ties, a group absent from a stratum; the data are written into the fixture.
# Regenerate from the project root:  Rscript test/reference/gray-edge.R
# Writes test/reference/gray-edge.json. R 4.2.2, cmprsk 2.2-11, jsonlite.
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

E <- function(id, name, time, event, group, strata = NULL, rho = 0) {
  data <- list(time = arr(time), event = arr(event), group = group, strata = if (is.null(strata)) NA else strata)
  c(list(id = id), run(name, NA, time, event, group, strata, rho, data = data))
}
cases <- list(
  E("R5", "identical groups", c(1, 2, 3, 4, 5, 1, 2, 3, 4, 5), c(1, 2, 0, 1, 2, 1, 2, 0, 1, 2), rep(c("a", "b"), each = 5)),
  E("R6", "group b has no events of cause 1", c(1, 2, 3, 4, 5, 6, 1.5, 2.5, 3.5, 4.5, 5.5), c(1, 1, 2, 1, 0, 1, 2, 2, 0, 2, 0), c(rep("a", 6), rep("b", 5))),
  E("R7", "group c is censored before the first event: singular variance", c(1, 2, 3, 4, 5, 6, 2.5, 3.5, 4.5, 0.5, 0.6),
    c(1, 2, 1, 0, 1, 2, 1, 2, 1, 0, 0), c(rep("a", 6), rep("b", 3), "c", "c")),
  E("three", "three causes, three groups, ties within and across causes", c(1, 1, 2, 2, 3, 4, 4, 5, 6, 7, 1, 2, 2, 3, 4, 4, 6, 8, 1, 3, 3, 5, 5, 7, 9),
    c(1, 2, 3, 1, 0, 1, 1, 2, 3, 0, 3, 1, 2, 2, 1, 0, 3, 1, 2, 1, 3, 2, 2, 0, 1), c(rep("x", 10), rep("y", 8), rep("z", 7))),
  E("strata", "group z absent from stratum 2, rho = 1", c(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1.5, 2.5, 3.5, 4.5),
    c(1, 2, 1, 0, 1, 2, 2, 1, 1, 2, 0, 1, 1, 2, 0, 1), c("x", "y", "z", "x", "y", "z", "x", "y", "x", "y", "x", "y", "z", "x", "z", "y"),
    c(1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 1, 2), rho = 1)
)
write_fixture(list(meta = meta, cases = cases), "test/reference/gray-edge.json")
