/* cvkit time units (include/cvkit/units.h): their names, and the calendar-correct time
   between two days in days, weeks, months or years. */
#include "cvkit/units.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cvkit/parse.h"

/* ---- Calendar ----------------------------------------------------------------------- */

static int sm_month_len(int y, int m)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : len[m - 1];
}

/* y-m-d plus k months, the day of month clamped to the target month's length. */
static int32_t sm_add_months(int y, int m, int d, long k)
{
    long t = (long)y * 12 + (m - 1) + k;
    long ny = t >= 0 ? t / 12 : -((-t + 11) / 12);
    int nm = (int)(t - ny * 12) + 1;
    int len = sm_month_len((int)ny, nm);
    return cv_days_from_civil((int)ny, nm, d < len ? d : len);
}

/* Months from a to b (a <= b): whole months plus the fraction of the next (summary.h). */
static double sm_months(int32_t a, int32_t b)
{
    int ya, ma, da, yb, mb, db;
    cv_civil_from_days(a, &ya, &ma, &da);
    cv_civil_from_days(b, &yb, &mb, &db);
    long m = (long)(yb - ya) * 12 + (mb - ma);
    int32_t lo = sm_add_months(ya, ma, da, m);
    if (lo > b) {
        m--;
        lo = sm_add_months(ya, ma, da, m);
    }
    int32_t hi = sm_add_months(ya, ma, da, m + 1);
    return (double)m + (double)(b - lo) / (double)(hi - lo);
}

int cv_time_unit_parse(const char *s, cv_time_unit *out)
{
    /* singular names only, as every option that takes a unit: "weeks" is an error with a
       suggestion everywhere, not accepted in one place and refused in another */
    static const char *const names[] = {"day", "week", "month", "year"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (cv_time_unit)i;
            return 0;
        }
    return -1;
}

const char *cv_time_unit_name(cv_time_unit u)
{
    static const char *const names[] = {"day", "week", "month", "year"};
    return (unsigned)u < 4 ? names[u] : "?";
}

double cv_time_between(int32_t a, int32_t b, cv_time_unit u)
{
    if (b < a)
        return -cv_time_between(b, a, u);
    switch (u) {
    case CV_UNIT_DAY:
        return (double)b - (double)a;
    case CV_UNIT_WEEK:
        return ((double)b - (double)a) / 7.0;
    case CV_UNIT_MONTH:
        return sm_months(a, b);
    case CV_UNIT_YEAR:
        return sm_months(a, b) / 12.0;
    }
    return NAN;
}
