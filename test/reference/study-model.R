# Reference values for the Model page's study functions (src/study/model.ts) on the committed synthetic
# cohort data/kato2012-synthetic.csv: multivariable Cox models of overall survival (Efron and Breslow),
# cox.zph, and relapse (cause 1) with non-relapse mortality (2) and refractory disease (3) competing —
# cmprsk::crr (Fine–Gray) and the cause-specific coxph — on the same covariates.
# Factor coding as the page: treatment contrasts with the first level of the page's order as reference
# (age <= 9, late relapse >= 180 d, CR, MAC, related donor, BM); numeric covariates: age per year,
# interval_days per month (365.25 / 12 days).
# Run from the project root: Rscript test/reference/study-model.R  → test/reference/study-model.json
# R 4.2.2, survival 3.5-3, cmprsk 2.2-11, jsonlite.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})
d <- read.csv("data/kato2012-synthetic.csv", stringsAsFactors = FALSE)
d$age_group <- factor(ifelse(d$age <= 9, "le9", "gt9"), levels = c("le9", "gt9"))
d$relapse_timing <- factor(ifelse(d$interval_days >= 180, "late", "early"), levels = c("late", "early"))
d$status_sct2 <- factor(d$status_sct2, levels = c("CR", "non-CR"))
d$conditioning <- factor(d$conditioning, levels = c("MAC", "RIC"))
d$donor_sct2 <- factor(d$donor_sct2, levels = c("related", "unrelated"))
d$source_sct2 <- factor(d$source_sct2, levels = c("BM", "CB", "PB"))
d$interval_months <- d$interval_days / (365.25 / 12)
ctl <- coxph.control(eps = 1e-12, iter.max = 100)

chi <- function(stat, df) list(stat = unname(stat), df = df, p = pchisq(unname(stat), df, lower.tail = FALSE))
fmt <- function(f) paste(deparse(f, width.cutoff = 500), collapse = "")

cox <- function(label, formula, ties) {
  fit <- coxph(formula, data = d, ties = ties, control = ctl)
  s <- summary(fit)
  z <- cox.zph(fit, transform = "km", terms = TRUE)
  tab <- z$table
  k <- nrow(tab)
  list(label = label, call = sprintf("coxph(%s, ties = '%s', control = coxph.control(eps = 1e-12, iter.max = 100)); cox.zph(fit, transform = 'km')",
                                    fmt(formula), ties),
       terms = I(names(coef(fit))), coef = unname(coef(fit)), se = unname(sqrt(diag(fit$var))),
       hr = unname(s$conf.int[, "exp(coef)"]), lower = unname(s$conf.int[, "lower .95"]), upper = unname(s$conf.int[, "upper .95"]),
       p = unname(s$coefficients[, "Pr(>|z|)"]),
       n = fit$n, events = fit$nevent,
       # full precision (summary() rounds the Wald statistic): fit$loglik, fit$wald.test, fit$score
       lr = chi(2 * diff(fit$loglik), length(coef(fit))),
       wald = chi(fit$wald.test, length(coef(fit))),
       score = chi(fit$score, length(coef(fit))),
       concordance = unname(fit$concordance["concordance"]), concordanceSE = unname(fit$concordance["std"]),
       zph = list(terms = I(rownames(tab)[-k]), chisq = unname(tab[-k, "chisq"]), df = unname(tab[-k, "df"]), p = unname(tab[-k, "p"]),
                  global = list(chisq = unname(tab[k, "chisq"]), df = unname(tab[k, "df"]), p = unname(tab[k, "p"]))))
}

competing <- function(label, formula) {
  X <- model.matrix(formula, data = d)[, -1, drop = FALSE]
  fg <- crr(d$event_days, d$event, X, failcode = 1, cencode = 0)
  se <- sqrt(diag(fg$var))
  cs <- coxph(update(formula, Surv(event_days, event == 1) ~ .), data = d, ties = "efron", control = ctl)
  s <- summary(cs)
  list(label = label,
       call = c(sprintf("crr(event_days, event, model.matrix(%s)[, -1], failcode = 1, cencode = 0)", fmt(formula)),
                sprintf("coxph(Surv(event_days, event == 1) %s, ties = 'efron', control = coxph.control(eps = 1e-12, iter.max = 100))", fmt(formula))),
       terms = I(colnames(X)),
       fg = list(coef = unname(fg$coef), se = unname(se), hr = unname(exp(fg$coef)),
                 lower = unname(exp(fg$coef - qnorm(0.975) * se)), upper = unname(exp(fg$coef + qnorm(0.975) * se)),
                 p = unname(2 * pnorm(-abs(fg$coef / se))), converged = fg$converged),
       cs = list(coef = unname(coef(cs)), se = unname(sqrt(diag(cs$var))), hr = unname(s$conf.int[, "exp(coef)"]),
                 lower = unname(s$conf.int[, "lower .95"]), upper = unname(s$conf.int[, "upper .95"]),
                 p = unname(s$coefficients[, "Pr(>|z|)"]), events = cs$nevent,
                 lr = chi(2 * diff(cs$loglik), length(coef(cs)))),
       n = nrow(d), relapses = sum(d$event == 1), nrm = sum(d$event == 2), refractory = sum(d$event == 3))
}

paper <- Surv(os_days, os_status) ~ age_group + relapse_timing + status_sct2 + conditioning
# in the page's order (factors as the filter panel lists them, then numeric variables)
mixed <- Surv(os_days, os_status) ~ donor_sct2 + source_sct2 + age + interval_months
out <- list(
  meta = list(script = "test/reference/study-model.R", data = "data/kato2012-synthetic.csv",
              R = R.version.string, survival = as.character(packageVersion("survival")),
              cmprsk = as.character(packageVersion("cmprsk"))),
  cox = list(cox("paper's four factors, Efron", paper, "efron"),
             cox("paper's four factors, Breslow", paper, "breslow"),
             cox("donor, source, age, interval (months), Efron", mixed, "efron")),
  competing = list(competing("paper's four factors", ~ age_group + relapse_timing + status_sct2 + conditioning),
                   competing("four factors + donor + source", ~ age_group + relapse_timing + status_sct2 + conditioning + donor_sct2 + source_sct2))
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "test/reference/study-model.json")
cat("wrote test/reference/study-model.json\n")
