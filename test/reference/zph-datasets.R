# Reference values for coxZph: cox.zph (survival 3.5-3, the score-test form) on coxph fits run with
# coxph.control(eps = 1e-12, iter.max = 100). Regenerate from the project root:
#   Rscript test/reference/zph-datasets.R
source("test/reference/cox-helpers.R")
lung <- read.csv("test/data/lung.csv")
veteran <- read.csv("test/data/veteran.csv")
bmt <- read.csv("data/bmt.csv")
heart2 <- survival::heart
heart2$transplant <- as.character(heart2$transplant)
tight <- suppressWarnings(coxph.control(eps = 1e-12, iter.max = 100))

cases <- list(
  list(name = "lung-numeric", formula = Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = "efron"),
  list(name = "lung-numeric-breslow", formula = Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = "breslow"),
  list(name = "lung-factor", formula = Surv(time, status) ~ age + sex + factor(ph.ecog), data = lung, ties = "efron"),
  list(name = "lung-factor-perterm", formula = Surv(time, status) ~ age + sex + factor(ph.ecog), data = lung, ties = "efron", terms = FALSE),
  list(name = "veteran", formula = Surv(time, status) ~ trt + celltype + karno, data = veteran, ties = "efron"),
  list(name = "veteran-identity", formula = Surv(time, status) ~ trt + celltype + karno, data = veteran, ties = "efron", transform = "identity"),
  list(name = "veteran-log", formula = Surv(time, status) ~ trt + celltype + karno, data = veteran, ties = "efron", transform = "log"),
  list(name = "veteran-rank", formula = Surv(time, status) ~ trt + celltype + karno, data = veteran, ties = "efron", transform = "rank"),
  list(name = "bmt-strata", formula = Surv(t2, d3) ~ z1 + z2 + z8 + z10 + strata(group), data = bmt, ties = "efron"),
  list(name = "heart", formula = Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart2, ties = "efron")
)
out <- list(meta = meta("cox.zph(coxph(formula, data, ties, control = coxph.control(eps = 1e-12, iter.max = 100)), transform, terms)"),
            cases = list())
for (cs in cases) {
  fit <- coxph(cs$formula, data = cs$data, ties = cs$ties, control = tight)
  transform <- if (is.null(cs$transform)) "km" else cs$transform
  terms <- if (is.null(cs$terms)) TRUE else cs$terms
  z <- cox.zph(fit, transform = transform, terms = terms)
  tb <- z$table
  out$cases[[cs$name]] <- list(call = paste(deparse(cs$formula), collapse = ""), ties = cs$ties, transform = transform, terms = terms,
                               rows = rownames(tb), chisq = unname(tb[, "chisq"]), df = unname(tb[, "df"]), p = unname(tb[, "p"]))
}
write_fixture(out, "test/reference/zph-datasets.json")
