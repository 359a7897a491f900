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

/* The time unit of t_x, T and the holdout length. Day and week are fixed lengths (1 and
   7 days). Month and year are calendar-correct, never "30 days":
     months(a, b), a <= b, = m + f where m is the largest whole number of months with
     a + m months <= b, and f = (b - (a + m months)) / ((a + m + 1 months) - (a + m months))
     in days, the fraction of the next month (so 0 <= f < 1).
   "a + k months" keeps a's day of month, clamped to the length of the target month and
   always counted from a itself: Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year),
   Jan 31 + 2 months = Mar 31. So Jan 31 -> Feb 28 is exactly 1 month, Jan 15 -> Feb 15 is
   1 month, Jan 31 -> Mar 1 is 1 + 1/31 months. A year is 12 such months (Feb 29 ->
   Feb 28 of the next year is 1 year). */
typedef enum cv_time_unit {
    CV_UNIT_DAY = 0,
    CV_UNIT_WEEK,
    CV_UNIT_MONTH,
    CV_UNIT_YEAR
} cv_time_unit;

/* Parses "day", "week", "month", "year" (also the plurals); 0 or -1. */
int cv_time_unit_parse(const char *s, cv_time_unit *out);
/* The name of a unit: "day", "week", "month", "year". */
const char *cv_time_unit_name(cv_time_unit u);
/* The time from day a to day b (days since 1970-01-01) in unit u; negative when b < a
   (then -(time from b to a)). */
double cv_time_between(int32_t a, int32_t b, cv_time_unit u);

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

/* The same, streamed from a CSV file with cv_csv_stream (csv_opt may be NULL for the
   defaults): memory grows with the number of customers, not of rows, as long as each
   customer's rows come in date order (customers may interleave). Merging same-day rows of
   rows in no order needs their days: the first 65,536 rows' days are kept (2 bytes each);
   if some customer was out of order by then, the days are kept to the end (memory then
   grows by about 3 bytes a row, one pass); if disorder shows only later, the file is read
   a second time keeping the days of just those customers (rep->passes = 2). Integer-id
   batches are folded in a second thread while the reader parses. The result equals
   cv_summary_table on the whole file (which follows the same rules). */
cv_table *cv_summary_csv(const char *path, const cv_csv_options *csv_opt,
                         const cv_summary_options *opt, cv_summary_report *rep, cv_error *err);

#endif
