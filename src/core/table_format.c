/* cvkit tables, part 3: text: values formatted for people, tables laid out for a terminal,
   and the display width of UTF-8 text (East Asian wide characters take two columns). */
#include "cvkit/dtoa.h"
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "cvkit/parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Values --------------------------------------------------------------------------- */

/* Copies s[0..len) into buf as snprintf would; returns len. */
static size_t put(char *buf, size_t size, const char *s, size_t len)
{
    if (size) {
        size_t k = len < size - 1 ? len : size - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
    }
    return len;
}

/* x with `digits` significant digits, in plain notation for 1e-4 <= |x| < 1e15 (a large
   number keeps all its integer digits, as R prints 12345678.9 as 12345679), trailing
   zeros dropped; %g's exponent form outside that range. */
static int format_digits(double x, int digits, char *tmp, size_t size)
{
    double ax = fabs(x);
    if (ax != 0 && (ax < 1e-4 || ax >= 1e15))
        return snprintf(tmp, size, "%.*g", digits, x);
    int mag = ax == 0 ? 0 : (int)floor(log10(ax));
    int dec = digits - 1 - mag;
    if (dec < 0)
        dec = 0;
    int n = snprintf(tmp, size, "%.*f", dec, x);
    if (n > 0 && (size_t)n < size && dec > 0) {
        while (n > 0 && tmp[n - 1] == '0')
            tmp[--n] = '\0';
        if (n > 0 && tmp[n - 1] == '.')
            tmp[--n] = '\0';
    }
    return n;
}

size_t cv_value_format(const cv_column *c, int64_t i, int digits, const char *na, char *buf,
                       size_t size)
{
    char tmp[64];
    int n;
    if (!na)
        na = "na";
    if (!cv_column_is_valid(c, i))
        return put(buf, size, na, strlen(na));
    switch (c->type) {
    case CV_INT64:
        n = snprintf(tmp, sizeof tmp, "%lld", (long long)cv_column_int(c, i));
        break;
    case CV_FLOAT64: {
        double x = cv_column_float(c, i);
        if (isnan(x))
            return put(buf, size, na, strlen(na));
        if (isinf(x))
            n = snprintf(tmp, sizeof tmp, "%s", x > 0 ? "inf" : "-inf");
        else if (digits > 0)
            n = format_digits(x, digits > 17 ? 17 : digits, tmp, sizeof tmp);
        else
            n = (int)cv_fmt_double(x, tmp); /* shortest exact: dtoa.c */
        break;
    }
    case CV_DATE:
    case CV_DATETIME: {
        int64_t v = c->type == CV_DATE ? cv_column_i32(c, i) : cv_column_int(c, i), days = v;
        int64_t secs = 0;
        int y, m, d;
        if (c->type == CV_DATETIME) {
            days = v >= 0 ? v / 86400 : -((-v + 86399) / 86400);
            secs = v - days * 86400;
        }
        cv_civil_from_days((int32_t)days, &y, &m, &d);
        if (c->type == CV_DATE)
            n = snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
        else
            n = snprintf(tmp, sizeof tmp, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d,
                         (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
        break;
    }
    case CV_BOOL:
        n = snprintf(tmp, sizeof tmp, "%s", cv_column_bool(c, i) ? "true" : "false");
        break;
    case CV_STRING: {
        size_t len = 0;
        const char *s = cv_column_string(c, i, &len);
        return put(buf, size, s ? s : "", s ? len : 0);
    }
    default:
        n = 0;
        tmp[0] = '\0';
        break;
    }
    return put(buf, size, tmp, n < 0 ? 0 : (size_t)n);
}

/* ---- Display width ---------------------------------------------------------------------- */

typedef struct range {
    uint32_t lo, hi;
} range;

/* Combining marks and zero-width format characters. */
static const range zero_width[] = {
    {0x0300, 0x036F},   {0x0483, 0x0489},   {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
    {0x05C4, 0x05C5},   {0x05C7, 0x05C7},   {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},
    {0x06D6, 0x06DC},   {0x06DF, 0x06E4},   {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0900, 0x0902},
    {0x093A, 0x093A},   {0x093C, 0x093C},   {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957},
    {0x0E31, 0x0E31},   {0x0E34, 0x0E3A},   {0x0E47, 0x0E4E}, {0x1160, 0x11FF}, {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF},   {0x200B, 0x200F},   {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF},
    {0x302A, 0x302D},   {0x3099, 0x309A},   {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
    {0xE0001, 0xE007F}, {0xE0100, 0xE01EF},
};

/* East Asian Wide and Fullwidth, and emoji shown in wide presentation. */
static const range wide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x3096},   {0x309B, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
    {0x16FE0, 0x16FE4}, {0x17000, 0x18AFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F202},
    {0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F260, 0x1F265},
    {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF},
    {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static int in_ranges(uint32_t cp, const range *r, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

static int cp_width(uint32_t cp)
{
    if (cp < 0x300)
        return 1;
    if (in_ranges(cp, zero_width, sizeof zero_width / sizeof *zero_width))
        return 0;
    if (in_ranges(cp, wide, sizeof wide / sizeof *wide))
        return 2;
    return 1;
}

/* Decodes one UTF-8 character at s[0..len) (len > 0): returns its byte length and sets
 *cp, or returns 1 with *cp = UINT32_MAX for an invalid byte. */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t n;
    uint32_t v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        n = 2, v = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3, v = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4, v = b & 0x07, min = 0x10000;
    } else {
        *cp = UINT32_MAX;
        return 1;
    }
    if (n > len) {
        *cp = UINT32_MAX;
        return 1;
    }
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = UINT32_MAX;
            return 1;
        }
        v = (v << 6) | (s[k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = UINT32_MAX;
        return 1;
    }
    *cp = v;
    return n;
}

int cv_utf8_width(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    long w = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_next(p + i, len - i, &cp);
        w += cp == UINT32_MAX ? 1 : cp_width(cp);
        i += n;
    }
    return w > 0x7fffffff ? 0x7fffffff : (int)w;
}

/* ---- Tables ------------------------------------------------------------------------------ */

typedef struct sbuf {
    char *s;
    size_t n, cap;
    int failed;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t len)
{
    if (b->failed)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + len + 1)
            cap *= 2;
        char *p = cv_realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

static void sb_pad(sbuf *b, int n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        sb_add(b, spaces, (size_t)k);
        n -= k;
    }
}

/* Drops the spaces at the end of the buffer (the end of a line). */
static void sb_trim(sbuf *b)
{
    while (b->n > 0 && b->s[b->n - 1] == ' ')
        b->s[--b->n] = '\0';
}

/* A cell's text: malloc'd, cut to max_width display columns with an ellipsis. */
typedef struct cell {
    char *s;
    int w;
} cell;

static int make_cell(cell *c, const char *s, size_t len, int max_width)
{
    int w = cv_utf8_width(s, len);
    if (max_width > 0 && w > max_width) {
        const unsigned char *p = (const unsigned char *)s;
        size_t i = 0;
        int used = 0;
        while (i < len) {
            uint32_t cp;
            size_t n = utf8_next(p + i, len - i, &cp);
            int cw = cp == UINT32_MAX ? 1 : cp_width(cp);
            if (used + cw > max_width - 1)
                break;
            used += cw;
            i += n;
        }
        c->s = cv_malloc(i + 4);
        if (!c->s)
            return -1;
        memcpy(c->s, s, i);
        memcpy(c->s + i, "\xe2\x80\xa6", 4); /* … */
        c->w = used + 1;
        return 0;
    }
    c->s = cv_malloc(len + 1);
    if (!c->s)
        return -1;
    memcpy(c->s, s, len);
    c->s[len] = '\0';
    c->w = w;
    return 0;
}

/* Cell text as one line: control characters (newlines, tabs) become spaces. */
static void flatten(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

/* The decimals that let the first `show` values of float column c print with one count of
   decimals (so their points align) while each keeps its 7 significant digits, as R prints
   a column; -1 when some value needs an exponent or the result would be too wide. */
static int common_decimals(const cv_column *c, int64_t show)
{
    int dec = 0;
    char tmp[64];
    for (int64_t i = 0; i < show; i++) {
        double x = cv_column_float(c, i);
        if (!cv_column_is_valid(c, i) || !isfinite(x))
            continue;
        format_digits(x, 7, tmp, sizeof tmp);
        if (strchr(tmp, 'e'))
            return -1;
        const char *dot = strchr(tmp, '.');
        int d = dot ? (int)strlen(dot + 1) : 0;
        dec = d > dec ? d : dec;
    }
    for (int64_t i = 0; i < show; i++) {
        double x = cv_column_float(c, i);
        if (cv_column_is_valid(c, i) && isfinite(x) && fabs(x) * pow(10, dec) >= 1e17)
            return -1; /* too many digits in all */
    }
    return dec;
}

const char *cv_table_type_label(cv_type t)
{
    static const char *const labels[] = {"<int>",  "<float>",    "<string>",
                                         "<date>", "<datetime>", "<bool>"};
    return (unsigned)t < sizeof labels / sizeof *labels ? labels[t] : "<?>";
}

size_t cv_table_more_text(int64_t more, char *buf, size_t size)
{
    char n[64];
    cv_format_kind((double)more, CV_KIND_COUNT, -1, "na", n, sizeof n);
    return (size_t)snprintf(buf, size, "\xe2\x80\xa6 %s more row%s", n, more == 1 ? "" : "s");
}

size_t cv_table_no_columns_text(int64_t nrows, char *buf, size_t size)
{
    return (size_t)snprintf(buf, size, "(no columns, %lld rows)", (long long)nrows);
}

int64_t cv_table_format_rows(const cv_table *t, int64_t max_rows)
{
    return max_rows < 0 || max_rows > t->nrows ? t->nrows : max_rows;
}

char *cv_table_format(const cv_table *t, int64_t max_rows, int max_width)
{
    return cv_table_format_words(t, max_rows, max_width, NULL);
}

char *cv_table_format_words(const cv_table *t, int64_t max_rows, int max_width,
                            const cv_table_words *words)
{
    sbuf b = {0};
    int64_t show = cv_table_format_rows(t, max_rows);
    int nc = t->ncols;
    if (nc == 0) {
        char line[64];
        const char *text = words && words->no_columns ? words->no_columns : line;
        cv_table_no_columns_text(t->nrows, line, sizeof line);
        sb_add(&b, text, strlen(text));
        sb_add(&b, "\n", 1);
        return b.failed ? NULL : b.s;
    }
    int64_t nrow = show + 2; /* header, type line, then the rows */
    cell *cells = cv_calloc((size_t)(nrow * nc), sizeof *cells);
    int *width = cv_calloc((size_t)nc, sizeof *width);
    char *buf = cv_malloc(4096);
    int failed = !cells || !width || !buf;
    for (int j = 0; j < nc && !failed; j++) {
        const cv_column *c = t->cols[j];
        const char *tname = words && (unsigned)c->type <= CV_BOOL && words->type[c->type]
                                ? words->type[c->type]
                                : cv_table_type_label(c->type);
        failed |= make_cell(&cells[j], c->name, strlen(c->name), max_width);
        failed |= make_cell(&cells[nc + j], tname, strlen(tname), max_width);
        /* a plain number with its decimals given is shown by cv_format_kind too */
        int by_kind = c->kind >= CV_KIND_MONEY || (c->kind == CV_KIND_NUMBER && c->decimals1 > 0);
        int dec = c->type == CV_FLOAT64 && !by_kind ? common_decimals(c, show) : -1;
        const char *na = words && words->na ? words->na : "na";
        for (int64_t i = 0; i < show && !failed; i++) {
            size_t len;
            double x = c->type == CV_FLOAT64 ? cv_column_float(c, i) : 0;
            int valid = cv_column_is_valid(c, i);
            if (by_kind && valid)
                len = cv_format_kind(cv_column_number(c, i), c->kind, c->decimals1 - 1, na, buf,
                                     4096);
            else if (dec >= 0 && valid && isfinite(x))
                len = (size_t)snprintf(buf, 4096, "%.*f", dec, x);
            else if (c->type == CV_BOOL && valid && words && words->bools[!!cv_column_bool(c, i)])
                len = (size_t)snprintf(buf, 4096, "%s", words->bools[!!cv_column_bool(c, i)]);
            else
                len = cv_value_format(c, i, 7, na, buf, 4096);
            cell *ce = &cells[(i + 2) * nc + j];
            failed |= make_cell(ce, buf, len < 4096 ? len : 4095, max_width);
            if (!failed && c->type == CV_STRING)
                flatten(ce->s);
        }
        for (int64_t r = 0; r < nrow && !failed; r++)
            if (cells[r * nc + j].w > width[j])
                width[j] = cells[r * nc + j].w;
    }
    for (int64_t r = 0; r < nrow && !failed; r++) {
        for (int j = 0; j < nc; j++) {
            const cell *ce = &cells[r * nc + j];
            cv_type ty = t->cols[j]->type;
            int right = ty == CV_INT64 || ty == CV_FLOAT64;
            if (j > 0)
                sb_pad(&b, 2);
            if (right)
                sb_pad(&b, width[j] - ce->w);
            sb_add(&b, ce->s, strlen(ce->s));
            if (!right)
                sb_pad(&b, width[j] - ce->w);
        }
        sb_trim(&b);
        sb_add(&b, "\n", 1);
        if (r == 1) { /* the rule under the type line */
            for (int j = 0; j < nc; j++) {
                if (j > 0)
                    sb_pad(&b, 2);
                for (int k = 0; k < width[j]; k++)
                    sb_add(&b, "-", 1);
            }
            sb_add(&b, "\n", 1);
        }
    }
    if (!failed && show < t->nrows) {
        char line[96];
        const char *text = words ? words->more : NULL;
        if (!text) {
            cv_table_more_text(t->nrows - show, line, sizeof line);
            text = line;
        }
        sb_add(&b, text, strlen(text));
        sb_add(&b, "\n", 1);
    }
    if (cells)
        for (int64_t k = 0; k < nrow * nc; k++)
            cv_free(cells[k].s);
    cv_free(cells);
    cv_free(width);
    cv_free(buf);
    if (failed || b.failed) {
        cv_free(b.s);
        return NULL;
    }
    return b.s;
}
