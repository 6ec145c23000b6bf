# Reference values for the Subgroups page's study layer (src/study/subgroups.ts) on the committed
# synthetic cohort data/kato2012-synthetic.csv: for every factor of the univariate table and for
# cut-point groupings, Kaplan–Meier OS by group at 2 years (730.5 days) and its median, the log-rank
# and Peto–Peto tests, the test for trend, Gray's test for relapse and NRM; and the subgroup Cox models
# of the forest plot (late vs early relapse within each level of every other factor) with the
# likelihood-ratio test of the interaction.
# Regenerate from the project root:  Rscript test/reference/subgroups-kato2012.R
# Writes test/reference/subgroups-kato2012.json. R 4.2.2, survival 3.5-3, cmprsk 2.2-11, jsonlite.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})
source("test/reference/cox-helpers.R")  # capture()

num_text <- function(x) vapply(x, function(v) {
  if (is.na(v) || !is.finite(v)) return("null")
  for (d in 15:17) { s <- sprintf("%.*g", d, v); if (as.numeric(s) == v) return(s) }
}, "")
as_json_tree <- function(x) {
  if (is.list(x)) return(lapply(x, as_json_tree))
  if (is.numeric(x)) {
    if (length(x) == 1 && is.null(attr(x, "array"))) return(structure(num_text(x), class = "json"))
    return(structure(paste0("[", paste(num_text(x), collapse = ","), "]"), class = "json"))
  }
  x
}
arr <- function(x) structure(x, array = TRUE)

d <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE, encoding = "UTF-8")
# The study's derived factors, defined as src/study/cohort.ts defines them.
d$age_group <- ifelse(d$age <= 9, "\u2264 9 years", "> 9 years")
d$relapse_timing <- ifelse(d$interval_days >= 180, "Late (\u2265 180 days)", "Early (< 180 days)")
d$agvhd_any <- ifelse(d$agvhd_grade >= 1, "Yes", "No")
d$era <- as.character(cut(d$year_sct2, c(-Inf, 1999, 2004, Inf), labels = c("\u2264 1999", "2000\u20132004", "\u2265 2005")))
d$ph <- ifelse(d$ph_positive == 1, "Ph+", "Ph\u2212")
d$tbi_label <- ifelse(d$tbi == 1, "TBI", "No TBI")
# Display order of the levels (as studyFactors gives them); the trend test scores follow it.
factors <- list(
  age_group = c("\u2264 9 years", "> 9 years"),
  relapse_timing = c("Late (\u2265 180 days)", "Early (< 180 days)"),
  status_sct2 = c("CR", "non-CR"),
  conditioning = c("MAC", "RIC"),
  sex = c("F", "M"),
  immunophenotype = c("B", "T", "other"),
  ph = c("Ph+", "Ph\u2212"),
  donor_sct2 = c("related", "unrelated"),
  source_sct2 = c("BM", "CB", "PB"),
  tbi_label = c("TBI", "No TBI"),
  era = c("\u2264 1999", "2000\u20132004", "\u2265 2005"),
  agvhd_any = c("No", "Yes")
)
H <- 730.5

# Cut-point groupings: cut(x, c(-Inf, points, Inf), right = (closed == "le")).
cut_group <- function(x, points, closed) {
  k <- length(points) + 1
  as.integer(cut(x, c(-Inf, points, Inf), right = closed == "le", labels = FALSE))
}

compare <- function(sub, g, levels_order) {
  present <- levels_order[levels_order %in% g]
  f <- factor(g, levels = present)
  fit <- survfit(Surv(sub$os_days, sub$os_status) ~ f, conf.type = "log-log")
  s <- summary(fit, times = H, extend = TRUE)
  q <- quantile(fit, 0.5)
  groups <- lapply(seq_along(present), function(i) list(
    level = present[i], n = fit$n[i], events = sum(sub$os_status[f == present[i]]),
    surv = s$surv[i], se = s$std.err[i], lower = s$lower[i], upper = s$upper[i],
    median = unname(q$quantile[i]), medianLower = unname(q$lower[i]), medianUpper = unname(q$upper[i])))
  out <- list(levels = I(present), groups = groups)
  if (length(present) >= 2) {
    for (rho in c(0, 1)) {
      sd <- survdiff(Surv(sub$os_days, sub$os_status) ~ f, rho = rho)
      df <- sum(sd$exp > 0) - 1
      o <- sd$obs - sd$exp
      sc <- seq_along(present)
      trend <- sum(sc * o)^2 / drop(t(sc) %*% sd$var %*% sc)
      out[[if (rho == 0) "logRank" else "petoPeto"]] <- list(chisq = sd$chisq, df = df, p = pchisq(sd$chisq, df, lower.tail = FALSE),
        observed = arr(as.numeric(sd$obs)), expected = arr(as.numeric(sd$exp)),
        trend = list(chisq = trend, p = pchisq(trend, 1, lower.tail = FALSE)))
    }
    ci <- cuminc(sub$event_days, sub$event, as.character(f), cencode = 0)
    tst <- ci$Tests
    out$gray <- lapply(c("1", "2"), function(cs) list(cause = as.numeric(cs), stat = tst[cs, "stat"], df = tst[cs, "df"],
      p = if (tst[cs, "stat"] >= 0) pchisq(tst[cs, "stat"], tst[cs, "df"], lower.tail = FALSE) else NA, pv = tst[cs, "pv"]))
  }
  out
}

cox_term <- function(time, status, x) {
  r <- capture(coxph(Surv(time, status) ~ x))
  fit <- r$value
  if (inherits(fit, "captured_error")) return(list(error = fit$message))
  s <- summary(fit)
  list(n = fit$n, events = fit$nevent, coef = unname(coef(fit)), se = unname(sqrt(diag(fit$var))), hr = unname(exp(coef(fit))),
       lower = unname(s$conf.int[, "lower .95"]), upper = unname(s$conf.int[, "upper .95"]), p = unname(s$coefficients[, "Pr(>|z|)"]),
       possiblyInfinite = any(grepl("may be infinite", r$warnings)), warnings = r$warnings, loglik = arr(fit$loglik))
}

forest <- function(sub, endpoint) {
  if (endpoint == "os") { time <- sub$os_days; status <- sub$os_status } else { time <- sub$event_days; status <- as.integer(sub$event == 1) }
  late <- as.integer(sub$relapse_timing == "Late (\u2265 180 days)")
  res <- list(overall = cox_term(time, status, late), subgroups = list())
  for (fc in setdiff(names(factors), "relapse_timing")) {
    g <- sub[[fc]]
    lv <- factors[[fc]][factors[[fc]] %in% g]
    levels_out <- lapply(lv, function(l) { w <- g == l; c(list(level = l), cox_term(time[w], status[w], late[w])) })
    if (length(lv) < 2) {
      res$subgroups[[fc]] <- list(levels = levels_out, interaction = list(chisq = NA, df = NA, p = NA, note = "one level"))
      next
    }
    main <- suppressWarnings(coxph(Surv(time, status) ~ late + factor(g)))
    int <- suppressWarnings(coxph(Surv(time, status) ~ late * factor(g)))
    df <- sum(!is.na(coef(int))) - sum(!is.na(coef(main)))
    lr <- 2 * (int$loglik[2] - main$loglik[2])
    res$subgroups[[fc]] <- list(levels = levels_out,
      interaction = list(chisq = lr, df = df, p = if (df > 0) pchisq(lr, df, lower.tail = FALSE) else NA,
                         loglikMain = main$loglik[2], loglikInteraction = int$loglik[2]))
  }
  res
}

selections <- list(
  list(id = "all", filter = "none", rows = rep(TRUE, nrow(d))),
  list(id = "mac", filter = "conditioning == MAC", rows = d$conditioning == "MAC")
)
out <- list(meta = list(R = R.version.string, survival = as.character(packageVersion("survival")), cmprsk = as.character(packageVersion("cmprsk")),
                        script = "test/reference/subgroups-kato2012.R", data = "data/kato2012-synthetic.csv", horizon = H,
                        calls = c("survfit(Surv(os_days, os_status) ~ g, conf.type = 'log-log'); summary(fit, times = 730.5, extend = TRUE); quantile(fit, 0.5)",
                                  "survdiff(Surv(os_days, os_status) ~ g, rho = 0 | 1); trend = (s'(O-E))^2 / (s'Vs), s = 1..k in display order",
                                  "cuminc(event_days, event, g, cencode = 0)$Tests; p = pchisq(stat, df, lower.tail = FALSE) (pv is cuminc's 1 - pchisq)",
                                  "coxph(Surv(time, status) ~ late) per subgroup (defaults: efron, eps 1e-9, iter.max 20); interaction LR = 2 (loglik(late * factor(g)) - loglik(late + factor(g))), df = difference in non-NA coefficients")),
            selections = list())
for (sel in selections) {
  sub <- d[sel$rows, ]
  byFactor <- lapply(names(factors), function(fc) c(list(column = fc), compare(sub, sub[[fc]], factors[[fc]])))
  cuts <- list(
    list(column = "age", closed = "le", points = arr(c(6, 12))),
    list(column = "interval_days", closed = "lt", points = arr(c(180, 365))),
    list(column = "year_sct2", closed = "le", points = arr(c(1999)))
  )
  byCut <- lapply(cuts, function(cs) {
    k <- cut_group(sub[[cs$column]], cs$points, cs$closed)
    c(cs, compare(sub, as.character(k), as.character(seq_len(length(cs$points) + 1))))
  })
  out$selections[[length(out$selections) + 1]] <- list(id = sel$id, filter = sel$filter, n = nrow(sub), factors = byFactor, cuts = byCut,
                                                      forestOS = forest(sub, "os"), forestRelapse = forest(sub, "relapse"))
}
txt <- toJSON(as_json_tree(out), auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE, json_verbatim = TRUE, digits = NA)
writeLines(txt, "test/reference/subgroups-kato2012.json", useBytes = TRUE)
