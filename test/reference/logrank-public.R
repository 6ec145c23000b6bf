# Log-rank / G-rho reference values from survival::survdiff on public data sets, plus the trend test
# for ordered groups computed from survdiff's own observed, expected and variance.
# Regenerate from the project root:  Rscript test/reference/logrank-public.R
# Writes test/reference/logrank-public.json. R 4.2.2, survival 3.5-3, jsonlite.
suppressPackageStartupMessages({library(survival); library(jsonlite)})

# Every number is written with the fewest significant digits (15–17) that read back to the identical
# double (jsonlite alone stops at 15), and the file is parsed again to prove the round trip.
num_text <- function(x) vapply(x, function(v) {
  if (is.na(v)) return("null")
  if (!is.finite(v)) stop("non-finite value in a fixture")
  for (d in 15:17) { s <- sprintf("%.*g", d, v); if (as.numeric(s) == v) return(s) }
}, "")
as_json_tree <- function(x) {
  if (is.list(x)) return(lapply(x, as_json_tree))
  if (is.numeric(x) || is.logical(x) && all(is.na(x))) {
    if (is.matrix(x)) return(structure(paste0("[", paste(apply(x, 1, function(r) paste0("[", paste(num_text(r), collapse = ","), "]")), collapse = ","), "]"), class = "json"))
    if (length(x) == 1 && is.null(attr(x, "array"))) return(structure(num_text(x), class = "json"))
    return(structure(paste0("[", paste(num_text(x), collapse = ","), "]"), class = "json"))
  }
  x
}
write_fixture <- function(obj, path) {
  txt <- jsonlite::toJSON(as_json_tree(obj), auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE, json_verbatim = TRUE)
  back <- jsonlite::fromJSON(txt, simplifyVector = FALSE)
  flat <- function(a) if (is.list(a)) unlist(lapply(a, flat)) else if (is.null(a)) NA_real_ else if (is.numeric(a)) as.numeric(a) else NULL
  flat_obj <- function(a) if (is.list(a)) unlist(lapply(a, flat_obj)) else if (is.numeric(a) || is.logical(a) && all(is.na(a))) (if (is.matrix(a)) as.numeric(t(a)) else as.numeric(a)) else if (is.character(a)) rep(NA_real_, sum(is.na(a))) else NULL
  x <- flat_obj(obj); y <- flat(back)
  stopifnot(length(x) == length(y), all((is.na(x) & is.na(y)) | (!is.na(x) & !is.na(y) & x == y)))
  writeLines(txt, path)
}
arr <- function(x) structure(x, array = TRUE)  # keep a length-1 vector as a JSON array

meta <- list(r = R.version.string, survival = as.character(packageVersion("survival")),
             jsonlite = as.character(packageVersion("jsonlite")),
             note = paste("survdiff(..., timefix = TRUE); obs/exp summed over strata; p = pchisq(chisq, df, lower.tail = FALSE);",
                          "trend chisq = (sum(s * (O - E)))^2 / (t(s) %*% var %*% s) on 1 df, from survdiff's obs/exp/var"))

# One case: `source` tells the test which CSV columns to use; `cause` (if any) means event == cause
# is the event and other causes are censored; otherwise any event > 0 is the event.
run <- function(name, file, time, event, group, strata = NA, rho = 0, cause = NA, scores = NULL) {
  d <- read.csv(file, stringsAsFactors = FALSE)
  d$.time <- d[[time]]
  d$.status <- if (is.na(cause)) as.integer(d[[event]] > 0) else as.integer(d[[event]] == cause)
  d$.group <- d[[group]]
  f <- if (is.na(strata)) Surv(.time, .status) ~ .group else {
    d$.strata <- d[[strata]]
    Surv(.time, .status) ~ .group + strata(.strata)
  }
  fit <- survdiff(f, data = d, rho = rho)  # timefix = TRUE is the default (passing it explicitly breaks model.frame in 3.5-3)
  O <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  E <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  df <- sum(E > 0) - 1
  levels <- sub("^\\.group=", "", names(fit$n))
  s <- if (is.null(scores)) seq_along(O) else scores
  num <- sum(s * (O - E))
  den <- as.numeric(t(s) %*% fit$var %*% s)
  tchisq <- num^2 / den
  list(name = name,
       call = sprintf("survdiff(Surv(%s, %s) ~ %s%s, rho = %g)", time,
                      if (is.na(cause)) paste(event, "> 0") else paste(event, "==", cause), group,
                      if (is.na(strata)) "" else sprintf(" + strata(%s)", strata), rho),
       source = list(file = file, time = time, event = event, group = group, strata = strata, cause = cause),
       rho = rho,
       levels = levels, n = arr(as.numeric(fit$n)), observed = arr(as.numeric(O)), expected = arr(as.numeric(E)),
       variance = unname(fit$var), chisq = fit$chisq, df = df,
       p = pchisq(fit$chisq, df, lower.tail = FALSE),
       trend = list(scores = arr(s), chisq = tchisq, df = 1, p = pchisq(tchisq, 1, lower.tail = FALSE)))
}

cases <- list(
  run("aml", "test/data/aml.csv", "time", "status", "x"),
  run("aml rho=1 (catalogue L7)", "test/data/aml.csv", "time", "status", "x", rho = 1),
  run("lung by sex", "test/data/lung.csv", "time", "event", "sex"),
  run("lung by sex, rho=1", "test/data/lung.csv", "time", "event", "sex", rho = 1),
  run("lung by sex + strata(ph.ecog)", "test/data/lung.csv", "time", "event", "sex", strata = "ph.ecog"),
  run("lung by sex + strata(ph.ecog), rho=1", "test/data/lung.csv", "time", "event", "sex", strata = "ph.ecog", rho = 1),
  run("lung by ph.ecog (k=4, singleton level 3), scores 0..3", "test/data/lung.csv", "time", "event", "ph.ecog", scores = c(0, 1, 2, 3)),
  run("lung by ph.ecog + strata(sex), scores 0..3", "test/data/lung.csv", "time", "event", "ph.ecog", strata = "sex", scores = c(0, 1, 2, 3)),
  run("veteran by celltype (k=4)", "test/data/veteran.csv", "time", "status", "celltype"),
  run("veteran by celltype, rho=1", "test/data/veteran.csv", "time", "status", "celltype", rho = 1),
  run("veteran by celltype + strata(trt)", "test/data/veteran.csv", "time", "status", "celltype", strata = "trt"),
  run("veteran by celltype + strata(trt), rho=0.5, scores 1,2,4,8", "test/data/veteran.csv", "time", "status", "celltype", strata = "trt", rho = 0.5, scores = c(1, 2, 4, 8)),
  run("mgus2 any event by sex", "test/data/mgus2.csv", "etime", "event", "sex"),
  run("mgus2 cause 1 (PCM) by sex, deaths censored", "test/data/mgus2.csv", "etime", "event", "sex", cause = 1),
  run("mgus2 cause 2 (death) by sex + strata(dxyr)", "test/data/mgus2.csv", "etime", "event", "sex", strata = "dxyr", cause = 2),
  run("bmt (t2, d3) by group (k=3)", "data/bmt.csv", "t2", "d3", "group")
)
write_fixture(list(meta = meta, cases = cases), "test/reference/logrank-public.json")
