# Regenerate every reference fixture: Rscript test/reference/make-fixtures.R  (from the project root).
# Needs R 4.2 with survival 3.5-3, cmprsk 2.2-11, KMsurv and jsonlite (Debian: r-base-core
# r-cran-survival r-cran-cmprsk r-cran-kmsurv r-cran-jsonlite). CI never runs this: the JSON it writes
# is committed, and the tests say which script and R call each expected value came from.
helpers <- c("km-common.R", "cox-helpers.R", "fixture-json.R", "gray-common.R", "make-fixtures.R")
scripts <- c("export-datasets.R", setdiff(sort(list.files("test/reference", pattern = "\\.R$")), c(helpers, "export-datasets.R")))
stopifnot(packageVersion("survival") == "3.5.3", packageVersion("cmprsk") == "2.2.11")
for (s in scripts) {
  cat("==>", s, "\n")
  status <- system2("Rscript", file.path("test/reference", s))
  if (status != 0) stop("failed: ", s)
}
for (s in list.files("test/components/reference", pattern = "\\.R$", full.names = TRUE)) {
  cat("==>", s, "\n")
  if (system2("Rscript", s) != 0) stop("failed: ", s)
}
