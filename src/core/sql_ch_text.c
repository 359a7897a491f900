/* cvkit databases, ClickHouse's text protocol (include/cvkit/sql_ch.h): the streaming reader
   of TabSeparatedWithNamesAndTypes bodies, the server's error messages, and parameters
   bound as escaped literals. No network here: src/core/sql_ch.c feeds it. */
#include "sql_int.h"
#include "cvkit/sql_ch.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/parse.h"

/* How a column's text is read. */
enum ch_kind { CHK_INT, CHK_UINT64, CHK_FLOAT, CHK_FLOAT32, CHK_DATE, CHK_DATETIME, CHK_STR };

struct cv_ch_reader {
    sq_buf line;  /* the line being completed across feeds */
    sq_buf field; /* scratch: one unescaped field */
    long lineno;  /* complete lines seen */
    int ncols;
    char **names; /* from line 1 */
    cv_column **cols;
    enum ch_kind *kinds;
    int failed; /* an error was reported */
};

cv_ch_reader *cv_ch_reader_new(void)
{
    return cv_calloc(1, sizeof(cv_ch_reader));
}

static void ch_reader_clear(cv_ch_reader *r)
{
    for (int k = 0; k < r->ncols; k++) {
        if (r->names)
            cv_free(r->names[k]);
        if (r->cols)
            cv_column_unref(r->cols[k]);
    }
    cv_free(r->names);
    cv_free(r->cols);
    cv_free(r->kinds);
    r->names = NULL;
    r->cols = NULL;
    r->kinds = NULL;
    r->ncols = 0;
}

void cv_ch_reader_free(cv_ch_reader *r)
{
    if (!r)
        return;
    ch_reader_clear(r);
    cv_free(r->line.p);
    cv_free(r->field.p);
    cv_free(r);
}

/* Unescapes s[0..n) (ClickHouse's TSV escapes) into r->field; -1 when memory ran out. */
static int ch_unescape(cv_ch_reader *r, const char *s, size_t n)
{
    sq_buf *b = &r->field;
    b->n = 0;
    size_t from = 0;
    for (size_t j = 0; j < n; j++) {
        if (s[j] != '\\' || j + 1 >= n)
            continue;
        sq_putn(b, s + from, j - from);
        char c = s[j + 1], o;
        switch (c) {
        case 'n':
            o = '\n';
            break;
        case 't':
            o = '\t';
            break;
        case 'r':
            o = '\r';
            break;
        case '0':
            o = '\0';
            break;
        case 'b':
            o = '\b';
            break;
        case 'f':
            o = '\f';
            break;
        case 'a':
            o = '\a';
            break;
        case 'v':
            o = '\v';
            break;
        case 'e':
            o = '\x1b';
            break;
        case 'x':
            if (j + 3 < n && isxdigit((unsigned char)s[j + 2]) &&
                isxdigit((unsigned char)s[j + 3])) {
                char hex[3] = {s[j + 2], s[j + 3], '\0'};
                o = (char)strtol(hex, NULL, 16);
                sq_putn(b, &o, 1);
                j += 3;
                from = j + 1;
                continue;
            }
            o = 'x';
            break;
        default:
            o = c;
            break; /* \\ \' \" and any other: the character itself */
        }
        sq_putn(b, &o, 1);
        j++;
        from = j + 1;
    }
    sq_putn(b, s + from, n - from);
    if (!b->p)
        sq_putn(b, "", 0);
    return b->oom ? -1 : 0;
}

/* The kind and cvkit type of ClickHouse type text t (Nullable(...) and LowCardinality(...)
   taken off). */
static enum ch_kind ch_kind_of(const char *t, cv_type *ct)
{
    for (;;) {
        if (strncmp(t, "Nullable(", 9) == 0)
            t += 9;
        else if (strncmp(t, "LowCardinality(", 15) == 0)
            t += 15;
        else
            break;
    }
    size_t n = strcspn(t, "()");
    *ct = CV_INT64;
    if (n == 6 && strncmp(t, "UInt64", 6) == 0)
        return CHK_UINT64;
    if ((strncmp(t, "Int", 3) == 0 || strncmp(t, "UInt", 4) == 0) && n <= 6)
        return CHK_INT;
    *ct = CV_FLOAT64;
    if (n == 7 && strncmp(t, "Float32", 7) == 0)
        return CHK_FLOAT32;
    if ((n == 7 && strncmp(t, "Float64", 7) == 0) || strncmp(t, "Decimal", 7) == 0 ||
        (n == 7 && strncmp(t, "Nothing", 7) == 0))
        return CHK_FLOAT;
    *ct = CV_DATE;
    if (n == 4 && strncmp(t, "Date", 4) == 0)
        return CHK_DATE;
    *ct = CV_DATETIME;
    if (n == 8 && strncmp(t, "DateTime", 8) == 0)
        return CHK_DATETIME;
    *ct = CV_STRING;
    return CHK_STR;
}

/* An exception the server wrote into the body ("Code: 62, e.displayText() = ..."). */
static int ch_is_exception(const char *s, size_t n)
{
    return n >= 6 && memcmp(s, "Code: ", 6) == 0;
}

static int ch_exception(cv_ch_reader *r, const char *s, size_t n, cv_error *err)
{
    char msg[200];
    int code;
    long pos;
    cv_ch_error_message(s, n, msg, sizeof msg, &code, &pos);
    r->failed = 1;
    /* 159: TIMEOUT_EXCEEDED (max_execution_time): the connection's timeout (sql.c names it) */
    return cv_error_set(err, code == 159 ? CV_ERR_LIMIT : CV_ERR_PARSE, "sql: %s", msg);
}

/* Reads the header lines: names (line 0), types (line 1). */
static int ch_header(cv_ch_reader *r, const char *s, size_t n, cv_error *err)
{
    int count = 1;
    for (size_t j = 0; j < n; j++)
        count += s[j] == '\t';
    if (r->lineno == 0) {
        r->names = cv_calloc((size_t)count, sizeof *r->names);
        if (!r->names)
            goto nomem;
        r->ncols = count;
        size_t a = 0;
        for (int k = 0; k < count; k++) {
            size_t e = a;
            while (e < n && s[e] != '\t')
                e++;
            if (ch_unescape(r, s + a, e - a) != 0 || !(r->names[k] = cv_strdup(r->field.p)))
                goto nomem;
            a = e + 1;
        }
        if (sq_unique_names(r->names, r->ncols) != 0)
            goto nomem;
        return 0;
    }
    if (count != r->ncols) {
        r->failed = 1;
        return cv_error_set(err, CV_ERR_IO,
                            "clickhouse: unexpected response (%d types for %d "
                            "columns)",
                            count, r->ncols);
    }
    r->cols = cv_calloc((size_t)count, sizeof *r->cols);
    r->kinds = cv_calloc((size_t)count, sizeof *r->kinds);
    if (!r->cols || !r->kinds)
        goto nomem;
    size_t a = 0;
    for (int k = 0; k < count; k++) {
        size_t e = a;
        while (e < n && s[e] != '\t')
            e++;
        if (ch_unescape(r, s + a, e - a) != 0)
            goto nomem;
        cv_type ct;
        r->kinds[k] = ch_kind_of(r->field.p, &ct);
        if (!(r->cols[k] = cv_column_new(r->names[k], ct, 1024)))
            goto nomem;
        a = e + 1;
    }
    return 0;
nomem:
    r->failed = 1;
    return cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
}

/* Appends field s[0..n) to column k. */
static int ch_value(cv_ch_reader *r, int k, const char *s, size_t n, cv_error *err)
{
    cv_column *c = r->cols[k];
    int rc = 0, bad = 0;
    if (n == 2 && s[0] == '\\' && s[1] == 'N') {
        rc = cv_column_push_missing(c);
    } else {
        int64_t i;
        double d;
        int32_t days, secs;
        char num[64];
        switch (r->kinds[k]) {
        case CHK_INT:
        case CHK_UINT64:
            if (cv_parse_int(s, n, &i) == 0)
                rc = cv_column_push_int(c, i);
            else
                bad = 1;
            break;
        case CHK_FLOAT:
        case CHK_FLOAT32:
            if (n == 0 || n >= sizeof num) {
                bad = 1;
                break;
            }
            memcpy(num, s, n);
            num[n] = '\0';
            if (strcmp(num, "nan") == 0 || strcmp(num, "-nan") == 0)
                d = NAN;
            else if (strcmp(num, "inf") == 0 || strcmp(num, "+inf") == 0)
                d = INFINITY;
            else if (strcmp(num, "-inf") == 0)
                d = -INFINITY;
            else if (r->kinds[k] == CHK_FLOAT32) {
                char *end;
                d = (double)strtof(num, &end);
                bad = *end != '\0' || end == num;
            } else {
                bad = cv_parse_float(s, n, 0, &d) != 0;
            }
            if (!bad)
                rc = cv_column_push_float(c, d);
            break;
        case CHK_DATE:
        case CHK_DATETIME:
            if (n >= 10 && memcmp(s, "0000-00-00", 10) == 0) /* ClickHouse's zero */
                rc = r->kinds[k] == CHK_DATE ? cv_column_push_i32(c, 0) : cv_column_push_int(c, 0);
            else if (cv_parse_date(s, n, CV_DATE_ISO, &days, &secs, NULL) == 0)
                rc = r->kinds[k] == CHK_DATE ? cv_column_push_i32(c, days)
                                             : cv_column_push_int(c, (int64_t)days * 86400 + secs);
            else
                bad = 1;
            break;
        default:
            if (ch_unescape(r, s, n) != 0)
                rc = -1;
            else
                rc = cv_column_push_string(c, r->field.p, r->field.n);
        }
    }
    if (bad) {
        r->failed = 1;
        return cv_error_set(err, CV_ERR_TYPE,
                            "clickhouse: row %ld, column '%s': '%.*s' is not a%s %s", r->lineno - 1,
                            c->name, (int)(n > 40 ? 40 : n), s, c->type == CV_INT64 ? "n" : "",
                            cv_type_name(c->type));
    }
    if (rc != 0) {
        r->failed = 1;
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    }
    return 0;
}

/* Reads one complete line s[0..n) (without its newline). */
static int ch_line(cv_ch_reader *r, const char *s, size_t n, cv_error *err)
{
    if (ch_is_exception(s, n))
        return ch_exception(r, s, n, err);
    if (r->lineno < 2)
        return ch_header(r, s, n, err);
    size_t a = 0;
    int k = 0;
    for (;; k++) {
        size_t e = a;
        while (e < n && s[e] != '\t')
            e++;
        if (k >= r->ncols) { /* a field more than the columns */
            k = r->ncols + 1;
            break;
        }
        int rc = ch_value(r, k, s + a, e - a, err);
        if (rc)
            return rc;
        if (e >= n) {
            k++;
            break;
        }
        a = e + 1;
    }
    if (k != r->ncols || r->ncols == 0) {
        r->failed = 1;
        return cv_error_set(err, CV_ERR_IO,
                            "clickhouse: unexpected response (row %ld has %s fields than the "
                            "%d columns)",
                            r->lineno - 1, k < r->ncols ? "fewer" : "more", r->ncols);
    }
    return 0;
}

int cv_ch_reader_feed(cv_ch_reader *r, const char *p, size_t n, cv_error *err)
{
    if (r->failed)
        return cv_error_set(err, CV_ERR_IO, "clickhouse: the response was already bad");
    size_t a = 0;
    while (a < n) {
        const char *nl = memchr(p + a, '\n', n - a);
        if (!nl) {
            sq_putn(&r->line, p + a, n - a);
            break;
        }
        size_t e = (size_t)(nl - p);
        int rc;
        if (r->line.n) { /* the rest of a line begun in an earlier feed */
            sq_putn(&r->line, p + a, e - a);
            rc = r->line.oom ? cv_error_set(err, CV_ERR_NOMEM,
                                            "out of memory while reading a "
                                            "query")
                             : ch_line(r, r->line.p, r->line.n, err);
            r->line.n = 0;
        } else {
            rc = ch_line(r, p + a, e - a, err);
        }
        if (rc) {
            r->failed = 1;
            return rc;
        }
        r->lineno++;
        a = e + 1;
    }
    if (r->line.oom) {
        r->failed = 1;
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    }
    return 0;
}

cv_table *cv_ch_reader_finish(cv_ch_reader *r, cv_error *err)
{
    cv_table *t = NULL;
    int rc = 0;
    if (r->failed) {
        rc = cv_error_set(err, CV_ERR_IO, "clickhouse: the response was already bad");
    } else if (r->line.n) {
        rc = ch_is_exception(r->line.p, r->line.n)
                 ? ch_exception(r, r->line.p, r->line.n, err)
                 : cv_error_set(err, CV_ERR_IO,
                                "clickhouse: the response ends in the middle "
                                "of a row");
    } else if (r->lineno < 2) {
        rc = cv_error_set(err, CV_ERR_IO,
                          "clickhouse: the response has no column names and "
                          "types");
    } else if (!(t = cv_table_new())) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while reading a query");
    }
    for (int k = 0; k < r->ncols && rc == 0; k++)
        rc = cv_table_add(t, r->cols[k], err);
    ch_reader_clear(r);
    r->line.n = 0;
    r->lineno = 0;
    if (rc) {
        cv_table_free(t);
        return NULL;
    }
    return t;
}

/* ---- Error messages ---------------------------------------------------------------------- */

size_t cv_ch_error_message(const char *body, size_t n, char *buf, size_t size, int *code, long *pos)
{
    *code = 0;
    *pos = 0;
    size_t len = strnlen(body, n);
    char *s = cv_malloc(len + 1);
    if (!s) {
        return (size_t)snprintf(buf, size, "%s", "out of memory");
    }
    memcpy(s, body, len);
    s[len] = '\0';
    const char *p = s;
    if (strncmp(p, "Code: ", 6) == 0)
        *code = atoi(p + 6);
    const char *m = strstr(p, "DB::Exception: ");
    if (m && (size_t)(m - p) < 80)
        p = m + 15;
    else if ((m = strstr(p, "e.displayText() = ")) != NULL)
        p = m + 18;
    char *w = strstr(p, ", e.what() = ");
    if (w)
        *w = '\0';
    if ((w = strstr(p, ". Expected one of")) != NULL) /* the parser's long list of tokens */
        *w = '\0';
    const char *fp = strstr(p, "failed at position ");
    if (fp)
        *pos = atol(fp + 19);
    size_t k = strcspn(p, "\n");
    while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == '.' || p[k - 1] == '\r' || p[k - 1] == ':'))
        k--;
    int out = snprintf(buf, size, "%.*s", (int)k, p);
    if (size > 1 && isupper((unsigned char)buf[0]) && !isupper((unsigned char)buf[1]))
        buf[0] = (char)tolower((unsigned char)buf[0]);
    cv_free(s);
    return out < 0 ? 0 : (size_t)out;
}

/* ---- Parameters as literals -------------------------------------------------------------- */

/* Appends params[k] as a ClickHouse literal. */
static void ch_literal(sq_buf *b, const cv_sql_param *p)
{
    switch (p->kind) {
    case CV_SQLP_INT:
        sq_printf(b, p->i < 0 ? "(%lld)" : "%lld", (long long)p->i);
        break;
    case CV_SQLP_FLOAT:
        if (isnan(p->f))
            sq_puts(b, "nan");
        else if (isinf(p->f))
            sq_puts(b, p->f > 0 ? "inf" : "(-inf)");
        else
            sq_printf(b, signbit(p->f) ? "(%.17g)" : "%.17g", p->f);
        break;
    case CV_SQLP_BOOL:
        sq_puts(b, p->i ? "1" : "0");
        break;
    case CV_SQLP_TEXT: {
        sq_putn(b, "'", 1);
        for (const unsigned char *s = (const unsigned char *)p->s; *s; s++) {
            if (*s == '\'' || *s == '\\') {
                char e[2] = {'\\', (char)*s};
                sq_putn(b, e, 2);
            } else if (*s < 0x20 || *s == 0x7f) {
                sq_printf(b, "\\x%02X", *s);
            } else {
                sq_putn(b, (const char *)s, 1);
            }
        }
        sq_putn(b, "'", 1);
        break;
    }
    default:
        sq_puts(b, "NULL");
    }
}

char *cv_ch_bind(const char *sql, const cv_sql_param *params, int n, cv_error *err)
{
    sq_buf b = {0};
    size_t i = 0, from = 0, len = strlen(sql);
    while (i < len) {
        char c = sql[i];
        if (c == '\'' || c == '"' || c == '`') { /* a literal or quoted name: to its end */
            for (i++; i < len && sql[i] != c; i++)
                if (sql[i] == '\\' && i + 1 < len)
                    i++;
            i++;
        } else if (c == '-' && i + 1 < len && sql[i + 1] == '-') {
            while (i < len && sql[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < len && sql[i + 1] == '*') {
            const char *e = strstr(sql + i + 2, "*/");
            i = e ? (size_t)(e - sql) + 2 : len;
        } else if (c == '$' && i + 1 < len && isdigit((unsigned char)sql[i + 1])) {
            size_t j = i + 1;
            long k = 0;
            while (j < len && isdigit((unsigned char)sql[j]) && k < 100000)
                k = k * 10 + (sql[j++] - '0');
            if (k < 1 || k > n) {
                cv_free(b.p);
                cv_error_set(err, CV_ERR_USAGE, "sql: parameter $%ld is not given (%d given)", k,
                             n);
                return NULL;
            }
            sq_putn(&b, sql + from, i - from);
            ch_literal(&b, &params[k - 1]);
            i = from = j;
        } else {
            i++;
        }
    }
    if (from < len)
        sq_putn(&b, sql + from, len - from);
    else
        sq_putn(&b, "", 0);
    if (b.oom || !b.p) {
        cv_free(b.p);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while binding parameters");
        return NULL;
    }
    return b.p;
}
