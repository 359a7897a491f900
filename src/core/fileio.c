/* cvkit output files: bytes written atomically through a temporary file in the same folder,
   fsync'd and renamed, so that a failure never leaves half a file (as csv_write.c does for
   tables). Used for reports, SVG charts and, through the helpers, XLSX workbooks. */
#include "cvkit/fileio.h"
#include "fileio_int.h"
#include "cvkit/guard.h"
#include "cvkit/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* err = "path: cannot write: <strerror(e) lowercased>"; returns CV_ERR_IO. */
static int io_error(cv_error *err, const char *path, int e)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s", strerror(e));
    if (msg[0] >= 'A' && msg[0] <= 'Z')
        msg[0] = (char)(msg[0] - 'A' + 'a');
    return cv_error_at(err, CV_ERR_IO, path, 0, 0, "cannot write: %s", msg);
}

int cv_file_tmp_open(const char *path, char **tmp, cv_error *err)
{
    size_t plen = strlen(path);
    char *dir = cv_malloc(plen + 2);
    struct stat st;
    const char *slash = strrchr(path, '/');
    int fd;
    *tmp = NULL;
    if (cv_guard_check_output(path, err) != 0) {
        cv_free(dir);
        return -1;
    }
    *tmp = cv_malloc(plen + 16);
    if (!dir || !*tmp) {
        cv_free(dir);
        cv_free(*tmp);
        *tmp = NULL;
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return -1;
    }
    if (slash) {
        size_t dl = slash == path ? 1 : (size_t)(slash - path);
        memcpy(dir, path, dl);
        dir[dl] = '\0';
    } else {
        strcpy(dir, ".");
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cv_error_at(err, CV_ERR_IO, path, 0, 0, "cannot write: expected a folder '%s', found none",
                    dir);
        cv_free(dir);
        cv_free(*tmp);
        *tmp = NULL;
        return -1;
    }
    cv_free(dir);
    snprintf(*tmp, plen + 16, "%s.tmp-XXXXXX", path);
    fd = mkstemp(*tmp);
    if (fd >= 0)
        cv_guard_temp_add(*tmp); /* a signal handler removes it */
    if (fd < 0) {
        io_error(err, path, errno);
        cv_free(*tmp);
        *tmp = NULL;
    }
    return fd;
}

int cv_file_tmp_commit(const char *path, char *tmp, int fd, int failed, cv_error *err)
{
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644;
    int e = failed;
    if (fd >= 0) {
        if (!e && fsync(fd) != 0)
            e = errno;
        if (close(fd) != 0 && !e)
            e = errno;
    }
    if (!e && chmod(tmp, mode) != 0)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e)
        unlink(tmp);
    cv_guard_temp_forget(tmp);
    if (e) {
        cv_free(tmp);
        return io_error(err, path, e);
    }
    cv_guard_note_output(path);
    cv_free(tmp);
    return 0;
}

int cv_file_write_atomic(const char *path, const void *buf, size_t len, cv_error *err)
{
    char *tmp;
    const char *p = buf;
    int fd = cv_file_tmp_open(path, &tmp, err), e = 0;
    if (fd < 0)
        return err ? err->code : CV_ERR_IO;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            e = w < 0 ? errno : EIO;
            break;
        }
        p += w;
        len -= (size_t)w;
    }
    return cv_file_tmp_commit(path, tmp, fd, e, err);
}
