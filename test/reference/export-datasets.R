# Write the public reference data sets as CSV so that R fixtures and the JavaScript tests read the
# same bytes. Run from the project root: Rscript test/reference/export-datasets.R
# R 4.2.2, survival 3.5-3, KMsurv (Debian r-cran-kmsurv).
suppressPackageStartupMessages({library(survival); library(KMsurv)})
w <- function(d, f) write.csv(d, f, row.names = FALSE, na = "NA")
lung2 <- survival::lung            # status 1 = censored, 2 = dead (R's coding) -> add event 0/1
lung2$event <- as.integer(lung2$status == 2)
w(lung2, "test/data/lung.csv")
vet <- survival::veteran
w(vet, "test/data/veteran.csv")
aml2 <- survival::aml
aml2$x <- as.character(aml2$x)
w(aml2, "test/data/aml.csv")
m <- survival::mgus2
# competing risks coding used by survival's vignette: progression (PCM) first, else death
m$etime <- ifelse(m$pstat == 0, m$futime, m$ptime)
m$event <- ifelse(m$pstat == 0, 2L * m$death, 1L)   # 0 censored, 1 PCM, 2 death without PCM
w(m, "test/data/mgus2.csv")
data(bmt, package = "KMsurv")
w(bmt, "data/bmt.csv")
