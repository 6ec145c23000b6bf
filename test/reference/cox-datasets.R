# Reference values for coxPH on public data sets: coxph with tightened convergence (the values the
# tests compare at 1e-6), with the default control (to compare iteration counts) and the
# log-likelihood, score and information at R's coefficients (iter.max = 0, init = beta).
# Regenerate from the project root: Rscript test/reference/cox-datasets.R
source("test/reference/cox-helpers.R")

lung <- read.csv("test/data/lung.csv")
veteran <- read.csv("test/data/veteran.csv")
aml <- read.csv("test/data/aml.csv")
bmt <- read.csv("data/bmt.csv")
mgus2 <- read.csv("test/data/mgus2.csv")
mgus2$pcm <- as.integer(mgus2$event == 1)   # cause 1 (PCM); deaths without PCM count as censored

# eps = 1e-12 is below toler.chol (R warns "tolerance should be < eps"; harmless here).
tight <- suppressWarnings(coxph.control(eps = 1e-12, iter.max = 100, toler.chol = .Machine$double.eps^0.75, timefix = TRUE))
dflt <- coxph.control(eps = 1e-9, iter.max = 20, toler.chol = .Machine$double.eps^0.75, timefix = TRUE)

# Counting-process data 1: bmt with platelet recovery (tp, dp) as a time-dependent covariate.
bmt$id <- seq_len(nrow(bmt))
b1 <- tmerge(bmt[, c("id", "group", "z1", "z2")], bmt, id = id, dfs = event(t2, d3))
b2 <- tmerge(b1, bmt[bmt$dp == 1, ], id = id, plt = tdc(tp))
bmt_tdc <- data.frame(id = b2$id, tstart = b2$tstart, tstop = b2$tstop, dfs = b2$dfs, plt = b2$plt,
                      z1 = b2$z1, z2 = b2$z2, group = b2$group)
# Counting-process data 2: the Stanford heart transplant data (survival::heart).
heart2 <- survival::heart
heart2$transplant <- as.character(heart2$transplant)
# Case weights for a weighted fit on lung.
lungw <- lung
lungw$w <- 1 + (seq_len(nrow(lung)) %% 3)          # integer weights: R's variance is model-based
lungw$w2 <- 0.5 + (seq_len(nrow(lung)) %% 4) / 2    # non-integer: R defaults to robust = TRUE, so robust = FALSE is set

cases <- list(
  list(name = "lung-age-sex-efron", formula = Surv(time, status) ~ age + sex, data = lung, ties = "efron"),
  list(name = "lung-age-sex-breslow", formula = Surv(time, status) ~ age + sex, data = lung, ties = "breslow"),
  list(name = "lung-ecog-factor", formula = Surv(time, status) ~ age + sex + factor(ph.ecog), data = lung, ties = "efron"),
  list(name = "veteran-celltype", formula = Surv(time, status) ~ trt + celltype + karno, data = veteran, ties = "efron"),
  list(name = "aml-efron", formula = Surv(time, status) ~ x, data = aml, ties = "efron"),
  list(name = "aml-breslow", formula = Surv(time, status) ~ x, data = aml, ties = "breslow"),
  list(name = "bmt-strata", formula = Surv(t2, d3) ~ z1 + z2 + z8 + z10 + strata(group), data = bmt, ties = "efron"),
  list(name = "bmt-strata-breslow", formula = Surv(t2, d3) ~ z1 + z2 + z8 + z10 + strata(group), data = bmt, ties = "breslow"),
  list(name = "bmt-platelets-tdc", formula = Surv(tstart, tstop, dfs) ~ plt + z1 + z2 + strata(group), data = bmt_tdc, ties = "efron"),
  list(name = "heart", formula = Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart2, ties = "efron"),
  list(name = "heart-breslow", formula = Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart2, ties = "breslow"),
  list(name = "mgus2-cause1", formula = Surv(etime, pcm) ~ age + sex, data = mgus2, ties = "efron"),
  list(name = "lung-weights", formula = Surv(time, status) ~ age + sex, data = lungw, ties = "efron", weights = "w"),
  list(name = "lung-weights-fractional", formula = Surv(time, status) ~ age + sex, data = lungw, ties = "breslow", weights = "w2", robust = FALSE)
)

out <- list(meta = meta("coxph(formula, data, ties, [weights = w, robust = FALSE], control = coxph.control(eps = 1e-12, iter.max = 100)) for 'tight'; default coxph.control() for 'default'; 'fixed' is coxph(..., init = b, control = coxph.control(iter.max = 0)) at b = tight coef and b = coef / 2: loglik, score = colSums(residuals(type = 'score')), var (inverse information at b) and the score test at b"),
            data = list(bmt_tdc = as.list(bmt_tdc), heart = as.list(heart2), lung_weights = lungw$w, lung_weights_fractional = lungw$w2),
            cases = list())
for (cs in cases) {
  fitit <- function(control, init = NULL) {
    args <- list(cs$formula, data = cs$data, ties = cs$ties, control = control)
    if (!is.null(init)) args$init <- init
    if (!is.null(cs$weights)) args$weights <- cs$data[[cs$weights]]
    if (!is.null(cs$robust)) args$robust <- cs$robust
    do.call(coxph, args)
  }
  t <- capture(fitit(tight))
  d <- capture(fitit(dflt))
  beta <- coef(t$value)
  beta[is.na(beta)] <- 0
  fixed_at <- function(b) {
    f0 <- fitit(coxph.control(iter.max = 0), init = b)
    list(beta = unname(b), loglik = unname(f0$loglik[2]), score = unname(colSums(as.matrix(residuals(f0, type = "score", weighted = TRUE)))),
         var = unname(f0$var), sctest = unname(f0$score))
  }
  fixed <- list(at_coef = fixed_at(beta), at_half = fixed_at(beta / 2))
  out$cases[[cs$name]] <- list(call = paste(deparse(cs$formula), collapse = ""), ties = cs$ties,
                               tight = coxinfo(t$value, t$warnings), default = coxinfo(d$value, d$warnings), fixed = fixed)
}
write_fixture(out, "test/reference/cox-datasets.json")
