# Reference values for the Cox rows of the edge-case catalogue (bad-inputs-and-edge-cases.md §8,
# C1-C18): what coxph returns, warns or stops with. Each case stores its data, the fit with the
# default control (what a user sees: warnings, iterations) and with eps = 1e-12, iter.max = 100.
# Regenerate from the project root: Rscript test/reference/cox-edge.R
source("test/reference/cox-helpers.R")
lung <- read.csv("test/data/lung.csv")
aml <- read.csv("test/data/aml.csv")
tight <- suppressWarnings(coxph.control(eps = 1e-12, iter.max = 100))
dflt <- coxph.control(eps = 1e-9, iter.max = 20)

lung_sub <- lung[, c("time", "event", "age", "sex")]
names(lung_sub)[2] <- "status"   # 0/1 (lung.csv's event column)
lung_sub$dup <- 2 * lung_sub$age
lung_sub$const <- 1
lung_sub$age_big <- lung_sub$age * 1e8
# a three-level factor whose third level is a single censored subject (C3)
lung_sub$grp <- ifelse(lung_sub$sex == 1, "a", "b")
lung_sub$grp[which(lung_sub$status == 0)[1]] <- "c"

cases <- list(
  C1_zero_events = list(data = data.frame(time = c(1, 2, 3, 4, 5), status = c(0, 0, 0, 0, 0), x = c(1, 3, 2, 5, 4)),
                        formula = Surv(time, status) ~ x),
  C2_separation = list(data = data.frame(time = 1:6, status = rep(1, 6), x = c(1, 1, 1, 0, 0, 0)),
                       formula = Surv(time, status) ~ x),
  C3_singleton_level = list(data = lung_sub, formula = Surv(time, status) ~ age + grp),
  C4_collinear = list(data = lung_sub, formula = Surv(time, status) ~ age + sex + dup),
  C5_constant = list(data = lung_sub, formula = Surv(time, status) ~ age + const + sex),
  C6_test1_efron = list(data = data.frame(time = c(4, 3, 1, 1, 2, 2, 3), status = c(1, NA, 1, 0, 1, 1, 0), x = c(0, 2, 1, 1, 1, 0, 0)),
                        formula = Surv(time, status) ~ x, ties = "efron"),
  C6_test1_breslow = list(data = data.frame(time = c(4, 3, 1, 1, 2, 2, 3), status = c(1, NA, 1, 0, 1, 1, 0), x = c(0, 2, 1, 1, 1, 0, 0)),
                          formula = Surv(time, status) ~ x, ties = "breslow"),
  C8_single_event = list(data = data.frame(time = c(1, 2, 3, 4, 5, 6), status = c(1, 0, 0, 0, 0, 0), x = c(0.3, 1.2, 2.9, 0.8, 2.2, 1.7)),
                         formula = Surv(time, status) ~ x),
  C10_missing_covariate = list(data = data.frame(time = c(1, 2, 3, 4, 5), status = c(1, 1, 0, 1, 1), x = c(2, NA, 1, 3, 0)),
                               formula = Surv(time, status) ~ x),
  C12_scaled = list(data = lung_sub, formula = Surv(time, status) ~ age_big),
  C12_unscaled = list(data = lung_sub, formula = Surv(time, status) ~ age),
  C14_all_tied = list(data = data.frame(time = rep(1, 6), status = rep(1, 6), x = c(0, 1, 0, 1, 0, 1)),
                      formula = Surv(time, status) ~ x, ties = "efron"),
  C14_all_tied_breslow = list(data = data.frame(time = rep(1, 6), status = rep(1, 6), x = c(0, 1, 0, 1, 0, 1)),
                              formula = Surv(time, status) ~ x, ties = "breslow"),
  C16_near_tie = list(data = data.frame(time = c(1, 1 + 1e-10, 2, 3, 4), status = c(1, 1, 0, 1, 1), x = c(1, 0, 1, 0, 1)),
                      formula = Surv(time, status) ~ x),
  C18_counting_zero_start = list(data = transform(lung_sub, start = 0), formula = Surv(start, time, status) ~ age + sex),
  single_event_at_risk_all_tied = list(data = data.frame(time = c(2, 2, 2, 2), status = c(1, 0, 0, 0), x = c(1, 2, 3, 4)),
                                       formula = Surv(time, status) ~ x)
)

out <- list(meta = meta("coxph(formula, data, ties = 'efron' unless stated): 'default' with coxph.control(), 'tight' with coxph.control(eps = 1e-12, iter.max = 100); 'iter2' with coxph.control(iter.max = 2) for C17"), cases = list())
for (nm in names(cases)) {
  cs <- cases[[nm]]
  ties <- if (is.null(cs$ties)) "efron" else cs$ties
  d <- capture(coxph(cs$formula, data = cs$data, ties = ties, control = dflt))
  t <- capture(coxph(cs$formula, data = cs$data, ties = ties, control = tight))
  vars <- all.vars(cs$formula)
  entry <- list(call = paste(deparse(cs$formula), collapse = ""), ties = ties, data = as.list(cs$data[, vars, drop = FALSE]))
  entry$default <- if (inherits(d$value, "captured_error")) list(error = d$value$message) else coxinfo(d$value, d$warnings)
  entry$tight <- if (inherits(t$value, "captured_error")) list(error = t$value$message) else coxinfo(t$value, t$warnings)
  out$cases[[nm]] <- entry
}
# C17: iteration limit
c17 <- capture(coxph(Surv(time, status) ~ age + sex, data = lung_sub, control = coxph.control(iter.max = 2)))
out$cases$C17_iter_max_2 <- list(call = "Surv(time, status) ~ age + sex, control = coxph.control(iter.max = 2)", ties = "efron",
                                 data = as.list(lung_sub[, c("time", "status", "age", "sex")]),
                                 default = coxinfo(c17$value, c17$warnings))
# Errors R raises (C9, C11, C13)
out$errors <- list(
  C9_infinite = capture(coxph(Surv(time, status) ~ x, data = data.frame(time = 1:4, status = c(1, 1, 0, 1), x = c(1, Inf, 2, 3))))$value$message,
  C11_zero_weight = capture(coxph(Surv(time, status) ~ x, data = data.frame(time = 1:4, status = c(1, 1, 0, 1), x = c(1, 4, 2, 3)), weights = c(1, 0, 1, 1)))$value$message,
  C13_init = capture(coxph(Surv(time, status) ~ age, data = lung_sub, init = 1000))$value$message
)
write_fixture(out, "test/reference/cox-edge.json")
