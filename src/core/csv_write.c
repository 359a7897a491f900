/* cvkit table output: CSV/TSV (RFC 4180 quoting), JSON (an array of objects) and
   Markdown (a pipe table), into a string or into a file through the one file layer
   (fileio.c: folders made, a temporary file renamed, so a failure never leaves half a
   file); .xlsx paths go to xlsx.c. Cells are written straight into a 1 MiB buffer (numbers
   by dtoa.c), flushed with write(2): no stdio per field. */
#include "cvkit/cancel.h"
#include "cvkit/csv.h"
#include "cvkit/dtoa.h"
#include "cvkit/fileio.h"
#include "cvkit/parse.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"
#include "cvkit/threads.h"
#include "fileio_int.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int cv_format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return -1;
    dot++;
    if (strcasecmp(dot, "csv") == 0)
        return CV_FMT_CSV;
    if (strcasecmp(dot, "tsv") == 0)
        return CV_FMT_TSV;
    if (strcasecmp(dot, "json") == 0)
        return CV_FMT_JSON;
    if (strcasecmp(dot, "md") == 0 || strcasecmp(dot, "markdown") == 0)
        return CV_FMT_MARKDOWN;
    if (strcasecmp(dot, "xlsx") == 0)
        return CV_FMT_XLSX;
    return -1;
}

/* ---- An output buffer that is either a growing string or flushed to a file ---------- */

#define OUT_FLUSH (1u << 20) /* a file's buffer is written out past 1 MiB */
#define OUT_CELL 64          /* room reserved for a number, a date or a boolean */

typedef struct out {
    char *buf;
    size_t len, cap;
    cv_outfile *file;  /* NULL: keep everything in buf */
    int failed;        /* errno of the first failure, or ENOMEM */
    cv_progress *prog; /* rows written (cv_table_write), else NULL */
} out;

/* Before row i: tells the progress step now and then, and stops the writing (failed
   ECANCELED) when cancellation was asked (include/cvkit/cancel.h; the formatting threads
   look too: each block's rows pass here). */
static void out_row(out *o, int64_t i)
{
    if ((i & 0xfff) != 0)
        return;
    if (cv_cancelled() && !o->failed)
        o->failed = ECANCELED;
    if (o->prog)
        cv_progress_tick(o->prog, (uint64_t)i);
}

static void out_flush(out *o)
{
    if (o->file && o->len > 0 && !o->failed) {
        cv_outfile_write(o->file, o->buf, o->len);
        o->failed = o->file->failed;
    }
    o->len = 0;
}

/* Makes room for n more bytes (and a NUL): flushes a file's buffer, grows a string's.
   The write position, or NULL after a failure. */
static char *out_room(out *o, size_t n)
{
    if (o->failed)
        return NULL;
    if (o->len + n + 1 > o->cap) {
        if (o->file && o->len > 0) {
            out_flush(o);
            if (o->failed)
                return NULL;
        }
        if (o->len + n + 1 > o->cap) {
            size_t cap = o->cap ? o->cap : (o->file ? OUT_FLUSH + 4096 : 1u << 16);
            while (cap < o->len + n + 1)
                cap *= 2;
            char *b = cv_realloc(o->buf, cap);
            if (!b) {
                o->failed = ENOMEM;
                return NULL;
            }
            o->buf = b;
            o->cap = cap;
        }
    }
    return o->buf + o->len;
}

static void out_add(out *o, const char *s, size_t n)
{
    char *p = out_room(o, n);
    if (!p)
        return;
    memcpy(p, s, n);
    o->len += n;
    if (o->file && o->len >= OUT_FLUSH)
        out_flush(o);
}

/* Adds one byte (delimiters, line ends). */
static void out_char(out *o, char ch)
{
    if (o->len + 2 <= o->cap) {
        o->buf[o->len++] = ch;
        if (o->file && o->len >= OUT_FLUSH)
            out_flush(o);
    } else {
        out_add(o, &ch, 1);
    }
}

static void out_str(out *o, const char *s)
{
    out_add(o, s, strlen(s));
}

/* ---- Cells --------------------------------------------------------------------------- */

/* The text of value i of c (missing: NULL). Floats in their shortest exact form. */
static const char *cell_text(const cv_column *c, int64_t i, char *buf, size_t size, size_t *len)
{
    if (!cv_column_is_valid(c, i))
        return NULL;
    if (c->type == CV_STRING)
        return cv_column_string(c, i, len);
    if (c->type == CV_FLOAT64 && isnan(cv_column_float(c, i)))
        return NULL;
    size_t n = cv_value_format(c, i, 0, "", buf, size);
    *len = n < size ? n : size - 1;
    return buf;
}

/* Writes v's decimal digits at p; returns the length. */
static size_t put_int(char *p, int64_t v)
{
    char tmp[24], *e = tmp + sizeof tmp, *d = e;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--d = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--d = '-';
    memcpy(p, d, (size_t)(e - d));
    return (size_t)(e - d);
}

/* Writes date `days` as YYYY-MM-DD at p (years 0..9999; others through printf); returns
   the length. */
static size_t put_date(char *p, int32_t days)
{
    int y, m, d;
    cv_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        return (size_t)snprintf(p, OUT_CELL, "%04d-%02d-%02d", y, m, d);
    p[0] = (char)('0' + y / 1000);
    p[1] = (char)('0' + y / 100 % 10);
    p[2] = (char)('0' + y / 10 % 10);
    p[3] = (char)('0' + y % 10);
    p[4] = '-';
    p[5] = (char)('0' + m / 10);
    p[6] = (char)('0' + m % 10);
    p[7] = '-';
    p[8] = (char)('0' + d / 10);
    p[9] = (char)('0' + d % 10);
    return 10;
}

/* Writes value i of a number, date or boolean column c (valid, not a NaN) at p (OUT_CELL
   bytes of room); returns the length. */
static size_t put_scalar(char *p, const cv_column *c, int64_t i)
{
    switch (c->type) {
    case CV_INT64:
        return put_int(p, cv_column_int(c, i));
    case CV_FLOAT64:
        return cv_fmt_double(cv_column_float(c, i), p);
    case CV_DATE:
        return put_date(p, cv_column_i32(c, i));
    case CV_BOOL:
        memcpy(p, cv_column_bool(c, i) ? "true" : "false", 5);
        return cv_column_bool(c, i) ? 4 : 5;
    default: {
        size_t n = cv_value_format(c, i, 0, "", p, OUT_CELL);
        return n < OUT_CELL ? n : OUT_CELL - 1;
    }
    }
}

/* Bytes that make a CSV field need quotes (besides the delimiter): quote, CR, LF. */
static int needs_quotes(const char *s, size_t len, char delim)
{
    if (len == 0)
        return 1; /* an empty string, as distinct from a missing value */
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
        return 1; /* blanks around a field are trimmed by readers */
    for (size_t k = 0; k < len; k++) {
        char ch = s[k];
        if (ch == delim || ch == '"' || ch == '\n' || ch == '\r')
            return 1;
    }
    return 0;
}

static void put_csv_field(out *o, const char *s, size_t len, char delim)
{
    if (!needs_quotes(s, len, delim)) {
        out_add(o, s, len);
        return;
    }
    out_add(o, "\"", 1);
    size_t start = 0;
    for (size_t k = 0; k < len; k++)
        if (s[k] == '"') {
            out_add(o, s + start, k + 1 - start);
            out_add(o, "\"", 1);
            start = k + 1;
        }
    out_add(o, s + start, len - start);
    out_add(o, "\"", 1);
}

static void put_json_string(out *o, const char *s, size_t len)
{
    out_add(o, "\"", 1);
    size_t start = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        const char *esc = NULL;
        char u[8];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c == '\b')
            esc = "\\b";
        else if (c == '\f')
            esc = "\\f";
        else if (c < 0x20) {
            snprintf(u, sizeof u, "\\u%04x", c);
            esc = u;
        }
        if (esc) {
            out_add(o, s + start, k - start);
            out_str(o, esc);
            start = k + 1;
        }
    }
    out_add(o, s + start, len - start);
    out_add(o, "\"", 1);
}

static void put_md_cell(out *o, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t k = 0; k < len; k++) {
        const char *rep = s[k] == '|' ? "\\|" : s[k] == '\n' ? "<br>" : s[k] == '\r' ? "" : NULL;
        if (rep) {
            out_add(o, s + start, k - start);
            out_str(o, rep);
            start = k + 1;
        }
    }
    out_add(o, s + start, len - start);
}

/* ---- Formats ------------------------------------------------------------------------- */

/* Rows [lo, hi) of t as CSV/TSV lines. */
static void delimited_rows(out *o, const cv_table *t, int64_t lo, int64_t hi, char delim)
{
    for (int64_t i = lo; i < hi && !o->failed; i++) {
        out_row(o, i);
        for (int j = 0; j < t->ncols; j++) {
            const cv_column *c = t->cols[j];
            int valid = cv_column_is_valid(c, i);
            if (valid && c->type == CV_STRING) {
                size_t len = 0;
                const char *s = cv_column_string(c, i, &len);
                if (j)
                    out_char(o, delim);
                put_csv_field(o, s, len, delim);
                continue;
            }
            char *p = out_room(o, OUT_CELL + 1);
            if (!p)
                return;
            size_t n = 0;
            if (j)
                p[n++] = delim;
            if (valid && !(c->type == CV_FLOAT64 && isnan(cv_column_float(c, i))))
                n += put_scalar(p + n, c, i);
            else if (t->ncols == 1) { /* not a blank line, which readers skip: a row lost */
                p[n++] = '"';
                p[n++] = '"';
            }
            o->len += n;
        }
        out_char(o, '\n');
    }
}

static void delimited_head(out *o, const cv_table *t, char delim)
{
    for (int j = 0; j < t->ncols; j++) {
        if (j)
            out_add(o, &delim, 1);
        put_csv_field(o, t->cols[j]->name, strlen(t->cols[j]->name), delim);
    }
    out_add(o, "\n", 1);
}

/* What writes the rows of one table in one format: the table, the format, the delimiter
   and, for JSON, the keys ('"name":', escaped, with the comma before all but the first),
   made once: keys.buf + at[j] up to at[j + 1] for column j. */
typedef struct writer {
    const cv_table *t;
    cv_format fmt;
    char delim;
    out keys;
    size_t *at;
} writer;

/* Rows [lo, hi) as JSON objects: dates as strings, missing values and non-finite numbers
   as null. */
static void json_rows(out *o, const writer *w, int64_t lo, int64_t hi)
{
    const cv_table *t = w->t;
    char buf[128];
    for (int64_t i = lo; i < hi && !o->failed; i++) {
        out_row(o, i);
        out_str(o, i ? ",\n{" : "\n{");
        for (int j = 0; j < t->ncols; j++) {
            const cv_column *c = t->cols[j];
            out_add(o, w->keys.buf + w->at[j], w->at[j + 1] - w->at[j]);
            size_t len = 0;
            const char *s = NULL;
            int valid = cv_column_is_valid(c, i);
            if (valid && (c->type == CV_INT64 || c->type == CV_BOOL ||
                          (c->type == CV_FLOAT64 && isfinite(cv_column_float(c, i))))) {
                char *p = out_room(o, OUT_CELL);
                if (!p)
                    break;
                o->len += put_scalar(p, c, i);
                continue;
            }
            if (valid && c->type == CV_DATE) { /* "YYYY-MM-DD" */
                char *p = out_room(o, OUT_CELL + 2);
                if (!p)
                    break;
                p[0] = '"';
                size_t n = put_date(p + 1, cv_column_i32(c, i));
                p[n + 1] = '"';
                o->len += n + 2;
                continue;
            }
            if (c->type != CV_FLOAT64 || (valid && isfinite(cv_column_float(c, i))))
                s = cell_text(c, i, buf, sizeof buf, &len);
            if (!s)
                out_add(o, "null", 4);
            else
                put_json_string(o, s, len);
        }
        out_add(o, "}", 1);
    }
}

/* Rows [lo, hi) as Markdown table lines, numbers shown by kind (a table for people). */
static void markdown_rows(out *o, const cv_table *t, int64_t lo, int64_t hi)
{
    char buf[128];
    for (int64_t i = lo; i < hi && !o->failed; i++) {
        out_row(o, i);
        out_add(o, "|", 1);
        for (int j = 0; j < t->ncols; j++) {
            size_t len = 0;
            const cv_column *c = t->cols[j];
            const char *s = cell_text(c, i, buf, sizeof buf, &len);
            if (s && c->kind >= CV_KIND_MONEY) {
                len = cv_format_kind(cv_column_number(c, i), c->kind, c->decimals1 - 1, "", buf,
                                     sizeof buf);
                len = len < sizeof buf ? len : sizeof buf - 1;
            }
            out_add(o, " ", 1);
            if (s)
                put_md_cell(o, s, len);
            out_add(o, " |", 2);
        }
        out_add(o, "\n", 1);
    }
}

static void markdown_head(out *o, const cv_table *t)
{
    out_add(o, "|", 1);
    for (int j = 0; j < t->ncols; j++) {
        out_add(o, " ", 1);
        put_md_cell(o, t->cols[j]->name, strlen(t->cols[j]->name));
        out_add(o, " |", 2);
    }
    out_add(o, "\n|", 2);
    for (int j = 0; j < t->ncols; j++) {
        cv_type ty = t->cols[j]->type;
        out_str(o, ty == CV_INT64 || ty == CV_FLOAT64 ? " ---: |" : " --- |");
    }
    out_add(o, "\n", 1);
}

static void put_rows(out *o, const writer *w, int64_t lo, int64_t hi)
{
    if (w->fmt == CV_FMT_JSON)
        json_rows(o, w, lo, hi);
    else if (w->fmt == CV_FMT_MARKDOWN)
        markdown_rows(o, w->t, lo, hi);
    else
        delimited_rows(o, w->t, lo, hi, w->delim);
}

/* ---- Rows formatted on several threads ----------------------------------------------- */

/* Rows are formatted in rounds of one PAR_BLOCK-row block per thread, each block into its
   own string buffer, and the blocks are written in order, so the output is the same bytes
   whatever the thread count. Into a file, the rounds are double-buffered: a writer thread
   writes round r's buffers while the pool formats round r + 1 into the other set, so no core
   idles during the writes. Tables under two blocks are written on the calling thread. */
#define PAR_BLOCK 16384

typedef struct par_ctx {
    const writer *w;
    int64_t base; /* first row of the round being formatted */
    out *fill;    /* the set of buffers it is formatted into */
    out set[2][CV_THREADS_MAX];
    /* the writer thread: it writes job[0..njob) to file, then clears job */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    out *job;
    size_t njob;
    int quit;
    cv_outfile *file;
} par_ctx;

static void par_blocks(void *v, size_t lo, size_t hi)
{
    par_ctx *c = v;
    for (size_t b = lo; b < hi; b++) {
        int64_t first = c->base + (int64_t)b * PAR_BLOCK;
        int64_t last = first + PAR_BLOCK < c->w->t->nrows ? first + PAR_BLOCK : c->w->t->nrows;
        out o = c->fill[b]; /* a copy on this thread's stack: the buffers' fields share cache
                               lines, and writing them in place from two threads serializes */
        o.len = 0;
        put_rows(&o, c->w, first, last);
        c->fill[b] = o;
    }
}

static void write_set(cv_outfile *f, const out *set, size_t n)
{
    for (size_t b = 0; b < n && !f->failed; b++)
        cv_outfile_write(f, set[b].buf, set[b].len);
}

static void *par_writer(void *v)
{
    par_ctx *c = v;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->job && !c->quit)
            pthread_cond_wait(&c->cv, &c->mu);
        if (!c->job)
            break;
        pthread_mutex_unlock(&c->mu);
        write_set(c->file, c->job, c->njob);
        pthread_mutex_lock(&c->mu);
        c->job = NULL;
        pthread_cond_broadcast(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Waits until the writer thread has no job: its set of buffers is free again. */
static void par_wait_idle(par_ctx *c)
{
    pthread_mutex_lock(&c->mu);
    while (c->job)
        pthread_cond_wait(&c->cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

static void write_rows(out *o, const writer *w)
{
    int64_t n = w->t->nrows;
    int k = cv_threads();
    if (k < 2 || n < 2 * PAR_BLOCK) {
        put_rows(o, w, 0, n);
        return;
    }
    par_ctx *c = cv_calloc(1, sizeof *c);
    if (!c) {
        o->failed = ENOMEM;
        return;
    }
    c->w = w;
    c->file = o->file;
    pthread_t th;
    int async = 0;
    if (o->file) {
        out_flush(o); /* what came before the rows goes first */
        pthread_mutex_init(&c->mu, NULL);
        pthread_cond_init(&c->cv, NULL);
        async = pthread_create(&th, NULL, par_writer, c) == 0;
    }
    for (int64_t lo = 0, r = 0; lo < n && !o->failed; lo += (int64_t)k * PAR_BLOCK, r++) {
        int64_t left = (n - lo + PAR_BLOCK - 1) / PAR_BLOCK;
        size_t nb = left < k ? (size_t)left : (size_t)k;
        c->base = lo;
        c->fill = c->set[r & 1]; /* the writer finished this set before taking the other */
        cv_par_for(nb, 2, par_blocks, c);
        for (size_t b = 0; b < nb && !o->failed; b++)
            o->failed = c->fill[b].failed;
        if (async) {
            par_wait_idle(c);
            if (!o->failed)
                o->failed = o->file->failed;
            if (!o->failed) {
                pthread_mutex_lock(&c->mu);
                c->job = c->fill;
                c->njob = nb;
                pthread_cond_broadcast(&c->cv);
                pthread_mutex_unlock(&c->mu);
            }
        } else if (o->file) {
            write_set(o->file, c->fill, nb);
            o->failed = o->file->failed;
        } else {
            for (size_t b = 0; b < nb && !o->failed; b++)
                out_add(o, c->fill[b].buf, c->fill[b].len);
        }
        for (size_t b = 0; o->prog && b < nb; b++) /* rows formatted so far, a block at a
                                                        time (a round ahead of the disk) */
            cv_progress_tick(o->prog, (uint64_t)(lo + (int64_t)(b + 1) * PAR_BLOCK));
    }
    if (async) {
        par_wait_idle(c);
        if (!o->failed)
            o->failed = o->file->failed;
        pthread_mutex_lock(&c->mu);
        c->quit = 1;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
        pthread_join(th, NULL);
    }
    if (o->file) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
    }
    for (int s = 0; s < 2; s++)
        for (int b = 0; b < CV_THREADS_MAX; b++)
            cv_free(c->set[s][b].buf);
    cv_free(c);
}

static int write_table(out *o, const cv_table *t, cv_format fmt)
{
    writer w;
    memset(&w, 0, sizeof w);
    w.t = t;
    w.fmt = fmt;
    w.delim = fmt == CV_FMT_TSV ? '\t' : ',';
    switch (fmt) {
    case CV_FMT_CSV:
    case CV_FMT_TSV:
        delimited_head(o, t, w.delim);
        write_rows(o, &w);
        return 0;
    case CV_FMT_JSON:
        w.at = cv_calloc((size_t)t->ncols + 1, sizeof *w.at);
        if (!w.at) {
            o->failed = ENOMEM;
            return 0;
        }
        for (int j = 0; j < t->ncols; j++) {
            w.at[j] = w.keys.len;
            if (j)
                out_add(&w.keys, ",", 1);
            put_json_string(&w.keys, t->cols[j]->name, strlen(t->cols[j]->name));
            out_add(&w.keys, ":", 1);
        }
        w.at[t->ncols] = w.keys.len;
        if (w.keys.failed)
            o->failed = ENOMEM;
        out_add(o, "[", 1);
        if (!o->failed)
            write_rows(o, &w);
        out_str(o, t->nrows ? "\n]\n" : "]\n");
        cv_free(w.keys.buf);
        cv_free(w.at);
        return 0;
    case CV_FMT_MARKDOWN:
        markdown_head(o, t);
        write_rows(o, &w);
        return 0;
    default:
        return -1;
    }
}

char *cv_table_write_string(const cv_table *t, cv_format fmt, size_t *len, cv_error *err)
{
    out o;
    memset(&o, 0, sizeof o);
    if (write_table(&o, t, fmt) != 0) {
        cv_error_set(err, CV_ERR_USAGE, "%s is not a text format",
                     fmt == CV_FMT_XLSX ? "xlsx" : "this");
        return NULL;
    }
    out_room(&o, 0);
    if (o.failed || !o.buf) {
        cv_free(o.buf);
        if (o.failed == ECANCELED)
            cv_error_set(err, CV_ERR_LIMIT, "cancelled");
        else
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    o.buf[o.len] = '\0';
    if (len)
        *len = o.len;
    return o.buf;
}

int cv_table_write(const cv_table *t, const char *path, cv_format fmt, cv_error *err)
{
    if (fmt == CV_FMT_XLSX) {
        cv_xlsx_sheet sheet = {"Sheet1", t};
        return cv_xlsx_write(path, &sheet, 1, err);
    }
    if ((unsigned)fmt > CV_FMT_MARKDOWN)
        return cv_error_at(err, CV_ERR_USAGE, path, 0, 0, "unknown output format %d", (int)fmt);
    cv_outfile f; /* the atomic-write protocol: fileio.c */
    int rc = cv_outfile_open(&f, path, err);
    if (rc != 0)
        return rc;
    out o;
    cv_progress prog;
    memset(&o, 0, sizeof o);
    o.file = &f;
    o.prog = &prog;
    cv_progress_begin(&prog, "write", CV_PROGRESS_ROWS, (uint64_t)t->nrows);
    write_table(&o, t, fmt);
    out_flush(&o);
    cv_progress_end(&prog, !o.failed);
    cv_free(o.buf);
    return cv_outfile_commit(&f, o.failed, err);
}
