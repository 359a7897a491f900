/* cvkit column kinds: their names and cv_format_kind, the one place that shows a number
   as money, a share, a count, a rate or a plain number (console, Markdown, HTML, KPIs). */
#include "cvkit/kind.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = {NULL, "number", "money", "share", "count", "rate"};

const char *cv_kind_name(cv_kind k)
{
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : NULL;
}

int cv_kind_parse(const char *name, cv_kind *out)
{
    for (size_t k = 1; name && k < sizeof names / sizeof *names; k++)
        if (strcmp(name, names[k]) == 0) {
            *out = (cv_kind)k;
            return 0;
        }
    return -1;
}

/* |x| with dec decimals (halves away from zero), thousands grouped with ',', into out
   (at least 440 bytes); trailing zeros of the decimals dropped when trim. Returns the
   length. */
static size_t grouped(double x, int dec, int trim, char *out)
{
    char digits[360];
    double a = fabs(x), scale = pow(10, dec);
    if (a >= 1e300) /* keep the digit buffer bounded */
        dec = 0;
    else if (a * scale < 1e15)
        a = round(a * scale) / scale;
    snprintf(digits, sizeof digits, "%.*f", dec, a);
    char *dot = strchr(digits, '.');
    if (dot && trim) {
        char *end = digits + strlen(digits);
        while (end > dot + 1 && end[-1] == '0')
            end--;
        if (end == dot + 1)
            end = dot;
        *end = '\0';
    }
    size_t n = 0, intlen = dot ? (size_t)(dot - digits) : strlen(digits);
    if (x < 0 && strspn(digits, "0.") != strlen(digits))
        out[n++] = '-';
    for (size_t k = 0; k < intlen; k++) {
        if (k > 0 && (intlen - k) % 3 == 0)
            out[n++] = ',';
        out[n++] = digits[k];
    }
    if (dot && *dot) {
        size_t rest = strlen(dot);
        memcpy(out + n, dot, rest);
        n += rest;
    }
    out[n] = '\0';
    return n;
}

size_t cv_format_kind(double v, cv_kind kind, int decimals, const char *na, char *buf, size_t size)
{
    char out[512];
    size_t n;
    if (decimals > 15)
        decimals = 15;
    if (isnan(v))
        return (size_t)snprintf(buf, size, "%s", na ? na : "na");
    if (isinf(v))
        return (size_t)snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
    switch (kind) {
    case CV_KIND_MONEY:
        n = grouped(v, decimals < 0 ? 2 : decimals, 0, out);
        break;
    case CV_KIND_SHARE:
    case CV_KIND_RATE:
        if (isinf(v * 100)) /* too large to be a percentage */
            return (size_t)snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
        n = grouped(v * 100, decimals < 0 ? 2 : decimals, decimals < 0 && kind == CV_KIND_RATE,
                    out);
        out[n++] = '%';
        out[n] = '\0';
        break;
    case CV_KIND_COUNT:
        n = grouped(v, 0, 0, out);
        break;
    default:
        if (decimals < 0) { /* two decimals, four significant digits below 1, zeros dropped */
            double a = fabs(v);
            int dec = 2;
            if (a > 0 && a < 1 && 3 - (int)floor(log10(a)) > 2)
                dec = 3 - (int)floor(log10(a));
            n = grouped(v, dec, 1, out);
        } else {
            n = grouped(v, decimals, 0, out);
        }
        break;
    }
    return (size_t)snprintf(buf, size, "%.*s", (int)n, out);
}
