# R code reproducing this view of the notebook (survival / cmprsk).
# Put the cohort file next to this script (or change the path below), then run: Rscript <this file>
library(survival)

# The cohort, read as the notebook reads it (column names kept, the same missing-value tokens)
d <- read.csv("test/reference/rsnippet/odd 'name' \u{2264}.csv", check.names = FALSE, fileEncoding = "UTF-8-BOM",
  na.strings = c("", "NA", "N/A", "n/a", "na", "N.A.", ".", "NaN", "nan", "null", "NULL", "Null", "None", "-", "?", "#N/A", "#NA"))

# The filters of the view (a row with a missing value never matches)
d <- subset(d, (`we"ird\`col\\ \xe2\x89\xa4` %in% c("x\"); cat(\"PWNED\\n\"); #", "a\\b", "it's `here`")) &
  (`dose (mg)` <= 13))
cat("Patients selected:", nrow(d), "\n")

# The grouping columns under syntactic names (survfit and survdiff need them)
d$.group <- d[["we\"ird`col\\ \u{2264}"]]

horizon <- 365  # days
# Endpoint: overall survival

# Kaplan-Meier estimate with pointwise confidence intervals, and its value at the horizon
fit <- survfit(Surv(os_days, os_status != 0) ~ .group, data = d, conf.type = "log")
print(fit)
print(summary(fit, times = horizon, extend = TRUE))

# Log-rank test
lr <- survdiff(Surv(os_days, os_status != 0) ~ .group, data = d)
print(lr)
