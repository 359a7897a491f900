/* cvkit value parsing and calendar arithmetic: numbers, dates, times, booleans.
   Shared by the CSV reader, the summary and the bindings, so that every part of cvkit
   reads a value the same way. */
#ifndef CVKIT_PARSE_H
#define CVKIT_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Date orders for day-first and month-first dates, which are ambiguous and so only read
   when asked for. ISO forms (YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD) are always read. */
typedef enum cv_date_order { CV_DATE_ISO = 0, CV_DATE_DMY, CV_DATE_MDY } cv_date_order;

/* Days since 1970-01-01 of a proleptic Gregorian date (any year 1..9999). */
int32_t cv_days_from_civil(int y, int m, int d);
void cv_civil_from_days(int32_t days, int *y, int *m, int *d);
/* 1 when y-m-d is a real calendar date (so 1997-02-30 is not). */
int cv_date_valid(int y, int m, int d);
/* 1 when days is a date of the years 1..9999 (what cv_format_date writes in full). */
int cv_date_in_range(int64_t days);
/* *out = days plus months calendar months (negative: back), the day of the month kept or,
   where the month is shorter, its last day (2024-01-31 + 1 month = 2024-02-29). Returns 0,
   or -1 (out untouched) when days or the result lies outside the years 1..9999. */
int cv_date_add_months(int32_t days, long months, int32_t *out);

/* Parses a date, optionally followed by a time of day ("T" or a space, then HH:MM or
   HH:MM:SS, fractional seconds ignored). Returns 0 on success with *days set and
   *secs (if not NULL) set to the seconds into the day (0 when no time was given) and
   *has_time (if not NULL) to 1 when a time was given; -1 when s[0..len) is not a date. */
int cv_parse_date(const char *s, size_t len, cv_date_order order, int32_t *days, int32_t *secs,
                  int *has_time);

/* Parses a decimal integer (optional sign, digits only); 0 or -1 (also on overflow). */
int cv_parse_int(const char *s, size_t len, int64_t *out);
/* Parses a decimal number (sign, digits, '.', exponent; "inf"/"nan" are not numbers;
   a value that overflows a double is an error), correctly rounded. decimal_comma
   swaps the roles of '.' and ','. Thousands separators are not accepted. 0 or -1. */
int cv_parse_float(const char *s, size_t len, int decimal_comma, double *out);
/* Parses a number as people write it: decimal mark dec ('.' or ','), thousands
   separators from thou (any of its characters; a space there also stands for U+00A0 and
   U+202F), in groups of three ("1.234.567,89", "1 234,5", "1,234"; not "12,34,567" nor a
   separator after the decimal mark); one kind of separator per number; no exponent.
   *is_int (if not NULL) is 1 when there is no decimal mark, *grouped (if not NULL) 1
   when a separator was used. Correctly rounded, as cv_parse_float. 0 or -1. */
int cv_parse_number(const char *s, size_t len, char dec, const char *thou, double *out, int *is_int,
                    int *grouped);
/* An Excel serial date (days since 1899-12-30, the fraction the time of day) to days
   since 1970 and seconds into the day. 1900 system (date1904 0): serials 1..59 are
   1900-01-01..1900-02-28, 60 is Excel's 1900-02-29 (which did not exist: -1), 61 on are
   counted from 1899-12-30; serial 0 (a time without a date) is -1. 1904 system: days
   since 1904-01-01. -1 for negative serials and dates past 9999-12-31. */
int cv_excel_serial(double serial, int date1904, int32_t *days, int32_t *secs);
/* Parses true/false/TRUE/FALSE/True/False/yes/no/t/f/y/n/1/0; 0 or -1. */
int cv_parse_bool(const char *s, size_t len, int *out);

/* Formats days as YYYY-MM-DD into buf (at least 11 bytes). */
void cv_format_date(int32_t days, char *buf);

#endif
