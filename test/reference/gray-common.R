# Shared by gray-public.R and gray-edge.R (sourced from the project root): the libraries, the fixture
# metadata, the score and variance exactly as cuminc obtains them, and run(), which builds one case.
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
