/* cvkit numbers as text: the shortest decimal that reads back (strtod) to the same double,
   for every writer (CSV, TSV, JSON, Markdown, SQL literals, values shown to Lua). */
#ifndef CVKIT_DTOA_H
#define CVKIT_DTOA_H

#include <stddef.h>

/* The room cv_fmt_double needs, with the terminating NUL ("-1.7976931348623157e+308" is 24
   characters). */
#define CV_DTOA_SIZE 32

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
   or needs more than 15 significant digits or a magnitude outside [1e-5, 1e15). */
int cv_double_decimals(double x);

#endif
