# Holm's step-down adjustment from R's stats::p.adjust(p, method = "holm"), for the comparison ledger
# of the Subgroups page (src/study/ledger.ts). Cases: unsorted values, ties, values that reach the cap
# of 1, NA entries (p.adjust leaves them NA and counts only the non-NA values: n = sum(!is.na(p))),
# a single value, p = 0, p = 1, tiny and near-1 values, and a long seeded vector.
# Regenerate from the project root:  Rscript test/reference/holm-padjust.R
# Writes test/reference/holm-padjust.json. R 4.2.2, stats, jsonlite.
suppressPackageStartupMessages(library(jsonlite))

num_text <- function(x) vapply(x, function(v) {
  if (is.na(v)) return("null")
  if (!is.finite(v)) stop("non-finite value in a fixture")
  for (d in 15:17) { s <- sprintf("%.*g", d, v); if (as.numeric(s) == v) return(s) }
}, "")
vec <- function(x) structure(paste0("[", paste(num_text(x), collapse = ","), "]"), class = "json")

set.seed(20120601)
long <- signif(runif(60)^3, 6)
cases <- list(
  list(id = "basic", p = c(0.01, 0.04, 0.03, 0.2)),
  list(id = "unsorted-with-ties", p = c(0.03, 0.01, 0.03, 0.5, 0.01, 0.2)),
  list(id = "reaches-one", p = c(0.4, 0.6, 0.9, 0.05, 0.3)),
  list(id = "with-na", p = c(0.02, NA, 0.01, 0.3, NA, 0.04)),
  list(id = "single", p = c(0.037)),
  list(id = "zero-and-one", p = c(0, 1, 0.5, 0)),
  list(id = "tiny-and-near-one", p = c(1e-300, 2.2e-16, 0.999999, 0.5 + 1e-12, 1e-8)),
  list(id = "all-na", p = c(NA_real_, NA_real_)),
  list(id = "empty", p = numeric(0)),
  list(id = "long-seeded", p = long)
)
out <- list(
  meta = list(R = R.version.string, call = "p.adjust(p, method = \"holm\")",
              script = "test/reference/holm-padjust.R", note = "NA written as null; n = sum(!is.na(p)) as p.adjust's default"),
  cases = lapply(cases, function(cs) list(id = cs$id, p = vec(cs$p), holm = vec(p.adjust(cs$p, method = "holm"))))
)
writeLines(toJSON(out, auto_unbox = TRUE, pretty = TRUE, json_verbatim = TRUE), "test/reference/holm-padjust.json")
