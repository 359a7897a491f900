/* cvkit output files, internal: the one temporary-file-then-rename protocol that every
   writer uses (tables in csv_write.c, XLSX in xlsx.c, bytes in fileio.c: reports, charts,
   Monte Carlo output). */
#ifndef CVKIT_FILEIO_INT_H
#define CVKIT_FILEIO_INT_H

#include <sys/types.h>

#include "cvkit/error.h"

/* An output being written: "path.tmp-XXXXXX" in path's folder, registered with the guard
   (guard.h) from the moment it exists until it is renamed or removed. */
typedef struct cv_outfile {
    const char *path; /* the destination (borrowed from the caller) */
    char *tmp;        /* the temporary file's name (owned) */
    char *dir;        /* path's folder, for the fsync after the rename (owned) */
    int fd;           /* tmp open for writing, or -1 (a writer that writes by name closes it) */
    int slot;         /* the guard's slot for tmp */
    int made;         /* folders of dir that cv_outfile_open created (removed on failure) */
    int failed;       /* errno of the first failed cv_outfile_write, or 0 */
    off_t written;    /* bytes written by cv_outfile_write */
    off_t flushing;   /* bytes before this offset were handed to the disk (write-back started) */
} cv_outfile;

/* Starts an output at path: refuses to replace a file this run read
   (cv_guard_check_output), creates path's folder and its parents where missing (removed
   again if the output fails while they are empty), then creates tmp and registers it
   with the guard, with SIGINT/SIGTERM/SIGHUP blocked in between so that no signal finds the
   file unregistered. A full registry is an error and no file is created. 0, or CV_ERR_USAGE,
   CV_ERR_IO ("dir: cannot create folder: permission denied", "dir: cannot create folder
   (a file is there)", "path: cannot write: too many files being written at once (32)",
   "path: cannot write: permission denied"), CV_ERR_NOMEM, with err set and nothing left
   to release or behind. The caller checks the sandbox first (the binding's
   lbind_check_output): the folders made are the path's own. */
int cv_outfile_open(cv_outfile *f, const char *path, cv_error *err);
/* Finishes f: the mode of the file it replaces (else rw-r--r--), fsync of the data, close,
   rename over path, fsync of the folder (so that the rename survives a crash), and the
   output noted (cv_guard_note_output). failed is 0, or an errno value from the caller's
   writing (or f->failed is set by cv_outfile_write): then, as on any failing step, tmp is removed, path is untouched and err reads
   "path: write failed: <reason>" (CV_ERR_IO, or CV_ERR_NOMEM for ENOMEM; ECANCELED, the
   writer stopped by cancellation, is CV_ERR_LIMIT "cancelled"). Always releases
   f (slot, descriptor, memory). 0 or the error code. */
int cv_outfile_commit(cv_outfile *f, int failed, cv_error *err);
/* Writes buf[0..len) to f's descriptor (retrying short writes and EINTR); the first
   failure is kept in f->failed, and later calls do nothing. Every 8 MiB it asks the kernel
   to start writing the new pages out (Linux's sync_file_range, without waiting), so the disk
   works while the caller formats the rest and the commit's fsync has little left to do. */
void cv_outfile_write(cv_outfile *f, const void *buf, size_t len);
/* Abandons f after an error the caller reports itself: closes, removes tmp, releases the
   slot and the memory. */
void cv_outfile_abort(cv_outfile *f);

#endif
