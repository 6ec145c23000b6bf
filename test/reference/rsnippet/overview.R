# R code reproducing this view of the notebook (survival / cmprsk).
# Put the cohort file next to this script (or change the path below), then run: Rscript <this file>
library(survival)

# The cohort, read as the notebook reads it (column names kept, the same missing-value tokens)
d <- read.csv("data/kato2012-synthetic.csv", check.names = FALSE, fileEncoding = "UTF-8-BOM",
  na.strings = c("", "NA", "N/A", "n/a", "na", "N.A.", ".", "NaN", "nan", "null", "NULL", "Null", "None", "-", "?", "#N/A", "#NA"))
cat("Patients selected:", nrow(d), "\n")

horizon <- 730.5  # days
# Endpoint: overall survival

# Kaplan-Meier estimate with pointwise confidence intervals, and its value at the horizon
fit <- survfit(Surv(os_days, os_status != 0) ~ 1, data = d, conf.type = "log-log")
print(fit)
print(summary(fit, times = horizon, extend = TRUE))
