/* cvkit output files: the one atomic-write protocol (missing folders created, a temporary
   file in the same folder, registered with the signal guard, fsync'd, renamed, the folder
   fsync'd) that every writer uses (tables, XLSX, reports, charts, Monte Carlo output), and
   bytes written through it. */
#include "cvkit/fileio.h"
#include "cvkit/mem.h"
#include "fileio_int.h"
#include "cvkit/guard.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* err = "path: <what>: <strerror(e) lowercased>"; returns CV_ERR_IO (CV_ERR_NOMEM for
   ENOMEM). */
static int io_error(cv_error *err, const char *path, const char *what, int e)
{
    char msg[128];
    if (e == ECANCELED) /* the writer stopped for cancellation (include/cvkit/cancel.h) */
        return cv_error_set(err, CV_ERR_LIMIT, "cancelled");
    snprintf(msg, sizeof msg, "%s", strerror(e));
    if (msg[0] >= 'A' && msg[0] <= 'Z')
        msg[0] = (char)(msg[0] - 'A' + 'a');
    return cv_error_at(err, e == ENOMEM ? CV_ERR_NOMEM : CV_ERR_IO, path, 0, 0, "%s: %s", what,
                       msg);
}

/* Creates the folders of dir[0..len) that do not exist, parents first; *created (when not
   NULL) gets how many, the deepest last. 0, or CV_ERR_IO with "dir: cannot create folder
   (reason)" or "dir: cannot write: 'part' is not a folder". */
static int make_folders(const char *dir, size_t len, int *created, cv_error *err)
{
    char buf[4096];
    struct stat st;
    int made = 0;
    if (created)
        *created = 0;
    if (len == 0)
        return 0;
    if (len >= sizeof buf)
        return cv_error_at(err, CV_ERR_IO, dir, 0, 0, "cannot create folder (name too long)");
    memcpy(buf, dir, len);
    buf[len] = '\0';
    for (size_t k = 1; k <= len; k++) {
        if (k < len && buf[k] != '/')
            continue;
        if (k < len && buf[k - 1] == '/')
            continue; /* "a//b" */
        buf[k] = '\0';
        if (mkdir(buf, 0777) == 0) {
            made++;
        } else if (errno != EEXIST) {
            int e = errno;
            if (created)
                *created = made;
            return io_error(err, buf, "cannot create folder", e);
        } else if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
            if (created)
                *created = made;
            return cv_error_at(err, CV_ERR_IO, buf, 0, 0, "cannot create folder (a file is there)");
        }
        if (k < len)
            buf[k] = '/';
    }
    if (created)
        *created = made;
    return 0;
}

int cv_mkdirs(const char *dir, cv_error *err)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    return make_folders(dir, len, NULL, err);
}

/* Removes the f->made deepest folders of f->dir (the ones cv_outfile_open created), while
   they are empty. */
static void remove_made_folders(cv_outfile *f)
{
    if (!f->dir)
        return;
    for (; f->made > 0; f->made--) {
        if (rmdir(f->dir) != 0)
            break;
        char *slash = strrchr(f->dir, '/');
        if (!slash || slash == f->dir)
            break;
        *slash = '\0';
    }
    f->made = 0;
}

/* Releases what f holds (not the file itself). */
static void outfile_release(cv_outfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    cv_guard_temp_remove(f->slot);
    cv_free(f->tmp);
    cv_free(f->dir);
    f->fd = f->slot = -1;
    f->tmp = f->dir = NULL;
}

int cv_outfile_open(cv_outfile *f, const char *path, cv_error *err)
{
    size_t plen = strlen(path);
    const char *slash = strrchr(path, '/');
    struct stat st;
    sigset_t block, old;
    int e, rc;
    memset(f, 0, sizeof *f);
    f->path = path;
    f->fd = f->slot = -1;
    if ((rc = cv_guard_check_output(path, err)) != 0)
        return rc;
    f->dir = cv_malloc(plen + 2);
    f->tmp = cv_malloc(plen + 16);
    if (!f->dir || !f->tmp) {
        outfile_release(f);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    if (slash) {
        size_t dl = slash == path ? 1 : (size_t)(slash - path);
        memcpy(f->dir, path, dl);
        f->dir[dl] = '\0';
    } else {
        strcpy(f->dir, ".");
    }
    if (stat(f->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if ((rc = make_folders(f->dir, strlen(f->dir), &f->made, err)) != 0) {
            remove_made_folders(f);
            outfile_release(f);
            return rc;
        }
    }
    snprintf(f->tmp, plen + 16, "%s.tmp-XXXXXX", path);
    /* no signal between creating the file and registering it */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    f->fd = mkostemp(f->tmp, O_CLOEXEC);
    e = errno;
    if (f->fd >= 0 && (f->slot = cv_guard_temp_add(f->tmp)) < 0) {
        unlink(f->tmp);
        e = 0;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (f->fd >= 0 && f->slot >= 0)
        return 0;
    rc = e ? io_error(err, path, "cannot write", e)
           : cv_error_at(err, CV_ERR_IO, path, 0, 0,
                         "cannot write: too many files being written at once (%d)", CV_GUARD_SLOTS);
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    remove_made_folders(f);
    outfile_release(f);
    return rc;
}

int cv_outfile_commit(cv_outfile *f, int failed, cv_error *err)
{
    struct stat st;
    mode_t mode = stat(f->path, &st) == 0 ? (st.st_mode & 07777) : 0644;
    int e = failed ? failed : f->failed;
    if (!e && f->fd < 0 && (f->fd = open(f->tmp, O_RDONLY | O_CLOEXEC)) < 0)
        e = errno; /* written by name (XLSX): open it again for the fsync */
    if (!e && fchmod(f->fd, mode) != 0)
        e = errno;
    if (!e && fsync(f->fd) != 0)
        e = errno;
    if (f->fd >= 0 && close(f->fd) != 0 && !e)
        e = errno;
    f->fd = -1;
    if (!e && rename(f->tmp, f->path) != 0)
        e = errno;
    if (e) {
        unlink(f->tmp);
        remove_made_folders(f);
        outfile_release(f);
        return io_error(err, f->path, "write failed", e);
    }
    cv_guard_temp_remove(f->slot); /* renamed: nothing to remove any more */
    f->slot = -1;
    cv_guard_note_output(f->path);
    int dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* make the rename durable */
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    outfile_release(f);
    return 0;
}

void cv_outfile_abort(cv_outfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp)
        unlink(f->tmp);
    remove_made_folders(f);
    outfile_release(f);
}

#define WRITEBACK_STEP ((off_t)8 << 20)

void cv_outfile_write(cv_outfile *f, const void *buf, size_t len)
{
    const char *p = buf;
    f->written += (off_t)len; /* on failure the count no longer matters */
    while (len > 0 && !f->failed) {
        ssize_t w = write(f->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            f->failed = w < 0 ? errno : EIO;
            break;
        }
        p += w;
        len -= (size_t)w;
    }
#ifdef SYNC_FILE_RANGE_WRITE
    if (!f->failed && f->written - f->flushing >= WRITEBACK_STEP) {
        /* a hint only: an error here is left for the commit's fsync to report */
        (void)sync_file_range(f->fd, f->flushing, f->written - f->flushing, SYNC_FILE_RANGE_WRITE);
        f->flushing = f->written;
    }
#endif
}

int cv_file_write_atomic(const char *path, const void *buf, size_t len, cv_error *err)
{
    cv_outfile f;
    int rc = cv_outfile_open(&f, path, err);
    if (rc != 0)
        return rc;
    cv_outfile_write(&f, buf, len);
    return cv_outfile_commit(&f, f.failed, err);
}
