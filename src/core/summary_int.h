/* cvkit customer summary, internal: the batch engine behind cv_summary_table and
   cv_summary_csv (summary.c), for the core's own use only. */
#ifndef CVKIT_SUMMARY_INT_H
#define CVKIT_SUMMARY_INT_H

#include "cvkit/summary.h"

/* Per-customer accumulators being fed batches of transactions. */
typedef struct cv_summarizer cv_summarizer;

/* Checks opt and starts a summary. rep (required) is zeroed and filled as rows come;
   file (may be NULL) prefixes messages ("file: data row N: ..."). NULL with err set. */
cv_summarizer *cv_summarizer_new(const cv_summary_options *opt, cv_summary_report *rep,
                                 const char *file, cv_error *err);
/* Folds one batch of transactions (any number of rows, the columns named in opt). 0 or an
   error code with err set. */
int cv_summarizer_feed(cv_summarizer *s, const cv_table *batch, cv_error *err);
/* 1 when some customer's rows came out of date order while merging same-day rows: the
   caller must then call cv_summarizer_pass2 and feed every batch again, in any order. */
int cv_summarizer_needs_pass2(const cv_summarizer *s);
int cv_summarizer_pass2(cv_summarizer *s, cv_error *err);
/* The summary table (summary.h), or NULL with err set. s is still to be freed. */
cv_table *cv_summarizer_finish(cv_summarizer *s, cv_error *err);
void cv_summarizer_free(cv_summarizer *s);

/* Rows per batch of a streamed summary: the general reader infers the columns' types from
   the first batch, and the fast path follows it. */
#define CV_SUMMARY_BATCH_ROWS (1 << 16)

/* The first pass of cv_summary_csv over a plain file of exactly the customer, date and
   amount columns (integer ids, ISO dates, plain decimal amounts), fed to s
   (summary_fast.c). 0 when s has seen every row; -1 when the file or the options are not
   for the fast path: s may have been fed some rows and must be dropped, and the file read
   the general way; else an error code with err set (the engine's, memory). */
int cv_summary_csv_fast(const char *path, const cv_csv_options *csv_opt,
                        const cv_summary_options *opt, cv_summarizer *s, cv_error *err);

#endif
