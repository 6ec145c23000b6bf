# Reference values for chiSquaredIndependence and kruskalWallis (Table 1 tests).
# Rscript test/reference/table1-tests.R  (from the project root); R 4.2.2.
suppressPackageStartupMessages(library(jsonlite))
vet <- read.csv("test/data/veteran.csv")
lung <- read.csv("test/data/lung.csv")
ct1 <- table(vet$celltype, vet$trt)
t1 <- suppressWarnings(chisq.test(ct1, correct = FALSE))
ct2 <- table(lung$sex, lung$ph.ecog)   # has a sparse level (ph.ecog 3: 1 patient)
t2 <- suppressWarnings(chisq.test(ct2, correct = FALSE))
k1 <- kruskal.test(vet$karno, factor(vet$celltype))
k2 <- kruskal.test(lung$age, factor(lung$ph.ecog))  # NA in ph.ecog dropped
w2 <- wilcox.test(karno ~ trt, data = vet, exact = FALSE, correct = FALSE)
out <- list(
  meta = list(r = R.version.string, calls = c("chisq.test(table(celltype, trt), correct = FALSE) on veteran",
    "chisq.test(table(sex, ph.ecog), correct = FALSE) on lung", "kruskal.test(karno, celltype) on veteran",
    "kruskal.test(age, ph.ecog) on lung", "wilcox.test(karno ~ trt, exact = FALSE, correct = FALSE) on veteran")),
  chisq_vet = list(counts = unclass(as.matrix(ct1)), statistic = unname(t1$statistic), df = unname(t1$parameter), p = t1$p.value),
  chisq_lung = list(counts = unclass(as.matrix(ct2)), statistic = unname(t2$statistic), df = unname(t2$parameter), p = t2$p.value),
  kw_vet = list(statistic = unname(k1$statistic), df = unname(k1$parameter), p = k1$p.value),
  kw_lung = list(statistic = unname(k2$statistic), df = unname(k2$parameter), p = k2$p.value),
  wilcox_vet = list(p = w2$p.value)
)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = TRUE), "test/reference/table1-tests.json")
