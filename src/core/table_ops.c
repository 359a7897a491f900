/* cvkit tables, part 2: the operations on tables (select, filter, take, sort, group-by,
   join, describe, cast). Every operation returns a new table; whole columns are shared by
   reference, and row selections are gathered in tight per-type loops. */
#include "cvkit/cancel.h"
#include "cvkit/dtoa.h"
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "cvkit/parse.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOMEM(err) cv_error_set((err), CV_ERR_NOMEM, "out of memory")

/* malloc that never returns NULL for a zero size (so NULL always means out of memory). */
static void *xmalloc(size_t n)
{
    return cv_malloc(n ? n : 1);
}

static void *xcalloc(size_t n, size_t w)
{
    return cv_calloc(n ? n : 1, w ? w : 1);
}

/* 1 when value i of c is present: valid, and for floats not NaN (NaN counts as missing). */
static inline int present(const cv_column *c, int64_t i)
{
    if (!cv_column_is_valid(c, i))
        return 0;
    return c->type != CV_FLOAT64 || !isnan(cv_column_float(c, i));
}

static int is_numeric(cv_type t)
{
    return t == CV_INT64 || t == CV_FLOAT64 || t == CV_BOOL;
}

/* Value i as a double, without the validity check (cv_column_number, inlined). */
static inline double numv(const cv_column *c, int64_t i)
{
    switch (c->type) {
    case CV_FLOAT64:
        return ((const double *)c->data)[i];
    case CV_INT64:
    case CV_DATETIME:
        return (double)((const int64_t *)c->data)[i];
    case CV_DATE:
        return (double)((const int32_t *)c->data)[i];
    case CV_BOOL:
        return ((const uint8_t *)c->data)[i];
    default:
        return NAN;
    }
}

/* splitmix64's finalizer: a bijection on 64-bit words with good avalanche. */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* ---- Dates in text (read as the CSV reader reads them: parse.c) ---------------------------- */

/* Parses a date with an optional time of day in any ISO form cv_parse_date takes; sets
   *days and *secs (seconds since 1970-01-01 00:00:00) and *has_time. 0, or -1. */
static int parse_datetime(const char *s, size_t len, int64_t *days, int64_t *secs, int *has_time)
{
    int32_t d, t;
    if (cv_parse_date(s, len, CV_DATE_ISO, &d, &t, has_time) != 0)
        return -1;
    *days = d;
    *secs = (int64_t)d * 86400 + t;
    return 0;
}

/* ---- Columns --------------------------------------------------------------------------- */

cv_column *cv_column_take(const cv_column *c, const int64_t *idx, int64_t n)
{
    cv_column *r = c->type == CV_STRING ? cv_column_new_dict(c->name, n, c->dict)
                                        : cv_column_new(c->name, c->type, n);
    if (!r)
        return NULL;
    cv_column_copy_kind(r, c);
    int64_t neg = 0;
    switch (cv_type_size(c->type)) {
    case 8: {
        const int64_t *s = c->data;
        int64_t *d = r->data;
        for (int64_t k = 0; k < n; k++) {
            int64_t j = idx[k];
            neg += j < 0;
            d[k] = j >= 0 ? s[j] : 0;
        }
        break;
    }
    case 4: {
        const int32_t *s = c->data;
        int32_t *d = r->data;
        for (int64_t k = 0; k < n; k++) {
            int64_t j = idx[k];
            neg += j < 0;
            d[k] = j >= 0 ? s[j] : 0;
        }
        break;
    }
    default: {
        const uint8_t *s = c->data;
        uint8_t *d = r->data;
        for (int64_t k = 0; k < n; k++) {
            int64_t j = idx[k];
            neg += j < 0;
            d[k] = j >= 0 ? s[j] : 0;
        }
        break;
    }
    }
    r->n = n;
    if (c->valid || neg) {
        size_t nb = (size_t)(n + 7) / 8;
        r->valid = xmalloc(nb);
        if (!r->valid) {
            cv_column_unref(r);
            return NULL;
        }
        memset(r->valid, 0xff, nb);
        int64_t miss = 0;
        for (int64_t k = 0; k < n; k++) {
            int64_t j = idx[k];
            if (j < 0 || !cv_column_is_valid(c, j)) {
                r->valid[k >> 3] &= (uint8_t)~(1u << (k & 7));
                miss++;
            }
        }
        if (miss == 0) {
            cv_free(r->valid);
            r->valid = NULL;
        }
    }
    return r;
}

cv_column *cv_column_rename(cv_column *c, const char *name)
{
    cv_column *r = cv_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->name = cv_strdup(name ? name : "");
    if (!r->name) {
        cv_free(r);
        return NULL;
    }
    r->type = c->type;
    r->n = r->cap = c->n;
    r->data = c->data;
    r->valid = c->valid;
    r->dict = cv_strdict_ref(c->dict);
    r->refs = 1;
    r->base = cv_column_ref(c->base ? c->base : c);
    cv_column_copy_kind(r, c);
    return r;
}

/* Strict whole-text parsers for casts from strings (surrounding blanks allowed). 0 or -1. */
static int text_copy(const char *s, size_t len, char *buf, size_t size)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= size)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 0;
}

static int text_int(const char *s, size_t len, int64_t *out)
{
    char buf[64];
    return text_copy(s, len, buf, sizeof buf) ? -1 : cv_parse_int(buf, strlen(buf), out);
}

static int text_float(const char *s, size_t len, double *out)
{
    char buf[128];
    return text_copy(s, len, buf, sizeof buf) ? -1 : cv_parse_float(buf, strlen(buf), 0, out);
}

static int text_bool(const char *s, size_t len, int *out)
{
    char buf[16];
    return text_copy(s, len, buf, sizeof buf) ? -1 : cv_parse_bool(buf, strlen(buf), out);
}

/* Converts value i of c (present) into the storage of type `to`: *iv for int-like types,
   *fv for floats. 0, or -1 when the value has no exact form in `to`. */
static int cast_value(const cv_column *c, int64_t i, cv_type to, int64_t *iv, double *fv)
{
    cv_type from = c->type;
    if (from == CV_STRING) {
        size_t len;
        const char *s = cv_column_string(c, i, &len);
        int64_t days, secs;
        int b, has_time;
        switch (to) {
        case CV_INT64:
            return text_int(s, len, iv);
        case CV_FLOAT64:
            return text_float(s, len, fv);
        case CV_BOOL:
            if (text_bool(s, len, &b))
                return -1;
            *iv = b;
            return 0;
        case CV_DATE:
            if (parse_datetime(s, len, &days, &secs, &has_time) || has_time)
                return -1;
            *iv = days;
            return 0;
        case CV_DATETIME:
            if (parse_datetime(s, len, &days, &secs, &has_time))
                return -1;
            *iv = secs;
            return 0;
        case CV_STRING:
            break;
        }
        return -1;
    }
    if (to == CV_FLOAT64) {
        *fv = cv_column_number(c, i);
        return 0;
    }
    if (from == CV_FLOAT64) { /* to int or bool: only whole numbers in range */
        double x = cv_column_float(c, i);
        if (x != floor(x) || x < -9223372036854775808.0 || x >= 9223372036854775808.0)
            return -1;
        if (to == CV_BOOL && x != 0 && x != 1)
            return -1;
        *iv = (int64_t)x;
        return to == CV_INT64 || to == CV_BOOL ? 0 : -1;
    }
    int64_t v = from == CV_DATE ? cv_column_i32(c, i)
              : from == CV_BOOL ? cv_column_bool(c, i)
                                : cv_column_int(c, i);
    switch (to) {
    case CV_INT64:
        *iv = v;
        return 0;
    case CV_BOOL:
        if (from != CV_INT64 || (v != 0 && v != 1))
            return -1;
        *iv = v;
        return 0;
    case CV_DATE:
        if (from != CV_DATETIME)
            return -1;
        *iv = (v >= 0 ? v : v - 86399) / 86400; /* floor: the day the instant falls on */
        return *iv < INT32_MIN || *iv > INT32_MAX ? -1 : 0;
    case CV_DATETIME:
        if (from != CV_DATE)
            return -1;
        *iv = v * 86400;
        return 0;
    default:
        return -1;
    }
}

cv_column *cv_column_cast(const cv_column *c, cv_type to, cv_error *err)
{
    cv_column *r;
    if (c->type == to) {
        if (!(r = cv_column_rename((cv_column *)c, c->name)))
            NOMEM(err);
        return r;
    }
    int allowed;
    switch (to) {
    case CV_STRING:
    case CV_FLOAT64:
        allowed = 1;
        break;
    case CV_INT64:
        allowed = c->type != CV_DATE && c->type != CV_DATETIME;
        break;
    case CV_BOOL:
        allowed = c->type == CV_INT64 || c->type == CV_FLOAT64 || c->type == CV_STRING;
        break;
    default: /* date, datetime */
        allowed = c->type == CV_STRING || c->type == CV_DATE || c->type == CV_DATETIME;
        break;
    }
    if (!allowed) {
        cv_error_set(err, CV_ERR_TYPE, "cannot cast column '%s' from %s to %s", c->name,
                     cv_type_name(c->type), cv_type_name(to));
        return NULL;
    }
    if (!(r = cv_column_new(c->name, to, c->n))) {
        NOMEM(err);
        return NULL;
    }
    if ((to == CV_INT64 || to == CV_FLOAT64) && (c->type == CV_INT64 || c->type == CV_FLOAT64))
        cv_column_copy_kind(r, c); /* the same numbers in another storage */
    for (int64_t i = 0; i < c->n; i++) {
        int rc;
        if (!cv_column_is_valid(c, i)) {
            rc = cv_column_push_missing(r);
        } else if (to == CV_STRING) {
            char buf[64];
            size_t len = cv_value_format(c, i, 0, "", buf, sizeof buf);
            rc = cv_column_push_string(r, buf, len < sizeof buf ? len : sizeof buf - 1);
        } else {
            int64_t iv = 0;
            double fv = 0;
            if (cast_value(c, i, to, &iv, &fv) != 0) {
                char buf[64];
                cv_value_format(c, i, 0, "", buf, sizeof buf);
                cv_error_set(err, CV_ERR_TYPE,
                             "cannot cast '%s' in row %lld of column '%s' to %s", buf,
                             (long long)i + 1, c->name, cv_type_name(to));
                cv_column_unref(r);
                return NULL;
            }
            switch (to) {
            case CV_FLOAT64:
                rc = cv_column_push_float(r, fv);
                break;
            case CV_BOOL:
                rc = cv_column_push_bool(r, (int)iv);
                break;
            case CV_DATE:
                rc = cv_column_push_i32(r, (int32_t)iv);
                break;
            default:
                rc = cv_column_push_int(r, iv);
                break;
            }
        }
        if (rc) {
            cv_column_unref(r);
            NOMEM(err);
            return NULL;
        }
    }
    return r;
}

/* ---- Selecting rows and columns ---------------------------------------------------------- */

cv_table *cv_table_select(const cv_table *t, const char *const *names, int n, cv_error *err)
{
    cv_table *r = cv_table_new();
    if (!r) {
        NOMEM(err);
        return NULL;
    }
    for (int k = 0; k < n; k++) {
        cv_column *c = cv_table_col(t, names[k], err);
        if (!c || cv_table_add(r, c, err) != 0) {
            cv_table_free(r);
            return NULL;
        }
    }
    r->nrows = n > 0 ? t->nrows : 0;
    r->meta = t->meta;
    return r;
}

/* A table with every column of t shared (no copy). */
static cv_table *table_share(const cv_table *t, cv_error *err)
{
    cv_table *r = cv_table_new();
    if (!r) {
        NOMEM(err);
        return NULL;
    }
    for (int k = 0; k < t->ncols; k++)
        if (cv_table_add(r, t->cols[k], err) != 0) {
            cv_table_free(r);
            return NULL;
        }
    r->nrows = t->nrows;
    r->meta = t->meta;
    return r;
}

cv_table *cv_table_with_kind(const cv_table *t, const char *col, cv_kind kind, int decimals,
                             cv_error *err)
{
    cv_column *c = cv_table_col(t, col, err);
    if (!c)
        return NULL;
    if (kind != CV_KIND_NONE && c->type != CV_INT64 && c->type != CV_FLOAT64) {
        cv_error_set(err, CV_ERR_TYPE, "column '%s' is %s: only numbers have a kind", c->name,
                     cv_type_name(c->type));
        return NULL;
    }
    cv_column *v = cv_column_rename(c, c->name);
    cv_table *r = v ? table_share(t, err) : NULL;
    if (!v)
        NOMEM(err);
    if (r) {
        v->kind = kind;
        if (kind == CV_KIND_NONE || decimals < 0)
            v->decimals1 = 0;
        else
            v->decimals1 = (decimals > 15 ? 15 : decimals) + 1;
        if (cv_table_set(r, v, err) != 0) {
            cv_table_free(r);
            r = NULL;
        }
    }
    cv_column_unref(v);
    return r;
}

/* cv_table_take without checking idx (every idx[k] in -1 .. nrows-1). */
static cv_table *take_rows(const cv_table *t, const int64_t *idx, int64_t n, cv_error *err)
{
    cv_table *r = cv_table_new();
    if (!r) {
        NOMEM(err);
        return NULL;
    }
    for (int k = 0; k < t->ncols; k++) {
        cv_column *c = cv_column_take(t->cols[k], idx, n);
        int rc = c ? cv_table_add(r, c, err) : NOMEM(err);
        cv_column_unref(c);
        if (rc) {
            cv_table_free(r);
            return NULL;
        }
    }
    r->nrows = n;
    r->meta = t->meta;
    return r;
}

cv_table *cv_table_take(const cv_table *t, const int64_t *idx, int64_t n, cv_error *err)
{
    for (int64_t k = 0; k < n; k++)
        if (idx[k] < -1 || idx[k] >= t->nrows) {
            cv_error_set(err, CV_ERR_USAGE, "row index %lld out of range (the table has %lld rows)",
                         (long long)idx[k], (long long)t->nrows);
            return NULL;
        }
    return take_rows(t, idx, n, err);
}

cv_table *cv_table_filter_mask(const cv_table *t, const uint8_t *mask, cv_error *err)
{
    int64_t n = t->nrows, m = 0;
    for (int64_t i = 0; i < n; i++)
        m += mask[i] != 0;
    if (m == n)
        return table_share(t, err);
    int64_t *idx = xmalloc((size_t)(m + 1) * sizeof *idx); /* + 1: the branchless write */
    if (!idx) {
        NOMEM(err);
        return NULL;
    }
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) {
        idx[k] = i;
        k += mask[i] != 0;
    }
    cv_table *r = take_rows(t, idx, m, err);
    cv_free(idx);
    return r;
}

cv_table *cv_table_head(const cv_table *t, int64_t n, cv_error *err)
{
    int64_t from = 0, cnt;
    if (n >= t->nrows || n <= -t->nrows)
        return table_share(t, err);
    if (n >= 0) {
        cnt = n;
    } else {
        cnt = -n;
        from = t->nrows - cnt;
    }
    int64_t *idx = xmalloc((size_t)cnt * sizeof *idx);
    if (!idx) {
        NOMEM(err);
        return NULL;
    }
    for (int64_t k = 0; k < cnt; k++)
        idx[k] = from + k;
    cv_table *r = take_rows(t, idx, cnt, err);
    cv_free(idx);
    return r;
}

/* ---- Filter --------------------------------------------------------------------------------- */

int cv_op_parse(const char *s, cv_op *out)
{
    static const struct {
        const char *s;
        cv_op op;
    } ops[] = {{"==", CV_EQ}, {"=", CV_EQ},   {"~=", CV_NE},   {"!=", CV_NE},
               {"<", CV_LT},  {"<=", CV_LE},  {">", CV_GT},    {">=", CV_GE},
               {"isna", CV_ISNA}, {"notna", CV_NOTNA}};
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        if (strcmp(s, ops[k].s) == 0) {
            *out = ops[k].op;
            return 0;
        }
    return -1;
}

static const char *value_kind_name(const cv_value *v)
{
    switch (v->kind) {
    case CV_VAL_NUMBER:
        return "a number";
    case CV_VAL_STRING:
        return "a string";
    case CV_VAL_BOOL:
        return "a bool";
    default:
        return "missing";
    }
}

/* ok[op][cmp + 1]: whether a comparison result cmp (-1, 0, 1) satisfies op. */
static const uint8_t op_ok[6][3] = {
    {0, 1, 0}, /* == */
    {1, 0, 1}, /* != */
    {1, 0, 0}, /* <  */
    {1, 1, 0}, /* <= */
    {0, 0, 1}, /* >  */
    {0, 1, 1}, /* >= */
};

/* Fills mask for an integer-valued column (int, datetime, date, bool) against the number v:
   exact for every int64, also when v is not a whole number or is out of range. */
static void filter_ints(const cv_column *c, cv_op op, double v, uint8_t *mask)
{
    const uint8_t *ok = op_ok[op];
    int64_t n = c->n, b = 0;
    int mode; /* 0: compare with b exactly; 1: v lies strictly between b and b+1;
                 2: v below every int64; 3: v above every int64 */
    if (v < -9223372036854775808.0) {
        mode = 2;
    } else if (v >= 9223372036854775808.0) {
        mode = 3;
    } else {
        double f = floor(v);
        b = (int64_t)f;
        mode = f != v;
    }
    if (mode >= 2) {
        for (int64_t i = 0; i < n; i++)
            mask[i] = ok[mode == 2 ? 2 : 0];
    } else if (c->type == CV_DATE) {
        const int32_t *x = c->data;
        if (mode == 0)
            for (int64_t i = 0; i < n; i++)
                mask[i] = ok[(x[i] > b) - (x[i] < b) + 1];
        else
            for (int64_t i = 0; i < n; i++)
                mask[i] = ok[x[i] > b ? 2 : 0];
    } else if (c->type == CV_BOOL) {
        const uint8_t *x = c->data;
        for (int64_t i = 0; i < n; i++)
            mask[i] = mode == 0 ? ok[(x[i] > b) - (x[i] < b) + 1] : ok[x[i] > b ? 2 : 0];
    } else {
        const int64_t *x = c->data;
        if (mode == 0)
            for (int64_t i = 0; i < n; i++)
                mask[i] = ok[(x[i] > b) - (x[i] < b) + 1];
        else
            for (int64_t i = 0; i < n; i++)
                mask[i] = ok[x[i] > b ? 2 : 0];
    }
    if (c->valid)
        for (int64_t i = 0; i < n; i++)
            mask[i] &= (uint8_t)cv_column_is_valid(c, i);
}

/* Byte order of two strings (memcmp, then the shorter first). */
static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r)
        return r < 0 ? -1 : 1;
    return (alen > blen) - (alen < blen);
}

/* Fills mask; 0, or an error code with err set. */
static int filter_fill(const cv_column *c, cv_op op, const cv_value *v, uint8_t *mask,
                       cv_error *err)
{
    int64_t n = c->n;
    const uint8_t *ok = op_ok[op];
    switch (c->type) {
    case CV_INT64:
    case CV_DATETIME:
    case CV_DATE:
        if (v->kind == CV_VAL_NUMBER && !isnan(v->num)) {
            filter_ints(c, op, v->num, mask);
            return 0;
        }
        if (v->kind == CV_VAL_STRING && c->type != CV_INT64) {
            int64_t days, secs;
            int has_time;
            if (parse_datetime(v->str, v->len, &days, &secs, &has_time) != 0 ||
                (c->type == CV_DATE && has_time))
                return cv_error_set(err, CV_ERR_TYPE,
                                    "filter on column '%s': expected a %s like %s, found '%.*s'",
                                    c->name, cv_type_name(c->type),
                                    c->type == CV_DATE ? "1997-01-31" : "1997-01-31 12:00:00",
                                    (int)(v->len > 60 ? 60 : v->len), v->str);
            filter_ints(c, op, (double)(c->type == CV_DATE ? days : secs), mask);
            return 0;
        }
        break;
    case CV_FLOAT64:
        if (v->kind == CV_VAL_NUMBER && !isnan(v->num)) {
            const double *x = c->data;
            double y = v->num;
            for (int64_t i = 0; i < n; i++)
                mask[i] = ok[(x[i] > y) - (x[i] < y) + 1] & !isnan(x[i]);
            if (c->valid)
                for (int64_t i = 0; i < n; i++)
                    mask[i] &= (uint8_t)cv_column_is_valid(c, i);
            return 0;
        }
        break;
    case CV_BOOL:
        if (v->kind == CV_VAL_BOOL || (v->kind == CV_VAL_NUMBER && (v->num == 0 || v->num == 1))) {
            filter_ints(c, op, v->kind == CV_VAL_BOOL ? (v->b != 0) : v->num, mask);
            return 0;
        }
        break;
    case CV_STRING: {
        if (v->kind != CV_VAL_STRING)
            break;
        int32_t nd = cv_strdict_size(c->dict);
        uint8_t *okc = xmalloc((size_t)nd);
        if (!okc)
            return NOMEM(err);
        for (int32_t k = 0; k < nd; k++) {
            size_t len;
            const char *s = cv_strdict_get(c->dict, k, &len);
            okc[k] = ok[bytes_cmp(s, len, v->str, v->len) + 1];
        }
        const int32_t *x = c->data;
        for (int64_t i = 0; i < n; i++)
            mask[i] = okc[x[i]];
        cv_free(okc);
        if (c->valid)
            for (int64_t i = 0; i < n; i++)
                mask[i] &= (uint8_t)cv_column_is_valid(c, i);
        return 0;
    }
    }
    const char *want = c->type == CV_STRING ? "a string"
                     : c->type == CV_BOOL   ? "a bool"
                     : c->type == CV_DATE || c->type == CV_DATETIME ? "a number or a date text"
                                                                      : "a number";
    return cv_error_set(err, CV_ERR_TYPE,
                        "filter on column '%s' (%s): expected %s, found %s%s", c->name,
                        cv_type_name(c->type), want, value_kind_name(v),
                        v->kind == CV_VAL_NUMBER && isnan(v->num) ? " (nan)" : "");
}

cv_table *cv_table_filter(const cv_table *t, const char *col, cv_op op, const cv_value *v,
                          cv_error *err)
{
    cv_column *c = cv_table_col(t, col, err);
    if (!c)
        return NULL;
    if ((unsigned)op > CV_NOTNA) {
        cv_error_set(err, CV_ERR_USAGE, "unknown filter operator %d", (int)op);
        return NULL;
    }
    if (op != CV_ISNA && op != CV_NOTNA && (!v || v->kind == CV_VAL_MISSING)) {
        if (op != CV_EQ && op != CV_NE) {
            cv_error_set(err, CV_ERR_USAGE,
                         "filter on column '%s': cannot order against missing, use isna or notna",
                         c->name);
            return NULL;
        }
        op = op == CV_EQ ? CV_ISNA : CV_NOTNA;
    }
    uint8_t *mask = xmalloc((size_t)c->n);
    if (!mask) {
        NOMEM(err);
        return NULL;
    }
    if (op == CV_ISNA || op == CV_NOTNA) {
        uint8_t want = op == CV_NOTNA;
        for (int64_t i = 0; i < c->n; i++)
            mask[i] = (uint8_t)present(c, i) == want;
    } else if (filter_fill(c, op, v, mask, err) != 0) {
        cv_free(mask);
        return NULL;
    }
    cv_table *r = cv_table_filter_mask(t, mask, err);
    cv_free(mask);
    return r;
}

/* ---- Order-preserving keys (sort, min/max) ------------------------------------------------- */

typedef struct str_rank_item {
    const char *s;
    size_t len;
    int32_t code;
} str_rank_item;

static int str_rank_cmp(const void *a, const void *b)
{
    const str_rank_item *x = a, *y = b;
    return bytes_cmp(x->s, x->len, y->s, y->len);
}

/* rank[code] = position of the code's string in byte order (equal strings cannot occur in
   one dictionary). Caller frees; NULL when out of memory. */
static uint32_t *string_ranks(const cv_strdict *d)
{
    int32_t n = cv_strdict_size(d);
    str_rank_item *items = xmalloc((size_t)n * sizeof *items);
    uint32_t *rank = xmalloc((size_t)n * sizeof *rank);
    if (!items || !rank) {
        cv_free(items);
        cv_free(rank);
        return NULL;
    }
    for (int32_t k = 0; k < n; k++) {
        items[k].s = cv_strdict_get(d, k, &items[k].len);
        items[k].code = k;
    }
    qsort(items, (size_t)n, sizeof *items, str_rank_cmp);
    for (int32_t k = 0; k < n; k++)
        rank[items[k].code] = (uint32_t)k;
    cv_free(items);
    return rank;
}

/* An unsigned key whose order is the value's order: for present values of c only.
   Floats: -0 is 0 (NaN never gets here). Strings need ranks. */
static inline uint64_t order_key(const cv_column *c, int64_t i, const uint32_t *rank)
{
    switch (c->type) {
    case CV_INT64:
    case CV_DATETIME:
        return (uint64_t)cv_column_int(c, i) ^ 0x8000000000000000ULL;
    case CV_DATE:
        return (uint64_t)(int64_t)cv_column_i32(c, i) ^ 0x8000000000000000ULL;
    case CV_BOOL:
        return cv_column_bool(c, i);
    case CV_STRING:
        return rank[cv_column_i32(c, i)];
    case CV_FLOAT64: {
        double x = cv_column_float(c, i);
        uint64_t u;
        if (x == 0)
            x = 0;
        memcpy(&u, &x, 8);
        return (u >> 63) ? ~u : u | 0x8000000000000000ULL;
    }
    }
    return 0;
}

/* ---- Sort ------------------------------------------------------------------------------------ */

/* Stable LSD radix sort of (key, idx) pairs by key, 8 bits at a time, skipping the bytes in
   which every key agrees. The result is in (*key, *idx); the other buffers are scratch. */
static void radix_sort(uint64_t **key, int64_t **idx, uint64_t **key2, int64_t **idx2, int64_t m)
{
    if (m < 2)
        return;
    int64_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    uint64_t *k = *key;
    for (int64_t i = 0; i < m; i++) {
        uint64_t x = k[i];
        for (int b = 0; b < 8; b++)
            cnt[b][(x >> (8 * b)) & 0xff]++;
    }
    for (int b = 0; b < 8; b++) {
        int64_t *c = cnt[b];
        if (c[(k[0] >> (8 * b)) & 0xff] == m)
            continue; /* all keys share this byte */
        int64_t sum = 0;
        for (int v = 0; v < 256; v++) {
            int64_t t = c[v];
            c[v] = sum;
            sum += t;
        }
        uint64_t *src = *key, *dst = *key2;
        int64_t *isrc = *idx, *idst = *idx2;
        int sh = 8 * b;
        for (int64_t i = 0; i < m; i++) {
            uint64_t x = src[i];
            int64_t p = c[(x >> sh) & 0xff]++;
            dst[p] = x;
            idst[p] = isrc[i];
        }
        *key2 = src;
        *key = dst;
        *idx2 = isrc;
        *idx = idst;
        k = *key;
    }
}

int64_t *cv_table_order(const cv_table *t, const cv_sort_key *keys, int nkeys, cv_error *err)
{
    int64_t n = t->nrows;
    cv_column **cols = xmalloc((size_t)(nkeys > 0 ? nkeys : 1) * sizeof *cols);
    if (!cols) {
        NOMEM(err);
        return NULL;
    }
    for (int j = 0; j < nkeys; j++)
        if (!(cols[j] = cv_table_col(t, keys[j].col, err))) {
            cv_free(cols);
            return NULL;
        }
    int64_t *perm = xmalloc((size_t)n * sizeof *perm), *perm2 = xmalloc((size_t)n * sizeof *perm2);
    int64_t *miss = xmalloc((size_t)n * sizeof *miss);
    uint64_t *key = xmalloc((size_t)n * sizeof *key), *key2 = xmalloc((size_t)n * sizeof *key2);
    if (!perm || !perm2 || !miss || !key || !key2)
        goto nomem;
    for (int64_t i = 0; i < n; i++)
        perm[i] = i;
    /* Least significant key first; each pass is stable, so earlier keys win. */
    for (int j = nkeys - 1; j >= 0; j--) {
        const cv_column *c = cols[j];
        uint32_t *rank = NULL;
        if (c->type == CV_STRING && !(rank = string_ranks(c->dict)))
            goto nomem;
        int64_t m = 0, nm = 0;
        uint64_t lo = UINT64_MAX, hi = 0;
        for (int64_t i = 0; i < n; i++) {
            int64_t r = perm[i];
            if (present(c, r)) {
                uint64_t x = order_key(c, r, rank);
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
                key[m] = x;
                perm2[m++] = r;
            } else {
                miss[nm++] = r;
            }
        }
        cv_free(rank);
        /* Shift keys to start at 0 (fewer radix passes); descending flips them. */
        if (keys[j].desc)
            for (int64_t i = 0; i < m; i++)
                key[i] = hi - key[i];
        else
            for (int64_t i = 0; i < m; i++)
                key[i] -= lo;
        uint64_t *kk = key, *kk2 = key2;
        int64_t *pp = perm2, *pp2 = perm;
        radix_sort(&kk, &pp, &kk2, &pp2, m);
        if (pp != perm)
            memcpy(perm, pp, (size_t)m * sizeof *perm);
        memcpy(perm + m, miss, (size_t)nm * sizeof *perm);
        if (kk != key) { /* keep the named buffers pointing at distinct storage */
            key2 = key;
            key = kk;
        }
    }
    cv_free(perm2);
    cv_free(miss);
    cv_free(key);
    cv_free(key2);
    cv_free(cols);
    return perm;
nomem:
    cv_free(perm);
    cv_free(perm2);
    cv_free(miss);
    cv_free(key);
    cv_free(key2);
    cv_free(cols);
    NOMEM(err);
    return NULL;
}

cv_table *cv_table_sort(const cv_table *t, const cv_sort_key *keys, int nkeys, cv_error *err)
{
    int64_t *perm = cv_table_order(t, keys, nkeys, err);
    if (!perm)
        return NULL;
    if (cv_cancel_check(err)) { /* between ordering and copying */
        cv_free(perm);
        return NULL;
    }
    cv_table *r = take_rows(t, perm, t->nrows, err);
    cv_free(perm);
    return r;
}

/* ---- Hashing rows on key columns (group-by, join) ------------------------------------------- */

/* Canonical 64-bit words of key values, per key column, so that equal keys have equal
   words: ints and dates as themselves, string codes (mapped into one dictionary), floats
   by bit pattern with -0 as 0, numbers compared across int and float as doubles. */
typedef struct keyset {
    int nk;
    int64_t n;
    uint64_t **k;   /* nk arrays of n words */
    uint64_t *miss; /* per row, bit j set when key j is missing; NULL when none is */
} keyset;

typedef enum key_mode { KEY_NATIVE, KEY_DOUBLE, KEY_REMAP } key_mode;

static void keyset_free(keyset *ks)
{
    if (ks->k)
        for (int j = 0; j < ks->nk; j++)
            cv_free(ks->k[j]);
    cv_free(ks->k);
    cv_free(ks->miss);
    memset(ks, 0, sizeof *ks);
}

static int keyset_init(keyset *ks, int nk, int64_t n)
{
    memset(ks, 0, sizeof *ks);
    ks->nk = nk;
    ks->n = n;
    ks->k = cv_calloc((size_t)nk, sizeof *ks->k);
    return ks->k ? 0 : -1;
}

static int keyset_mark(keyset *ks, int j, int64_t i)
{
    if (!ks->miss && !(ks->miss = xcalloc((size_t)ks->n, sizeof *ks->miss)))
        return -1;
    ks->miss[i] |= 1ULL << j;
    ks->k[j][i] = 0;
    return 0;
}

/* Fills key j from column c. KEY_DOUBLE turns numbers into doubles; KEY_REMAP maps
   string codes through remap (a code mapped to -1 becomes missing). 0 or -1 (memory). */
static int keyset_col(keyset *ks, int j, const cv_column *c, key_mode mode, const int32_t *remap)
{
    int64_t n = ks->n;
    uint64_t *k = ks->k[j] = xmalloc((size_t)n * sizeof *k);
    if (!k)
        return -1;
    if (mode == KEY_DOUBLE || c->type == CV_FLOAT64) {
        for (int64_t i = 0; i < n; i++) {
            double x = c->type == CV_FLOAT64 ? cv_column_float(c, i) : cv_column_number(c, i);
            if (x == 0)
                x = 0; /* -0 == 0 */
            memcpy(&k[i], &x, 8);
        }
    } else {
        switch (cv_type_size(c->type)) {
        case 8:
            if (n > 0)
                memcpy(k, c->data, (size_t)n * 8);
            break;
        case 4: {
            const int32_t *x = c->data;
            if (mode == KEY_REMAP)
                for (int64_t i = 0; i < n; i++)
                    k[i] = (uint64_t)(int64_t)remap[x[i]];
            else
                for (int64_t i = 0; i < n; i++)
                    k[i] = (uint64_t)(int64_t)x[i];
            break;
        }
        default: {
            const uint8_t *x = c->data;
            for (int64_t i = 0; i < n; i++)
                k[i] = x[i];
            break;
        }
        }
    }
    if (!c->valid && mode != KEY_REMAP && mode != KEY_DOUBLE && c->type != CV_FLOAT64)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        int gone = !cv_column_is_valid(c, i) ||
                   ((mode == KEY_DOUBLE || c->type == CV_FLOAT64) && isnan(cv_column_number(c, i))) ||
                   (mode == KEY_REMAP && (int64_t)k[i] < 0);
        if (gone && keyset_mark(ks, j, i) != 0)
            return -1;
    }
    return 0;
}

static inline uint64_t keyset_hash(const keyset *ks, int64_t i)
{
    uint64_t h = mix64(ks->k[0][i]);
    for (int j = 1; j < ks->nk; j++)
        h = mix64(h ^ (ks->k[j][i] + 0x9e3779b97f4a7c15ULL * (uint64_t)j));
    if (ks->miss && ks->miss[i]) /* so a row without missing keys hashes the same anywhere */
        h = mix64(h ^ (ks->miss[i] * 0xd6e8feb86659fd93ULL));
    return h;
}

static inline int keyset_eq(const keyset *a, int64_t i, const keyset *b, int64_t j)
{
    uint64_t ma = a->miss ? a->miss[i] : 0, mb = b->miss ? b->miss[j] : 0;
    if (ma != mb)
        return 0;
    for (int q = 0; q < a->nk; q++)
        if (a->k[q][i] != b->k[q][j])
            return 0;
    return 1;
}

/* An open-addressing table from key hashes to group ids, each group remembering its first
   row (in the build keyset) for the equality check. When there is one key and the row is
   not missing, the hash (a bijection of the word) alone decides equality. This is the
   general path (several keys that do not pack into one word); see wmap for the fast one. */
typedef struct hslot {
    uint64_t h;
    int64_t g; /* -1 empty */
} hslot;

typedef struct htab {
    hslot *s;
    uint64_t mask;
    int64_t ng, gcap;
    int64_t *first;
} htab;

static int slots_alloc(hslot **s, uint64_t cap)
{
    if (!(*s = xmalloc(cap * sizeof **s)))
        return -1;
    for (uint64_t k = 0; k < cap; k++)
        (*s)[k].g = -1;
    return 0;
}

static int htab_init(htab *ht, int64_t expect)
{
    uint64_t cap = 1024;
    while (cap < (uint64_t)expect * 2)
        cap *= 2;
    memset(ht, 0, sizeof *ht);
    ht->gcap = 1024;
    ht->first = xmalloc((size_t)ht->gcap * sizeof *ht->first);
    if (!ht->first || slots_alloc(&ht->s, cap) != 0)
        return -1;
    ht->mask = cap - 1;
    return 0;
}

static void htab_free(htab *ht)
{
    cv_free(ht->s);
    cv_free(ht->first);
}

/* Doubles a table of slots keyed by h (re-probing with hash(h)). 0 or -1. */
static int slots_grow(hslot **sp, uint64_t *maskp, int rehash)
{
    uint64_t cap = (*maskp + 1) * 2, mask = cap - 1;
    hslot *s, *old = *sp;
    if (slots_alloc(&s, cap) != 0)
        return -1;
    for (uint64_t k = 0; k <= *maskp; k++) {
        if (old[k].g < 0)
            continue;
        uint64_t p = (rehash ? mix64(old[k].h) : old[k].h) & mask;
        while (s[p].g >= 0)
            p = (p + 1) & mask;
        s[p] = old[k];
    }
    cv_free(old);
    *sp = s;
    *maskp = mask;
    return 0;
}

static int64_t htab_new_group(htab *ht, int64_t row)
{
    if (ht->ng == ht->gcap) {
        int64_t cap = ht->gcap * 2;
        int64_t *f = cv_realloc(ht->first, (size_t)cap * sizeof *f);
        if (!f)
            return -2;
        ht->first = f;
        ht->gcap = cap;
    }
    ht->first[ht->ng] = row;
    return ht->ng++;
}

/* The group of row i of q (looked up among the rows of the build keyset b); adds a new
   group when add is set. Returns the group, -1 when absent (add not set), -2 on memory. */
static int64_t htab_get(htab *ht, const keyset *b, const keyset *q, int64_t i, int add)
{
    uint64_t h = keyset_hash(q, i), p = h & ht->mask;
    int exact = q->nk == 1 && !(q->miss && q->miss[i]);
    for (;;) {
        hslot *sl = &ht->s[p];
        if (sl->g < 0)
            break;
        if (sl->h == h && (exact || keyset_eq(q, i, b, ht->first[sl->g])))
            return sl->g;
        p = (p + 1) & ht->mask;
    }
    if (!add)
        return -1;
    int64_t g = htab_new_group(ht, i);
    if (g < 0)
        return g;
    ht->s[p].h = h;
    ht->s[p].g = g;
    if ((uint64_t)ht->ng * 2 > ht->mask && slots_grow(&ht->s, &ht->mask, 0) != 0)
        return -2;
    return g;
}

/* ---- One-word keys (the fast path of group-by and join) ------------------------------------ */

/* A map from 64-bit words to dense ids 0, 1, ... in order of first insertion: an array
   indexed by w - lo when the words span a small range (ids, codes, dates, packed keys),
   else an open-addressing table holding the words themselves (no verification needed). */
typedef struct wmap {
    uint64_t lo, span;
    int64_t *map; /* direct when not NULL */
    hslot *s;
    uint64_t mask;
    int64_t n;
} wmap;

static int wmap_init(wmap *m, uint64_t lo, uint64_t span, int64_t nrows)
{
    memset(m, 0, sizeof *m);
    if (span > 0 && span <= (1ULL << 28) && (span <= 65536 || span <= 2 * (uint64_t)nrows)) {
        m->lo = lo;
        m->span = span;
        if (!(m->map = xmalloc(span * sizeof *m->map)))
            return -1;
        memset(m->map, 0xff, span * sizeof *m->map);
        return 0;
    }
    m->mask = 1023;
    return slots_alloc(&m->s, 1024);
}

static void wmap_free(wmap *m)
{
    cv_free(m->map);
    cv_free(m->s);
}

/* The id of w; a new one when add is set. The id, -1 when absent, -2 out of memory. */
static inline int64_t wmap_get(wmap *m, uint64_t w, int add)
{
    if (m->map) {
        uint64_t k = w - m->lo;
        if (k >= m->span)
            return -1; /* only a probe can fall outside: the range covers every build word */
        int64_t g = m->map[k];
        if (g >= 0 || !add)
            return g;
        return m->map[k] = m->n++;
    }
    uint64_t p = mix64(w) & m->mask;
    for (;;) {
        hslot *sl = &m->s[p];
        if (sl->g < 0)
            break;
        if (sl->h == w)
            return sl->g;
        p = (p + 1) & m->mask;
    }
    if (!add)
        return -1;
    m->s[p].h = w;
    m->s[p].g = m->n++;
    if ((uint64_t)m->n * 2 > m->mask && slots_grow(&m->s, &m->mask, 1) != 0)
        return -2;
    return m->n - 1;
}

/* A key column of one side, with string codes mapped into the other side's dictionary. */
typedef struct keydesc {
    const cv_column *c;
    const int32_t *remap;
    int as_double; /* int compared with float: both sides as doubles */
} keydesc;

/* The integer of value i of an int-like key (int, datetime, date, bool, string code);
   0 when it is missing (or a string the other side does not have), else 1. */
static inline int key_int(const keydesc *k, int64_t i, int64_t *v)
{
    const cv_column *c = k->c;
    if (!cv_column_is_valid(c, i))
        return 0;
    switch (c->type) {
    case CV_INT64:
    case CV_DATETIME:
        *v = cv_column_int(c, i);
        return 1;
    case CV_DATE:
        *v = cv_column_i32(c, i);
        return 1;
    case CV_BOOL:
        *v = cv_column_bool(c, i);
        return 1;
    case CV_STRING: {
        int32_t code = cv_column_i32(c, i);
        if (k->remap && (code = k->remap[code]) < 0)
            return 0;
        *v = code;
        return 1;
    }
    default:
        return 0;
    }
}

static int key_is_float(const keydesc *k)
{
    return k->as_double || k->c->type == CV_FLOAT64;
}

/* The word of value i of a float (or as-double) key: its bits with -0 as 0; 0 when missing
   (NaN included), else 1. */
static inline int key_float(const keydesc *k, int64_t i, uint64_t *w)
{
    double x = cv_column_number(k->c, i);
    if (isnan(x))
        return 0;
    if (x == 0)
        x = 0;
    memcpy(w, &x, 8);
    return 1;
}

/* Widens [*lo, *hi] to cover the present values of an int-like key. */
static void key_range(const keydesc *k, int64_t n, int64_t *lo, int64_t *hi)
{
    for (int64_t i = 0; i < n; i++) {
        int64_t v;
        if (key_int(k, i, &v)) {
            *lo = v < *lo ? v : *lo;
            *hi = v > *hi ? v : *hi;
        }
    }
}

/* How several keys pack into one word: offsets from lo in mixed radix, each key with one
   more value for missing. */
typedef struct packing {
    int nk;
    int64_t lo[64];
    uint64_t span[64], mult[64];
    uint64_t total; /* the number of distinct words */
    int single_float; /* one key compared as a double */
} packing;

/* Plans one word per row for keys kd[0..nk) of the sides given (nside 1 or 2, every side's
   keys in the same order). 0, or -1 when the keys cannot share one word. */
static int plan_packing(packing *pk, const keydesc *const *kd, const int64_t *nrows, int nside,
                        int nk)
{
    memset(pk, 0, sizeof *pk);
    pk->nk = nk;
    if (nk == 1 && key_is_float(&kd[0][0])) {
        pk->single_float = 1;
        pk->total = UINT64_MAX;
        return 0;
    }
    uint64_t total = 1;
    for (int j = nk - 1; j >= 0; j--) {
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (int sd = 0; sd < nside; sd++) {
            if (key_is_float(&kd[sd][j]))
                return -1;
            key_range(&kd[sd][j], nrows[sd], &lo, &hi);
        }
        if (lo > hi)
            lo = hi = 0; /* no value present */
        uint64_t span = (uint64_t)hi - (uint64_t)lo;
        if (span >= UINT64_MAX - 1 && nk == 1) { /* a full-range single key: hashed as is */
            pk->lo[0] = lo;
            pk->mult[0] = 1;
            pk->total = UINT64_MAX;
            return 0;
        }
        if (span >= UINT64_MAX - 1)
            return -1;
        span += nk == 1 ? 1 : 2; /* a single key keeps missing aside */
        pk->lo[j] = lo;
        pk->span[j] = span;
        pk->mult[j] = total;
        if (__builtin_mul_overflow(total, span, &total))
            return -1;
    }
    pk->total = total;
    return 0;
}

/* Fills w[i] for the rows of one side, and miss[i] = 1 for rows with a missing key
   (with several keys in group-by, missing is packed as a value of its own and
   pack_missing leaves miss at 0). */
static void make_words(const packing *pk, const keydesc *kd, int64_t n, int pack_missing,
                       uint64_t *w, uint8_t *miss)
{
    if (pk->single_float) {
        for (int64_t i = 0; i < n; i++) {
            miss[i] = !key_float(&kd[0], i, &w[i]);
            if (miss[i])
                w[i] = 0;
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        uint64_t acc = 0;
        int m = 0;
        for (int j = 0; j < pk->nk; j++) {
            int64_t v;
            if (key_int(&kd[j], i, &v))
                acc += ((uint64_t)v - (uint64_t)pk->lo[j]) * pk->mult[j];
            else if (pack_missing && pk->nk > 1)
                acc += (pk->span[j] - 1) * pk->mult[j];
            else
                m = 1;
        }
        w[i] = acc;
        miss[i] = (uint8_t)m;
    }
}

/* Appends row to a growing array of first rows. 0 or -1. */
static int push_first(int64_t **first, int64_t *cap, int64_t ng, int64_t row)
{
    if (ng == *cap) {
        int64_t c = *cap ? *cap * 2 : 1024;
        int64_t *f = cv_realloc(*first, (size_t)c * sizeof *f);
        if (!f)
            return -1;
        *first = f;
        *cap = c;
    }
    (*first)[ng] = row;
    return 0;
}

/* ---- Group-by ---------------------------------------------------------------------------------- */

int cv_agg_parse(const char *s, cv_agg_fn *out)
{
    static const char *const names[] = {"count", "sum",  "mean",       "min",
                                        "max",   "first", "last",      "n_distinct",
                                        "quantile", "median", "sd",    "var"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strcmp(s, names[k]) == 0) {
            *out = (cv_agg_fn)k;
            return 0;
        }
    return -1;
}

static const char *agg_name(cv_agg_fn fn)
{
    static const char *const names[] = {"count", "sum",  "mean",       "min",
                                        "max",   "first", "last",      "n_distinct",
                                        "quantile", "median", "sd",    "var"};
    return (unsigned)fn < sizeof names / sizeof *names ? names[fn] : "?";
}

/* Sets bit g of a column's validity to missing (the column has n == cap == ng). */
static int mark_missing(cv_column *c, int64_t g)
{
    return cv_column_set_missing(c, g);
}

/* A new column of ng values of type `type`, all 0 and present. */
static cv_column *agg_column(const char *name, cv_type type, int64_t ng)
{
    cv_column *c = cv_column_new(name, type, ng);
    if (!c)
        return NULL;
    if (ng > 0)
        memset(c->data, 0, (size_t)ng * cv_type_size(type));
    c->n = ng;
    return c;
}

/* Type-7 quantile of sorted x[0..n) (n > 0). */
static double quantile7(const double *x, int64_t n, double q)
{
    double h = (double)(n - 1) * q;
    int64_t lo = (int64_t)floor(h);
    if (lo >= n - 1)
        return x[n - 1];
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Stable LSD radix sort of a[0..n) (tmp has room for n), skipping uniform bytes. */
static void radix_u64(uint64_t *a, uint64_t *tmp, int64_t n)
{
    int64_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    for (int64_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            cnt[b][(a[i] >> (8 * b)) & 0xff]++;
    uint64_t *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        int64_t *c = cnt[b];
        if (c[(src[0] >> (8 * b)) & 0xff] == n)
            continue;
        int64_t sum = 0;
        for (int v = 0; v < 256; v++) {
            int64_t t = c[v];
            c[v] = sum;
            sum += t;
        }
        for (int64_t i = 0; i < n; i++)
            dst[c[(src[i] >> (8 * b)) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, (size_t)n * sizeof *a);
}

/* The number of distinct values among v[0..m), sorting v (insertion sort for a few, else
   radix_u64 with tmp of m words). */
static int64_t distinct_u64(uint64_t *v, uint64_t *tmp, int64_t m)
{
    if (m <= 32) {
        for (int64_t i = 1; i < m; i++) {
            uint64_t x = v[i];
            int64_t j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
    } else {
        radix_u64(v, tmp, m);
    }
    int64_t d = m > 0;
    for (int64_t i = 1; i < m; i++)
        d += v[i] != v[i - 1];
    return d;
}

/* Sorts doubles (no NaN) ascending: insertion sort when short, else a radix sort on
   order-preserving bit patterns (qsort if there is no memory for it). */
static void sort_doubles(double *x, int64_t n)
{
    if (n > 64) {
        uint64_t *tmp = cv_malloc((size_t)n * sizeof *tmp), *u = (uint64_t *)(void *)x;
        if (tmp) {
            for (int64_t i = 0; i < n; i++) {
                uint64_t b;
                memcpy(&b, &x[i], 8);
                u[i] = (b >> 63) ? ~b : b | 0x8000000000000000ULL;
            }
            radix_u64(u, tmp, n);
            for (int64_t i = 0; i < n; i++) {
                uint64_t b = u[i];
                b = (b >> 63) ? b & 0x7fffffffffffffffULL : ~b;
                memcpy(&x[i], &b, 8);
            }
            cv_free(tmp);
            return;
        }
    }
    if (n <= 64) {
        for (int64_t i = 1; i < n; i++) {
            double v = x[i];
            int64_t j = i;
            while (j > 0 && x[j - 1] > v) {
                x[j] = x[j - 1];
                j--;
            }
            x[j] = v;
        }
    } else {
        qsort(x, (size_t)n, sizeof *x, dbl_cmp);
    }
}

/* The present values of c grouped: vals[start[g] .. start[g+1]) are group g's values in
   row order. Caller frees both. 0 or -1. */
static int group_values(const cv_column *c, const int64_t *gid, int64_t ng, double **vals_out,
                        int64_t **start_out)
{
    int64_t n = c->n;
    int64_t *start = xcalloc((size_t)ng + 1, sizeof *start);
    if (!start)
        return -1;
    for (int64_t i = 0; i < n; i++)
        if (present(c, i))
            start[gid[i] + 1]++;
    for (int64_t g = 0; g < ng; g++)
        start[g + 1] += start[g];
    double *vals = xmalloc((size_t)start[ng] * sizeof *vals);
    int64_t *pos = xmalloc((size_t)ng * sizeof *pos);
    if (!vals || !pos) {
        cv_free(start);
        cv_free(vals);
        cv_free(pos);
        return -1;
    }
    memcpy(pos, start, (size_t)ng * sizeof *pos);
    for (int64_t i = 0; i < n; i++)
        if (present(c, i))
            vals[pos[gid[i]]++] = numv(c, i);
    cv_free(pos);
    *vals_out = vals;
    *start_out = start;
    return 0;
}

/* Neumaier-compensated accumulation of x into (s, comp). */
static inline void sum_add(double *s, double *comp, double x)
{
    double a = *s, t = a + x;
    double big = fabs(a) >= fabs(x) ? a : x, small = fabs(a) >= fabs(x) ? x : a;
    *comp += (big - t) + small; /* selects, not branches: the order of sizes is random */
    *s = t;
}

/* Float sums of amounts with at most 2 or 4 decimals: each sum rounded to the decimal sum
   of the values as written (dtoa.h), so 12 prices give 911.07, not 911.0699999999999. */
static void sum_decimals(const cv_column *c, double *o, int64_t ng)
{
    double maxabs = 0;
    if (c->type != CV_FLOAT64)
        return;
    int d = cv_decimals_common(c->data, c->valid, c->n, &maxabs);
    if (d < 0)
        return;
    double err = (double)c->n * maxabs * 0x1p-52;
    for (int64_t g = 0; g < ng; g++)
        o[g] = cv_round_decimals(o[g], d, err);
}

/* Computes one aggregate over groups; a new column, or NULL with err set. */
static cv_column *aggregate(const cv_table *t, const cv_agg *a, const int64_t *gid, int64_t ng,
                            cv_error *err)
{
    int64_t n = t->nrows;
    cv_column *c = NULL, *r = NULL;
    const char *out = a->out ? a->out : (a->col ? a->col : agg_name(a->fn));
    if (a->col && !(c = cv_table_col(t, a->col, err)))
        return NULL;
    if (!c && a->fn != CV_AGG_COUNT) {
        cv_error_set(err, CV_ERR_USAGE, "aggregate '%s' needs a column", agg_name(a->fn));
        return NULL;
    }
    switch (a->fn) {
    case CV_AGG_SUM:
    case CV_AGG_MEAN:
    case CV_AGG_SD:
    case CV_AGG_VAR:
        if (!is_numeric(c->type)) {
            cv_error_set(err, CV_ERR_TYPE, "%s of column '%s': expected a number column, found %s",
                         agg_name(a->fn), c->name, cv_type_name(c->type));
            return NULL;
        }
        break;
    case CV_AGG_QUANTILE:
    case CV_AGG_MEDIAN:
        if (c->type == CV_STRING) {
            cv_error_set(err, CV_ERR_TYPE,
                         "%s of column '%s': expected a number or date column, found string",
                         agg_name(a->fn), c->name);
            return NULL;
        }
        if (a->fn == CV_AGG_QUANTILE && !(a->q >= 0 && a->q <= 1)) {
            cv_error_set(err, CV_ERR_USAGE, "quantile of column '%s': q must be in [0, 1], found %g",
                         c->name, a->q);
            return NULL;
        }
        break;
    default:
        break;
    }

    switch (a->fn) {
    case CV_AGG_COUNT: {
        if (!(r = agg_column(out, CV_INT64, ng)))
            break;
        int64_t *cnt = r->data;
        if (!c)
            for (int64_t i = 0; i < n; i++)
                cnt[gid[i]]++;
        else
            for (int64_t i = 0; i < n; i++)
                cnt[gid[i]] += present(c, i);
        return r;
    }
    case CV_AGG_SUM:
        if (c->type != CV_FLOAT64) {
            int64_t *cnt = xcalloc((size_t)ng, sizeof *cnt);
            if (!cnt || !(r = agg_column(out, CV_INT64, ng))) {
                cv_free(cnt);
                break;
            }
            int64_t *s = r->data;
            for (int64_t i = 0; i < n; i++) {
                if (!cv_column_is_valid(c, i))
                    continue;
                int64_t x = c->type == CV_BOOL ? cv_column_bool(c, i) : cv_column_int(c, i);
                int64_t g = gid[i];
                cnt[g]++;
                if (__builtin_add_overflow(s[g], x, &s[g])) {
                    cv_free(cnt);
                    cv_column_unref(r);
                    cv_error_set(err, CV_ERR_DOMAIN,
                                 "sum of column '%s' overflows a 64-bit integer (cast it to "
                                 "float first)",
                                 c->name);
                    return NULL;
                }
            }
            int bad = 0;
            for (int64_t g = 0; g < ng && !bad; g++)
                bad = cnt[g] == 0 && mark_missing(r, g) != 0;
            cv_free(cnt);
            if (!bad)
                return r;
            cv_column_unref(r);
            r = NULL;
            break;
        }
        /* float sums share the mean's compensated accumulation */
        /* fall through */
    case CV_AGG_MEAN:
    case CV_AGG_SD:
    case CV_AGG_VAR: {
        /* One record per group, so each row touches one cache line. */
        typedef struct acc {
            double s, comp;
            int64_t n;
        } acc;
        acc *ac = xcalloc((size_t)ng, sizeof *ac);
        if (!ac || !(r = agg_column(out, CV_FLOAT64, ng))) {
            cv_free(ac);
            break;
        }
        for (int64_t i = 0; i < n; i++) {
            if (!present(c, i))
                continue;
            acc *p = &ac[gid[i]];
            p->n++;
            sum_add(&p->s, &p->comp, numv(c, i));
        }
        double *o = r->data;
        int need = 1; /* groups with fewer values than need are missing */
        for (int64_t g = 0; g < ng; g++) {
            double sum = ac[g].s + ac[g].comp;
            o[g] = a->fn == CV_AGG_SUM ? sum : ac[g].n ? sum / (double)ac[g].n : 0;
        }
        if (a->fn == CV_AGG_SUM && c->type == CV_FLOAT64)
            sum_decimals(c, o, ng);
        if (a->fn == CV_AGG_SD || a->fn == CV_AGG_VAR) {
            need = 2; /* second pass: squared deviations from the group's mean */
            for (int64_t g = 0; g < ng; g++)
                ac[g].s = ac[g].comp = 0;
            for (int64_t i = 0; i < n; i++) {
                if (!present(c, i))
                    continue;
                int64_t g = gid[i];
                double d = numv(c, i) - o[g];
                sum_add(&ac[g].s, &ac[g].comp, d * d);
            }
            for (int64_t g = 0; g < ng; g++) {
                double v = ac[g].n > 1 ? (ac[g].s + ac[g].comp) / (double)(ac[g].n - 1) : 0;
                o[g] = a->fn == CV_AGG_SD ? sqrt(v) : v;
            }
        }
        int bad = 0;
        for (int64_t g = 0; g < ng && !bad; g++)
            if (ac[g].n < need) {
                o[g] = 0;
                bad = mark_missing(r, g) != 0;
            }
        cv_free(ac);
        if (!bad)
            return r;
        cv_column_unref(r);
        r = NULL;
        break;
    }
    case CV_AGG_MIN:
    case CV_AGG_MAX:
    case CV_AGG_FIRST:
    case CV_AGG_LAST: {
        /* The row holding each group's answer, then a take keeps the column's type. */
        int64_t *best = xmalloc((size_t)ng * sizeof *best);
        uint32_t *rank = NULL;
        if (!best)
            break;
        memset(best, 0xff, (size_t)ng * sizeof *best);
        if (a->fn == CV_AGG_FIRST) {
            for (int64_t i = n - 1; i >= 0; i--)
                if (present(c, i))
                    best[gid[i]] = i;
        } else if (a->fn == CV_AGG_LAST) {
            for (int64_t i = 0; i < n; i++)
                if (present(c, i))
                    best[gid[i]] = i;
        } else {
            /* (key, row) per group in one record; a max is a min of flipped keys */
            hslot *bs = xmalloc((size_t)ng * sizeof *bs);
            if (!bs || (c->type == CV_STRING && !(rank = string_ranks(c->dict)))) {
                cv_free(best);
                cv_free(bs);
                break;
            }
            for (int64_t g = 0; g < ng; g++) {
                bs[g].h = UINT64_MAX;
                bs[g].g = -1;
            }
            uint64_t flip = a->fn == CV_AGG_MAX ? UINT64_MAX : 0;
            for (int64_t i = 0; i < n; i++) {
                if (!present(c, i))
                    continue;
                hslot *p = &bs[gid[i]];
                uint64_t k = order_key(c, i, rank) ^ flip;
                if (p->g < 0 || k < p->h) {
                    p->h = k;
                    p->g = i;
                }
            }
            for (int64_t g = 0; g < ng; g++)
                best[g] = bs[g].g;
            cv_free(bs);
        }
        r = cv_column_take(c, best, ng);
        cv_free(best);
        cv_free(rank);
        if (r) {
            cv_free(r->name);
            if (!(r->name = cv_strdup(out))) {
                cv_column_unref(r);
                r = NULL;
            }
        }
        if (r)
            return r;
        break;
    }
    case CV_AGG_NDISTINCT: {
        /* Each group's value words gathered together, sorted, and their changes counted
           (a bucket pass and small sorts beat one big hash set of pairs). */
        keydesc kd = {c, NULL, 0};
        const keydesc *side = &kd;
        packing pk;
        uint64_t *w = xmalloc((size_t)n * sizeof *w), *vals = NULL, *tmp = NULL;
        uint8_t *miss = xmalloc((size_t)n);
        int64_t *start = xcalloc((size_t)ng + 1, sizeof *start), *pos = NULL, most = 0;
        int ok = w && miss && start && plan_packing(&pk, &side, &n, 1, 1) == 0 &&
                 (r = agg_column(out, CV_INT64, ng)) != NULL;
        if (ok) {
            make_words(&pk, &kd, n, 0, w, miss);
            for (int64_t i = 0; i < n; i++)
                start[gid[i] + 1] += !miss[i];
            for (int64_t g = 0; g < ng; g++) {
                most = start[g + 1] > most ? start[g + 1] : most;
                start[g + 1] += start[g];
            }
            ok = (vals = xmalloc((size_t)start[ng] * sizeof *vals)) &&
                 (pos = xmalloc((size_t)ng * sizeof *pos)) &&
                 (tmp = xmalloc((size_t)most * sizeof *tmp));
        }
        if (ok) {
            memcpy(pos, start, (size_t)ng * sizeof *pos);
            for (int64_t i = 0; i < n; i++)
                if (!miss[i])
                    vals[pos[gid[i]]++] = w[i];
            int64_t *cnt = r->data;
            for (int64_t g = 0; g < ng; g++) {
                cnt[g] = distinct_u64(vals + start[g], tmp, start[g + 1] - start[g]);
            }
        }
        cv_free(w);
        cv_free(miss);
        cv_free(start);
        cv_free(pos);
        cv_free(vals);
        cv_free(tmp);
        if (ok)
            return r;
        cv_column_unref(r);
        r = NULL;
        break;
    }
    case CV_AGG_QUANTILE:
    case CV_AGG_MEDIAN: {
        double *vals;
        int64_t *start;
        double q = a->fn == CV_AGG_MEDIAN ? 0.5 : a->q;
        cv_type ot = c->type == CV_DATE || c->type == CV_DATETIME ? c->type : CV_FLOAT64;
        if (group_values(c, gid, ng, &vals, &start) != 0)
            break;
        if (!(r = agg_column(out, ot, ng))) {
            cv_free(vals);
            cv_free(start);
            break;
        }
        int bad = 0;
        for (int64_t g = 0; g < ng && !bad; g++) {
            int64_t m = start[g + 1] - start[g];
            if (m == 0) {
                bad = mark_missing(r, g) != 0;
                continue;
            }
            sort_doubles(vals + start[g], m);
            double v = quantile7(vals + start[g], m, q);
            if (ot == CV_FLOAT64)
                ((double *)r->data)[g] = v;
            else if (ot == CV_DATE) /* dates and datetimes: interpolated, then floored */
                ((int32_t *)r->data)[g] = (int32_t)floor(v);
            else
                ((int64_t *)r->data)[g] = (int64_t)floor(v);
        }
        cv_free(vals);
        cv_free(start);
        if (!bad)
            return r;
        cv_column_unref(r);
        r = NULL;
        break;
    }
    }
    NOMEM(err); /* every break above is a failed allocation */
    return NULL;
}

/* Group ids through the general keyset path (several keys that do not fit one word). */
static int group_rows_keyset(const cv_table *t, cv_column **kc, int nkeys, int64_t *gid,
                             int64_t **first_out, int64_t *ng_out)
{
    int64_t n = t->nrows;
    keyset ks;
    htab ht;
    memset(&ks, 0, sizeof ks);
    memset(&ht, 0, sizeof ht);
    int ok = keyset_init(&ks, nkeys, n) == 0;
    for (int j = 0; ok && j < nkeys; j++)
        ok = keyset_col(&ks, j, kc[j], KEY_NATIVE, NULL) == 0;
    ok = ok && htab_init(&ht, 0) == 0;
    for (int64_t i = 0; i < n && ok; i++)
        ok = (gid[i] = htab_get(&ht, &ks, &ks, i, 1)) >= 0;
    keyset_free(&ks);
    cv_free(ht.s);
    if (!ok) {
        cv_free(ht.first);
        return -1;
    }
    *first_out = ht.first;
    *ng_out = ht.ng;
    return 0;
}

/* Group ids of t's rows on the key columns: *gid_out (n entries) and *first_out (the first
   row of each group, *ng entries). Caller frees both. 0 or an error code. */
static int group_rows(const cv_table *t, cv_column **kc, int nkeys, int64_t **gid_out,
                      int64_t **first_out, int64_t *ng_out, cv_error *err)
{
    int64_t n = t->nrows, ng = 0, cap = 0, *first = NULL;
    int64_t *gid = xmalloc((size_t)n * sizeof *gid);
    keydesc kd[64];
    packing pk;
    if (!gid)
        return NOMEM(err);
    for (int j = 0; j < nkeys; j++)
        kd[j] = (keydesc){kc[j], NULL, 0};
    const keydesc *sides[1] = {kd};
    if (plan_packing(&pk, sides, &n, 1, nkeys) != 0) {
        if (group_rows_keyset(t, kc, nkeys, gid, first_out, ng_out) != 0) {
            cv_free(gid);
            return NOMEM(err);
        }
        *gid_out = gid;
        return 0;
    }
    uint64_t *w = xmalloc((size_t)n * sizeof *w);
    uint8_t *miss = xmalloc((size_t)n);
    wmap m;
    memset(&m, 0, sizeof m);
    int ok = w && miss;
    if (ok) {
        make_words(&pk, kd, n, 1, w, miss);
        ok = wmap_init(&m, 0, pk.total, n) == 0; /* words are already offsets from lo */
    }
    int64_t missing_group = -1;
    for (int64_t i = 0; ok && i < n; i++) {
        int64_t g;
        if (miss[i]) { /* one key, missing: a group of its own */
            if (missing_group < 0) {
                missing_group = m.n++;
                ok = push_first(&first, &cap, ng++, i) == 0;
            }
            g = missing_group;
        } else {
            g = wmap_get(&m, w[i], 1);
            if (g == ng)
                ok = push_first(&first, &cap, ng++, i) == 0;
            else if (g < 0)
                ok = 0;
        }
        gid[i] = g;
    }
    cv_free(w);
    cv_free(miss);
    wmap_free(&m);
    if (!ok) {
        cv_free(gid);
        cv_free(first);
        return NOMEM(err);
    }
    if (!first && !(first = xmalloc(sizeof *first))) {
        cv_free(gid);
        return NOMEM(err);
    }
    *gid_out = gid;
    *first_out = first;
    *ng_out = ng;
    return 0;
}

/* ---- Group-by on one int-like key: the fast path ------------------------------------------------ */

/* One key column of int, date, datetime, bool or string codes, and the aggregates count, sum,
   mean, min, max, first, last and n_distinct: group ids (int32) by a direct array over the
   key's range or a hash of the key itself, then one tight loop per aggregate and storage type,
   no per-row dispatch. With many groups the rows are partitioned by ranges of group ids
   (stable, so each group keeps its row order and sums come out to the same bits), one input
   column at a time into one reused buffer, so that each partition's group states stay in
   cache; on large tables the copies (by halves of the rows) and the partitions' aggregation
   run on two threads. n_distinct counts changes between successive values in one pass and
   sorts only the groups whose values do not arrive in order. Results are those of the
   general path, bit for bit (tests/unit/test_table_groupby.c compares them). */

#define GB_PART_MIN_GROUPS 32768 /* partition above this many groups */
#define GB_PAR_MIN_ROWS 200000   /* and use a second thread from this many rows */

enum { GB_I64, GB_F64, GB_I32, GB_U8 };

static int gb_stor(cv_type t)
{
    switch (t) {
    case CV_FLOAT64:
        return GB_F64;
    case CV_INT64:
    case CV_DATETIME:
        return GB_I64;
    case CV_DATE:
    case CV_STRING:
        return GB_I32;
    default:
        return GB_U8;
    }
}

/* Runs the statements with T the C type of the values of gb_in *in and X their array. */
#define GB_TYPED(in, ...)                                                                        \
    switch ((in)->stor) {                                                                        \
    case GB_I64: {                                                                               \
        typedef int64_t T;                                                                       \
        const T *X = (in)->data;                                                                 \
        __VA_ARGS__                                                                              \
    } break;                                                                                     \
    case GB_F64: {                                                                               \
        typedef double T;                                                                        \
        const T *X = (in)->data;                                                                 \
        __VA_ARGS__                                                                              \
    } break;                                                                                     \
    case GB_I32: {                                                                               \
        typedef int32_t T;                                                                       \
        const T *X = (in)->data;                                                                 \
        __VA_ARGS__                                                                              \
    } break;                                                                                     \
    default: {                                                                                   \
        typedef uint8_t T;                                                                       \
        const T *X = (in)->data;                                                                 \
        __VA_ARGS__                                                                              \
    } break;                                                                                     \
    }

/* Value i present: valid (ok bytes, NULL when all are) and, for floats, not NaN. */
static inline int gb_num_d(double x)
{
    return !isnan(x);
}
static inline int gb_num_i(int64_t x)
{
    (void)x;
    return 1;
}
#define GB_PRESENT(ok, X, i)                                                                     \
    ((!(ok) || (ok)[i]) && _Generic((X)[i], double: gb_num_d, default: gb_num_i)((X)[i]))

/* The n_distinct word of a value: ints as themselves, floats by bits with -0 as 0. */
static inline uint64_t gb_word_d(double x)
{
    uint64_t w;
    if (x == 0)
        x = 0;
    memcpy(&w, &x, 8);
    return w;
}
static inline uint64_t gb_word_i(int64_t x)
{
    return (uint64_t)x;
}
#define GB_WORD(x) _Generic((x), double: gb_word_d, default: gb_word_i)(x)

/* An input column as the kernels see it over the rows of a slice. */
typedef struct gb_in {
    const cv_column *c;
    int stor;
    size_t size;       /* bytes per value */
    const void *data;  /* the slice's values */
    const uint8_t *ok; /* the slice's presence bytes (validity), or NULL when all valid */
} gb_in;

/* One aggregate: its input (-1 for a plain count), its output and per-group scratch. */
typedef struct gb_agg {
    cv_agg_fn fn;
    int in;
    const char *name;
    cv_column *out;
    int64_t *cnt; /* present values per group (all but count and n_distinct) */
    double *comp; /* compensation of float sums and means */
} gb_agg;

/* The work over some slices (partitions): shared description and a worker's own state. */
typedef struct gb_job {
    gb_agg *ag;
    int na, nin;
    const gb_in *ins;      /* the inputs over the whole partitioned arrays */
    const int32_t *gid;    /* group ids of the partitioned rows */
    const int64_t *off;    /* slice p is rows off[p] .. off[p+1] */
    int shift;             /* slice p holds groups p << shift .. */
    int64_t ng;
    int p0, p1;            /* this worker's slices */
    uint8_t *ovf;          /* per aggregate: an int sum overflowed */
    const uint8_t *run;    /* per aggregate: computed in this round */
    int nomem;
} gb_job;

/* A worker's scratch for n_distinct, grown to its largest slice and kept between slices. */
typedef struct gb_scratch {
    int64_t *start, *pos;
    uint64_t *last, *vals, *tmp;
    uint8_t *st;
    int64_t cstart, cpos, clast, cvals, ctmp, cst;
} gb_scratch;

static void gb_scratch_free(gb_scratch *sc)
{
    cv_free(sc->start);
    cv_free(sc->pos);
    cv_free(sc->last);
    cv_free(sc->vals);
    cv_free(sc->tmp);
    cv_free(sc->st);
    memset(sc, 0, sizeof *sc);
}

/* Buffer p (of *cap elements of size w) grown to at least want elements: the buffer, or
   NULL when out of memory (p is then still the caller's to free). */
static void *gb_grow(void *p, int64_t *cap, int64_t want, size_t w)
{
    if (want <= *cap)
        return p;
    void *q = cv_realloc(p, (size_t)want * w);
    if (q)
        *cap = want;
    return q;
}

/* Grows scratch buffer sc->buf to want elements; 0 or -1. */
#define GB_FIT(sc, buf, want)                                                                    \
    ((q = gb_grow((sc)->buf, &(sc)->c##buf, (want), sizeof *(sc)->buf)) ? ((sc)->buf = q, 0) : -1)

/* Counts the distinct present values of each group of a slice (groups glo .. ghi) into
   cnt. One pass counts the changes between each group's successive values, which is the
   answer for the groups whose values arrive in order (often: dates of transactions); the
   other groups' values are then bucketed by group, each bucket sorted and its changes
   counted. 0 or -1 (out of memory). */
static int gb_ndistinct(const gb_in *in, const int32_t *gid, int64_t m, int64_t glo, int64_t ghi,
                        int64_t *cnt, gb_scratch *sc)
{
    int64_t G = ghi - glo, most = 0, nbad = 0;
    const uint8_t *ok = in->ok;
    void *q;
    if (GB_FIT(sc, start, G + 1) || GB_FIT(sc, pos, G + 1) || GB_FIT(sc, last, G + 1) ||
        GB_FIT(sc, st, G + 1))
        return -1;
    int64_t *start = sc->start, *pos = sc->pos, *d = cnt + glo;
    uint64_t *last = sc->last;
    uint8_t *st = sc->st; /* 0 no value yet, 1 values in order so far, 3 out of order */
    memset(st, 0, (size_t)G);
    GB_TYPED(in, for (int64_t i = 0; i < m; i++) {
        if (!GB_PRESENT(ok, X, i))
            continue;
        int64_t g = gid[i] - glo;
        uint64_t w = GB_WORD(X[i]);
        if (!st[g]) {
            st[g] = 1;
            d[g] = 1;
        } else {
            d[g] += w != last[g];
            st[g] |= (uint8_t)((w < last[g]) << 1);
        }
        last[g] = w;
    })
    for (int64_t g = 0; g < G; g++)
        nbad += st[g] >> 1;
    if (nbad == 0)
        return 0;
    memset(start, 0, (size_t)(G + 1) * sizeof *start);
    GB_TYPED(in, for (int64_t i = 0; i < m; i++) {
        int64_t g = gid[i] - glo;
        start[g + 1] += (st[g] >> 1) & GB_PRESENT(ok, X, i);
    })
    for (int64_t g = 0; g < G; g++) {
        most = start[g + 1] > most ? start[g + 1] : most;
        start[g + 1] += start[g];
    }
    if (GB_FIT(sc, vals, start[G] + 1) || GB_FIT(sc, tmp, most + 1))
        return -1;
    uint64_t *vals = sc->vals, *tmp = sc->tmp;
    memcpy(pos, start, (size_t)G * sizeof *pos);
    GB_TYPED(in, for (int64_t i = 0; i < m; i++) {
        int64_t g = gid[i] - glo;
        if ((st[g] >> 1) && GB_PRESENT(ok, X, i))
            vals[pos[g]++] = GB_WORD(X[i]);
    })
    for (int64_t g = 0; g < G; g++) {
        if (!(st[g] >> 1))
            continue;
        d[g] = distinct_u64(vals + start[g], tmp, start[g + 1] - start[g]);
    }
    return 0;
}
#undef GB_FIT

/* Aggregates the rows gid[0..m) (values in ins) into the groups' states, for the aggregates
   k with run[k] set. Sets ovf[k] when aggregate k (an int sum) overflows. 0 or -1 (out of
   memory). */
static int gb_slice(gb_agg *ag, int na, const uint8_t *run, const gb_in *ins,
                    const int32_t *gid, int64_t m, int64_t glo, int64_t ghi, uint8_t *ovf,
                    gb_scratch *sc)
{
    for (int k = 0; k < na; k++) {
        if (!run[k])
            continue;
        gb_agg *a = &ag[k];
        const gb_in *in = a->in >= 0 ? &ins[a->in] : NULL;
        const uint8_t *ok = in ? in->ok : NULL;
        int64_t *cnt = a->cnt;
        switch (a->fn) {
        case CV_AGG_COUNT: {
            int64_t *o = a->out->data;
            if (!in) {
                for (int64_t i = 0; i < m; i++)
                    o[gid[i]]++;
            } else {
                GB_TYPED(in, for (int64_t i = 0; i < m; i++) o[gid[i]] += GB_PRESENT(ok, X, i);)
            }
            break;
        }
        case CV_AGG_SUM:
            if (a->out->type == CV_INT64) {
                int64_t *o = a->out->data;
                GB_TYPED(in, for (int64_t i = 0; i < m; i++) {
                    if (!GB_PRESENT(ok, X, i))
                        continue;
                    int32_t g = gid[i];
                    cnt[g]++;
                    if (__builtin_add_overflow(o[g], (int64_t)X[i], &o[g])) {
                        ovf[k] = 1;
                        break;
                    }
                })
                break;
            }
            /* float sums accumulate as means do */
            /* fall through */
        case CV_AGG_MEAN: {
            double *o = a->out->data, *comp = a->comp;
            GB_TYPED(in, for (int64_t i = 0; i < m; i++) {
                if (!GB_PRESENT(ok, X, i))
                    continue;
                int32_t g = gid[i];
                cnt[g]++;
                sum_add(&o[g], &comp[g], (double)X[i]);
            })
            break;
        }
        case CV_AGG_MIN:
        case CV_AGG_MAX: {
            /* o starts at the type's extreme (see group_fast); strict comparisons keep the
               first of equal values, as the general path does (-0 before 0 stays -0) */
            if (a->fn == CV_AGG_MAX) {
                GB_TYPED(in, T *o = a->out->data; for (int64_t i = 0; i < m; i++) {
                    if (!GB_PRESENT(ok, X, i))
                        continue;
                    int32_t g = gid[i];
                    T x = X[i], cur = o[g];
                    o[g] = x > cur ? x : cur;
                    cnt[g]++;
                })
            } else {
                GB_TYPED(in, T *o = a->out->data; for (int64_t i = 0; i < m; i++) {
                    if (!GB_PRESENT(ok, X, i))
                        continue;
                    int32_t g = gid[i];
                    T x = X[i], cur = o[g];
                    o[g] = x < cur ? x : cur;
                    cnt[g]++;
                })
            }
            break;
        }
        case CV_AGG_FIRST:
        case CV_AGG_LAST: {
            int last = a->fn == CV_AGG_LAST;
            GB_TYPED(in, T *o = a->out->data; for (int64_t i = 0; i < m; i++) {
                if (!GB_PRESENT(ok, X, i))
                    continue;
                int32_t g = gid[i];
                if (last || !cnt[g])
                    o[g] = X[i];
                cnt[g]++;
            })
            break;
        }
        case CV_AGG_NDISTINCT:
            if (gb_ndistinct(in, gid, m, glo, ghi, a->out->data, sc) != 0)
                return -1;
            break;
        default:
            break;
        }
    }
    return 0;
}

/* Fills the n values of c (not a string) with the lowest value of its type (highest when
   max is 0): the start of a running max (min). */
static void gb_fill_extreme(cv_column *c, int max)
{
    int64_t n = c->n;
    switch (gb_stor(c->type)) {
    case GB_I64:
        for (int64_t i = 0; i < n; i++)
            ((int64_t *)c->data)[i] = max ? INT64_MIN : INT64_MAX;
        break;
    case GB_F64:
        for (int64_t i = 0; i < n; i++)
            ((double *)c->data)[i] = max ? -INFINITY : INFINITY;
        break;
    case GB_I32:
        for (int64_t i = 0; i < n; i++)
            ((int32_t *)c->data)[i] = max ? INT32_MIN : INT32_MAX;
        break;
    default:
        memset(c->data, max ? 0 : 1, (size_t)n);
        break;
    }
}

/* Runs a worker's slices. */
static void *gb_run(void *ud)
{
    gb_job *j = ud;
    gb_in ins[64];
    gb_scratch sc;
    memset(&sc, 0, sizeof sc);
    for (int p = j->p0; p < j->p1 && !j->nomem; p++) {
        int64_t a = j->off[p], b = j->off[p + 1];
        int64_t glo = j->shift < 0 ? 0 : (int64_t)p << j->shift;
        int64_t ghi = j->shift < 0 ? j->ng : glo + ((int64_t)1 << j->shift);
        if (ghi > j->ng)
            ghi = j->ng;
        for (int q = 0; q < j->nin; q++) {
            ins[q] = j->ins[q];
            ins[q].data = (const char *)ins[q].data + (size_t)a * ins[q].size;
            ins[q].ok = ins[q].ok ? ins[q].ok + a : NULL;
        }
        if (gb_slice(j->ag, j->na, j->run, ins, j->gid + a, b - a, glo, ghi, j->ovf, &sc) != 0)
            j->nomem = 1;
    }
    gb_scratch_free(&sc);
    return NULL;
}

/* Group ids of the rows by one int-like key, in order of first appearance (a missing key is
   a group of its own): gid (n entries, caller's), *first_out (each group's first row; caller
   frees), *ng_out. 0 or -1 (out of memory). */
static int gb_gids(const cv_column *k, int64_t n, int32_t *gid, int64_t **first_out,
                   int64_t *ng_out)
{
    gb_in kin = {k, gb_stor(k->type), 0, k->data, NULL};
    int64_t lo = INT64_MAX, hi = INT64_MIN, ng = 0, cap = 0, *first = NULL, miss_g = -1;
    const uint8_t *valid = k->valid;
#define GB_KVALID(i) (!valid || ((valid[(i) >> 3] >> ((i) & 7)) & 1))
    GB_TYPED(&kin, for (int64_t i = 0; i < n; i++) if (GB_KVALID(i)) {
        int64_t v = (int64_t)X[i];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    })
    if (lo > hi)
        lo = hi = 0;
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1; /* 0 when the range is full: hashed */
    int ok = 1;
    if (span > 0 && span <= (1u << 28) && (span <= 65536 || span <= 2 * (uint64_t)n)) {
        /* a dense range: an array of group ids indexed by the key */
        int32_t *map = xmalloc(span * sizeof *map);
        if (!map)
            return -1;
        memset(map, 0xff, span * sizeof *map);
        GB_TYPED(&kin, for (int64_t i = 0; i < n && ok; i++) {
            int32_t g;
            if (!GB_KVALID(i)) {
                if (miss_g < 0) {
                    miss_g = ng;
                    ok = push_first(&first, &cap, ng++, i) == 0;
                }
                g = (int32_t)miss_g;
            } else {
                int32_t *slot = &map[(uint64_t)(int64_t)X[i] - (uint64_t)lo];
                if ((g = *slot) < 0) {
                    g = *slot = (int32_t)ng;
                    ok = push_first(&first, &cap, ng++, i) == 0;
                }
            }
            gid[i] = g;
        })
        cv_free(map);
        goto out;
    }
    wmap m;
    if (wmap_init(&m, 0, span, n) != 0) {
        wmap_free(&m);
        return -1;
    }
    GB_TYPED(&kin, for (int64_t i = 0; i < n && ok; i++) {
        int64_t g;
        if (!GB_KVALID(i)) {
            if (miss_g < 0) {
                miss_g = m.n++;
                ok = push_first(&first, &cap, ng++, i) == 0;
            }
            g = miss_g;
        } else {
            g = wmap_get(&m, (uint64_t)(int64_t)X[i] - (uint64_t)lo, 1);
            if (g == ng)
                ok = push_first(&first, &cap, ng++, i) == 0;
            else if (g < 0)
                ok = 0;
        }
        gid[i] = (int32_t)g;
    })
    wmap_free(&m);
out:
#undef GB_KVALID
    if (ok && !first)
        ok = (first = xmalloc(sizeof *first)) != NULL;
    if (!ok) {
        cv_free(first);
        return -1;
    }
    *first_out = first;
    *ng_out = ng;
    return 0;
}

/* Copies rows from .. to of an input's values (and presence bytes) to their places in the
   partitions. */
typedef struct gb_scatter_job {
    const int32_t *dst; /* each row's place */
    int64_t from, to;
    const gb_in *in;
    void *data;   /* the partitioned values */
    uint8_t *ok;  /* the partitioned presence bytes, when in has them */
} gb_scatter_job;

static void *gb_scatter(void *ud)
{
    const gb_scatter_job *j = ud;
    const int32_t *dst = j->dst;
    const gb_in *in = j->in;
    GB_TYPED(in, T *d = j->data;
             for (int64_t i = j->from; i < j->to; i++) d[dst[i]] = X[i];)
    if (in->ok)
        for (int64_t i = j->from; i < j->to; i++)
            j->ok[dst[i]] = in->ok[i];
    return NULL;
}

/* Partitions input in by the places dst (into data and ok), the halves of the rows on two
   threads when threads is set. */
static void gb_scatter_input(const int32_t *dst, int64_t n, const gb_in *in, void *data,
                             uint8_t *ok, int threads)
{
    gb_scatter_job job[2] = {{dst, 0, threads ? n / 2 : n, in, data, ok},
                             {dst, threads ? n / 2 : n, n, in, data, ok}};
    pthread_t th;
    if (threads && pthread_create(&th, NULL, gb_scatter, &job[1]) == 0) {
        gb_scatter(&job[0]);
        pthread_join(th, NULL);
    } else {
        gb_scatter(&job[0]);
        gb_scatter(&job[1]);
    }
}

/* The places of the rows in partitions by ranges of group ids (np partitions of 1 << shift
   groups, rows in order within each; off from the counts): gid is overwritten with each
   row's place, and pgid receives the group ids in partition order. */
static void gb_place(int32_t *gid, int64_t n, const int64_t *off, int np, int shift,
                     int32_t *pgid)
{
    int64_t pos[64];
    memcpy(pos, off, (size_t)np * sizeof *pos);
    for (int64_t i = 0; i < n; i++) {
        int32_t g = gid[i];
        int64_t q = pos[g >> shift]++;
        pgid[q] = g;
        gid[i] = (int32_t)q;
    }
}

/* 1 when the fast path can compute group_by(t, {key}, aggs): an int-like key and aggregates
   it has, over columns of the types they accept (anything else goes the general way, which
   also reports the errors). */
static int gb_applies(const cv_table *t, const cv_column *k, const cv_agg *aggs, int naggs)
{
    if (k->type == CV_FLOAT64 || t->nrows >= INT32_MAX || naggs > 64)
        return 0;
    for (int a = 0; a < naggs; a++) {
        const cv_column *c = NULL;
        if (aggs[a].col) {
            int j = cv_table_find(t, aggs[a].col);
            if (j < 0)
                return 0;
            c = t->cols[j];
        }
        switch (aggs[a].fn) {
        case CV_AGG_COUNT:
            break;
        case CV_AGG_SUM:
        case CV_AGG_MEAN:
            if (!c || !is_numeric(c->type))
                return 0;
            break;
        case CV_AGG_MIN:
        case CV_AGG_MAX:
            if (!c || c->type == CV_STRING)
                return 0;
            break;
        case CV_AGG_FIRST:
        case CV_AGG_LAST:
        case CV_AGG_NDISTINCT:
            if (!c)
                return 0;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

/* group_by(t, {k->name}, aggs) by the fast path (gb_applies holds); NULL with err set. */
static cv_table *group_fast(const cv_table *t, cv_column *k, const cv_agg *aggs, int naggs,
                            cv_error *err)
{
    int64_t n = t->nrows, ng = 0, *first = NULL, *off = NULL;
    int32_t *gid = xmalloc((size_t)n * sizeof *gid), *pgid = NULL;
    gb_agg ag[64];
    gb_in ins[64];
    void *pbuf = NULL;
    uint8_t *okbuf[64], *pok = NULL, ovf[2][64];
    int nin = 0, np = 1, shift = -1;
    cv_table *r = NULL;
    memset(ag, 0, sizeof ag);
    memset(okbuf, 0, sizeof okbuf);
    memset(ovf, 0, sizeof ovf);
    if (!gid || gb_gids(k, n, gid, &first, &ng) != 0)
        goto nomem;

    /* inputs (each column once) and outputs */
    for (int a = 0; a < naggs; a++) {
        const cv_agg *x = &aggs[a];
        gb_agg *g = &ag[a];
        const cv_column *c = x->col ? t->cols[cv_table_find(t, x->col)] : NULL;
        g->fn = x->fn;
        g->in = -1;
        g->name = x->out ? x->out : (x->col ? x->col : agg_name(x->fn));
        if (c) {
            for (int q = 0; q < nin; q++)
                if (ins[q].c == c)
                    g->in = q;
            if (g->in < 0) {
                g->in = nin;
                ins[nin] = (gb_in){c, gb_stor(c->type), cv_type_size(c->type), c->data, NULL};
                if (c->valid) { /* validity as bytes */
                    if (!(okbuf[nin] = xmalloc((size_t)n)))
                        goto nomem;
                    for (int64_t i = 0; i < n; i++)
                        okbuf[nin][i] = (uint8_t)cv_column_is_valid(c, i);
                    ins[nin].ok = okbuf[nin];
                }
                nin++;
            }
        }
        cv_type ot = CV_INT64;
        if ((x->fn == CV_AGG_SUM && c->type == CV_FLOAT64) || x->fn == CV_AGG_MEAN)
            ot = CV_FLOAT64;
        else if (x->fn == CV_AGG_MIN || x->fn == CV_AGG_MAX || x->fn == CV_AGG_FIRST ||
                 x->fn == CV_AGG_LAST)
            ot = c->type;
        if (ot == CV_STRING) {
            if ((g->out = cv_column_new_dict(g->name, ng, c->dict)) != NULL) {
                if (ng > 0)
                    memset(g->out->data, 0, (size_t)ng * 4);
                g->out->n = ng;
            }
        } else {
            g->out = agg_column(g->name, ot, ng);
        }
        if (!g->out)
            goto nomem;
        if (x->fn != CV_AGG_COUNT && x->fn != CV_AGG_NDISTINCT &&
            !(g->cnt = xcalloc((size_t)ng, sizeof *g->cnt)))
            goto nomem;
        if (x->fn == CV_AGG_MIN || x->fn == CV_AGG_MAX)
            gb_fill_extreme(g->out, x->fn == CV_AGG_MAX);
        if (ot == CV_FLOAT64 && (x->fn == CV_AGG_SUM || x->fn == CV_AGG_MEAN) &&
            !(g->comp = xcalloc((size_t)ng, sizeof *g->comp)))
            goto nomem;
    }

    /* partitions by ranges of group ids, so that each one's group states fit in cache; the
       inputs are partitioned one at a time into one buffer, each followed by its aggregates */
    const int32_t *rgid = gid;
    int par = n >= GB_PAR_MIN_ROWS, rounds = 1;
    if (ng > GB_PART_MIN_GROUPS) {
        int bits = 0;
        size_t most = 1, anyok = 0;
        while (((int64_t)1 << bits) < ng)
            bits++;
        shift = bits - 6 > 13 ? bits - 6 : 13;
        np = (int)((ng + ((int64_t)1 << shift) - 1) >> shift);
        for (int q = 0; q < nin; q++) {
            most = ins[q].size > most ? ins[q].size : most;
            anyok |= ins[q].ok != NULL;
        }
        if (!(off = xcalloc((size_t)np + 1, sizeof *off)) ||
            !(pgid = xmalloc((size_t)n * sizeof *pgid)) || !(pbuf = xmalloc((size_t)n * most)) ||
            (anyok && !(pok = xmalloc((size_t)n))))
            goto nomem;
        for (int64_t i = 0; i < n; i++)
            off[(gid[i] >> shift) + 1]++;
        for (int p = 0; p < np; p++)
            off[p + 1] += off[p];
        gb_place(gid, n, off, np, shift, pgid);
        rgid = pgid;
        rounds = nin > 0 ? nin : 1;
    } else {
        if (!(off = xcalloc(2, sizeof *off)))
            goto nomem;
        off[1] = n;
    }

    /* aggregate the slices: two workers over halves of the rows when it pays */
    int split = 0;
    if (np > 1 && par) {
        while (split < np && off[split] < n / 2)
            split++;
    }
    for (int round = 0; round < rounds; round++) {
        uint8_t run[64];
        for (int a = 0; a < naggs; a++)
            run[a] = shift < 0 || ag[a].in == round || (ag[a].in < 0 && round == 0);
        if (shift >= 0 && round < nin) {
            gb_scatter_input(gid, n, &ins[round], pbuf, ins[round].ok ? pok : NULL, par);
            ins[round].data = pbuf;
            ins[round].ok = ins[round].ok ? pok : NULL;
        }
        gb_job job[2];
        for (int w = 0; w < 2; w++)
            job[w] = (gb_job){ag, naggs, nin, ins, rgid, off, shift, ng, 0, np, ovf[w], run, 0};
        if (split > 0 && split < np) {
            pthread_t th;
            job[0].p1 = split;
            job[1].p0 = split;
            if (pthread_create(&th, NULL, gb_run, &job[1]) == 0) {
                gb_run(&job[0]);
                pthread_join(th, NULL);
            } else {
                job[0].p1 = np;
                job[1].p0 = np;
                gb_run(&job[0]);
            }
        } else {
            job[1].p0 = np;
            gb_run(&job[0]);
        }
        if (job[0].nomem || job[1].nomem)
            goto nomem;
    }

    /* finish: sums and means from their parts, groups without values missing */
    for (int a = 0; a < naggs; a++) {
        gb_agg *g = &ag[a];
        if (!g->cnt)
            continue;
        if (g->comp) {
            double *o = g->out->data;
            for (int64_t q = 0; q < ng; q++) {
                double sum = o[q] + g->comp[q];
                o[q] = g->fn == CV_AGG_SUM ? sum : g->cnt[q] ? sum / (double)g->cnt[q] : 0;
            }
            if (g->fn == CV_AGG_SUM && g->in >= 0)
                sum_decimals(ins[g->in].c, o, ng);
        }
        size_t w = cv_type_size(g->out->type);
        for (int64_t q = 0; q < ng; q++)
            if (!g->cnt[q]) {
                memset((char *)g->out->data + (size_t)q * w, 0, w);
                if (mark_missing(g->out, q) != 0)
                    goto nomem;
            }
    }
    if (!(r = cv_table_new()))
        goto nomem;
    {
        cv_column *kcol = cv_column_take(k, first, ng);
        int rc = kcol ? cv_table_add(r, kcol, err) : NOMEM(err);
        cv_column_unref(kcol);
        for (int a = 0; a < naggs && rc == 0; a++) {
            if (ovf[0][a] || ovf[1][a]) {
                rc = cv_error_set(err, CV_ERR_DOMAIN,
                                  "sum of column '%s' overflows a 64-bit integer (cast it to "
                                  "float first)",
                                  ins[ag[a].in].c->name);
                break;
            }
            rc = cv_table_add(r, ag[a].out, err);
        }
        if (rc) {
            cv_table_free(r);
            r = NULL;
            goto done;
        }
        r->nrows = ng;
    }
    goto done;
nomem:
    NOMEM(err);
    cv_table_free(r);
    r = NULL;
done:
    for (int a = 0; a < naggs; a++) {
        cv_column_unref(ag[a].out);
        cv_free(ag[a].cnt);
        cv_free(ag[a].comp);
    }
    for (int q = 0; q < 64; q++)
        cv_free(okbuf[q]);
    cv_free(pbuf);
    cv_free(pok);
    cv_free(gid);
    cv_free(pgid);
    cv_free(first);
    cv_free(off);
    return r;
}

/* The kind of aggregate a of a column of kind k: counts and distinct counts are counts;
   sums keep the kind (a sum of money is money); means, quantiles, extremes and first/last
   keep it too, except that a mean or spread of counts is a plain number; a variance is a
   plain number (its unit is squared). */
static cv_kind agg_kind(const cv_agg *a, cv_kind k)
{
    switch (a->fn) {
    case CV_AGG_COUNT:
    case CV_AGG_NDISTINCT:
        return CV_KIND_COUNT;
    case CV_AGG_VAR:
        return k == CV_KIND_NONE ? k : CV_KIND_NUMBER;
    case CV_AGG_MEAN:
    case CV_AGG_SD:
    case CV_AGG_QUANTILE:
    case CV_AGG_MEDIAN:
        return k == CV_KIND_COUNT ? CV_KIND_NUMBER : k;
    default:
        return k;
    }
}

static cv_table *group_by(const cv_table *t, const char *const *keys, int nkeys,
                          const cv_agg *aggs, int naggs, cv_error *err);

cv_table *cv_table_group_by(const cv_table *t, const char *const *keys, int nkeys,
                            const cv_agg *aggs, int naggs, cv_error *err)
{
    cv_table *r = group_by(t, keys, nkeys, aggs, naggs, err);
    for (int k = 0; r && k < naggs && nkeys + k < r->ncols; k++) {
        cv_column *c = r->cols[nkeys + k];
        int j = aggs[k].col ? cv_table_find(t, aggs[k].col) : -1;
        const cv_column *in = j >= 0 ? t->cols[j] : NULL;
        if (c->refs != 1 || c->base)
            continue; /* not a column made here: leave it as it is */
        c->kind = agg_kind(&aggs[k], in ? in->kind : CV_KIND_NONE);
        c->decimals1 = in && c->kind == in->kind ? in->decimals1 : 0;
        if (c->type != CV_INT64 && c->type != CV_FLOAT64)
            c->kind = CV_KIND_NONE, c->decimals1 = 0;
    }
    return r;
}

static cv_table *group_by(const cv_table *t, const char *const *keys, int nkeys,
                          const cv_agg *aggs, int naggs, cv_error *err)
{
    if (nkeys < 0 || nkeys > 64) {
        cv_error_set(err, CV_ERR_USAGE, "group_by takes 0 to 64 key columns, got %d", nkeys);
        return NULL;
    }
    cv_column *kc[64];
    for (int j = 0; j < nkeys; j++)
        if (!(kc[j] = cv_table_col(t, keys[j], err)))
            return NULL;
    if (nkeys == 1 && gb_applies(t, kc[0], aggs, naggs))
        return group_fast(t, kc[0], aggs, naggs, err);
    int64_t *gid = NULL, *first = NULL, ng = 0;
    if (nkeys == 0) { /* the whole table is one group (one row, also when it is empty) */
        gid = xcalloc((size_t)t->nrows, sizeof *gid);
        first = xcalloc(1, sizeof *first);
        ng = 1;
        if (!gid || !first) {
            cv_free(gid);
            cv_free(first);
            NOMEM(err);
            return NULL;
        }
    } else if (group_rows(t, kc, nkeys, &gid, &first, &ng, err) != 0) {
        return NULL;
    }
    cv_table *r = cv_table_new();
    int ok = r != NULL;
    if (!ok)
        NOMEM(err);
    for (int j = 0; ok && j < nkeys; j++) {
        cv_column *c = cv_column_take(kc[j], first, ng);
        ok = c && cv_table_add(r, c, err) == 0;
        if (!c)
            NOMEM(err);
        cv_column_unref(c);
    }
    for (int k = 0; ok && k < naggs; k++) {
        cv_column *c = cv_cancel_check(err) ? NULL : aggregate(t, &aggs[k], gid, ng, err);
        ok = c && cv_table_add(r, c, err) == 0;
        cv_column_unref(c);
    }
    cv_free(gid);
    cv_free(first);
    if (!ok) {
        cv_table_free(r);
        return NULL;
    }
    r->nrows = ng;
    return r;
}

/* ---- Join ---------------------------------------------------------------------------------------- */

cv_table *cv_table_join(const cv_table *left, const cv_table *right,
                        const char *const *left_keys, const char *const *right_keys, int nkeys,
                        cv_join_kind kind, cv_error *err)
{
    if (nkeys < 1 || nkeys > 64) {
        cv_error_set(err, CV_ERR_USAGE, "join needs 1 to 64 key columns, got %d", nkeys);
        return NULL;
    }
    if (kind != CV_JOIN_INNER && kind != CV_JOIN_LEFT) {
        cv_error_set(err, CV_ERR_USAGE, "unknown join kind %d", (int)kind);
        return NULL;
    }
    cv_column *lc[64], *rc[64];
    key_mode lmode[64], rmode[64];
    int32_t *remap[64] = {0};
    for (int j = 0; j < nkeys; j++) {
        if (!(lc[j] = cv_table_col(left, left_keys[j], err)) ||
            !(rc[j] = cv_table_col(right, right_keys[j], err)))
            return NULL;
        cv_type lt = lc[j]->type, rt = rc[j]->type;
        lmode[j] = rmode[j] = KEY_NATIVE;
        if (lt == rt) {
            if (lt == CV_STRING && lc[j]->dict != rc[j]->dict)
                rmode[j] = KEY_REMAP;
        } else if ((lt == CV_INT64 || lt == CV_FLOAT64) && (rt == CV_INT64 || rt == CV_FLOAT64)) {
            lmode[j] = rmode[j] = KEY_DOUBLE;
        } else {
            cv_error_set(err, CV_ERR_TYPE,
                         "join key '%s' is %s on the left: expected %s for '%s' on the right, "
                         "found %s",
                         lc[j]->name, cv_type_name(lt), cv_type_name(lt), rc[j]->name,
                         cv_type_name(rt));
            return NULL;
        }
    }
    int64_t nl = left->nrows, nr = right->nrows;
    keyset lk, rk;
    htab ht;
    wmap wm;
    packing pk;
    int64_t *rg = NULL, *lg = NULL, *start = NULL, *rows = NULL, *lidx = NULL, *ridx = NULL;
    cv_table *res = NULL;
    memset(&ht, 0, sizeof ht);
    memset(&wm, 0, sizeof wm);
    memset(&lk, 0, sizeof lk);
    memset(&rk, 0, sizeof rk);
    int ok = 1;
    for (int j = 0; ok && j < nkeys; j++) {
        if (rmode[j] != KEY_REMAP)
            continue;
        int32_t nd = cv_strdict_size(rc[j]->dict);
        if (!(remap[j] = xmalloc((size_t)nd * sizeof *remap[j]))) {
            ok = 0;
            break;
        }
        for (int32_t k = 0; k < nd; k++) {
            size_t len;
            const char *s = cv_strdict_get(rc[j]->dict, k, &len);
            remap[j][k] = cv_strdict_find(lc[j]->dict, s, len);
        }
    }
    keydesc lkd[64], rkd[64];
    for (int j = 0; j < nkeys; j++) {
        lkd[j] = (keydesc){lc[j], NULL, lmode[j] == KEY_DOUBLE};
        rkd[j] = (keydesc){rc[j], remap[j], rmode[j] == KEY_DOUBLE};
    }
    const keydesc *sides[2] = {lkd, rkd};
    int64_t sizes[2] = {nl, nr}, ng = 0;
    int words = ok && plan_packing(&pk, sides, sizes, 2, nkeys) == 0;
    ok = ok && (rg = xmalloc((size_t)nr * sizeof *rg)) && (lg = xmalloc((size_t)nl * sizeof *lg));
    if (ok && words) {
        /* Fast path: every key in one word; right rows get ids, left rows look them up. */
        int64_t most = nl > nr ? nl : nr;
        uint64_t *w = xmalloc((size_t)most * sizeof *w);
        uint8_t *miss = xmalloc((size_t)most);
        ok = w && miss && wmap_init(&wm, 0, pk.total, nr) == 0;
        if (ok) {
            make_words(&pk, rkd, nr, 0, w, miss);
            for (int64_t i = 0; ok && i < nr; i++)
                ok = (rg[i] = miss[i] ? -1 : wmap_get(&wm, w[i], 1)) != -2;
        }
        if (ok) {
            make_words(&pk, lkd, nl, 0, w, miss);
            for (int64_t i = 0; i < nl; i++)
                lg[i] = miss[i] ? -1 : wmap_get(&wm, w[i], 0);
        }
        ng = wm.n;
        cv_free(w);
        cv_free(miss);
    } else if (ok) {
        /* General path: several keys that do not pack, compared through keysets. */
        ok = keyset_init(&lk, nkeys, nl) == 0 && keyset_init(&rk, nkeys, nr) == 0;
        for (int j = 0; ok && j < nkeys; j++)
            ok = keyset_col(&lk, j, lc[j], lmode[j], NULL) == 0 &&
                 keyset_col(&rk, j, rc[j], rmode[j], remap[j]) == 0;
        ok = ok && htab_init(&ht, 0) == 0;
        for (int64_t i = 0; ok && i < nr; i++)
            ok = (rg[i] = rk.miss && rk.miss[i] ? -1 : htab_get(&ht, &rk, &rk, i, 1)) != -2;
        for (int64_t i = 0; ok && i < nl; i++)
            lg[i] = lk.miss && lk.miss[i] ? -1 : htab_get(&ht, &rk, &lk, i, 0);
        ng = ht.ng;
    }
    /* Right rows by group: rows[start[g] .. start[g+1]) in right order. */
    ok = ok && (start = xcalloc((size_t)ng + 1, sizeof *start)) &&
         (rows = xmalloc((size_t)nr * sizeof *rows));
    if (ok) {
        for (int64_t i = 0; i < nr; i++)
            if (rg[i] >= 0)
                start[rg[i] + 1]++;
        for (int64_t g = 0; g < ng; g++)
            start[g + 1] += start[g];
        int64_t *fill = xmalloc((size_t)ng * sizeof *fill);
        if (!fill) {
            ok = 0;
        } else {
            memcpy(fill, start, (size_t)ng * sizeof *fill);
            for (int64_t i = 0; i < nr; i++)
                if (rg[i] >= 0)
                    rows[fill[rg[i]]++] = i;
            cv_free(fill);
        }
    }
    /* The output size. */
    int64_t total = 0;
    for (int64_t i = 0; ok && i < nl; i++) {
        int64_t g = lg[i];
        total += g >= 0 ? start[g + 1] - start[g] : kind == CV_JOIN_LEFT;
    }
    if (ok == 1 && cv_cancel_check(err)) /* between the passes: matching, then copying */
        ok = -1;
    ok = ok && (lidx = xmalloc((size_t)total * sizeof *lidx)) &&
         (ridx = xmalloc((size_t)total * sizeof *ridx));
    int identity = ok && total == nl;
    if (ok) {
        int64_t k = 0;
        for (int64_t i = 0; i < nl; i++) {
            int64_t g = lg[i];
            if (g >= 0) {
                for (int64_t p = start[g]; p < start[g + 1]; p++) {
                    identity &= k == i;
                    lidx[k] = i;
                    ridx[k++] = rows[p];
                }
            } else if (kind == CV_JOIN_LEFT) {
                identity &= k == i;
                lidx[k] = i;
                ridx[k++] = -1;
            }
        }
    }
    if (ok && !(res = identity ? table_share(left, err) : take_rows(left, lidx, total, err)))
        ok = -1; /* err already set */
    for (int k = 0; ok == 1 && k < right->ncols; k++) {
        cv_column *c = right->cols[k];
        int is_key = 0;
        for (int j = 0; j < nkeys; j++)
            is_key |= c == rc[j];
        if (is_key)
            continue;
        cv_column *nc = cv_column_take(c, ridx, total);
        if (!nc) {
            ok = 0;
            break;
        }
        while (cv_table_find(res, nc->name) >= 0) {
            size_t len = strlen(nc->name);
            char *nm = cv_realloc(nc->name, len + 7);
            if (!nm) {
                ok = 0;
                break;
            }
            memcpy(nm + len, "_right", 7);
            nc->name = nm;
        }
        if (ok == 1 && cv_table_add(res, nc, err) != 0)
            ok = -1;
        cv_column_unref(nc);
    }
    if (ok == 1)
        res->nrows = total;
    for (int j = 0; j < nkeys; j++)
        cv_free(remap[j]);
    keyset_free(&lk);
    keyset_free(&rk);
    htab_free(&ht);
    wmap_free(&wm);
    cv_free(rg);
    cv_free(lg);
    cv_free(start);
    cv_free(rows);
    cv_free(lidx);
    cv_free(ridx);
    if (ok != 1) {
        if (ok == 0)
            NOMEM(err);
        cv_table_free(res);
        return NULL;
    }
    res->meta = left->meta; /* the left rows, repeated or dropped: still its customers */
    return res;
}

/* ---- Describe -------------------------------------------------------------------------------------- */

/* Formats a double (or, for dates and datetimes, a floored day or second) as text into a
   string column, through a one-value scratch column so formatting stays in one place. */
static int push_stat(cv_column *out, cv_type type, double v)
{
    cv_column *s = cv_column_new("", type, 1);
    if (!s)
        return -1;
    int rc;
    if (type == CV_FLOAT64)
        rc = cv_column_push_float(s, v);
    else if (type == CV_DATE)
        rc = cv_column_push_i32(s, (int32_t)floor(v));
    else
        rc = cv_column_push_int(s, (int64_t)floor(v));
    char buf[64];
    /* 15 digits: an interpolated quantile shows 43.395, not 43.394999999999996 */
    size_t len = cv_value_format(s, 0, 15, "", buf, sizeof buf);
    cv_column_unref(s);
    return rc ? -1 : cv_column_push_string(out, buf, len < sizeof buf ? len : sizeof buf - 1);
}

static int push_value(cv_column *out, const cv_column *c, int64_t i)
{
    char buf[256];
    if (c->type == CV_STRING) {
        size_t len;
        const char *s = cv_column_string(c, i, &len);
        return cv_column_push_string(out, s, len);
    }
    size_t len = cv_value_format(c, i, 0, "", buf, sizeof buf);
    return cv_column_push_string(out, buf, len < sizeof buf ? len : sizeof buf - 1);
}

/* Describes column c into the output columns o[0..12). 0 or -1 (memory). */
static int describe_one(const cv_column *c, cv_column **o)
{
    int64_t n = c->n, cnt = 0;
    int rc = 0;
    uint32_t *rank = NULL;
    if (c->type == CV_STRING && !(rank = string_ranks(c->dict)))
        return -1;
    int64_t lo = -1, hi = -1;
    uint64_t klo = 0, khi = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!present(c, i))
            continue;
        cnt++;
        uint64_t k = order_key(c, i, rank);
        if (lo < 0 || k < klo)
            lo = i, klo = k;
        if (hi < 0 || k > khi)
            hi = i, khi = k;
    }
    cv_free(rank);
    rc |= cv_column_push_string(o[0], c->name, strlen(c->name));
    rc |= cv_column_push_string(o[1], cv_type_name(c->type), strlen(cv_type_name(c->type)));
    rc |= cv_column_push_int(o[2], cnt);
    rc |= cv_column_push_int(o[3], n - cnt);
    if (is_numeric(c->type) && cnt > 0) {
        double s = 0, comp = 0, ss = 0, sc = 0;
        for (int64_t i = 0; i < n; i++)
            if (present(c, i))
                sum_add(&s, &comp, cv_column_number(c, i));
        double mean = (s + comp) / (double)cnt;
        for (int64_t i = 0; i < n; i++)
            if (present(c, i)) {
                double d = cv_column_number(c, i) - mean;
                sum_add(&ss, &sc, d * d);
            }
        rc |= cv_column_push_float(o[4], mean);
        rc |= cnt > 1 ? cv_column_push_float(o[5], sqrt((ss + sc) / (double)(cnt - 1)))
                      : cv_column_push_missing(o[5]);
    } else {
        rc |= cv_column_push_missing(o[4]);
        rc |= cv_column_push_missing(o[5]);
    }
    rc |= lo >= 0 ? push_value(o[6], c, lo) : cv_column_push_missing(o[6]);
    if (cnt > 0 && c->type != CV_STRING && c->type != CV_BOOL) {
        double *v = xmalloc((size_t)cnt * sizeof *v);
        if (!v)
            return -1;
        int64_t m = 0;
        for (int64_t i = 0; i < n; i++)
            if (present(c, i))
                v[m++] = cv_column_number(c, i);
        sort_doubles(v, m);
        cv_type st = c->type == CV_DATE || c->type == CV_DATETIME ? c->type : CV_FLOAT64;
        rc |= push_stat(o[7], st, quantile7(v, m, 0.25));
        rc |= push_stat(o[8], st, quantile7(v, m, 0.5));
        rc |= push_stat(o[9], st, quantile7(v, m, 0.75));
        cv_free(v);
    } else {
        rc |= cv_column_push_missing(o[7]);
        rc |= cv_column_push_missing(o[8]);
        rc |= cv_column_push_missing(o[9]);
    }
    rc |= hi >= 0 ? push_value(o[10], c, hi) : cv_column_push_missing(o[10]);
    if (c->type == CV_STRING || c->type == CV_BOOL) {
        int32_t nd = c->type == CV_STRING ? cv_strdict_size(c->dict) : 2;
        uint8_t *seen = xcalloc((size_t)nd, 1);
        if (!seen)
            return -1;
        int64_t d = 0;
        for (int64_t i = 0; i < n; i++) {
            if (!present(c, i))
                continue;
            int32_t k = c->type == CV_STRING ? cv_column_i32(c, i) : cv_column_bool(c, i);
            d += !seen[k];
            seen[k] = 1;
        }
        cv_free(seen);
        rc |= cv_column_push_int(o[11], d);
    } else {
        rc |= cv_column_push_missing(o[11]);
    }
    return rc ? -1 : 0;
}

cv_table *cv_table_describe(const cv_table *t, cv_error *err)
{
    static const char *const names[12] = {"column", "type", "count", "missing", "mean", "sd",
                                          "min", "p25", "median", "p75", "max", "n_distinct"};
    static const cv_type types[12] = {CV_STRING, CV_STRING, CV_INT64,  CV_INT64,
                                      CV_FLOAT64, CV_FLOAT64, CV_STRING, CV_STRING,
                                      CV_STRING, CV_STRING, CV_STRING, CV_INT64};
    cv_column *o[12] = {0};
    cv_table *r = cv_table_new();
    int ok = r != NULL;
    for (int k = 0; ok && k < 12; k++)
        ok = (o[k] = cv_column_new(names[k], types[k], t->ncols)) != NULL;
    for (int j = 0; ok && j < t->ncols; j++)
        ok = describe_one(t->cols[j], o) == 0;
    for (int k = 0; ok && k < 12; k++)
        ok = cv_table_add(r, o[k], err) == 0;
    for (int k = 0; k < 12; k++)
        cv_column_unref(o[k]);
    if (!ok) {
        NOMEM(err);
        cv_table_free(r);
        return NULL;
    }
    return r;
}
