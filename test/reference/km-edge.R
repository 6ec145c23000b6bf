# Kaplan–Meier edge cases (the KM rows of ../shared/reference/bad-inputs-and-edge-cases.md §8 and
# more), for test/survival/*.test.ts. Run from the project root: Rscript test/reference/km-edge.R
# (writes km-edge.json). R 4.2.2, survival 3.5-3. Data are written inline with 17 significant digits.
# Cases R accepts but our engine rejects (negative or infinite time, stop <= start, status codes
# other than 0/k) are tested as errors in the TypeScript tests and have no fixture here.
source("test/reference/km-common.R")

times <- c(0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 8, 10, 100)
taus <- c(0.5, 1.5, 3, 20)
dd <- function(time, event, entry = NULL, group = NULL, w = NULL) {
  d <- data.frame(time = time, event = event)
  if (!is.null(entry)) d$entry <- entry
  if (!is.null(group)) d$group <- group
  if (!is.null(w)) d$w <- w
  d
}
edge <- list(
  list("KM1 all censored", dd(c(1, 2, 3), c(0, 0, 0))),
  list("KM2 all events, S reaches 0", dd(1:4, rep(1, 4))),
  list("KM3 single subject, event", dd(5, 1)),
  list("KM4 single subject, censored", dd(5, 0)),
  list("KM5 event and censoring tied at t = 2", dd(c(1, 2, 2, 3), c(1, 1, 0, 1))),
  list("KM6 event at time 0", dd(c(0, 1, 2), c(1, 0, 1))),
  list("KM8 missing time is dropped", dd(c(1, NA, 3), c(1, 1, 1))),
  list("KM13 zero case weight", dd(c(1, 2, 3), c(1, 1, 1), w = c(1, 0, 1))),
  list("KM13b zero weights empty the risk set", dd(c(1, 2, 3, 4), c(1, 1, 1, 1), w = c(1, 1, 1, 0))),
  list("KM14 near tie sqrt(2)^2 merged (timefix)", dd(c(2, sqrt(2)^2, 3), c(1, 1, 1))),
  list("KM14b near tie kept apart (timefix = FALSE)", dd(c(2, sqrt(2)^2, 3), c(1, 1, 1)), timefix = FALSE),
  list("KM15 median on a flat at 0.5", dd(c(1, 2, 3, 4), c(1, 1, 1, 1))),
  list("KM15b curve ends flat at exactly 0.5", dd(c(1, 2, 3, 4), c(1, 1, 0, 0))),
  list("KM15c flat at exactly 0.75 then drops", dd(c(1, 2, 3, 4, 5, 6, 7, 8), c(1, 0, 1, 1, 0, 1, 1, 0))),
  list("KM16 median not reached", dd(c(1, 2, 3, 4, 5), c(1, 0, 0, 0, 0))),
  list("KM17 late entry after S reaches 0", dd(c(2, 8), c(1, 1), entry = c(0, 5))),
  list("KM18 entry at an event time", dd(c(2, 3, 4), c(1, 1, 1), entry = c(0, 0, 2))),
  list("KM18b late entries, censorings and ties", dd(c(2, 3, 3, 5, 6, 6, 9, 10), c(1, 0, 1, 1, 0, 1, 0, 1),
                                                      entry = c(0, 1, 2, 0, 3, 5, 2, 6))),
  list("KM20 S = .8 .6 .4 .2 0", dd(1:5, rep(1, 5))),
  list("KM21 n = 10, one event at t = 1", dd(1:10, c(1, rep(0, 9)))),
  list("groups: all censored, single event, ordinary", dd(c(1, 2, 3, 5, 1, 2, 2, 4, 6), c(0, 0, 0, 1, 1, 0, 1, 1, 0),
                                                           group = c("a", "a", "a", "b", "c", "c", "c", "c", "c"))),
  list("competing causes, cause 2 only", dd(c(1, 2, 3, 4, 5, 6, 6, 7), c(1, 2, 0, 1, 2, 2, 1, 0)), cause = 2),
  list("competing causes, any cause", dd(c(1, 2, 3, 4, 5, 6, 6, 7), c(1, 2, 0, 1, 2, 2, 1, 0))),
  list("fractional weights, S reaches 0", dd(c(1, 2, 3), c(1, 1, 1), w = c(0.1, 0.2, 0.3))),
  list("fractional weights with late entry", dd(c(1, 2, 4, 3), c(1, 1, 1, 0), entry = c(0, 1, 2.5, 0),
                                                w = c(0.1, 0.2, 0.3, 0.7))),
  list("many ties", dd(rep(c(1, 2, 3), each = 4), c(1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0)))
)
cases <- list()
for (e in edge) for (ct in c("log", "log-log", "plain")) {
  tf <- if (is.null(e$timefix)) TRUE else e$timefix
  cases[[length(cases) + 1]] <- km_case(paste0(e[[1]], ", ", ct), e[[2]], conf.type = ct, cause = e$cause,
                                        times = times, taus = taus, timefix = tf, inline = TRUE)
}
# KM22: lung, R's default conf.type = "log": S(180), S(365), median 310 (285, 363)
lung <- read.csv("test/data/lung.csv")
ca <- km_case("KM22 lung at 180 and 365 days, log", data.frame(time = lung$time, event = lung$event), conf.type = "log",
              times = c(180, 365), taus = c(365, 730))
ca$source <- list(csv = "test/data/lung.csv", time = "time", event = "event", group = NULL, entry = NULL, weights = NULL)
cases[[length(cases) + 1]] <- ca
km_write(cases, "km-edge.R", "test/reference/km-edge.json")
