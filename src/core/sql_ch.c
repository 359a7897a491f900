/* cvkit databases: the ClickHouse backend, over its HTTP interface with libcurl. Queries
   stream back as TabSeparatedWithNamesAndTypes (read by src/core/sql_ch_text.c as the bytes
   arrive); tables are written as INSERT ... FORMAT TabSeparated in chunks into a temporary
   table that is renamed (or copied in one INSERT ... SELECT) only when every chunk is in. */
#include "sql_int.h"
#include "cvkit/sql_ch.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/redact.h"

#define CH_CHUNK (1u << 20) /* bytes of rows per INSERT request */

typedef struct ch_conn {
    CURL *curl;
    char *base; /* "http://host:port/?database=db": no credentials */
    char *user, *pw;
    char at[160];    /* "127.0.0.1:58123" for messages */
    const char *url; /* the connection string, while connecting (for cv_redact_text) */
    int steady;      /* 1: requests run to their end even when the run is cancelled (the
                        clean-up after a cancellation: KILL QUERY, dropping a temporary table) */
} ch_conn;

static pthread_once_t ch_once = PTHREAD_ONCE_INIT;
static void ch_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- Connecting ------------------------------------------------------------------------- */

/* Decodes the percent escapes of s[0..n) into a new string; NULL for a bad escape (*bad = 1)
   or when memory runs out. */
static char *ch_decode(const char *s, size_t n, int *bad)
{
    char *out = cv_malloc(n + 1);
    size_t o = 0;
    *bad = 0;
    if (!out)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        if (s[k] != '%') {
            out[o++] = s[k];
            continue;
        }
        if (k + 2 >= n || !isxdigit((unsigned char)s[k + 1]) ||
            !isxdigit((unsigned char)s[k + 2])) {
            *bad = 1;
            break;
        }
        char hex[3] = {s[k + 1], s[k + 2], '\0'};
        if ((out[o++] = (char)strtol(hex, NULL, 16)) == '\0') {
            *bad = 1;
            break;
        }
        k += 2;
    }
    if (*bad) {
        explicit_bzero(out, n + 1);
        cv_free(out);
        return NULL;
    }
    out[o] = '\0';
    return out;
}

static void ch_free_conn(ch_conn *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    if (c->pw) {
        explicit_bzero(c->pw, strlen(c->pw));
        cv_free(c->pw);
    }
    cv_free(c->user);
    cv_free(c->base);
    cv_free(c);
}

/* Fills c from "clickhouse://[user[:password]@]host[:port][/database]". 0 or CV_ERR_USAGE /
   CV_ERR_NOMEM with err set (messages show the URL redacted). */
static int ch_parse_url(ch_conn *c, const char *url, char *dbname, size_t dbsize, cv_error *err)
{
    char shown[200];
    cv_redact_conn(url, shown, sizeof shown);
    const char *s = strstr(url, "://");
    if (!s)
        return cv_error_set(err, CV_ERR_USAGE,
                            "bad clickhouse url '%s' (write clickhouse://user@host:port/db)",
                            shown);
    s += 3;
    const char *end = s + strcspn(s, "/?#"), *at = NULL;
    for (const char *p = s; p < end; p++)
        if (*p == '@')
            at = p;
    /* with a password holding '/', '?' or '#', the user information runs to the last '@' */
    if (!at) {
        const char *slash = s + strcspn(s, "/");
        for (const char *p = s; *p && p < slash + strlen(slash); p++)
            if (*p == '@' && memchr(s, ':', (size_t)(p - s)))
                at = p;
        if (at)
            end = at + 1 + strcspn(at + 1, "/?#");
    }
    int bad = 0;
    if (at) {
        const char *colon = memchr(s, ':', (size_t)(at - s));
        size_t ulen = colon ? (size_t)(colon - s) : (size_t)(at - s);
        c->user = ch_decode(s, ulen, &bad);
        if (!bad && colon)
            c->pw = ch_decode(colon + 1, (size_t)(at - colon - 1), &bad);
        if (bad)
            return cv_error_set(err, CV_ERR_USAGE,
                                "bad user or password in '%s': a '%%' not followed by two "
                                "hexadecimal digits (write %%25 for '%%', %%40 for '@')",
                                shown);
        if (!c->user || (colon && !c->pw))
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
        s = at + 1;
    }
    const char *hp_end = s + strcspn(s, "/?#");
    const char *colon = NULL;
    for (const char *p = s; p < hp_end; p++)
        if (*p == ':')
            colon = p;
    if (*s == '[') { /* [v6 address]:port */
        const char *rb = memchr(s, ']', (size_t)(hp_end - s));
        if (!rb)
            return cv_error_set(err, CV_ERR_USAGE, "bad host in '%s'", shown);
        colon = rb + 1 < hp_end && rb[1] == ':' ? rb + 1 : NULL;
    }
    size_t hlen = colon ? (size_t)(colon - s) : (size_t)(hp_end - s);
    long port = 8123;
    if (colon) {
        char *pe;
        port = strtol(colon + 1, &pe, 10);
        if (pe != hp_end || port < 1 || port > 65535)
            return cv_error_set(err, CV_ERR_USAGE, "bad port in '%s'", shown);
    }
    if (hlen == 0 || hlen > 100)
        return cv_error_set(err, CV_ERR_USAGE,
                            "no host in '%s' (write clickhouse://user@host:port/db)", shown);
    snprintf(c->at, sizeof c->at, "%.*s:%ld", (int)hlen, s, port);
    const char *db = *hp_end == '/' ? hp_end + 1 : hp_end;
    size_t dlen = strcspn(db, "?#");
    if (db[dlen] != '\0')
        return cv_error_set(err, CV_ERR_USAGE,
                            "options in '%s' are not supported (write "
                            "clickhouse://user@host:port/db)",
                            shown);
    char *dbn = ch_decode(db, dlen, &bad);
    if (!dbn)
        return bad ? cv_error_set(err, CV_ERR_USAGE, "bad database name in '%s'", shown)
                   : cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    snprintf(dbname, dbsize, "%s", *dbn ? dbn : "default");
    cv_free(dbn);
    for (const char *p = dbname; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return cv_error_set(err, CV_ERR_USAGE,
                                "bad database name in '%s' (letters, digits and _)", shown);
    size_t blen = strlen(c->at) + strlen(dbname) + 64;
    if (!(c->base = cv_malloc(blen)))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    snprintf(c->base, blen, "http://%s/?database=%s", c->at, dbname);
    return 0;
}

/* ---- Requests --------------------------------------------------------------------------- */

/* Where the body of a response goes: the reader when the status is 200, else (and for
   statements without rows) a capped buffer holding the start of it. */
typedef struct ch_sink {
    cv_sql *db;
    CURL *curl;
    cv_ch_reader *reader; /* NULL: keep the body in text */
    sq_buf text;
    long status;
    int rc; /* the reader's error code, once it failed */
    cv_error *err;
} ch_sink;

static size_t ch_write_cb(char *p, size_t size, size_t nmemb, void *ud)
{
    ch_sink *k = ud;
    size_t n = size * nmemb;
    k->db->rx += (int64_t)n;
    if (k->status == 0)
        curl_easy_getinfo(k->curl, CURLINFO_RESPONSE_CODE, &k->status);
    if (k->reader && k->status == 200) {
        if (k->rc == 0)
            k->rc = cv_ch_reader_feed(k->reader, p, n, k->err);
        return k->rc ? 0 : n; /* 0: curl stops the transfer */
    }
    if (k->text.n < 4096)
        sq_putn(&k->text, p, n);
    return n;
}

/* libcurl's progress callback (ud: the ch_conn): a nonzero return stops the transfer when
   the run is cancelled (cvkit/cancel.h: the sandbox's time limit), even while the server
   computes; ch_post then kills the query on the server (ch_kill). */
static int ch_progress_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                          curl_off_t ulnow)
{
    const ch_conn *c = ud;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return !c->steady && cv_cancelled();
}

/* Sets err for a failed request: the server's message (HTTP status not 200) or curl's. */
static int ch_fail(cv_sql *db, ch_sink *k, CURLcode cc, const char *errbuf, const char *sql,
                   long shift, cv_error *err)
{
    ch_conn *c = db->h;
    if (cc == CURLE_ABORTED_BY_CALLBACK && cv_cancelled())
        return cv_cancel_check(err);
    if (cc == CURLE_OPERATION_TIMEDOUT) /* the connection's timeout (sql.c names it) */
        return cv_error_set(err, CV_ERR_LIMIT, "clickhouse at %s: timed out", c->at);
    if (cc != CURLE_OK && k->status == 0) {
        char why[256];
        cv_redact_text(errbuf[0] ? errbuf : curl_easy_strerror(cc), c->url, why, sizeof why);
        if (cc == CURLE_COULDNT_CONNECT)
            return cv_error_set(err, CV_ERR_IO,
                                "cannot connect to clickhouse at %s: connection refused (is the "
                                "server running?)",
                                c->at);
        return cv_error_set(err, CV_ERR_IO, "clickhouse at %s: %s", c->at, why);
    }
    char msg[256];
    int code;
    long pos;
    cv_ch_error_message(k->text.p ? k->text.p : "", k->text.n, msg, sizeof msg, &code, &pos);
    if (k->status == 401 || k->status == 403 || code == 192 || code == 193 || code == 194 ||
        code == 516)
        return cv_error_set(err, CV_ERR_IO, "login to clickhouse at %s failed: %s", c->at, msg);
    if (!msg[0])
        snprintf(msg, sizeof msg, "http status %ld", k->status);
    if (code == 159) /* TIMEOUT_EXCEEDED: max_execution_time, the connection's timeout */
        return cv_error_set(err, CV_ERR_LIMIT, "clickhouse at %s: %s", c->at, msg);
    if (k->status >= 500 && code == 0)
        return cv_error_set(err, CV_ERR_IO, "clickhouse at %s: %s", c->at, msg);
    long p = pos - shift;
    return sq_error_at(err, CV_ERR_PARSE, sql, p > 0 && sql ? p : 0, msg);
}

static int ch_post(cv_sql *db, const char *extra, const char *body, size_t n, cv_ch_reader *reader,
                   const char *sql, long shift, sq_buf *out, cv_error *err);

/* Runs statement sql to its end even though the run is cancelled (c->steady); its error,
   if any, is dropped: the clean-up after a cancellation or a failure. */
static void ch_steady(cv_sql *db, const char *sql)
{
    ch_conn *c = db->h;
    cv_error ignored = {0};
    int was = c->steady;
    c->steady = 1;
    ch_post(db, "", sql, strlen(sql), NULL, NULL, 0, NULL, &ignored);
    c->steady = was;
}

/* Asks the server to stop query qid (a request the run's cancellation aborted: closing the
   HTTP connection does not stop a SELECT in ClickHouse). ASYNC: the script's time limit
   does not wait for the server; a query that already ended is not an error. */
static void ch_kill(cv_sql *db, const char *qid)
{
    char q[160];
    snprintf(q, sizeof q, "KILL QUERY WHERE query_id = '%s' ASYNC", qid);
    ch_steady(db, q);
}

/* POSTs body[0..n) to the connection's URL plus extra ("&name=value", URL-encoded by the
   caller, or ""); rows go to reader when not NULL. sql is what positions in the server's
   errors point into (shifted by shift characters), for messages. 0 or an error code. */
static int ch_post(cv_sql *db, const char *extra, const char *body, size_t n, cv_ch_reader *reader,
                   const char *sql, long shift, sq_buf *out, cv_error *err)
{
    ch_conn *c = db->h;
    char errbuf[CURL_ERROR_SIZE] = "";
    ch_sink k = {db, c->curl, reader, {0}, 0, 0, err};
    sq_buf url = {0};
    static unsigned seq; /* query ids: unique per process, request and second */
    char qid[64];
    snprintf(qid, sizeof qid, "cvkit-%ld-%u-%ld", (long)getpid(), ++seq, (long)time(NULL));
    sq_puts(&url, c->base);
    sq_puts(&url, extra);
    sq_printf(&url, "&query_id=%s", qid);
    if (db->timeout > 0) /* the server stops at whole seconds, libcurl at the limit */
        sq_printf(&url, "&max_execution_time=%lld", (long long)ceil(db->timeout));
    if (url.oom) {
        cv_free(url.p);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while sending a query");
    }
    CURL *h = c->curl;
    curl_easy_setopt(h, CURLOPT_URL, url.p);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, ch_write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    /* a clean-up request gets 10 s (the engine's watchdog bounds it anyway) */
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->steady ? 10000L : (long)ceil(db->timeout * 1000));
    db->tx += (int64_t)n;
    CURLcode cc = curl_easy_perform(h);
    cv_free(url.p);
    if (cc == CURLE_ABORTED_BY_CALLBACK && !c->steady && cv_cancelled())
        ch_kill(db, qid);
    if (k.status == 0) /* an empty body: the callback never ran */
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &k.status);
    int rc;
    if (k.rc) /* the reader failed: err is set */
        rc = k.rc;
    else if (cc != CURLE_OK || k.status != 200)
        rc = ch_fail(db, &k, cc, errbuf, sql, shift, err);
    else
        rc = 0;
    if (rc == 0 && out) {
        *out = k.text;
        k.text.p = NULL;
    }
    cv_free(k.text.p);
    return rc;
}

/* Runs a statement without rows (or whose rows are not wanted); *out (if not NULL) gets
   the start of the body. */
static int ch_run(cv_sql *db, const char *sql, sq_buf *out, cv_error *err)
{
    return ch_post(db, "", sql, strlen(sql), NULL, sql, 0, out, err);
}

int cv_ch_open(cv_sql *db, const char *url, cv_error *err)
{
    pthread_once(&ch_once, ch_global_init);
    ch_conn *c = cv_calloc(1, sizeof *c);
    if (!c)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    char dbname[128];
    int rc = ch_parse_url(c, url, dbname, sizeof dbname, err);
    if (rc == 0 && !(c->curl = curl_easy_init()))
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    if (rc) {
        ch_free_conn(c);
        return rc;
    }
    CURL *h = c->curl;
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, ch_progress_cb);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
    if (c->user) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->pw ? c->pw : "");
    }
    db->h = c;
    c->url = url;
    rc = ch_run(db, "SELECT 1", NULL, err);
    c->url = NULL;
    if (rc && err && strncmp(err->msg, "sql: ", 5) == 0) { /* unknown database, ... */
        char m[256];
        snprintf(m, sizeof m, "%s", err->msg + 5);
        cv_error_set(err, CV_ERR_IO, "cannot connect to clickhouse at %s: %s", c->at, m);
        rc = CV_ERR_IO;
    }
    size_t dl = strlen(c->at) + strlen(dbname) + strlen(c->user ? c->user : "") + 32;
    if (rc == 0 && !(db->desc = cv_malloc(dl)))
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while connecting");
    if (rc) {
        ch_free_conn(c);
        db->h = NULL;
        return rc;
    }
    snprintf(db->desc, dl, "clickhouse://%s%s%s/%s", c->user ? c->user : "", c->user ? "@" : "",
             c->at, dbname);
    return 0;
}

void cv_ch_close(cv_sql *db)
{
    ch_free_conn(db->h);
    db->h = NULL;
}

/* ---- Reading ---------------------------------------------------------------------------- */

cv_table *cv_ch_read(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
                     cv_error *err)
{
    char *bound = cv_ch_bind(sql, params, nparams, err);
    if (!bound)
        return NULL;
    cv_ch_reader *r = cv_ch_reader_new();
    cv_table *t = NULL;
    if (!r) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    } else if (ch_post(db, "&default_format=TabSeparatedWithNamesAndTypes", bound, strlen(bound), r,
                       nparams ? NULL : sql, 0, NULL, err) == 0) {
        t = cv_ch_reader_finish(r, err);
    }
    cv_ch_reader_free(r);
    cv_free(bound);
    return t;
}

int cv_ch_exec(cv_sql *db, const char *sql, const cv_sql_param *params, int nparams,
               int64_t *changed, cv_error *err)
{
    (void)changed; /* ClickHouse does not say how many rows a statement changed */
    char *bound = cv_ch_bind(sql, params, nparams, err);
    if (!bound)
        return err ? err->code : CV_ERR_USAGE;
    int rc = ch_post(db, "", bound, strlen(bound), NULL, nparams ? NULL : sql, 0, NULL, err);
    cv_free(bound);
    return rc;
}

/* ---- Writing ---------------------------------------------------------------------------- */

void cv_ch_ident(sq_buf *b, const char *name, int split_dots)
{
    sq_putn(b, "`", 1);
    for (const char *p = name; *p; p++) {
        if (*p == '.' && split_dots) {
            sq_putn(b, "`.`", 3);
        } else if (*p == '`' || *p == '\\') {
            char e[2] = {'\\', *p};
            sq_putn(b, e, 2);
        } else {
            sq_putn(b, p, 1);
        }
    }
    sq_putn(b, "`", 1);
}

/* The ClickHouse type a column is created with (every column may hold missing values). */
static const char *ch_create_type(cv_type t)
{
    switch (t) {
    case CV_INT64:
        return "Nullable(Int64)";
    case CV_FLOAT64:
        return "Nullable(Float64)";
    case CV_DATE:
        return "Nullable(Date)";
    case CV_DATETIME:
        return "Nullable(DateTime)";
    case CV_BOOL:
        return "Nullable(UInt8)";
    default:
        return "Nullable(String)";
    }
}

/* Appends "&query=" and q percent-encoded. */
static void ch_query_param(sq_buf *b, const char *q)
{
    sq_puts(b, "&query=");
    for (const unsigned char *p = (const unsigned char *)q; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
            sq_putn(b, (const char *)p, 1);
        else
            sq_printf(b, "%%%02X", *p);
    }
}

/* Whether table name exists: 1, 0, or -1 with err set. */
static int ch_exists(cv_sql *db, const char *name, cv_error *err)
{
    sq_buf q = {0}, out = {0};
    sq_puts(&q, "EXISTS TABLE ");
    cv_ch_ident(&q, name, 1);
    int rc = q.oom ? cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing a table")
                   : ch_run(db, q.p, &out, err);
    int yes = rc == 0 && out.p && out.p[0] == '1';
    cv_free(q.p);
    cv_free(out.p);
    return rc ? -1 : yes;
}

/* Sends the rows of t to table tmp (its columns named as t's) in chunks. 0 or an error
   code with err set. */
static int ch_send_rows(cv_sql *db, const char *tmp, const cv_table *t, cv_error *err)
{
    sq_buf ins = {0}, extra = {0}, b = {0};
    sq_puts(&ins, "INSERT INTO ");
    sq_puts(&ins, tmp);
    sq_puts(&ins, " (");
    for (int k = 0; k < t->ncols; k++) {
        sq_puts(&ins, k ? ", " : "");
        cv_ch_ident(&ins, t->cols[k]->name, 0);
    }
    sq_puts(&ins, ") FORMAT TabSeparated");
    if (!ins.oom)
        ch_query_param(&extra, ins.p);
    int rc = ins.oom || extra.oom ? CV_ERR_NOMEM : 0;
    for (int64_t i = 0; i < t->nrows && rc == 0; i++) {
        sq_text_row(&b, t, i, SQ_TEXT_CH_TSV);
        if (b.oom)
            rc = CV_ERR_NOMEM;
        else if (b.n >= CH_CHUNK || i + 1 == t->nrows) {
            rc = ch_post(db, extra.p, b.p, b.n, NULL, NULL, 0, NULL, err);
            b.n = 0;
        }
    }
    if (rc == CV_ERR_NOMEM && (ins.oom || extra.oom || b.oom))
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing a table");
    cv_free(ins.p);
    cv_free(extra.p);
    cv_free(b.p);
    return rc;
}

int cv_ch_write(cv_sql *db, const char *name, const cv_table *t, cv_sql_write_mode mode,
                cv_error *err)
{
    int ex = ch_exists(db, name, err);
    if (ex < 0)
        return err ? err->code : CV_ERR_IO;
    if (mode == CV_SQLW_CREATE && ex)
        return cv_error_set(err, CV_ERR_IO,
                            "cannot create table '%s': table already exists (mode append adds "
                            "rows to it)",
                            name);
    if (mode == CV_SQLW_APPEND && !ex)
        return cv_error_set(err, CV_ERR_IO, "cannot write to table '%s': it does not exist", name);
    /* the temporary table: beside the target (same database), a name of this write */
    static unsigned seq;
    char suffix[64];
    snprintf(suffix, sizeof suffix, "_cvkit_tmp_%ld_%u_%ld", (long)getpid(), ++seq,
             (long)time(NULL));
    sq_buf tmpname = {0}, tmp = {0}, q = {0};
    sq_puts(&tmpname, name);
    sq_puts(&tmpname, suffix);
    cv_ch_ident(&tmp, tmpname.oom ? "" : tmpname.p, 1);
    sq_puts(&q, "CREATE TABLE ");
    sq_puts(&q, tmp.p ? tmp.p : "");
    sq_puts(&q, " (");
    for (int k = 0; k < t->ncols; k++) {
        sq_puts(&q, k ? ", " : "");
        cv_ch_ident(&q, t->cols[k]->name, 0);
        sq_printf(&q, " %s", ch_create_type(t->cols[k]->type));
    }
    sq_puts(&q, ") ENGINE = MergeTree() ORDER BY tuple()");
    int rc = tmpname.oom || tmp.oom || q.oom
                 ? cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing a table")
                 : ch_run(db, q.p, NULL, err);
    int made = rc == 0;
    if (rc == 0)
        rc = ch_send_rows(db, tmp.p, t, err);
    if (rc == 0) {
        q.n = 0;
        if (mode == CV_SQLW_CREATE) {
            sq_puts(&q, "RENAME TABLE ");
            sq_puts(&q, tmp.p);
            sq_puts(&q, " TO ");
            cv_ch_ident(&q, name, 1);
        } else { /* one statement inside the server, columns matched by name */
            sq_puts(&q, "INSERT INTO ");
            cv_ch_ident(&q, name, 1);
            sq_puts(&q, " (");
            for (int k = 0; k < t->ncols; k++) {
                sq_puts(&q, k ? ", " : "");
                cv_ch_ident(&q, t->cols[k]->name, 0);
            }
            sq_puts(&q, ") SELECT * FROM ");
            sq_puts(&q, tmp.p);
        }
        rc = q.oom ? cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing a table")
                   : ch_run(db, q.p, NULL, err);
        if (rc == 0 && mode == CV_SQLW_CREATE)
            made = 0; /* renamed: nothing left to drop */
    }
    if (rc && err && strncmp(err->msg, "cannot", 6) != 0 && strncmp(err->msg, "login", 5) != 0 &&
        strncmp(err->msg, "out of memory", 13) != 0 && !cv_cancelled()) {
        char why[256];
        snprintf(why, sizeof why, "%s",
                 strncmp(err->msg, "sql: ", 5) == 0 ? err->msg + 5 : err->msg);
        cv_error_set(err, CV_ERR_IO, "cannot write to table '%s': %s", name, why);
    }
    if (made) { /* a failed or finished append: the temporary table goes */
        q.n = 0;
        sq_puts(&q, "DROP TABLE IF EXISTS ");
        sq_puts(&q, tmp.p ? tmp.p : "");
        if (!q.oom && tmp.p)
            ch_steady(db, q.p); /* even after a cancellation: nothing is left behind */
    }
    cv_free(tmpname.p);
    cv_free(tmp.p);
    cv_free(q.p);
    return rc;
}
