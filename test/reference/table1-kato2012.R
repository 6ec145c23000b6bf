# Reference values for src/study/table1.ts (the Cohort page's Table 1) on the synthetic Kato 2012 cohort:
# for each scenario (selection x grouping factor) and each variable, the counts by level, Pearson's
# chi-squared test of independence (chisq.test(table(x, g), correct = FALSE), and whether an expected count
# is below 5), median and quartiles (quantile(type = 7)) overall and by group, and kruskal.test(x, g).
# Rscript test/reference/table1-kato2012.R  (from the project root); R 4.2.2.
suppressPackageStartupMessages(library(jsonlite))
d <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE, encoding = "UTF-8")
# The notebook's derived factors (src/study/cohort.ts)
d$age_group <- ifelse(d$age <= 9, "≤ 9 years", "> 9 years")
d$relapse_timing <- ifelse(d$interval_days >= 180, "Late (≥ 180 days)", "Early (< 180 days)")
d$era <- as.character(cut(d$year_sct2, c(-Inf, 1999, 2004, Inf), labels = c("≤ 1999", "2000–2004", "≥ 2005")))
d$ph <- ifelse(d$ph_positive == 1, "Ph+", "Ph−")
d$tbi_label <- ifelse(d$tbi == 1, "TBI", "No TBI")
d$agvhd_any <- ifelse(d$agvhd_grade >= 1, "Yes", "No")
d$same_donor <- ifelse(d$same_donor == 1, "Yes", "No")
categorical <- c("age_group", "sex", "immunophenotype", "ph", "status_sct1", "donor_sct1", "source_sct1", "relapse_timing",
                 "era", "status_sct2", "donor_sct2", "source_sct2", "same_donor", "conditioning", "tbi_label", "agvhd_any")
continuous <- c("age", "interval_days", "relapse_to_sct2_days", "year_sct2")

q7 <- function(x) { x <- x[!is.na(x)]; if (!length(x)) return(list(n = 0, median = NA, q1 = NA, q3 = NA))
  q <- unname(quantile(x, c(0.25, 0.5, 0.75), type = 7)); list(n = length(x), median = q[2], q1 = q[1], q3 = q[3]) }

scenario <- function(rows, label, group) {
  x <- d[rows, ]
  g <- if (is.null(group)) NULL else x[[group]]
  vars <- list()
  for (v in setdiff(categorical, group)) {
    tab <- table(x[[v]])
    out <- list(kind = "categorical", counts = as.list(setNames(as.numeric(tab), names(tab))))
    if (!is.null(g)) {
      ct <- table(x[[v]], g)
      ct <- ct[rowSums(ct) > 0, colSums(ct) > 0, drop = FALSE]
      if (nrow(ct) >= 2 && ncol(ct) >= 2) {
        t <- suppressWarnings(chisq.test(ct, correct = FALSE))
        out$test <- list(statistic = unname(t$statistic), df = unname(t$parameter), p = t$p.value, smallExpected = any(t$expected < 5))
      } else out$test <- list(statistic = NA, df = 0, p = NA, smallExpected = FALSE)
    }
    vars[[v]] <- out
  }
  for (v in continuous) {
    out <- list(kind = "continuous", overall = q7(x[[v]]))
    if (!is.null(g)) {
      out$byGroup <- lapply(split(x[[v]], g), q7)
      t <- kruskal.test(x[[v]], factor(g))
      out$test <- list(statistic = unname(t$statistic), df = unname(t$parameter), p = t$p.value)
    }
    vars[[v]] <- out
  }
  list(label = label, group = if (is.null(group)) NA else group, n = nrow(x),
       groupCounts = if (is.null(g)) NULL else as.list(table(g)), variables = vars)
}

out <- list(
  meta = list(R = R.version.string, script = "table1-kato2012.R", data = "data/kato2012-synthetic.csv",
              calls = c("table(x); chisq.test(table(x, g) without empty margins, correct = FALSE)",
                        "quantile(x, c(.25, .5, .75), type = 7)", "kruskal.test(x, factor(g))"),
              regenerate = "Rscript test/reference/table1-kato2012.R  (from the project root)"),
  scenarios = list(
    scenario(rep(TRUE, nrow(d)), "all", NULL),
    scenario(rep(TRUE, nrow(d)), "all", "age_group"),
    scenario(rep(TRUE, nrow(d)), "all", "era"),
    scenario(d$status_sct2 == "CR", "CR at second SCT", "donor_sct2"),
    scenario(d$conditioning == "RIC", "RIC", "relapse_timing")
  )
)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = FALSE, na = "null", null = "null"), "test/reference/table1-kato2012.json")
