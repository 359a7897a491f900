/* cvkit tables: selecting rows and columns: cv_column_take (the gather every row selection
   goes through), select, take, head, and filters by a mask or by comparing a column with a
   value. Whole columns are shared by reference; rows are gathered in tight per-type loops. */
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "table_int.h"

#include <math.h>
#include <string.h>

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
                r->valid[k >> 3] &= (uint8_t) ~(1u << (k & 7));
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
cv_table *cv_tbl_share(const cv_table *t, cv_error *err)
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

/* cv_table_take without checking idx (every idx[k] in -1 .. nrows-1). */
cv_table *cv_tbl_take_rows(const cv_table *t, const int64_t *idx, int64_t n, cv_error *err)
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
    return cv_tbl_take_rows(t, idx, n, err);
}

cv_table *cv_table_filter_mask(const cv_table *t, const uint8_t *mask, cv_error *err)
{
    int64_t n = t->nrows, m = 0;
    for (int64_t i = 0; i < n; i++)
        m += mask[i] != 0;
    if (m == n)
        return cv_tbl_share(t, err);
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
    cv_table *r = cv_tbl_take_rows(t, idx, m, err);
    cv_free(idx);
    return r;
}

cv_table *cv_table_head(const cv_table *t, int64_t n, cv_error *err)
{
    int64_t from = 0, cnt;
    if (n >= t->nrows || n <= -t->nrows)
        return cv_tbl_share(t, err);
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
    cv_table *r = cv_tbl_take_rows(t, idx, cnt, err);
    cv_free(idx);
    return r;
}

/* ---- Filter --------------------------------------------------------------------------------- */

int cv_op_parse(const char *s, cv_op *out)
{
    static const struct {
        const char *s;
        cv_op op;
    } ops[] = {{"==", CV_EQ}, {"=", CV_EQ}, {"~=", CV_NE}, {"!=", CV_NE},     {"<", CV_LT},
               {"<=", CV_LE}, {">", CV_GT}, {">=", CV_GE}, {"isna", CV_ISNA}, {"notna", CV_NOTNA}};
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
int cv_tbl_bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
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
            if (cv_tbl_parse_datetime(v->str, v->len, &days, &secs, &has_time) != 0 ||
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
            okc[k] = ok[cv_tbl_bytes_cmp(s, len, v->str, v->len) + 1];
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
    const char *want = c->type == CV_STRING                           ? "a string"
                       : c->type == CV_BOOL                           ? "a bool"
                       : c->type == CV_DATE || c->type == CV_DATETIME ? "a number or a date text"
                                                                      : "a number";
    return cv_error_set(err, CV_ERR_TYPE, "filter on column '%s' (%s): expected %s, found %s%s",
                        c->name, cv_type_name(c->type), want, value_kind_name(v),
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
