/* Internals shared by the cost-of-service files (costing_columns.c, costing_abc.c,
   costing_tdabc.c, costing_pnl.c, costing_whale.c): reading numeric columns, adding result
   columns, and the checks and messages they share. Not a public header. */
#ifndef CVKIT_COSTING_INT_H
#define CVKIT_COSTING_INT_H

#include <math.h>
#include <stdint.h>

#include "cvkit/costing.h"

/* 1 for the column types that hold numbers a cost can be computed from. */
static inline int is_numeric(cv_type t)
{
    return t == CV_INT64 || t == CV_FLOAT64 || t == CV_BOOL;
}

/* Value i of a numeric column, a missing value (or a float NaN) counting as 0. */
static inline double num0(const cv_column *c, int64_t i)
{
    if (!cv_column_is_valid(c, i))
        return 0;
    switch (c->type) {
    case CV_INT64:
        return (double)cv_column_int(c, i);
    case CV_FLOAT64: {
        double v = cv_column_float(c, i);
        return isnan(v) ? 0 : v;
    }
    case CV_BOOL:
        return cv_column_bool(c, i);
    default:
        return 0;
    }
}

/* The values of a numeric column as doubles in d[0..n), as num0 gives them, in one typed
   loop per column type. */
void cost_col_doubles(const cv_column *c, double *d, int64_t n);
/* Writes "did you mean 'x'?" (the columns of t closest to the misspelt name) or "columns:
   a, b, c" (all of them) into buf. */
const char *cost_colnames(const cv_table *t, const char *name, char *buf, size_t size);
/* A new float column of n zeros, or NULL. */
cv_column *cost_fcol(const char *name, int64_t n);
/* Adds c to t and drops the caller's reference; c == NULL means out of memory. */
int cost_add_owned(cv_table *t, cv_column *c, cv_error *err);
/* Adds a float column named name (with prefix, if not NULL) holding v[0..n). */
int cost_add_floats(cv_table *t, const char *prefix, const char *name, const double *v, int64_t n, cv_error *err);
/* Adds a float column of n values where NAN stands for missing. */
int cost_add_floats_na(cv_table *t, const char *name, const double *v, int64_t n, cv_error *err);
int cost_add_strings(cv_table *t, const char *name, const char *const *s, int64_t n, cv_error *err);
int cost_add_ints(cv_table *t, const char *name, const int64_t *v, int64_t n, cv_error *err);
/* Adds column src of from (shared, not copied) to t. */
int cost_add_shared(cv_table *t, const cv_table *from, const char *name, cv_error *err);
/* Finds the numeric column `name` of t for activity `act`; what says what the column is
   ("driver column", "events column", "field"). NULL with err set. */
const cv_column *cost_activity_col(const cv_table *t, const char *act, const char *what, const char *name, cv_error *err);
/* Checks that names[0..n) (with stride) are non-empty and distinct; what: "activity". */
int cost_check_names(const char *const *names, int n, const char *what, cv_error *err);
/* Checks an amount: finite and >= 0 (NAN allowed when may_be_nan). */
int cost_check_amount(const char *what, const char *name, const char *field, double v, int may_be_nan, cv_error *err);

#endif
