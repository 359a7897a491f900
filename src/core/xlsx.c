/* cvkit XLSX output: tables as the sheets of one workbook through libxlsxwriter, numbers as
   numbers and dates as Excel dates, written to a temporary name and renamed (fileio.c). */
#include "cvkit/fileio.h"
#include "fileio_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Excel's serial day of 1970-01-01 (the 1900 date system). */
#define EXCEL_EPOCH_1970 25569.0

/* Writes table t into ws; 0 or the first libxlsxwriter error. */
static lxw_error write_sheet(lxw_worksheet *ws, const cv_table *t, lxw_format *bold,
                             lxw_format *date, lxw_format *datetime)
{
    lxw_error rc = LXW_NO_ERROR;
    for (int j = 0; j < t->ncols && !rc; j++) {
        rc = worksheet_write_string(ws, 0, (lxw_col_t)j, t->cols[j]->name, bold);
        if (!rc && (t->cols[j]->type == CV_DATE || t->cols[j]->type == CV_DATETIME))
            rc = worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j,
                                      t->cols[j]->type == CV_DATE ? 11 : 19, NULL);
    }
    for (int64_t i = 0; i < t->nrows && !rc; i++) {
        lxw_row_t row = (lxw_row_t)(i + 1);
        for (int j = 0; j < t->ncols && !rc; j++) {
            const cv_column *c = t->cols[j];
            lxw_col_t col = (lxw_col_t)j;
            if (!cv_column_is_valid(c, i))
                continue;
            switch (c->type) {
            case CV_INT64:
                rc = worksheet_write_number(ws, row, col, (double)cv_column_int(c, i), NULL);
                break;
            case CV_FLOAT64: {
                double v = cv_column_float(c, i);
                if (isfinite(v))
                    rc = worksheet_write_number(ws, row, col, v, NULL);
                break;
            }
            case CV_BOOL:
                rc = worksheet_write_boolean(ws, row, col, cv_column_bool(c, i), NULL);
                break;
            case CV_DATE:
                rc = worksheet_write_number(ws, row, col,
                                            EXCEL_EPOCH_1970 + (double)cv_column_i32(c, i), date);
                break;
            case CV_DATETIME:
                rc = worksheet_write_number(
                    ws, row, col, EXCEL_EPOCH_1970 + (double)cv_column_int(c, i) / 86400.0,
                    datetime);
                break;
            case CV_STRING: {
                const char *s = cv_column_string(c, i, NULL);
                rc = worksheet_write_string(ws, row, col, s ? s : "", NULL);
                break;
            }
            }
        }
    }
    return rc;
}

int cv_xlsx_write(const char *path, const cv_xlsx_sheet *sheets, int n, cv_error *err)
{
    cv_outfile f;
    int rc = 0;
    lxw_workbook *wb;
    lxw_error lerr = LXW_NO_ERROR;
    if (n < 1)
        return cv_error_at(err, CV_ERR_USAGE, path, 0, 0, "a workbook needs at least one sheet");
    for (int k = 0; k < n; k++) {
        const cv_table *t = sheets[k].table;
        if (t->nrows + 1 > LXW_ROW_MAX || t->ncols > LXW_COL_MAX)
            return cv_error_at(err, CV_ERR_USAGE, path, 0, 0,
                               "sheet '%s' is too large for xlsx: %lld rows, %d columns",
                               sheets[k].name, (long long)t->nrows, t->ncols);
        for (int j = 0; j < k; j++)
            if (strcmp(sheets[j].name, sheets[k].name) == 0)
                return cv_error_at(err, CV_ERR_USAGE, path, 0, 0, "sheet name '%s' is given twice",
                                   sheets[k].name);
    }
    if ((rc = cv_outfile_open(&f, path, err)) != 0)
        return rc;
    close(f.fd); /* libxlsxwriter writes the file by its name; the commit reopens it */
    f.fd = -1;
    if ((wb = workbook_new(f.tmp)) == NULL) {
        cv_outfile_abort(&f);
        return cv_error_at(err, CV_ERR_NOMEM, path, 0, 0, "cannot start a workbook");
    }
    lxw_format *bold = workbook_add_format(wb), *date = workbook_add_format(wb),
               *datetime = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(date, "yyyy-mm-dd");
    format_set_num_format(datetime, "yyyy-mm-dd hh:mm:ss");
    for (int k = 0; k < n && !rc; k++) {
        if (workbook_validate_sheet_name(wb, sheets[k].name) != LXW_NO_ERROR) {
            rc = cv_error_at(err, CV_ERR_USAGE, path, 0, 0,
                             "bad sheet name '%s' (at most 31 characters, none of []:*?/\\)",
                             sheets[k].name);
            break;
        }
        lxw_worksheet *ws = workbook_add_worksheet(wb, sheets[k].name);
        if (!ws || (lerr = write_sheet(ws, sheets[k].table, bold, date, datetime)) != 0)
            rc = cv_error_at(err, CV_ERR_IO, path, 0, 0, "write failed: sheet '%s': %s",
                             sheets[k].name, ws ? lxw_strerror(lerr) : "out of memory");
    }
    lerr = workbook_close(wb); /* writes the file (and frees wb) */
    if (!rc && lerr != LXW_NO_ERROR)
        rc = cv_error_at(err, CV_ERR_IO, path, 0, 0, "write failed: %s", lxw_strerror(lerr));
    if (rc) {
        cv_outfile_abort(&f);
        return rc;
    }
    return cv_outfile_commit(&f, 0, err);
}
