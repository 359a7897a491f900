/* cvkit tables: converting columns: cv_column_cast (with the strict text parsers it uses, and
   dates read from text as the CSV reader reads them), cv_column_rename (a shared view under
   another name) and cv_table_with_kind (a view of a column with another kind). */
#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/table.h"
#include "table_int.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* ---- Dates in text (read as the CSV reader reads them: parse.c) ---------------------------- */

/* Parses a date with an optional time of day in any ISO form cv_parse_date takes; sets
 *days and *secs (seconds since 1970-01-01 00:00:00) and *has_time. 0, or -1. */
int cv_tbl_parse_datetime(const char *s, size_t len, int64_t *days, int64_t *secs, int *has_time)
{
    int32_t d, t;
    if (cv_parse_date(s, len, CV_DATE_ISO, &d, &t, has_time) != 0)
        return -1;
    *days = d;
    *secs = (int64_t)d * 86400 + t;
    return 0;
}

/* ---- Renaming and casting columns ------------------------------------------------------------ */

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
            if (cv_tbl_parse_datetime(s, len, &days, &secs, &has_time) || has_time)
                return -1;
            *iv = days;
            return 0;
        case CV_DATETIME:
            if (cv_tbl_parse_datetime(s, len, &days, &secs, &has_time))
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
    int64_t v = from == CV_DATE   ? cv_column_i32(c, i)
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
                cv_error_set(err, CV_ERR_TYPE, "cannot cast '%s' in row %lld of column '%s' to %s",
                             buf, (long long)i + 1, c->name, cv_type_name(to));
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

/* ---- Kinds of number columns ---------------------------------------------------------------- */

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
    cv_table *r = v ? cv_tbl_share(t, err) : NULL;
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
