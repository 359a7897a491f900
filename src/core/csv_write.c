/* cvkit table output: CSV/TSV (RFC 4180 quoting), JSON (an array of objects) and
   Markdown (a pipe table), into a string or into a file written through a temporary
   file in the same folder, fsync'd and renamed, so a failure never leaves half a file. */
#include "cvkit/csv.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"
#include "fileio_int.h"

#include <errno.h>
#include <math.h>
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
    return -1;
}

/* ---- An output buffer that is either a growing string or flushed to a file ---------- */

typedef struct out {
    char *buf;
    size_t len, cap;
    int fd;       /* -1: keep everything in buf */
    int failed;   /* errno of the first failure, or ENOMEM */
    cv_progress *prog; /* rows written (cv_table_write), else NULL */
} out;

/* Before row i: tells the progress step now and then. */
static void out_row(out *o, int64_t i)
{
    if (o->prog && (i & 0xfff) == 0)
        cv_progress_tick(o->prog, (uint64_t)i);
}

static void out_flush(out *o)
{
    size_t done = 0;
    while (!o->failed && done < o->len) {
        ssize_t w = write(o->fd, o->buf + done, o->len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            o->failed = errno;
        } else {
            done += (size_t)w;
        }
    }
    o->len = 0;
}

static void out_add(out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n + 1 > o->cap) {
        if (o->fd >= 0 && o->len > 0) {
            out_flush(o);
            if (o->failed)
                return;
        }
        if (o->len + n + 1 > o->cap) {
            size_t cap = o->cap ? o->cap : 1u << 16;
            while (cap < o->len + n + 1)
                cap *= 2;
            char *b = cv_realloc(o->buf, cap);
            if (!b) {
                o->failed = ENOMEM;
                return;
            }
            o->buf = b;
            o->cap = cap;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    if (o->fd >= 0 && o->len >= (1u << 20))
        out_flush(o);
}

static void out_str(out *o, const char *s)
{
    out_add(o, s, strlen(s));
}

/* ---- Cells --------------------------------------------------------------------------- */

/* The text of value i of c (missing: NULL). Floats in their shortest exact form. */
static const char *cell_text(const cv_column *c, int64_t i, char *buf, size_t size,
                             size_t *len)
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

static int needs_quotes(const char *s, size_t len, char delim)
{
    if (len == 0)
        return 1; /* an empty string, as distinct from a missing value */
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
        return 1; /* blanks around a field are trimmed by readers */
    for (size_t k = 0; k < len; k++)
        if (s[k] == delim || s[k] == '"' || s[k] == '\n' || s[k] == '\r')
            return 1;
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

static void write_delimited(out *o, const cv_table *t, char delim)
{
    char buf[128];
    for (int j = 0; j < t->ncols; j++) {
        if (j)
            out_add(o, &delim, 1);
        put_csv_field(o, t->cols[j]->name, strlen(t->cols[j]->name), delim);
    }
    out_add(o, "\n", 1);
    for (int64_t i = 0; i < t->nrows && !o->failed; i++) {
        out_row(o, i);
        for (int j = 0; j < t->ncols; j++) {
            if (j)
                out_add(o, &delim, 1);
            size_t len = 0;
            const char *s = cell_text(t->cols[j], i, buf, sizeof buf, &len);
            if (s)
                put_csv_field(o, s, len, delim);
            else if (t->ncols == 1) /* not a blank line, which readers skip: a row lost */
                out_add(o, "\"\"", 2);
        }
        out_add(o, "\n", 1);
    }
}

static void write_json(out *o, const cv_table *t)
{
    char buf[128];
    out_add(o, "[", 1);
    for (int64_t i = 0; i < t->nrows && !o->failed; i++) {
        out_row(o, i);
        out_str(o, i ? ",\n{" : "\n{");
        for (int j = 0; j < t->ncols; j++) {
            const cv_column *c = t->cols[j];
            if (j)
                out_add(o, ",", 1);
            put_json_string(o, c->name, strlen(c->name));
            out_add(o, ":", 1);
            size_t len = 0;
            const char *s = NULL;
            if (c->type != CV_FLOAT64 || isfinite(cv_column_float(c, i)))
                s = cell_text(c, i, buf, sizeof buf, &len);
            if (!s)
                out_add(o, "null", 4);
            else if (c->type == CV_STRING || c->type == CV_DATE || c->type == CV_DATETIME)
                put_json_string(o, s, len);
            else
                out_add(o, s, len);
        }
        out_add(o, "}", 1);
    }
    out_str(o, t->nrows ? "\n]\n" : "]\n");
}

static void write_markdown(out *o, const cv_table *t)
{
    char buf[128];
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
    for (int64_t i = 0; i < t->nrows && !o->failed; i++) {
        out_row(o, i);
        out_add(o, "|", 1);
        for (int j = 0; j < t->ncols; j++) {
            size_t len = 0;
            const char *s = cell_text(t->cols[j], i, buf, sizeof buf, &len);
            out_add(o, " ", 1);
            if (s)
                put_md_cell(o, s, len);
            out_add(o, " |", 2);
        }
        out_add(o, "\n", 1);
    }
}

static int write_table(out *o, const cv_table *t, cv_format fmt)
{
    switch (fmt) {
    case CV_FMT_CSV:
        write_delimited(o, t, ',');
        break;
    case CV_FMT_TSV:
        write_delimited(o, t, '\t');
        break;
    case CV_FMT_JSON:
        write_json(o, t);
        break;
    case CV_FMT_MARKDOWN:
        write_markdown(o, t);
        break;
    default:
        return -1;
    }
    return 0;
}

char *cv_table_write_string(const cv_table *t, cv_format fmt, size_t *len, cv_error *err)
{
    out o;
    memset(&o, 0, sizeof o);
    o.fd = -1;
    if (write_table(&o, t, fmt) != 0) {
        cv_error_set(err, CV_ERR_USAGE, "unknown output format %d", (int)fmt);
        return NULL;
    }
    out_add(&o, "", 0);
    if (o.failed || !o.buf) {
        cv_free(o.buf);
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
    if ((unsigned)fmt > CV_FMT_MARKDOWN)
        return cv_error_at(err, CV_ERR_USAGE, path, 0, 0, "unknown output format %d",
                           (int)fmt);
    cv_outfile f; /* the atomic-write protocol: fileio.c */
    int rc = cv_outfile_open(&f, path, err);
    if (rc != 0)
        return rc;
    out o;
    cv_progress prog;
    memset(&o, 0, sizeof o);
    o.fd = f.fd;
    o.prog = &prog;
    cv_progress_begin(&prog, "write", CV_PROGRESS_ROWS, (uint64_t)t->nrows);
    write_table(&o, t, fmt);
    out_flush(&o);
    cv_progress_end(&prog, !o.failed);
    cv_free(o.buf);
    return cv_outfile_commit(&f, o.failed, err);
}
