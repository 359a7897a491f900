/* cvkit CSV reader: values stored into a chunk's columns (the main pass's field and row
   callbacks). Each value goes in as its column's type when it is one; else its class widens
   the column (int -> float, date -> datetime, ...: exact conversions only) or pins it to
   text for another pass; given types take their value or report it (or make it missing).
   Also rows buffered until known good (skip_bad_rows) and a column appended to another. */
#include "cvkit/mem.h"
#include "cvkit/parse.h"

#include <string.h>

#include "csv_int.h"

static int col_grow(cv_column *c)
{
    int64_t cap = c->cap < 1024 ? 1024 : c->cap + c->cap / 2;
    return cv_column_reserve(c, cap);
}

static int push_missing(cv_column *c)
{
    size_t w = cv_type_size(c->type);
    memset((char *)c->data + (size_t)c->n * w, 0, w);
    c->n++;
    return cv_column_set_missing(c, c->n - 1);
}

/* A new column of type t holding the same missing values as the empty column c. */
static int col_retype_empty(colbuf *cb, cv_type t, int64_t cap)
{
    cv_column *c = cb->col, *nc = cv_column_new(c->name, t, cap > c->cap ? cap : c->cap);
    if (!nc)
        return -1;
    memset(nc->data, 0, (size_t)nc->cap * cv_type_size(t));
    if (c->valid) {
        size_t nb = (size_t)(nc->cap + 7) / 8, ob = (size_t)(c->cap + 7) / 8;
        nc->valid = cv_malloc(nb ? nb : 1);
        if (!nc->valid) {
            cv_column_unref(nc);
            return -1;
        }
        memset(nc->valid, 0xff, nb ? nb : 1);
        memcpy(nc->valid, c->valid, ob < nb ? ob : nb);
    }
    nc->n = c->n;
    cv_column_unref(c);
    cb->col = nc;
    return 0;
}

/* Converts a column holding values of mask cb->mask to type t: exact conversions only.
   0 done, 1 impossible (the text must be read again as strings), -1 out of memory. */
int cv_rd_col_convert(colbuf *cb, cv_type t)
{
    cv_column *c = cb->col;
    if (c->type == t)
        return 0;
    if (cb->empty)
        return col_retype_empty(cb, t, 0) ? -1 : 0;
    int64_t n = c->n;
    if (c->type == CV_INT64 && t == CV_FLOAT64) {
        int64_t *iv = c->data;
        double *dv = c->data;
        for (int64_t i = 0; i < n; i++)
            dv[i] = (double)iv[i];
        c->type = CV_FLOAT64;
        return 0;
    }
    if (c->type == CV_DATE && (t == CV_INT64 || t == CV_FLOAT64 || t == CV_DATETIME)) {
        if (t != CV_DATETIME && cb->mask != K_D8)
            return 1;
        void *nd = cv_malloc((size_t)(c->cap ? c->cap : 1) * 8);
        if (!nd)
            return -1;
        const int32_t *dv = c->data;
        for (int64_t i = 0; i < n; i++) {
            int64_t out = 0;
            if (cv_column_is_valid(c, i)) {
                int y, m, d;
                if (t == CV_DATETIME) {
                    out = (int64_t)dv[i] * 86400;
                } else {
                    cv_civil_from_days(dv[i], &y, &m, &d);
                    out = (int64_t)y * 10000 + m * 100 + d;
                }
            }
            if (t == CV_FLOAT64)
                ((double *)nd)[i] = (double)out;
            else
                ((int64_t *)nd)[i] = out;
        }
        if (c->base) { /* a view into the table's column (cv_rd_main_pass): it now owns nd */
            cv_column_unref(c->base);
            c->base = NULL;
        } else {
            cv_free(c->data);
        }
        c->data = nd;
        c->type = t;
        return 0;
    }
    return 1;
}

static void note_example(chunk *ck, const problem *p)
{
    if (ck->nex < 3)
        ck->ex[ck->nex++] = *p;
}

static void set_text(problem *p, const char *s, size_t len)
{
    size_t n = len < sizeof p->text - 1 ? len : sizeof p->text - 1;
    memcpy(p->text, s, n);
    p->text[n] = '\0';
    if (n < len && n >= 3)
        memcpy(p->text + n - 3, "...", 3);
}

/* A value that does not fit a fixed column type: missing (bad_as_missing) or an error. */
static int bad_value(chunk *ck, int j, const char *s, size_t len)
{
    problem p;
    memset(&p, 0, sizeof p);
    p.kind = P_VALUE;
    p.rec = ck->rec;
    p.field = j;
    p.col = j;
    set_text(&p, s, len);
    if (ck->r->bad_missing) {
        ck->badvals++;
        note_example(ck, &p);
        return push_missing(ck->cols[j].col);
    }
    ck->err = p;
    ck->stop = P_VALUE;
    return 0;
}

/* The thousands separators of column j's style. */
#define THOU(r, j) ((r)->ndec[j] == ',' ? (r)->thouB : (r)->thouA)

/* An Excel serial number (5 to 7 digits before an optional fraction: 1927-05-18 to
   9999-12-31, so that years, months and codes are not taken for serials) in a column
   declared a date; 0 or -1. */
static int serial_date(const char *s, size_t len, int32_t *days, int32_t *secs)
{
    double v;
    size_t k = 0;
    while (k < len && s[k] >= '0' && s[k] <= '9')
        k++;
    if (k < 5 || k > 7 || (k < len && s[k] != '.') || cv_parse_float(s, len, 0, &v) != 0)
        return -1;
    return cv_excel_serial(v, 0, days, secs);
}

static int store_fixed(chunk *ck, int j, const char *s, size_t len)
{
    cv_column *c = ck->cols[j].col;
    const rcfg *r = ck->r;
    int32_t days, secs;
    int ht, b;
    switch (c->type) {
    case CV_INT64:
        if (cv_parse_int(s, len, (int64_t *)c->data + c->n) != 0) {
            val v;
            if (!r->ndec[j] || cv_rd_styled_number(s, len, r->ndec[j], THOU(r, j), &v) != K_INT)
                return bad_value(ck, j, s, len);
            ((int64_t *)c->data)[c->n] = v.i;
        }
        break;
    case CV_FLOAT64: {
        val v;
        unsigned k = cv_rd_styled_number(s, len, r->ndec[j], THOU(r, j), &v);
        if (!k)
            return bad_value(ck, j, s, len);
        ((double *)c->data)[c->n] = k == K_INT ? (double)v.i : v.f;
        break;
    }
    case CV_DATE:
        if (cv_parse_date(s, len, r->order, &days, &secs, &ht) != 0 &&
            serial_date(s, len, &days, &secs) != 0)
            return bad_value(ck, j, s, len);
        ((int32_t *)c->data)[c->n] = days;
        break;
    case CV_DATETIME:
        if (cv_parse_date(s, len, r->order, &days, &secs, &ht) != 0 &&
            serial_date(s, len, &days, &secs) != 0)
            return bad_value(ck, j, s, len);
        ((int64_t *)c->data)[c->n] = (int64_t)days * 86400 + secs;
        break;
    case CV_BOOL:
        if (cv_parse_bool(s, len, &b) != 0)
            return bad_value(ck, j, s, len);
        ((uint8_t *)c->data)[c->n] = (uint8_t)b;
        break;
    case CV_STRING: {
        int32_t code = cv_strdict_intern(c->dict, s, len);
        if (code < 0)
            return -1;
        ((int32_t *)c->data)[c->n] = code;
        break;
    }
    }
    c->n++;
    return 0;
}

/* Stores one value of class k (parsed as v) into a column of type t. */
static int put_value(cv_column *c, unsigned k, const val *v, const char *s, size_t len)
{
    switch (c->type) {
    case CV_INT64:
        ((int64_t *)c->data)[c->n] = v->i;
        break;
    case CV_FLOAT64:
        ((double *)c->data)[c->n] = k == K_FLOAT ? v->f : (double)v->i;
        break;
    case CV_DATE:
        ((int32_t *)c->data)[c->n] = v->days;
        break;
    case CV_DATETIME:
        ((int64_t *)c->data)[c->n] = k == K_DATETIME ? v->i : (int64_t)v->days * 86400;
        break;
    case CV_BOOL:
        ((uint8_t *)c->data)[c->n] = (uint8_t)v->b;
        break;
    case CV_STRING: {
        int32_t code = cv_strdict_intern(c->dict, s, len);
        if (code < 0)
            return -1;
        ((int32_t *)c->data)[c->n] = code;
        break;
    }
    }
    c->n++;
    return 0;
}

/* Stores value j of the current record: the hot path of the reader. 0 or -1 (memory). */
static int store(chunk *ck, int j, const char *s, size_t len)
{
    colbuf *cb = &ck->cols[j];
    cv_column *c = cb->col;
    const rcfg *r = ck->r;
    if (c->n == c->cap && col_grow(c))
        return -1;
    if (is_na(r, s, len))
        return push_missing(c);
    if (r->fixed[j])
        return store_fixed(ck, j, s, len);
    if (!cb->empty) { /* fast paths: the value is of the column's present type */
        int32_t days, secs;
        int ht;
        switch (c->type) {
        case CV_INT64:
            if (cv_parse_int(s, len, (int64_t *)c->data + c->n) == 0 && !lead_zero(s, len)) {
                c->n++;
                return 0;
            }
            break;
        case CV_FLOAT64:
            if (r->ndec[j] != ',' && cv_parse_float(s, len, 0, (double *)c->data + c->n) == 0 &&
                !lead_zero(s, len)) {
                c->n++;
                return 0;
            }
            break;
        case CV_DATE:
        case CV_DATETIME:
            if (!all_digits8(s, len) && cv_parse_date(s, len, r->order, &days, &secs, &ht) == 0 &&
                (c->type == CV_DATETIME || !ht)) {
                if (c->type == CV_DATE)
                    ((int32_t *)c->data)[c->n++] = days;
                else
                    ((int64_t *)c->data)[c->n++] = (int64_t)days * 86400 + secs;
                cb->mask |= ht ? K_DATETIME : K_DATE;
                return 0;
            }
            break;
        case CV_STRING: {
            int32_t code = cv_strdict_intern(c->dict, s, len);
            if (code < 0)
                return -1;
            ((int32_t *)c->data)[c->n++] = code;
            return 0;
        }
        case CV_BOOL:
            break;
        }
    }
    val v;
    unsigned k = cv_rd_classify(s, len, r->order, r->ndec[j], THOU(r, j), &v);
    unsigned m = cb->mask | k;
    cv_type t = cv_rd_mask_type(m, r->d8date[j]);
    if (t != c->type || cb->empty) {
        int rc = cv_rd_col_convert(cb, t);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            ck->restart[j] = 1;
            ck->stop = P_RESTART;
            return 0;
        }
        c = cb->col;
    }
    cb->mask = m;
    cb->empty = 0;
    return put_value(c, k, &v, s, len);
}

void cv_rd_fail_nomem(chunk *ck)
{
    if (!ck->stop) {
        ck->stop = P_NOMEM;
        ck->err.kind = P_NOMEM;
    }
}

static int row_buffer_add(chunk *ck, const char *s, size_t len)
{
    if (ck->rbn == ck->rbfcap) {
        int cap = ck->rbfcap ? ck->rbfcap * 2 : 16;
        size_t *o = cv_realloc(ck->roff, (size_t)cap * 2 * sizeof *o);
        if (!o)
            return -1;
        ck->roff = o;
        ck->rbfcap = cap;
    }
    if (ck->rblen + len > ck->rbcap) {
        size_t cap = ck->rbcap ? ck->rbcap * 2 : 1024;
        while (cap < ck->rblen + len)
            cap *= 2;
        char *b = cv_realloc(ck->rb, cap);
        if (!b)
            return -1;
        ck->rb = b;
        ck->rbcap = cap;
    }
    if (len)
        memcpy(ck->rb + ck->rblen, s, len);
    ck->roff[2 * ck->rbn] = ck->rblen;
    ck->roff[2 * ck->rbn + 1] = len;
    ck->rblen += len;
    ck->rbn++;
    return 0;
}

void cv_rd_on_field(void *s, size_t len, void *data)
{
    chunk *ck = data;
    if (ck->stop)
        return;
    int j = ck->field++;
    if (ck->in_header)
        return;
    if (ck->r->skip_bad) {
        if (j < ck->ncols && row_buffer_add(ck, s, len))
            cv_rd_fail_nomem(ck);
        return;
    }
    if (j < ck->ncols && store(ck, j, s, len))
        cv_rd_fail_nomem(ck);
}

void cv_rd_on_row(int c, void *data)
{
    chunk *ck = data;
    (void)c;
    if (ck->stop)
        return;
    int nf = ck->field;
    ck->field = 0;
    if (ck->in_header) {
        ck->in_header = 0;
        ck->rec++;
        return;
    }
    if (nf != ck->ncols) {
        problem p;
        memset(&p, 0, sizeof p);
        p.kind = P_RAGGED;
        p.rec = ck->rec;
        p.expected = ck->ncols;
        p.found = nf;
        if (ck->r->skip_bad) {
            ck->skipped++;
            note_example(ck, &p);
            ck->rbn = 0;
            ck->rblen = 0;
            ck->rec++;
            return;
        }
        ck->err = p;
        ck->stop = P_RAGGED;
        return;
    }
    if (ck->r->skip_bad) {
        for (int j = 0; j < ck->rbn && !ck->stop; j++)
            if (store(ck, j, ck->rb ? ck->rb + ck->roff[2 * j] : "", /* all empty: no buffer */
                      ck->roff[2 * j + 1]))
                cv_rd_fail_nomem(ck);
        ck->rbn = 0;
        ck->rblen = 0;
        if (ck->stop)
            return;
    }
    ck->rows++;
    ck->rec++;
    if (ck->r->batch_rows > 0 && ++ck->batch_n == ck->r->batch_rows)
        cv_rd_emit_batch(ck);
}

/* Appends chunk b's column to a's (same type), remapping string codes. 0 or -1. */
int cv_rd_col_append(cv_column *a, cv_column *b)
{
    int64_t n0 = a->n;
    if (cv_column_reserve(a, a->n + b->n + 1) != 0)
        return -1;
    size_t w = cv_type_size(a->type);
    if (a->type == CV_STRING && a->dict != b->dict) {
        int32_t nd = cv_strdict_size(b->dict);
        int32_t *map = cv_malloc((size_t)(nd ? nd : 1) * sizeof *map);
        if (!map)
            return -1;
        for (int32_t k = 0; k < nd; k++) {
            size_t len;
            const char *s = cv_strdict_get(b->dict, k, &len);
            if ((map[k] = cv_strdict_intern(a->dict, s, len)) < 0) {
                cv_free(map);
                return -1;
            }
        }
        const int32_t *src = b->data;
        int32_t *dst = (int32_t *)a->data + n0;
        for (int64_t i = 0; i < b->n; i++)
            dst[i] = cv_column_is_valid(b, i) ? map[src[i]] : 0;
        cv_free(map);
    } else if (b->n > 0) {
        memcpy((char *)a->data + (size_t)n0 * w, b->data, (size_t)b->n * w);
    }
    a->n = n0 + b->n;
    if (b->valid)
        for (int64_t i = 0; i < b->n; i++)
            if (!cv_column_is_valid(b, i) && cv_column_set_missing(a, n0 + i) != 0)
                return -1;
    return 0;
}
