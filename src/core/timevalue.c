/* cvkit time value of money: rate conversions between annual, per-period and continuous
   rates over the summary's time units (see include/cvkit/timevalue.h). */
#include "cvkit/timevalue.h"

#include <math.h>

double cv_unit_years(cv_time_unit u)
{
    switch (u) {
    case CV_UNIT_DAY:
        return 1.0 / CV_DAYS_PER_YEAR;
    case CV_UNIT_WEEK:
        return 7.0 / CV_DAYS_PER_YEAR;
    case CV_UNIT_MONTH:
        return 1.0 / 12.0;
    case CV_UNIT_YEAR:
        return 1.0;
    }
    return NAN;
}

double cv_unit_days(cv_time_unit u)
{
    return cv_unit_years(u) * CV_DAYS_PER_YEAR;
}

double cv_rate_per_period(double annual, cv_time_unit u)
{
    if (!(annual > -1.0))
        return NAN;
    if (u == CV_UNIT_YEAR)
        return annual; /* exactly: expm1(log1p(a)) may be off in the last bit */
    return expm1(cv_unit_years(u) * log1p(annual));
}

double cv_rate_annual(double per_period, cv_time_unit u)
{
    if (!(per_period > -1.0))
        return NAN;
    return expm1(log1p(per_period) / cv_unit_years(u));
}

double cv_rate_continuous(double annual, cv_time_unit u)
{
    if (!(annual > -1.0))
        return NAN;
    return cv_unit_years(u) * log1p(annual);
}

double cv_rate_from_continuous(double delta, cv_time_unit u)
{
    return expm1(delta / cv_unit_years(u));
}

double cv_rate_nominal_to_annual(double nominal, double m)
{
    if (!(m > 0.0))
        return NAN;
    if (isinf(m))
        return expm1(nominal);
    if (!(nominal / m > -1.0))
        return NAN;
    return expm1(m * log1p(nominal / m));
}

double cv_discount_factor(double annual, cv_time_unit u, double t)
{
    if (!(annual > -1.0))
        return NAN;
    return exp(-t * cv_unit_years(u) * log1p(annual));
}
