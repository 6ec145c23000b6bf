# Reference values for concordance(): R's concordance(Surv(...) ~ score, timewt = "n") (survival
# 3.5-3) with and without reverse, case weights, strata and (start, stop] data.
# Regenerate from the project root: Rscript test/reference/cox-concordance.R
source("test/reference/cox-helpers.R")
lung <- read.csv("test/data/lung.csv")
lung$w <- 1 + (seq_len(nrow(lung)) %% 3) / 2
heart <- survival::heart
one <- function(fit) {
  cnt <- if (is.matrix(fit$count)) colSums(fit$count) else fit$count
  list(concordant = unname(cnt["concordant"]), discordant = unname(cnt["discordant"]), tied_x = unname(cnt["tied.x"]),
       tied_y = unname(cnt["tied.y"]), tied_xy = unname(cnt["tied.xy"]), concordance = unname(fit$concordance),
       std = unname(sqrt(fit$var)))
}
out <- list(meta = meta("concordance(formula, data, timewt = 'n', timefix = TRUE, reverse, weights); counts are summed over strata"),
            heart = as.list(heart[, c("start", "stop", "event", "age")]), lung_weights = lung$w,
            cases = list(
  lung_age = one(concordance(Surv(time, status) ~ age, data = lung, timewt = "n")),
  lung_age_reverse = one(concordance(Surv(time, status) ~ age, data = lung, timewt = "n", reverse = TRUE)),
  lung_ecog = one(concordance(Surv(time, status) ~ ph.ecog, data = lung, timewt = "n")),
  lung_age_weights = one(concordance(Surv(time, status) ~ age, data = lung, timewt = "n", weights = w)),
  lung_age_strata_sex = one(concordance(Surv(time, status) ~ age + strata(sex), data = lung, timewt = "n")),
  heart_age = one(concordance(Surv(start, stop, event) ~ age, data = heart, timewt = "n"))
))
write_fixture(out, "test/reference/cox-concordance.json")
