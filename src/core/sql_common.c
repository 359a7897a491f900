/* cvkit databases, what the drivers share (below them: sql.c -> sql_sqlite.c, sql_pg.c,
   sql_ch.c -> this file, never back up): the growable text buffer, identifier quoting
   (cv_sql_quote_ident of cvkit/sql.h), error positions in a statement, unique column names,
   rows as COPY/TabSeparated text and the SQL type a column is created with. */
#include "sql_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"

/* ---- Text buffer ------------------------------------------------------------------------ */

static int sq_grow(sq_buf *b, size_t need)
{
    if (b->oom)
        return -1;
    if (b->n + need + 1 <= b->cap)
        return 0;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->n + need + 1)
        nc *= 2;
    char *p = cv_realloc(b->p, nc);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = nc;
    return 0;
}

void sq_putn(sq_buf *b, const char *s, size_t n)
{
    if (sq_grow(b, n) != 0)
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void sq_puts(sq_buf *b, const char *s)
{
    sq_putn(b, s, strlen(s));
}

void sq_printf(sq_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sq_grow(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

size_t cv_sql_quote_ident(const char *name, int split_dots, char *buf, size_t size)
{
    size_t n = 0;
#define SQ_OUT(ch)                                                                                 \
    do {                                                                                           \
        if (n + 1 < size)                                                                          \
            buf[n] = (ch);                                                                         \
        n++;                                                                                       \
    } while (0)
    SQ_OUT('"');
    for (const char *p = name; *p; p++) {
        if (*p == '.' && split_dots) {
            SQ_OUT('"');
            SQ_OUT('.');
            SQ_OUT('"');
        } else if (*p == '"') {
            SQ_OUT('"');
            SQ_OUT('"');
        } else {
            SQ_OUT(*p);
        }
    }
    SQ_OUT('"');
#undef SQ_OUT
    if (size)
        buf[n < size ? n : size - 1] = '\0';
    return n;
}

void sq_ident(sq_buf *b, const char *name, int split_dots)
{
    size_t need = cv_sql_quote_ident(name, split_dots, NULL, 0);
    if (sq_grow(b, need) != 0)
        return;
    cv_sql_quote_ident(name, split_dots, b->p + b->n, need + 1);
    b->n += need;
}

/* ---- Errors and names ------------------------------------------------------------------- */

int sq_error_at(cv_error *err, int code, const char *sql, long pos, const char *msg)
{
    if (pos <= 0 || !sql)
        return cv_error_set(err, code, "sql: %s", msg);
    long line = 1, col = 1, ch = 1;
    for (const unsigned char *p = (const unsigned char *)sql; *p && ch < pos; p++) {
        if ((*p & 0xC0) == 0x80) /* a UTF-8 continuation byte: same character */
            continue;
        ch++;
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    return cv_error_at(err, code, "sql", line, col, "%s", msg);
}

int sq_unique_names(char **names, int n)
{
    for (int k = 1; k < n; k++) {
        for (int suffix = 2;; suffix++) {
            int clash = 0;
            for (int j = 0; j < k && !clash; j++)
                clash = strcmp(names[j], names[k]) == 0;
            if (!clash)
                break;
            size_t len = strlen(names[k]);
            const char *base = names[k];
            /* strip a suffix we added on an earlier round */
            if (suffix > 2) {
                const char *us = strrchr(base, '_');
                if (us)
                    len = (size_t)(us - base);
            }
            char *s = cv_malloc(len + 16);
            if (!s)
                return -1;
            snprintf(s, len + 16, "%.*s_%d", (int)len, base, suffix);
            cv_free(names[k]);
            names[k] = s;
        }
    }
    return 0;
}

/* ---- Rows as text (COPY, TabSeparated) -------------------------------------------------- */

/* Appends value i of c to b in dialect d (sq_text_dialect). */
static void sq_text_value(sq_buf *b, const cv_column *c, int64_t i, sq_text_dialect d)
{
    const int ch = d == SQ_TEXT_CH_TSV;
    if (!cv_column_is_valid(c, i) || (c->type == CV_FLOAT64 && isnan(cv_column_float(c, i)))) {
        sq_putn(b, "\\N", 2);
        return;
    }
    if (ch && c->type == CV_BOOL) {
        sq_putn(b, cv_column_bool(c, i) ? "1" : "0", 1);
        return;
    }
    if (ch && c->type == CV_FLOAT64) {
        double x = cv_column_float(c, i);
        if (isinf(x))
            sq_puts(b, x > 0 ? "inf" : "-inf");
        else
            sq_printf(b, "%.17g", x);
        return;
    }
    if (c->type != CV_STRING) {
        char buf[64];
        size_t n = cv_value_format(c, i, 0, "", buf, sizeof buf);
        sq_putn(b, buf, n < sizeof buf ? n : sizeof buf - 1);
        return;
    }
    size_t len;
    const char *s = cv_column_string(c, i, &len);
    size_t from = 0;
    for (size_t j = 0; j < len; j++) {
        const char *esc = s[j] == '\\'         ? "\\\\"
                          : s[j] == '\t'       ? "\\t"
                          : s[j] == '\n'       ? "\\n"
                          : s[j] == '\r'       ? "\\r"
                          : s[j] == '\0' && ch ? "\\0"
                                               : NULL;
        if (!esc)
            continue;
        sq_putn(b, s + from, j - from);
        sq_putn(b, esc, 2);
        from = j + 1;
    }
    sq_putn(b, s + from, len - from);
}

void sq_text_row(sq_buf *b, const cv_table *t, int64_t i, sq_text_dialect d)
{
    for (int k = 0; k < t->ncols; k++) {
        if (k)
            sq_putn(b, "\t", 1);
        sq_text_value(b, t->cols[k], i, d);
    }
    sq_putn(b, "\n", 1);
}

const char *sq_create_type(cv_sql_kind kind, cv_type t)
{
    switch (t) {
    case CV_INT64:
        return "BIGINT";
    case CV_FLOAT64:
        return kind == CV_SQL_SQLITE ? "REAL" : "DOUBLE PRECISION";
    case CV_STRING:
        return "TEXT";
    case CV_DATE:
        return "DATE";
    case CV_DATETIME:
        return "TIMESTAMP";
    case CV_BOOL:
        return "BOOLEAN";
    }
    return "TEXT";
}
