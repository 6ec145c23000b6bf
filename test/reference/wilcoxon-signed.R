# Reference values for wilcoxonSignedRank (src/survival/wilcoxon.ts): R's paired Wilcoxon signed-rank test
# with the normal approximation. Run from the project root: Rscript test/reference/wilcoxon-signed.R
# R 4.2.2 (stats), jsonlite. Writes test/reference/wilcoxon-signed.json.
suppressPackageStartupMessages(library(jsonlite))
k <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE)
both <- k[k$event == 1 & !is.na(k$interval_days), ]
set.seed(20122)
cases <- list(
  list(name = "kato2012: days to relapse after SCT2 vs after SCT1, patients who relapsed after both",
       x = both$event_days, y = both$interval_days),
  list(name = "kato2012 pairs, alternative less", x = both$event_days, y = both$interval_days, alternative = "less"),
  list(name = "kato2012 pairs, alternative greater", x = both$event_days, y = both$interval_days, alternative = "greater"),
  list(name = "kato2012 pairs, no continuity correction", x = both$event_days, y = both$interval_days, correct = FALSE),
  list(name = "kato2012 pairs, mu = -30", x = both$event_days, y = both$interval_days, mu = -30),
  list(name = "zero differences left out, tied |d|", x = c(1, 2, 3, 4, 5, 5, 6, 9), y = c(1, 1, 2, 5, 3, 3, 8, 6)),
  list(name = "missing values drop the pair", x = c(4, NA, 7, 2, 8, 5), y = c(1, 3, NaN, 6, 2, 9)),
  list(name = "an infinite difference is ranked last", x = c(Inf, 1, 2, 5), y = c(0, 3, 1, 1)),
  list(name = "statistic exactly at its mean", x = c(2, 1, 4, 3), y = c(1, 2, 3, 4)),
  list(name = "one pair", x = 3, y = 5),
  list(name = "all differences zero (variance 0)", x = c(1, 2, 3), y = c(1, 2, 3)),
  list(name = "large random with ties", x = round(rexp(300, 1 / 100)), y = round(rexp(300, 1 / 120)), alternative = "less")
)
out <- lapply(cases, function(cs) {
  alternative <- if (is.null(cs$alternative)) "two.sided" else cs$alternative
  correct <- if (is.null(cs$correct)) TRUE else cs$correct
  mu <- if (is.null(cs$mu)) 0 else cs$mu
  w <- suppressWarnings(wilcox.test(cs$x, cs$y, paired = TRUE, alternative = alternative, mu = mu, exact = FALSE, correct = correct))
  ok <- !is.na(cs$x) & !is.na(cs$y)
  d <- cs$x[ok] - cs$y[ok] - mu
  list(name = cs$name, x = cs$x, y = cs$y, alternative = alternative, correct = correct, mu = mu,
       statistic = unname(w$statistic), p = if (is.na(w$p.value)) NULL else w$p.value,
       n = sum(d != 0), nZero = sum(d == 0), medianDifference = median(cs$x[ok] - cs$y[ok]), method = w$method)
})
meta <- list(script = "test/reference/wilcoxon-signed.R", R = R.version.string,
             call = "wilcox.test(x, y, paired = TRUE, alternative, mu, exact = FALSE, correct)")
# non-finite inputs are written as strings so that JSON keeps them
enc <- function(v) lapply(v, function(z) if (is.na(z) && !is.nan(z)) "NA" else if (is.nan(z)) "NaN" else if (is.infinite(z)) (if (z > 0) "Inf" else "-Inf") else z)
out <- lapply(out, function(o) { o$x <- enc(o$x); o$y <- enc(o$y); o })
writeLines(toJSON(list(meta = meta, cases = out), auto_unbox = TRUE, digits = NA, null = "null", pretty = FALSE),
           "test/reference/wilcoxon-signed.json")
cat("wrote test/reference/wilcoxon-signed.json\n")
