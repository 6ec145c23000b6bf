# R code reproducing this view of the notebook (survival / cmprsk).
# Put the cohort file next to this script (or change the path below), then run: Rscript <this file>
library(survival)
library(cmprsk)

# The cohort, read as the notebook reads it (column names kept, the same missing-value tokens)
d <- read.csv("data/kato2012-synthetic.csv", check.names = FALSE, fileEncoding = "UTF-8-BOM",
  na.strings = c("", "NA", "N/A", "n/a", "na", "N.A.", ".", "NaN", "nan", "null", "NULL", "Null", "None", "-", "?", "#N/A", "#NA"))

# Derived variables, as the notebook derives them (missing stays missing)
d$age_group <- ifelse(d$age <= 9, "\u{2264} 9 years", "> 9 years")
d$relapse_timing <- ifelse(d$interval_days >= 180, "Late (\u{2265} 180 days)", "Early (< 180 days)")
d$era <- as.character(cut(d$year_sct2, c(-Inf, 1999, 2004, Inf), labels = c("\u{2264} 1999", "2000\u{2013}2004", "\u{2265} 2005")))

# The filters of the view (a row with a missing value never matches)
d <- subset(d, era %in% c("2000\u{2013}2004", "\u{2265} 2005"))
cat("Patients selected:", nrow(d), "\n")

horizon <- 730.5  # days
# Endpoint: relapse (cause 1; NRM and refractory compete)

# Kaplan-Meier estimate with pointwise confidence intervals, and its value at the horizon
fit <- survfit(Surv(event_days, event == 1) ~ age_group, data = d, conf.type = "log-log")
print(fit)
print(summary(fit, times = horizon, extend = TRUE))

# Log-rank test (stratified)
lr <- survdiff(Surv(event_days, event == 1) ~ age_group + strata(conditioning), data = d)
print(lr)

# Cumulative incidence of each cause (Aalen-Johansen), competing risks; 0 = censored
ci <- cuminc(d[["event_days"]], d[["event"]], group = d[["age_group"]], strata = d[["conditioning"]], cencode = 0)
print(timepoints(ci, times = horizon))
# Gray's test per cause
print(ci$Tests)

# Categorical covariates as factors, with the view's reference levels
d[["age_group"]] <- relevel(factor(d[["age_group"]]), ref = "> 9 years")
d[["relapse_timing"]] <- relevel(factor(d[["relapse_timing"]]), ref = "Early (< 180 days)")
d[["status_sct2"]] <- relevel(factor(d[["status_sct2"]]), ref = "non-CR")

# Cox proportional hazards model (Efron ties), cause-specific: other causes censored
cox <- coxph(Surv(event_days, event == 1) ~ age_group + relapse_timing + status_sct2 + strata(conditioning), data = d, ties = "efron")
print(summary(cox))
# Proportional-hazards check (scaled Schoenfeld residuals, KM time transform)
zph <- cox.zph(cox)
print(zph)

# Fine-Gray subdistribution hazards model on the complete cases
dd <- d[complete.cases(d[, c("event_days", "event", "age_group", "relapse_timing", "status_sct2")]), , drop = FALSE]
X <- model.matrix(~ age_group + relapse_timing + status_sct2, data = dd)[, -1, drop = FALSE]
fg <- crr(dd[["event_days"]], dd[["event"]], cov1 = X, failcode = 1, cencode = 0)
print(summary(fg))
