/* cvkit delimited-text input and table output: reading CSV/TSV/space-separated files
   into typed tables (libcsv, streaming, one pass), and writing tables as CSV, JSON or
   Markdown, always through a temporary file and a rename. */
#ifndef CVKIT_CSV_H
#define CVKIT_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "cvkit/error.h"
#include "cvkit/parse.h"
#include "cvkit/table.h"

/* The delimiter value meaning "fields separated by runs of spaces and tabs, leading
   and trailing blanks ignored" (CDNOW's files). */
#define CV_DELIM_WHITESPACE ' '

typedef struct cv_csv_coltype {
    const char *name; /* column name (or "1", "2", ... by position when there is no header) */
    cv_type type;
} cv_csv_coltype;

/* UTF-16 (either byte order) is recognised by its byte order mark and converted to UTF-8
   before reading; the report says which it was. */
typedef enum cv_encoding {
    CV_ENC_AUTO = 0,
    CV_ENC_UTF8,
    CV_ENC_GB18030,
    CV_ENC_UTF16LE,
    CV_ENC_UTF16BE
} cv_encoding;

typedef struct cv_csv_options {
    int header;               /* -1 detect (default), 0 none, 1 first row is the header */
    char delim;               /* 0 detect (default), ',' ';' '\t' '|' or CV_DELIM_WHITESPACE */
    const char *const *names; /* column names to use (required-length or NULL) */
    int nnames;
    const cv_csv_coltype *types; /* types given per column; others are inferred */
    int ntypes;
    cv_date_order date_order; /* CV_DATE_ISO (default): only ISO dates */
    const char *const *na;    /* missing-value texts; NULL = "", "NA", "NULL" */
    int nna;
    cv_encoding encoding; /* CV_ENC_AUTO (default): UTF-8, else GB18030 if it decodes */
    int skip_bad_rows;    /* 1: drop ragged rows, count them (default 0: error) */
    int bad_as_missing;   /* 1: unparsable typed values become missing (default 0) */
    int decimal_comma;    /* 1: decimal comma (1.234,50), -1: decimal point;
                             0 (default): detected per column where the values
                             read only one way ("1.234,5" "12,5": comma;
                             "1,234.5": point), a column of values that read
                             both ways ("1,234") is an error naming the option */
    char thousands;       /* the thousands separator: ',', '.', '\'', ' ' (also
                             U+00A0, U+202F), 'n' none; 0 (default): ',' or a
                             space with a decimal point, '.' or a space with a
                             decimal comma; always in groups of three */
    const char *sheet;    /* workbooks: the sheet, by name or number from 1
                             (NULL: the first) */
    int lenient_quotes;   /* 1: a quote inside an unquoted field, or text after a
                             closing quote, is read as written (counted in the
                             report); default 0: an error (CV_ERR_PARSE) */
    int threads;          /* 0 = cv_threads() (threads.h; files >= 8 MiB), 1 = one;
                             any count gives exactly the one-thread table */
} cv_csv_options;

/* Sets *opt to the defaults: detect the header, the delimiter, the types and the
   encoding; "", "NA" and "NULL" are missing; threads by cv_threads(). Note that
   a zeroed struct differs in one field: header 0 means "no header". Passing NULL options
   to the readers means these defaults. */
void cv_csv_options_init(cv_csv_options *opt);

/* What a read met besides the table itself (for forgiving modes). */
typedef struct cv_csv_report {
    int64_t rows;           /* data rows in the table */
    int64_t skipped_rows;   /* rows dropped by skip_bad_rows */
    int64_t bad_values;     /* values turned missing by bad_as_missing */
    int64_t lenient_quotes; /* fields read as written by lenient_quotes */
    char examples[3][200];  /* the first problems, as "file:line:col: message" */
    int nexamples;
    char delim;           /* the delimiter used */
    int header;           /* whether a header was used */
    cv_encoding encoding; /* the encoding found */
} cv_csv_report;

/* The most columns a file may have (as XLSX): a wider file is an error (CV_ERR_PARSE,
   "expected at most 16384 columns, found N") found in the first rows, before any table
   is built. */
#define CV_CSV_MAX_COLUMNS 16384

/* Reads a whole file into a new table. The file may be delimited text (UTF-8, GB18030,
   UTF-16 with a byte order mark), an .xlsx workbook or an .xls workbook (known by their
   first bytes, not their names): a sheet (opt->sheet) is read as its CSV export would be,
   numbers, text, booleans and dates (from the cells' number formats) kept, and a value
   that does not read is placed at its cell ("book.xlsx:Sheet1!C14: ..."). Columns are named from
   the header, or "V1", "V2", ... when there is none. Types not given are inferred from all the
   values: int, widened to float when a value has a fraction; a number written with a leading zero
   ("007", "00.5"; not "0" or "0.5") makes its column text, so ids 007 and 7 stay apart;
   dates (ISO forms; 8-digit YYYYMMDD only in a column whose name has the word "date" or
   日期, as order_date, OrderDate, "Date": elsewhere they are integers) and datetimes (a
   time of day present); bool only for words true/false and yes/no; anything else,
   mixtures and all-missing columns are strings. Quotes follow RFC 4180: a quote inside
   an unquoted field, or text after a closing quote ("27" monitor), is an error
   "path:line:col: expected a delimiter after the closing quote, found '...'" (the
   field's start) unless lenient_quotes.
   On failure returns NULL with err set to
   "path:line:col: expected ..., found ..." and exit-style code (CV_ERR_IO for a missing
   file or a directory, CV_ERR_PARSE for malformed text, CV_ERR_TYPE for a value of the
   wrong type given per column). rep may be NULL. */
cv_table *cv_csv_read(const char *path, const cv_csv_options *opt, cv_csv_report *rep,
                      cv_error *err);
/* The same from memory; name is used in messages. */
cv_table *cv_csv_read_buffer(const char *name, const char *data, size_t len,
                             const cv_csv_options *opt, cv_csv_report *rep, cv_error *err);

/* Streaming: calls fn with consecutive batches of at most batch_rows rows, each a small
   table with the same columns and types (types come from opt->types and, for the rest,
   from the first batch; a later value that does not fit is an error). The batch is
   freed after fn returns; fn returns 0 to go on, or non-zero to stop (then that value
   is returned and err is left to fn). Memory stays bounded by the batch size (plus the
   distinct strings: a string column's dictionary is shared by all batches, so codes are
   stable from one batch to the next). A file with a header and no rows gives one empty
   batch. */
typedef int (*cv_csv_batch_fn)(void *ud, const cv_table *batch, cv_error *err);
int cv_csv_stream(const char *path, const cv_csv_options *opt, int64_t batch_rows,
                  cv_csv_batch_fn fn, void *ud, cv_csv_report *rep, cv_error *err);

/* Output formats. */
typedef enum cv_format {
    CV_FMT_CSV,
    CV_FMT_TSV,
    CV_FMT_JSON,
    CV_FMT_MARKDOWN,
    CV_FMT_XLSX /* cv_table_write only: one sheet "Sheet1" (cv_xlsx_write, fileio.h) */
} cv_format;
/* The format for a path's extension (.csv .tsv .json .md .markdown .xlsx); -1 if unknown. */
int cv_format_from_path(const char *path);

/* Writes t to path in fmt, through "path.tmp-XXXXXX" in the same folder renamed over
   path at the end (fileio.h's protocol: fsync'd, the folder fsync'd, the temporary file
   known to the signal guard): on any failure nothing is left behind and path is untouched.
   Missing folders of path are created (and removed again if the write fails).
   CSV (RFC 4180, "\n" line ends) quotes fields with the delimiter, quotes, line ends or
   blanks at either end, and empty strings (a missing value is an empty field, written
   "" in a one-column table, where an empty field would be a blank line); JSON
   writes an array of objects (missing and non-finite numbers = null, dates as strings,
   control characters escaped, UTF-8 as is); Markdown a pipe table ('|' escaped, numbers
   right-aligned); XLSX one sheet "Sheet1" as cv_xlsx_write writes it. Floats are written
   in their shortest exact form (cv_fmt_double, dtoa.h: 911.07, not 911.0700000000001),
   infinities as inf and -inf (JSON: null), dates ISO. */
int cv_table_write(const cv_table *t, const char *path, cv_format fmt, cv_error *err);
/* The same into a malloc'd string (for tests and for printing); not for CV_FMT_XLSX
   (CV_ERR_USAGE "xlsx is not a text format"). */
char *cv_table_write_string(const cv_table *t, cv_format fmt, size_t *len, cv_error *err);

#endif
