# R code reproducing this view of the notebook (survival / cmprsk).
# Put the cohort file next to this script (or change the path below), then run: Rscript <this file>
library(survival)
library(cmprsk)

# The cohort, read as the notebook reads it (column names kept, the same missing-value tokens)
d <- read.csv("test/reference/rsnippet/own-cohort.csv", check.names = FALSE, fileEncoding = "UTF-8-BOM",
  na.strings = c("", "NA", "N/A", "n/a", "na", "N.A.", ".", "NaN", "nan", "null", "NULL", "Null", "None", "-", "?", "#N/A", "#NA"),
  colClasses = c("first_event_date" = "character", "sct2_date" = "character", "first_event" = "character"))

# Dates as the notebook reads them: blanks around the value ignored, then exactly the format (else missing)
.as_date <- function(x, pattern, format) {
  x <- gsub("^[\\s\\p{Zs}\u{FEFF}\u{2028}\u{2029}]+|[\\s\\p{Zs}\u{FEFF}\u{2028}\u{2029}]+$", "", as.character(x), perl = TRUE)
  x[!grepl(pattern, x, perl = TRUE)] <- NA
  as.Date(x, format = format)
}

# Your columns mapped to the study's variables, as the notebook's Your data page maps them
mapped <- list()
# event_days: days from the start date to the end date
mapped$event_days <- as.numeric(.as_date(d[["first_event_date"]], "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}$", "%Y-%m-%d") - .as_date(d[["sct2_date"]], "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}$", "%Y-%m-%d"))
# event (0 = censored, 1 relapse, 2 NRM, 3 refractory, 4+ other) from the codes chosen for each value; any other value is missing
mapped$event <- c(0, 1, 2, 3)[match(d[["first_event"]], c("none", "relapse", "nrm", "refractory"))]
# age: the column in months, as years
mapped$age <- as.numeric(d[["age_mo"]]) * (30.4375 / 365.25)
# interval_days: the column in weeks, as days
mapped$interval_days <- as.numeric(d[["interval_wk"]]) * (7 / 1)
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
d$relapse_timing <- ifelse(d$interval_days >= 180, "Late (\u{2265} 180 days)", "Early (< 180 days)")

# The filters of the view (a row with a missing value never matches)
d <- subset(d, event_original != "withdrawn")
cat("Patients selected:", nrow(d), "\n")

horizon <- 730.5  # days
# Endpoint: relapse (cause 1; NRM and refractory compete)

# Kaplan-Meier estimate with pointwise confidence intervals, and its value at the horizon
fit <- survfit(Surv(event_days, event == 1) ~ relapse_timing, data = d, conf.type = "log-log")
print(fit)
print(summary(fit, times = horizon, extend = TRUE))

# Cumulative incidence of each cause (Aalen-Johansen), competing risks; 0 = censored
ci <- cuminc(d[["event_days"]], d[["event"]], group = d[["relapse_timing"]], cencode = 0)
print(timepoints(ci, times = horizon))
# Gray's test per cause
print(ci$Tests)

# Categorical covariates as factors, with the view's reference levels
d[["relapse_timing"]] <- relevel(factor(d[["relapse_timing"]]), ref = "Early (< 180 days)")

# Cox proportional hazards model (Efron ties), cause-specific: other causes censored
cox <- coxph(Surv(event_days, event == 1) ~ age + relapse_timing, data = d, ties = "efron")
print(summary(cox))

# Fine-Gray subdistribution hazards model on the complete cases
dd <- d[complete.cases(d[, c("event_days", "event", "age", "relapse_timing")]), , drop = FALSE]
X <- model.matrix(~ age + relapse_timing, data = dd)[, -1, drop = FALSE]
fg <- crr(dd[["event_days"]], dd[["event"]], cov1 = X, failcode = 1, cencode = 0)
print(summary(fg))
