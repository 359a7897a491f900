# The peer of cv_csv_read in `make bench` (issue 18): data.table's fread of FILE on 2
# threads, each named column then made a Date with as.Date (fread reads ISO dates as IDate
# already), timed inside R (no start-up), the best of REPEAT runs (default 3). Prints
#   fread <seconds> cpu=<user+sys seconds> rows=<n>
# Usage: Rscript tests/bench/fread.R FILE [DATE_COLUMN]...   (needs r-cran-data.table)
suppressPackageStartupMessages(library(data.table))
setDTthreads(2)
args <- commandArgs(TRUE)
f <- args[1]
dates <- args[-1]
n <- as.integer(Sys.getenv("REPEAT", "3"))
best <- Inf
cpu <- NA
for (i in seq_len(n)) {
   t <- system.time({
      d <- fread(f)
      for (col in dates) set(d, j = col, value = as.Date(d[[col]]))
   })
   if (t[["elapsed"]] < best) {
      best <- t[["elapsed"]]
      cpu <- t[["user.self"]] + t[["sys.self"]]
   }
}
cat(sprintf("fread %.3f cpu=%.3f rows=%d\n", best, cpu, nrow(d)))
