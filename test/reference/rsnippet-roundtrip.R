# Runs the R scripts the notebook writes for a view (test/reference/rsnippet/<name>.R, written by
# test/reference/rsnippet-write.ts from the views in test/study/rSnippet.cases.ts) exactly as a user
# would, and records what they print (<name>.out.txt) and the objects they create (fit, lr, ci, cox,
# zph, fg, the selected rows d) to 15 significant digits in test/reference/rsnippet-roundtrip.json, which
# test/study/rSnippet.roundtrip.test.ts compares with the engine on the same view.
# Regenerate from the project root:
#   npx tsx test/reference/rsnippet-write.ts && Rscript test/reference/rsnippet-roundtrip.R
# R 4.2.2, survival 3.5-3, cmprsk 2.2-11, jsonlite. Needs a UTF-8 locale (as read.csv of a UTF-8 file).
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})

dir <- "test/reference/rsnippet"
cases <- c("overview", "filtered-grouped", "relapse-models", "hostile", "own-months", "own-dates")
na_null <- function(x) { x <- as.numeric(x); x[!is.finite(x)] <- NA; x }
result <- list(meta = list(
  r = R.version.string, survival = as.character(packageVersion("survival")), cmprsk = as.character(packageVersion("cmprsk")),
  call = "source(<name>.R, local = new.env()) for each script; values read from the objects it creates"
))
for (name in cases) {
  env <- new.env()
  printed <- capture.output(source(file.path(dir, paste0(name, ".R")), local = env), type = "output")
  writeLines(printed, file.path(dir, paste0(name, ".out.txt")), useBytes = TRUE)
  r <- list(n = nrow(env$d), printed_lines = length(printed))
  if (exists("fit", env, inherits = FALSE)) {
    s <- summary(env$fit, times = env$horizon, extend = TRUE)
    r$km <- list(
      strata = if (is.null(s$strata)) list("") else as.list(as.character(s$strata)),
      time = na_null(s$time), n_risk = na_null(s$n.risk), surv = na_null(s$surv), std_err = na_null(s$std.err),
      lower = na_null(s$lower), upper = na_null(s$upper)
    )
  }
  if (exists("lr", env, inherits = FALSE)) {
    lr <- env$lr
    obs <- if (is.matrix(lr$obs)) rowSums(lr$obs) else lr$obs
    ex <- if (is.matrix(lr$exp)) rowSums(lr$exp) else lr$exp
    r$logrank <- list(groups = as.list(names(lr$n)), chisq = lr$chisq, observed = na_null(obs), expected = na_null(ex))
  }
  if (exists("ci", env, inherits = FALSE)) {
    tp <- timepoints(env$ci, times = env$horizon)
    r$cuminc <- list(names = as.list(rownames(tp$est)), est = na_null(tp$est[, 1]), var = na_null(tp$var[, 1]))
    if (!is.null(env$ci$Tests)) r$gray <- list(stat = na_null(env$ci$Tests[, "stat"]), p = na_null(env$ci$Tests[, "pv"]), df = na_null(env$ci$Tests[, "df"]))
  }
  if (exists("cox", env, inherits = FALSE)) {
    cx <- env$cox
    r$cox <- list(terms = as.list(names(coef(cx))), coef = na_null(coef(cx)), se = na_null(sqrt(diag(vcov(cx)))), loglik = na_null(cx$loglik), n = cx$n, nevent = cx$nevent)
  }
  if (exists("zph", env, inherits = FALSE)) {
    tb <- env$zph$table
    r$zph <- list(terms = as.list(rownames(tb)), chisq = na_null(tb[, "chisq"]), df = na_null(tb[, "df"]), p = na_null(tb[, "p"]))
  }
  if (exists("fg", env, inherits = FALSE)) {
    fg <- env$fg
    r$finegray <- list(terms = as.list(names(fg$coef)), coef = na_null(fg$coef), se = na_null(sqrt(diag(fg$var))), n = fg$n)
  }
  result[[name]] <- r
}
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), "test/reference/rsnippet-roundtrip.json", useBytes = TRUE)
cat("wrote test/reference/rsnippet-roundtrip.json\n")
