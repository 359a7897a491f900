/* cvkit CSV reader: the tokenizer. Fields and rows out of decoded text, block by block:
   delimited text through libcsv (strict quotes, or lenient ones read as written), with a
   fast path for runs of whole lines without quotes that splits exactly as libcsv would;
   blank-separated text by its own loop. Knows nothing of types or columns: it calls the
   field and row callbacks it was given (and the typed fast path hook, tok.rows). */
#include "cvkit/csv.h"
#include "cvkit/mem.h"

#include <csv.h>
#include <string.h>

#include "csv_int.h"

enum { PS_ROW_NOT_BEGUN = 0, PS_FIELD_BEGUN = 2, PS_FIELD_MIGHT_HAVE_ENDED = 3 };

int cv_rd_tok_init(tok *t, char delim, int lenient, field_cb cb1, row_cb cb2, void *ud)
{
    memset(t, 0, sizeof *t);
    t->ws = delim == CV_DELIM_WHITESPACE;
    t->cb1 = cb1;
    t->cb2 = cb2;
    t->ud = ud;
    t->lenient = lenient;
    if (!t->ws) {
        if (csv_init(&t->p, CSV_STRICT) != 0)
            return -1;
        csv_set_delim(&t->p, (unsigned char)delim);
        csv_set_realloc_func(&t->p, cv_realloc); /* libcsv's field buffer counts too */
        csv_set_free_func(&t->p, cv_free);
        t->cls[' '] = t->cls['\t'] = 2;
        t->cls[(unsigned char)delim] = t->cls['\n'] = t->cls['\r'] = 1;
        csv_set_blk_size(&t->p, 256);
    }
    return 0;
}

static int carry_add(tok *t, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (t->clen + n > t->ccap) {
        size_t cap = t->ccap ? t->ccap * 2 : 256;
        while (cap < t->clen + n)
            cap *= 2;
        char *c = cv_realloc(t->carry, cap);
        if (!c)
            return -1;
        t->carry = c;
        t->ccap = cap;
    }
    memcpy(t->carry + t->clen, s, n);
    t->clen += n;
    return 0;
}

/* Blank-separated fields: runs of spaces and tabs separate, CR or LF end a row, empty
   rows are skipped, leading and trailing blanks ignored. */
static int ws_feed(tok *t, const char *p, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (t->infield) {
                if (t->clen) {
                    if (carry_add(t, p + start, i - start))
                        return -1;
                    t->cb1(t->carry, t->clen, t->ud);
                    t->clen = 0;
                } else {
                    t->cb1((void *)(p + start), i - start, t->ud);
                }
                t->infield = 0;
                t->nf++;
            }
            if ((c == '\n' || c == '\r') && t->nf) {
                t->cb2((unsigned char)c, t->ud);
                t->nf = 0;
            }
        } else if (!t->infield) {
            t->infield = 1;
            start = i;
        }
    }
    if (t->infield && carry_add(t, p + start, n - start))
        return -1;
    return 0;
}

/* Complete lines without any quote character, from a row boundary: split exactly as
   libcsv would (fields at the delimiter, blanks around unquoted fields trimmed, CR or LF
   ending a row, blank rows skipped), but without copying each field. */
static void fast_lines(tok *t, const char *s, size_t len)
{
    const unsigned char *cls = t->cls;
    const char d = (char)t->p.delim_char;
    const char *p = s, *end = s + len;
    while (p < end) {
        if (t->rows && (p = t->rows(t->ud, cls, d, p, end)) == end)
            break;
        int begun = 0;
        for (;;) {
            while (cls[(unsigned char)*p] == 2)
                p++;
            char c = *p;
            if (c == '\n' || c == '\r') {
                if (begun) {
                    t->cb1((void *)p, 0, t->ud);
                    t->cb2((unsigned char)c, t->ud);
                }
                p++;
                break;
            }
            begun = 1;
            if (c == d) {
                t->cb1((void *)p, 0, t->ud);
                p++;
                continue;
            }
            const char *f = p;
            do
                p++;
            while (cls[(unsigned char)*p] != 1);
            const char *last = p;
            while (cls[(unsigned char)last[-1]] == 2) /* f[0] is not blank: stops there */
                last--;
            t->cb1((void *)f, (size_t)(last - f), t->ud);
            if (*p == d) {
                p++;
                continue;
            }
            t->cb2((unsigned char)*p, t->ud);
            p++;
            break;
        }
    }
}

/* Feeds text to the tokenizer. Runs of whole lines without quotes, starting on a row
   boundary, take the fast path; everything else (quoted fields, a row cut by the block
   end) goes through libcsv, one line at a time, until the parser is back on a row
   boundary. Both give exactly libcsv's fields and rows. */
/* The end of an unquoted field starting at p[i]: the next delimiter or line end, or n. */
static size_t field_end(const tok *t, const char *p, size_t i, size_t n)
{
    while (i < n && t->cls[(unsigned char)p[i]] != 1)
        i++;
    return i;
}

/* Feeds p[i, e) with libcsv's strict mode off: the rest of an unquoted field, quotes and
   all. 0 or -1 (memory). */
static int feed_lax(tok *t, const char *p, size_t i, size_t e)
{
    csv_set_opts(&t->p, 0);
    size_t got = csv_parse(&t->p, p + i, e - i, t->cb1, t->cb2, t->ud);
    csv_set_opts(&t->p, CSV_STRICT);
    return got == e - i ? 0 : -1;
}

/* libcsv stopped on a stray quote at p[at]: in a quoted field that was closed and goes
   on with text (Q_AFTER), or in an unquoted field (Q_INSIDE). Lenient: the field becomes
   unquoted, its text as written ("27" monitor keeps both quotes; a doubled quote before
   the stray text reads as one), read up to the next delimiter; *next is where to go on.
   Strict: notes the kind and the text and returns -2. 0, -1 (memory) or -2. */
static int stray_quote(tok *t, const char *p, size_t at, size_t n, size_t *next)
{
    struct csv_parser *q = &t->p;
    int after = q->pstate == PS_FIELD_MIGHT_HAVE_ENDED;
    size_t e = field_end(t, p, at, n);
    if (!t->lenient) {
        size_t k = 0, cap = sizeof t->qtext - 1;
        if (after)
            t->qtext[k++] = '"';
        for (size_t m = 0; m < q->entry_pos && k < cap; m++)
            t->qtext[k++] = (char)q->entry_buf[m];
        for (size_t m = at; m < e && k < cap; m++)
            t->qtext[k++] = p[m];
        t->qtext[k] = '\0';
        if (k == cap) {
            while (k > 3 && ((unsigned char)t->qtext[k - 3] & 0xC0) == 0x80)
                k--; /* cut before a whole character */
            memcpy(t->qtext + k - 3, "...", 4);
        }
        t->qerr = after ? Q_AFTER : Q_INSIDE;
        return -2;
    }
    if (after) { /* the opening quote back in front */
        if (q->entry_pos + 2 > q->entry_size) {
            unsigned char *b = cv_realloc(q->entry_buf, q->entry_size + 64);
            if (!b)
                return -1;
            q->entry_buf = b;
            q->entry_size += 64;
        }
        memmove(q->entry_buf + 1, q->entry_buf, q->entry_pos);
        q->entry_buf[0] = '"';
        q->entry_pos++;
        q->quoted = 0;
        q->pstate = PS_FIELD_BEGUN;
        q->spaces = 0;
    }
    q->status = 0;
    t->nlenient++;
    if (feed_lax(t, p, at, e) != 0)
        return -1;
    t->lax = e == n;
    *next = e;
    return 0;
}

int cv_rd_tok_feed(tok *t, const char *p, size_t n)
{
    if (t->ws)
        return ws_feed(t, p, n);
    size_t i = 0;
    if (t->lax) { /* a lenient field cut by the block end goes on */
        i = field_end(t, p, 0, n);
        if (feed_lax(t, p, 0, i) != 0)
            return -1;
        t->lax = i == n;
    }
    while (i < n) {
        if (t->p.pstate == PS_ROW_NOT_BEGUN) {
            const char *q = memchr(p + i, '"', n - i);
            size_t lim = q ? (size_t)(q - p) : n;
            const char *nl = lim > i ? memrchr(p + i, '\n', lim - i) : NULL;
            if (nl) {
                size_t e = (size_t)(nl - p) + 1;
                fast_lines(t, p + i, e - i);
                i = e;
                continue;
            }
        }
        const char *nl = memchr(p + i, '\n', n - i);
        size_t upto = nl ? (size_t)(nl - (p + i)) + 1 : n - i;
        size_t got = csv_parse(&t->p, p + i, upto, t->cb1, t->cb2, t->ud);
        if (got != upto) {
            if (csv_error(&t->p) != CSV_EPARSE)
                return -1;
            size_t next;
            int rc = stray_quote(t, p, i + got, n, &next);
            if (rc != 0)
                return rc;
            i = next;
            continue;
        }
        i += upto;
    }
    return 0;
}

/* Ends the text: *open_quote when it ends inside a quoted field (nothing submitted). */
int cv_rd_tok_fini(tok *t, int *open_quote)
{
    *open_quote = 0;
    if (t->ws) {
        if (t->infield) {
            t->cb1(t->carry, t->clen, t->ud);
            t->clen = 0;
            t->infield = 0;
            t->nf++;
        }
        if (t->nf)
            t->cb2(-1, t->ud);
        t->nf = 0;
        return 0;
    }
    if (t->p.pstate == PS_FIELD_BEGUN && t->p.quoted) {
        *open_quote = 1;
        return 0;
    }
    return csv_fini(&t->p, t->cb1, t->cb2, t->ud) == 0 ? 0 : -1;
}

/* 1 when the text so far ended on a row boundary (a chunk may start after it). */
int cv_rd_tok_clean(const tok *t)
{
    return t->ws ? !t->infield && t->nf == 0 : t->p.pstate == PS_ROW_NOT_BEGUN;
}

void cv_rd_tok_free(tok *t)
{
    if (!t->ws)
        csv_free(&t->p);
    cv_free(t->carry);
    t->carry = NULL;
}
