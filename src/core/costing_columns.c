/* cvkit cost of service: what the costing files share (costing_int.h): numeric columns read
   as doubles, result columns added, column-name suggestions, and the checks of names and
   amounts with their messages. Conventions: include/cvkit/costing.h and docs/costing.md. */
#include "costing_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/dtoa.h"
#include "cvkit/mem.h"

/* The values of a numeric column as doubles in d[0..n), as num0 gives them, in one typed
   loop per column type. */
void cost_col_doubles(const cv_column *c, double *d, int64_t n)
{
    if (c->valid) {
        for (int64_t i = 0; i < n; i++)
            d[i] = num0(c, i);
        return;
    }
    switch (c->type) {
    case CV_INT64: {
        const int64_t *x = c->data;
        for (int64_t i = 0; i < n; i++)
            d[i] = (double)x[i];
        break;
    }
    case CV_FLOAT64: {
        const double *x = c->data;
        for (int64_t i = 0; i < n; i++)
            d[i] = isnan(x[i]) ? 0 : x[i];
        break;
    }
    case CV_BOOL: {
        const uint8_t *x = c->data;
        for (int64_t i = 0; i < n; i++)
            d[i] = x[i];
        break;
    }
    default:
        for (int64_t i = 0; i < n; i++)
            d[i] = 0;
        break;
    }
}

/* Writes "did you mean 'x'?" (the columns of t closest to the misspelt name) or "columns:
   a, b, c" (all of them) into buf. */
const char *cost_colnames(const cv_table *t, const char *name, char *buf, size_t size)
{
    char close[160];
    size_t len = 0;
    buf[0] = '\0';
    if (name && cv_table_suggest(t, name, close, sizeof close) > 0) {
        snprintf(buf, size, "did you mean %s?", close);
        return buf;
    }
    len = (size_t)snprintf(buf, size, "columns: ");
    for (int i = 0; i < t->ncols && len + 1 < size; i++) {
        int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", t->cols[i]->name);
        if (n < 0)
            break;
        len += (size_t)n;
    }
    if (len >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    return buf;
}

/* A new float column of n zeros, or NULL. */
cv_column *cost_fcol(const char *name, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, n > 0 ? n : 1);
    if (!c)
        return NULL;
    if (n > 0)
        memset(c->data, 0, (size_t)n * sizeof(double));
    c->n = n;
    return c;
}

/* Adds c to t and drops the caller's reference; c == NULL means out of memory. */
int cost_add_owned(cv_table *t, cv_column *c, cv_error *err)
{
    if (!c)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    int rc = cv_table_add(t, c, err);
    cv_column_unref(c);
    return rc;
}

/* Adds a float column named name (with prefix, if not NULL) holding v[0..n). */
int cost_add_floats(cv_table *t, const char *prefix, const char *name, const double *v, int64_t n,
                    cv_error *err)
{
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s", prefix ? prefix : "", name);
    cv_column *c = cost_fcol(buf, n);
    if (c && n > 0)
        memcpy(c->data, v, (size_t)n * sizeof *v);
    return cost_add_owned(t, c, err);
}

/* Adds a float column of n values where NAN stands for missing. */
int cost_add_floats_na(cv_table *t, const char *name, const double *v, int64_t n, cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, n > 0 ? n : 1);
    for (int64_t i = 0; c && i < n; i++)
        if ((isnan(v[i]) ? cv_column_push_missing(c) : cv_column_push_float(c, v[i])) != 0) {
            cv_column_unref(c);
            c = NULL;
        }
    return cost_add_owned(t, c, err);
}

int cost_add_strings(cv_table *t, const char *name, const char *const *s, int64_t n, cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_STRING, n > 0 ? n : 1);
    for (int64_t i = 0; c && i < n; i++)
        if (cv_column_push_string(c, s[i], strlen(s[i])) != 0) {
            cv_column_unref(c);
            c = NULL;
        }
    return cost_add_owned(t, c, err);
}

int cost_add_ints(cv_table *t, const char *name, const int64_t *v, int64_t n, cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_INT64, n > 0 ? n : 1);
    if (c && n > 0)
        memcpy(c->data, v, (size_t)n * sizeof *v);
    if (c)
        c->n = n;
    return cost_add_owned(t, c, err);
}

/* Adds column src of from (shared, not copied) to t. */
int cost_add_shared(cv_table *t, const cv_table *from, const char *name, cv_error *err)
{
    cv_column *c = cv_table_col(from, name, err);
    return c ? cv_table_add(t, c, err) : err ? err->code : CV_ERR_USAGE;
}

/* Finds the numeric column `name` of t for activity `act`; what says what the column is
   ("driver column", "events column", "field"). NULL with err set. */
const cv_column *cost_activity_col(const cv_table *t, const char *act, const char *what,
                                   const char *name, cv_error *err)
{
    char names[200];
    int i = name ? cv_table_find(t, name) : -1;
    if (i < 0) {
        if (strcmp(what, "field") == 0)
            cv_error_set(err, CV_ERR_USAGE,
                         "activity '%s': time equation names an unknown field '%s' "
                         "(%s)",
                         act, name ? name : "", cost_colnames(t, name, names, sizeof names));
        else
            cv_error_set(err, CV_ERR_USAGE, "activity '%s': no %s '%s' (%s)", act, what,
                         name ? name : "", cost_colnames(t, name, names, sizeof names));
        return NULL;
    }
    const cv_column *c = t->cols[i];
    if (!is_numeric(c->type)) {
        cv_error_set(err, CV_ERR_TYPE, "activity '%s': %s '%s' is %s, a number is expected", act,
                     what, name, cv_type_name(c->type));
        return NULL;
    }
    return c;
}

/* Checks that names[0..n) (with stride) are non-empty and distinct; what: "activity". */
int cost_check_names(const char *const *names, int n, const char *what, cv_error *err)
{
    for (int a = 0; a < n; a++) {
        if (!names[a] || !names[a][0])
            return cv_error_set(err, CV_ERR_USAGE, "%s %d has no name", what, a + 1);
        for (int b = 0; b < a; b++)
            if (strcmp(names[a], names[b]) == 0)
                return cv_error_set(err, CV_ERR_USAGE, "%s '%s' is defined twice", what, names[a]);
    }
    return 0;
}

/* Checks an amount: finite and >= 0 (NAN allowed when may_be_nan). */
int cost_check_amount(const char *what, const char *name, const char *field, double v,
                      int may_be_nan, cv_error *err)
{
    if (isnan(v) && may_be_nan)
        return 0;
    if (!isfinite(v) || v < 0)
        return cv_error_set(err, CV_ERR_DOMAIN, "%s '%s': %s must be a finite number >= 0, got %g",
                            what, name, field, v);
    return 0;
}
