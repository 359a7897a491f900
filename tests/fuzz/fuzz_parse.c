/* libFuzzer target: the value readers of parse.h (dates in three orders, integers,
   numbers with either decimal mark, booleans). Invariants: a date read is a real
   calendar date that prints and reads back as itself; an integer prints back as its
   text's value; a number read is finite. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int32_t days, secs, back;
    int has_time, b, y, m, d;
    int64_t i, j;
    double x;
    char buf[32];
    for (int order = CV_DATE_ISO; order <= CV_DATE_MDY; order++) {
        if (cv_parse_date(s, size, (cv_date_order)order, &days, &secs, &has_time) != 0)
            continue;
        cv_civil_from_days(days, &y, &m, &d);
        if (!cv_date_valid(y, m, d) || secs < 0 || secs >= 86400 + 1)
            abort();
        if (cv_days_from_civil(y, m, d) != days)
            abort();
        cv_format_date(days, buf);
        if (cv_parse_date(buf, strlen(buf), CV_DATE_ISO, &back, NULL, NULL) != 0 || back != days)
            abort();
    }
    if (cv_parse_int(s, size, &i) == 0) {
        snprintf(buf, sizeof buf, "%" PRId64, i);
        if (cv_parse_int(buf, strlen(buf), &j) != 0 || i != j)
            abort();
    }
    for (int comma = 0; comma <= 1; comma++)
        if (cv_parse_float(s, size, comma, &x) == 0 && !isfinite(x))
            abort();
    if (cv_parse_bool(s, size, &b) == 0 && b != 0 && b != 1)
        abort();
    return 0;
}
