/* Private to the reader (csv_read.c, the workbook files book_text.c, book_xlsx.c, book_xls.c,
   and text_utf16.c): workbooks (.xlsx through
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

/* ---- Between the workbook files: book_text.c (cells to CSV text, sheet choice), book_xlsx.c
   (.xlsx), book_xls.c (.xls). A sheet is read into cells, then written as CSV text. ---- */

#include <stdint.h>
#include <string.h>

#include "cvkit/mem.h"

/* ---- Growing buffers ------------------------------------------------------------------ */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int nomem;
} sbuf;

static inline int sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->nomem)
        return -1;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = cv_realloc(b->p, cap);
        if (!p) {
            b->nomem = 1;
            return -1;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static inline int sb_str(sbuf *b, const char *s)
{
    return sb_add(b, s, strlen(s));
}

/* ---- Cells ---------------------------------------------------------------------------- */

enum { C_NUM, C_STR, C_BOOL, C_DATE, C_ERR, C_TEXTDATE };

typedef struct cell {
    long row; /* 1-based */
    int col;  /* 0-based */
    int kind;
    double num; /* C_NUM, C_DATE (a serial), C_BOOL */
    size_t off; /* C_STR, C_ERR, C_TEXTDATE: text in the pool */
} cell;

typedef struct sheetcells {
    cell *c;
    size_t n, cap;
    sbuf pool;
    int nomem;
} sheetcells;

static inline cell *cells_add(sheetcells *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        cell *c = cv_realloc(s->c, cap * sizeof *c);
        if (!c) {
            s->nomem = 1;
            return NULL;
        }
        s->c = c;
        s->cap = cap;
    }
    memset(&s->c[s->n], 0, sizeof *s->c);
    return &s->c[s->n++];
}

static inline void cells_free(sheetcells *s)
{
    cv_free(s->c);
    cv_free(s->pool.p);
}

/* workbook.xml: the sheets (name, relationship id) and the date system. */
typedef struct wbook {
    sbuf names, rids; /* NUL-separated */
    int nsheets;
    int date1904;
    int nomem;
} wbook;

/* "C14" for column col (0-based), row. */
void cv_book_cell_ref(int col, long row, char *buf, size_t size);
/* Writes the cells of sheet (named book:sheet) as CSV into bt (sorting sc's cells); 0 or an
   error code with err set and bt empty. */
int cv_book_write_csv(sheetcells *sc, const char *book, const char *sheet, int date1904,
                      const cv_csv_options *opt, char dec, cv_booktext *bt, cv_error *err);
/* Which sheet: by name, else a number from 1, else the first; -1 when there is none. */
int cv_book_pick_sheet(const wbook *w, const char *want);
/* "Sheet1, Data" into buf: the n NUL-separated sheet names for a message. */
void cv_book_sheet_list(const char *names, int n, char *buf, size_t size);

#endif
