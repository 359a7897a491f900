/* cvkit output files: the one file layer of every writer (src/core/fileio.c): folders made
   as needed, bytes written atomically (reports, SVG charts, Monte Carlo output), and tables
   written as XLSX workbooks (libxlsxwriter). Tables as CSV/TSV/JSON/Markdown: csv.h. */
#ifndef CVKIT_FILEIO_H
#define CVKIT_FILEIO_H

#include <stddef.h>

#include "cvkit/error.h"
#include "cvkit/table.h"

/* Creates the folder dir and its parents where missing (like mkdir -p); an existing folder
   is fine. 0, or CV_ERR_IO with "dir: cannot create folder: permission denied" or "dir:
   cannot create folder (a file is there)". */
int cv_mkdirs(const char *dir, cv_error *err);

/* Writes buf[0..len) to path through "path.tmp-XXXXXX" in the same folder, fsync'd and
   renamed over path at the end (keeping the mode of a file it replaces, else rw-r--r--),
   then the folder fsync'd; the temporary file is registered with the signal guard while it
   exists (guard.h). Missing folders of path are created first (cv_mkdirs). On failure
   nothing is left behind (no temporary file, no folder it made) and path is untouched. 0,
   or CV_ERR_USAGE (path is a file this run read), CV_ERR_IO / CV_ERR_NOMEM with "dir:
   cannot create folder: permission denied" (or the reason the file could not be created),
   "path: write failed: no space left on device". */
int cv_file_write_atomic(const char *path, const void *buf, size_t len, cv_error *err);

/* One sheet of a workbook: its name (at most 31 characters, none of []:*?/\) and table. */
typedef struct cv_xlsx_sheet {
    const char *name;
    const cv_table *table;
} cv_xlsx_sheet;

/* Writes the tables as the sheets of one XLSX workbook at path (atomically, as above):
   a bold header row with the column names, frozen (it stays in view when scrolling), then
   one row per table row, each cell with its column's number format: int columns "0", float
   columns "0" when every value is whole, "#,##0.00" when none has more than two decimals
   (money) or some is 1 or more in size, else "0.0000" (shares, probabilities); dates and
   datetimes as Excel dates formatted yyyy-mm-dd (hh:mm:ss); bools as booleans, strings as
   text, missing values and non-finite floats as empty cells. The cells hold the full
   double; the format is only how Excel shows it. The finished file is read back before
   the rename: a worksheet that libxlsxwriter left incomplete (its temporary files in /tmp
   could not be written) is an error, "path: write failed: a sheet came out incomplete
   ...". 0, or CV_ERR_USAGE (no sheets, a bad or repeated sheet name, more than 1,048,575
   rows or 16,384 columns), CV_ERR_IO, CV_ERR_NOMEM. */
int cv_xlsx_write(const char *path, const cv_xlsx_sheet *sheets, int n, cv_error *err);

#endif
