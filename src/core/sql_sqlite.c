/* cvkit databases: the SQLite backend (libsqlite3). Reads query results into typed
   columns (declared types and values decide), writes tables in one transaction. */
#include "sql_int.h"

#include <ctype.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cvkit/cancel.h"
#include "cvkit/parse.h"
#include "cvkit/mem.h"
#include "cvkit/redact.h"

/* SQLite's progress handler: nonzero (SQLITE_INTERRUPT) when the run is cancelled or the
   statement ran past the connection's timeout (db->deadline, set by sql.c). */
static int sl_progress(void *ud)
{
    const cv_sql *db = ud;
    if (cv_cancelled())
        return 1;
    if (db->deadline <= 0)
        return 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9 >= db->deadline;
}

int cv_sqlite_open(cv_sql *db, const char *path, const char *url, cv_error *err)
{
    sqlite3 *h = NULL;
    size_t len = cv_redact_text(path, url, NULL, 0) + 8;
    char *shown = cv_malloc(len); /* "sqlite:" and the path, passwords hidden (redact.h) */
    if (!shown)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    memcpy(shown, "sqlite:", 7);
    cv_redact_text(path, url, shown + 7, len - 7);
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        cv_error_set(err, CV_ERR_IO, "cannot open sqlite database '%s': %s", shown + 7,
                     h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        cv_free(shown);
        return CV_ERR_IO;
    }
    sqlite3_busy_timeout(h, 5000);
    sqlite3_progress_handler(h, 10000, sl_progress, db); /* every 10,000 VM instructions */
    db->desc = shown;
    db->h = h;
    return 0;
}

void cv_sqlite_close(cv_sql *db)
{
    sqlite3_close((sqlite3 *)db->h);
    db->h = NULL;
}

/* Sets err from the connection's last error about sql (with its position when SQLite
   knows it). */
static int sl_error(sqlite3 *h, const char *sql, cv_error *err)
{
    /* the file or the machine failed: IO; anything else is the SQL's fault (the code of a
       syntax error met while the schema loads can read SQLITE_SCHEMA) */
    int code = sqlite3_errcode(h);
    if (code == SQLITE_INTERRUPT) /* sl_progress: the run's cancellation or the timeout */
        return cv_cancelled() ? cv_cancel_check(err)
                              : cv_error_set(err, CV_ERR_LIMIT, "sqlite: interrupted");
    int ecode = code == SQLITE_NOMEM ? CV_ERR_NOMEM
                : (code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_CORRUPT ||
                   code == SQLITE_NOTADB || code == SQLITE_FULL || code == SQLITE_BUSY ||
                   code == SQLITE_LOCKED || code == SQLITE_READONLY || code == SQLITE_PERM)
                    ? CV_ERR_IO
                    : CV_ERR_PARSE;
    long pos = 0;
#if SQLITE_VERSION_NUMBER >= 3038000
    int off = sqlite3_error_offset(h);
    if (off >= 0 && sql && (size_t)off <= strlen(sql)) {
        pos = 1;
        for (int i = 0; i < off; i++)
            pos += ((unsigned char)sql[i] & 0xC0) != 0x80;
    }
#endif
    return sq_error_at(err, ecode, sql, pos, sqlite3_errmsg(h));
}

/* Binds params to st: "?NNN" and "$NNN" take parameter NNN, others go by position.
   0 or an error code. */
static int sl_bind(sqlite3 *h, sqlite3_stmt *st, const cv_sql_param *params, int nparams,
                   const char *sql, cv_error *err)
{
    int n = sqlite3_bind_parameter_count(st);
    int used = 0;
    for (int i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        int k = i;
        if (name && (name[0] == '$' || name[0] == '?') && isdigit((unsigned char)name[1]))
            k = atoi(name + 1);
        if (k > used)
            used = k;
        if (k < 1 || k > nparams)
            return cv_error_set(err, CV_ERR_USAGE, "the query uses parameter %s but %d %s given",
                                name ? name : "?", nparams, nparams == 1 ? "was" : "were");
        const cv_sql_param *p = &params[k - 1];
        int rc;
        switch (p->kind) {
        case CV_SQLP_INT:
        case CV_SQLP_BOOL:
            rc = sqlite3_bind_int64(st, i, p->i);
            break;
        case CV_SQLP_FLOAT:
            rc = sqlite3_bind_double(st, i, p->f);
            break;
        case CV_SQLP_TEXT:
            rc = sqlite3_bind_text(st, i, p->s, -1, SQLITE_TRANSIENT);
            break;
        default:
            rc = sqlite3_bind_null(st, i);
        }
        if (rc != SQLITE_OK)
            return sl_error(h, sql, err);
    }
    if (used < nparams)
        return cv_error_set(err, CV_ERR_USAGE, "%d parameters given but the query uses %d", nparams,
                            used);
    return 0;
}

/* ---- Reading ---------------------------------------------------------------------------- */

enum { SL_NONE, SL_INT, SL_REAL, SL_NUMERIC, SL_TEXT, SL_DATE, SL_DATETIME, SL_BOOL };

/* The kind of a declared column type (SQLite's affinity rules, plus dates and bools). */
static int sl_decl_kind(const char *decl)
{
    if (!decl || !*decl)
        return SL_NONE;
    char up[64];
    size_t n = 0;
    for (; decl[n] && n + 1 < sizeof up; n++)
        up[n] = (char)toupper((unsigned char)decl[n]);
    up[n] = '\0';
    if (strstr(up, "BOOL"))
        return SL_BOOL;
    if (strstr(up, "TIME"))
        return SL_DATETIME;
    if (strstr(up, "DATE"))
        return SL_DATE;
    if (strstr(up, "INT"))
        return SL_INT;
    if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
        return SL_TEXT;
    if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
        return SL_REAL;
    return SL_NUMERIC;
}

typedef struct sl_col {
    cv_column *c;    /* NULL while undecided (only NULLs so far) */
    int decl;        /* SL_* */
    int64_t pending; /* NULLs seen before the type was decided */
    char *name;
} sl_col;

/* Replaces col->c by its cast to type to. 0 or an error code. */
static int sl_recast(sl_col *col, cv_type to, cv_error *err)
{
    cv_column *nc = cv_column_cast(col->c, to, err);
    if (!nc)
        return err ? err->code : CV_ERR_NOMEM;
    cv_column_unref(col->c);
    col->c = nc;
    return 0;
}

/* Creates the column of col with type t, holding the NULLs seen so far. */
static int sl_start(sl_col *col, cv_type t)
{
    col->c = cv_column_new(col->name, t, 1024);
    if (!col->c)
        return -1;
    for (int64_t i = 0; i < col->pending; i++)
        if (cv_column_push_missing(col->c) != 0)
            return -1;
    return 0;
}

/* Appends value k of the current row to col. 0 or an error code. */
static int sl_push(sqlite3_stmt *st, int k, sl_col *col, cv_error *err)
{
    int vt = sqlite3_column_type(st, k);
    if (vt == SQLITE_NULL) {
        if (!col->c) {
            col->pending++;
            return 0;
        }
        return cv_column_push_missing(col->c) ? CV_ERR_NOMEM : 0;
    }
    if (!col->c) {
        cv_type t = CV_STRING;
        if (col->decl != SL_TEXT && col->decl != SL_DATE && col->decl != SL_DATETIME)
            t = vt == SQLITE_INTEGER ? CV_INT64 : vt == SQLITE_FLOAT ? CV_FLOAT64 : CV_STRING;
        if (col->decl == SL_REAL && t == CV_INT64)
            t = CV_FLOAT64;
        if (sl_start(col, t) != 0)
            return CV_ERR_NOMEM;
    }
    int rc = 0;
    cv_type ct = col->c->type;
    if (ct == CV_INT64 && vt == SQLITE_FLOAT) {
        double v = sqlite3_column_double(st, k);
        if ((rc = sl_recast(col, CV_FLOAT64, err)) != 0)
            return rc;
        return cv_column_push_float(col->c, v) ? CV_ERR_NOMEM : 0;
    }
    if ((ct == CV_INT64 || ct == CV_FLOAT64) && (vt == SQLITE_TEXT || vt == SQLITE_BLOB)) {
        if ((rc = sl_recast(col, CV_STRING, err)) != 0)
            return rc;
        ct = CV_STRING;
    }
    switch (ct) {
    case CV_INT64:
        rc = cv_column_push_int(col->c, sqlite3_column_int64(st, k));
        break;
    case CV_FLOAT64:
        rc = cv_column_push_float(col->c, sqlite3_column_double(st, k));
        break;
    default: {
        const unsigned char *s = sqlite3_column_text(st, k);
        int len = sqlite3_column_bytes(st, k);
        rc = cv_column_push_string(col->c, s ? (const char *)s : "", s ? (size_t)len : 0);
    }
    }
    return rc ? CV_ERR_NOMEM : 0;
}

/* Settles a finished column: an undecided one becomes float; declared dates, datetimes
   and bools take that type when every value reads as one. NULL on failure. */
static cv_column *sl_finish(sl_col *col, int64_t nrows)
{
    if (!col->c) {
        col->pending = nrows;
        if (sl_start(col, CV_FLOAT64) != 0)
            return NULL;
    }
    cv_type want = col->decl == SL_DATE       ? CV_DATE
                   : col->decl == SL_DATETIME ? CV_DATETIME
                   : col->decl == SL_BOOL     ? CV_BOOL
                                              : col->c->type;
    if (want != col->c->type) {
        cv_error e;
        cv_column *nc = cv_column_cast(col->c, want, &e);
        if (nc) {
            cv_column_unref(col->c);
            col->c = nc;
        }
    }
    cv_column *c = col->c;
    col->c = NULL;
    return c;
}

cv_table *cv_sqlite_read(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                         cv_error *err)
{
    sqlite3 *h = db->h;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, &tail) != SQLITE_OK) {
        sl_error(h, sql, err);
        return NULL;
    }
    if (!st) {
        cv_error_set(err, CV_ERR_USAGE, "sql: no statement in the query");
        return NULL;
    }
    while (tail && isspace((unsigned char)*tail))
        tail++;
    if (tail && *tail && *tail != ';') {
        sqlite3_finalize(st);
        cv_error_set(err, CV_ERR_USAGE, "sql: one statement expected, found more");
        return NULL;
    }
    cv_table *t = NULL;
    int ncols = sqlite3_column_count(st);
    sl_col *cols = cv_calloc((size_t)(ncols ? ncols : 1), sizeof *cols);
    int rc = cols ? 0 : CV_ERR_NOMEM;
    if (rc == 0)
        rc = sl_bind(h, st, params, nparams, sql, err);
    for (int k = 0; k < ncols && rc == 0; k++) {
        const char *name = sqlite3_column_name(st, k);
        cols[k].name = cv_strdup(name ? name : "?");
        cols[k].decl = sl_decl_kind(sqlite3_column_decltype(st, k));
        if (!cols[k].name)
            rc = CV_ERR_NOMEM;
    }
    if (rc == 0) {
        char **names = cv_malloc((size_t)(ncols ? ncols : 1) * sizeof *names);
        if (!names)
            rc = CV_ERR_NOMEM;
        for (int k = 0; rc == 0 && k < ncols; k++)
            names[k] = cols[k].name;
        if (rc == 0 && sq_unique_names(names, ncols) != 0)
            rc = CV_ERR_NOMEM;
        for (int k = 0; names && k < ncols; k++)
            cols[k].name = names[k];
        cv_free(names);
    }
    int64_t nrows = 0;
    while (rc == 0) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rc = sl_error(h, sql, err);
            break;
        }
        for (int k = 0; k < ncols && rc == 0; k++)
            rc = sl_push(st, k, &cols[k], err);
        nrows++;
    }
    if (rc == 0 && (t = cv_table_new()) == NULL)
        rc = CV_ERR_NOMEM;
    for (int k = 0; k < ncols && rc == 0; k++) {
        cv_column *c = sl_finish(&cols[k], nrows);
        if (!c)
            rc = CV_ERR_NOMEM;
        else if (cv_table_add(t, c, err) != 0)
            rc = err ? err->code : CV_ERR_USAGE;
        cv_column_unref(c);
    }
    if (rc == CV_ERR_NOMEM)
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    for (int k = 0; cols && k < ncols; k++) {
        cv_column_unref(cols[k].c);
        cv_free(cols[k].name);
    }
    cv_free(cols);
    sqlite3_finalize(st);
    if (rc != 0) {
        cv_table_free(t);
        return NULL;
    }
    return t;
}

int cv_sqlite_exec(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                   int64_t *changed, cv_error *err)
{
    sqlite3 *h = db->h;
    const char *p = sql;
    int first = 1;
    while (p && *p) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(h, p, -1, &st, &tail) != SQLITE_OK)
            return sl_error(h, sql, err);
        if (!st) /* only whitespace or comments left */
            break;
        int rc = first ? sl_bind(h, st, params, nparams, sql, err) : 0;
        while (rc == 0) {
            int s = sqlite3_step(st);
            if (s == SQLITE_DONE)
                break;
            if (s != SQLITE_ROW)
                rc = sl_error(h, sql, err);
        }
        sqlite3_finalize(st);
        if (rc)
            return rc;
        if (changed)
            *changed += sqlite3_changes64(h);
        first = 0;
        p = tail;
    }
    return 0;
}

/* ---- Writing ---------------------------------------------------------------------------- */

/* Runs one statement without parameters; 0 or an error code. */
static int sl_simple(sqlite3 *h, const char *sql, cv_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cv_error_set(err, CV_ERR_IO, "sql: %s", msg ? msg : sqlite3_errmsg(h));
        sqlite3_free(msg);
        return CV_ERR_IO;
    }
    return 0;
}

/* Binds value i of column c to parameter k of st. */
static int sl_bind_value(sqlite3_stmt *st, int k, const cv_column *c, int64_t i)
{
    if (!cv_column_is_valid(c, i))
        return sqlite3_bind_null(st, k);
    char buf[40];
    size_t len;
    const char *s;
    switch (c->type) {
    case CV_INT64:
        return sqlite3_bind_int64(st, k, cv_column_int(c, i));
    case CV_FLOAT64: {
        double v = cv_column_float(c, i);
        return v != v ? sqlite3_bind_null(st, k) : sqlite3_bind_double(st, k, v);
    }
    case CV_BOOL:
        return sqlite3_bind_int(st, k, cv_column_bool(c, i));
    case CV_STRING:
        s = cv_column_string(c, i, &len);
        return sqlite3_bind_text(st, k, s, (int)len, SQLITE_STATIC);
    case CV_DATE:
    case CV_DATETIME:
        len = cv_value_format(c, i, 0, "", buf, sizeof buf);
        return sqlite3_bind_text(st, k, buf, (int)len, SQLITE_TRANSIENT);
    }
    return sqlite3_bind_null(st, k);
}

int cv_sqlite_write(cv_sql *db, const char *name, const cv_table *t, cv_sql_write_mode mode,
                    cv_error *err)
{
    sqlite3 *h = db->h;
    sq_buf q = {0};
    int rc = sl_simple(h, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    if (mode == CV_SQLW_CREATE) {
        sq_puts(&q, "CREATE TABLE ");
        sq_ident(&q, name, 1);
        sq_puts(&q, " (");
        for (int k = 0; k < t->ncols; k++) {
            sq_puts(&q, k ? ", " : "");
            sq_ident(&q, t->cols[k]->name, 0);
            sq_printf(&q, " %s", sq_create_type(CV_SQL_SQLITE, t->cols[k]->type));
        }
        sq_puts(&q, ")");
        if (q.oom)
            rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing a table");
        else if (sqlite3_exec(h, q.p, NULL, NULL, NULL) != SQLITE_OK)
            rc = cv_error_set(err, CV_ERR_IO,
                              "cannot create table '%s': %s (mode append adds rows to it)", name,
                              sqlite3_errmsg(h));
        q.n = 0;
    }
    sqlite3_stmt *st = NULL;
    if (rc == 0) {
        sq_puts(&q, "INSERT INTO ");
        sq_ident(&q, name, 1);
        sq_puts(&q, " (");
        for (int k = 0; k < t->ncols; k++) {
            sq_puts(&q, k ? ", " : "");
            sq_ident(&q, t->cols[k]->name, 0);
        }
        sq_puts(&q, ") VALUES (");
        for (int k = 0; k < t->ncols; k++)
            sq_puts(&q, k ? ", ?" : "?");
        sq_puts(&q, ")");
        if (q.oom)
            rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing a table");
        else if (sqlite3_prepare_v2(h, q.p, -1, &st, NULL) != SQLITE_OK)
            rc = cv_error_set(err, CV_ERR_IO, "cannot write to table '%s': %s", name,
                              sqlite3_errmsg(h));
    }
    for (int64_t i = 0; rc == 0 && i < t->nrows; i++) {
        for (int k = 0; k < t->ncols && rc == 0; k++)
            if (sl_bind_value(st, k + 1, t->cols[k], i) != SQLITE_OK)
                rc = CV_ERR_IO;
        if (rc == 0 && sqlite3_step(st) != SQLITE_DONE)
            rc = CV_ERR_IO;
        if (rc)
            cv_error_set(err, CV_ERR_IO, "cannot write row %lld to table '%s': %s",
                         (long long)i + 1, name, sqlite3_errmsg(h));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    cv_free(q.p);
    if (rc == 0)
        rc = sl_simple(h, "COMMIT", err);
    if (rc != 0)
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
