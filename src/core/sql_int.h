/* cvkit databases, internal: the connection record, the drivers' entry points (called by
   sql.c, the public entry points), what the drivers share (sql_common.c: a growable text
   buffer, identifier quoting, error positions, unique names, rows as text, column types), and
   the summary's text builders (sql_summary_text.c, sql_summary_ch.c).
   The layers call downwards only: sql.c -> sql_sqlite.c, sql_pg.c, sql_ch.c (-> sql_ch_text.c)
   -> sql_common.c; above sql.c, sql_summary.c (running the summary) and sql_score.c (the score
   view) call the text builders sql_summary_ch.c -> sql_summary_text.c. Core use only. */
#ifndef CVKIT_SQL_INT_H
#define CVKIT_SQL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cvkit/sql.h"

struct cv_sql {
    cv_sql_kind kind;
    char *desc;     /* cv_sql_describe */
    void *h;        /* sqlite3 *, PGconn * or the ClickHouse connection (sql_ch.c) */
    int64_t rx, tx; /* bytes of results received and of statements and rows sent */
    double timeout; /* seconds a statement may run (cv_sql_set_timeout); 0: no limit */
    double started;  /* CLOCK_MONOTONIC seconds when the running statement started */
    double deadline; /* ... and when it must end by (SQLite watches it); 0: none */
};

/* ---- Shared by the drivers (sql_common.c) ---- */

/* A growable NUL-terminated text; oom is set (and further appends ignored) when memory
   runs out. Free p with free(). */
typedef struct sq_buf {
    char *p;
    size_t n, cap;
    int oom;
} sq_buf;

void sq_putn(sq_buf *b, const char *s, size_t n);
void sq_puts(sq_buf *b, const char *s);
void sq_printf(sq_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The two text formats rows are sent in: PostgreSQL's COPY text (booleans true/false,
   floats shortest exact; a NUL byte is passed as it is, PostgreSQL refuses it either way)
   and ClickHouse's TabSeparated (booleans 1/0, floats %.17g, NUL written \0). Both write
   a missing value or a nan as \N, inf as inf, and escape \\ \t \n \r in strings. */
typedef enum sq_text_dialect { SQ_TEXT_PG_COPY, SQ_TEXT_CH_TSV } sq_text_dialect;

/* Appends row i of t in dialect d: its values separated by tabs, ended by a newline. */
void sq_text_row(sq_buf *b, const cv_table *t, int64_t i, sq_text_dialect d);

/* Appends name quoted as an identifier (sql.h cv_sql_quote_ident). */
void sq_ident(sq_buf *b, const char *name, int split_dots);

/* Sets err for a database error about sql: "sql:LINE:COL: msg" when pos (1-based, in
   characters of sql) is > 0, else "sql: msg". Returns code. */
int sq_error_at(cv_error *err, int code, const char *sql, long pos, const char *msg);

/* Makes names unique in t's style: a repeated name gets "_2", "_3", ... written into a
   malloc'd string stored in names[k] (the old one freed). 0 or -1 (memory). */
int sq_unique_names(char **names, int n);

/* The SQL type a column is created with. */
const char *sq_create_type(cv_sql_kind kind, cv_type t);

/* ---- The drivers, called by sql.c (sql_sqlite.c, sql_pg.c, sql_ch.c) ---- */

/* open fills db->h and db->desc; 0 or an error code. url is the whole connection
   string: the messages and db->desc show its parts only through cvkit/redact.h. */
int cv_sqlite_open(cv_sql *db, const char *path, const char *url, cv_error *err);
void cv_sqlite_close(cv_sql *db);
cv_table *cv_sqlite_read(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                         cv_error *err);
int cv_sqlite_exec(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                   int64_t *changed, cv_error *err);
int cv_sqlite_write(cv_sql *db, const char *name, const cv_table *t, cv_sql_write_mode mode,
                    cv_error *err);

int cv_pg_open(cv_sql *db, const char *url, cv_error *err);
/* SET statement_timeout for the session (seconds; 0: none). 0 or an error code. */
int cv_pg_set_timeout(cv_sql *db, double seconds, cv_error *err);
void cv_pg_close(cv_sql *db);
cv_table *cv_pg_read(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                     cv_error *err);
int cv_pg_exec(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
               int64_t *changed, cv_error *err);
int cv_pg_write(cv_sql *db, const char *name, const cv_table *t, cv_sql_write_mode mode,
                cv_error *err);

int cv_ch_open(cv_sql *db, const char *url, cv_error *err);
void cv_ch_close(cv_sql *db);
cv_table *cv_ch_read(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                     cv_error *err);
int cv_ch_exec(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
               int64_t *changed, cv_error *err);
int cv_ch_write(cv_sql *db, const char *name, const cv_table *t, cv_sql_write_mode mode,
                cv_error *err);
/* Appends name quoted as a ClickHouse identifier: `a`.`b` (backquote and backslash
   escaped with a backslash). */
void cv_ch_ident(sq_buf *b, const char *name, int split_dots);

/* ---- The summary's text, below sql_summary.c and sql_score.c ---- */

/* sql_summary_text.c: the options the database paths check (the summary options and a table
   named, same-day rows merged); 0 or an error code. */
int sg_check(const char *name, const cv_summary_options *o, cv_error *err);
/* Fills p[0..3): $1 the calibration end, $2 the observation end ('YYYY-MM-DD' written into
   cal and obs, NULL when not set), $3 the margin rate. */
void sg_params(const cv_summary_options *o, char cal[16], char obs[16], cv_sql_param p[3]);
/* The statement of dialect k (not ClickHouse): the summary's rows (collapse 0), the collapses
   (1, 2) or the score view's inner statement (3); malloc'd, or NULL with err set. */
char *sg_text(cv_sql_kind k, const char *name, const cv_summary_options *o, int collapse,
              int *nparams, cv_error *err);
/* Dialect pieces the ClickHouse text shares: the length of month m of year y, the smaller of
   x and y, the day first + kidx months (integer expressions; ch: ClickHouse's spelling). */
void sg_month_len(sq_buf *b, const char *y, const char *m);
void sg_min2(sq_buf *b, const char *x, const char *y);
void sg_add_months(sq_buf *b, const char *kidx, const char *fd, int ch);

/* sql_summary_ch.c: ClickHouse's summary rows (collapse 0) or collapses (1, 2: with the
   column days and the late customers as a row x = -1), and its one row of checks (counted:
   without k_days and k_customers, which a collapse's rows carry); malloc'd, or NULL with
   err set. */
char *ch_text(const char *name, const cv_summary_options *o, int collapse, cv_error *err);
char *ch_checks_text(const char *name, const cv_summary_options *o, int counted, cv_error *err);

#endif
