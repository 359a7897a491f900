/* cvkit file safety: the registry of temporary output files (removed by a signal handler
   so that Ctrl-C leaves nothing behind) and the record of the files read in this run (so
   that an output never replaces an input). Process-wide; see docs/safety.md. */
#ifndef CVKIT_GUARD_H
#define CVKIT_GUARD_H

#include <sys/types.h>

#include "cvkit/error.h"

/* At most this many temporary files are registered at once: one per output being written
   (the writers release their slot on every path, success or failure), so a full registry
   means a leak or a runaway; writers then refuse to start (cv_outfile_open in fileio.c)
   rather than create a file a signal would leave behind. */
#define CV_GUARD_SLOTS 32

/* Records path (a temporary file just created) for cv_guard_cleanup. Returns its slot
   (>= 0), or -1 when the registry is full (CV_GUARD_SLOTS files at once) or the path too
   long (4096 bytes or more): the caller must then not go on with the file. Thread-safe and
   async-signal-safe. */
int cv_guard_temp_add(const char *path);
/* Forgets slot (from cv_guard_temp_add; -1 is ignored) once the file has been renamed or
   removed. Thread-safe. */
void cv_guard_temp_remove(int slot);
/* The number of temporary files registered now (for tests and diagnostics). */
int cv_guard_temp_count(void);
/* Unlinks every registered temporary file. Async-signal-safe: meant for SIGINT and
   SIGTERM handlers (the program installs them), which then re-raise the signal. */
void cv_guard_cleanup(void);

/* Records that the file (device dev, inode ino) was read in this run. Thread-safe. */
void cv_guard_note_input(dev_t dev, ino_t ino);
/* Records that this run wrote the file now at path (after its rename): reading it back
   and replacing it again is then allowed. */
void cv_guard_note_output(const char *path);
/* 0 when path may be written: it does not exist, or it is not a file read in this run,
   or this run wrote it. Else CV_ERR_USAGE with "path: refusing to replace a file this
   run read (write the output elsewhere)". */
int cv_guard_check_output(const char *path, cv_error *err);
/* Forgets the files read and written (for tests). */
void cv_guard_reset_inputs(void);

#endif
