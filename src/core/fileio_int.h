/* cvkit output files, internal: the temporary-file-then-rename protocol that
   cv_file_write_atomic and cv_xlsx_write share (fileio.c). */
#ifndef CVKIT_FILEIO_INT_H
#define CVKIT_FILEIO_INT_H

#include "cvkit/error.h"

/* Checks that path's folder exists and creates "path.tmp-XXXXXX" there: returns its open
   descriptor and sets *tmp (malloc'd name, the caller frees), or -1 with err set. */
int cv_file_tmp_open(const char *path, char **tmp, cv_error *err);
/* Finishes a temporary file: fsync (when fd >= 0, which it then closes), the mode of the file
   it replaces (else 0644), and rename over path. On failure (or when failed != 0, an errno
   value from the caller's writing) removes tmp and sets err. Frees tmp. 0 or CV_ERR_IO. */
int cv_file_tmp_commit(const char *path, char *tmp, int fd, int failed, cv_error *err);

#endif
