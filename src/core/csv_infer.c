/* cvkit CSV reader: what a text value looks like. Each value gets a class (an integer, a
   number, a date, a date and time, a boolean, text: cv_rd_classify) and a column's type is
   a function of the set of classes seen in it (cv_rd_mask_type); also the evidence a value
   gives of its column's way of writing numbers (cv_rd_num_evidence) and whether a column's
   name says it holds dates. No state: pure functions of the text. */
#include "cvkit/parse.h"

#include <string.h>

#include "csv_int.h"

cv_type cv_rd_mask_type(unsigned m, int d8date)
{
    if ((m & K_D8) && !d8date)
        m = (m & ~(unsigned)K_D8) | K_INT;
    if (m == 0 || (m & K_STR))
        return CV_STRING;
    if (m & K_BOOL)
        return m == K_BOOL ? CV_BOOL : CV_STRING;
    unsigned num = m & (K_INT | K_FLOAT), dat = m & (K_DATE | K_DATETIME);
    if (num && dat)
        return CV_STRING;
    if (num)
        return (m & K_FLOAT) ? CV_FLOAT64 : CV_INT64;
    return (m & K_DATETIME) ? CV_DATETIME : CV_DATE;
}

static int is_bool_word(const char *s, size_t len, int *b)
{
    static const char *const words[] = {"true", "TRUE", "True", "false", "FALSE", "False",
                                        "yes",  "YES",  "Yes",  "no",    "NO",    "No"};
    for (int k = 0; k < 12; k++)
        if (strlen(words[k]) == len && memcmp(words[k], s, len) == 0) {
            *b = k < 3 || (k >= 6 && k < 9);
            return 1;
        }
    return 0;
}

static int d8_date(int64_t v, int32_t *days)
{
    int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);
    if (y < 1700 || y > 2299 || !cv_date_valid(y, m, d))
        return 0;
    *days = cv_days_from_civil(y, m, d);
    return 1;
}

/* 1 when a column name says it holds dates: one of its words is "date" (any case; words
   split at non-letters and at a lower-to-upper case change: order_date, OrderDate,
   "Date of sale"; not candidate, update), or it contains 日期. */
int cv_rd_name_says_date(const char *name)
{
    if (strstr(name, "\xe6\x97\xa5\xe6\x9c\x9f")) /* 日期 */
        return 1;
    for (const char *p = name; *p; p++) {
        int start = p == name || !((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z') ||
                    (p[-1] >= 'a' && p[-1] <= 'z' && *p >= 'A' && *p <= 'Z');
        if (!start)
            continue;
        int k = 0;
        while (k < 4 && p[k] && (p[k] | 32) == "date"[k])
            k++;
        if (k < 4)
            continue;
        char c = p[4];
        int end = !((c | 32) >= 'a' && (c | 32) <= 'z') ||
                  (p[3] >= 'a' && p[3] <= 'z' && c >= 'A' && c <= 'Z');
        if (end)
            return 1;
    }
    return 0;
}

/* A number written in style dec ('.' or ',' with thousands separators from thou; 0:
   plain, '.' and no separators), as an integer (K_INT) or a float (K_FLOAT); 0 if not. */
unsigned cv_rd_styled_number(const char *s, size_t len, char dec, const char *thou, val *v)
{
    int is_int;
    if (dec != ',' && cv_parse_float(s, len, 0, &v->f) == 0) /* plain, any length */
        return K_FLOAT;
    if (!dec)
        return 0;
    if (cv_parse_number(s, len, dec, thou, &v->f, &is_int, NULL) != 0)
        return 0;
    if (is_int && v->f > -9007199254740992.0 && v->f < 9007199254740992.0) {
        v->i = (int64_t)v->f;
        return K_INT;
    }
    return K_FLOAT;
}

/* The class of a non-missing text value, with its parsed value; numbers in style dec
   (cv_rd_styled_number). */
unsigned cv_rd_classify(const char *s, size_t len, cv_date_order order, char dec, const char *thou,
                        val *v)
{
    int32_t secs;
    int ht;
    unsigned k;
    if (cv_parse_int(s, len, &v->i) == 0) {
        if (lead_zero(s, len))
            return K_STR;
        return all_digits8(s, len) && d8_date(v->i, &v->days) ? K_D8 : K_INT;
    }
    if ((k = cv_rd_styled_number(s, len, dec, thou, v)) != 0)
        return lead_zero(s, len) ? K_STR : k;
    if (cv_parse_date(s, len, order, &v->days, &secs, &ht) == 0) {
        v->i = (int64_t)v->days * 86400 + secs;
        return ht ? K_DATETIME : K_DATE;
    }
    if (is_bool_word(s, len, &v->b))
        return K_BOOL;
    return K_STR;
}

/* What a value says about its column's way of writing numbers: E_A it reads only with a
   decimal point and a thousands separator ("1,234.5", "1 234.5"), E_B only with a
   decimal comma ("1.234,5", "12,5"), E_AMB both ways to different numbers ("1,234"),
   E_S both ways alike ("1 234"), E_TEXT neither way (text, dates). */

unsigned cv_rd_num_evidence(const char *s, size_t len, const char *thouA, const char *thouB)
{
    double a, b;
    int ga = 0, gb = 0;
    int okA = cv_parse_number(s, len, '.', thouA, &a, NULL, &ga) == 0 ||
              cv_parse_float(s, len, 0, &a) == 0;
    int okB = cv_parse_number(s, len, ',', thouB, &b, NULL, &gb) == 0;
    int comma = memchr(s, ',', len) != NULL;
    if (!okA && !okB)
        return E_TEXT;
    if (okA && !okB) /* "1.5" too: a decimal point, never a thousands separator */
        return ga || memchr(s, '.', len) ? E_A : 0;
    if (okB && !okA)
        return comma ? E_B : 0; /* "1.234.567" alone is no evidence (a code?) */
    if (a == b)
        return ga || gb ? E_S : 0;
    return comma ? E_AMB : E_DOT3; /* "1.234": 1.234 unless the file says otherwise */
}
