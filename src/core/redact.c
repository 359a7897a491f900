/* cvkit secrets in messages: finds the passwords of a connection string (a mask over its
   characters) and hides them, and whatever a message echoes of them, behind "***". */
#include "cvkit/redact.h"
#include "cvkit/mem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Appends n bytes of s at *len in buf (size bytes), never past size - 1; counts them all. */
static void put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++, (*len)++)
        if (*len + 1 < size)
            buf[*len] = s[k];
}

/* Writes s[0..n) into buf with each run of characters where hide[] is set as one "***";
   returns the length of the whole result. */
static size_t emit(const char *s, size_t n, const unsigned char *hide, char *buf, size_t size)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!hide[i])
            put(buf, size, &len, s + i, 1);
        else if (i == 0 || !hide[i - 1])
            put(buf, size, &len, "***", 3);
    }
    if (size > 0)
        buf[len < size ? len : size - 1] = '\0';
    return len;
}

/* The length of a parameter name at s ([A-Za-z0-9_.-]+), 0 when there is none. */
static size_t name_len(const char *s)
{
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '.' || s[n] == '-')
        n++;
    return n;
}

/* 1 when s (a parameter name, n bytes) names a secret: it contains "pass", "pwd",
   "secret", "token" or "key", in any case. */
static int secret_name(const char *s, size_t n)
{
    static const char *const words[] = {"pass", "pwd", "secret", "token", "key"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t wl = strlen(words[w]);
        for (size_t k = 0; k + wl <= n; k++)
            if (strncasecmp(s + k, words[w], wl) == 0)
                return 1;
    }
    return 0;
}

/* When s starts a parameter "name=" (blanks allowed around '=' unless query is set), the
   offset of its value; else 0. *secret tells whether the name is a secret's. */
static size_t param_value(const char *s, int query, int *secret)
{
    size_t n = name_len(s), v = n;
    if (n == 0)
        return 0;
    while (!query && (s[v] == ' ' || s[v] == '\t'))
        v++;
    if (s[v] != '=')
        return 0;
    v++;
    while (!query && (s[v] == ' ' || s[v] == '\t'))
        v++;
    *secret = secret_name(s, n);
    return v;
}

/* The end of the value starting at s[v] of a parameter that followed delimiter d. */
static size_t value_end(const char *s, size_t v, char d)
{
    int secret;
    size_t e = v;
    if (s[v] == '\'') { /* conninfo quoting: up to the closing quote, \' escaped */
        for (e = v + 1; s[e] && s[e] != '\''; e++)
            if (s[e] == '\\' && s[e + 1])
                e++;
        return s[e] ? e + 1 : e;
    }
    if (d == '?' || d == '&') { /* a URL query: up to "&name=" or '#' */
        for (; s[e] && s[e] != '#'; e++)
            if (s[e] == '&' && param_value(s + e + 1, 1, &secret))
                break;
        return e;
    }
    for (; s[e]; e++) { /* conninfo: up to " name =" (or ";name=") */
        if (s[e] != ' ' && s[e] != '\t' && s[e] != '\n' && s[e] != '\r' && s[e] != ';')
            continue;
        size_t k = e + (s[e] == ';');
        while (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')
            k++;
        if (!s[k] || param_value(s + k, 0, &secret))
            break;
    }
    return e;
}

/* Marks in mask[0..strlen(conn)) the characters of conn's passwords (redact.h). */
static void mark_secrets(const char *conn, unsigned char *mask)
{
    size_t n = strlen(conn), start = 0, at = n, s = 0;
    memset(mask, 0, n);
    /* user information */
    while (isalnum((unsigned char)conn[s]) || conn[s] == '+' || conn[s] == '.' || conn[s] == '-')
        s++;
    if (s > 0 && isalpha((unsigned char)conn[0]) && strncmp(conn + s, "://", 3) == 0) {
        start = s + 3;
    } else if (strncasecmp(conn, "sqlite:", 7) == 0 || strncasecmp(conn, "postgres:", 9) == 0 ||
               strncasecmp(conn, "postgresql:", 11) == 0) {
        start = (size_t)(strchr(conn, ':') - conn) + 1;
        while (conn[start] == '/')
            start++;
    }
    for (size_t k = start; k < n; k++)
        if (conn[k] == '@')
            at = k;
    if (at < n) {
        const char *colon = memchr(conn + start, ':', at - start);
        if (colon)
            memset(mask + (colon - conn) + 1, 1, at - (size_t)(colon - conn) - 1);
    }
    /* name=value parameters (a URL's query, a conninfo string) */
    for (size_t p = 0; p < n; p++) {
        char d = p == 0 ? ' ' : conn[p - 1];
        int secret = 0;
        size_t v;
        if (!strchr("?&; \t\r\n", d) ||
            (v = param_value(conn + p, d == '?' || d == '&', &secret)) == 0)
            continue;
        size_t e = value_end(conn, p + v, d);
        if (secret && e > p + v) { /* (other values are looked into: "host=h&password=x") */
            memset(mask + p + v, 1, e - (p + v));
            p = e - 1;
        }
    }
}

size_t cv_redact_conn(const char *conn, char *buf, size_t size)
{
    size_t n = strlen(conn);
    unsigned char *mask = cv_malloc(n + 1);
    if (!mask) { /* cannot tell: show nothing of it */
        size_t len = 0;
        put(buf, size, &len, "***", 3);
        if (size > 0)
            buf[len < size ? len : size - 1] = '\0';
        return len;
    }
    mark_secrets(conn, mask);
    size_t len = emit(conn, n, mask, buf, size);
    cv_free(mask);
    return len;
}

/* Percent-decodes s[0..n) into out (n + 1 bytes); an invalid escape stays as it is. */
static size_t pct_decode(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '%' && k + 2 < n && isxdigit((unsigned char)s[k + 1]) &&
            isxdigit((unsigned char)s[k + 2])) {
            char hex[3] = {s[k + 1], s[k + 2], '\0'};
            out[o++] = (char)strtol(hex, NULL, 16);
            k += 2;
        } else {
            out[o++] = s[k];
        }
    }
    out[o] = '\0';
    return o;
}

/* Hides in hide[] the characters of text (n bytes) that may come from a password of conn
   (mask: mark_secrets), by the three rules of redact.h. */
static void mark_echoes(const char *text, size_t n, const char *conn, size_t m,
                        const unsigned char *mask, unsigned char *hide)
{
    /* a stretch of 3 or more characters equal to one of conn over a password character */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m && !hide[i]; j++) {
            if (!mask[j] || conn[j] != text[i])
                continue;
            size_t run = 1;
            for (size_t k = 1; k <= 2 && k <= i && k <= j && text[i - k] == conn[j - k]; k++)
                run++;
            for (size_t k = 1; k <= 2 && i + k < n && j + k < m && text[i + k] == conn[j + k]; k++)
                run++;
            if (run >= 3)
                hide[i] = 1;
        }
    /* a quoted part (or the whole text) equal to a part of conn that touches a password */
    for (size_t q = 0; q <= n; q++) {
        size_t from = 0, len = n; /* q == n: the whole text */
        if (q < n) {
            if (text[q] != '"' && text[q] != '\'')
                continue;
            const char *close = strchr(text + q + 1, text[q]);
            from = q + 1;
            len = (close ? (size_t)(close - text) : n) - from;
        }
        for (size_t j = 0; len > 0 && j + len <= m; j++)
            if (memcmp(conn + j, text + from, len) == 0)
                for (size_t k = 0; k < len; k++)
                    if (mask[j + k])
                        hide[from + k] = 1;
    }
    /* a password as percent-decoded */
    char *dec = cv_malloc(m + 1);
    for (size_t j = 0; dec && j < m;) {
        if (!mask[j]) {
            j++;
            continue;
        }
        size_t e = j;
        while (e < m && mask[e])
            e++;
        size_t dl = pct_decode(conn + j, e - j, dec);
        if (dl >= 3 && (dl != e - j || memcmp(dec, conn + j, dl) != 0))
            for (const char *p = text; (p = strstr(p, dec)) != NULL; p++)
                memset(hide + (p - text), 1, dl);
        j = e;
    }
    cv_free(dec);
}

size_t cv_redact_text(const char *text, const char *conn, char *buf, size_t size)
{
    size_t n = strlen(text), m = conn ? strlen(conn) : 0, len;
    unsigned char *hide = cv_calloc(n + 1, 1), *mask = cv_malloc(m + 1);
    if (!hide || !mask) { /* cannot tell: show nothing of it */
        cv_free(hide);
        cv_free(mask);
        len = 0;
        put(buf, size, &len, "***", 3);
        if (size > 0)
            buf[len < size ? len : size - 1] = '\0';
        return len;
    }
    if (conn) {
        mark_secrets(conn, mask);
        mark_echoes(text, n, conn, m, mask, hide);
    }
    len = emit(text, n, hide, buf, size);
    cv_free(hide);
    cv_free(mask);
    return len;
}

int cv_url_password(const char *url, size_t *off, size_t *len)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return 0;
    const char *start = sep + 3, *end = start + strcspn(start, "/"), *at = NULL;
    for (const char *p = start; p < end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(start, ':', (size_t)(at - start)) : NULL;
    if (!colon)
        return 0;
    *off = (size_t)(colon + 1 - url);
    *len = (size_t)(at - colon - 1);
    return 1;
}

/* 1 when c may be part of a URL scheme (RFC 3986: letters, digits, '+', '.', '-'). */
static int scheme_char(char c)
{
    return isalnum((unsigned char)c) || c == '+' || c == '.' || c == '-';
}

/* 1 when c ends a word of a message: a blank, a line end or a quote. */
static int word_end(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\'' || c == '"' || c == '`';
}

/* Marks in hide[] what lies between the first ':' in s[from..at) and at, when there is one. */
static void hide_userinfo(const char *s, size_t from, size_t at, unsigned char *hide)
{
    const char *colon = memchr(s + from, ':', at - from);
    if (colon)
        memset(hide + (colon - s) + 1, 1, at - (size_t)(colon - s) - 1);
}

/* Marks in hide[0..n) the passwords a message shows of connection strings written anywhere
   in it (redact.h, cv_redact_message). */
static void mark_message(const char *s, size_t n, unsigned char *hide)
{
    for (size_t i = 0; i < n; i++) {
        /* "scheme://user:pw@...": up to the last '@' of the URL's stretch, which ends at
           the line's end or another "scheme://" ("unknown database 'x://u:pw@h' (expected
           y://user@host)"), and after the first '@' at a blank, or, for a URL in quotes,
           at the closing quote followed by a blank, ':', ')', ',', '.', ';' or the end
           ("bad password in 'x://u:pw@h/db': ... %40 for '@'") */
        if (i > 0 && scheme_char(s[i - 1]) && strncmp(s + i, "://", 3) == 0) {
            size_t b = i, k = i + 3, first = 0, at = 0;
            while (b > 0 && scheme_char(s[b - 1]))
                b--;
            char q = b > 0 && strchr("'\"`", s[b - 1]) ? s[b - 1] : '\0';
            for (; k < n && s[k] != '\n'; k++) {
                if (scheme_char(s[k - 1]) && strncmp(s + k, "://", 3) == 0)
                    break;
                if (first &&
                    (q ? s[k] == q && strchr(" \t:),.;", s[k + 1]) : s[k] == ' ' || s[k] == '\t'))
                    break;
                if (s[k] == '@') {
                    first = first ? first : k;
                    at = k;
                }
            }
            if (at)
                hide_userinfo(s, i + 3, at, hide);
        }
        /* a word "user:pw@host" (a scheme forgotten or misspelt): up to its last '@' */
        if (!word_end(s[i]) && (i == 0 || word_end(s[i - 1]))) {
            size_t e = i, at = 0;
            size_t from = i;
            for (; e < n && !word_end(s[e]); e++)
                if (s[e] == '@')
                    at = e;
            for (size_t k = i; k + 3 <= at; k++)
                if (strncmp(s + k, "://", 3) == 0) {
                    from = k + 3; /* the user name after "scheme://" stays visible */
                    break;
                }
            if (at)
                hide_userinfo(s, from, at, hide);
        }
        /* "password=value" (conninfo, a query): the value, up to a blank, '&' or a quote
           (quoted: up to the closing quote) */
        char d = i == 0 ? ' ' : s[i - 1];
        int secret = 0;
        size_t v;
        if (!strchr("?&; \t\r\n'\"", d) || (v = param_value(s + i, 0, &secret)) == 0 || !secret ||
            (name_len(s + i) == 3 && strncasecmp(s + i, "key", 3) == 0))
            continue; /* "key=value" alone is a usage text's, not a secret's */
        size_t e = i + v;
        if (s[e] == '\'')
            e = value_end(s, e, ' ');
        else
            while (e < n && !word_end(s[e]) && s[e] != '&' && s[e] != ';')
                e++;
        memset(hide + i + v, 1, e - (i + v));
    }
}

size_t cv_redact_message(const char *text, char *buf, size_t size)
{
    size_t n = strlen(text), len = 0;
    unsigned char small[4096], *hide;
    if (!strchr(text, '@') && !strchr(text, '=')) { /* nothing to hide */
        put(buf, size, &len, text, n);
        if (size > 0)
            buf[len < size ? len : size - 1] = '\0';
        return len;
    }
    /* the mask on the stack for a message of usual length: no allocation, so that the
       message of a memory limit is shown as it is */
    hide = n < sizeof small ? small : cv_malloc(n + 1);
    if (!hide) { /* cannot tell: hide all */
        put(buf, size, &len, "***", 3);
        if (size > 0)
            buf[len < size ? len : size - 1] = '\0';
        return len;
    }
    memset(hide, 0, n + 1);
    mark_message(text, n, hide);
    len = emit(text, n, hide, buf, size);
    if (hide != small)
        cv_free(hide);
    return len;
}
