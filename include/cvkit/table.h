/* cvkit tables: typed columns with missing values, and the operations on them.
   Tables are values: every operation returns a new table; columns are shared between
   tables by reference count, never copied when they need not be. */
#ifndef CVKIT_TABLE_H
#define CVKIT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "cvkit/error.h"
#include "cvkit/kind.h"

typedef enum cv_type {
    CV_INT64 = 0,
    CV_FLOAT64,
    CV_STRING,   /* int32 codes into the column's dictionary */
    CV_DATE,     /* int32 days since 1970-01-01 */
    CV_DATETIME, /* int64 seconds since 1970-01-01 00:00:00 (no time zone) */
    CV_BOOL      /* uint8 0 or 1 */
} cv_type;

/* The Lua-visible name of a type: "int", "float", "string", "date", "datetime", "bool". */
const char *cv_type_name(cv_type t);
/* Parses a type name (also accepts "int64", "float64", "number", "double", "str",
   "boolean"); returns 0 and sets *out, or -1 if the name is unknown. */
int cv_type_parse(const char *name, cv_type *out);

/* ---- Interned strings --------------------------------------------------------------- */

/* A dictionary of distinct strings, each with a dense int32 code in insertion order.
   Reference counted: columns that share codes share the dictionary. */
typedef struct cv_strdict cv_strdict;

cv_strdict *cv_strdict_new(void);
cv_strdict *cv_strdict_ref(cv_strdict *d);
void cv_strdict_unref(cv_strdict *d);
/* Returns the code of s[0..len), adding it if new; -1 when out of memory. */
int32_t cv_strdict_intern(cv_strdict *d, const char *s, size_t len);
/* Returns the code of s[0..len), or -1 if the dictionary does not hold it. */
int32_t cv_strdict_find(const cv_strdict *d, const char *s, size_t len);
/* The string of a code (NUL-terminated, owned by the dictionary); *len if not NULL. */
const char *cv_strdict_get(const cv_strdict *d, int32_t code, size_t *len);
int32_t cv_strdict_size(const cv_strdict *d);

/* ---- Columns ------------------------------------------------------------------------- */

/* A column: a name, a type, n values and a validity bitmap (bit i set = value i present;
   valid == NULL means no value is missing). Missing slots hold 0 in data.
   Columns are reference counted and, once in a table, treated as immutable. */
typedef struct cv_column {
    char *name;
    cv_type type;
    int64_t n, cap;
    void *data;       /* int64_t*, double*, int32_t* (string codes, dates), uint8_t* (bool) */
    uint8_t *valid;   /* bitmap of cap bits, or NULL */
    cv_strdict *dict; /* CV_STRING only */
    int refs;
    struct cv_column *base; /* when not NULL, data and valid belong to base (a cheap renamed
                               view holding a reference to it); NULL for ordinary columns */
    cv_kind kind;           /* what the numbers mean, for display (CV_KIND_NONE: not known); kept by
                               take, rename, cast between number types and the operations built on
                               them (select, filter, sort, join, head); group_by derives it */
    int decimals1;          /* decimals shown + 1 (0: the kind's default) */
} cv_column;

/* A new empty column with room for cap values (a string column gets a new dictionary,
   or shares dict when given). NULL when out of memory. */
cv_column *cv_column_new(const char *name, cv_type type, int64_t cap);
cv_column *cv_column_new_dict(const char *name, int64_t cap, cv_strdict *dict);
/* Reference counting: unref frees the column with its last reference; NULL is ignored,
   as free ignores it. */
cv_column *cv_column_ref(cv_column *c);
void cv_column_unref(cv_column *c);
/* Gives dst the kind and shown decimals of src (a derived column of the same meaning). */
static inline void cv_column_copy_kind(struct cv_column *dst, const struct cv_column *src)
{
    dst->kind = src->kind;
    dst->decimals1 = src->decimals1;
}
/* Bytes per value of a type's storage (8, 8, 4, 4, 8, 1). */
size_t cv_type_size(cv_type t);

/* Grows capacity to at least cap values; 0 or CV_ERR_NOMEM. */
int cv_column_reserve(cv_column *c, int64_t cap);
/* Appends one value (the column must be of the matching storage type); 0 or CV_ERR_NOMEM.
   cv_column_push_string interns s[0..len). */
int cv_column_push_int(cv_column *c, int64_t v);  /* CV_INT64, CV_DATETIME */
int cv_column_push_float(cv_column *c, double v); /* CV_FLOAT64 */
int cv_column_push_i32(cv_column *c, int32_t v);  /* CV_DATE, or a CV_STRING code */
int cv_column_push_bool(cv_column *c, int v);     /* CV_BOOL */
int cv_column_push_string(cv_column *c, const char *s, size_t len);
int cv_column_push_missing(cv_column *c);

static inline int cv_column_is_valid(const cv_column *c, int64_t i)
{
    return c->valid == NULL || ((c->valid[i >> 3] >> (i & 7)) & 1);
}
/* Marks value i missing (allocating the bitmap on first use); 0 or CV_ERR_NOMEM. */
int cv_column_set_missing(cv_column *c, int64_t i);
int64_t cv_column_count_missing(const cv_column *c);

static inline int64_t cv_column_int(const cv_column *c, int64_t i)
{
    return ((const int64_t *)c->data)[i];
}
static inline double cv_column_float(const cv_column *c, int64_t i)
{
    return ((const double *)c->data)[i];
}
static inline int32_t cv_column_i32(const cv_column *c, int64_t i)
{
    return ((const int32_t *)c->data)[i];
}
static inline int cv_column_bool(const cv_column *c, int64_t i)
{
    return ((const uint8_t *)c->data)[i];
}
/* The string at i of a CV_STRING column (NULL if missing). */
const char *cv_column_string(const cv_column *c, int64_t i, size_t *len);
/* The value at i as a double: int, float, date (days), datetime (seconds), bool;
   NAN when missing or a string. */
double cv_column_number(const cv_column *c, int64_t i);

/* A new column of the rows idx[0..n) of c, in that order (idx[k] == -1 gives a missing
   value, as a left join needs). Shares the dictionary of a string column. */
cv_column *cv_column_take(const cv_column *c, const int64_t *idx, int64_t n);
/* A copy of c under another name (shares data when possible: cheap). */
cv_column *cv_column_rename(cv_column *c, const char *name);
/* Converts c to type `to` where it is lossless or documented (int -> float, date ->
   datetime, anything -> string); a new column, or NULL with err set. Also: float -> int
   or bool only for whole values (else an error naming the row), int -> bool for 0/1,
   bool -> int, date/datetime -> float (days/seconds), datetime -> date (the day it falls
   on), string -> int/float/bool/date/datetime read as the CSV reader reads them. Casting
   to the same type is a cheap shared copy. */
cv_column *cv_column_cast(const cv_column *c, cv_type to, cv_error *err);

/* ---- Tables -------------------------------------------------------------------------- */

/* What a customer summary's times mean: set by the summaries (cv_summary_table,
   cv_summary_csv, cv_sql_summary), kept by the operations whose rows are still the
   summary's customers measured the same way (select, filter, take, head, sort, a join's
   left side, a table copied to add a column), absent on every other table (group_by,
   describe, a table read from a file or built by hand). */
typedef struct cv_table_meta {
    int unit;                /* a cv_time_unit (cvkit/units.h) of t_x and T, or -1: none */
    int32_t calibration_end; /* days since 1970-01-01 (when unit >= 0) */
    int32_t observation_end; /* days since 1970-01-01, when has_observation_end */
    int has_observation_end;
} cv_table_meta;

/* A table: ordered, uniquely named columns of equal length. */
typedef struct cv_table {
    int ncols, cap;
    int64_t nrows;
    cv_column **cols;
    int refs;
    cv_table_meta meta; /* unit -1 (none) in a new table */
} cv_table;

cv_table *cv_table_new(void);
cv_table *cv_table_ref(cv_table *t);
void cv_table_free(cv_table *t); /* drops one reference */
/* Adds c (taking a new reference to it) as the last column. Fails with CV_ERR_USAGE on
   a duplicate name or a length that differs from the table's rows. */
int cv_table_add(cv_table *t, cv_column *c, cv_error *err);
/* The same without looking for a duplicate name, for callers that made the names unique
   (the CSV reader): linear instead of quadratic time in the number of columns. */
int cv_table_add_unique(cv_table *t, cv_column *c, cv_error *err);
/* Adds or replaces the column named c->name (the new table semantics are the caller's:
   use on a table you just made). */
int cv_table_set(cv_table *t, cv_column *c, cv_error *err);
/* The index of a column by name, or -1. */
int cv_table_find(const cv_table *t, const char *name);
/* The column by name, or NULL with err set to "no column 'amout' (did you mean 'amount'?)"
   when names are close (cv_table_suggest), else "no column 'x' (columns: a, b, c)". */
cv_column *cv_table_col(const cv_table *t, const char *name, cv_error *err);
/* The columns of t closest to the misspelt name (cvkit/suggest.h), at most 3, quoted and
   joined with " or " into buf ("'amount'"); returns how many (0: none close, buf ""). */
int cv_table_suggest(const cv_table *t, const char *name, char *buf, size_t size);

/* ---- Operations (all return a new table, or NULL with err set) ------------------------ */

/* Columns by name, in the given order. */
cv_table *cv_table_select(const cv_table *t, const char *const *names, int n, cv_error *err);
/* The rows whose mask byte is non-zero (mask has t->nrows bytes). */
cv_table *cv_table_filter_mask(const cv_table *t, const uint8_t *mask, cv_error *err);
/* The rows idx[0..n) in that order. */
cv_table *cv_table_take(const cv_table *t, const int64_t *idx, int64_t n, cv_error *err);
/* The first n rows (all when n >= nrows; the last -n rows when n < 0). */
cv_table *cv_table_head(const cv_table *t, int64_t n, cv_error *err);

/* Comparison operators for filter. */
typedef enum cv_op { CV_EQ, CV_NE, CV_LT, CV_LE, CV_GT, CV_GE, CV_ISNA, CV_NOTNA } cv_op;
/* Parses "==", "=", "~=", "!=", "<", "<=", ">", ">=", "isna", "notna"; 0 or -1. */
int cv_op_parse(const char *s, cv_op *out);

/* A scalar value to compare against: a number (also for dates given as days), a string
   (for string columns; for date columns a date text), a bool, or missing. */
typedef struct cv_value {
    enum { CV_VAL_NUMBER, CV_VAL_STRING, CV_VAL_BOOL, CV_VAL_MISSING } kind;
    double num;
    const char *str;
    size_t len;
    int b;
} cv_value;

/* Rows where column `col` op value holds; missing values never match except for ISNA
   (float NaN counts as missing). Integers compare exactly with any number (no rounding
   through double); EQ/NE against a missing value mean ISNA/NOTNA. A type mismatch fails
   with CV_ERR_TYPE saying what was expected and what was found. */
cv_table *cv_table_filter(const cv_table *t, const char *col, cv_op op, const cv_value *v,
                          cv_error *err);

/* Sort keys: column name and direction. Missing values sort last in either direction.
   The sort is stable; strings sort by bytes (UTF-8 code point order). */
typedef struct cv_sort_key {
    const char *col;
    int desc;
} cv_sort_key;
cv_table *cv_table_sort(const cv_table *t, const cv_sort_key *keys, int nkeys, cv_error *err);
/* The permutation that sort would apply (n = t->nrows indexes, caller frees). */
int64_t *cv_table_order(const cv_table *t, const cv_sort_key *keys, int nkeys, cv_error *err);

/* Aggregates for group-by. */
typedef enum cv_agg_fn {
    CV_AGG_COUNT, /* rows in the group (col may be NULL); counts non-missing if col given */
    CV_AGG_SUM,
    CV_AGG_MEAN,
    CV_AGG_MIN,
    CV_AGG_MAX,
    CV_AGG_FIRST,
    CV_AGG_LAST,
    CV_AGG_NDISTINCT,
    CV_AGG_QUANTILE, /* q in [0,1], linear interpolation (type 7, as R and numpy) */
    CV_AGG_MEDIAN,
    CV_AGG_SD, /* sample standard deviation */
    CV_AGG_VAR
} cv_agg_fn;
/* Parses "count", "sum", "mean", "min", "max", "first", "last", "n_distinct",
   "quantile", "median", "sd", "var"; 0 or -1. */
int cv_agg_parse(const char *s, cv_agg_fn *out);

typedef struct cv_agg {
    const char *out; /* output column name */
    cv_agg_fn fn;
    const char *col; /* input column (NULL for a plain count) */
    double q;        /* for CV_AGG_QUANTILE */
} cv_agg;

/* One row per distinct combination of the key columns (missing is its own group), in
   order of first appearance, with the key columns followed by the aggregates.
   Sum and mean skip missing values; min/max/first/last keep the column's type;
   first/last take the first/last non-missing value. A group with no values gets missing.
   Details: nkeys == 0 aggregates the whole table into one row. Float keys group by value
   (-0 == 0, NaN is missing). Sum of int/bool columns is int and fails with CV_ERR_DOMAIN
   on 64-bit overflow (cast to float first); sum of floats is float (compensated); mean,
   sd, var (sample, n - 1) and quantiles of numbers are float; quantile/median of dates or
   datetimes are dates/datetimes (interpolated, then floored); n_distinct counts present
   values; an aggregate's output name defaults to its column's name, else the function's. */
cv_table *cv_table_group_by(const cv_table *t, const char *const *keys, int nkeys,
                            const cv_agg *aggs, int naggs, cv_error *err);

typedef enum cv_join_kind { CV_JOIN_INNER, CV_JOIN_LEFT } cv_join_kind;
/* Joins on equal keys (left_keys[i] matched to right_keys[i]; types must agree, int and
   float compare as numbers, strings by text). Rows come in left order; a left row with
   several matches repeats. Right columns whose names clash get the suffix "_right";
   right key columns are dropped. Missing keys never match. */
cv_table *cv_table_join(const cv_table *left, const cv_table *right, const char *const *left_keys,
                        const char *const *right_keys, int nkeys, cv_join_kind kind, cv_error *err);

/* The table t with column `col` of the kind `kind` shown with `decimals` decimals (< 0:
   the kind's default): a new table sharing every column's data (the column becomes a
   cheap renamed view), or NULL with err set (no such column; a kind on a column that is
   not a number). CV_KIND_NONE removes the kind. */
cv_table *cv_table_with_kind(const cv_table *t, const char *col, cv_kind kind, int decimals,
                             cv_error *err);

/* Summary statistics: one row per column with column, type, count, missing, mean, sd,
   min, p25, median, p75, max (numbers, dates as dates), n_distinct (strings, bools).
   Column types: column, type: string; count, missing, n_distinct: int; mean, sd: float
   (numbers and bools only, sd sample); min, p25, median, p75, max: string, the values as
   cv_value_format writes them (shortest exact numbers, YYYY-MM-DD dates; min and max of
   strings by bytes; quantiles type 7, missing for strings and bools). */
cv_table *cv_table_describe(const cv_table *t, cv_error *err);

/* The type-7 quantile q (R's default: linear between order statistics) of sorted[0..n)
   (n > 0): the one quantile of describe, group-by, RFM and the segment rules. */
double cv_quantile_sorted(const double *sorted, int64_t n, double q);

/* ---- Text ----------------------------------------------------------------------------- */

/* Formats value i of c into buf (NUL-terminated, truncated to size): integers plainly,
   floats with up to `digits` significant digits (plain notation for 1e-4 <= |x| < 1e15,
   where a large number keeps all its integer digits; shortest exact form when digits <= 0),
   dates YYYY-MM-DD, datetimes YYYY-MM-DD HH:MM:SS, bools true/false, missing as `na`.
   Returns the length it would have had. */
size_t cv_value_format(const cv_column *c, int64_t i, int digits, const char *na, char *buf,
                       size_t size);

/* Renders the first max_rows rows (all if < 0) as an aligned text table for a terminal:
   header, a type line, a rule, rows; numbers right-aligned, text left-aligned, widths by
   display width (CJK wide characters count 2), long cells cut with an ellipsis at
   max_width columns, and a last line "… N more rows" (N with separators: 1,990) when rows
   are left out.
   Floats show 7 significant digits, missing values `na`; a column of a known kind shows
   its numbers by cv_format_kind (money 1,234.50, shares 21.83%, counts 1,234, rates 10%;
   a plain number whose decimals were given: 190,744.87 with 2);
   max_width <= 0 cuts nothing.
   Returns a malloc'd string, or NULL when out of memory. */
char *cv_table_format(const cv_table *t, int64_t max_rows, int max_width);

/* The words of a text table in the reader's language: the type line's label of each type
   (by cv_type), the last line when rows are left out (no line end), a missing value and
   the two bools (false, true), the one line of a table without columns; a NULL one is
   the English: cv_table_type_label, cv_table_more_text, "na", "false", "true",
   cv_table_no_columns_text. The core writes English; a caller that speaks
   another language translates these texts first (the bindings do, through the catalogue's
   core.table.* entries). */
typedef struct cv_table_words {
    const char *type[CV_BOOL + 1];
    const char *more;
    const char *na;
    const char *bools[2];
    const char *no_columns; /* the whole line, without its line end */
} cv_table_words;

/* The English label of type t on the type line: "<int>", "<float>", "<string>", "<date>",
   "<datetime>", "<bool>" (a static string). */
const char *cv_table_type_label(cv_type t);

/* The English last line for `more` rows left out, "… 1,990 more rows" (the count with
   thousands separators), into buf as snprintf does; returns the length it would have had. */
size_t cv_table_more_text(int64_t more, char *buf, size_t size);

/* The English line of a text table without columns, "(no columns, 5 rows)", into buf as
   snprintf does; returns the length it would have had. */
size_t cv_table_no_columns_text(int64_t nrows, char *buf, size_t size);

/* The rows a text table of t shows for max_rows (all when < 0): what cv_table_format
   leaves out is the rest. */
int64_t cv_table_format_rows(const cv_table *t, int64_t max_rows);

/* cv_table_format with the type line and the last line in words (NULL: English). */
char *cv_table_format_words(const cv_table *t, int64_t max_rows, int max_width,
                            const cv_table_words *words);

/* Display width of UTF-8 text in terminal columns (East Asian wide and fullwidth = 2,
   combining marks = 0; invalid bytes count 1). */
int cv_utf8_width(const char *s, size_t len);

#endif
