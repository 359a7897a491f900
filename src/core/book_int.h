/* Private to the reader (csv_read.c, book_read.c, text_utf16.c): workbooks (.xlsx through
   libzip and expat, .xls through FreeXL) and UTF-16 text turned into the UTF-8 CSV text the
   CSV reader reads, so that a sheet gives the same table as its CSV export would, with its
   errors placed at the sheet's cells. Not a public header. */
#ifndef CVKIT_BOOK_INT_H
#define CVKIT_BOOK_INT_H

#include <stddef.h>

#include "cvkit/csv.h"

/* A sheet as CSV text: comma-separated, "\n" line ends, text cells quoted, numbers with
   '.' (or dec) and no grouping, dates ISO, booleans true/false, one line per sheet row
   that has a value (empty rows are left out, as blank lines are in CSV). */
typedef struct cv_booktext {
    char *text;
    size_t len;
    char *name;       /* "path:Sheet" (messages) */
    long *line_row;   /* per physical line (index 0 = line 1): the sheet row (1-based) */
    int *line_field;  /* the field a line starts in (> 0 after a newline inside a cell) */
    long nlines;
    int first_col;    /* the sheet column (0-based) of the first field */
} cv_booktext;

/* The kind of a file from its first bytes. */
enum { CV_KIND_TEXT = 0, CV_KIND_XLSX, CV_KIND_XLS, CV_KIND_UTF16LE, CV_KIND_UTF16BE };
int cv_input_kind(const unsigned char *head, size_t n);

/* Reads sheet opt->sheet (a name, or a number from 1; NULL: the first) of the .xlsx at
   path (or in mem[0..len) when mem is not NULL) into bt. Numbers are written with the
   decimal mark dec. Error cells (#DIV/0!, ...) are missing when their text is one of
   opt's missing-value texts, else an error "path:Sheet!C14: ...". 0 or an error code with
   err set; bt is then empty. */
int cv_xlsx_to_csv(const char *path, const char *mem, size_t len, const cv_csv_options *opt,
                   char dec, cv_booktext *bt, cv_error *err);
/* The same for a .xls (BIFF) workbook at path. */
int cv_xls_to_csv(const char *path, const cv_csv_options *opt, char dec, cv_booktext *bt,
                  cv_error *err);
void cv_booktext_free(cv_booktext *bt);

/* Rewrites err of a read of bt->text ("path:Sheet:LINE:COL: message") as
   "path:Sheet!C14: message" (the cell); leaves other errors as they are. */
void cv_booktext_place(const cv_booktext *bt, cv_error *err);

/* Converts UTF-16 (little or big endian, after its byte order mark) raw[0..len) to a new
   UTF-8 text in *out (cv_malloc'd). Invalid UTF-16 (a lone surrogate, an odd length) is
   an error "name:line:col: expected UTF-16 text, ..." at its place. 0 or an error code. */
int cv_utf16_to_utf8(const char *name, const unsigned char *raw, size_t len, int big_endian,
                     char **out, size_t *outlen, cv_error *err);

#endif
