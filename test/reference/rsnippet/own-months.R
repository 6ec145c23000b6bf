# R code reproducing this view of the notebook (survival / cmprsk).
# Put the cohort file next to this script (or change the path below), then run: Rscript <this file>
library(survival)

# The cohort, read as the notebook reads it (column names kept, the same missing-value tokens)
d <- read.csv("test/reference/rsnippet/own-cohort.csv", check.names = FALSE, fileEncoding = "UTF-8-BOM",
  na.strings = c("", "NA", "N/A", "n/a", "na", "N.A.", ".", "NaN", "nan", "null", "NULL", "Null", "None", "-", "?", "#N/A", "#NA"),
  colClasses = c("vital" = "character", "gender" = "character"))

# Your columns mapped to the study's variables, as the notebook's Your data page maps them
mapped <- list()
# os_days: the duration column in months, as days (x 30.4375)
mapped$os_days <- as.numeric(d[["surv_months"]]) * 30.4375
# os_status (0 = alive / censored, 1 = dead) from the codes chosen for each value; any other value is missing
mapped$os_status <- c(0, 1)[match(d[["vital"]], c("alive", "dead"))]
# age: the column in months, as years
mapped$age <- as.numeric(d[["age_mo"]]) * (30.4375 / 365.25)
# sex: the column's text
mapped$sex <- d[["gender"]]
# The file's own columns named like a study variable are kept as <name>_original
study_names <- c("os_days", "os_status", "event_days", "event", "age", "interval_days", "agvhd_grade", "year_sct2", "ph_positive", "tbi", "sex", "immunophenotype", "status_sct2", "conditioning", "donor_sct2", "source_sct2", "age_le9", "age_group", "late_relapse", "relapse_timing", "agvhd_any", "era", "ph", "tbi_label")
for (n in setdiff(intersect(names(d), study_names), character())) {
  alt <- paste0(n, "_original")
  k <- 2
  while (alt %in% names(d) || alt %in% study_names) {
    alt <- paste0(n, "_original_", k)
    k <- k + 1
  }
  names(d)[names(d) == n] <- alt
}
d[names(mapped)] <- mapped

# Derived variables, as the notebook derives them (missing stays missing)
d$age_group <- ifelse(d$age <= 9, "\u{2264} 9 years", "> 9 years")

# The filters of the view (a row with a missing value never matches)
d <- subset(d, sex == "F")
cat("Patients selected:", nrow(d), "\n")

horizon <- 365.25  # days
# Endpoint: overall survival

# Kaplan-Meier estimate with pointwise confidence intervals, and its value at the horizon
fit <- survfit(Surv(os_days, os_status != 0) ~ age_group, data = d, conf.type = "log-log")
print(fit)
print(summary(fit, times = horizon, extend = TRUE))

# Log-rank test
lr <- survdiff(Surv(os_days, os_status != 0) ~ age_group, data = d)
print(lr)
