/* cvkit databases: connections by URL, dispatch to the SQLite and PostgreSQL backends, and
   the helpers they share (text buffer, identifier quoting, error positions, forced types,
   rows as COPY/TabSeparated text). */
#include "sql_int.h"
#include "cvkit/cancel.h"
#include "cvkit/redact.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

cv_table *sq_apply_types(cv_table *t, const int *want, int nwant, cv_error *err)
{
    if (!want || !t)
        return t;
    for (int k = 0; k < nwant && k < t->ncols; k++) {
        cv_column *c = t->cols[k];
        if (want[k] < 0 || (int)c->type == want[k])
            continue;
        cv_column *nc;
        if (cv_column_count_missing(c) == c->n) { /* all missing: any type will do */
            nc = cv_column_new(c->name, (cv_type)want[k], c->n);
            for (int64_t i = 0; nc && i < c->n; i++)
                if (cv_column_push_missing(nc) != 0) {
                    cv_column_unref(nc);
                    nc = NULL;
                }
            if (!nc)
                cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
        } else if (c->type == CV_INT64 && want[k] == CV_DATE) {
            nc = cv_column_new(c->name, CV_DATE, c->n);
            for (int64_t i = 0; nc && i < c->n; i++)
                if ((cv_column_is_valid(c, i) ? cv_column_push_i32(nc, (int32_t)cv_column_int(c, i))
                                              : cv_column_push_missing(nc)) != 0) {
                    cv_column_unref(nc);
                    nc = NULL;
                }
            if (!nc)
                cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
        } else {
            nc = cv_column_cast(c, (cv_type)want[k], err);
        }
        if (!nc) {
            cv_table_free(t);
            return NULL;
        }
        cv_column_unref(t->cols[k]);
        t->cols[k] = nc;
    }
    return t;
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

/* ---- Connections ------------------------------------------------------------------------ */

cv_sql *cv_sql_connect(const char *url, cv_error *err)
{
    if (!url)
        url = "";
    cv_sql *db = cv_calloc(1, sizeof *db);
    if (!db) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
        return NULL;
    }
    int rc;
    char shown[200]; /* the URL as messages show it: passwords hidden (redact.h) */
    cv_redact_conn(url, shown, sizeof shown);
    if (strncmp(url, "sqlite:", 7) == 0) {
        const char *path = url + 7;
        if (strncmp(path, "//", 2) == 0)
            path += 2;
        db->kind = CV_SQL_SQLITE;
        rc = *path
                 ? cv_sqlite_open(db, path, url, err)
                 : cv_error_set(err, CV_ERR_USAGE, "no file in '%s' (write sqlite:path.db)", shown);
    } else if (strncmp(url, "postgresql:", 11) == 0 || strncmp(url, "postgres:", 9) == 0) {
        db->kind = CV_SQL_POSTGRES;
        rc = cv_pg_open(db, url, err);
    } else if (strncmp(url, "clickhouse:", 11) == 0) {
        db->kind = CV_SQL_CLICKHOUSE;
        rc = cv_ch_open(db, url, err);
    } else {
        rc = cv_error_set(err, CV_ERR_USAGE,
                          "unknown database '%s' (expected sqlite:path.db, "
                          "postgresql://user@host:port/db or clickhouse://user@host:port/db)",
                          shown);
    }
    if (rc != 0) {
        cv_free(db->desc);
        cv_free(db);
        return NULL;
    }
    return db;
}

void cv_sql_close(cv_sql *db)
{
    if (!db)
        return;
    if (db->kind == CV_SQL_SQLITE)
        cv_sqlite_close(db);
    else if (db->kind == CV_SQL_CLICKHOUSE)
        cv_ch_close(db);
    else
        cv_pg_close(db);
    cv_free(db->desc);
    cv_free(db);
}

cv_sql_kind cv_sql_kind_of(const cv_sql *db)
{
    return db->kind;
}

const char *cv_sql_describe(const cv_sql *db)
{
    return db->desc ? db->desc : "";
}

int cv_sql_set_timeout(cv_sql *db, double seconds, cv_error *err)
{
    if (!db)
        return cv_error_set(err, CV_ERR_USAGE, "no connection");
    if (!(seconds >= 0 && seconds <= 1e6))
        return cv_error_set(err, CV_ERR_USAGE,
                            "a timeout is a number of seconds from 0 to 1000000, got %g", seconds);
    if (db->kind == CV_SQL_POSTGRES) {
        int rc = cv_pg_set_timeout(db, seconds, err);
        if (rc)
            return rc;
    }
    db->timeout = seconds;
    return 0;
}

static double sq_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Starts the clock of a statement: db->deadline for the backends that watch it (SQLite). */
static void sq_start(cv_sql *db)
{
    db->started = sq_now();
    db->deadline = db->timeout > 0 ? db->started + db->timeout : 0;
}

/* A backend's CV_ERR_LIMIT (the server or the client stopped the statement at the
   connection's timeout) rewritten as the one message that names the limit, when the
   statement did run that long; the run's cancellation ("cancelled") and a limit of the
   statement's own (ClickHouse's SETTINGS max_execution_time = 1 under a longer timeout) keep
   their messages. Returns rc. */
static int sq_timeout(cv_sql *db, int rc, cv_error *err)
{
    if (rc == CV_ERR_LIMIT && db->timeout > 0 && !cv_cancelled() &&
        sq_now() - db->started >= db->timeout * 0.999)
        cv_error_set(err, CV_ERR_LIMIT,
                     "%s: the query ran past the connection's timeout of %.14g s and was stopped",
                     cv_sql_describe(db), db->timeout);
    return rc;
}

cv_table *cv_sql_read(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                      const int *want, int nwant, cv_error *err)
{
    if (!db || !sql) {
        cv_error_set(err, CV_ERR_USAGE, "no connection or no query");
        return NULL;
    }
    sq_start(db);
    cv_table *t = db->kind == CV_SQL_SQLITE       ? cv_sqlite_read(db, sql, params, nparams, err)
                  : db->kind == CV_SQL_CLICKHOUSE ? cv_ch_read(db, sql, params, nparams, err)
                                                  : cv_pg_read(db, sql, params, nparams, err);
    if (!t && err)
        sq_timeout(db, err->code, err);
    return sq_apply_types(t, want, nwant, err);
}

int cv_sql_exec(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                int64_t *changed, cv_error *err)
{
    if (!db || !sql)
        return cv_error_set(err, CV_ERR_USAGE, "no connection or no statement");
    if (changed)
        *changed = 0;
    sq_start(db);
    int rc = db->kind == CV_SQL_CLICKHOUSE ? cv_ch_exec(db, sql, params, nparams, changed, err)
             : db->kind == CV_SQL_SQLITE   ? cv_sqlite_exec(db, sql, params, nparams, changed, err)
                                           : cv_pg_exec(db, sql, params, nparams, changed, err);
    return sq_timeout(db, rc, err);
}

int cv_sql_write(cv_sql *db, const char *name, const cv_table *t, cv_sql_write_mode mode,
                 cv_error *err)
{
    if (!db || !t)
        return cv_error_set(err, CV_ERR_USAGE, "no connection or no table");
    if (!name || !*name)
        return cv_error_set(err, CV_ERR_USAGE, "no table name to write to");
    if (t->ncols == 0)
        return cv_error_set(err, CV_ERR_USAGE, "a table without columns cannot be written");
    sq_start(db);
    int rc = db->kind == CV_SQL_CLICKHOUSE ? cv_ch_write(db, name, t, mode, err)
             : db->kind == CV_SQL_SQLITE   ? cv_sqlite_write(db, name, t, mode, err)
                                           : cv_pg_write(db, name, t, mode, err);
    return sq_timeout(db, rc, err);
}

void cv_sql_traffic(const cv_sql *db, int64_t *received, int64_t *sent)
{
    *received = db ? db->rx : 0;
    *sent = db ? db->tx : 0;
}
