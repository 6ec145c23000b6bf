# R code reproducing this view of the notebook (survival / cmprsk).
# Put the cohort file next to this script (or change the path below), then run: Rscript <this file>
library(survival)

# The cohort, read as the notebook reads it (column names kept, the same missing-value tokens)
d <- read.csv("data/kato2012-synthetic.csv", check.names = FALSE, fileEncoding = "UTF-8-BOM",
  na.strings = c("", "NA", "N/A", "n/a", "na", "N.A.", ".", "NaN", "nan", "null", "NULL", "Null", "None", "-", "?", "#N/A", "#NA"))

# Derived variables, as the notebook derives them (missing stays missing)
d$age_group <- ifelse(d$age <= 9, "\u{2264} 9 years", "> 9 years")
d$relapse_timing <- ifelse(d$interval_days >= 180, "Late (\u{2265} 180 days)", "Early (< 180 days)")

# The filters of the view (a row with a missing value never matches)
d <- subset(d, (age_group %in% c("\u{2264} 9 years")) &
  (interval_days >= 30 & interval_days <= 3000) &
  (sex != "F"))
cat("Patients selected:", nrow(d), "\n")

horizon <- 365.25  # days
# Endpoint: overall survival

# Kaplan-Meier estimate with pointwise confidence intervals, and its value at the horizon
fit <- survfit(Surv(os_days, os_status != 0) ~ relapse_timing, data = d, conf.type = "log-log")
print(fit)
print(summary(fit, times = horizon, extend = TRUE))

# Log-rank test
lr <- survdiff(Surv(os_days, os_status != 0) ~ relapse_timing, data = d)
print(lr)
