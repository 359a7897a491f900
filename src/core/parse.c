/* cvkit value parsing: calendar arithmetic (days_from_civil), dates with optional time of
   day, integers, correctly rounded decimal numbers (Clinger's fast path, one 64-bit
   multiplication, rarely a 128-bit division, for up to 19 digits (decimal_div.h), else strtod in
   the C locale) and booleans. No allocation except for very long numbers. */
#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "decimal_div.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Calendar ------------------------------------------------------------------------- */

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int32_t cv_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void cv_civil_from_days(int32_t days, int *y, int *m, int *d)
{
    const int z = days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    const int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cv_date_valid(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

int cv_date_in_range(int64_t days)
{
    /* 0001-01-01 and 9999-12-31 as days since 1970-01-01 */
    return days >= -719162 && days <= 2932896;
}

int cv_date_add_months(int32_t days, long months, int32_t *out)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    if (!cv_date_in_range(days) || months < -120000 || months > 120000)
        return -1;
    cv_civil_from_days(days, &y, &m, &d);
    long k = (long)y * 12 + (m - 1) + months; /* months since year 0 */
    long ny = k / 12, nm = k % 12 + 1;
    if (ny < 1 || ny > 9999)
        return -1;
    int last = mdays[nm - 1] + (nm == 2 && is_leap((int)ny));
    *out = cv_days_from_civil((int)ny, (int)nm, d < last ? d : last);
    return 0;
}

void cv_format_date(int32_t days, char *buf)
{
    int y, m, d;
    cv_civil_from_days(days, &y, &m, &d);
    /* y is within 1..9999 for any date we parse; clamp the width for others */
    if (y < 0 || y > 9999)
        snprintf(buf, 11, "%04d-%02d", y % 10000, m);
    else
        snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

/* Reads 1..maxd digits at s[*i]; returns the value or -1 if there is none. */
static int read_digits(const char *s, size_t len, size_t *i, int mind, int maxd)
{
    int v = 0, n = 0;
    while (*i < len && n < maxd && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    return n >= mind ? v : -1;
}

/* Parses "HH:MM" or "HH:MM:SS" with optional fraction and 'Z' at s[i..len) to the end. */
static int parse_time(const char *s, size_t len, size_t i, int32_t *secs)
{
    int hh = read_digits(s, len, &i, 1, 2), mm, ss = 0;
    if (hh < 0 || hh > 23 || i >= len || s[i] != ':')
        return -1;
    i++;
    if ((mm = read_digits(s, len, &i, 2, 2)) < 0 || mm > 59)
        return -1;
    if (i < len && s[i] == ':') {
        i++;
        if ((ss = read_digits(s, len, &i, 2, 2)) < 0 || ss > 59)
            return -1;
        if (i < len && s[i] == '.') {
            size_t f = ++i;
            while (i < len && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == f)
                return -1;
        }
    }
    if (i < len && s[i] == 'Z')
        i++;
    if (i != len)
        return -1;
    *secs = hh * 3600 + mm * 60 + ss;
    return 0;
}

/* 1 when s starts D.M.YYYY or DD.MM.YYYY: the dotted form, day first wherever it is
   written (Germany, Russia, ...), so read without a date_order. */
static int dotted_dmy(const char *s, size_t len)
{
    size_t i = 0;
    if (read_digits(s, len, &i, 1, 2) < 0 || i >= len || s[i++] != '.')
        return 0;
    if (read_digits(s, len, &i, 1, 2) < 0 || i >= len || s[i++] != '.')
        return 0;
    return read_digits(s, len, &i, 4, 4) >= 0;
}

int cv_parse_date(const char *s, size_t len, cv_date_order order, int32_t *days, int32_t *secs,
                  int *has_time)
{
    size_t i = 0;
    int y, m, d;
    if (len == 10 && s[4] == '-' && s[7] == '-') { /* the common YYYY-MM-DD, quickly */
        const unsigned char *u = (const unsigned char *)s;
        unsigned d0 = u[0] - '0', d1 = u[1] - '0', d2 = u[2] - '0', d3 = u[3] - '0',
                 d5 = u[5] - '0', d6 = u[6] - '0', d8 = u[8] - '0', d9 = u[9] - '0';
        if (!((d0 > 9) | (d1 > 9) | (d2 > 9) | (d3 > 9) | (d5 > 9) | (d6 > 9) | (d8 > 9) |
              (d9 > 9))) {
            y = (int)(d0 * 1000 + d1 * 100 + d2 * 10 + d3);
            m = (int)(d5 * 10 + d6);
            d = (int)(d8 * 10 + d9);
            if (m < 1 || m > 12 || d < 1 || (d > 28 && !cv_date_valid(y, m, d)))
                return -1;
            if (y > 1900 && y < 2100) { /* every 4th year is a leap year here */
                static const int before[12] = {0,   31,  59,  90,  120, 151,
                                               181, 212, 243, 273, 304, 334};
                *days = (y - 1970) * 365 + (y - 1969 + 4000) / 4 - 1000 + before[m - 1] +
                        (m > 2 && (y & 3) == 0) + d - 1;
            } else {
                if (!cv_date_valid(y, m, d))
                    return -1;
                *days = cv_days_from_civil(y, m, d);
            }
            if (secs)
                *secs = 0;
            if (has_time)
                *has_time = 0;
            return 0;
        }
    }
    if (len >= 8 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
        s[2] <= '9' && s[3] >= '0' && s[3] <= '9' &&
        (s[4] == '-' || s[4] == '/' || (s[4] >= '0' && s[4] <= '9'))) {
        y = read_digits(s, len, &i, 4, 4);
        if (s[4] == '-' || s[4] == '/') { /* YYYY-M-D, YYYY/M/D */
            char sep = s[i++];
            if ((m = read_digits(s, len, &i, 1, 2)) < 0 || i >= len || s[i] != sep)
                return -1;
            i++;
            if ((d = read_digits(s, len, &i, 1, 2)) < 0)
                return -1;
        } else { /* YYYYMMDD */
            m = read_digits(s, len, &i, 2, 2);
            if ((d = read_digits(s, len, &i, 2, 2)) < 0)
                return -1;
            if (i < len && s[i] >= '0' && s[i] <= '9')
                return -1;
        }
    } else if (len >= 11 && s[4] == '\xe5' && (y = read_digits(s, len, &i, 4, 4)) >= 0 &&
               memcmp(s + i, "\xe5\xb9\xb4", 3) == 0) { /* YYYY年M月D日 */
        i += 3;
        if ((m = read_digits(s, len, &i, 1, 2)) < 0 || len - i < 3 ||
            memcmp(s + i, "\xe6\x9c\x88", 3) != 0) /* 月 */
            return -1;
        i += 3;
        if ((d = read_digits(s, len, &i, 1, 2)) < 0 || len - i < 3 ||
            memcmp(s + i, "\xe6\x97\xa5", 3) != 0) /* 日 */
            return -1;
        i += 3;
    } else if (order != CV_DATE_ISO || dotted_dmy(s, len)) {
        /* D/M/YYYY or M/D/YYYY, separators / - . (D.M.YYYY is always day first) */
        i = 0;
        int a = read_digits(s, len, &i, 1, 2), b;
        if (a < 0 || i >= len || (s[i] != '/' && s[i] != '-' && s[i] != '.'))
            return -1;
        char sep = s[i++];
        if ((b = read_digits(s, len, &i, 1, 2)) < 0 || i >= len || s[i] != sep)
            return -1;
        i++;
        if ((y = read_digits(s, len, &i, 4, 4)) < 0)
            return -1;
        if (i < len && s[i] >= '0' && s[i] <= '9')
            return -1;
        int dmy = order == CV_DATE_DMY || (order == CV_DATE_ISO && sep == '.');
        d = dmy ? a : b;
        m = dmy ? b : a;
    } else {
        return -1;
    }
    if (!cv_date_valid(y, m, d))
        return -1;
    int32_t t = 0;
    int ht = 0;
    if (i < len) {
        if ((s[i] != 'T' && s[i] != ' ') || parse_time(s, len, i + 1, &t) != 0)
            return -1;
        ht = 1;
    }
    *days = cv_days_from_civil(y, m, d);
    if (secs)
        *secs = t;
    if (has_time)
        *has_time = ht;
    return 0;
}

/* ---- Numbers -------------------------------------------------------------------------- */

int cv_parse_int(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (len == 0)
        return -1;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (len == 1)
            return -1;
    }
    uint64_t v = 0;
    if (len - i <= 18) { /* at most 18 digits: no overflow possible */
        for (; i < len; i++) {
            unsigned dgt = (unsigned)(unsigned char)s[i] - '0';
            if (dgt > 9)
                return -1;
            v = v * 10 + dgt;
        }
        *out = neg ? -(int64_t)v : (int64_t)v;
        return 0;
    }
    const uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        unsigned dgt = (unsigned char)s[i] - '0';
        if (dgt > 9)
            return -1;
        if (v > (lim - dgt) / 10)
            return -1;
        v = v * 10 + dgt;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/* strtod of a syntax-checked number in the C locale (whatever the program's locale):
   copies s[0..len) with the decimal mark as '.', NUL-terminated. */
static int slow_float(const char *s, size_t len, int decimal_comma, double *out)
{
    char small[128], *buf = len < sizeof small ? small : cv_malloc(len + 1);
    if (!buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (decimal_comma)
        for (size_t i = 0; i < len; i++)
            if (buf[i] == ',')
                buf[i] = '.';
    pthread_once(&c_locale_once, c_locale_init);
    char *end;
    errno = 0;
    double v = c_locale ? strtod_l(buf, &end, c_locale) : strtod(buf, &end);
    int ok = end == buf + len && !isinf(v);
    if (buf != small)
        cv_free(buf);
    if (!ok)
        return -1;
    *out = v;
    return 0;
}

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int cv_parse_float(const char *s, size_t len, int decimal_comma, double *out)
{
    const char point = decimal_comma ? ',' : '.';
    size_t i = 0;
    int neg = 0;
    if (len == 0)
        return -1;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
    }
    {
        /* the common short form: digits, optionally a point and digits, no exponent,
           at most 19 digits in all: one exact division or multiplication */
        uint64_t m = 0;
        size_t k = i, nd = 0, frac = 0;
        while (k < len && (unsigned)(unsigned char)s[k] - '0' <= 9)
            m = m * 10 + (uint64_t)(s[k++] - '0');
        nd = k - i;
        if (k < len && s[k] == point) {
            size_t f0 = ++k;
            while (k < len && (unsigned)(unsigned char)s[k] - '0' <= 9)
                m = m * 10 + (uint64_t)(s[k++] - '0');
            frac = k - f0;
            nd += frac;
        }
        if (k == len && nd > 0 && nd <= 19 && m <= (UINT64_C(1) << 53) && frac <= 22) {
            double v = frac ? (double)m / pow10_exact[frac] : (double)m;
            *out = neg ? -v : v;
            return 0;
        }
    }
    uint64_t mant = 0;
    int sig = 0;     /* significant digits taken into mant */
    int dropped = 0; /* significant digits beyond 19 (only their count matters here) */
    long exp10 = 0;  /* value = mant * 10^exp10 (before dropped digits) */
    int ndigits = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ndigits++) {
        if (sig < 19) {
            if (mant || s[i] != '0') {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                sig++;
            }
        } else {
            dropped++;
            exp10++;
        }
    }
    if (i < len && s[i] == point) {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, ndigits++) {
            if (sig < 19) {
                if (mant || s[i] != '0') {
                    mant = mant * 10 + (uint64_t)(s[i] - '0');
                    sig++;
                }
                exp10--;
            } else {
                dropped++;
            }
        }
    }
    if (ndigits == 0)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0;
        long e = 0;
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        if (i >= len || s[i] < '0' || s[i] > '9')
            return -1;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
        exp10 += eneg ? -e : e;
    }
    if (i != len)
        return -1;
    if (mant == 0 && dropped == 0) {
        *out = neg ? -0.0 : 0.0;
        return 0;
    }
    /* Clinger's fast path: an exact mantissa times an exact power of ten, one rounding */
    if (dropped == 0 && mant <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
        double v = (double)mant;
        v = exp10 >= 0 ? v * pow10_exact[exp10] : v / pow10_exact[-exp10];
        *out = neg ? -v : v;
        return 0;
    }
    /* 16 to 19 digits (the shortest forms of most doubles): decimal_div.h */
    double v;
    if (dropped == 0 && exp10 <= 0 && exp10 >= -19 && cv_decimal_div(mant, (int)-exp10, &v) == 0) {
        *out = neg ? -v : v;
        return 0;
    }
    return slow_float(s, len, decimal_comma, out);
}

int cv_parse_bool(const char *s, size_t len, int *out)
{
    static const char *const yes[] = {"true", "TRUE", "True", "yes", "YES", "Yes",
                                      "t",    "T",    "y",    "Y",   "1"};
    static const char *const no[] = {"false", "FALSE", "False", "no", "NO", "No",
                                     "f",     "F",     "n",     "N",  "0"};
    for (size_t k = 0; k < sizeof yes / sizeof *yes; k++) {
        if (strlen(yes[k]) == len && memcmp(s, yes[k], len) == 0) {
            *out = 1;
            return 0;
        }
        if (strlen(no[k]) == len && memcmp(s, no[k], len) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

/* ---- Numbers written for people --------------------------------------------------------- */

/* The length of a thousands separator from set at s[i] (a space in set stands for the
   space, U+00A0 and U+202F), or 0. */
static size_t sep_at(const char *s, size_t len, size_t i, const char *set)
{
    unsigned char c = (unsigned char)s[i];
    if (c != ' ' && c != 0xC2 && c != 0xE2 && strchr(set, c))
        return 1;
    if (!strchr(set, ' '))
        return 0;
    if (c == ' ')
        return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)
        return 2;
    if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0xAF)
        return 3;
    return 0;
}

int cv_parse_number(const char *s, size_t len, char dec, const char *thou, double *out, int *is_int,
                    int *grouped)
{
    char buf[72];
    size_t i = 0, n = 0, sepl = 0;
    int groups = 0, first = 0, seen_dec = 0;
    char sepc = 0;
    if (len == 0 || len > 64)
        return -1;
    if (s[0] == '-' || s[0] == '+')
        buf[n++] = s[i++];
    while (i < len) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            buf[n++] = c;
            first++;
            i++;
            continue;
        }
        if ((c == 'e' || c == 'E') && groups == 0 && first + seen_dec > 0) {
            /* an exponent (never with separators): the rest as it is */
            if (len - i + n > sizeof buf - 1)
                return -1;
            memcpy(buf + n, s + i, len - i);
            n += len - i;
            seen_dec = 1;
            break;
        }
        size_t k = seen_dec ? 0 : sep_at(s, len, i, thou);
        if (k && first > 0) {
            /* a separator: the group before it has 1-3 digits (the first) or 3 */
            if ((groups == 0 && first > 3) || (groups > 0 && first != 3))
                return -1;
            if (groups > 0 && (k != sepl || (unsigned char)s[i] != (unsigned char)sepc))
                return -1; /* one kind of separator in a number */
            sepl = k;
            sepc = s[i];
            groups++;
            first = 0;
            i += k;
            continue;
        }
        if (c == dec && !seen_dec) {
            if (groups > 0 && first != 3)
                return -1;
            groups = groups > 0 ? -groups : 0; /* closed */
            seen_dec = 1;
            buf[n++] = '.';
            i++;
            first = 0;
            while (i < len && s[i] >= '0' && s[i] <= '9')
                buf[n++] = s[i++], first++;
            if (i < len && (s[i] == 'e' || s[i] == 'E') && groups == 0) {
                memcpy(buf + n, s + i, len - i);
                n += len - i;
                break;
            }
            if (first == 0 || i < len)
                return -1;
            break;
        }
        return -1;
    }
    if (groups > 0 && first != 3)
        return -1; /* the last group has three digits */
    if (n == 0 || buf[n - 1] < '0' || buf[n - 1] > '9')
        return -1;
    if (cv_parse_float(buf, n, 0, out) != 0)
        return -1;
    if (is_int)
        *is_int = !seen_dec;
    if (grouped)
        *grouped = groups != 0;
    return 0;
}

int cv_excel_serial(double serial, int date1904, int32_t *days, int32_t *secs)
{
    if (!(serial >= 0) || serial >= 2958466.0)
        return -1;
    double whole = floor(serial);
    int64_t d = (int64_t)whole;
    int32_t t = (int32_t)floor((serial - whole) * 86400.0 + 0.5);
    if (t >= 86400) { /* rounded up to midnight */
        t = 0;
        d++;
    }
    if (date1904) {
        d += cv_days_from_civil(1904, 1, 1);
    } else {
        if (d == 60)
            return -1; /* 1900-02-29, which Excel counts and the calendar does not */
        if (d == 0)
            return -1; /* 1900-01-00: a time of day without a date */
        d += cv_days_from_civil(1899, 12, d < 60 ? 31 : 30);
    }
    if (!cv_date_in_range(d))
        return -1;
    *days = (int32_t)d;
    if (secs)
        *secs = t;
    return 0;
}
