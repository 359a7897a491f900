/* cvkit CSV reader: delimited text (libcsv) and blank-separated text (own tokenizer) into
   typed tables. A sample pass picks the delimiter, the header and starting types; the
   main pass parses the whole input in 1 or more chunks (threads), each inferring its
   column types by widening (int -> float, date -> datetime, ...); chunks are merged into
   the common type. Errors are located exactly by rescanning the text (line, column).
   Speed: rows of plain values in settled columns are parsed straight into them
   (typed_rows), and on several threads the chunks fill one allocation per column, planned
   from a count of line ends (plan_columns), so they need not be copied together. */
#include "cvkit/cancel.h"
#include "cvkit/csv.h"
#include "cvkit/guard.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"
#include "cvkit/threads.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book_int.h"
#include "csv_int.h"
#include "quick_parse.h"

/* ---- Value classes and the type lattice ---------------------------------------------- */

/* What a text value looks like. A column's type is a function of the set of classes
   seen in it (mask_type), so it does not depend on the order the values came in: that
   is what makes chunked, threaded reading give exactly the one-thread result. */
enum {
    K_D8 = 1,        /* 8 digits that are also a date YYYYMMDD (years 1700..2299): a date
                        only in a column whose name says date (name_says_date) */
    K_INT = 2,       /* other integers */
    K_FLOAT = 4,     /* other decimal numbers */
    K_DATE = 8,      /* a date with separators */
    K_DATETIME = 16, /* a date with a time of day */
    K_BOOL = 32,     /* true/false, yes/no */
    K_STR = 64       /* anything else */
};

/* The type of a column whose values showed the classes m; d8date: the column's name
   says date, so 8-digit YYYYMMDD values are dates (else they are integers). */
static cv_type mask_type(unsigned m, int d8date)
{
    if ((m & K_D8) && !d8date)
        m = (m & ~(unsigned)K_D8) | K_INT;
    if (m == 0 || (m & K_STR))
        return CV_STRING;
    if (m & K_BOOL)
        return m == K_BOOL ? CV_BOOL : CV_STRING;
    unsigned num = m & (K_INT | K_FLOAT), dat = m & (K_DATE | K_DATETIME);
    if (num && dat)
        return CV_STRING;
    if (num)
        return (m & K_FLOAT) ? CV_FLOAT64 : CV_INT64;
    return (m & K_DATETIME) ? CV_DATETIME : CV_DATE;
}

typedef struct val {
    int64_t i;    /* K_INT, K_D8 (the number), K_DATETIME (seconds) */
    double f;     /* K_FLOAT */
    int32_t days; /* K_D8, K_DATE */
    int b;        /* K_BOOL */
} val;

static int is_bool_word(const char *s, size_t len, int *b)
{
    static const char *const words[] = {"true", "TRUE", "True", "false", "FALSE", "False",
                                        "yes",  "YES",  "Yes",  "no",    "NO",    "No"};
    for (int k = 0; k < 12; k++)
        if (strlen(words[k]) == len && memcmp(words[k], s, len) == 0) {
            *b = k < 3 || (k >= 6 && k < 9);
            return 1;
        }
    return 0;
}

static int d8_date(int64_t v, int32_t *days)
{
    int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);
    if (y < 1700 || y > 2299 || !cv_date_valid(y, m, d))
        return 0;
    *days = cv_days_from_civil(y, m, d);
    return 1;
}

static int all_digits8(const char *s, size_t len)
{
    if (len != 8)
        return 0;
    for (int k = 0; k < 8; k++)
        if (s[k] < '0' || s[k] > '9')
            return 0;
    return 1;
}

/* 1 when a number is written with a leading zero before another digit ("007", "-01",
   "00.5"; not "0", "0.5"): such a value is an identifier or a code, read as text so
   that "007" and "7" stay two values. */
static inline int lead_zero(const char *s, size_t len)
{
    size_t k = len > 0 && (s[0] == '-' || s[0] == '+');
    return len > k + 1 && s[k] == '0' && s[k + 1] >= '0' && s[k + 1] <= '9';
}

/* 1 when a column name says it holds dates: one of its words is "date" (any case; words
   split at non-letters and at a lower-to-upper case change: order_date, OrderDate,
   "Date of sale"; not candidate, update), or it contains 日期. */
static int name_says_date(const char *name)
{
    if (strstr(name, "\xe6\x97\xa5\xe6\x9c\x9f")) /* 日期 */
        return 1;
    for (const char *p = name; *p; p++) {
        int start = p == name || !((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z') ||
                    (p[-1] >= 'a' && p[-1] <= 'z' && *p >= 'A' && *p <= 'Z');
        if (!start)
            continue;
        int k = 0;
        while (k < 4 && p[k] && (p[k] | 32) == "date"[k])
            k++;
        if (k < 4)
            continue;
        char c = p[4];
        int end = !((c | 32) >= 'a' && (c | 32) <= 'z') ||
                  (p[3] >= 'a' && p[3] <= 'z' && c >= 'A' && c <= 'Z');
        if (end)
            return 1;
    }
    return 0;
}

/* A number written in style dec ('.' or ',' with thousands separators from thou; 0:
   plain, '.' and no separators), as an integer (K_INT) or a float (K_FLOAT); 0 if not. */
static unsigned styled_number(const char *s, size_t len, char dec, const char *thou, val *v)
{
    int is_int;
    if (dec != ',' && cv_parse_float(s, len, 0, &v->f) == 0) /* plain, any length */
        return K_FLOAT;
    if (!dec)
        return 0;
    if (cv_parse_number(s, len, dec, thou, &v->f, &is_int, NULL) != 0)
        return 0;
    if (is_int && v->f > -9007199254740992.0 && v->f < 9007199254740992.0) {
        v->i = (int64_t)v->f;
        return K_INT;
    }
    return K_FLOAT;
}

/* The class of a non-missing text value, with its parsed value; numbers in style dec
   (styled_number). */
static unsigned classify(const char *s, size_t len, cv_date_order order, char dec, const char *thou,
                         val *v)
{
    int32_t secs;
    int ht;
    unsigned k;
    if (cv_parse_int(s, len, &v->i) == 0) {
        if (lead_zero(s, len))
            return K_STR;
        return all_digits8(s, len) && d8_date(v->i, &v->days) ? K_D8 : K_INT;
    }
    if ((k = styled_number(s, len, dec, thou, v)) != 0)
        return lead_zero(s, len) ? K_STR : k;
    if (cv_parse_date(s, len, order, &v->days, &secs, &ht) == 0) {
        v->i = (int64_t)v->days * 86400 + secs;
        return ht ? K_DATETIME : K_DATE;
    }
    if (is_bool_word(s, len, &v->b))
        return K_BOOL;
    return K_STR;
}

/* What a value says about its column's way of writing numbers: E_A it reads only with a
   decimal point and a thousands separator ("1,234.5", "1 234.5"), E_B only with a
   decimal comma ("1.234,5", "12,5"), E_AMB both ways to different numbers ("1,234"),
   E_S both ways alike ("1 234"), E_TEXT neither way (text, dates). */
enum { E_A = 1, E_B = 2, E_AMB = 4, E_S = 8, E_TEXT = 16, E_DOT3 = 32 };

static unsigned num_evidence(const char *s, size_t len, const char *thouA, const char *thouB)
{
    double a, b;
    int ga = 0, gb = 0;
    int okA = cv_parse_number(s, len, '.', thouA, &a, NULL, &ga) == 0 ||
              cv_parse_float(s, len, 0, &a) == 0;
    int okB = cv_parse_number(s, len, ',', thouB, &b, NULL, &gb) == 0;
    int comma = memchr(s, ',', len) != NULL;
    if (!okA && !okB)
        return E_TEXT;
    if (okA && !okB) /* "1.5" too: a decimal point, never a thousands separator */
        return ga || memchr(s, '.', len) ? E_A : 0;
    if (okB && !okA)
        return comma ? E_B : 0; /* "1.234.567" alone is no evidence (a code?) */
    if (a == b)
        return ga || gb ? E_S : 0;
    return comma ? E_AMB : E_DOT3; /* "1.234": 1.234 unless the file says otherwise */
}

/* ---- The read's settings ------------------------------------------------------------- */

typedef struct rcfg {
    const char *name; /* for messages */
    int fd;           /* or -1: mem */
    const char *mem;
    uint64_t begin, end; /* raw text range (after a BOM) */
    cv_encoding enc;     /* CV_ENC_UTF8 or CV_ENC_GB18030 */
    char delim;          /* CV_DELIM_WHITESPACE for blanks */
    int header;
    int ncols;
    char **names;
    cv_type *types;        /* starting storage types */
    unsigned *mask0;       /* starting class masks (from the sample) */
    unsigned char *fixed;  /* type given, pinned, or streaming: no inference */
    unsigned char *d8date; /* the column's name says date (name_says_date) */
    cv_date_order order;
    char fdec;               /* the decimal mark given ('.' or ','), 0: detect */
    char *ndec;              /* per column: 0 plain, '.' or ',' (with separators) */
    char thouA[8], thouB[8]; /* thousands separators with a decimal point, comma */
    const char *const *na;
    size_t *nalen;
    int nna;
    unsigned char na_first[256]; /* first bytes of the missing-value texts */
    int skip_bad, bad_missing;
    int lenient; /* lenient_quotes */
    double bytes_per_rec;
    int64_t batch_rows; /* streaming: rows per batch (0: not streaming) */
    cv_csv_batch_fn fn;
    void *ud;
    cv_progress prog;      /* the "read" step (include/cvkit/progress.h) */
    _Atomic uint64_t done; /* raw bytes done over all chunks */
} rcfg;

static inline int is_na(const rcfg *r, const char *s, size_t len)
{
    if (len == 0)
        return 1;
    if (!r->na_first[(unsigned char)s[0]])
        return 0;
    for (int k = 0; k < r->nna; k++)
        if (r->nalen[k] == len && memcmp(r->na[k], s, len) == 0)
            return 1;
    return 0;
}

/* ---- Tokenizers ---------------------------------------------------------------------- */

typedef void (*field_cb)(void *, size_t, void *);
typedef void (*row_cb)(int, void *);

typedef struct tok {
    int ws;
    struct csv_parser p;
    field_cb cb1;
    row_cb cb2;
    void *ud;
    unsigned char cls[256]; /* fast path: 1 ends a field (delimiter, CR, LF), 2 blank */
    int infield, nf;        /* whitespace: inside a field, fields in this row */
    char *carry;            /* whitespace: a field cut by a block end */
    size_t clen, ccap;
    /* quotes (delimited text): libcsv runs in strict mode, so a quote inside an unquoted
       field or text after a closing quote stops it; lenient reads the field as written */
    int lenient;
    int lax;          /* lenient: the rest of the current field goes on in the next block */
    int64_t nlenient; /* fields read as written */
    int qerr;         /* strict: Q_INSIDE or Q_AFTER */
    char qtext[40];   /* strict: the field's text, for the message */
} tok;

enum { Q_INSIDE = 1, Q_AFTER = 2 }; /* a quote in an unquoted field, text after a closing one */

enum { PS_ROW_NOT_BEGUN = 0, PS_FIELD_BEGUN = 2, PS_FIELD_MIGHT_HAVE_ENDED = 3 };

static int tok_init(tok *t, char delim, int lenient, field_cb cb1, row_cb cb2, void *ud)
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

static void on_field(void *s, size_t len, void *data);
static void on_row(int c, void *data);
struct chunk;
static const char *typed_rows(struct chunk *ck, const unsigned char *cls, char d, const char *p,
                              const char *end);

/* Calls the field callback; the main pass's is called directly, so it can be inlined. */
static inline void emit_field(tok *t, const char *s, size_t len)
{
    if (t->cb1 == on_field)
        on_field((void *)s, len, t->ud);
    else
        t->cb1((void *)s, len, t->ud);
}

static inline void emit_row(tok *t, int c)
{
    if (t->cb2 == on_row)
        on_row(c, t->ud);
    else
        t->cb2(c, t->ud);
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
        if (t->cb1 == on_field && (p = typed_rows(t->ud, cls, d, p, end)) == end)
            break;
        int begun = 0;
        for (;;) {
            while (cls[(unsigned char)*p] == 2)
                p++;
            char c = *p;
            if (c == '\n' || c == '\r') {
                if (begun) {
                    emit_field(t, p, 0);
                    emit_row(t, (unsigned char)c);
                }
                p++;
                break;
            }
            begun = 1;
            if (c == d) {
                emit_field(t, p, 0);
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
            emit_field(t, f, (size_t)(last - f));
            if (*p == d) {
                p++;
                continue;
            }
            emit_row(t, (unsigned char)*p);
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

static int tok_feed(tok *t, const char *p, size_t n)
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
static int tok_fini(tok *t, int *open_quote)
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
static int tok_clean(const tok *t)
{
    return t->ws ? !t->infield && t->nf == 0 : t->p.pstate == PS_ROW_NOT_BEGUN;
}

static void tok_free(tok *t)
{
    if (!t->ws)
        csv_free(&t->p);
    cv_free(t->carry);
    t->carry = NULL;
}

/* ---- Problems and their locations ---------------------------------------------------- */

enum {
    P_NONE = 0,
    P_RAGGED, /* a row with the wrong number of fields */
    P_VALUE,  /* a value that is not of its column's type */
    P_QUOTE,  /* the text ends inside a quoted field */
    P_STRAY,  /* a quote inside an unquoted field, or text after a closing quote */
    P_TEXT,   /* invalid UTF-8 / GB18030 at raw offset */
    P_IO,
    P_NOMEM,
    P_RESTART, /* a column must be read again as text */
    P_USER,    /* the streaming callback stopped */
    P_CANCEL,  /* cancellation was asked (include/cvkit/cancel.h) */
    P_ABORT,   /* an earlier chunk stopped: this one's result does not matter */
    P_AMBIG    /* a number that reads two ways (1,234), in a column that does not say */
};

typedef struct problem {
    int kind;
    int64_t rec; /* record index in the whole text (header included) */
    int field;   /* field index, for P_VALUE */
    int expected, found;
    int col;       /* column, for P_VALUE */
    uint64_t raw;  /* P_TEXT: raw offset; P_IO: errno */
    char text[48]; /* the value found, cut */
} problem;

static const char *type_phrase(cv_type t)
{
    switch (t) {
    case CV_INT64:
        return "an integer";
    case CV_FLOAT64:
        return "a number";
    case CV_DATE:
        return "a date";
    case CV_DATETIME:
        return "a date and time";
    case CV_BOOL:
        return "a boolean";
    case CV_STRING:
        break;
    }
    return "text";
}

/* Mirrors libcsv's (or the blank tokenizer's) record structure byte by byte, counting
   physical lines (LF, CR, CRLF) and columns (UTF-8 characters), to find where record
   `rec` field `field` starts (want 0), where record `rec` ends (want 1), or where the
   quoted field open at the end of the text began (want 2). */
typedef struct locate {
    int ws;
    unsigned char delim;
    int st, quoted;
    size_t spaces;
    int64_t rec;
    int field;
    long line, col, nextcol;
    int prev_cr;
    long fline, fcol; /* start of the current field */
    /* target */
    int want;
    int64_t trec;
    int tfield;
    long oline, ocol;
    int found;
} locate;

static void loc_hit_field(locate *L)
{
    L->fline = L->line;
    L->fcol = L->col;
    if (L->want == 0 && L->rec == L->trec && L->field == L->tfield) {
        L->oline = L->line;
        L->ocol = L->col;
        L->found = 1;
    }
}

static void loc_row_end(locate *L)
{
    if (L->want == 1 && L->rec == L->trec) {
        L->oline = L->line;
        L->ocol = L->col;
        L->found = 1;
    }
    L->rec++;
    L->field = 0;
}

static void loc_byte(locate *L, unsigned char c)
{
    if (c == '\n' && L->prev_cr) { /* the LF of a CRLF: no column, no structure */
        L->prev_cr = 0;
        return;
    }
    int term = c == '\n' || c == '\r';
    int space = c == ' ' || c == '\t';
    if ((c & 0xC0) != 0x80)
        L->col = L->nextcol++;
    if (L->ws) {
        if (space || term) {
            if (L->st == 2) {
                L->st = 1;
                L->field++;
            }
            if (term && L->field > 0) {
                loc_row_end(L);
                L->st = 0;
            }
        } else if (L->st != 2) {
            loc_hit_field(L);
            L->st = 2;
        }
    } else {
        switch (L->st) {
        case 0:
        case 1:
            if (space && c != L->delim)
                break;
            if (term) {
                if (L->st == 1) {
                    loc_hit_field(L);
                    L->field++;
                    loc_row_end(L);
                }
                L->st = 0;
            } else if (c == L->delim) {
                loc_hit_field(L);
                L->field++;
                L->st = 1;
            } else {
                loc_hit_field(L);
                L->st = 2;
                L->quoted = c == '"';
                L->spaces = 0;
            }
            break;
        case 2:
            if (c == '"' && L->quoted) {
                L->st = 3;
            } else if (!L->quoted && (c == L->delim || term)) {
                L->field++;
                L->st = 1;
                if (term) {
                    loc_row_end(L);
                    L->st = 0;
                }
            }
            break;
        default: /* 3: a quote seen in a quoted field */
            if (c == L->delim || term) {
                L->field++;
                L->st = 1;
                L->quoted = 0;
                if (term) {
                    loc_row_end(L);
                    L->st = 0;
                }
            } else if (space) {
                L->spaces++;
            } else if (c == '"' && L->spaces) {
                L->spaces = 0;
            } else {
                L->st = 2;
                L->spaces = 0;
            }
            break;
        }
    }
    if (c == '\r' || (c == '\n' && !L->prev_cr)) {
        L->line++;
        L->nextcol = 1;
    }
    L->prev_cr = c == '\r';
}

/* Finds a target location by reading the text again from its start. 0 or -1. */
static int locate_run(const rcfg *r, int want, int64_t rec, int field, long *line, long *col)
{
    locate L;
    memset(&L, 0, sizeof L);
    L.ws = r->delim == CV_DELIM_WHITESPACE;
    L.delim = (unsigned char)r->delim;
    L.line = 1;
    L.nextcol = 1;
    L.want = want;
    L.trec = rec;
    L.tfield = field;
    cv_src s;
    if (cv_src_open(&s, r->fd, r->mem, r->begin, r->end, r->enc) != 0)
        return -1;
    const char *p;
    size_t n;
    while (!L.found && cv_src_next(&s, &p, &n, NULL) == 1)
        for (size_t i = 0; i < n && !L.found; i++)
            loc_byte(&L, (unsigned char)p[i]);
    cv_src_close(&s);
    if (!L.found) {
        /* the end of the text: a last row without a line end, or an open quote */
        L.col = L.nextcol;
        if (want == 2 && L.st == 2 && L.quoted) {
            L.oline = L.fline;
            L.ocol = L.fcol;
            L.found = 1;
        } else if (want == 1 && L.rec == rec) {
            L.oline = L.line;
            L.ocol = L.col;
            L.found = 1;
        } else if (want == 0 && L.rec == rec && L.field == field) {
            L.oline = L.line;
            L.ocol = L.col;
            L.found = 1;
        }
    }
    *line = L.found ? L.oline : 0;
    *col = L.found ? L.ocol : 0;
    return 0;
}

/* Line and column of raw offset `bad` (the first invalid byte): lines by LF/CR, columns
   by characters (UTF-8 lead bytes, or GB18030 characters). */
static void locate_raw(const rcfg *r, cv_encoding enc, uint64_t bad, long *line, long *col)
{
    long ln = 1, cl = 1;
    int prev_cr = 0;
    char *buf = r->fd >= 0 ? cv_malloc(CV_CSV_BLOCK) : NULL;
    uint64_t pos = r->begin;
    int gb_skip = 0;
    while (pos < bad) {
        size_t want = bad - pos > CV_CSV_BLOCK ? CV_CSV_BLOCK : (size_t)(bad - pos);
        const unsigned char *p;
        if (r->fd >= 0) {
            if (!buf)
                break;
            ssize_t got = pread(r->fd, buf, want, (off_t)pos);
            if (got <= 0)
                break;
            want = (size_t)got;
            p = (const unsigned char *)buf;
        } else {
            p = (const unsigned char *)r->mem + pos;
        }
        for (size_t i = 0; i < want; i++) {
            unsigned c = p[i];
            if (gb_skip) {
                gb_skip--;
                continue;
            }
            if (c == '\r' || (c == '\n' && !prev_cr)) {
                ln++;
                cl = 1;
            } else if (c != '\n') {
                if (enc == CV_ENC_UTF8) {
                    if ((c & 0xC0) != 0x80)
                        cl++;
                } else {
                    cl++;
                    if (c >= 0x81)
                        gb_skip = (i + 1 < want && p[i + 1] >= 0x30 && p[i + 1] <= 0x39) ? 3 : 1;
                }
            }
            prev_cr = c == '\r';
        }
        pos += want;
    }
    cv_free(buf);
    *line = ln;
    *col = cl;
}

/* ---- Columns being filled ------------------------------------------------------------ */

typedef struct colbuf {
    cv_column *col;
    unsigned mask; /* classes seen (inferred columns) */
    int empty;     /* no value stored yet: the storage type may still change freely */
} colbuf;

/* Chunks parsed by a few threads (see pool_work). */
typedef struct pool {
    struct chunk *ck;
    int nc;
    int count; /* 1: count each chunk's line ends (count_lines) instead of parsing it */
    atomic_int next;
    atomic_int first_stop; /* lowest index of a chunk that stopped, or nc */
} pool;

typedef struct chunk {
    rcfg *r;
    uint64_t begin, end; /* raw range */
    int first, last, main_thread;
    int index;         /* position among the chunks */
    struct pool *pool; /* the chunks being parsed together, or NULL */
    colbuf *cols;
    int ncols;
    int64_t rec;   /* records seen, the header included */
    int64_t rec0;  /* index of this chunk's first record in the whole text */
    int64_t rows;  /* data rows kept */
    int64_t lines; /* line ends in the raw range (pool count mode), -1 on a read error */
    int field;     /* fields seen in the current record */
    int in_header;
    int stop; /* a problem kind: parsing stops */
    problem err;
    unsigned char *restart;
    int clean_end; /* the chunk ended on a row boundary */
    /* forgiving modes */
    int64_t skipped, badvals, nlenient;
    problem ex[3];
    int nex;
    /* buffered rows (skip_bad_rows): field texts until the row is known good */
    char *rb;
    size_t rblen, rbcap;
    size_t *roff;
    int rbn, rbfcap;
    /* streaming */
    int64_t batch_n;
    int user_rc;
    cv_error *uerr;
} chunk;

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
static int col_convert(colbuf *cb, cv_type t)
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
        if (c->base) { /* a view into the table's column (main_pass): it now owns nd */
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
            if (!r->ndec[j] || styled_number(s, len, r->ndec[j], THOU(r, j), &v) != K_INT)
                return bad_value(ck, j, s, len);
            ((int64_t *)c->data)[c->n] = v.i;
        }
        break;
    case CV_FLOAT64: {
        val v;
        unsigned k = styled_number(s, len, r->ndec[j], THOU(r, j), &v);
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
    unsigned k = classify(s, len, r->order, r->ndec[j], THOU(r, j), &v);
    unsigned m = cb->mask | k;
    cv_type t = mask_type(m, r->d8date[j]);
    if (t != c->type || cb->empty) {
        int rc = col_convert(cb, t);
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

static void fail_nomem(chunk *ck)
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

static void on_field(void *s, size_t len, void *data)
{
    chunk *ck = data;
    if (ck->stop)
        return;
    int j = ck->field++;
    if (ck->in_header)
        return;
    if (ck->r->skip_bad) {
        if (j < ck->ncols && row_buffer_add(ck, s, len))
            fail_nomem(ck);
        return;
    }
    if (j < ck->ncols && store(ck, j, s, len))
        fail_nomem(ck);
}

static int emit_batch(chunk *ck);

static void on_row(int c, void *data)
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
                fail_nomem(ck);
        ck->rbn = 0;
        ck->rblen = 0;
        if (ck->stop)
            return;
    }
    ck->rows++;
    ck->rec++;
    if (ck->r->batch_rows > 0 && ++ck->batch_n == ck->r->batch_rows)
        emit_batch(ck);
}

/* ---- The typed fast path ------------------------------------------------------------- */

enum { TYPED_MAX = 64 }; /* the most columns the typed fast path takes (typed_rows) */

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
   double, as cv_parse_float: one exact division for a mantissa up to 2^53, else an
   integer division, cv_decimal_div), a date
   YYYY-MM-DD of the years 1901..2099, or a string without blanks at either end; none of
   them a missing-value text (its first byte not one a missing-value text starts with); or
   an empty field (missing).
   Each value lands exactly where, and as, store() would put it. A row with anything else (a
   blank, an empty field, a value of another form, a ragged row, a blank line, a full
   column) is left for the general path, which overwrites what was written of it. Returns
   where it stopped (a row start, or end). */
static const char *typed_rows(chunk *ck, const unsigned char *cls, char d, const char *p,
                              const char *end)
{
    const rcfg *r = ck->r;
    const int nc = ck->ncols;
    cv_column *col[TYPED_MAX];
    void *data[TYPED_MAX];
    unsigned char kind[TYPED_MAX];
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
                if (end - q < 11 ||
                    cv_quick_iso_date((const unsigned char *)q, &((int32_t *)data[j])[n]) != 0)
                    goto done; /* other years, and errors: the general path */
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
        fail_nomem(ck);
        return end;
    }
    if (r->batch_rows > 0 && ck->batch_n == r->batch_rows && n > n0) {
        emit_batch(ck); /* new columns */
        if (ck->stop)
            return end;
        goto again;
    }
    return p;
}

/* ---- The sample pass ----------------------------------------------------------------- */

typedef struct sample {
    const rcfg *r;
    int64_t rec, limit;
    int field;
    int stop;
    /* row 0 */
    char **row0;
    size_t *row0len;
    unsigned *k0;
    int n0, cap0;
    /* later rows: classes per column read plain (or in the given style) [0, ncols), with
       a decimal point [ncols, 2 ncols) and with a decimal comma [2 ncols, 3 ncols) */
    int ncols;
    unsigned *mask, *cur;
    unsigned char *repeat;
    unsigned *ev;     /* num_evidence per column */
    int64_t *amb_rec; /* the first value that reads two ways: its record */
    char (*amb_text)[48];
    int nomem;
} sample;

static void s_field(void *sv, size_t len, void *data)
{
    sample *S = data;
    const char *s = sv;
    if (S->stop)
        return;
    int j = S->field++;
    val v;
    if (S->rec == 0) {
        if (S->n0 == S->cap0) {
            int cap = S->cap0 ? S->cap0 * 2 : 16;
            char **r0 = cv_realloc(S->row0, (size_t)cap * sizeof *r0);
            if (r0)
                S->row0 = r0;
            size_t *l0 = cv_realloc(S->row0len, (size_t)cap * sizeof *l0);
            if (l0)
                S->row0len = l0;
            unsigned *k0 = cv_realloc(S->k0, (size_t)cap * sizeof *k0);
            if (k0)
                S->k0 = k0;
            if (!r0 || !l0 || !k0) {
                S->nomem = S->stop = 1;
                return;
            }
            S->cap0 = cap;
        }
        char *copy = cv_malloc(len + 1);
        if (!copy) {
            S->nomem = S->stop = 1;
            return;
        }
        memcpy(copy, s, len);
        copy[len] = '\0';
        S->row0[S->n0] = copy;
        S->row0len[S->n0] = len;
        S->k0[S->n0++] = is_na(S->r, s, len)
                             ? 0
                             : classify(s, len, S->r->order, S->r->fdec,
                                        S->r->fdec == ',' ? S->r->thouB : S->r->thouA, &v);
        return;
    }
    if (j >= S->ncols || is_na(S->r, s, len))
        return;
    const rcfg *r = S->r;
    S->cur[j] |= classify(s, len, r->order, r->fdec, r->fdec == ',' ? r->thouB : r->thouA, &v);
    if (!r->fdec) {
        unsigned e = num_evidence(s, len, r->thouA, r->thouB);
        S->cur[S->ncols + j] |= classify(s, len, r->order, '.', r->thouA, &v);
        S->cur[2 * S->ncols + j] |= classify(s, len, r->order, ',', r->thouB, &v);
        if ((e & (E_AMB | E_DOT3)) && !(S->ev[j] & (E_AMB | E_DOT3))) {
            S->amb_rec[j] = S->rec;
            size_t n = len < 44 ? len : 44;
            memcpy(S->amb_text[j], s, n);
            S->amb_text[j][n] = '\0';
        }
        S->ev[j] |= e;
    }
    if (len == S->row0len[j] && memcmp(s, S->row0[j], len) == 0)
        S->repeat[j] = 1;
}

static void s_row(int c, void *data)
{
    sample *S = data;
    (void)c;
    if (S->stop)
        return;
    if (S->rec == 0) {
        S->ncols = S->n0;
        S->mask = cv_calloc(3 * (size_t)S->ncols + 1, sizeof *S->mask);
        S->cur = cv_calloc(3 * (size_t)S->ncols + 1, sizeof *S->cur);
        S->repeat = cv_calloc((size_t)S->ncols + 1, 1);
        S->ev = cv_calloc((size_t)S->ncols + 1, sizeof *S->ev);
        S->amb_rec = cv_calloc((size_t)S->ncols + 1, sizeof *S->amb_rec);
        S->amb_text = cv_calloc((size_t)S->ncols + 1, sizeof *S->amb_text);
        if (!S->mask || !S->cur || !S->repeat || !S->ev || !S->amb_rec || !S->amb_text)
            S->nomem = S->stop = 1;
    } else {
        for (int j = 0; j < 3 * S->ncols; j++) {
            S->mask[j] |= S->cur[j];
            S->cur[j] = 0;
        }
    }
    S->field = 0;
    S->rec++;
    if (S->limit > 0 && S->rec >= S->limit)
        S->stop = 1;
}

static void sample_free(sample *S)
{
    for (int j = 0; j < S->n0; j++)
        cv_free(S->row0[j]);
    cv_free(S->row0);
    cv_free(S->row0len);
    cv_free(S->k0);
    cv_free(S->mask);
    cv_free(S->cur);
    cv_free(S->repeat);
    cv_free(S->ev);
    cv_free(S->amb_rec);
    cv_free(S->amb_text);
}

/* Picks the delimiter from the first lines of text: each of , ; tab | counted per line
   outside quotes; the one with the same non-zero count on every line wins (the largest
   count, then the first in that order); else the one on most lines; else runs of blanks
   when the first line has blank-separated words; else ','. */
static char detect_delim(const char *p, size_t n, int more)
{
    static const char cands[4] = {',', ';', '\t', '|'};
    enum { MAXL = 30 };
    int cnt[MAXL][4];
    int words0 = 0;
    int nl = 0, inq = 0, cur[4] = {0, 0, 0, 0}, any = 0, inword = 0;
    size_t i = 0;
    for (; i < n && nl < MAXL; i++) {
        char c = p[i];
        if (c == '"') {
            inq = !inq;
            any = 1;
        } else if (!inq && (c == '\n' || c == '\r')) {
            if (any) {
                memcpy(cnt[nl], cur, sizeof cur);
                nl++;
            }
            memset(cur, 0, sizeof cur);
            any = 0;
            inword = 0;
        } else {
            if (!inq)
                for (int k = 0; k < 4; k++)
                    cur[k] += c == cands[k];
            if (c != ' ' && c != '\t') {
                any = 1;
                if (!inword && nl == 0)
                    words0++;
                inword = 1;
            } else {
                inword = 0;
            }
        }
    }
    if (any && nl < MAXL && !more && !inq) { /* the last line, complete */
        memcpy(cnt[nl], cur, sizeof cur);
        nl++;
    }
    if (nl == 0)
        return ',';
    int best = -1;
    for (int k = 0; k < 4; k++) {
        int ok = cnt[0][k] > 0;
        for (int l = 1; l < nl && ok; l++)
            ok = cnt[l][k] == cnt[0][k];
        if (ok && (best < 0 || cnt[0][k] > cnt[0][best]))
            best = k;
    }
    if (best >= 0)
        return cands[best];
    int lines[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++)
        for (int l = 0; l < nl; l++)
            lines[k] += cnt[l][k] > 0;
    for (int k = 0; k < 4; k++)
        if (lines[k] * 2 >= nl && lines[k] > 0 && (best < 0 || lines[k] > lines[best]))
            best = k;
    if (best >= 0)
        return cands[best];
    return words0 > 1 ? CV_DELIM_WHITESPACE : ',';
}

/* ---- Chunks -------------------------------------------------------------------------- */

static void chunk_free(chunk *ck)
{
    if (ck->cols)
        for (int j = 0; j < ck->ncols; j++)
            cv_column_unref(ck->cols[j].col);
    cv_free(ck->cols);
    cv_free(ck->restart);
    cv_free(ck->rb);
    cv_free(ck->roff);
    ck->cols = NULL;
    ck->restart = NULL;
    ck->rb = NULL;
    ck->roff = NULL;
}

/* Fresh columns for a chunk, reserved for the rows expected in `bytes` of text. */
static int chunk_columns(chunk *ck, uint64_t bytes, cv_strdict **dicts)
{
    rcfg *r = ck->r;
    ck->ncols = r->ncols;
    ck->cols = cv_calloc((size_t)r->ncols, sizeof *ck->cols);
    if (!ck->restart)
        ck->restart = cv_calloc((size_t)r->ncols + 1, 1);
    if (!ck->cols || !ck->restart)
        return -1;
    int64_t cap =
        r->batch_rows > 0 ? r->batch_rows : (int64_t)((double)bytes / r->bytes_per_rec * 1.02) + 64;
    for (int j = 0; j < r->ncols; j++) {
        colbuf *cb = &ck->cols[j];
        cb->mask = r->fixed[j] ? 0 : r->mask0[j];
        cb->empty = 1;
        cb->col = r->types[j] == CV_STRING && dicts ? cv_column_new_dict(r->names[j], cap, dicts[j])
                                                    : cv_column_new(r->names[j], r->types[j], cap);
        if (!cb->col)
            return -1;
    }
    return 0;
}

static int emit_batch(chunk *ck)
{
    rcfg *r = ck->r;
    cv_table *t = cv_table_new();
    cv_strdict **dicts = cv_calloc((size_t)ck->ncols + 1, sizeof *dicts);
    int rc = 0;
    if (!t || !dicts) {
        rc = -1;
    } else {
        for (int j = 0; j < ck->ncols && rc == 0; j++) {
            if (cv_table_add_unique(t, ck->cols[j].col, NULL) != 0)
                rc = -1;
            dicts[j] = ck->cols[j].col->dict;
        }
    }
    if (rc == 0) {
        int64_t bn = ck->batch_n;
        ck->batch_n = 0;
        if (bn > 0 || ck->rows == 0) {
            int urc = r->fn(r->ud, t, ck->uerr);
            if (urc != 0) {
                ck->user_rc = urc;
                ck->stop = P_USER;
                ck->err.kind = P_USER;
            }
        }
        /* new columns for the next batch; string columns keep their dictionary, so codes
           are stable across batches */
        for (int j = 0; j < ck->ncols; j++)
            cv_strdict_ref(dicts[j]);
        for (int j = 0; j < ck->ncols; j++)
            cv_column_unref(ck->cols[j].col);
        cv_free(ck->cols);
        ck->cols = NULL;
        if (chunk_columns(ck, 0, dicts) != 0)
            rc = -1;
        for (int j = 0; j < ck->ncols; j++)
            cv_strdict_unref(dicts[j]);
    }
    cv_free(dicts);
    cv_table_free(t);
    if (rc)
        fail_nomem(ck);
    return rc;
}

/* Parses the chunk's text range into its columns. Problems go to ck->stop/err. */
static void chunk_run(chunk *ck)
{
    rcfg *r = ck->r;
    cv_src src;
    tok t;
    ck->in_header = ck->first && r->header;
    if (cv_src_open(&src, r->fd, r->mem, ck->begin, ck->end, r->enc) != 0) {
        fail_nomem(ck);
        return;
    }
    if (tok_init(&t, r->delim, r->lenient, on_field, on_row, ck) != 0) {
        cv_src_close(&src);
        fail_nomem(ck);
        return;
    }
    const char *p;
    size_t n;
    uint64_t reached = ck->begin, prev = ck->begin;
    int rc;
    while (!ck->stop && (rc = cv_src_next(&src, &p, &n, &reached)) == 1) {
        if (cv_cancelled()) { /* looked at once a block */
            ck->stop = P_CANCEL;
            ck->err.kind = P_CANCEL;
            break;
        }
        if (ck->pool &&
            ck->index > atomic_load_explicit(&ck->pool->first_stop, memory_order_relaxed)) {
            ck->stop = P_ABORT;
            break;
        }
        int fr = tok_feed(&t, p, n);
        if (fr == -2 && !ck->stop) {
            ck->stop = P_STRAY;
            ck->err.kind = P_STRAY;
            ck->err.rec = ck->rec;
            ck->err.field = ck->field;
            ck->err.found = t.qerr;
            memcpy(ck->err.text, t.qtext, sizeof t.qtext);
        } else if (fr != 0) {
            fail_nomem(ck);
        }
        atomic_fetch_add_explicit(&r->done, reached - prev, memory_order_relaxed);
        prev = reached;
        if (ck->main_thread)
            cv_progress_tick(&r->prog, atomic_load_explicit(&r->done, memory_order_relaxed));
    }
    if (!ck->stop && src.status) {
        ck->stop = src.status > 0 ? P_TEXT : P_IO;
        ck->err.kind = ck->stop;
        ck->err.raw = src.status > 0 ? src.bad : (uint64_t)src.err_no;
    }
    if (!ck->stop) {
        if (ck->last) {
            int open_quote;
            if (tok_fini(&t, &open_quote) != 0) {
                fail_nomem(ck);
            } else if (open_quote) {
                ck->stop = P_QUOTE;
                ck->err.kind = P_QUOTE;
                ck->err.rec = ck->rec;
            }
            ck->clean_end = 1;
        } else {
            ck->clean_end = tok_clean(&t);
        }
    }
    ck->nlenient = t.nlenient;
    tok_free(&t);
    cv_src_close(&src);
    if (!ck->stop && r->batch_rows > 0 && (ck->batch_n > 0 || ck->rows == 0))
        emit_batch(ck);
}

/* Chunks parsed by a few threads: each thread takes the next chunk until none is left,
   so a thread slowed by other work on the machine does not hold the others up. A chunk
   that stops (an error, a column to read again, a quoted field across its end) makes the
   chunks after it pointless: they are skipped or cut short. */
/* The '\n' bytes in p[0, n): eight bytes at a time, each byte's "is zero" bit found
   exactly (no carry crosses bytes) and summed in byte lanes. */
static int64_t count_nl(const char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, low7 = 0x7f7f7f7f7f7f7f7fu, nl = ones * '\n';
    const uint64_t m16 = 0x00ff00ff00ff00ffu;
    int64_t total = 0;
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t acc = 0;
        for (int k = 0; k < 255 && i + 8 <= n; k++, i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            uint64_t x = w ^ nl;
            acc += (~(((x & low7) + low7) | x | low7)) >> 7;
        }
        acc = (acc & m16) + ((acc >> 8) & m16); /* four 16-bit lanes */
        total += (int64_t)((acc * 0x0001000100010001u) >> 48);
    }
    for (; i < n; i++)
        total += p[i] == '\n';
    return total;
}

/* The line ends in raw bytes [begin, end) of the input; -1 on a read error or out of
   memory (only a plan depends on it: main_pass). */
static int64_t count_lines(const rcfg *r, uint64_t begin, uint64_t end)
{
    if (r->fd < 0)
        return count_nl(r->mem + begin, (size_t)(end - begin));
    char *buf = cv_malloc(CV_CSV_BLOCK);
    int64_t total = 0;
    if (!buf)
        return -1;
    while (begin < end) {
        size_t want = end - begin > CV_CSV_BLOCK ? CV_CSV_BLOCK : (size_t)(end - begin);
        ssize_t got = pread(r->fd, buf, want, (off_t)begin);
        if (got <= 0) {
            total = -1;
            break;
        }
        total += count_nl(buf, (size_t)got);
        begin += (uint64_t)got;
    }
    cv_free(buf);
    return total;
}

static void pool_work(pool *P, int is_main)
{
    for (;;) {
        int i = atomic_fetch_add(&P->next, 1);
        if (i >= P->nc)
            break;
        chunk *ck = &P->ck[i];
        if (P->count) {
            ck->lines = count_lines(ck->r, ck->begin, ck->end);
            continue;
        }
        if (i > atomic_load(&P->first_stop)) {
            ck->stop = P_ABORT;
            continue;
        }
        ck->main_thread = is_main;
        chunk_run(ck);
        if (ck->stop || !ck->clean_end) {
            int cur = atomic_load(&P->first_stop);
            while (i < cur && !atomic_compare_exchange_weak(&P->first_stop, &cur, i))
                ;
        }
    }
}

static void *pool_thread(void *arg)
{
    pool_work(arg, 0);
    return NULL;
}

/* Works through the pool's chunks with nw threads (this one included). */
static void pool_run(pool *P, int nw)
{
    pthread_t th[8];
    int started[8] = {0};
    if (nw > 8)
        nw = 8;
    atomic_store(&P->next, 0);
    for (int i = 1; i < nw; i++)
        started[i] = pthread_create(&th[i], NULL, pool_thread, P) == 0;
    pool_work(P, 1);
    for (int i = 1; i < nw; i++)
        if (started[i])
            pthread_join(th[i], NULL);
}

/* The table's columns written in place: a fixed-width column (not text) of the whole table
   is allocated once, from the rows that each chunk's line ends promise (the header and a
   last line without a line end counted), and each chunk's column is a view (cv_column.base)
   of its part of it, so the chunks need not be copied together at the end. Where a chunk
   turns out to have more rows (a quoted line end), a missing value or another type, its
   view takes its own copy (cv_column_reserve, cv_column_set_missing, col_convert) and that
   column is put together by copying after all (col_append), as without a plan. base[j]
   gets the whole column, or stays NULL; off[i] is chunk i's first row. 0 or -1 (memory). */
static int plan_columns(rcfg *r, pool *P, int nw, cv_column **base, int64_t *off)
{
    chunk *ck = P->ck;
    int nc = P->nc;
    P->count = 1;
    pool_run(P, nw);
    P->count = 0;
    int64_t total = 0;
    for (int i = 0; i < nc; i++) {
        int64_t rows = ck[i].lines;
        if (rows < 0)
            return 0; /* no plan: the parse finds and reports the read error */
        if (i == 0 && r->header && rows > 0)
            rows--;
        if (i == nc - 1 && ck[i].end > ck[i].begin) { /* a last line without its line end */
            char last = 0;
            if (r->fd >= 0) {
                if (pread(r->fd, &last, 1, (off_t)(ck[i].end - 1)) != 1)
                    return 0;
            } else {
                last = r->mem[ck[i].end - 1];
            }
            rows += last != '\n';
        }
        off[i] = total;
        ck[i].lines = rows;
        total += rows;
    }
    for (int j = 0; j < r->ncols; j++) {
        if (r->types[j] == CV_STRING)
            continue;
        size_t w = cv_type_size(r->types[j]);
        if (!(base[j] = cv_column_new(r->names[j], r->types[j], total + 1)))
            return -1;
        for (int i = 0; i < nc; i++) {
            cv_column *v = cv_column_new(r->names[j], r->types[j], 0);
            if (!v)
                return -1;
            v->data = (char *)base[j]->data + (size_t)off[i] * w;
            v->cap = ck[i].lines;
            v->base = cv_column_ref(base[j]);
            cv_column_unref(ck[i].cols[j].col);
            ck[i].cols[j].col = v;
        }
    }
    return 0;
}

/* base (plan_columns) when every chunk's column is still its view, with as many rows as
   planned and the same type: the whole column, written in place. NULL otherwise. */
static cv_column *planned_column(cv_column *base, const chunk *ck, int nc, int j,
                                 const int64_t *off)
{
    if (!base)
        return NULL;
    cv_type t = ck[0].cols[j].col->type;
    size_t w = cv_type_size(base->type);
    int64_t total = 0;
    for (int i = 0; i < nc; i++) {
        const cv_column *c = ck[i].cols[j].col;
        if (c->base != base || c->type != t || c->n != ck[i].lines || c->valid ||
            c->data != (char *)base->data + (size_t)off[i] * w)
            return NULL;
        total += c->n;
    }
    if (cv_type_size(t) != w)
        return NULL;
    base->type = t;
    base->n = total;
    return base;
}

/* Appends chunk b's column to a's (same type), remapping string codes. 0 or -1. */
static int col_append(cv_column *a, cv_column *b)
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

/* ---- Putting it together ------------------------------------------------------------- */

typedef struct reader {
    rcfg r;
    const cv_csv_options *opt;
    cv_csv_report *rep;
    int nthreads;
    char *nabuf;
} reader;

static const char *const default_na[] = {"NA", "NULL"};

static void cfg_free(rcfg *r)
{
    if (r->names)
        for (int j = 0; j < r->ncols; j++)
            cv_free(r->names[j]);
    cv_free(r->names);
    cv_free(r->types);
    cv_free(r->mask0);
    cv_free(r->fixed);
    cv_free(r->d8date);
    cv_free(r->ndec);
    cv_free(r->nalen);
    r->ndec = NULL;
    r->d8date = NULL;
    r->names = NULL;
    r->types = NULL;
    r->mask0 = NULL;
    r->fixed = NULL;
    r->nalen = NULL;
}

/* The option that would read text s in column j, as words for a message. */
static void value_hint(const rcfg *r, int j, const char *s, char *out, size_t size)
{
    size_t len = strlen(s);
    int32_t days;
    double d;
    cv_type t = r->types[j];
    snprintf(out, size, "bad_as_missing = true reads it as missing");
    if (t == CV_DATE || t == CV_DATETIME) {
        int dmy =
            r->order != CV_DATE_DMY && cv_parse_date(s, len, CV_DATE_DMY, &days, NULL, NULL) == 0;
        int mdy =
            r->order != CV_DATE_MDY && cv_parse_date(s, len, CV_DATE_MDY, &days, NULL, NULL) == 0;
        if (dmy && mdy)
            snprintf(out, size, "date_order = \"dmy\" or \"mdy\" reads it");
        else if (dmy || mdy)
            snprintf(out, size, "date_order = \"%s\" reads it", dmy ? "dmy" : "mdy");
    } else if (t == CV_INT64 || t == CV_FLOAT64) {
        if (r->ndec[j] != ',' && cv_parse_number(s, len, ',', ". '", &d, NULL, NULL) == 0)
            snprintf(out, size, "decimal_comma = true reads it");
        else if (r->ndec[j] != '.' && cv_parse_number(s, len, '.', ", '", &d, NULL, NULL) == 0)
            snprintf(out, size, "decimal_comma = false reads it");
        else if (cv_parse_number(s, len, r->ndec[j] ? r->ndec[j] : '.', " ,.'", &d, NULL, NULL) ==
                 0)
            snprintf(out, size, "the thousands option reads it");
    }
}

/* Formats a problem found in the text as "name:line:col: message" into err. */
static int report_problem(const rcfg *r, const problem *p, cv_error *err)
{
    long line = 0, col = 0;
    switch (p->kind) {
    case P_RAGGED:
        if (p->found < p->expected)
            locate_run(r, 1, p->rec, 0, &line, &col);
        else
            locate_run(r, 0, p->rec, p->expected, &line, &col);
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col, "expected %d field%s, found %d",
                           p->expected, p->expected == 1 ? "" : "s", p->found);
    case P_VALUE: {
        char hint[96];
        locate_run(r, 0, p->rec, p->field, &line, &col);
        value_hint(r, p->col, p->text, hint, sizeof hint);
        return cv_error_at(err, CV_ERR_TYPE, r->name, line, col,
                           "expected %s in column '%s', found '%s' (%s)",
                           type_phrase(r->types[p->col]), r->names[p->col], p->text, hint);
    }
    case P_AMBIG: {
        double a = 0, b = 0;
        size_t n = strlen(p->text);
        if (cv_parse_number(p->text, n, '.', r->thouA, &a, NULL, NULL) != 0)
            cv_parse_float(p->text, n, 0, &a);
        cv_parse_number(p->text, n, ',', r->thouB, &b, NULL, NULL);
        locate_run(r, 0, p->rec, p->field, &line, &col);
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                           "'%s' in column '%s' reads as %.15g or as %.15g: decimal_comma = "
                           "false reads %.15g, decimal_comma = true reads %.15g",
                           p->text, r->names[p->col], a, b, a, b);
    }
    case P_QUOTE:
        locate_run(r, 2, p->rec, 0, &line, &col);
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                           "unterminated quote: expected a closing '\"' for the field "
                           "opened here, found the end of the file");
    case P_STRAY:
        locate_run(r, 0, p->rec, p->field, &line, &col);
        if (p->found == Q_AFTER)
            return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                               "expected a delimiter after the closing quote, found '%s' "
                               "(lenient_quotes = true reads it as written)",
                               p->text);
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                           "expected no quote in an unquoted field, found '%s' (quote the "
                           "field and double its quotes, or lenient_quotes = true)",
                           p->text);
    case P_TEXT: {
        unsigned char b = 0;
        if (r->fd >= 0) {
            if (pread(r->fd, &b, 1, (off_t)p->raw) != 1)
                b = 0;
        } else {
            b = (unsigned char)r->mem[p->raw];
        }
        locate_raw(r, r->enc, p->raw, &line, &col);
        if (b == 0)
            return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                               "expected text, found a NUL byte (a binary or UTF-16 file?)");
        return cv_error_at(err, CV_ERR_PARSE, r->name, line, col,
                           "expected %s text, found the invalid byte 0x%02x",
                           r->enc == CV_ENC_GB18030 ? "GB18030" : "UTF-8", b);
    }
    case P_IO: {
        char msg[128];
        snprintf(msg, sizeof msg, "%s", strerror((int)p->raw));
        if (msg[0] >= 'A' && msg[0] <= 'Z')
            msg[0] = (char)(msg[0] - 'A' + 'a');
        return cv_error_at(err, CV_ERR_IO, r->name, 0, 0, "read failed: %s", msg);
    }
    case P_CANCEL:
        return cv_error_set(err, CV_ERR_LIMIT, "cancelled");
    default:
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", r->name);
    }
}

static void example_text(const rcfg *r, const problem *p, char *out, size_t size)
{
    cv_error e;
    report_problem(r, p, &e);
    size_t n = strlen(e.msg) < size - 1 ? strlen(e.msg) : size - 1;
    memcpy(out, e.msg, n);
    out[n] = '\0';
}

/* The column names given so far, hashed (open addressing over indexes into names), so
   that making a million names unique takes linear time; next[k] is the next suffix to
   try for a repeat of names[k]. */
typedef struct name_set {
    int *slot; /* -1: empty */
    int *next;
    size_t mask;
} name_set;

static size_t name_hash(const char *s)
{
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int name_set_init(name_set *h, int n)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)n + 2)
        cap <<= 1;
    h->slot = cv_malloc(cap * sizeof *h->slot);
    h->next = cv_calloc((size_t)n + 1, sizeof *h->next);
    h->mask = cap - 1;
    if (!h->slot || !h->next)
        return -1;
    memset(h->slot, 0xff, cap * sizeof *h->slot);
    return 0;
}

/* The index of name among names (as added), or -1. */
static int name_set_find(const name_set *h, char *const *names, const char *name)
{
    for (size_t i = name_hash(name) & h->mask; h->slot[i] >= 0; i = (i + 1) & h->mask)
        if (strcmp(names[h->slot[i]], name) == 0)
            return h->slot[i];
    return -1;
}

static void name_set_add(name_set *h, char *const *names, int j)
{
    size_t i = name_hash(names[j]) & h->mask;
    while (h->slot[i] >= 0)
        i = (i + 1) & h->mask;
    h->slot[i] = j;
    h->next[j] = 2;
}

/* The sample pass: delimiter, header, names, starting types. 0 or an error code. */
static int sample_pass(reader *R, int64_t limit_rows, cv_error *err)
{
    rcfg *r = &R->r;
    const cv_csv_options *opt = R->opt;
    sample S;
    memset(&S, 0, sizeof S);
    S.r = r;
    S.limit = limit_rows > 0 ? limit_rows + 1 : 0;
    cv_src src;
    if (cv_src_open(&src, r->fd, r->mem, r->begin, r->end, r->enc) != 0)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    tok t;
    int have_tok = 0, rc = 0;
    const char *p;
    size_t n;
    uint64_t reached = r->begin, budget = 1u << 20;
    int nr;
    while ((nr = cv_src_next(&src, &p, &n, &reached)) == 1) {
        if (!have_tok) {
            if (!r->delim)
                r->delim = detect_delim(p, n < 65536 ? n : 65536, reached < r->end);
            if (tok_init(&t, r->delim, r->lenient, s_field, s_row, &S) != 0) {
                rc = -1;
                break;
            }
            have_tok = 1;
        }
        int fr = tok_feed(&t, p, n);
        if (fr == -2) { /* a stray quote in the sample: reported here, where it is */
            problem pr;
            memset(&pr, 0, sizeof pr);
            pr.kind = P_STRAY;
            pr.rec = S.rec;
            pr.field = S.field;
            pr.found = t.qerr;
            memcpy(pr.text, t.qtext, sizeof t.qtext);
            cv_src_close(&src);
            tok_free(&t);
            sample_free(&S);
            return report_problem(r, &pr, err);
        }
        if (fr != 0) {
            rc = -1;
            break;
        }
        if (S.stop || (S.limit == 0 && reached - r->begin >= budget && S.rec > 1))
            break;
    }
    if (rc == 0 && nr < 0) {
        problem pr;
        memset(&pr, 0, sizeof pr);
        pr.kind = src.status > 0 ? P_TEXT : P_IO;
        pr.raw = src.status > 0 ? src.bad : (uint64_t)src.err_no;
        cv_src_close(&src);
        if (have_tok)
            tok_free(&t);
        sample_free(&S);
        if (pr.kind == P_TEXT && opt->encoding == CV_ENC_AUTO && r->enc == CV_ENC_UTF8)
            return -2; /* try GB18030 */
        return report_problem(r, &pr, err);
    }
    if (rc == 0 && have_tok && nr == 0 && !S.stop) {
        int oq;
        if (tok_fini(&t, &oq) != 0)
            rc = -1;
    }
    cv_src_close(&src);
    if (have_tok)
        tok_free(&t);
    if (rc || S.nomem) {
        sample_free(&S);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    if (S.rec == 0 && S.n0 == 0) {
        sample_free(&S);
        return cv_error_at(err, CV_ERR_PARSE, r->name, 0, 0,
                           "expected a header or data rows, found an empty file");
    }
    if (S.rec == 0) { /* one row and an open quote: let the main pass report it */
        s_row(-1, &S);
        if (S.nomem) {
            sample_free(&S);
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        }
    }
    r->ncols = S.ncols;
    if (S.ncols > CV_CSV_MAX_COLUMNS) { /* before a table of them is built */
        sample_free(&S);
        return cv_error_at(err, CV_ERR_PARSE, r->name, 0, 0,
                           "expected at most %d columns, found %d", CV_CSV_MAX_COLUMNS, S.ncols);
    }
    int64_t data_recs = S.rec;
    /* header */
    int header = opt->header;
    if (header < 0) {
        int all_text = 1, typed = 0, repeats = 0;
        for (int j = 0; j < S.ncols; j++) {
            all_text &= S.k0[j] == K_STR;
            typed |= mask_type(S.mask[j], 1) != CV_STRING;
            repeats |= S.repeat[j];
        }
        header = all_text && (S.rec <= 1 || typed || !repeats);
    }
    r->header = header != 0;
    if (r->header)
        data_recs--;
    r->bytes_per_rec = data_recs > 0 ? (double)(reached - r->begin) / (double)S.rec : 64.0;
    if (r->bytes_per_rec < 2)
        r->bytes_per_rec = 2;
    r->names = cv_calloc((size_t)r->ncols + 1, sizeof *r->names);
    r->types = cv_calloc((size_t)r->ncols + 1, sizeof *r->types);
    r->mask0 = cv_calloc((size_t)r->ncols + 1, sizeof *r->mask0);
    r->fixed = cv_calloc((size_t)r->ncols + 1, 1);
    r->d8date = cv_calloc((size_t)r->ncols + 1, 1);
    r->ndec = cv_calloc((size_t)r->ncols + 1, 1);
    problem amb;
    memset(&amb, 0, sizeof amb);
    if (!r->names || !r->types || !r->mask0 || !r->fixed || !r->d8date || !r->ndec) {
        sample_free(&S);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    name_set taken;
    if (name_set_init(&taken, r->ncols) != 0) {
        cv_free(taken.slot);
        cv_free(taken.next);
        sample_free(&S);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    for (int j = 0; j < r->ncols; j++) {
        char buf[32];
        const char *nm = NULL;
        if (opt->names && j < opt->nnames)
            nm = opt->names[j];
        else if (r->header && S.row0len[j] > 0)
            nm = S.row0[j];
        if (!nm) {
            snprintf(buf, sizeof buf, "V%d", j + 1);
            nm = buf;
        }
        /* unique names: a repeated one gets _2, _3, ... */
        char *name = cv_strdup(nm);
        int first = name ? name_set_find(&taken, r->names, name) : -1;
        for (int k = first >= 0 ? taken.next[first] : 2;
             name && name_set_find(&taken, r->names, name) >= 0; k++) {
            size_t len = strlen(nm) + 16;
            cv_free(name);
            name = cv_malloc(len);
            if (name)
                snprintf(name, len, "%s_%d", nm, k);
            if (first >= 0)
                taken.next[first] = k + 1;
        }
        if (!name) {
            cv_free(taken.slot);
            cv_free(taken.next);
            sample_free(&S);
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        }
        r->names[j] = name;
        name_set_add(&taken, r->names, j);
        r->d8date[j] = (unsigned char)name_says_date(name);
        r->types[j] = CV_STRING; /* set below */
    }
    /* each column's way of writing numbers: given, or what its values say; where a column
       reads with a decimal comma, "1.000" in another column is no longer 1 for sure */
    int file_b = r->fdec == ',';
    for (int j = 0; j < r->ncols && !r->fdec; j++) {
        unsigned ev = S.ev[j];
        if (!r->header && S.row0len[j] > 0 && !is_na(r, S.row0[j], S.row0len[j])) {
            unsigned e0 = num_evidence(S.row0[j], S.row0len[j], r->thouA, r->thouB);
            if ((e0 & (E_AMB | E_DOT3)) && !(ev & (E_AMB | E_DOT3))) {
                S.amb_rec[j] = 0;
                snprintf(S.amb_text[j], sizeof S.amb_text[j], "%.44s", S.row0[j]);
            }
            ev |= e0;
        }
        S.ev[j] = ev;
        int slot = 0;
        if (ev & E_TEXT || ((ev & E_A) && (ev & E_B)))
            slot = 0;
        else if (ev & E_B)
            slot = 2;
        else if (ev & (E_A | E_S))
            slot = 1;
        r->ndec[j] = slot == 2 ? ',' : slot == 1 ? '.' : 0;
        file_b |= slot == 2;
    }
    for (int j = 0; j < r->ncols && !r->fdec; j++) {
        unsigned ev = S.ev[j];
        int undecided = !r->ndec[j] && !(ev & E_TEXT) && !((ev & E_A) && (ev & E_B));
        if (undecided && ((ev & E_AMB) || (file_b && (ev & E_DOT3))) && !amb.kind) {
            amb.kind = P_AMBIG;
            amb.rec = S.amb_rec[j];
            amb.field = amb.col = j;
            memcpy(amb.text, S.amb_text[j], sizeof S.amb_text[j]);
        }
    }
    for (int j = 0; j < r->ncols; j++) {
        if (r->fdec)
            r->ndec[j] = r->fdec;
        int slot = r->fdec ? 0 : r->ndec[j] == ',' ? 2 : r->ndec[j] == '.' ? 1 : 0;
        unsigned k0 = S.k0[j];
        if (!r->header && slot) {
            val v;
            k0 = is_na(r, S.row0[j], S.row0len[j])
                     ? 0
                     : classify(S.row0[j], S.row0len[j], r->order, r->ndec[j], THOU(r, j), &v);
        }
        r->mask0[j] = S.mask[slot * S.ncols + j] | (r->header ? 0 : k0);
        r->types[j] = mask_type(r->mask0[j], r->d8date[j]);
    }
    cv_free(taken.slot);
    cv_free(taken.next);
    sample_free(&S);
    if (amb.kind)
        return report_problem(r, &amb, err);
    if (opt->names && opt->nnames != r->ncols)
        return cv_error_at(err, CV_ERR_USAGE, r->name, 0, 0, "expected %d column names, found %d",
                           r->ncols, opt->nnames);
    for (int k = 0; k < opt->ntypes; k++) {
        const char *nm = opt->types[k].name;
        int j = -1;
        for (int q = 0; q < r->ncols && nm; q++)
            if (strcmp(r->names[q], nm) == 0)
                j = q;
        if (j < 0 && nm) {
            char *end;
            long pos = strtol(nm, &end, 10);
            if (*nm && *end == '\0' && pos >= 1 && pos <= r->ncols)
                j = (int)pos - 1;
        }
        if (j < 0)
            return cv_error_at(err, CV_ERR_USAGE, r->name, 0, 0,
                               "no column '%s' to give a type to (the file has %d column%s)",
                               nm ? nm : "(null)", r->ncols, r->ncols == 1 ? "" : "s");
        r->types[j] = opt->types[k].type;
        r->fixed[j] = 1;
    }
    if (r->batch_rows > 0)
        memset(r->fixed, 1, (size_t)r->ncols);
    return 0;
}

/* Splits [begin, end) into up to k chunks at line ends (after a '\n'). */
static int split_points(const rcfg *r, int k, uint64_t *cut)
{
    int n = 1;
    cut[0] = r->begin;
    char buf[4096];
    for (int i = 1; i < k; i++) {
        uint64_t at = r->begin + (r->end - r->begin) * (uint64_t)i / (uint64_t)k;
        if (at <= cut[n - 1])
            continue;
        int found = 0;
        while (at < r->end && !found) {
            size_t want = r->end - at > sizeof buf ? sizeof buf : (size_t)(r->end - at);
            const char *p;
            if (r->fd >= 0) {
                ssize_t got = pread(r->fd, buf, want, (off_t)at);
                if (got <= 0)
                    break;
                want = (size_t)got;
                p = buf;
            } else {
                p = r->mem + at;
            }
            const char *nl = memchr(p, '\n', want);
            if (nl) {
                at += (uint64_t)(nl - p) + 1;
                found = 1;
            } else {
                at += want;
            }
        }
        if (found && at < r->end)
            cut[n++] = at;
    }
    cut[n] = r->end;
    return n;
}

/* The main pass with nth chunks. Returns 0 with *out set, an error code with err set,
   1 to go again (a column pinned to text, or threads off), -2 to try GB18030. */
static int main_pass(reader *R, int nth, cv_table **out, cv_error *err)
{
    rcfg *r = &R->r;
    enum { MAXCHUNK = 16 };
    uint64_t cut[MAXCHUNK + 1];
    if (nth > 8)
        nth = 8;
    /* a few chunks per thread, so that threads can even out */
    int nc = nth > 1 ? split_points(r, nth * 4 < MAXCHUNK ? nth * 4 : MAXCHUNK, cut) : 1;
    if (nc == 1) {
        cut[0] = r->begin;
        cut[1] = r->end;
    }
    chunk ck[MAXCHUNK];
    int64_t off[MAXCHUNK];
    memset(ck, 0, sizeof ck);
    atomic_store(&r->done, 0);
    pool P;
    memset(&P, 0, sizeof P);
    P.ck = ck;
    P.nc = nc;
    atomic_init(&P.next, 0);
    atomic_init(&P.first_stop, nc);
    int rc = 0;
    for (int i = 0; i < nc; i++) {
        ck[i].r = r;
        ck[i].begin = cut[i];
        ck[i].end = cut[i + 1];
        ck[i].first = i == 0;
        ck[i].last = i == nc - 1;
        ck[i].index = i;
        ck[i].pool = nc > 1 ? &P : NULL;
        if (chunk_columns(&ck[i], cut[i + 1] - cut[i], NULL) != 0)
            rc = -1;
    }
    int nw = nth < nc ? nth : nc;
    cv_column **base = cv_calloc((size_t)r->ncols + 1, sizeof *base);
    if (!base)
        rc = -1;
    else if (rc == 0 && nc > 1 && r->batch_rows <= 0 && !r->skip_bad && r->ncols > 0)
        rc = plan_columns(r, &P, nw, base, off);
    if (rc == 0)
        pool_run(&P, nw);
    int result = 0;
    int64_t rec0 = 0;
    if (rc != 0) {
        result = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    } else {
        for (int i = 0; i < nc; i++) {
            ck[i].rec0 = rec0;
            if (ck[i].stop) {
                problem p = ck[i].err;
                p.rec += rec0;
                if (ck[i].stop == P_RESTART) {
                    for (int j = 0; j < r->ncols; j++)
                        if (ck[i].restart[j]) {
                            r->fixed[j] = 1;
                            r->types[j] = CV_STRING;
                        }
                    result = 1;
                } else if (ck[i].stop == P_TEXT && R->opt->encoding == CV_ENC_AUTO &&
                           r->enc == CV_ENC_UTF8) {
                    result = -2;
                } else if (ck[i].stop == P_USER) {
                    result = ck[i].user_rc;
                } else {
                    result = report_problem(r, &p, err);
                }
                break;
            }
            if (!ck[i].clean_end) { /* a quoted field crosses the split */
                R->nthreads = 1;
                result = 1;
                break;
            }
            rec0 += ck[i].rec;
        }
    }
    /* common types: widen each chunk's column to the type of all the classes seen */
    for (int j = 0; result == 0 && j < r->ncols && nc > 1; j++) {
        if (r->fixed[j])
            continue;
        unsigned m = 0;
        int all_empty = 1;
        for (int i = 0; i < nc; i++) {
            m |= ck[i].cols[j].mask;
            all_empty &= ck[i].cols[j].empty;
        }
        cv_type t = all_empty ? ck[0].cols[j].col->type : mask_type(m, r->d8date[j]);
        for (int i = 0; i < nc && result == 0; i++) {
            int cr = col_convert(&ck[i].cols[j], t);
            if (cr < 0) {
                result = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            } else if (cr > 0) {
                r->fixed[j] = 1;
                r->types[j] = CV_STRING;
                result = 1;
            }
        }
    }
    if (result == 0) {
        int64_t total = 0;
        for (int i = 0; i < nc; i++)
            total += ck[i].rows;
        cv_table *t = r->batch_rows > 0 ? NULL : cv_table_new();
        if (!t && r->batch_rows <= 0)
            result = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        for (int j = 0; t && result == 0 && j < r->ncols; j++) {
            cv_column *c = planned_column(base ? base[j] : NULL, ck, nc, j, off);
            if (c) {
                result = cv_table_add_unique(t, c, err);
                continue;
            }
            c = ck[0].cols[j].col;
            for (int i = 1; i < nc && result == 0; i++) {
                if (col_append(c, ck[i].cols[j].col) != 0)
                    result = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
                cv_column_unref(ck[i].cols[j].col);
                ck[i].cols[j].col = NULL;
            }
            if (result == 0)
                result = cv_table_add_unique(t, c, err);
        }
        if (t && result == 0 && r->ncols == 0)
            t->nrows = total;
        if (R->rep) {
            cv_csv_report *rep = R->rep;
            rep->rows = total;
            rep->skipped_rows = 0;
            rep->bad_values = 0;
            rep->lenient_quotes = 0;
            rep->nexamples = 0;
            for (int i = 0; i < nc; i++) {
                rep->skipped_rows += ck[i].skipped;
                rep->bad_values += ck[i].badvals;
                rep->lenient_quotes += ck[i].nlenient;
                for (int e = 0; e < ck[i].nex && rep->nexamples < 3; e++) {
                    problem p = ck[i].ex[e];
                    p.rec += ck[i].rec0;
                    example_text(r, &p, rep->examples[rep->nexamples++], sizeof rep->examples[0]);
                }
            }
            rep->delim = r->delim;
            rep->header = r->header;
            rep->encoding = r->enc;
        }
        if (result == 0)
            *out = t;
        else
            cv_table_free(t);
    }
    for (int i = 0; i < nc; i++)
        chunk_free(&ck[i]);
    for (int j = 0; base && j < r->ncols; j++)
        cv_column_unref(base[j]);
    cv_free(base);
    return result;
}

static int setup_na(reader *R, cv_error *err)
{
    rcfg *r = &R->r;
    const cv_csv_options *opt = R->opt;
    r->na = opt->na ? opt->na : default_na;
    r->nna = opt->na ? opt->nna : 2;
    r->nalen = cv_calloc((size_t)r->nna + 1, sizeof *r->nalen);
    if (!r->nalen)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    memset(r->na_first, 0, sizeof r->na_first);
    for (int k = 0; k < r->nna; k++) {
        r->nalen[k] = strlen(r->na[k]);
        r->na_first[(unsigned char)r->na[k][0]] = 1;
    }
    return 0;
}

/* The passes (sample_pass, main_pass) return 0, an error code (cvkit/error.h: never 1 or
   -2), or one of two private sentinels asking read_any for another pass. read_any keeps what
   comes next (a read_retry) apart from the error code: pass_retry splits them. */
enum { PASS_GB18030 = -2, PASS_PINNED = 1 }; /* the sentinels, as the passes return them */

typedef enum read_retry {
    RETRY_NONE,    /* the pass is over: the error code says how (0: it read the table) */
    RETRY_GB18030, /* invalid UTF-8 under encoding auto: read again as GB18030 (either pass) */
    RETRY_PINNED,  /* a column pinned to text, or threads off: read again (main_pass only) */
} read_retry;

/* The retry a pass's result pass_rc asks for; *rc receives its error code (0 with a retry). */
static read_retry pass_retry(int pass_rc, int *rc)
{
    read_retry retry = pass_rc == PASS_GB18030  ? RETRY_GB18030
                       : pass_rc == PASS_PINNED ? RETRY_PINNED
                                                : RETRY_NONE;
    *rc = retry == RETRY_NONE ? pass_rc : 0;
    return retry;
}

/* A retry asked for where read_any does not retry: read_any returns the pass's sentinel, as
   it always has (of the passes after a switch of encoding, only a main pass pinning a column
   can get there; the others cannot ask for that retry). */
static int unretried(read_retry retry)
{
    return retry == RETRY_GB18030 ? PASS_GB18030 : PASS_PINNED;
}

/* Reads raw bytes [0, size) of fd or mem into a table (or batches). */
static int read_any(const char *name, int fd, const char *mem, uint64_t size,
                    const cv_csv_options *opt, int64_t batch_rows, cv_csv_batch_fn fn, void *ud,
                    cv_csv_report *rep, cv_table **out, cv_error *err)
{
    cv_csv_options defaults;
    cv_csv_options_init(&defaults);
    reader R;
    memset(&R, 0, sizeof R);
    R.opt = opt ? opt : &defaults;
    R.rep = rep;
    opt = R.opt;
    rcfg *r = &R.r;
    r->name = name;
    r->fd = fd;
    r->mem = mem;
    r->end = size;
    r->order = opt->date_order;
    r->fdec = opt->decimal_comma > 0 ? ',' : opt->decimal_comma < 0 ? '.' : 0;
    if (opt->thousands == ',' || opt->thousands == '.') {
        char want = opt->thousands == ',' ? '.' : ',';
        if (r->fdec && r->fdec != want)
            return cv_error_set(err, CV_ERR_USAGE,
                                "thousands = \"%c\" with decimal_comma = %s: the two marks "
                                "are the same",
                                opt->thousands, r->fdec == ',' ? "true" : "false");
        r->fdec = want;
    }
    if (opt->thousands == 'n') {
        r->thouA[0] = r->thouB[0] = '\0';
    } else if (opt->thousands) {
        r->thouA[0] = r->thouB[0] = opt->thousands;
    } else {
        memcpy(r->thouA, ", '", 4);
        memcpy(r->thouB, ". '", 4);
    }
    r->skip_bad = opt->skip_bad_rows;
    r->bad_missing = opt->bad_as_missing;
    r->lenient = opt->lenient_quotes;
    r->batch_rows = batch_rows;
    r->fn = fn;
    r->ud = ud;
    if (setup_na(&R, err))
        return err ? err->code : CV_ERR_NOMEM;
    if (size == 0) {
        cfg_free(r);
        return cv_error_at(err, CV_ERR_PARSE, name, 0, 0,
                           "expected a header or data rows, found an empty file");
    }
    /* a UTF-8 byte order mark */
    unsigned char bom[3] = {0, 0, 0};
    if (size >= 3) {
        if (fd >= 0) {
            if (pread(fd, bom, 3, 0) != 3)
                memset(bom, 0, 3);
        } else {
            memcpy(bom, mem, 3);
        }
    }
    int has_bom = bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF;
    r->enc = opt->encoding == CV_ENC_GB18030 && !has_bom ? CV_ENC_GB18030 : CV_ENC_UTF8;
    r->begin = has_bom && r->enc == CV_ENC_UTF8 ? 3 : 0;
    R.nthreads = opt->threads > 0 ? opt->threads : cv_threads();
    if (R.nthreads > CV_THREADS_MAX)
        R.nthreads = CV_THREADS_MAX;
    /* threads pay off on large inputs; asked for explicitly, they are used on any input
       of a few lines (so tests can check that chunked reading is exact) */
    if (batch_rows > 0 || size - r->begin < (opt->threads > 1 ? 256u : 8u << 20))
        R.nthreads = 1;
    /* the sample pass; on invalid UTF-8 (auto) again as GB18030; if that fails too,
       the UTF-8 problem is the one reported */
    r->delim = opt->delim;
    int rc;
    read_retry retry = pass_retry(sample_pass(&R, batch_rows, err), &rc);
    if (retry == RETRY_GB18030) {
        cfg_free(r);
        if (setup_na(&R, err))
            return err ? err->code : CV_ERR_NOMEM;
        r->enc = CV_ENC_GB18030;
        r->delim = opt->delim;
        retry = pass_retry(sample_pass(&R, batch_rows, err), &rc);
        if (rc != 0 || retry != RETRY_NONE) {
            cv_csv_options utf8 = *opt;
            utf8.encoding = CV_ENC_UTF8;
            cfg_free(r);
            if (setup_na(&R, err))
                return err ? err->code : CV_ERR_NOMEM;
            r->enc = CV_ENC_UTF8;
            r->delim = opt->delim;
            R.opt = &utf8;
            retry = pass_retry(sample_pass(&R, batch_rows, err), &rc);
            R.opt = opt;
            if (rc == 0 && retry == RETRY_NONE)
                rc = cv_error_at(err, CV_ERR_PARSE, name, 0, 0, "invalid text");
        }
    }
    if (retry != RETRY_NONE)
        rc = unretried(retry);
    if (r->enc == CV_ENC_GB18030)
        R.nthreads = 1;
    cv_progress_begin(&r->prog, "read", CV_PROGRESS_BYTES, size - r->begin);
    int tries = 0;
    while (rc == 0) {
        cv_table *t = NULL;
        retry = pass_retry(main_pass(&R, R.nthreads, &t, err), &rc);
        if (retry == RETRY_NONE) {
            if (rc == 0)
                *out = t;
            break;
        }
        if (retry == RETRY_GB18030) { /* invalid UTF-8 past the sample: GB18030, or report */
            cv_encoding was = r->enc;
            r->enc = CV_ENC_GB18030;
            R.nthreads = 1;
            retry = pass_retry(main_pass(&R, 1, &t, err), &rc);
            if (rc == 0 && retry == RETRY_NONE) {
                *out = t;
                break;
            }
            if (retry == RETRY_GB18030 || rc == CV_ERR_PARSE || rc == CV_ERR_TYPE) {
                cv_csv_options utf8 = *opt;
                utf8.encoding = CV_ENC_UTF8;
                r->enc = was;
                R.opt = &utf8;
                retry = pass_retry(main_pass(&R, 1, &t, err), &rc);
                R.opt = opt;
                if (rc == 0 && retry == RETRY_NONE) {
                    cv_table_free(t);
                    rc = cv_error_at(err, CV_ERR_PARSE, name, 0, 0, "invalid text");
                }
            }
            if (retry != RETRY_NONE)
                rc = unretried(retry);
            break;
        }
        /* RETRY_PINNED: again, with a column pinned to text or one thread */
        if (++tries > r->ncols + 2) { /* each try pins a column: cannot happen */
            rc = cv_error_at(err, CV_ERR_PARSE, name, 0, 0, "the column types do not settle");
            break;
        }
    }
    cv_progress_end(&r->prog, rc == 0);
    cfg_free(r);
    return rc;
}

/* The whole of fd's size bytes in a new buffer; NULL on failure (err set). */
static char *slurp(const char *name, int fd, uint64_t size, cv_error *err)
{
    char *buf = size < SIZE_MAX ? cv_malloc((size_t)size + 1) : NULL;
    if (!buf) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", name);
        return NULL;
    }
    uint64_t got = 0;
    while (got < size) {
        ssize_t r = pread(fd, buf + got, (size_t)(size - got), (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            cv_free(buf);
            cv_error_at(err, CV_ERR_IO, name, 0, 0, "read failed: %s",
                        r < 0 ? strerror(errno) : "the file got shorter");
            return NULL;
        }
        got += (uint64_t)r;
    }
    return buf;
}

/* Reads raw bytes [0, size) of fd or mem, whatever they hold: text goes to read_any as
   it is; UTF-16 is converted to UTF-8 first; a workbook's sheet is turned into CSV text
   (book_read.c) and its errors placed at their cells. */
static int read_input(const char *name, int fd, const char *mem, uint64_t size,
                      const cv_csv_options *opt, int64_t batch_rows, cv_csv_batch_fn fn, void *ud,
                      cv_csv_report *rep, cv_table **out, cv_error *err)
{
    unsigned char head[8] = {0};
    size_t hn = size < 8 ? (size_t)size : 8;
    if (fd >= 0) {
        if (pread(fd, head, hn, 0) != (ssize_t)hn)
            hn = 0;
    } else if (hn) {
        memcpy(head, mem, hn);
    }
    int kind = cv_input_kind(head, hn);
    if (kind == CV_KIND_TEXT)
        return read_any(name, fd, mem, size, opt, batch_rows, fn, ud, rep, out, err);
    cv_csv_options o;
    if (opt)
        o = *opt;
    else
        cv_csv_options_init(&o);
    int rc;
    if (kind == CV_KIND_UTF16LE || kind == CV_KIND_UTF16BE) {
        char *raw = fd >= 0 ? slurp(name, fd, size, err) : (char *)mem, *text = NULL;
        size_t n = 0;
        if (!raw)
            return err ? err->code : CV_ERR_NOMEM;
        rc = cv_utf16_to_utf8(name, (const unsigned char *)raw + 2, (size_t)size - 2,
                              kind == CV_KIND_UTF16BE, &text, &n, err);
        if (fd >= 0)
            cv_free(raw);
        if (rc)
            return rc;
        o.encoding = CV_ENC_UTF8;
        rc = read_any(name, -1, text, n, &o, batch_rows, fn, ud, rep, out, err);
        if (rc == 0 && rep)
            rep->encoding = kind == CV_KIND_UTF16BE ? CV_ENC_UTF16BE : CV_ENC_UTF16LE;
        cv_free(text);
        return rc;
    }
    cv_booktext bt;
    char dec = o.decimal_comma > 0 || o.thousands == '.' ? ',' : '.';
    if (kind == CV_KIND_XLSX)
        rc = cv_xlsx_to_csv(name, fd >= 0 ? NULL : mem, (size_t)size, &o, dec, &bt, err);
    else if (fd >= 0)
        rc = cv_xls_to_csv(name, &o, dec, &bt, err);
    else
        return cv_error_set(err, CV_ERR_USAGE, "%s: an .xls workbook is read from a file", name);
    if (rc)
        return rc;
    o.delim = ',';
    o.encoding = CV_ENC_UTF8;
    rc = read_any(bt.name, -1, bt.text, bt.len, &o, batch_rows, fn, ud, rep, out, err);
    if (rc)
        cv_booktext_place(&bt, err);
    cv_booktext_free(&bt);
    return rc;
}

static int open_input(const char *path, int *fd, uint64_t *size, cv_error *err)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s", strerror(errno));
        if (msg[0] >= 'A' && msg[0] <= 'Z')
            msg[0] = (char)(msg[0] - 'A' + 'a');
        return cv_error_at(err, CV_ERR_IO, path, 0, 0, "cannot open the file: %s", msg);
    }
    struct stat st;
    if (fstat(*fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        close(*fd);
        return cv_error_at(err, CV_ERR_IO, path, 0, 0, "expected a file, found a directory");
    }
    if (!S_ISREG(st.st_mode)) {
        close(*fd);
        return cv_error_at(err, CV_ERR_IO, path, 0, 0,
                           "expected a regular file, found a special file");
    }
    *size = (uint64_t)st.st_size;
    cv_guard_note_input(st.st_dev, st.st_ino); /* outputs may not replace it (guard.h) */
    return 0;
}

void cv_csv_options_init(cv_csv_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->header = -1;
}

cv_table *cv_csv_read(const char *path, const cv_csv_options *opt, cv_csv_report *rep,
                      cv_error *err)
{
    int fd;
    uint64_t size;
    if (open_input(path, &fd, &size, err) != 0)
        return NULL;
    cv_table *t = NULL;
    int rc = read_input(path, fd, NULL, size, opt, 0, NULL, NULL, rep, &t, err);
    close(fd);
    return rc == 0 ? t : NULL;
}

cv_table *cv_csv_read_buffer(const char *name, const char *data, size_t len,
                             const cv_csv_options *opt, cv_csv_report *rep, cv_error *err)
{
    cv_table *t = NULL;
    int rc = read_input(name ? name : "(buffer)", -1, data, len, opt, 0, NULL, NULL, rep, &t, err);
    return rc == 0 ? t : NULL;
}

int cv_csv_stream(const char *path, const cv_csv_options *opt, int64_t batch_rows,
                  cv_csv_batch_fn fn, void *ud, cv_csv_report *rep, cv_error *err)
{
    if (batch_rows <= 0 || !fn)
        return cv_error_set(err, CV_ERR_USAGE, "cv_csv_stream: batch_rows must be positive");
    int fd;
    uint64_t size;
    if (open_input(path, &fd, &size, err) != 0)
        return err ? err->code : CV_ERR_IO;
    cv_table *t = NULL;
    int rc = read_input(path, fd, NULL, size, opt, batch_rows, fn, ud, rep, &t, err);
    close(fd);
    cv_table_free(t);
    return rc;
}
