/* cvkit CSV reader: the entry points (cv_csv_read, cv_csv_read_buffer, cv_csv_stream).
   Opens the input and looks at what it holds (text, UTF-16, a workbook: book_xlsx.c, book_xls.c),
   sets up the read's options, and drives the passes (csv_sample.c, then csv_chunks.c)
   through their retries: invalid UTF-8 read again as GB18030 (the UTF-8 problem reported
   if that fails too), a column pinned to text or threads off read again. The jobs of the
   reader and their files are listed in csv_int.h. */
#include "cvkit/csv.h"
#include "cvkit/guard.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"
#include "cvkit/threads.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book_int.h"
#include "csv_int.h"

static const char *const default_na[] = {"NA", "NULL"};

static void cfg_free(rcfg *r)
{
    if (r->names)
        for (int j = 0; j < r->ncols; j++)
            cv_free(r->names[j]);
    cv_free(r->names);
    cv_free(r->types);
    cv_free(r->mask0);
    cv_free(r->fixed);
    cv_free(r->d8date);
    cv_free(r->ndec);
    cv_free(r->nalen);
    r->ndec = NULL;
    r->d8date = NULL;
    r->names = NULL;
    r->types = NULL;
    r->mask0 = NULL;
    r->fixed = NULL;
    r->nalen = NULL;
}

static int setup_na(reader *R, cv_error *err)
{
    rcfg *r = &R->r;
    const cv_csv_options *opt = R->opt;
    r->na = opt->na ? opt->na : default_na;
    r->nna = opt->na ? opt->nna : 2;
    r->nalen = cv_calloc((size_t)r->nna + 1, sizeof *r->nalen);
    if (!r->nalen)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    memset(r->na_first, 0, sizeof r->na_first);
    for (int k = 0; k < r->nna; k++) {
        r->nalen[k] = strlen(r->na[k]);
        r->na_first[(unsigned char)r->na[k][0]] = 1;
    }
    return 0;
}

/* The main pass until no column is pinned any more (each go pins one, or turns threads
   off): 0 with *out set, an error code, or 0 with *retry RETRY_GB18030 (the text is not
   UTF-8 under encoding auto, *out not set). */
static int main_settled(reader *R, cv_table **out, read_retry *retry, cv_error *err)
{
    for (int tries = 0;; tries++) {
        if (tries > R->r.ncols + 2) /* each go pins a column: cannot happen */
            return cv_error_at(err, CV_ERR_PARSE, R->r.name, 0, 0,
                               "the column types do not settle");
        int rc = cv_rd_main_pass(R, R->nthreads, out, retry, err);
        if (rc != 0 || *retry != RETRY_PINNED)
            return rc;
    }
}

/* Reads raw bytes [0, size) of fd or mem into a table (or batches). */
static int read_any(const char *name, int fd, const char *mem, uint64_t size,
                    const cv_csv_options *opt, int64_t batch_rows, cv_csv_batch_fn fn, void *ud,
                    cv_csv_report *rep, cv_table **out, cv_error *err)
{
    cv_csv_options defaults;
    cv_csv_options_init(&defaults);
    reader R;
    memset(&R, 0, sizeof R);
    R.opt = opt ? opt : &defaults;
    R.rep = rep;
    opt = R.opt;
    rcfg *r = &R.r;
    r->name = name;
    r->fd = fd;
    r->mem = mem;
    r->end = size;
    r->order = opt->date_order;
    r->fdec = opt->decimal_comma > 0 ? ',' : opt->decimal_comma < 0 ? '.' : 0;
    if (opt->thousands == ',' || opt->thousands == '.') {
        char want = opt->thousands == ',' ? '.' : ',';
        if (r->fdec && r->fdec != want)
            return cv_error_set(err, CV_ERR_USAGE,
                                "thousands = \"%c\" with decimal_comma = %s: the two marks "
                                "are the same",
                                opt->thousands, r->fdec == ',' ? "true" : "false");
        r->fdec = want;
    }
    if (opt->thousands == 'n') {
        r->thouA[0] = r->thouB[0] = '\0';
    } else if (opt->thousands) {
        r->thouA[0] = r->thouB[0] = opt->thousands;
    } else {
        memcpy(r->thouA, ", '", 4);
        memcpy(r->thouB, ". '", 4);
    }
    r->skip_bad = opt->skip_bad_rows;
    r->bad_missing = opt->bad_as_missing;
    r->lenient = opt->lenient_quotes;
    r->batch_rows = batch_rows;
    r->fn = fn;
    r->ud = ud;
    if (setup_na(&R, err))
        return err ? err->code : CV_ERR_NOMEM;
    if (size == 0) {
        cfg_free(r);
        return cv_error_at(err, CV_ERR_PARSE, name, 0, 0,
                           "expected a header or data rows, found an empty file");
    }
    /* a UTF-8 byte order mark */
    unsigned char bom[3] = {0, 0, 0};
    if (size >= 3) {
        if (fd >= 0) {
            if (pread(fd, bom, 3, 0) != 3)
                memset(bom, 0, 3);
        } else {
            memcpy(bom, mem, 3);
        }
    }
    int has_bom = bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF;
    r->enc = opt->encoding == CV_ENC_GB18030 && !has_bom ? CV_ENC_GB18030 : CV_ENC_UTF8;
    r->begin = has_bom && r->enc == CV_ENC_UTF8 ? 3 : 0;
    R.nthreads = opt->threads > 0 ? opt->threads : cv_threads();
    if (R.nthreads > CV_THREADS_MAX)
        R.nthreads = CV_THREADS_MAX;
    /* threads pay off on large inputs; asked for explicitly, they are used on any input
       of a few lines (so tests can check that chunked reading is exact) */
    if (batch_rows > 0 || size - r->begin < (opt->threads > 1 ? 256u : 8u << 20))
        R.nthreads = 1;
    /* the sample pass; on invalid UTF-8 (auto) again as GB18030; if that fails too,
       the UTF-8 problem is the one reported */
    r->delim = opt->delim;
    read_retry retry;
    int rc = cv_rd_sample_pass(&R, batch_rows, &retry, err);
    if (retry == RETRY_GB18030) {
        cv_rd_precount_end(&R, 0);
        cfg_free(r);
        if (setup_na(&R, err))
            return err ? err->code : CV_ERR_NOMEM;
        r->enc = CV_ENC_GB18030;
        r->delim = opt->delim;
        rc = cv_rd_sample_pass(&R, batch_rows, &retry, err); /* cannot ask for GB18030 */
        if (rc != 0) {
            cv_csv_options utf8 = *opt;
            utf8.encoding = CV_ENC_UTF8;
            cfg_free(r);
            if (setup_na(&R, err))
                return err ? err->code : CV_ERR_NOMEM;
            r->enc = CV_ENC_UTF8;
            r->delim = opt->delim;
            R.opt = &utf8;
            rc = cv_rd_sample_pass(&R, batch_rows, &retry, err);
            R.opt = opt;
            if (rc == 0)
                rc = cv_error_at(err, CV_ERR_PARSE, name, 0, 0, "invalid text");
        }
    }
    if (r->enc == CV_ENC_GB18030)
        R.nthreads = 1;
    cv_progress_begin(&r->prog, "read", CV_PROGRESS_BYTES, size - r->begin);
    cv_table *t = NULL;
    if (rc == 0)
        rc = main_settled(&R, &t, &retry, err);
    if (rc == 0 && retry == RETRY_GB18030) { /* invalid UTF-8 past the sample: GB18030, */
        cv_encoding was = r->enc;            /* or the UTF-8 problem reported */
        r->enc = CV_ENC_GB18030;
        R.nthreads = 1;
        rc = main_settled(&R, &t, &retry, err); /* cannot ask for GB18030 */
        if (rc == CV_ERR_PARSE || rc == CV_ERR_TYPE) {
            cv_csv_options utf8 = *opt;
            utf8.encoding = CV_ENC_UTF8;
            r->enc = was;
            R.opt = &utf8;
            rc = main_settled(&R, &t, &retry, err);
            R.opt = opt;
            if (rc == 0) {
                cv_table_free(t);
                t = NULL;
                rc = cv_error_at(err, CV_ERR_PARSE, name, 0, 0, "invalid text");
            }
        }
    }
    if (rc == 0)
        *out = t;
    cv_progress_end(&r->prog, rc == 0);
    cv_rd_precount_end(&R, 0);
    cfg_free(r);
    return rc;
}

/* The whole of fd's size bytes in a new buffer; NULL on failure (err set). */
static char *slurp(const char *name, int fd, uint64_t size, cv_error *err)
{
    char *buf = size < SIZE_MAX ? cv_malloc((size_t)size + 1) : NULL;
    if (!buf) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory reading %s", name);
        return NULL;
    }
    uint64_t got = 0;
    while (got < size) {
        ssize_t r = pread(fd, buf + got, (size_t)(size - got), (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            cv_free(buf);
            cv_error_at(err, CV_ERR_IO, name, 0, 0, "read failed: %s",
                        r < 0 ? strerror(errno) : "the file got shorter");
            return NULL;
        }
        got += (uint64_t)r;
    }
    return buf;
}

/* Reads raw bytes [0, size) of fd or mem, whatever they hold: text goes to read_any as
   it is; UTF-16 is converted to UTF-8 first; a workbook's sheet is turned into CSV text
   (book_*.c) and its errors placed at their cells. */
static int read_input(const char *name, int fd, const char *mem, uint64_t size,
                      const cv_csv_options *opt, int64_t batch_rows, cv_csv_batch_fn fn, void *ud,
                      cv_csv_report *rep, cv_table **out, cv_error *err)
{
    unsigned char head[8] = {0};
    size_t hn = size < 8 ? (size_t)size : 8;
    if (fd >= 0) {
        if (pread(fd, head, hn, 0) != (ssize_t)hn)
            hn = 0;
    } else if (hn) {
        memcpy(head, mem, hn);
    }
    int kind = cv_input_kind(head, hn);
    if (kind == CV_KIND_TEXT)
        return read_any(name, fd, mem, size, opt, batch_rows, fn, ud, rep, out, err);
    cv_csv_options o;
    if (opt)
        o = *opt;
    else
        cv_csv_options_init(&o);
    int rc;
    if (kind == CV_KIND_UTF16LE || kind == CV_KIND_UTF16BE) {
        char *raw = fd >= 0 ? slurp(name, fd, size, err) : (char *)mem, *text = NULL;
        size_t n = 0;
        if (!raw)
            return err ? err->code : CV_ERR_NOMEM;
        rc = cv_utf16_to_utf8(name, (const unsigned char *)raw + 2, (size_t)size - 2,
                              kind == CV_KIND_UTF16BE, &text, &n, err);
        if (fd >= 0)
            cv_free(raw);
        if (rc)
            return rc;
        o.encoding = CV_ENC_UTF8;
        rc = read_any(name, -1, text, n, &o, batch_rows, fn, ud, rep, out, err);
        if (rc == 0 && rep)
            rep->encoding = kind == CV_KIND_UTF16BE ? CV_ENC_UTF16BE : CV_ENC_UTF16LE;
        cv_free(text);
        return rc;
    }
    cv_booktext bt;
    char dec = o.decimal_comma > 0 || o.thousands == '.' ? ',' : '.';
    if (kind == CV_KIND_XLSX)
        rc = cv_xlsx_to_csv(name, fd >= 0 ? NULL : mem, (size_t)size, &o, dec, &bt, err);
    else if (fd >= 0)
        rc = cv_xls_to_csv(name, &o, dec, &bt, err);
    else
        return cv_error_set(err, CV_ERR_USAGE, "%s: an .xls workbook is read from a file", name);
    if (rc)
        return rc;
    o.delim = ',';
    o.encoding = CV_ENC_UTF8;
    rc = read_any(bt.name, -1, bt.text, bt.len, &o, batch_rows, fn, ud, rep, out, err);
    if (rc)
        cv_booktext_place(&bt, err);
    cv_booktext_free(&bt);
    return rc;
}

static int open_input(const char *path, int *fd, uint64_t *size, cv_error *err)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s", strerror(errno));
        if (msg[0] >= 'A' && msg[0] <= 'Z')
            msg[0] = (char)(msg[0] - 'A' + 'a');
        return cv_error_at(err, CV_ERR_IO, path, 0, 0, "cannot open the file: %s", msg);
    }
    struct stat st;
    if (fstat(*fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        close(*fd);
        return cv_error_at(err, CV_ERR_IO, path, 0, 0, "expected a file, found a directory");
    }
    if (!S_ISREG(st.st_mode)) {
        close(*fd);
        return cv_error_at(err, CV_ERR_IO, path, 0, 0,
                           "expected a regular file, found a special file");
    }
    *size = (uint64_t)st.st_size;
    cv_guard_note_input(st.st_dev, st.st_ino); /* outputs may not replace it (guard.h) */
    return 0;
}

void cv_csv_options_init(cv_csv_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->header = -1;
}

cv_table *cv_csv_read(const char *path, const cv_csv_options *opt, cv_csv_report *rep,
                      cv_error *err)
{
    int fd;
    uint64_t size;
    if (open_input(path, &fd, &size, err) != 0)
        return NULL;
    cv_table *t = NULL;
    int rc = read_input(path, fd, NULL, size, opt, 0, NULL, NULL, rep, &t, err);
    close(fd);
    return rc == 0 ? t : NULL;
}

cv_table *cv_csv_read_buffer(const char *name, const char *data, size_t len,
                             const cv_csv_options *opt, cv_csv_report *rep, cv_error *err)
{
    cv_table *t = NULL;
    int rc = read_input(name ? name : "(buffer)", -1, data, len, opt, 0, NULL, NULL, rep, &t, err);
    return rc == 0 ? t : NULL;
}

int cv_csv_stream(const char *path, const cv_csv_options *opt, int64_t batch_rows,
                  cv_csv_batch_fn fn, void *ud, cv_csv_report *rep, cv_error *err)
{
    if (batch_rows <= 0 || !fn)
        return cv_error_set(err, CV_ERR_USAGE, "cv_csv_stream: batch_rows must be positive");
    int fd;
    uint64_t size;
    if (open_input(path, &fd, &size, err) != 0)
        return err ? err->code : CV_ERR_IO;
    cv_table *t = NULL;
    int rc = read_input(path, fd, NULL, size, opt, batch_rows, fn, ud, rep, &t, err);
    close(fd);
    cv_table_free(t);
    return rc;
}
