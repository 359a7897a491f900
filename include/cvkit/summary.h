/* cvkit customer summary: transactions (customer, date, amount) folded in one pass into
   one row per customer with the quantities the customer-base models and RFM need
   (frequency x, recency t_x, age T, spend means, revenue, margin, holdout counts).
   From a loaded table, or streamed straight from a CSV file in memory proportional to
   the number of customers. */
#ifndef CVKIT_SUMMARY_H
#define CVKIT_SUMMARY_H

#include <stdint.h>

#include "cvkit/csv.h"
#include "cvkit/error.h"
#include "cvkit/table.h"
#include "cvkit/units.h"

/* What to summarize and how. A zeroed struct plus the three column names is a valid
   choice: unit day, calibration end = the last purchase date in the data, no holdout,
   same-day purchases merged, missing values and negative amounts are errors. */
typedef struct cv_summary_options {
    const char *customer; /* column of customer ids: int or string */
    const char *date;     /* column of purchase dates: date, or datetime (its day is used) */
    const char *amount;   /* column of amounts: float or int, >= 0 */
    const char *cost;     /* optional: column of costs; margin = amount - cost */
    const char *margin;   /* optional: column of margins per transaction (not with cost) */
    double margin_rate;   /* used when margin_rate_set: margin = amount * margin_rate */
    int margin_rate_set;
    cv_time_unit unit;
    int32_t calibration_end; /* days since 1970-01-01, inclusive; used when calibration_end_set */
    int calibration_end_set;
    int32_t observation_end; /* inclusive; when set, adds x_holdout and spend_holdout */
    int observation_end_set;
    int split_same_day; /* 1: every row is a transaction (default 0: a customer's rows of
                           one day are one transaction, amounts summed) */
    int skip_missing;   /* 1: drop rows with a missing customer, date, amount or cost and
                           count them (default 0: an error) */
    int allow_negative; /* 1: accept negative amounts (returns) as they are (default 0: an
                           error) */
} cv_summary_options;

/* What a summary met, for the caller to tell the user. */
typedef struct cv_summary_report {
    int64_t rows;            /* transaction rows read */
    int64_t customers;       /* rows of the summary */
    int64_t excluded_late;   /* customers whose first purchase is after the calibration end:
                                left out of the summary */
    int64_t transactions;    /* transactions in the summary's calibration period (after merging) */
    int64_t merged_rows;     /* rows folded into an earlier row of the same customer and day
                                (all periods) */
    int64_t skipped_missing; /* rows dropped by skip_missing */
    int64_t rows_after_end;  /* rows after the observation end (or after the calibration end
                                when there is no observation end): ignored */
    int64_t unsorted_customers;    /* customers whose rows were not in date order (their days
                                      were kept to count the distinct ones) */
    int passes;                    /* passes over the data: 1, or 2 when rows are merged and a
                                      customer's rows went out of date order only after the
                                      first 65,536 rows (see cv_summary_csv) */
    int32_t first_date, last_date; /* earliest and latest purchase read */
    int32_t calibration_end;       /* the calibration end used (given or the last purchase) */
    int32_t observation_end;       /* when observation_end_set */
    double holdout_length;         /* observation end - calibration end in the unit (0 if none) */
} cv_summary_report;

/* Summarizes the transactions in tx: a new table with one row per customer whose first
   purchase is on or before the calibration end, sorted by customer (ints numerically,
   strings by bytes), with the columns
     customer          the id (the type of the input column)
     first, last       first and last purchase dates in the calibration period (date)
     orders            transactions in the calibration period (int) = x + 1
     x                 repeat transactions in the calibration period (int)
     t_x               first -> last purchase in the unit: the models' recency (float)
     T                 first purchase -> calibration end in the unit: the age (float)
     days_since_last   last purchase -> calibration end in days: the RFM recency (int)
     mean_repeat_spend mean amount of the x repeat transactions, missing when x = 0 (the
                       Gamma-Gamma zbar) (float)
     mean_spend        mean amount of all calibration transactions (float)
     revenue           sum of the calibration amounts (float)
     margin            sum of the calibration margins (float; only with cost, margin or
                       margin_rate)
     x_holdout         transactions after the calibration end up to and including the
                       observation end (int; only with an observation end)
     spend_holdout     their amounts summed (float; only with an observation end)
   Times are measured between whole days: a purchase on day d is at d, and T is measured
   to the calibration end day itself (this reproduces the published CDNOW summary: first
   purchase 1997-01-01, calibration end 1997-09-30 gives T = 272/7 = 38.86 weeks); a
   purchase on the calibration end day is in the calibration period (t_x = T).
   rep may be NULL. Returns NULL with err set on failure: a missing column (named, with the
   table's columns listed), a column of the wrong type, a missing value or a negative
   amount (unless allowed), an empty table, a calibration end before every purchase, an
   observation end before the calibration end. */
cv_table *cv_summary_table(const cv_table *tx, const cv_summary_options *opt,
                           cv_summary_report *rep, cv_error *err);

/* Checks what every summary path (a table, a CSV file, a database: sql.h) needs of o before
   any row is read: the customer, date and amount columns named, a known unit, at most one
   of cost, margin and margin_rate (a finite rate), an observation end only with a
   calibration end and not before it. 0, or CV_ERR_USAGE with err set. */
int cv_summary_options_check(const cv_summary_options *o, cv_error *err);

/* The same, streamed from a CSV file with cv_csv_stream (csv_opt may be NULL for the
   defaults): memory grows with the number of customers, not of rows, as long as each
   customer's rows come in date order (customers may interleave). Merging same-day rows of
   rows in no order needs their days: the first 65,536 rows' days are kept (2 bytes each);
   if some customer was out of order by then, the days are kept to the end (memory then
   grows by about 3 bytes a row, one pass); if disorder shows only later, the file is read
   a second time keeping the days of just those customers (rep->passes = 2). Integer-id
   batches are folded in a second thread while the reader parses; a plain file of exactly
   the three columns (int ids, ISO dates, decimal amounts) is parsed by a reader of just
   those types, falling back to cv_csv_stream at the first thing it does not read (the
   same result and messages either way; docs/summary.md). The result equals
   cv_summary_table on the whole file (which follows the same rules). */
cv_table *cv_summary_csv(const char *path, const cv_csv_options *csv_opt,
                         const cv_summary_options *opt, cv_summary_report *rep, cv_error *err);

#endif
