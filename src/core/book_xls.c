/* .xls (BIFF) workbooks into CSV text for the reader, through FreeXL. */
#include "book_int.h"

#include <freexl.h>
#include <string.h>

#include "cvkit/mem.h"

int cv_xls_to_csv(const char *path, const cv_csv_options *opt, char dec, cv_booktext *bt,
                  cv_error *err)
{
    const void *h = NULL;
    unsigned int nsheets = 0;
    int rc = 0;
    sheetcells sc;
    sbuf names = {0};
    memset(&sc, 0, sizeof sc);
    memset(bt, 0, sizeof *bt);
    if (freexl_open(path, &h) != FREEXL_OK) {
        if (h)
            freexl_close(h);
        return cv_error_set(err, CV_ERR_PARSE,
                            "%s: expected an .xls workbook, found a file FreeXL cannot read "
                            "(encrypted, or not BIFF)",
                            path);
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets) != FREEXL_OK)
        nsheets = 0;
    wbook wb;
    memset(&wb, 0, sizeof wb);
    for (unsigned short k = 0; k < nsheets; k++) {
        const char *nm = NULL;
        if (freexl_get_worksheet_name(h, k, &nm) != FREEXL_OK || !nm)
            nm = "";
        if (sb_add(&names, nm, strlen(nm) + 1)) {
            rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", path);
            goto done;
        }
    }
    wb.names = names;
    wb.nsheets = (int)nsheets;
    int k = cv_book_pick_sheet(&wb, opt ? opt->sheet : NULL);
    if (k < 0) {
        char list[300];
        cv_book_sheet_list(names.p ? names.p : "", (int)nsheets, list, sizeof list);
        rc = cv_error_set(err, CV_ERR_USAGE, "%s: no sheet '%s' (the workbook has %s)", path,
                          opt && opt->sheet ? opt->sheet : "", nsheets ? list : "none");
        goto done;
    }
    const char *sheet = names.p;
    for (int q = 0; q < k; q++)
        sheet += strlen(sheet) + 1;
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_select_active_worksheet(h, (unsigned short)k) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
        rc = cv_error_set(err, CV_ERR_PARSE, "%s:%s: cannot read the sheet", path, sheet);
        goto done;
    }
    for (unsigned int r = 0; r < rows; r++) {
        for (unsigned short c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK || v.type == FREEXL_CELL_NULL)
                continue;
            cell *cl = cells_add(&sc);
            if (!cl) {
                rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", path);
                goto done;
            }
            cl->row = (long)r + 1;
            cl->col = c;
            const char *txt = NULL;
            switch (v.type) {
            case FREEXL_CELL_INT: /* a boolean cell too: FreeXL (1.0.6) has no boolean type
                                     and reports one as 1 or 0 (docs/lua-api.md) */
                cl->kind = C_NUM;
                cl->num = v.value.int_value;
                break;
            case FREEXL_CELL_DOUBLE:
                cl->kind = C_NUM;
                cl->num = v.value.double_value;
                break;
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
            case FREEXL_CELL_TIME:
                cl->kind = C_TEXTDATE;
                txt = v.value.text_value;
                break;
            default:
                cl->kind = C_STR;
                txt = v.value.text_value;
                break;
            }
            if (txt) {
                cl->off = sc.pool.n;
                if (sb_add(&sc.pool, txt, strlen(txt) + 1)) {
                    rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", path);
                    goto done;
                }
            }
        }
    }
    rc = cv_book_write_csv(&sc, path, sheet, 0, opt, dec, bt, err);
done:
    cv_free(names.p);
    cells_free(&sc);
    freexl_close(h);
    return rc;
}
