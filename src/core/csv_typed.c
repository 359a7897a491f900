/* cvkit CSV reader: the typed fast path. Rows of plain values (integers, decimal numbers,
   ISO dates, strings without blanks at either end, empty fields) in columns whose type is
   settled are parsed straight into them, exactly as the general path (csv_columns.c) would
   store them; any other row is left to the general path. */
#include "cvkit/mem.h"
#include "cvkit/parse.h"

#include <stdint.h>
#include <string.h>

#include "csv_int.h"
#include "quick_parse.h"

/* 1 when every column of the chunk takes the typed fast path: int, float (decimal point),
   date or string columns whose type is settled (given, or seen a value of), all holding
   the same number of values (one per row). */
static int typed_ready(const chunk *ck)
{
    const rcfg *r = ck->r;
    if (ck->stop || ck->in_header || ck->field || r->skip_bad || ck->ncols == 0 ||
        ck->ncols > TYPED_MAX)
        return 0;
    for (int j = 0; j < ck->ncols; j++) {
        const cv_column *c = ck->cols[j].col;
        cv_type t = c->type;
        if ((!r->fixed[j] && ck->cols[j].empty) || t == CV_BOOL || t == CV_DATETIME ||
            (t == CV_FLOAT64 && r->ndec[j] == ',') || c->n != ck->cols[0].col->n)
            return 0;
    }
    return 1;
}

/* Rows of plain values parsed straight into the columns, from a row start in text without
   quotes that ends with a line end (fast_lines): an integer without a sign '+' or a leading
   zero (at most 18 digits), a decimal number of at most 19 digits (the correctly rounded
   double, as cv_parse_float: one exact division for a mantissa up to 2^53, else a
   multiplication by 10^-k, cv_decimal_div), a date
   YYYY-MM-DD of the years 1901..2099 (the same 10 bytes as the column's previous date read
   here are not parsed again: files in date order repeat each date over many rows), or a string
   without blanks at either end; none of them a missing-value text (its first byte not one a
   missing-value text starts with); or an empty field (missing). Each value lands exactly where, and
   as, store() would put it. A row with anything else (a blank, an empty field, a value of another
   form, a ragged row, a blank line, a full column) is left for the general path, which overwrites
   what was written of it. Returns where it stopped (a row start, or end). */
const char *cv_rd_typed_rows(void *ck_, const unsigned char *cls, char d, const char *p,
                             const char *end)
{
    chunk *ck = ck_;
    const rcfg *r = ck->r;
    const int nc = ck->ncols;
    cv_column *col[TYPED_MAX];
    void *data[TYPED_MAX];
    unsigned char kind[TYPED_MAX];
    /* each date column's last date read here: its 10 bytes and its day (dseen[j] once set) */
    uint64_t dhead[TYPED_MAX];
    uint16_t dtail[TYPED_MAX];
    int32_t dday[TYPED_MAX];
    unsigned char dseen[TYPED_MAX];
    memset(dseen, 0, sizeof dseen);
again:
    if (!typed_ready(ck))
        return p;
    int64_t n0 = ck->cols[0].col->n, n = n0, lim = INT64_MAX;
    for (int j = 0; j < nc; j++) {
        col[j] = ck->cols[j].col;
        data[j] = col[j]->data;
        kind[j] = (unsigned char)col[j]->type;
        if (col[j]->cap < lim)
            lim = col[j]->cap;
    }
    int nomem = 0, nmiss = 0;
    int miss[TYPED_MAX]; /* the row's empty fields, made missing */
    while (p < end && n < lim) {
        const char *q = p;
        nmiss = 0;
        for (int j = 0; j < nc; j++) {
            if (*q == d || *q == '\n' || *q == '\r') { /* empty: missing, as push_missing */
                if (j == 0 && *q != d)
                    goto done;                               /* a blank line */
                if (cv_column_set_missing(col[j], n) != 0) { /* a view takes its own copy */
                    nomem = 1;
                    goto done;
                }
                data[j] = col[j]->data;
                memset((char *)data[j] + (size_t)n * cv_type_size(col[j]->type), 0,
                       cv_type_size(col[j]->type));
                miss[nmiss++] = j;
                goto next;
            }
            if (r->na_first[(unsigned char)*q])
                goto done;
            switch (kind[j]) {
            case CV_INT64: {
                int neg = *q == '-', nd, frac;
                uint64_t v;
                if (!(q = cv_quick_digits(q + neg, &v, &nd, &frac)) || frac || nd > 18)
                    goto done;
                ((int64_t *)data[j])[n] = neg ? -(int64_t)v : (int64_t)v;
                break;
            }
            case CV_FLOAT64: {
                int neg = *q == '-', nd, frac;
                uint64_t m;
                double v;
                if (!(q = cv_quick_digits(q + neg, &m, &nd, &frac)) || nd > 19 ||
                    cv_quick_decimal(m, frac, &v) != 0)
                    goto done;
                ((double *)data[j])[n] = neg ? -v : v;
                break;
            }
            case CV_DATE: {
                if (end - q < 11)
                    goto done;
                uint64_t head;
                uint16_t tail;
                memcpy(&head, q, 8);
                memcpy(&tail, q + 8, 2);
                if (dseen[j] && head == dhead[j] && tail == dtail[j]) { /* the same text */
                    ((int32_t *)data[j])[n] = dday[j];
                } else {
                    if (cv_quick_iso_date((const unsigned char *)q, &((int32_t *)data[j])[n]) != 0)
                        goto done; /* other years, and errors: the general path */
                    dhead[j] = head;
                    dtail[j] = tail;
                    dday[j] = ((int32_t *)data[j])[n];
                    dseen[j] = 1;
                }
                q += 10;
                break;
            }
            case CV_STRING: {
                const char *f = q;
                if (cls[(unsigned char)*q])
                    goto done; /* empty, or a blank first */
                do
                    q++;
                while (cls[(unsigned char)*q] != 1);
                if (cls[(unsigned char)q[-1]] == 2)
                    goto done;
                int32_t code = cv_strdict_intern(col[j]->dict, f, (size_t)(q - f));
                if (code < 0) {
                    nomem = 1;
                    goto done;
                }
                ((int32_t *)data[j])[n] = code;
                break;
            }
            default:
                goto done;
            }
        next:
            if (j < nc - 1 ? *q != d : (*q != '\n' && *q != '\r'))
                goto done;
            q++;
        }
        if (q[-1] == '\r' && q < end && *q == '\n') /* CRLF: the LF is a blank line */
            q++;
        p = q;
        n++;
        nmiss = 0;
        if (r->batch_rows > 0 && ++ck->batch_n == r->batch_rows)
            break;
    }
done:
    for (int k = 0; k < nmiss; k++) /* a row left half done: its values valid again */
        col[miss[k]]->valid[n >> 3] |= (uint8_t)(1u << (n & 7));
    for (int j = 0; j < nc; j++) {
        col[j]->n = n;
        if (kind[j] == CV_DATE && n > n0 && !r->fixed[j])
            ck->cols[j].mask |= K_DATE;
    }
    ck->rows += n - n0;
    ck->rec += n - n0;
    if (nomem) {
        cv_rd_fail_nomem(ck);
        return end;
    }
    if (r->batch_rows > 0 && ck->batch_n == r->batch_rows && n > n0) {
        cv_rd_emit_batch(ck); /* new columns */
        if (ck->stop)
            return end;
        goto again;
    }
    return p;
}
