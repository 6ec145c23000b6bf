# End-to-end reference for the headless runner on data sets no engine test uses: survival's pbc
# (status 0 censored / 1 transplant / 2 dead: competing risks) and colon (death records).
# Rscript test/reference/runner-unseen.R  (from the project root). R 4.2.2, survival 3.5-3, cmprsk 2.2-11.
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})
p <- survival::pbc[!is.na(survival::pbc$trt), c("id", "time", "status", "trt", "age", "sex", "edema", "bili", "albumin", "stage")]
p$trt <- ifelse(p$trt == 1, "D-penicillamine", "placebo")
p$dead <- as.integer(p$status == 2)
write.csv(p, "test/data/pbc.csv", row.names = FALSE, na = "NA")
co <- subset(survival::colon, etype == 2, c("id", "time", "status", "rx", "sex", "age", "obstruct", "nodes", "differ", "extent"))
write.csv(co, "test/data/colon.csv", row.names = FALSE, na = "NA")

at <- c(365, 1000, 2000, 3000)
steps <- function(fit) list(time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, n_censor = fit$n.censor,
                            surv = fit$surv, std_err_s = fit$surv * fit$std.err, lower = fit$lower, upper = fit$upper,
                            strata = if (is.null(fit$strata)) NULL else rep(names(fit$strata), fit$strata))
km1 <- survfit(Surv(time, dead) ~ trt, data = p, conf.type = "log-log")
s1 <- summary(km1, times = at, extend = TRUE)
km2 <- survfit(Surv(time, status) ~ rx, data = co, conf.type = "plain", conf.int = 0.9)
lr1 <- survdiff(Surv(time, dead) ~ stage, data = p)
lr2 <- survdiff(Surv(time, status) ~ rx + strata(sex), data = co, rho = 1)
ci <- cuminc(p$time, p$status, group = p$trt, cencode = 0)
tp <- timepoints(ci, at)
cx <- coxph(Surv(time, dead) ~ age + bili + albumin + factor(edema) + trt, data = p, ties = "efron",
            control = coxph.control(eps = 1e-12, iter.max = 100, toler.chol = .Machine$double.eps^0.75))
cx2 <- coxph(Surv(time, status) ~ rx + age + nodes, data = co, ties = "breslow",
             control = coxph.control(eps = 1e-12, iter.max = 100))
zp <- cox.zph(coxph(Surv(time, dead) ~ age + bili + albumin, data = p), transform = "km")
pc <- p[complete.cases(p[, c("age", "bili", "albumin")]), ]
fg <- crr(pc$time, pc$status, cov1 = cbind(age = pc$age, bili = pc$bili, albumin = pc$albumin), failcode = 2, cencode = 0,
          gtol = 1e-10, maxiter = 100)
out <- list(
  meta = list(r = R.version.string, survival = as.character(packageVersion("survival")), cmprsk = as.character(packageVersion("cmprsk")),
              note = "std_err_s is the SE of S (summary.survfit); cuminc variance as timepoints()"),
  km_pbc = list(call = "survfit(Surv(time, dead) ~ trt, data = pbc, conf.type = 'log-log')", steps = steps(km1),
                at = list(time = s1$time, surv = s1$surv, std_err = s1$std.err, lower = s1$lower, upper = s1$upper, n_risk = s1$n.risk,
                          strata = as.character(s1$strata)),
                median = unname(summary(km1)$table[, "median"]), median_lower = unname(summary(km1)$table[, "0.95LCL"]),
                median_upper = unname(summary(km1)$table[, "0.95UCL"])),
  km_colon = list(call = "survfit(Surv(time, status) ~ rx, data = colon (etype 2), conf.type = 'plain', conf.int = 0.9)", steps = steps(km2)),
  logrank_pbc = list(call = "survdiff(Surv(time, dead) ~ stage, data = pbc)", chisq = lr1$chisq, df = length(lr1$n) - 1,
                     p = pchisq(lr1$chisq, length(lr1$n) - 1, lower.tail = FALSE), observed = lr1$obs, expected = lr1$exp, n = as.vector(lr1$n)),
  logrank_colon = list(call = "survdiff(Surv(time, status) ~ rx + strata(sex), data = colon, rho = 1)", chisq = lr2$chisq,
                       p = pchisq(lr2$chisq, 2, lower.tail = FALSE), observed = rowSums(lr2$obs), expected = rowSums(lr2$exp)),
  cif_pbc = list(call = "cuminc(time, status, group = trt, cencode = 0); timepoints(ci, at)", est = tp$est, var = tp$var,
                 rows = rownames(tp$est), at = at, tests = list(stat = ci$Tests[, "stat"], p = ci$Tests[, "pv"], df = ci$Tests[, "df"])),
  cox_pbc = list(call = "coxph(Surv(time, dead) ~ age + bili + albumin + factor(edema) + trt, ties = 'efron')",
                 coef = unname(coef(cx)), se = unname(sqrt(diag(cx$var))), loglik = cx$loglik,
                 lr = 2 * diff(cx$loglik), wald = unname(cx$wald.test), score = unname(cx$score),  # unrounded (summary() rounds its tests)
                 concordance = unname(cx$concordance["concordance"]), n = cx$n, events = cx$nevent),
  cox_colon = list(call = "coxph(Surv(time, status) ~ rx + age + nodes, data = colon, ties = 'breslow')", coef = unname(coef(cx2)),
                   se = unname(sqrt(diag(cx2$var))), n = cx2$n, events = cx2$nevent),
  zph_pbc = list(call = "cox.zph(coxph(Surv(time, dead) ~ age + bili + albumin), transform = 'km')", table = unclass(zp$table)),
  crr_pbc = list(call = "crr(time, status, cov1 = cbind(age, bili, albumin), failcode = 2, cencode = 0, gtol = 1e-10)",
                 coef = unname(fg$coef), se = unname(sqrt(diag(fg$var))), converged = fg$converged)
)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = TRUE, na = "null"), "test/reference/runner-unseen.json")
