/* cvkit customer summary, internal: the batch engine behind cv_summary_table and
   cv_summary_csv (summary.c, summary_result.c; used by summary_csv.c and summary_fast.c),
   for the core's own use only. */
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

/* ---- Between the engine's files: summary.c (the customer map, the day log, folding rows,
   the options) and summary_result.c (the summary table from the accumulators) ---- */

#include <stdint.h>

#include "cvkit/parse.h"
#include "cvkit/progress.h"

/* One customer's running totals. Calibration rows feed first/last/first_amt/rep/margin;
   holdout rows feed n_hold/spend_hold. */
typedef struct sm_acc {
    int32_t first;     /* earliest calibration day (INT32_MAX: none yet) */
    int32_t last;      /* latest calibration day */
    int32_t prev;      /* day of this customer's previous row, in input order */
    int32_t unsorted;  /* 1 when a row came with a day before prev */
    int32_t rows;      /* rows within the observation window (a customer is assumed to
                          have fewer than 2^31) */
    int32_t tail;      /* last block of this customer's day log, -1 none */
    int32_t n_cal;     /* calibration transactions */
    int32_t n_hold;    /* holdout transactions */
    double first_amt;  /* amount of the first transaction */
    double rep;        /* amounts of the repeat (calibration) transactions */
    double margin;     /* calibration margin */
    double spend_hold; /* holdout amounts */
} sm_acc;
_Static_assert(sizeof(sm_acc) == 64, "an accumulator is one cache line");

/* Open addressing from int64 ids to customer indexes: key and index side by side, so a
   probe touches one cache line. */
typedef struct sm_slot {
    int64_t key;
    int32_t val; /* -1: empty */
    int32_t pad;
} sm_slot;

typedef struct sm_imap {
    sm_slot *slots;
    uint32_t mask;
} sm_imap;

struct cv_summarizer {
    const cv_summary_options *opt;
    cv_summary_report *rep;
    int merge;
    int32_t cal_end, obs_end; /* cal_end INT32_MAX while unknown; obs_end = end of rows used */
    /* column types fixed by the first batch */
    int typed;
    cv_type id_type, date_type;
    int cost_mode; /* 0 none, 1 cost column, 2 margin column, 3 margin rate */
    /* customers: record c in page k = log2(c / SM_PAGE0 + 1), pages of SM_PAGE0 << k
       records, so that records never move (no copy, no fresh memory beyond the last
       page's) */
    sm_acc *pages[32];
    int32_t n, cap;
    sm_imap im; /* int ids, when not in the direct map */
    /* int ids within a dense range (most shops number their customers): customer index
       by id - dbase, -1 none; used while the range stays within SM_DIRECT_SPAN(n) */
    int direct;    /* 1 while dmap holds every id */
    int32_t *dmap; /* dlen entries */
    int64_t dbase;
    uint64_t dlen;
    int64_t *ids;      /* int ids by customer index */
    cv_strdict *sd;    /* string ids: code = customer index */
    cv_strdict *bdict; /* the batch dictionary bmap belongs to (referenced) */
    int32_t *bmap;     /* batch code -> customer index, -1 unknown */
    int32_t blen, bcap;
    int64_t last_key; /* one-entry cache of the last int id */
    int32_t last_idx;
    int32_t *cidx; /* customer of each row of the chunk being folded */
    /* the day log: customers' days in chained blocks, while the order of rows is unknown
       (the start of pass 1) or for the unsorted customers (pass 2) */
    int logging;      /* 1 while pass 1 logs every row's day */
    int32_t log_base; /* days are stored as uint16 offsets from log_base */
    struct sm_block *blocks;
    int32_t nblocks, capblocks;
    int32_t *tmp; /* room to sort one customer's days */
    int64_t tmpcap;
    int pass;
    /* where: for messages */
    const char *file;
    int64_t row0; /* rows before the current batch */
    /* progress of a table's summary (cv_summary_table), else NULL */
    cv_progress *prog;
    int64_t fed; /* rows folded over both passes */
};
typedef struct cv_summarizer sm_state;

/* Rows handled per step of sm_feed, and how far ahead it (and the result's loop) prefetches. */
#define SM_CHUNK 4096
#define SM_AHEAD 32

#define SM_PAGE0_BITS 10
#define SM_PAGE0 (1 << SM_PAGE0_BITS) /* records of the first page */

/* The record of customer c. */
static inline sm_acc *sm_at(const sm_state *s, int32_t c)
{
    uint32_t q = ((uint32_t)c >> SM_PAGE0_BITS) + 1;
    int k = 31 - __builtin_clz(q);
    return &s->pages[k][(uint32_t)c - ((((uint32_t)1 << k) - 1) << SM_PAGE0_BITS)];
}

static inline int sm_oom(cv_error *err)
{
    return cv_error_set(err, CV_ERR_NOMEM, "out of memory while summarizing transactions");
}

/* Drops the day log (all customers' chains): summary.c. */
void cv_sm_log_clear(sm_state *s);
/* Builds the summary table from the accumulators; NULL with err set on failure:
   summary_result.c. */
cv_table *cv_sm_table(sm_state *s, cv_error *err);

#endif
