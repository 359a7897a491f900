# The peer of cvkit's CSV reading in `make bench PEERS=1` (case peers in run.sh):
# data.table's fread timed inside one R process with 2 threads (R's start-up and the
# loading of data.table left out), best of REPEAT runs each:
#   the transactions file: fread, then its date column made a Date with as.Date;
#   its summary CSV: fread.
# Usage: Rscript tests/bench/fread.R TX.csv SUMMARY.csv REPEAT
# Prints: fread_tx <seconds> rows=<n>, fread_summary <seconds> rows=<n>, then
#         maxrss_kb=<k> (the process's peak resident memory, R itself included).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript fread.R TX.csv SUMMARY.csv REPEAT")
suppressPackageStartupMessages(library(data.table))
setDTthreads(2)
repeats <- max(1L, as.integer(args[3]))

best <- function(f) {
   secs <- Inf
   rows <- NA
   for (i in seq_len(repeats)) {
      invisible(gc())
      t0 <- proc.time()[["elapsed"]]
      d <- f()
      secs <- min(secs, proc.time()[["elapsed"]] - t0)
      rows <- nrow(d)
      rm(d)
   }
   list(secs = secs, rows = rows)
}

tx <- best(function() {
   d <- fread(args[1])
   d[, date := as.Date(date)]
   d
})
sm <- best(function() fread(args[2]))
hwm <- grep("^VmHWM:", readLines("/proc/self/status"), value = TRUE)
kb <- as.numeric(gsub("[^0-9]", "", hwm))
cat(sprintf("fread_tx %.3f rows=%d\n", tx$secs, tx$rows))
cat(sprintf("fread_summary %.3f rows=%d\n", sm$secs, sm$rows))
cat(sprintf("maxrss_kb=%.0f\n", kb))
