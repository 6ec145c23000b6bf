# Reference values for wilcoxonRankSum (src/survival/wilcoxon.ts): R's two-sample Wilcoxon rank-sum
# test with the normal approximation. Run from the project root: Rscript test/reference/wilcoxon.R
# R 4.2.2 (stats), jsonlite. Writes test/reference/wilcoxon.json.
suppressPackageStartupMessages(library(jsonlite))
k <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE)
lung <- read.csv("test/data/lung.csv")
set.seed(20121)
cases <- list(
  list(name = "kato2012: relapse after SCT2 (relapsers) vs SCT1 -> relapse interval (all)",
       x = k$event_days[k$event == 1], y = k$interval_days),
  list(name = "kato2012, alternative less", x = k$event_days[k$event == 1], y = k$interval_days, alternative = "less"),
  list(name = "kato2012, alternative greater", x = k$event_days[k$event == 1], y = k$interval_days, alternative = "greater"),
  list(name = "kato2012, no continuity correction", x = k$event_days[k$event == 1], y = k$interval_days, correct = FALSE),
  list(name = "lung: time by sex (heavy ties)", x = lung$time[lung$sex == 1], y = lung$time[lung$sex == 2]),
  list(name = "lung: ph.ecog by sex (few distinct values), mu = 0.5", x = lung$ph.ecog[lung$sex == 1],
       y = lung$ph.ecog[lung$sex == 2], mu = 0.5),
  list(name = "no ties, small", x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
       y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  list(name = "statistic exactly at its mean (no correction applied)", x = c(1, 2, 3, 4), y = c(1.5, 2.5, 3.5, 0.5)),
  list(name = "one value each", x = 3, y = 5),
  list(name = "all values equal (variance 0)", x = c(2, 2, 2), y = c(2, 2)),
  list(name = "missing values dropped, infinite values kept and ranked", x = c(1, NA, 4, Inf, 7, 2, -Inf), y = c(3, 5, NaN, 6, 8, 9)),
  list(name = "tied infinite values", x = c(Inf, Inf, 1, -Inf), y = c(Inf, 2, -Inf, 3, NA)),
  list(name = "large random with ties", x = round(rexp(400, 1 / 100)), y = round(rexp(300, 1 / 130)), alternative = "less")
)
out <- lapply(cases, function(cs) {
  alternative <- if (is.null(cs$alternative)) "two.sided" else cs$alternative
  correct <- if (is.null(cs$correct)) TRUE else cs$correct
  mu <- if (is.null(cs$mu)) 0 else cs$mu
  w <- suppressWarnings(wilcox.test(cs$x, cs$y, alternative = alternative, mu = mu, exact = FALSE, correct = correct))
  fx <- cs$x[!is.na(cs$x)]; fy <- cs$y[!is.na(cs$y)]
  list(name = cs$name, x = cs$x, y = cs$y, alternative = alternative, correct = correct, mu = mu,
       statistic = unname(w$statistic), p = if (is.nan(w$p.value)) NULL else w$p.value,
       medianX = median(fx), medianY = median(fy), nX = length(fx), nY = length(fy), method = w$method)
})
meta <- list(script = "test/reference/wilcoxon.R", R = R.version.string,
             call = "wilcox.test(x, y, alternative, mu, exact = FALSE, correct)")
# non-finite inputs are written as strings so that JSON keeps them
enc <- function(v) lapply(v, function(z) if (is.na(z) && !is.nan(z)) "NA" else if (is.nan(z)) "NaN" else if (is.infinite(z)) (if (z > 0) "Inf" else "-Inf") else z)
out <- lapply(out, function(o) { o$x <- enc(o$x); o$y <- enc(o$y); o$medianX <- enc(o$medianX)[[1]]; o$medianY <- enc(o$medianY)[[1]]; o })
writeLines(toJSON(list(meta = meta, cases = out), auto_unbox = TRUE, digits = NA, null = "null", pretty = FALSE),
           "test/reference/wilcoxon.json")
cat("wrote test/reference/wilcoxon.json\n")
