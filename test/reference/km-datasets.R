# Kaplan–Meier reference values on public data sets, for test/survival/*.test.ts.
# Run from the project root: Rscript test/reference/km-datasets.R  (writes km-datasets.json)
# R 4.2.2, survival 3.5-3, jsonlite. Data are read from the same CSV bytes the tests read.
source("test/reference/km-common.R")

rd <- function(f) read.csv(f, stringsAsFactors = FALSE)
lung <- rd("test/data/lung.csv"); veteran <- rd("test/data/veteran.csv"); aml <- rd("test/data/aml.csv")
mgus2 <- rd("test/data/mgus2.csv"); bmt <- rd("data/bmt.csv")

# A data source: CSV file and column names; derived (entry, weights) columns are written inline.
src <- function(csv, time, event, group = NULL, entry = NULL, w = NULL)
  list(csv = csv, time = time, event = event, group = group,
       entry = if (is.null(entry)) NULL else I(sprintf("%.17g", entry)),
       weights = if (is.null(w)) NULL else I(sprintf("%.17g", w)))
frame <- function(d, time, event, group = NULL, entry = NULL, w = NULL) {
  out <- data.frame(time = d[[time]], event = d[[event]])
  if (!is.null(group)) out$group <- d[[group]]
  if (!is.null(entry)) out$entry <- entry
  if (!is.null(w)) out$w <- w
  out
}

# Deterministic derived columns (no randomness): a late entry for every row, case weights.
i_l <- seq_len(nrow(lung))
lung_entry <- floor(lung$time * ((i_l * 7) %% 10) / 10)          # 0 <= entry < time
lung_wint <- 1 + (i_l %% 3)                                      # integer weights 1..3
lung_wfrac <- 0.25 + ((i_l * 5) %% 7) / 4                        # non-integer weights, some 0.25
lung_wzero <- ifelse(i_l %% 11 == 0, 0, 1)                       # some zero weights
i_v <- seq_len(nrow(veteran))
vet_entry <- floor(veteran$time * ((i_v * 3) %% 8) / 8)
vet_w <- 0.5 + (i_v %% 4) / 3

specs <- list(
  list(name = "lung", s = src("test/data/lung.csv", "time", "event"), d = frame(lung, "time", "event")),
  list(name = "lung by sex", s = src("test/data/lung.csv", "time", "event", "sex"), d = frame(lung, "time", "event", "sex")),
  list(name = "veteran by celltype", s = src("test/data/veteran.csv", "time", "status", "celltype"),
       d = frame(veteran, "time", "status", "celltype")),
  list(name = "aml by x", s = src("test/data/aml.csv", "time", "status", "x"), d = frame(aml, "time", "status", "x")),
  list(name = "aml", s = src("test/data/aml.csv", "time", "status"), d = frame(aml, "time", "status")),
  list(name = "bmt t2/d3 by group", s = src("data/bmt.csv", "t2", "d3", "group"), d = frame(bmt, "t2", "d3", "group")),
  list(name = "mgus2 any cause by sex", s = src("test/data/mgus2.csv", "etime", "event", "sex"),
       d = frame(mgus2, "etime", "event", "sex"), few = TRUE),
  list(name = "mgus2 cause 1", s = src("test/data/mgus2.csv", "etime", "event"), d = frame(mgus2, "etime", "event"), cause = 1,
       few = TRUE),
  list(name = "mgus2 cause 2 by sex", s = src("test/data/mgus2.csv", "etime", "event", "sex"),
       d = frame(mgus2, "etime", "event", "sex"), cause = 2, few = TRUE),
  list(name = "lung counting process (late entry)", s = src("test/data/lung.csv", "time", "event", entry = lung_entry),
       d = frame(lung, "time", "event", entry = lung_entry)),
  list(name = "lung counting process by sex", s = src("test/data/lung.csv", "time", "event", "sex", entry = lung_entry),
       d = frame(lung, "time", "event", "sex", entry = lung_entry)),
  list(name = "lung integer weights by sex", s = src("test/data/lung.csv", "time", "event", "sex", w = lung_wint),
       d = frame(lung, "time", "event", "sex", w = lung_wint)),
  list(name = "lung fractional weights", s = src("test/data/lung.csv", "time", "event", w = lung_wfrac),
       d = frame(lung, "time", "event", w = lung_wfrac)),
  list(name = "lung zero weights", s = src("test/data/lung.csv", "time", "event", w = lung_wzero),
       d = frame(lung, "time", "event", w = lung_wzero)),
  list(name = "veteran counting process, weighted, by celltype",
       s = src("test/data/veteran.csv", "time", "status", "celltype", entry = vet_entry, w = vet_w),
       d = frame(veteran, "time", "status", "celltype", entry = vet_entry, w = vet_w))
)
confs <- list(list("log", 0.95), list("log-log", 0.95), list("plain", 0.95), list("none", 0.95),
              list("log-log", 0.9), list("log-log", 0.99), list("log", 0.9), list("plain", 0.99))
probs <- c(0.1, 0.25, 0.5, 0.75, 0.9)

cases <- list()
for (sp in specs) for (cf in if (isTRUE(sp$few)) confs[c(1, 2, 7)] else confs) {   # mgus2 is large: 3 settings
  ca <- km_case(paste0(sp$name, ", ", cf[[1]], " ", cf[[2]]), sp$d, conf.type = cf[[1]], conf.int = cf[[2]],
                cause = sp$cause, probs = probs, source = sp$s)
  cases[[length(cases) + 1]] <- ca
}
km_write(cases, "km-datasets.R", "test/reference/km-datasets.json")
