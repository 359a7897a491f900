/* cvkit output files: bytes written atomically (reports, SVG charts), and tables written as
   XLSX workbooks (libxlsxwriter). */
#ifndef CVKIT_FILEIO_H
#define CVKIT_FILEIO_H

#include <stddef.h>

#include "cvkit/error.h"
#include "cvkit/table.h"

/* Writes buf[0..len) to path through "path.tmp-XXXXXX" in the same folder, fsync'd and
   renamed over path at the end (keeping the mode of a file it replaces, else rw-r--r--),
   then the folder fsync'd; the temporary file is registered with the signal guard while it
   exists (guard.h). On failure nothing is left behind and path is untouched. 0, or
   CV_ERR_USAGE (path is a file this run read), CV_ERR_IO / CV_ERR_NOMEM with "path: cannot
   write: expected a folder 'dir', found none" (or the reason the file could not be
   created), "path: write failed: no space left on device". */
int cv_file_write_atomic(const char *path, const void *buf, size_t len, cv_error *err);

/* One sheet of a workbook: its name (at most 31 characters, none of []:*?/\) and table. */
typedef struct cv_xlsx_sheet {
    const char *name;
    const cv_table *table;
} cv_xlsx_sheet;

/* Writes the tables as the sheets of one XLSX workbook at path (atomically, as above):
   a bold header row with the column names, then one row per table row: int, float and
   bool columns as numbers and booleans, dates and datetimes as Excel dates formatted
   yyyy-mm-dd (hh:mm:ss), strings as text, missing values as empty cells, non-finite
   floats as empty cells. The finished file is read back before the rename: a worksheet
   that libxlsxwriter left incomplete (its temporary files in /tmp could not be written) is
   an error, "path: write failed: a sheet came out incomplete ...". 0, or CV_ERR_USAGE (no
   sheets, a bad or repeated sheet name, more than 1,048,575 rows or 16,384 columns),
   CV_ERR_IO, CV_ERR_NOMEM. */
int cv_xlsx_write(const char *path, const cv_xlsx_sheet *sheets, int n, cv_error *err);

#endif
