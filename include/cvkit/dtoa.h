/* cvkit numbers as text: the shortest decimal that reads back (strtod) to the same double,
   for every writer (CSV, TSV, JSON, Markdown, SQL literals, values shown to Lua). */
#ifndef CVKIT_DTOA_H
#define CVKIT_DTOA_H

#include <stddef.h>
#include <stdint.h>

/* The room cv_fmt_double needs: the longest text is 24 characters
   ("-1.7976931348623157e+308"), and it copies digits in fixed blocks past the end. */
#define CV_DTOA_SIZE 48

/* Writes x into buf (at least CV_DTOA_SIZE bytes) as the decimal with the fewest significant
   digits that strtod reads back as exactly x; among those of that length, the nearest to x
   (what printf's correctly rounded "%.*g" gives). Plain notation when the leading digit's
   power of ten is between -4 and 15 ("911.07", "0.0001", "9007199254740992": an integer
   value has no decimal point), else "d.ddde+XX" as printf's %g writes exponents ("1e+16",
   "5e-324", "1.7976931348623157e+308"). -0.0 is "-0"; infinities "inf" and "-inf"; NaN
   "nan". Returns the length written (without the NUL). Thread-safe; no allocation. */
size_t cv_fmt_double(double x, char *buf);

/* The number of digits after the decimal point of x's shortest form as cv_fmt_double
   writes it in plain notation (911.07: 2; 93607.3: 1; 42.0: 0), or -1 when x is not finite
   or needs more than 15 significant digits or a magnitude outside [1e-7, 1e15). */
int cv_double_decimals(double x);

/* Sums of amounts written with few decimals (prices, revenue): a floating-point sum of the
   doubles of 12.34 and 5.67 is off the double of their exact decimal sum by the inputs'
   own rounding (911.0699999999999 for 911.07); rounded to the inputs' decimals it is that
   decimal sum exactly, when the accumulated error is well below half a unit of the last
   decimal. cv_decimals_common: 2 or 4 when every value of x[0..n) whose bit is set in
   valid (a cv_column bitmap; NULL: all) is the double of a number with at most that many
   decimals and below 1e11 in size, with *maxabs the largest size; else -1 (then nothing
   is rounded). cv_round_decimals: s rounded to d decimals (the double nearest that
   decimal) when err, a bound of s's error (n * maxabs * 2^-52 for n values), is below a
   quarter of 10^-d and |s| * 10^d below 2^50; else s as it is. */
int cv_decimals_common(const double *x, const uint8_t *valid, int64_t n, double *maxabs);
double cv_round_decimals(double s, int d, double err);

#endif
