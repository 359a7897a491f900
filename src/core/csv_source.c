/* The CSV reader's text source: reads a byte range of a file (pread, in blocks, never
   mapping the whole file) or of a memory buffer, checks that it is UTF-8 or converts it
   from GB18030 with iconv, and remembers where the first invalid byte is. */
#include "csv_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cvkit/mem.h"

long cv_utf8_valid_prefix(const unsigned char *p, size_t n, int at_end, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        while (i + 32 <= n) { /* plain ASCII, 32 bytes at a time */
            uint64_t w[4];
            memcpy(w, p + i, 32);
            if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL)
                break;
            i += 32;
        }
        if (i >= n)
            break;
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c == 0xE0)
            need = 2, lo = 0xA0;
        else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
            need = 2;
        else if (c == 0xED)
            need = 2, hi = 0x9F;
        else if (c == 0xF0)
            need = 3, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3)
            need = 3;
        else if (c == 0xF4)
            need = 3, hi = 0x8F;
        else {
            *bad = i;
            return -1;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n) {
                if (at_end) {
                    *bad = i;
                    return -1;
                }
                return (long)i; /* an incomplete character: the next block has it */
            }
            unsigned b = p[i + k];
            if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
                *bad = i;
                return -1;
            }
        }
        i += need + 1;
    }
    return (long)i;
}

int cv_src_open(cv_src *s, int fd, const char *mem, uint64_t begin, uint64_t end, cv_encoding enc)
{
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->mem = mem;
    s->pos = begin;
    s->end = end;
    s->enc = enc == CV_ENC_GB18030 ? CV_ENC_GB18030 : CV_ENC_UTF8;
    s->cd = (iconv_t)-1;
    if (fd >= 0 && !(s->raw = cv_malloc(CV_CSV_BLOCK)))
        return -1;
    if (s->enc == CV_ENC_GB18030) {
        s->cd = iconv_open("UTF-8", "GB18030");
        if (s->cd == (iconv_t)-1 || !(s->out = cv_malloc(2 * (size_t)CV_CSV_BLOCK + 16))) {
            cv_src_close(s);
            return -1;
        }
    }
    return 0;
}

void cv_src_close(cv_src *s)
{
    cv_free(s->raw);
    cv_free(s->out);
    if (s->cd != (iconv_t)-1)
        iconv_close(s->cd);
    s->raw = s->out = NULL;
    s->cd = (iconv_t)-1;
}

/* Raw bytes [pos, pos + want): a pointer into mem, or read into s->raw. */
static const char *src_raw(cv_src *s, size_t want, size_t *got)
{
    if (s->fd < 0) {
        *got = want;
        return s->mem + s->pos;
    }
    size_t n = 0;
    while (n < want) {
        ssize_t r = pread(s->fd, s->raw + n, want - n, (off_t)(s->pos + n));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            s->status = -1;
            s->err_no = errno;
            return NULL;
        }
        if (r == 0)
            break; /* the file got shorter: stop there */
        n += (size_t)r;
    }
    *got = n;
    return s->raw;
}

int cv_src_next(cv_src *s, const char **p, size_t *n, uint64_t *raw_done)
{
    if (s->status)
        return -1;
    if (s->pos >= s->end)
        return 0;
    size_t want = s->end - s->pos > CV_CSV_BLOCK ? CV_CSV_BLOCK : (size_t)(s->end - s->pos);
    size_t got;
    const char *raw = src_raw(s, want, &got);
    if (!raw)
        return -1;
    if (got == 0) {
        s->end = s->pos;
        return 0;
    }
    int at_end = s->pos + got >= s->end || got < want;
    const char *nul = memchr(raw, 0, got); /* text never holds NUL (a binary file, UTF-16) */
    if (nul == raw) {
        s->status = 1;
        s->bad = s->pos;
        return -1;
    } else if (nul) { /* the text before it now, the error at the next call */
        got = (size_t)(nul - raw);
        at_end = 0;
    }
    if (s->enc == CV_ENC_UTF8) {
        size_t bad = 0;
        long k = cv_utf8_valid_prefix((const unsigned char *)raw, got, at_end, &bad);
        if (k <= 0) {
            s->status = 1;
            s->bad = s->pos + (k < 0 ? bad : 0);
            return -1;
        }
        *p = raw;
        *n = (size_t)k;
        s->pos += (uint64_t)k;
    } else {
        char *in = (char *)raw, *out = s->out;
        size_t inleft = got, outleft = 2 * (size_t)CV_CSV_BLOCK + 16;
        size_t r = iconv(s->cd, &in, &inleft, &out, &outleft);
        size_t used = got - inleft;
        if (r == (size_t)-1 && used == 0 && (errno != EINVAL || at_end)) {
            s->status = 1;
            s->bad = s->pos;
            return -1;
        }
        if (used == 0) { /* an incomplete character at the very end: cannot happen */
            s->status = 1;
            s->bad = s->pos;
            return -1;
        }
        *p = s->out;
        *n = (size_t)(out - s->out);
        s->pos += used;
    }
    if (raw_done)
        *raw_done = s->pos;
    return 1;
}
