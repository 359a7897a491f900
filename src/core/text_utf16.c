/* UTF-16 text (Excel's "Unicode text" export) converted to UTF-8 for the CSV reader, and
   the kind of an input from its first bytes (text, UTF-16 with a byte order mark, .xlsx,
   .xls). */
#include "book_int.h"

#include <string.h>

#include "cvkit/mem.h"

int cv_input_kind(const unsigned char *h, size_t n)
{
    if (n >= 4 && memcmp(h, "PK\x03\x04", 4) == 0)
        return CV_KIND_XLSX;
    if (n >= 8 && memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return CV_KIND_XLS;
    if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE)
        return CV_KIND_UTF16LE;
    if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF)
        return CV_KIND_UTF16BE;
    return CV_KIND_TEXT;
}

/* Line and column (characters) of the UTF-8 text out[0..n) end, for messages. */
static void place(const char *out, size_t n, long *line, long *col)
{
    long ln = 1, cl = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c == '\n' || (c == '\r' && !(i + 1 < n && out[i + 1] == '\n'))) {
            ln++;
            cl = 1;
        } else if (c != '\r' && (c & 0xC0) != 0x80) {
            cl++;
        }
    }
    *line = ln;
    *col = cl;
}

int cv_utf16_to_utf8(const char *name, const unsigned char *raw, size_t len, int big_endian,
                     char **out, size_t *outlen, cv_error *err)
{
    size_t cap = len / 2 * 3 + 4, n = 0, i = 0;
    char *o = cv_malloc(cap);
    long line, col;
    if (!o)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", name);
    while (i + 1 < len) {
        unsigned u =
            big_endian ? (unsigned)raw[i] << 8 | raw[i + 1] : (unsigned)raw[i + 1] << 8 | raw[i];
        unsigned long cp = u;
        const char *bad = NULL;
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned lo = 0;
            if (i + 3 < len)
                lo = big_endian ? (unsigned)raw[i + 2] << 8 | raw[i + 3]
                                : (unsigned)raw[i + 3] << 8 | raw[i + 2];
            if (lo < 0xDC00 || lo > 0xDFFF)
                bad = "a lone high surrogate";
            else
                cp = 0x10000 + ((unsigned long)(u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            bad = "a lone low surrogate";
        } else if (u == 0) {
            bad = "a NUL character";
        }
        if (bad) {
            place(o, n, &line, &col);
            cv_free(o);
            return cv_error_at(err, CV_ERR_PARSE, name, line, col, "expected UTF-16 text, found %s",
                               bad);
        }
        i += 2;
        if (cp < 0x80) {
            o[n++] = (char)cp;
        } else if (cp < 0x800) {
            o[n++] = (char)(0xC0 | cp >> 6);
            o[n++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            o[n++] = (char)(0xE0 | cp >> 12);
            o[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
            o[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            o[n++] = (char)(0xF0 | cp >> 18);
            o[n++] = (char)(0x80 | (cp >> 12 & 0x3F));
            o[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
            o[n++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    if (i < len) {
        place(o, n, &line, &col);
        cv_free(o);
        return cv_error_at(err, CV_ERR_PARSE, name, line, col,
                           "expected UTF-16 text, found an odd number of bytes");
    }
    *out = o;
    *outlen = n;
    return 0;
}
