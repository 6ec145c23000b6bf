# Shared by the log-rank, cumulative-incidence and Gray fixture scripts (sourced from the project root).
# jsonlite alone writes at most 15 significant digits; these helpers write every number exactly.
suppressPackageStartupMessages(library(jsonlite))

# Every number is written with the fewest significant digits (15–17) that read back to the identical
# double (jsonlite alone stops at 15), and the file is parsed again to prove the round trip.
num_text <- function(x) vapply(x, function(v) {
  if (is.na(v)) return("null")
  if (!is.finite(v)) stop("non-finite value in a fixture")
  for (d in 15:17) { s <- sprintf("%.*g", d, v); if (as.numeric(s) == v) return(s) }
}, "")
as_json_tree <- function(x) {
  if (is.list(x)) return(lapply(x, as_json_tree))
  if (is.numeric(x) || is.logical(x) && all(is.na(x))) {
    if (is.matrix(x)) return(structure(paste0("[", paste(apply(x, 1, function(r) paste0("[", paste(num_text(r), collapse = ","), "]")), collapse = ","), "]"), class = "json"))
    if (length(x) == 1 && is.null(attr(x, "array"))) return(structure(num_text(x), class = "json"))
    return(structure(paste0("[", paste(num_text(x), collapse = ","), "]"), class = "json"))
  }
  x
}
write_fixture <- function(obj, path) {
  txt <- jsonlite::toJSON(as_json_tree(obj), auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE, json_verbatim = TRUE)
  back <- jsonlite::fromJSON(txt, simplifyVector = FALSE)
  flat <- function(a) if (is.list(a)) unlist(lapply(a, flat)) else if (is.null(a)) NA_real_ else if (is.numeric(a)) as.numeric(a) else NULL
  flat_obj <- function(a) if (is.list(a)) unlist(lapply(a, flat_obj)) else if (is.numeric(a) || is.logical(a) && all(is.na(a))) (if (is.matrix(a)) as.numeric(t(a)) else as.numeric(a)) else if (is.character(a)) rep(NA_real_, sum(is.na(a))) else NULL
  x <- flat_obj(obj); y <- flat(back)
  stopifnot(length(x) == length(y), all((is.na(x) & is.na(y)) | (!is.na(x) & !is.na(y) & x == y)))
  writeLines(txt, path)
}
arr <- function(x) structure(x, array = TRUE)  # keep a length-1 vector as a JSON array
