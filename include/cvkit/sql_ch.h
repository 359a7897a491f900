/* cvkit databases, ClickHouse's text protocol: the reader of TabSeparatedWithNamesAndTypes
   responses (streamed: fed as the bytes arrive), the server's error texts, and parameters
   bound by writing them as escaped literals (ClickHouse 18 has no server-side binding).
   Used by src/core/sql_ch.c; public so that tests and fuzzers reach it without a server. */
#ifndef CVKIT_SQL_CH_H
#define CVKIT_SQL_CH_H

#include <stddef.h>

#include "cvkit/error.h"
#include "cvkit/sql.h"
#include "cvkit/table.h"

/* A response being read (owned by the caller: cv_ch_reader_free). */
typedef struct cv_ch_reader cv_ch_reader;

/* A new reader, or NULL when memory runs out. */
cv_ch_reader *cv_ch_reader_new(void);
void cv_ch_reader_free(cv_ch_reader *r);

/* Feeds the next n bytes of the response body (any split, also mid-line). Line 1 holds the
   column names, line 2 their ClickHouse types, every next line a row: fields separated by
   tabs, "\N" a NULL (a missing value), strings with ClickHouse's backslash escapes (\t \n
   \r \0 \b \f \\ \' and \xHH). Types: Int8..Int64 and UInt8..UInt64 -> int (a UInt64 above
   2^63 - 1 is an error), Float32/Float64/Decimal -> float (nan, inf), Date -> date,
   DateTime -> datetime (ClickHouse's zero 0000-00-00 is 1970-01-01), Nullable(T) and
   LowCardinality(T) as T, Nothing (a NULL literal) -> float, everything else -> string
   (as ClickHouse writes it, unescaped). 0, or an error code with err set: CV_ERR_PARSE for
   an exception the server wrote into the body after the first rows ("sql: ..."),
   CV_ERR_IO for a response that is not of this format, CV_ERR_TYPE for a value that does
   not read as its type, CV_ERR_NOMEM. After an error, feeding again fails again. */
int cv_ch_reader_feed(cv_ch_reader *r, const char *p, size_t n, cv_error *err);

/* Ends the response: the table read (names made unique as cv_sql_read does), or NULL with
   err set (a cut line, an exception at the end, no header: CV_ERR_IO / CV_ERR_PARSE). The
   reader is left empty; free it still. */
cv_table *cv_ch_reader_finish(cv_ch_reader *r, cv_error *err);

/* The message of a ClickHouse error body "Code: 62, e.displayText() = DB::Exception:
   Syntax error: failed at position 8: ..., e.what() = DB::Exception": writes "syntax
   error: failed at position 8: ..." (first letter lowered, no trailing period; the first
   line only) into buf, sets *code (62; 0 when there is none) and *pos (8: the character
   of the query the server points at; 0 when none). Returns the length written. */
size_t cv_ch_error_message(const char *body, size_t n, char *buf, size_t size, int *code,
                           long *pos);

/* sql with each placeholder $1..$n outside string literals, quoted identifiers and
   comments replaced by params[k - 1] written as a literal: NULL, a number (negative ones
   in parentheses, so "-$1" cannot become a comment), 1 or 0 for a boolean, a string in
   single quotes with ' and \ escaped and control characters as \xHH. A $k with k > n is an
   error (CV_ERR_USAGE "sql: parameter $3 is not given (2 given)"). Returns a malloc'd
   string (caller frees) or NULL with err set. */
char *cv_ch_bind(const char *sql, const cv_sql_param *params, int n, cv_error *err);

#endif
