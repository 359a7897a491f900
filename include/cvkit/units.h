/* cvkit time units: the calendar units (day, week, month, year) that summaries, models and
   discounting measure time in, and the calendar-correct time between two days. Declared apart
   from summary.h so that what needs only the unit (timevalue.h, clv.h) does not pull in the
   summary; defined in src/core/units.c. */
#ifndef CVKIT_UNITS_H
#define CVKIT_UNITS_H

#include <stdint.h>

/* A time unit: of a summary's t_x, T and holdout length, of a model's rates, of a discount
   period. Day and week are fixed lengths (1 and
   7 days). Month and year are calendar-correct, never "30 days":
     months(a, b), a <= b, = m + f where m is the largest whole number of months with
     a + m months <= b, and f = (b - (a + m months)) / ((a + m + 1 months) - (a + m months))
     in days, the fraction of the next month (so 0 <= f < 1).
   "a + k months" keeps a's day of month, clamped to the length of the target month and
   always counted from a itself: Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year),
   Jan 31 + 2 months = Mar 31. So Jan 31 -> Feb 28 is exactly 1 month, Jan 15 -> Feb 15 is
   1 month, Jan 31 -> Mar 1 is 1 + 1/31 months. A year is 12 such months (Feb 29 ->
   Feb 28 of the next year is 1 year). */
typedef enum cv_time_unit {
    CV_UNIT_DAY = 0,
    CV_UNIT_WEEK,
    CV_UNIT_MONTH,
    CV_UNIT_YEAR
} cv_time_unit;

/* Parses "day", "week", "month", "year" (also the plurals); 0 or -1. */
int cv_time_unit_parse(const char *s, cv_time_unit *out);
/* The name of a unit: "day", "week", "month", "year". */
const char *cv_time_unit_name(cv_time_unit u);
/* The time from day a to day b (days since 1970-01-01) in unit u; negative when b < a
   (then -(time from b to a)). */
double cv_time_between(int32_t a, int32_t b, cv_time_unit u);

#endif
