/* Builders and checks shared by the table unit tests (cmocka): columns from C arrays with
   missing values marked (NA for ints and dates, NULL for strings, NaN for floats), a table of
   columns, and assertions on a result column's values. Include after cmocka.h. */
#ifndef CVKIT_TEST_TABLE_BUILD_H
#define CVKIT_TEST_TABLE_BUILD_H

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "cvkit/table.h"

#define NA INT64_MIN /* marks a missing int in the builders */

static inline cv_column *icol(const char *name, const int64_t *v, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_INT64, n);
    assert_non_null(c);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(v[i] == NA ? cv_column_push_missing(c) : cv_column_push_int(c, v[i]),
                         0);
    return c;
}

/* NaN entries are stored as NaN (a float NaN counts as missing). */
static inline cv_column *fcol(const char *name, const double *v, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, n);
    assert_non_null(c);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(cv_column_push_float(c, v[i]), 0);
    return c;
}

/* NULL entries are missing. */
static inline cv_column *scol(const char *name, const char *const *v, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_STRING, n);
    assert_non_null(c);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(v[i] ? cv_column_push_string(c, v[i], strlen(v[i]))
                              : cv_column_push_missing(c),
                         0);
    return c;
}

/* Days since 1970-01-01; NA is missing. */
static inline cv_column *dcol(const char *name, const int64_t *v, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_DATE, n);
    assert_non_null(c);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(v[i] == NA ? cv_column_push_missing(c)
                                    : cv_column_push_i32(c, (int32_t)v[i]),
                         0);
    return c;
}

static inline cv_column *bcol(const char *name, const int *v, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_BOOL, n);
    assert_non_null(c);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(cv_column_push_bool(c, v[i]), 0);
    return c;
}

/* A table of the given columns (NULL-terminated); the table takes them over. */
static inline cv_table *tbl(cv_column *c, ...)
{
    cv_table *t = cv_table_new();
    va_list ap;
    va_start(ap, c);
    for (; c; c = va_arg(ap, cv_column *)) {
        assert_int_equal(cv_table_add(t, c, NULL), 0);
        cv_column_unref(c);
    }
    va_end(ap);
    return t;
}

static inline cv_column *col(const cv_table *t, const char *name)
{
    cv_column *c = cv_table_col(t, name, NULL);
    assert_non_null(c);
    return c;
}

static inline void assert_ints(const cv_column *c, const int64_t *want, int64_t n)
{
    assert_int_equal(c->n, n);
    for (int64_t i = 0; i < n; i++) {
        if (want[i] == NA) {
            assert_false(cv_column_is_valid(c, i));
            continue;
        }
        assert_true(cv_column_is_valid(c, i));
        if (c->type == CV_DATE || c->type == CV_STRING)
            assert_int_equal(cv_column_i32(c, i), want[i]);
        else if (c->type == CV_BOOL)
            assert_int_equal(cv_column_bool(c, i), want[i]);
        else
            assert_int_equal(cv_column_int(c, i), want[i]);
    }
}

static inline void assert_strs(const cv_column *c, const char *const *want, int64_t n)
{
    assert_int_equal(c->type, CV_STRING);
    assert_int_equal(c->n, n);
    for (int64_t i = 0; i < n; i++) {
        const char *s = cv_column_string(c, i, NULL);
        if (!want[i]) {
            assert_null(s);
        } else {
            assert_non_null(s);
            assert_string_equal(s, want[i]);
        }
    }
}

#endif
