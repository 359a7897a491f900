/* cvkit XLSX output: tables as the sheets of one workbook through libxlsxwriter, numbers as
   numbers with a number format by column kind, dates as Excel dates, the header row frozen;
   written to a temporary name and renamed (fileio.c). */
#include "cvkit/cancel.h"
#include "cvkit/dtoa.h"
#include "cvkit/fileio.h"
#include "cvkit/mem.h"
#include "fileio_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zlib.h>

/* Excel's serial day of 1970-01-01 (the 1900 date system). */
#define EXCEL_EPOCH_1970 25569.0

/* ---- Reading the workbook back ---------------------------------------------------------- */

/* libxlsxwriter 1.1.4 assembles each worksheet in a tmpfile() (in /tmp) and ignores failed
   writes there: with /tmp full, or under a file-size limit, it returns success with every
   sheet cut at the failure. So the finished file is read back: every worksheet must inflate
   to its recorded size and end with "</worksheet>". */

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* Inflates the raw deflate data at offset off of f (csize bytes) and checks that it gives
   usize bytes ending with "</worksheet>"; 0 or -1. */
static int sheet_complete(FILE *f, long off, uint32_t csize, uint32_t usize)
{
    static const char end[] = "</worksheet>";
    unsigned char in[1 << 15], out[1 << 16], tail[sizeof end - 1];
    size_t tn = 0, total = 0, left = csize;
    z_stream z;
    int zr = Z_OK;
    memset(&z, 0, sizeof z);
    if (fseek(f, off, SEEK_SET) != 0 || inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return -1;
    while (zr != Z_STREAM_END) {
        if (z.avail_in == 0) {
            size_t n = fread(in, 1, left < sizeof in ? left : sizeof in, f);
            if (n == 0)
                break;
            left -= n;
            z.next_in = in;
            z.avail_in = (uInt)n;
        }
        z.next_out = out;
        z.avail_out = sizeof out;
        zr = inflate(&z, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END)
            break;
        size_t got = sizeof out - z.avail_out;
        total += got;
        for (size_t k = got > sizeof tail ? got - sizeof tail : 0; k < got; k++) {
            if (tn == sizeof tail) {
                memmove(tail, tail + 1, sizeof tail - 1);
                tn--;
            }
            tail[tn++] = out[k];
        }
    }
    inflateEnd(&z);
    return zr == Z_STREAM_END && total == usize && tn == sizeof tail &&
                   memcmp(tail, end, sizeof tail) == 0
               ? 0
               : -1;
}

/* 0 when the workbook at path has nsheets worksheets, each complete; else -1. */
static int workbook_complete(const char *path, int nsheets)
{
    unsigned char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    int found = 0, bad = 0;
    if (!f || fseek(f, 0, SEEK_END) != 0) {
        if (f)
            fclose(f);
        return -1;
    }
    long size = ftell(f), from = size > (long)sizeof buf ? size - (long)sizeof buf : 0;
    size_t n;
    if (size < 22 || fseek(f, from, SEEK_SET) != 0 || (n = fread(buf, 1, sizeof buf, f)) < 22) {
        fclose(f);
        return -1;
    }
    long eocd = -1; /* the end of central directory record, searched from the end */
    for (size_t k = n - 22 + 1; k-- > 0;)
        if (le32(buf + k) == 0x06054b50) {
            eocd = (long)k;
            break;
        }
    if (eocd < 0) {
        fclose(f);
        return -1;
    }
    uint32_t entries = le16(buf + eocd + 10), cd = le32(buf + eocd + 16);
    long pos = (long)cd;
    for (uint32_t e = 0; e < entries && !bad; e++) {
        unsigned char h[46], name[64], lh[30];
        if (fseek(f, pos, SEEK_SET) != 0 || fread(h, 1, sizeof h, f) != sizeof h ||
            le32(h) != 0x02014b50) {
            bad = 1;
            break;
        }
        uint32_t method = le16(h + 10), csize = le32(h + 20), usize = le32(h + 24),
                 nlen = le16(h + 28), xlen = le16(h + 30), clen = le16(h + 32),
                 local = le32(h + 42);
        pos += 46 + (long)nlen + (long)xlen + (long)clen;
        if (nlen >= sizeof name || fread(name, 1, nlen, f) != nlen)
            continue; /* not a worksheet name */
        name[nlen] = '\0';
        if (strncmp((const char *)name, "xl/worksheets/sheet", 19) != 0)
            continue;
        found++;
        if (method != 8 || fseek(f, (long)local, SEEK_SET) != 0 ||
            fread(lh, 1, sizeof lh, f) != sizeof lh || le32(lh) != 0x04034b50 ||
            sheet_complete(f, (long)local + 30 + (long)le16(lh + 26) + (long)le16(lh + 28), csize,
                           usize) != 0)
            bad = 1;
    }
    fclose(f);
    return !bad && found == nsheets ? 0 : -1;
}

/* ---- Writing ------------------------------------------------------------------------------ */

/* The number formats of a workbook, made once. */
typedef struct formats {
    lxw_format *bold, *date, *datetime, *integer, *money, *fraction;
    lxw_format *count, *money_dec[16], *percent[16]; /* by kind; the decimals ones made lazily */
    lxw_workbook *wb;
} formats;

/* The format "#,##0.00" (money) or "0.00%" (share, rate) with dec decimals (0 to 15), made
   once per workbook; NULL when out of memory. */
static lxw_format *decimals_format(formats *fm, int percent, int dec)
{
    lxw_format **slot = percent ? &fm->percent[dec] : &fm->money_dec[dec];
    if (!*slot && (*slot = workbook_add_format(fm->wb)) != NULL) {
        char code[40];
        snprintf(code, sizeof code, "%s%s%.*s%s", percent ? "0" : "#,##0", dec ? "." : "", dec,
                 "000000000000000", percent ? "%" : "");
        format_set_num_format(*slot, code);
    }
    return *slot;
}

/* The decimals a rate column needs as a percentage: the most any value shows, at most 2. */
static int rate_decimals(const cv_column *c, int64_t nrows)
{
    int dec = 0;
    for (int64_t i = 0; i < nrows && dec < 2; i++) {
        double v = cv_column_number(c, i) * 100;
        if (!isfinite(v))
            continue;
        while (dec < 2 && fabs(round(v * pow(10, dec)) - v * pow(10, dec)) > 1e-6)
            dec++;
    }
    return dec;
}

/* The number format of a column of a known kind (money "#,##0.00", shares "0.00%", counts
   "#,##0", rates "0%" with the decimals they need), or NULL for no kind. */
static lxw_format *kind_format(const cv_column *c, int64_t nrows, formats *fm)
{
    int dec = c->decimals1 - 1;
    switch (c->kind) {
    case CV_KIND_MONEY:
        return decimals_format(fm, 0, dec < 0 ? 2 : dec);
    case CV_KIND_SHARE:
        return decimals_format(fm, 1, dec < 0 ? 2 : dec);
    case CV_KIND_RATE:
        return decimals_format(fm, 1, dec < 0 ? rate_decimals(c, nrows) : dec);
    case CV_KIND_COUNT:
        return fm->count;
    default:
        return NULL;
    }
}

/* The format of float column c, from its values: all whole numbers "0"; at most two
   decimals (money, prices, amounts) "#,##0.00"; else, values below 1 in size (shares,
   probabilities, rates) "0.0000", larger ones "#,##0.00". The cells keep the full value. */
static lxw_format *float_format(const cv_column *c, int64_t nrows, const formats *fm)
{
    int maxdec = 0, small = 1;
    for (int64_t i = 0; i < nrows; i++) {
        double v = cv_column_float(c, i);
        if (!cv_column_is_valid(c, i) || !isfinite(v))
            continue;
        int d = maxdec <= 2 ? cv_double_decimals(v) : 3;
        if (d < 0 || d > maxdec)
            maxdec = d < 0 ? 3 : d;
        if (fabs(v) >= 1)
            small = 0;
    }
    if (maxdec == 0)
        return fm->integer;
    return maxdec > 2 && small ? fm->fraction : fm->money;
}

/* Writes table t into ws: a bold header row, frozen, then the rows, each column with the
   number format of its kind; 0 or the first libxlsxwriter error. */
static lxw_error write_sheet(lxw_worksheet *ws, const cv_table *t, formats *fm, int *cancelled)
{
    lxw_error rc = LXW_NO_ERROR;
    lxw_format **colfmt = cv_calloc((size_t)t->ncols + 1, sizeof *colfmt);
    if (!colfmt)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    for (int j = 0; j < t->ncols && !rc; j++) {
        const cv_column *c = t->cols[j];
        lxw_format *byk = kind_format(c, t->nrows, fm);
        colfmt[j] = byk                      ? byk
                    : c->type == CV_INT64    ? fm->integer
                    : c->type == CV_FLOAT64  ? float_format(c, t->nrows, fm)
                    : c->type == CV_DATE     ? fm->date
                    : c->type == CV_DATETIME ? fm->datetime
                                             : NULL;
        rc = worksheet_write_string(ws, 0, (lxw_col_t)j, c->name, fm->bold);
        if (!rc && (c->type == CV_DATE || c->type == CV_DATETIME))
            rc = worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, c->type == CV_DATE ? 11 : 19,
                                      NULL);
        else if (!rc && (colfmt[j] == fm->money || c->kind == CV_KIND_MONEY))
            rc = worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, 12, NULL);
    }
    if (!rc && t->ncols > 0)
        worksheet_freeze_panes(ws, 1, 0);
    for (int64_t i = 0; i < t->nrows && !rc; i++) {
        lxw_row_t row = (lxw_row_t)(i + 1);
        if ((i & 0xfff) == 0 && cv_cancelled()) { /* include/cvkit/cancel.h */
            *cancelled = 1;
            break;
        }
        for (int j = 0; j < t->ncols && !rc; j++) {
            const cv_column *c = t->cols[j];
            lxw_col_t col = (lxw_col_t)j;
            if (!cv_column_is_valid(c, i))
                continue;
            switch (c->type) {
            case CV_INT64:
                rc = worksheet_write_number(ws, row, col, (double)cv_column_int(c, i), colfmt[j]);
                break;
            case CV_FLOAT64: {
                double v = cv_column_float(c, i);
                if (isfinite(v))
                    rc = worksheet_write_number(ws, row, col, v, colfmt[j]);
                break;
            }
            case CV_BOOL:
                rc = worksheet_write_boolean(ws, row, col, cv_column_bool(c, i), NULL);
                break;
            case CV_DATE:
                rc = worksheet_write_number(
                    ws, row, col, EXCEL_EPOCH_1970 + (double)cv_column_i32(c, i), fm->date);
                break;
            case CV_DATETIME:
                rc = worksheet_write_number(
                    ws, row, col, EXCEL_EPOCH_1970 + (double)cv_column_int(c, i) / 86400.0,
                    fm->datetime);
                break;
            case CV_STRING: {
                const char *s = cv_column_string(c, i, NULL);
                rc = worksheet_write_string(ws, row, col, s ? s : "", NULL);
                break;
            }
            }
        }
    }
    cv_free(colfmt);
    return rc;
}

int cv_xlsx_write(const char *path, const cv_xlsx_sheet *sheets, int n, cv_error *err)
{
    cv_outfile f;
    int rc = 0, cancelled = 0;
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
    formats fm = {workbook_add_format(wb),
                  workbook_add_format(wb),
                  workbook_add_format(wb),
                  workbook_add_format(wb),
                  workbook_add_format(wb),
                  workbook_add_format(wb),
                  workbook_add_format(wb),
                  {0},
                  {0},
                  wb};
    format_set_bold(fm.bold);
    format_set_num_format(fm.date, "yyyy-mm-dd");
    format_set_num_format(fm.datetime, "yyyy-mm-dd hh:mm:ss");
    format_set_num_format(fm.integer, "0");
    format_set_num_format(fm.money, "#,##0.00");
    format_set_num_format(fm.fraction, "0.0000");
    format_set_num_format(fm.count, "#,##0");
    for (int k = 0; k < n && !rc; k++) {
        if (workbook_validate_sheet_name(wb, sheets[k].name) != LXW_NO_ERROR) {
            rc = cv_error_at(err, CV_ERR_USAGE, path, 0, 0,
                             "bad sheet name '%s' (at most 31 characters, none of []:*?/\\)",
                             sheets[k].name);
            break;
        }
        lxw_worksheet *ws = workbook_add_worksheet(wb, sheets[k].name);
        if (!ws || (lerr = write_sheet(ws, sheets[k].table, &fm, &cancelled)) != 0)
            rc = cv_error_at(err, CV_ERR_IO, path, 0, 0, "write failed: sheet '%s': %s",
                             sheets[k].name, ws ? lxw_strerror(lerr) : "out of memory");
        else if (cancelled)
            rc = cv_error_set(err, CV_ERR_LIMIT, "cancelled");
    }
    if (cancelled) { /* not assembled: freed as it is */
        lxw_workbook_free(wb);
        cv_outfile_abort(&f);
        return rc;
    }
    lerr = workbook_close(wb); /* writes the file (and frees wb) */
    if (!rc && lerr != LXW_NO_ERROR)
        rc = cv_error_at(err, CV_ERR_IO, path, 0, 0, "write failed: %s", lxw_strerror(lerr));
    if (!rc) /* the assembling (workbook_close) is not interruptible: a look after it */
        rc = cv_cancel_check(err);
    if (!rc && workbook_complete(f.tmp, n) != 0)
        rc = cv_error_at(err, CV_ERR_IO, path, 0, 0,
                         "write failed: a sheet came out incomplete (is the temporary folder "
                         "full?)");
    if (rc) {
        cv_outfile_abort(&f);
        return rc;
    }
    return cv_outfile_commit(&f, 0, err);
}
