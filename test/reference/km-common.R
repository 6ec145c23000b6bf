# Shared helpers for the Kaplan–Meier fixtures (km-datasets.R, km-edge.R). Sourced, not run directly.
# Each case is fitted with survival::survfit and everything our engine reproduces is recorded:
# the step rows, print.survfit's median and CI (survival:::survmean), quantile.survfit,
# summary(fit, times, extend = TRUE) and the restricted mean (survmean with rmean = tau).
suppressPackageStartupMessages({library(survival); library(jsonlite)})

km_meta <- function(script) list(
  R = R.version.string,
  survival = as.character(packageVersion("survival")),
  jsonlite = as.character(packageVersion("jsonlite")),
  script = script,
  regenerate = paste0("Rscript test/reference/", script, "  (from the project root)")
)

# One curve (a survfit object without strata) -> list of everything the tests compare.
km_curve <- function(fi, level, probs, times, taus) {
  out <- list(level = level, n = fi$n, events = sum(fi$n.event))
  out$steps <- list(time = I(fi$time), nRisk = I(fi$n.risk), nEvent = I(fi$n.event), nCensor = I(fi$n.censor),
                    surv = I(fi$surv), stdErrLog = I(fi$std.err), stdErr = I(fi$surv * fi$std.err),
                    lower = if (is.null(fi$lower)) NULL else I(fi$lower),
                    upper = if (is.null(fi$upper)) NULL else I(fi$upper))
  tab <- survival:::survmean(fi, rmean = "none")$matrix   # what print(fit) shows
  out$median <- unname(tab["median"])
  if (!is.null(fi$lower)) {
    out$medianLower <- unname(tab[paste0(fi$conf.int, "LCL")])
    out$medianUpper <- unname(tab[paste0(fi$conf.int, "UCL")])
  } else out$medianLower <- out$medianUpper <- NA
  q <- quantile(fi, probs = probs)
  if (is.list(q)) out$quantile <- list(probs = I(probs), quantile = I(unname(q$quantile)), lower = I(unname(q$lower)), upper = I(unname(q$upper)))
  else out$quantile <- list(probs = I(probs), quantile = I(unname(q)), lower = I(rep(NA, length(probs))), upper = I(rep(NA, length(probs))))
  s <- summary(fi, times = times, extend = TRUE)
  out$at <- list(time = I(s$time), surv = I(s$surv), stdErr = I(s$std.err),
                 lower = I(if (is.null(s$lower)) rep(NA, length(s$time)) else s$lower),
                 upper = I(if (is.null(s$upper)) rep(NA, length(s$time)) else s$upper),
                 nRisk = I(s$n.risk), nEvent = I(s$n.event), nCensor = I(s$n.censor))
  out$rmean <- lapply(taus, function(tau) {
    m <- survival:::survmean(fi, rmean = tau)$matrix
    list(tau = tau, rmean = unname(m["rmean"]), se = unname(m["se(rmean)"]))
  })
  out
}

# Fit one case. d: data.frame with columns time, event (0 = censored, k >= 1 = cause k) and
# optionally entry, group, w. cause: NULL (any cause is the event) or k.
km_case <- function(name, d, conf.type = "log", conf.int = 0.95, cause = NULL, probs = c(0.25, 0.5, 0.75),
                    times = NULL, taus = NULL, timefix = TRUE, source = NULL, inline = FALSE, note = NULL) {
  d$status <- if (is.null(cause)) as.integer(d$event >= 1) else as.integer(d$event == cause)
  lhs <- if (!is.null(d$entry)) "Surv(entry, time, status)" else "Surv(time, status)"
  rhs <- if (!is.null(d$group)) "group" else "1"
  f <- as.formula(paste(lhs, "~", rhs))
  args <- list(formula = f, data = d, conf.type = conf.type, conf.int = conf.int, timefix = timefix)
  if (!is.null(d$w)) { args$weights <- d$w; args$robust <- FALSE }
  fit <- do.call(survfit, args)
  if (is.null(times)) times <- sort(unique(c(0, quantile(d$time, c(0.1, 0.25, 0.5, 0.75, 0.9), type = 1), max(d$time) + 1)))
  if (is.null(taus)) taus <- c(unname(quantile(d$time, 0.5, type = 1)), max(d$time) * 1.1)
  call <- paste0("survfit(", deparse(f), ", conf.type = \"", conf.type, "\", conf.int = ", conf.int,
                 if (!is.null(d$w)) ", weights = w, robust = FALSE" else "",
                 if (!timefix) ", timefix = FALSE" else "", ")",
                 if (is.null(cause)) "; status = event >= 1" else paste0("; status = event == ", cause))
  strata <- if (is.null(fit$strata)) list(km_curve(fit, NULL, probs, times, taus))
            else lapply(seq_along(fit$strata), function(i)
              km_curve(fit[i], levels(factor(d$group))[i], probs, times, taus))
  case <- list(name = name, source = source, call = call, note = note, confType = conf.type, confLevel = conf.int,
               cause = cause, timefix = timefix, probs = I(probs), times = I(times), taus = I(taus), strata = strata)
  if (inline) {
    # exact doubles (17 significant digits) so that near-ties survive the round trip
    num <- function(x) sprintf("%.17g", x)
    case$data <- list(time = I(num(d$time)), event = I(d$event),
                      entry = if (is.null(d$entry)) NULL else I(num(d$entry)),
                      group = if (is.null(d$group)) NULL else I(as.character(d$group)),
                      weights = if (is.null(d$w)) NULL else I(num(d$w)))
  }
  case
}

km_write <- function(cases, script, file) {
  out <- list(meta = km_meta(script), cases = cases)
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = FALSE), file)
  cat("wrote", file, "with", length(cases), "cases\n")
}
