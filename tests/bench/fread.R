# The peer of cvkit's CSV reading in `make bench PEERS=1` (case peers in run.sh):
# data.table's fread timed inside one R process with 2 threads (R's start-up and the
# loading of data.table left out), best of REPEAT runs each:
#   the transactions file: fread, then its date column made a Date with as.Date;
#   its summary CSV: fread.
# Each timed run also frees the table it read (rm, then gc(), less the time of a gc() with
# nothing to free taken just before): cvkit's side is a whole process, whose time includes
# giving the table's memory back (cv_table_free, then the process's exit; about 0.03 s for
# the bench file's 200 MB of columns); the bench prints that ratio beside the verdict.
# Usage: Rscript tests/bench/fread.R TX.csv SUMMARY.csv REPEAT
# Prints: fread_tx <seconds> rows=<n> read=<seconds>, fread_summary <seconds> rows=<n>
#         read=<seconds> (seconds: read and freed; read: the read alone, as the issue measured
#         it, which the bench judges the target on),
#         then maxrss_kb=<k> (the process's peak resident memory, R itself included).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript fread.R TX.csv SUMMARY.csv REPEAT")
suppressPackageStartupMessages(library(data.table))
setDTthreads(2)
repeats <- max(1L, as.integer(args[3]))

elapsed <- function() proc.time()[["elapsed"]]

best <- function(f) {
   secs <- Inf
   read <- Inf
   rows <- NA
   for (i in seq_len(repeats)) {
      invisible(gc())
      t0 <- elapsed()
      invisible(gc()) # nothing to free: what the gc() after rm(d) costs besides freeing d
      bare <- elapsed() - t0
      t0 <- elapsed()
      d <- f()
      t1 <- elapsed()
      rows <- nrow(d)
      rm(d)
      invisible(gc())
      read <- min(read, t1 - t0)
      secs <- min(secs, elapsed() - t0 - bare)
   }
   list(secs = secs, read = read, rows = rows)
}

tx <- best(function() {
   d <- fread(args[1])
   d[, date := as.Date(date)]
   d
})
sm <- best(function() fread(args[2]))
hwm <- grep("^VmHWM:", readLines("/proc/self/status"), value = TRUE)
kb <- as.numeric(gsub("[^0-9]", "", hwm))
cat(sprintf("fread_tx %.3f rows=%d read=%.3f\n", tx$secs, tx$rows, tx$read))
cat(sprintf("fread_summary %.3f rows=%d read=%.3f\n", sm$secs, sm$rows, sm$read))
cat(sprintf("maxrss_kb=%.0f\n", kb))
