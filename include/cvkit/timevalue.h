/* cvkit time value of money: one explicit system for discount rates over the time units
   of include/cvkit/units.h. Every rate a user gives is an ANNUAL EFFECTIVE rate a
   (0.15 = 15% a year); the rates the formulas need per period of a unit are derived from
   it, never typed in by hand. See docs/models.md, "Time and discounting".
     length of a unit in years: year 1, month 1/12 (a calendar month, units.h),
       week 7/365.2425, day 1/365.2425 (365.2425 days: the mean Gregorian year)
     per-period effective rate   i_u = (1 + a)^len(u) - 1
     continuous rate (force of interest) per unit   delta_u = len(u) ln(1 + a)
     discount factor for t units   v(t) = (1 + a)^(-t len(u)) = exp(-delta_u t)
   So 15% a year is 1.1715% a month, 0.26829% a week, and delta = 0.0026793 per week. */
#ifndef CVKIT_TIMEVALUE_H
#define CVKIT_TIMEVALUE_H

#include "cvkit/units.h"

#define CV_DAYS_PER_YEAR 365.2425

/* The length of one u in years (above). */
double cv_unit_years(cv_time_unit u);
/* The mean length of one u in days: 1, 7, 365.2425/12, 365.2425. */
double cv_unit_days(cv_time_unit u);
/* Annual effective rate -> effective rate per period of u; NaN when annual <= -1. */
double cv_rate_per_period(double annual, cv_time_unit u);
/* Effective rate per period of u -> annual effective rate; NaN when rate <= -1. */
double cv_rate_annual(double per_period, cv_time_unit u);
/* Annual effective rate -> continuously compounded rate per unit u; NaN when annual <= -1. */
double cv_rate_continuous(double annual, cv_time_unit u);
/* Continuously compounded rate per unit u -> annual effective rate. */
double cv_rate_from_continuous(double delta, cv_time_unit u);
/* Nominal annual rate compounded m times a year (m > 0; m = INFINITY: continuously) ->
   annual effective rate: (1 + nominal/m)^m - 1, or e^nominal - 1. */
double cv_rate_nominal_to_annual(double nominal, double m);
/* The discount factor of t units of u at the annual effective rate: (1 + a)^(-t len(u)). */
double cv_discount_factor(double annual, cv_time_unit u, double t);

#endif
