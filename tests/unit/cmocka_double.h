/* cmocka 1.1.5 (Debian 12) compares assert_float_equal(a, b, epsilon) in single precision:
   both sides and epsilon are cast to float, and a difference within FLT_EPSILON of the larger
   side passes whatever epsilon says, so a stated tolerance below about 1e-7 relative is not
   checked. The unit and binding tests are compiled with this header forced in first (the
   Makefile's -include; cmocka.h's include guard makes the tests' own #include <cmocka.h> a
   no-op), so assert_float_equal compares doubles: |a - b| <= epsilon, exactly as written,
   and a failure prints both sides to 17 digits. */
#ifndef CVKIT_CMOCKA_DOUBLE_H
#define CVKIT_CMOCKA_DOUBLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

static inline void cv_check_near(double a, double b, double eps, const char *sa, const char *sb,
                                 const char *file, int line)
{
    if (a == b || fabs(a - b) <= eps) /* a == b: the same infinities */
        return;
    print_error("%s = %.17g and %s = %.17g differ by %.3g > %.3g\n", sa, a, sb, b, fabs(a - b),
                eps);
    _fail(file, line);
}

#undef assert_float_equal
#define assert_float_equal(a, b, eps) cv_check_near((a), (b), (eps), #a, #b, __FILE__, __LINE__)

#endif
