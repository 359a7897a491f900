/* cvkit databases: the public entry points (include/cvkit/sql.h): connections by URL,
   dispatch to the SQLite, PostgreSQL and ClickHouse drivers, the statement's clock and
   timeout message, and the forced types of cv_sql_read. What the drivers share is below them
   in sql_common.c. */
#include "sql_int.h"
#include "cvkit/cancel.h"
#include "cvkit/redact.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cvkit/mem.h"

/* ---- Forced types ----------------------------------------------------------------------- */

/* Applies forced types want[0..nwant) to the columns of t (sql.h cv_sql_read): a new
   table, or NULL with err set; t is consumed. */
static cv_table *sq_apply_types(cv_table *t, const int *want, int nwant, cv_error *err)
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
