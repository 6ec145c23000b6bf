# Shared helpers for the Cox fixture scripts (cox-*.R, zph-*.R). Sourced, not run on its own.
# R 4.2.2, survival 3.5-3, jsonlite.
suppressPackageStartupMessages({library(survival); library(jsonlite)})

# Evaluate an expression, returning its value, the warnings it raised and its error message (if any).
capture <- function(expr) {
  warns <- character(0)
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(list(message = conditionMessage(e)), class = "captured_error")),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(value = val, warnings = warns)
}

# Everything the JavaScript tests compare from a coxph fit. Non-finite values become null in JSON.
coxinfo <- function(fit, warnings = character(0)) {
  s <- summary(fit)
  co <- s$coefficients
  ci <- s$conf.int
  nm <- names(coef(fit))
  full <- function(col, m) { out <- rep(NA_real_, length(nm)); names(out) <- nm; out[rownames(m)] <- m[, col]; unname(out) }
  conc <- fit$concordance
  list(
    terms = nm,
    coef = unname(coef(fit)),
    se = unname(sqrt(diag(fit$var))),
    z = full("z", co), p = full("Pr(>|z|)", co),
    hr = full("exp(coef)", ci), lower = full("lower .95", ci), upper = full("upper .95", ci),
    var = unname(fit$var),
    loglik = unname(fit$loglik),
    lrtest = unname(s$logtest), waldtest = unname(c(fit$wald.test, s$waldtest[2:3])), sctest = unname(s$sctest),
    iter = fit$iter, n = fit$n, nevent = fit$nevent,
    means = unname(fit$means),
    linear_predictors = unname(fit$linear.predictors),
    concordance = list(concordant = unname(conc["concordant"]), discordant = unname(conc["discordant"]),
                       tied_x = unname(conc["tied.x"]), tied_y = unname(conc["tied.y"]), tied_xy = unname(conc["tied.xy"]),
                       concordance = unname(conc["concordance"]), std = unname(conc["std"])),
    warnings = warnings)
}

# Quantities at a fixed beta (iter.max = 0, init = beta): loglik, score vector, information.
fixedbeta <- function(formula, data, beta, ...) {
  f0 <- coxph(formula, data = data, init = beta, control = coxph.control(iter.max = 0), ...)
  u <- colSums(as.matrix(residuals(f0, type = "score", weighted = TRUE)))
  list(beta = unname(beta), loglik = unname(f0$loglik[2]), score = unname(u), information = unname(solve(f0$var)),
       sctest = unname(f0$score))
}

meta <- function(note) list(r = R.version.string, survival = as.character(packageVersion("survival")), note = note)

# jsonlite prints at most 15 significant digits, so numbers are formatted here with %.17g (which
# round-trips doubles) and passed through verbatim. Length-1 vectors become scalars (as auto_unbox),
# matrices become arrays of rows; NA, NaN and +-Inf become null.
num17 <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
as_json17 <- function(x) {
  if (is.list(x)) return(lapply(x, as_json17))
  if (is.numeric(x) && is.matrix(x)) {
    rows <- apply(x, 1, function(r) paste0("[", paste(num17(r), collapse = ","), "]"))
    if (nrow(x) == 0) rows <- character(0)
    return(structure(paste0("[", paste(rows, collapse = ","), "]"), class = "json"))
  }
  if (is.numeric(x) && !is.factor(x)) {
    v <- unname(x)
    txt <- if (length(v) == 1) num17(v) else paste0("[", paste(num17(v), collapse = ","), "]")
    return(structure(txt, class = "json"))
  }
  if (is.factor(x)) return(as.character(x))
  x
}

write_fixture <- function(out, path) {
  txt <- toJSON(as_json17(out), auto_unbox = TRUE, pretty = TRUE, na = "null", null = "null", json_verbatim = TRUE)
  writeLines(txt, path)
  # Round-trip check: every number reads back identically.
  back <- fromJSON(path, simplifyVector = FALSE)
  flat <- function(b) if (is.null(b)) NA_real_ else if (is.list(b)) unlist(lapply(b, flat)) else as.numeric(b)
  chk <- function(a, b) {
    if (is.list(a)) { for (k in seq_along(a)) chk(a[[k]], b[[k]]); return(invisible()) }
    if (is.numeric(a) && !is.factor(a) && length(a) > 0) {
      want <- as.numeric(as.vector(if (is.matrix(a)) t(a) else a))
      want[!is.finite(want)] <- NA
      got <- flat(b)
      if (length(got) != length(want) || !identical(is.na(got), is.na(want)) || any(got[!is.na(got)] != want[!is.na(want)]))
        stop("round-trip mismatch writing ", path)
    }
  }
  chk(out, back)
  invisible(back)
}
