/* cvkit databases: SQLite files, PostgreSQL and ClickHouse servers as sources and sinks of
   tables, and the per-customer summary (and the fit's collapsed input) computed inside the
   database as SQL aggregations. One connection type for all; the backends live in
   src/core/sql_sqlite.c, sql_pg.c and sql_ch.c (ClickHouse's HTTP interface, with
   sql_ch_text.c), the summary's SQL generators in src/core/sql_summary_text.c and
   sql_summary_ch.c, run by src/core/sql_summary.c, the score view in src/core/sql_score.c. */
#ifndef CVKIT_SQL_H
#define CVKIT_SQL_H

#include <stdint.h>

#include "cvkit/error.h"
#include "cvkit/summary.h"
#include "cvkit/table.h"

typedef enum cv_sql_kind { CV_SQL_SQLITE = 0, CV_SQL_POSTGRES, CV_SQL_CLICKHOUSE } cv_sql_kind;

/* An open connection (owned by the caller: close with cv_sql_close). */
typedef struct cv_sql cv_sql;

/* Opens a connection:
     "sqlite:path.db" or "sqlite://path.db"   a SQLite file (created when missing);
                                              "sqlite::memory:" an in-memory database
     "postgresql://user:pw@host:port/db?..."  PostgreSQL (also "postgres://"), libpq's URI
     "postgresql:"                            PostgreSQL from the PG* environment variables
                                              (PGHOST, PGPORT, PGUSER, PGDATABASE, ...)
     "clickhouse://user:pw@host:port/db"      ClickHouse's HTTP interface (port 8123 and
                                              database "default" when not given; user and
                                              password percent-encoded, sent as HTTP basic
                                              authentication, never in a URL)
   PostgreSQL sessions use DateStyle ISO and the UTC time zone. Fails with CV_ERR_USAGE
   for an unknown scheme and CV_ERR_IO when the database cannot be opened: "cannot connect
   to postgresql at 127.0.0.1:1: connection refused (is the server running?)", "login to
   postgresql at 127.0.0.1:54329 failed: password authentication failed for user "x"". */
cv_sql *cv_sql_connect(const char *url, cv_error *err);
/* Closes the connection and frees it; NULL is fine. */
void cv_sql_close(cv_sql *db);
cv_sql_kind cv_sql_kind_of(const cv_sql *db);
/* A short description for messages and __tostring: "sqlite:tx.db",
   "postgresql://cvkit@127.0.0.1:54329/cvkit" (never a password). Owned by db. */
const char *cv_sql_describe(const cv_sql *db);

/* A query parameter, bound (never pasted into the SQL): $1, $2, ... in PostgreSQL;
   ?, ?1, ?2, ... (or $1 style, which SQLite reads as named ?NNN) in SQLite; $1, $2, ... in
   ClickHouse, whose version 18 has no server-side binding: each is written into the
   statement as an escaped literal outside quotes and comments (sql_ch.h cv_ch_bind). */
typedef struct cv_sql_param {
    enum { CV_SQLP_NULL, CV_SQLP_INT, CV_SQLP_FLOAT, CV_SQLP_TEXT, CV_SQLP_BOOL } kind;
    int64_t i;     /* INT, BOOL (0/1) */
    double f;      /* FLOAT */
    const char *s; /* TEXT, NUL-terminated (borrowed) */
} cv_sql_param;

/* Runs a query and returns its rows as a new table (column names as the database gives
   them; a repeated name gets a suffix "_2", "_3"). Types:
     PostgreSQL: int2/int4/int8/oid -> int; float4/float8/numeric -> float (numeric is
     rounded to the nearest double); bool -> bool; date -> date; timestamp and timestamptz
     (in UTC) -> datetime; text and everything else -> string, as PostgreSQL writes it.
     SQLite: from the declared type of the column and the values: INTEGER -> int (float
     when a value is a non-integral number), REAL/FLOAT/DOUBLE -> float, DATE -> date and
     DATETIME/TIMESTAMP -> datetime when every value reads as one (else string),
     BOOL/BOOLEAN -> bool when every value is 0 or 1, TEXT/CHAR -> string; an expression
     without a declared type takes the type of its values (integers: int; numbers: float;
     any text: string; all NULL: float).
     ClickHouse: through TabSeparatedWithNamesAndTypes (sql_ch.h: IntN and UIntN -> int,
     FloatN and Decimal -> float, Date -> date, DateTime -> datetime, Nullable(T) as T, else
     string), streamed: memory holds the table being built and one network buffer; the
     query must not have a FORMAT clause of its own.
   NULL is a missing value. want (NULL: none) may force column k's type with want[k] >= 0
   (the value is converted; an int column may become a date: days since 1970-01-01).
   PostgreSQL rows stream, so memory holds the table being built plus one row: the query is
   prepared and described first, then run as COPY (query) TO STDOUT in binary when it has
   no parameters and every column type has a binary decoder here, else in libpq's
   single-row mode (binary or, for other types, text). An SQL error reads
   "sql:LINE:COL: the server's message" when the server gives a position (counted in the
   SQL text passed in), else "sql: message"; CV_ERR_PARSE for SQL the database rejects
   (syntax, unknown table or column), CV_ERR_IO for a lost connection. */
cv_table *cv_sql_read(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                      const int *want, int nwant, cv_error *err);

/* Runs a statement that returns no rows (CREATE INDEX, DELETE, ...); 0 or an error code
   with err set as cv_sql_read does. *changed (if not NULL) gets the rows it changed. */
int cv_sql_exec(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                int64_t *changed, cv_error *err);

typedef enum cv_sql_write_mode {
    CV_SQLW_CREATE = 0, /* create the table: an error if it exists */
    CV_SQLW_APPEND      /* append to the table: an error if it does not exist */
} cv_sql_write_mode;

/* Writes t into table `name` (quoted as an identifier; "schema.table" names a schema)
   in one transaction: either every row is there afterwards or the database is as it was.
   Created columns: int BIGINT, float DOUBLE PRECISION (SQLite REAL), string TEXT, date
   DATE, datetime TIMESTAMP, bool BOOLEAN; SQLite stores dates as 'YYYY-MM-DD' text,
   datetimes as 'YYYY-MM-DD HH:MM:SS' and bools as 0/1. Appending matches columns by name.
   PostgreSQL rows go through COPY ... FROM STDIN. ClickHouse (no transactions): the rows
   go as INSERT ... FORMAT TabSeparated in 1 MB chunks into a new MergeTree table beside
   the target (every column Nullable: Int64, Float64, String, Date, DateTime, UInt8 for
   bools), which is then renamed to the target (create) or copied into it by one INSERT ...
   SELECT in the server and dropped (append); on any failure it is dropped, so the target
   is as it was. 0 or an error code with err set. */
int cv_sql_write(cv_sql *db, const char *name, const cv_table *t, cv_sql_write_mode mode,
                 cv_error *err);

/* The per-customer summary computed by the database: table `name` holds the transactions
   (opt->customer, opt->date, opt->amount; opt->cost or opt->margin or margin_rate as in
   cv_summary_table). Returns exactly what cv_summary_table returns on the same rows
   (same columns, names, types, order, values up to the order floating sums are added in),
   rep filled likewise. The SQL is one statement (cv_sql_summary_text) run in the database;
   only one row per customer travels. Dates in the database: PostgreSQL date, timestamp or
   text a date cast reads; SQLite 'YYYY-MM-DD' text (with or without a time of day).
   Not supported in the database: split_same_day (CV_ERR_USAGE). Errors: those of
   cv_summary_table where they apply (missing values and negative amounts are counted, not
   located: "table 'tx': 3 rows with a missing customer, date or amount (skip_missing drops
   such rows)"), and the database's. */
cv_table *cv_sql_summary(cv_sql *db, const char *name, const cv_summary_options *opt,
                         cv_summary_report *rep, cv_error *err);

/* The fit's input computed by the database: the distinct (x, t_x, T) of the summary
   cv_sql_summary would return (with spend, the distinct (x, t_x, T, mean_repeat_spend)),
   each with n, the number of customers that have it, sorted by those columns: columns x
   (int), t_x, T (float), [mean_repeat_spend (float; missing where x = 0)], n (int). Only
   these rows travel; cv_model_fit with n as the weights gives exactly the fit of the
   per-customer rows (the same doubles, collapsed the same). rep as cv_sql_summary fills it
   (customers = the sum of n). Errors as cv_sql_summary's. */
cv_table *cv_sql_collapse(cv_sql *db, const char *name, const cv_summary_options *opt, int spend,
                          cv_summary_report *rep, cv_error *err);

/* The statement that attaches scores to every customer inside the database: CREATE VIEW
   view AS the summary of table name (opt as in cv_sql_summary) joined on (x, t_x, T) with
   table rows (columns x, t_x, T, p_alive, conditional, dtx: the predictions cvkit
   computed for each distinct row), giving customer, x, t_x, T, p_alive, expected (its conditional),
   dtx, spend and clv = dtx x spend x margin_rate, where spend is Gamma-Gamma's E[M | x, m] with gg
   = {p, q, gamma} (the customer's mean_repeat_spend as m), or the customer's mean_spend when gg is
   NULL. The ends and the margin rate are written in as literals (a view takes no parameters).
   malloc'd (caller frees), or NULL with err set. */
char *cv_sql_score_view_text(cv_sql_kind kind, const char *name, const cv_summary_options *opt,
                             const char *rows, const char *view, const double *gg,
                             double margin_rate, cv_error *err);

/* The SQL text cv_sql_summary runs for dialect kind (malloc'd, caller frees), and the
   number of parameters it takes (*nparams): $1/?1 the calibration end and $2/?2 the
   observation end as 'YYYY-MM-DD' text or NULL, $3/?3 the margin rate when given.
   NULL with err set when an option is not supported. ClickHouse (no window functions, no
   table CTEs in version 18): nested aggregations (transactions -> customer days ->
   customers; calendar months in integer arithmetic as in the others), its checks a second statement
   that cv_sql_summary runs first; $1..$3 are written in as literals. */
char *cv_sql_summary_text(cv_sql_kind kind, const char *name, const cv_summary_options *opt,
                          int *nparams, cv_error *err);

/* Limits every statement run on db from now on to `seconds` of wall time (0: no limit, the
   default; at most 1e6): PostgreSQL through the session's statement_timeout, ClickHouse
   through the max_execution_time setting of each request and libcurl's timeout of the
   request (the server does not stop every query, e.g. sleep(), itself; a write is limited
   chunk by chunk), SQLite by its progress handler. A statement stopped by it fails with
   CV_ERR_LIMIT: "clickhouse://cvkit@127.0.0.1:58123/cvkit: the query ran past the
   connection's timeout of 2 s and was stopped" (cv_sql_describe, then the limit). The
   run's cancellation (include/cvkit/cancel.h, the sandbox's time limit) also stops a
   ClickHouse or SQLite statement within a second, as CV_ERR_LIMIT "cancelled"; a
   PostgreSQL one is not interrupted (the engine's watchdog ends the process). 0 or an error
   code (CV_ERR_USAGE for a bad value, the database's error for PostgreSQL). */
int cv_sql_set_timeout(cv_sql *db, double seconds, cv_error *err);

/* The bytes this connection received (query results) and sent (statements and rows)
   since it was opened: ClickHouse counts the HTTP bodies, PostgreSQL the result values
   (binary COPY data or single rows) and the COPY data sent; SQLite 0. */
void cv_sql_traffic(const cv_sql *db, int64_t *received, int64_t *sent);

/* Appends the quoted identifier for name to buf ("a.b" -> "a"."b" when split_dots;
   double quotes doubled). Returns the length it needs (like snprintf). */
size_t cv_sql_quote_ident(const char *name, int split_dots, char *buf, size_t size);

#endif
