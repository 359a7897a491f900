/* cvkit databases: the PostgreSQL backend (libpq). Queries stream through a server-side
   cursor fetched in batches in binary (text when a column has a type without a binary
   decoder here); tables are written with COPY ... FROM STDIN in one transaction. */
#include "sql_int.h"

#include <ctype.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/redact.h"

/* Type OIDs (src/include/catalog/pg_type.dat; stable across versions). */
enum {
    PG_BOOL = 16,
    PG_NAME = 19,
    PG_INT8 = 20,
    PG_INT2 = 21,
    PG_INT4 = 23,
    PG_TEXT = 25,
    PG_OID = 26,
    PG_FLOAT4 = 700,
    PG_FLOAT8 = 701,
    PG_BPCHAR = 1042,
    PG_VARCHAR = 1043,
    PG_DATE = 1082,
    PG_TIMESTAMP = 1114,
    PG_TIMESTAMPTZ = 1184,
    PG_NUMERIC = 1700
};

/* Days and seconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
#define PG_EPOCH_DAYS 10957
#define PG_EPOCH_SECS 946684800LL

/* ---- Connecting --------------------------------------------------------------------------- */

/* Copies the first line of s after marker (or all of s when marker is not there) into
   buf, lowercasing its first letter. */
static void pg_line_after(const char *s, const char *marker, char *buf, size_t size)
{
    const char *p = marker ? strstr(s, marker) : NULL;
    if (p && marker)
        p += strlen(marker);
    else
        p = s;
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, "\n");
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '.'))
        n--;
    snprintf(buf, size, "%.*s", (int)n, p);
    if (buf[0] && isupper((unsigned char)buf[0]) && !isupper((unsigned char)buf[1]))
        buf[0] = (char)tolower((unsigned char)buf[0]);
}

/* Sets err for a failed connection to url: refused, login failed, or something else. libpq's
   message and the host and port it parsed may echo parts of url (a malformed URL, a
   misplaced password): they are shown through cv_redact_text only. */
static int pg_connect_error(PGconn *c, const char *url, cv_error *err)
{
    char m[512], host[128], port[64], at[200], why[200];
    cv_redact_text(c ? PQerrorMessage(c) : "out of memory", url, m, sizeof m);
    cv_redact_text(c && PQhost(c) ? PQhost(c) : "", url, host, sizeof host);
    cv_redact_text(c && PQport(c) ? PQport(c) : "", url, port, sizeof port);
    at[0] = '\0'; /* " at host:port", or nothing when libpq did not get that far */
    if (host[0] || port[0])
        snprintf(at, sizeof at, " at %s:%s", host[0] ? host : "?", port[0] ? port : "?");
    if (strstr(m, "Connection refused"))
        return cv_error_set(err, CV_ERR_IO,
                            "cannot connect to postgresql%s: connection refused (is the "
                            "server running?)",
                            at);
    if (strstr(m, "FATAL:")) {
        pg_line_after(m, "FATAL:", why, sizeof why);
        if (strstr(m, "authentication") || strstr(m, "password") || strstr(m, "role"))
            return cv_error_set(err, CV_ERR_IO, "login to postgresql%s failed: %s", at, why);
        return cv_error_set(err, CV_ERR_IO, "cannot connect to postgresql%s: %s", at, why);
    }
    if (strstr(m, "password"))
        pg_line_after(m, NULL, why, sizeof why);
    else
        pg_line_after(m, "failed:", why, sizeof why);
    return cv_error_set(err, CV_ERR_IO, "cannot connect to postgresql%s: %s", at, why);
}

/* Drops the server's notices ("table ... does not exist, skipping"): the core never prints. */
static void pg_quiet(void *ud, const char *msg)
{
    (void)ud;
    (void)msg;
}

/* Decodes the percent escapes of s[0..n) into out (n + 1 bytes) as libpq does; -1 for a '%'
   not followed by two hexadecimal digits, or %00. */
static int pg_unescape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] != '%') {
            out[o++] = s[k];
            continue;
        }
        if (k + 2 >= n || !isxdigit((unsigned char)s[k + 1]) || !isxdigit((unsigned char)s[k + 2]))
            return -1;
        char hex[3] = {s[k + 1], s[k + 2], '\0'};
        if ((out[o++] = (char)strtol(hex, NULL, 16)) == '\0')
            return -1;
        k += 2;
    }
    out[o] = '\0';
    return 0;
}

/* Connects to url. A password in the URL's user information is taken out of it and handed
   to libpq as a parameter of its own (decoded here), so that libpq, which quotes the URL or
   its parts in its messages, never sees it there; this also lets a raw '@' in the password
   work. 0 with *c set (its status tells whether it is connected), else CV_ERR_USAGE (a bad
   percent escape in the password) or CV_ERR_NOMEM with err set. */
static int pg_connect(const char *url, PGconn **c, cv_error *err)
{
    size_t off, n;
    int rc = 0;
    *c = NULL;
    if (!cv_url_password(url, &off, &n) || n == 0) {
        *c = PQconnectdb(url);
        return *c ? 0 : cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    }
    size_t len = strlen(url);
    char *pw = cv_malloc(n + 1), *rest = cv_malloc(len + 1);
    if (!pw || !rest) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    } else if (pg_unescape(url + off, n, pw) != 0) {
        char shown[200];
        cv_redact_conn(url, shown, sizeof shown);
        rc = cv_error_set(err, CV_ERR_USAGE,
                          "bad password in '%s': a '%%' not followed by two hexadecimal digits "
                          "(write %%25 for '%%', %%40 for '@')",
                          shown);
    } else {
        memcpy(rest, url, off - 1); /* without ":password" */
        memcpy(rest + off - 1, url + off + n, len - off - n + 1);
        const char *const keys[] = {"dbname", "password", NULL};
        const char *const vals[] = {rest, pw, NULL};
        if ((*c = PQconnectdbParams(keys, vals, 1)) == NULL)
            rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    }
    if (pw)
        explicit_bzero(pw, n + 1);
    cv_free(pw);
    cv_free(rest);
    return rc;
}

int cv_pg_open(cv_sql *db, const char *url, cv_error *err)
{
    /* "postgresql:" alone: every parameter from the environment (PGHOST, ...) */
    const char *info =
        (strcmp(url, "postgresql:") == 0 || strcmp(url, "postgres:") == 0) ? "" : url;
    PGconn *c;
    int rc0 = pg_connect(info, &c, err);
    if (rc0 != 0)
        return rc0;
    if (PQstatus(c) != CONNECTION_OK) {
        int rc = pg_connect_error(c, url, err);
        PQfinish(c);
        return rc;
    }
    PQsetNoticeProcessor(c, pg_quiet, NULL); /* notices are not errors: not printed */
    PGresult *r = PQexec(c, "SET DateStyle = ISO; SET TimeZone = 'UTC'; "
                            "SET client_encoding = 'UTF8'; SET extra_float_digits = 3");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        char why[256];
        cv_redact_text(PQerrorMessage(c), url, why, sizeof why);
        cv_error_set(err, CV_ERR_IO, "cannot set up the postgresql session: %s", why);
        PQfinish(c);
        return CV_ERR_IO;
    }
    const char *user = PQuser(c), *host = PQhost(c), *port = PQport(c), *dbn = PQdb(c);
    size_t len = 64 + strlen(user ? user : "") + strlen(host ? host : "") +
                 strlen(port ? port : "") + strlen(dbn ? dbn : "");
    db->desc = cv_malloc(len);
    if (!db->desc) {
        PQfinish(c);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    }
    snprintf(db->desc, len, "postgresql://%s@%s:%s/%s", user ? user : "", host ? host : "",
             port ? port : "", dbn ? dbn : "");
    db->h = c;
    return 0;
}

void cv_pg_close(cv_sql *db)
{
    PQfinish((PGconn *)db->h);
    db->h = NULL;
}

/* ---- Errors and parameters ---------------------------------------------------------------- */

/* Sets err from a failed result r (or the connection's message when r has none) about sql,
   whose text starts at character `shift` of the statement the server saw. */
static int pg_error(PGconn *c, const PGresult *r, const char *sql, long shift, cv_error *err)
{
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!primary) {
        char why[200];
        pg_line_after(PQerrorMessage(c), NULL, why, sizeof why);
        return cv_error_set(err, CV_ERR_IO, "postgresql: %s", why[0] ? why : "connection lost");
    }
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
    int code = CV_ERR_PARSE;
    if (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
                  strncmp(state, "53", 2) == 0 || strncmp(state, "58", 2) == 0 ||
                  strncmp(state, "XX", 2) == 0))
        code = CV_ERR_IO;
    /* 57014 "canceling statement due to statement timeout": the connection's timeout (sql.c
       names it), not "due to user request" */
    if (state && strcmp(state, "57014") == 0 && strstr(primary, "timeout"))
        code = CV_ERR_LIMIT;
    else if (state && strcmp(state, "57014") == 0 && cv_cancelled()) /* pg_await's PQcancel */
        return cv_cancel_check(err);
    long p = pos ? atol(pos) - shift : 0;
    return sq_error_at(err, code, sql, p > 0 ? p : 0, primary);
}

/* Parameter texts for libpq (text format; numbers written exactly). bufs holds the
   texts of numbers (nparams * 32 bytes). */
static void pg_params(const cv_sql_param *params, int n, const char **vals, Oid *types, char *bufs)
{
    for (int k = 0; k < n; k++) {
        char *b = bufs + 32 * k;
        types[k] = 0;
        switch (params[k].kind) {
        case CV_SQLP_INT:
            snprintf(b, 32, "%lld", (long long)params[k].i);
            vals[k] = b;
            types[k] = PG_INT8;
            break;
        case CV_SQLP_FLOAT:
            snprintf(b, 32, "%.17g", params[k].f);
            vals[k] = b;
            types[k] = PG_FLOAT8;
            break;
        case CV_SQLP_BOOL:
            vals[k] = params[k].i ? "true" : "false";
            types[k] = PG_BOOL;
            break;
        case CV_SQLP_TEXT:
            vals[k] = params[k].s;
            break;
        default:
            vals[k] = NULL;
        }
    }
}

/* ---- Waiting, cancellably ---------------------------------------------------------------- */

/* How long one wait for the server lasts before the run's cancellation is looked at again. */
#define PG_POLL_MS 50

/* Waits until the server has sent something on c or PG_POLL_MS passed, and reads it in.
   When the run is cancelled (cvkit/cancel.h: the script's --timeout) and cancellable is
   set, asks the server once (*asked) to cancel the running statement (PQcancel on a
   connection of its own): the statement then ends with SQLSTATE 57014, which pg_error
   reports as "cancelled". 0, or -1 when the connection failed. */
static int pg_await(PGconn *c, int cancellable, int *asked)
{
    if (cancellable && !*asked && cv_cancelled()) {
        *asked = 1;
        PGcancel *k = PQgetCancel(c);
        char why[256];
        if (k) {
            PQcancel(k, why, (int)sizeof why); /* on failure the statement runs on: nothing to do */
            PQfreeCancel(k);
        }
    }
    struct pollfd p = {PQsocket(c), POLLIN, 0};
    if (p.fd < 0)
        return -1;
    if (poll(&p, 1, PG_POLL_MS) < 0)
        return 0; /* EINTR: look again */
    return p.revents ? (PQconsumeInput(c) ? 0 : -1) : 0;
}

/* The next result of the statement sent on c (PQgetResult), waited for in steps of
   pg_await so that a cancelled run cancels the statement; NULL at the end (or when the
   connection failed: PQgetResult then reports it). */
static PGresult *pg_next(PGconn *c, int cancellable, int *asked)
{
    while (PQisBusy(c))
        if (pg_await(c, cancellable, asked) != 0)
            break;
    return PQgetResult(c);
}

/* Collects the results of a statement sent on c as PQexec does: the last one, or the
   first that failed, or the first COPY one (whose data follows); NULL when the sending
   failed (sent == 0) or nothing came (pg_error reports the connection's message). */
static PGresult *pg_collect(PGconn *c, int sent, int cancellable)
{
    PGresult *last = NULL, *r;
    int asked = 0;
    if (!sent)
        return NULL;
    while ((r = pg_next(c, cancellable, &asked)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
            PQclear(last);
            return r;
        }
        int failed_before = last && PQresultStatus(last) == PGRES_FATAL_ERROR;
        if (failed_before) {
            PQclear(r);
        } else {
            PQclear(last);
            last = r;
        }
    }
    return last;
}

/* PQexec(c, sql), cancellable (pg_await). */
static PGresult *pg_exec(PGconn *c, const char *sql)
{
    return pg_collect(c, PQsendQuery(c, sql), 1);
}

/* Runs sql with params; the result (caller clears) or NULL when memory ran out. */
static PGresult *pg_run(PGconn *c, const char *sql, const cv_sql_param *params, int nparams)
{
    if (nparams == 0)
        return pg_collect(c, PQsendQueryParams(c, sql, 0, NULL, NULL, NULL, NULL, 0), 1);
    const char **vals = cv_malloc((size_t)nparams * sizeof *vals);
    Oid *types = cv_malloc((size_t)nparams * sizeof *types);
    char *bufs = cv_malloc((size_t)nparams * 32);
    PGresult *r = NULL;
    if (vals && types && bufs) {
        pg_params(params, nparams, vals, types, bufs);
        r = pg_collect(c, PQsendQueryParams(c, sql, nparams, types, vals, NULL, NULL, 0), 1);
    }
    cv_free(vals);
    cv_free(types);
    cv_free(bufs);
    return r;
}

/* Runs a command without parameters; 0 or an error code. */
static int pg_simple(PGconn *c, const char *sql, cv_error *err)
{
    PGresult *r = pg_exec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_error(c, r, sql, 0, err);
    PQclear(r);
    return rc;
}

int cv_pg_set_timeout(cv_sql *db, double seconds, cv_error *err)
{
    char q[64];
    snprintf(q, sizeof q, "SET statement_timeout = %lld", (long long)ceil(seconds * 1000));
    return pg_simple(db->h, q, err);
}

/* ---- Decoding values ------------------------------------------------------------------------ */

static uint16_t be16(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint16_t)(u[0] << 8 | u[1]);
}
static uint32_t be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}
static uint64_t be64(const char *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* The value of a binary numeric (sign, weight, base-10000 digits) as the nearest double:
   written as decimal text and read with correct rounding. */
static double pg_numeric(const char *p, int len)
{
    if (len < 8)
        return NAN;
    int nd = (int16_t)be16(p), weight = (int16_t)be16(p + 2);
    uint16_t sign = be16(p + 4);
    if (sign == 0xC000)
        return NAN;
    if (sign == 0xD000)
        return INFINITY;
    if (sign == 0xF000)
        return -INFINITY;
    if (nd <= 0)
        return 0.0;
    if (len < 8 + 2 * nd || nd > 200)
        return NAN;
    char buf[1024];
    int n = 0;
    if (sign == 0x4000)
        buf[n++] = '-';
    for (int i = 0; i < nd; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%04u", (unsigned)be16(p + 8 + 2 * i));
    snprintf(buf + n, sizeof buf - (size_t)n, "e%d", 4 * (weight + 1 - nd));
    return strtod(buf, NULL);
}

/* The cvkit type of a PostgreSQL type, and whether we decode its binary form. */
static cv_type pg_cvtype(Oid t, int *binary)
{
    *binary = 1;
    switch (t) {
    case PG_INT2:
    case PG_INT4:
    case PG_INT8:
    case PG_OID:
        return CV_INT64;
    case PG_FLOAT4:
    case PG_FLOAT8:
    case PG_NUMERIC:
        return CV_FLOAT64;
    case PG_BOOL:
        return CV_BOOL;
    case PG_DATE:
        return CV_DATE;
    case PG_TIMESTAMP:
    case PG_TIMESTAMPTZ:
        return CV_DATETIME;
    case PG_TEXT:
    case PG_VARCHAR:
    case PG_BPCHAR:
    case PG_NAME:
        return CV_STRING;
    default:
        *binary = 0;
        return CV_STRING;
    }
}

/* Appends value s[0..len) of PostgreSQL type t in format fmt (1 binary, 0 text) to c.
   0, or -1 when memory ran out. A value that does not decode is a missing value. */
static int pg_push(cv_column *c, Oid t, int fmt, const char *s, int len)
{
    if (fmt == 1) {
        switch (t) {
        case PG_INT2:
            return cv_column_push_int(c, (int16_t)be16(s));
        case PG_INT4:
            return cv_column_push_int(c, (int32_t)be32(s));
        case PG_OID:
            return cv_column_push_int(c, be32(s));
        case PG_INT8:
            return cv_column_push_int(c, (int64_t)be64(s));
        case PG_FLOAT4: {
            uint32_t u = be32(s);
            float f;
            memcpy(&f, &u, 4);
            return cv_column_push_float(c, f);
        }
        case PG_FLOAT8: {
            uint64_t u = be64(s);
            double d;
            memcpy(&d, &u, 8);
            return cv_column_push_float(c, d);
        }
        case PG_NUMERIC:
            return cv_column_push_float(c, pg_numeric(s, len));
        case PG_BOOL:
            return cv_column_push_bool(c, s[0] != 0);
        case PG_DATE: {
            int32_t d = (int32_t)be32(s);
            if (d == INT32_MAX || d == INT32_MIN) /* infinity */
                return cv_column_push_missing(c);
            return cv_column_push_i32(c, d + PG_EPOCH_DAYS);
        }
        case PG_TIMESTAMP:
        case PG_TIMESTAMPTZ: {
            int64_t us = (int64_t)be64(s);
            if (us == INT64_MAX || us == INT64_MIN)
                return cv_column_push_missing(c);
            int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
            return cv_column_push_int(c, secs + PG_EPOCH_SECS);
        }
        default:
            return cv_column_push_string(c, s, (size_t)len);
        }
    }
    int64_t i;
    double d;
    int32_t days, secs;
    int b;
    switch (c->type) {
    case CV_INT64:
        return cv_parse_int(s, (size_t)len, &i) == 0 ? cv_column_push_int(c, i)
                                                     : cv_column_push_missing(c);
    case CV_FLOAT64: /* PostgreSQL writes exact digits, NaN and Infinity */
        d = t == PG_FLOAT4 ? (double)strtof(s, NULL) : strtod(s, NULL);
        return cv_column_push_float(c, d);
    case CV_BOOL:
        return cv_parse_bool(s, (size_t)len, &b) == 0 ? cv_column_push_bool(c, b)
                                                      : cv_column_push_missing(c);
    case CV_DATE:
        return cv_parse_date(s, (size_t)len, CV_DATE_ISO, &days, NULL, NULL) == 0
                   ? cv_column_push_i32(c, days)
                   : cv_column_push_missing(c);
    case CV_DATETIME: {
        size_t n = (size_t)len; /* drop a zone suffix: sessions run in UTC */
        if (t == PG_TIMESTAMPTZ && n > 3 && (s[n - 3] == '+' || s[n - 3] == '-'))
            n -= 3;
        return cv_parse_date(s, n, CV_DATE_ISO, &days, &secs, NULL) == 0
                   ? cv_column_push_int(c, (int64_t)days * 86400 + secs)
                   : cv_column_push_missing(c);
    }
    default:
        return cv_column_push_string(c, s, (size_t)len);
    }
}

/* ---- Reading ---------------------------------------------------------------------------- */

/* Appends the rows of a FETCH result to the columns. 0 or -1 (memory). */
static int pg_fold(const PGresult *r, cv_column **cols, const Oid *types, int ncols, int fmt,
                   int64_t *rx)
{
    int n = PQntuples(r);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < ncols; k++)
            *rx += PQgetlength(r, i, k);
    for (int k = 0; k < ncols; k++) {
        cv_column *c = cols[k];
        int64_t need = c->n + n; /* grow geometrically: batches must not copy quadratically */
        if (need > c->cap && cv_column_reserve(c, need > 2 * c->cap ? need : 2 * c->cap) != 0)
            return -1;
        for (int i = 0; i < n; i++) {
            int rc = PQgetisnull(r, i, k)
                         ? cv_column_push_missing(c)
                         : pg_push(c, types[k], fmt, PQgetvalue(r, i, k), PQgetlength(r, i, k));
            if (rc != 0)
                return -1;
        }
    }
    return 0;
}

/* Makes the columns of a described statement or portal r: names made unique, cvkit types
   from the type OIDs in types; *fmt = 1 when every type has a binary decoder. 0 or an
   error code (memory). */
static int pg_columns(const PGresult *r, cv_column ***cols_out, Oid **types_out, int *ncols_out,
                      int *fmt, cv_error *err)
{
    int ncols = PQnfields(r), rc = 0;
    cv_column **cols = cv_calloc((size_t)(ncols ? ncols : 1), sizeof *cols);
    Oid *types = cv_calloc((size_t)(ncols ? ncols : 1), sizeof *types);
    char **names = cv_calloc((size_t)(ncols ? ncols : 1), sizeof *names);
    rc = cols && types && names ? 0 : CV_ERR_NOMEM;
    for (int k = 0; k < ncols && rc == 0; k++)
        if (!(names[k] = cv_strdup(PQfname(r, k))))
            rc = CV_ERR_NOMEM;
    if (rc == 0 && sq_unique_names(names, ncols) != 0)
        rc = CV_ERR_NOMEM;
    *fmt = 1;
    for (int k = 0; k < ncols && rc == 0; k++) {
        int bin;
        types[k] = PQftype(r, k);
        cv_type ct = pg_cvtype(types[k], &bin);
        *fmt &= bin;
        if (!(cols[k] = cv_column_new(names[k], ct, 1024)))
            rc = CV_ERR_NOMEM;
    }
    for (int k = 0; names && k < ncols; k++)
        cv_free(names[k]);
    cv_free(names);
    if (rc) {
        for (int k = 0; cols && k < ncols; k++)
            cv_column_unref(cols[k]);
        cv_free(cols);
        cv_free(types);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    }
    *cols_out = cols;
    *types_out = types;
    *ncols_out = ncols;
    return 0;
}

/* Reads the rows of query sql (no parameters; every column type has a binary decoder) with
   COPY (sql) TO STDOUT in binary into cols: one message per row, no result objects.
   0 or an error code. */
static int pg_copy_out(PGconn *c, const char *sql, cv_column **cols, const Oid *types, int ncols,
                       int64_t *rx, cv_error *err)
{
    static const char sig[11] = "PGCOPY\n\377\r\n";
    sq_buf q = {0};
    sq_puts(&q, "COPY (\n");
    long shift = (long)q.n;
    size_t len = strlen(sql);
    while (len > 0 && (sql[len - 1] == ';' || isspace((unsigned char)sql[len - 1])))
        len--;
    sq_putn(&q, sql, len);
    sq_puts(&q, "\n) TO STDOUT (FORMAT binary)");
    if (q.oom) {
        cv_free(q.p);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    }
    PGresult *r = pg_exec(c, q.p);
    cv_free(q.p);
    int rc = 0, header = 0, asked = 0;
    if (PQresultStatus(r) != PGRES_COPY_OUT)
        rc = pg_error(c, r, sql, shift, err);
    PQclear(r);
    if (rc)
        return rc;
    for (;;) {
        char *buf = NULL;
        int n = PQgetCopyData(c, &buf, 1);
        if (n == 0) { /* no whole row yet */
            if (pg_await(c, 1, &asked) != 0)
                break;
            continue;
        }
        if (n < 0)
            break; /* -1: done (the status follows), -2: failed (likewise) */
        *rx += n;
        const char *p = buf, *end = buf + n;
        if (!header) { /* signature, flags, header extension */
            if (n < 19 || memcmp(p, sig, 11) != 0) {
                rc = cv_error_set(err, CV_ERR_IO, "postgresql: unexpected copy data");
            } else {
                p += 19 + be32(p + 15);
                header = 1;
            }
        }
        if (rc == 0 && p + 2 <= end && (int16_t)be16(p) != -1) {
            if ((int16_t)be16(p) != ncols) {
                rc = cv_error_set(err, CV_ERR_IO, "postgresql: unexpected copy data");
            }
            p += 2;
            for (int k = 0; k < ncols && rc == 0; k++) {
                int32_t fl = p + 4 <= end ? (int32_t)be32(p) : -2;
                p += 4;
                if (fl < -1 || p + (fl > 0 ? fl : 0) > end) {
                    rc = cv_error_set(err, CV_ERR_IO, "postgresql: unexpected copy data");
                } else if ((fl < 0 ? cv_column_push_missing(cols[k])
                                   : pg_push(cols[k], types[k], 1, p, fl)) != 0) {
                    rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
                }
                p += fl > 0 ? fl : 0;
            }
        }
        PQfreemem(buf);
    }
    /* the final status, even after a failure here, so the connection stays usable */
    while ((r = pg_next(c, 1, &asked)) != NULL) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_error(c, r, sql, shift, err);
        PQclear(r);
    }
    return rc;
}

/* Reads in single-row mode: the statement is prepared and described (so the transfer
   format is known: binary when every column has a decoder), then run with its rows
   streamed one by one; memory holds the table being built and one row. Any statement that
   returns rows works, and PostgreSQL may run it in parallel (a cursor forbids that). */
cv_table *cv_pg_read(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                     cv_error *err)
{
    PGconn *c = db->h;
    const char **vals = cv_malloc((size_t)(nparams ? nparams : 1) * sizeof *vals);
    Oid *ptypes = cv_malloc((size_t)(nparams ? nparams : 1) * sizeof *ptypes);
    char *bufs = cv_malloc((size_t)(nparams ? nparams : 1) * 32);
    cv_column **cols = NULL;
    Oid *types = NULL;
    cv_table *t = NULL;
    int ncols = 0, fmt = 1, rc = 0;
    if (!vals || !ptypes || !bufs)
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    PGresult *r = NULL;
    if (rc == 0) {
        pg_params(params, nparams, vals, ptypes, bufs);
        r = pg_collect(c, PQsendPrepare(c, "", sql, nparams, ptypes), 1);
        db->tx += (int64_t)strlen(sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_error(c, r, sql, 0, err);
        PQclear(r);
    }
    if (rc == 0) {
        r = pg_collect(c, PQsendDescribePrepared(c, ""), 1);
        rc = PQresultStatus(r) != PGRES_COMMAND_OK
                 ? pg_error(c, r, sql, 0, err)
                 : pg_columns(r, &cols, &types, &ncols, &fmt, err);
        PQclear(r);
    }
    if (rc == 0 && nparams == 0 && fmt == 1) {
        rc = pg_copy_out(c, sql, cols, types, ncols, &db->rx, err);
    } else if (rc == 0 && !PQsendQueryPrepared(c, "", nparams, vals, NULL, NULL, fmt))
        rc = pg_error(c, NULL, sql, 0, err);
    if (rc == 0) {
        int asked = 0;
        PQsetSingleRowMode(c);
        /* drain every result, even after an error, so the connection stays usable */
        while ((r = pg_next(c, 1, &asked)) != NULL) {
            ExecStatusType st = PQresultStatus(r);
            if (rc == 0 && st == PGRES_SINGLE_TUPLE) {
                if (pg_fold(r, cols, types, ncols, fmt, &db->rx) != 0)
                    rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
            } else if (rc == 0 && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
                rc = pg_error(c, r, sql, 0, err);
            }
            PQclear(r);
        }
    }
    cv_free(vals);
    cv_free(ptypes);
    cv_free(bufs);
    if (rc == 0 && (t = cv_table_new()) == NULL)
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    for (int k = 0; k < ncols && rc == 0; k++)
        rc = cv_table_add(t, cols[k], err);
    for (int k = 0; cols && k < ncols; k++)
        cv_column_unref(cols[k]);
    cv_free(cols);
    cv_free(types);
    if (rc) {
        cv_table_free(t);
        return NULL;
    }
    return t;
}

int cv_pg_exec(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
               int64_t *changed, cv_error *err)
{
    PGconn *c = db->h;
    /* without parameters, PQexec runs several statements separated by semicolons */
    PGresult *r = nparams ? pg_run(c, sql, params, nparams) : pg_exec(c, sql);
    if (!r && *PQerrorMessage(c)) /* the statement could not be sent */
        return pg_error(c, NULL, sql, 0, err);
    if (!r)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while running a statement");
    ExecStatusType s = PQresultStatus(r);
    int rc = 0;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
        rc = pg_error(c, r, sql, 0, err);
    else if (changed && *PQcmdTuples(r))
        *changed = atoll(PQcmdTuples(r));
    PQclear(r);
    return rc;
}

/* ---- Writing ---------------------------------------------------------------------------- */

/* Sets err for a failed write to table name from result r. */
static int pg_write_error(PGconn *c, const PGresult *r, const char *what, const char *name,
                          cv_error *err)
{
    if (cv_cancelled()) /* pg_await cancelled the statement, or the rows stopped */
        return cv_cancel_check(err);
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *ctx = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
    char why[200];
    if (!primary)
        pg_line_after(PQerrorMessage(c), NULL, why, sizeof why);
    char where[120] = "";
    if (ctx)
        snprintf(where, sizeof where, " (%.*s)", (int)strcspn(ctx, "\n"), ctx);
    return cv_error_set(err, CV_ERR_IO, "cannot %s table '%s': %s%s", what, name,
                        primary ? primary : why, where);
}

int cv_pg_write(cv_sql *db, const char *name, const cv_table *t, cv_sql_write_mode mode,
                cv_error *err)
{
    PGconn *c = db->h;
    int own_tx = PQtransactionStatus(c) == PQTRANS_IDLE;
    int rc = own_tx ? pg_simple(c, "BEGIN", err) : 0;
    if (rc)
        return rc;
    sq_buf q = {0};
    PGresult *r = NULL;
    if (mode == CV_SQLW_CREATE) {
        sq_puts(&q, "CREATE TABLE ");
        sq_ident(&q, name, 1);
        sq_puts(&q, " (");
        for (int k = 0; k < t->ncols; k++) {
            sq_puts(&q, k ? ", " : "");
            sq_ident(&q, t->cols[k]->name, 0);
            sq_printf(&q, " %s", sq_create_type(CV_SQL_POSTGRES, t->cols[k]->type));
        }
        sq_puts(&q, ")");
        r = q.oom ? NULL : pg_exec(c, q.p);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            rc = pg_write_error(c, r, "create", name, err);
            if (strstr(err ? err->msg : "", "already exists") && err)
                snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg),
                         " (mode append adds rows to it)");
        }
        PQclear(r);
        q.n = 0;
    }
    if (rc == 0) {
        sq_puts(&q, "COPY ");
        sq_ident(&q, name, 1);
        sq_puts(&q, " (");
        for (int k = 0; k < t->ncols; k++) {
            sq_puts(&q, k ? ", " : "");
            sq_ident(&q, t->cols[k]->name, 0);
        }
        sq_puts(&q, ") FROM STDIN");
        r = q.oom ? NULL : pg_exec(c, q.p);
        if (PQresultStatus(r) != PGRES_COPY_IN)
            rc = pg_write_error(c, r, "write to", name, err);
        PQclear(r);
    }
    if (rc == 0) {
        sq_buf b = {0};
        int sent = 1;
        for (int64_t i = 0; i < t->nrows && sent == 1 && !cv_cancelled(); i++) {
            sq_text_row(&b, t, i, SQ_TEXT_PG_COPY);
            if (b.n >= (1u << 20) || i + 1 == t->nrows) {
                sent = b.oom ? -1 : PQputCopyData(c, b.p, (int)b.n);
                db->tx += (int64_t)b.n;
                b.n = 0;
            }
        }
        int oom = b.oom, stop = cv_cancelled(), asked = 0;
        cv_free(b.p);
        if (PQputCopyEnd(c, sent == 1 && !oom && !stop ? NULL : "cvkit: write stopped") != 1 ||
            sent != 1 || oom || stop) {
            rc = oom    ? cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing a table")
                 : stop ? cv_cancel_check(err)
                        : pg_write_error(c, NULL, "write to", name, err);
        }
        while ((r = pg_next(c, 1, &asked)) != NULL) {
            if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK)
                rc = pg_write_error(c, r, "write to", name, err);
            PQclear(r);
        }
    }
    cv_free(q.p);
    if (own_tx) {
        if (rc == 0)
            rc = pg_simple(c, "COMMIT", err);
        else
            PQclear(pg_collect(c, PQsendQuery(c, "ROLLBACK"), 0)); /* even when cancelled */
    }
    return rc;
}
