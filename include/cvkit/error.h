/* cvkit error reporting: the one error record every core function fills on failure. */
#ifndef CVKIT_ERROR_H
#define CVKIT_ERROR_H

/* Error codes; also the exit codes of the cvkit program (see README, "Exit codes"). */
enum {
    CV_OK = 0,
    CV_ERR_USAGE = 2,  /* bad command line or bad argument to a function */
    CV_ERR_IO = 3,     /* missing file, directory given, read or write failure */
    CV_ERR_PARSE = 4,  /* malformed input: ragged row, bad quote, bad value, bad encoding */
    CV_ERR_TYPE = 5,   /* a column of the wrong type, or a value that does not fit one */
    CV_ERR_NOMEM = 6,  /* out of memory */
    CV_ERR_DOMAIN = 7, /* numbers outside a formula's domain (division by zero retained, ...) */
    CV_ERR_SCRIPT = 8, /* a Lua script failed */
    CV_ERR_LIMIT = 9   /* a time or memory limit was exceeded */
};

/* Filled by a failing core function. Messages are lowercase, no trailing period, and
   carry their location when there is one: "tx.csv:14:3: expected a number in column
   'amount', found 'n/a'". line and col are 1-based; 0 means unknown. */
typedef struct cv_error {
    int code;
    long line, col;
    char msg[256];
} cv_error;

/* Sets err (if not NULL) to code with a printf-style message; returns code. */
int cv_error_set(cv_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Like cv_error_set, but prefixes the message with "file:line:col: " (parts that are
   0 or NULL are left out) and records line and col. */
int cv_error_at(cv_error *err, int code, const char *file, long line, long col, const char *fmt,
                ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#endif
