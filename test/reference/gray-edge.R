# Gray's K-sample test for cumulative incidence: reference values from cmprsk::cuminc(...)$Tests,
# with the score vector and variance matrix that cuminc's Fortran (crstm) returns and the rank that
# qr() finds (cuminc sets stat = -1, printed as p = 1, when the variance is singular).
# Edge cases: catalogue R5 (identical groups), R6 (a group without events of the cause), R7 (singular
# variance), three causes with ties, a group absent from a stratum; the data are written into the fixture.
# Regenerate from the project root:  Rscript test/reference/gray-edge.R
# Writes test/reference/gray-edge.json. R 4.2.2, cmprsk 2.2-11, jsonlite.
source("test/reference/gray-common.R")  # libraries, meta, crstm(), run()

E <- function(id, name, time, event, group, strata = NULL, rho = 0) {
  data <- list(time = arr(time), event = arr(event), group = group, strata = if (is.null(strata)) NA else strata)
  c(list(id = id), run(name, NA, time, event, group, strata, rho, data = data))
}
cases <- list(
  E("R5", "identical groups", c(1, 2, 3, 4, 5, 1, 2, 3, 4, 5), c(1, 2, 0, 1, 2, 1, 2, 0, 1, 2), rep(c("a", "b"), each = 5)),
  E("R6", "group b has no events of cause 1", c(1, 2, 3, 4, 5, 6, 1.5, 2.5, 3.5, 4.5, 5.5), c(1, 1, 2, 1, 0, 1, 2, 2, 0, 2, 0), c(rep("a", 6), rep("b", 5))),
  E("R7", "group c is censored before the first event: singular variance", c(1, 2, 3, 4, 5, 6, 2.5, 3.5, 4.5, 0.5, 0.6),
    c(1, 2, 1, 0, 1, 2, 1, 2, 1, 0, 0), c(rep("a", 6), rep("b", 3), "c", "c")),
  E("three", "three causes, three groups, ties within and across causes", c(1, 1, 2, 2, 3, 4, 4, 5, 6, 7, 1, 2, 2, 3, 4, 4, 6, 8, 1, 3, 3, 5, 5, 7, 9),
    c(1, 2, 3, 1, 0, 1, 1, 2, 3, 0, 3, 1, 2, 2, 1, 0, 3, 1, 2, 1, 3, 2, 2, 0, 1), c(rep("x", 10), rep("y", 8), rep("z", 7))),
  E("strata", "group z absent from stratum 2, rho = 1", c(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1.5, 2.5, 3.5, 4.5),
    c(1, 2, 1, 0, 1, 2, 2, 1, 1, 2, 0, 1, 1, 2, 0, 1), c("x", "y", "z", "x", "y", "z", "x", "y", "x", "y", "x", "y", "z", "x", "z", "y"),
    c(1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 1, 2), rho = 1)
)
write_fixture(list(meta = meta, cases = cases), "test/reference/gray-edge.json")
