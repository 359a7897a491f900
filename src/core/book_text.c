/* Workbook sheets as CSV text for the reader, shared by book_xlsx.c and book_xls.c: the cells
   of a sheet written as CSV (numbers, text, booleans, dates from serials in the 1900 or 1904
   system, error cells), a read error placed at its cell, and the choice of a sheet. */
#include "book_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/parse.h"

/* "C14" for column col (0-based), row. */
void cv_book_cell_ref(int col, long row, char *buf, size_t size)
{
    char letters[8];
    int k = 0;
    unsigned c = (unsigned)col + 1;
    while (c > 0 && k < 7) {
        letters[k++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    size_t n = 0;
    while (k > 0 && n + 1 < size)
        buf[n++] = letters[--k];
    snprintf(buf + n, size - n, "%ld", row);
}

/* The shortest text that reads back to v, with decimal mark dec. */
static void fmt_number(double v, char dec, char *buf, size_t size)
{
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (dec != '.') {
        char *d = strchr(buf, '.');
        if (d)
            *d = dec;
    }
}

/* A date serial as YYYY-MM-DD, with " HH:MM:SS" when it has a time of day; 0 or -1. */
static int fmt_serial(double v, int date1904, char *buf, size_t size)
{
    int32_t days, secs;
    int y, m, d;
    if (cv_excel_serial(v, date1904, &days, &secs) != 0)
        return -1;
    cv_civil_from_days(days, &y, &m, &d);
    if (secs)
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, secs / 3600, secs / 60 % 60,
                 secs % 60);
    else
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return 0;
}

static int is_na_text(const cv_csv_options *opt, const char *s)
{
    static const char *const def[] = {"NA", "NULL"};
    const char *const *na = opt && opt->na ? opt->na : def;
    int nna = opt && opt->na ? opt->nna : 2;
    for (int k = 0; k < nna; k++)
        if (strcmp(na[k], s) == 0)
            return 1;
    return 0;
}

static int line_add(cv_booktext *bt, long *cap, long row, int field)
{
    if (bt->nlines == *cap) {
        long c = *cap ? *cap * 2 : 256;
        long *lr = cv_realloc(bt->line_row, (size_t)c * sizeof *lr);
        if (lr)
            bt->line_row = lr;
        int *lf = cv_realloc(bt->line_field, (size_t)c * sizeof *lf);
        if (lf)
            bt->line_field = lf;
        if (!lr || !lf)
            return -1;
        *cap = c;
    }
    bt->line_row[bt->nlines] = row;
    bt->line_field[bt->nlines++] = field;
    return 0;
}

static int cmp_cell(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* Writes the cells of sheet (named book:sheet) as CSV into bt. */
int cv_book_write_csv(sheetcells *sc, const char *book, const char *sheet, int date1904,
                      const cv_csv_options *opt, char dec, cv_booktext *bt, cv_error *err)
{
    sbuf out = {0};
    long lcap = 0;
    char num[64];
    size_t nl = strlen(book) + strlen(sheet) + 2;
    memset(bt, 0, sizeof *bt);
    if (!(bt->name = cv_malloc(nl)))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", book);
    snprintf(bt->name, nl, "%s:%s", book, sheet);
    if (sc->n > 0)
        qsort(sc->c, sc->n, sizeof *sc->c, cmp_cell);
    int c0 = -1, c1 = -1;
    for (size_t i = 0; i < sc->n; i++) {
        if (c0 < 0 || sc->c[i].col < c0)
            c0 = sc->c[i].col;
        if (sc->c[i].col > c1)
            c1 = sc->c[i].col;
    }
    bt->first_col = c0 < 0 ? 0 : c0;
    size_t i = 0;
    while (i < sc->n) {
        long row = sc->c[i].row;
        int col = c0;
        if (line_add(bt, &lcap, row, 0) != 0)
            goto nomem;
        for (; i < sc->n && sc->c[i].row == row; i++) {
            const cell *c = &sc->c[i];
            if (c->col < col) /* a repeated cell reference: the later one wins */
                continue;
            for (; col < c->col; col++)
                sb_add(&out, ",", 1);
            const char *txt = sc->pool.p ? sc->pool.p + c->off : "";
            switch (c->kind) {
            case C_NUM:
                fmt_number(c->num, dec, num, sizeof num);
                sb_str(&out, num);
                break;
            case C_DATE:
                if (fmt_serial(c->num, date1904, num, sizeof num) != 0) {
                    char ref[24];
                    cv_book_cell_ref(c->col, row, ref, sizeof ref);
                    fmt_number(c->num, '.', num, sizeof num);
                    cv_free(out.p);
                    cv_booktext_free(bt);
                    return cv_error_set(err, CV_ERR_PARSE,
                                        "%s:%s!%s: expected a date, found the serial number "
                                        "%s, which is no calendar date (1900-02-29 or 0)",
                                        book, sheet, ref, num);
                }
                sb_str(&out, num);
                break;
            case C_BOOL:
                sb_str(&out, c->num != 0 ? "true" : "false");
                break;
            case C_TEXTDATE:
                sb_str(&out, txt);
                break;
            case C_ERR:
                if (!is_na_text(opt, txt)) {
                    char ref[24];
                    cv_book_cell_ref(c->col, row, ref, sizeof ref);
                    cv_error_set(err, CV_ERR_PARSE,
                                 "%s:%s!%s: expected a value, found the error %.40s "
                                 "(na = {\"%.40s\"} reads it as missing)",
                                 book, sheet, ref, txt, txt);
                    cv_free(out.p);
                    cv_booktext_free(bt);
                    return CV_ERR_PARSE;
                }
                break;
            case C_STR:
                sb_add(&out, "\"", 1);
                for (const char *p = txt; *p; p++) {
                    if (*p == '"')
                        sb_add(&out, "\"", 1);
                    if (*p == '\n' && line_add(bt, &lcap, row, col - c0 + 1) != 0)
                        goto nomem;
                    sb_add(&out, p, 1);
                }
                sb_add(&out, "\"", 1);
                break;
            }
            if (c->col < c1)
                sb_add(&out, ",", 1);
            col = c->col + 1;
        }
        for (; col < c1; col++)
            sb_add(&out, ",", 1);
        sb_add(&out, "\n", 1);
    }
    if (out.nomem)
        goto nomem;
    if (!out.p && sb_add(&out, "", 0) != 0)
        goto nomem;
    bt->text = out.p;
    bt->len = out.n;
    return 0;
nomem:
    cv_free(out.p);
    cv_booktext_free(bt);
    return cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", book);
}

void cv_booktext_free(cv_booktext *bt)
{
    cv_free(bt->text);
    cv_free(bt->name);
    cv_free(bt->line_row);
    cv_free(bt->line_field);
    memset(bt, 0, sizeof *bt);
}

void cv_booktext_place(const cv_booktext *bt, cv_error *err)
{
    if (!err || err->line <= 0 || err->line > bt->nlines || !bt->text)
        return;
    char head[600];
    snprintf(head, sizeof head, "%s:%ld:%ld: ", bt->name, err->line, err->col);
    size_t hl = strlen(head);
    if (strncmp(err->msg, head, hl) != 0)
        return;
    /* the field at character column col of the line */
    const char *p = bt->text;
    for (long l = 1; l < err->line; p++)
        if (*p == '\n')
            l++;
    int cont = bt->line_field[err->line - 1] > 0; /* the line goes on inside a cell */
    int field = cont ? bt->line_field[err->line - 1] - 1 : 0, inq = cont;
    for (long c = 1; c < err->col && *p && *p != '\n'; p++) {
        if (*p == '"')
            inq = !inq;
        else if (*p == ',' && !inq)
            field++;
        if (((unsigned char)*p & 0xC0) != 0x80)
            c++;
    }
    char ref[24], rest[256];
    cv_book_cell_ref(bt->first_col + field, bt->line_row[err->line - 1], ref, sizeof ref);
    snprintf(rest, sizeof rest, "%s", err->msg + hl);
    cv_error_set(err, err->code, "%s!%s: %s", bt->name, ref, rest);
}

/* ---- Sheets ---------------------------------------------------------------------------- */

/* Which sheet: by name, else a number from 1, else the first; -1 when there is none. */
int cv_book_pick_sheet(const wbook *w, const char *want)
{
    if (!want || !*want)
        return w->nsheets > 0 ? 0 : -1;
    const char *p = w->names.p;
    for (int k = 0; k < w->nsheets; k++, p += strlen(p) + 1)
        if (strcmp(p, want) == 0)
            return k;
    char *end;
    long k = strtol(want, &end, 10);
    if (*end == '\0' && k >= 1 && k <= w->nsheets)
        return (int)k - 1;
    return -1;
}

/* "Sheet1, Data" into buf: the sheet names for a message. */
void cv_book_sheet_list(const char *names, int n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < n && used + 4 < size; k++, names += strlen(names) + 1)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? ", " : "", names);
}
