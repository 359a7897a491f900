/* cv_error: formatting of the error record filled by core functions. */
#include "cvkit/error.h"

#include <stdarg.h>
#include <stdio.h>

int cv_error_set(cv_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        err->line = err->col = 0;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

int cv_error_at(cv_error *err, int code, const char *file, long line, long col, const char *fmt,
                ...)
{
    if (err) {
        va_list ap;
        size_t n = 0;
        err->code = code;
        err->line = line;
        err->col = col;
        err->msg[0] = '\0';
        if (file && *file)
            n = (size_t)snprintf(err->msg, sizeof err->msg, "%s:", file);
        if (line > 0 && n < sizeof err->msg)
            n += (size_t)snprintf(err->msg + n, sizeof err->msg - n, "%ld:", line);
        if (col > 0 && line > 0 && n < sizeof err->msg)
            n += (size_t)snprintf(err->msg + n, sizeof err->msg - n, "%ld:", col);
        if (n > 0 && n < sizeof err->msg)
            n += (size_t)snprintf(err->msg + n, sizeof err->msg - n, " ");
        if (n < sizeof err->msg) {
            va_start(ap, fmt);
            vsnprintf(err->msg + n, sizeof err->msg - n, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}
