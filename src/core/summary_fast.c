/* cvkit customer summary, the fast path of cv_summary_csv: a plain comma-separated file
   of exactly the customer, date and amount columns (in any order) with integer ids, ISO
   dates and plain decimal amounts is parsed by a reader that knows those three types
   and nothing else, straight into the engine's batches (no field store, no inference,
   no copies), while a second thread folds the previous batches (summary.c).
   Anything else it meets (another column, a quote, a sign, an empty field, a text id, a
   leading zero, a date it does not read, options it does not follow, ...) makes it give
   up, and cv_summary_csv then reads the file the general way (cv_csv_stream) with a new
   summarizer. So the result, the report and every message are those of the general way
   on every file: the fast path only accepts what the general reader would read to the
   same values and types (types come from the first CV_SUMMARY_BATCH_ROWS rows there;
   batches here have the same size, so the engine sees the same rows in the same chunks). */
#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/progress.h"
#include "cvkit/threads.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quick_parse.h"
#include "summary_int.h"

#define SF_BLOCK ((size_t)4 << 20) /* bytes read at once */
#define SF_NBATCH 4                /* batches in flight between the parser and the fold */
#define SF_GIVE_UP 1               /* sf_parse: not a file for the fast path */

/* The columns, as they come in a row. */
enum { SF_ID, SF_DATE, SF_AMT };

/* The last date read, as its bytes: rows sorted by date repeat it. */
typedef struct sf_last_date {
    uint64_t head; /* bytes 0..7 */
    uint16_t tail; /* bytes 8..9 */
    int32_t days;  /* its value; head 0 (no date has it): none yet */
} sf_last_date;

typedef struct sf_ctx {
    cv_summarizer *s;
    cv_table *b[SF_NBATCH]; /* batch k of the file is b[k % SF_NBATCH] */
    int kind[3];            /* what the file's column j holds (SF_ID, ...) */
    sf_last_date last;      /* the date parser's memory */
    int amount_infer;       /* 1: the amount's type is inferred from the first batch */
    int decimal_ok;         /* 0 once amounts are known to be ints (a decimal: give up) */
    int seen_decimal;       /* a decimal amount was in the first batch */
    /* the pipeline: batches filled and folded so far */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t filled, folded;
    int done;     /* the parser will fill no more */
    int stop;     /* the parser gave up: fold no more */
    int failed;   /* the fold's error code (0: none), its message in err */
    cv_error err; /* the fold's own record */
} sf_ctx;

/* ---- Options and the header ------------------------------------------------------------- */

/* 1 when name holds "date" in any case (the general reader may read 8-digit numbers of
   such a column as dates): such files are left to it. */
static int sf_says_date(const char *name)
{
    for (const char *p = name; *p; p++)
        if (((p[0] | 32) == 'd') && ((p[1] | 32) == 'a') && ((p[2] | 32) == 't') &&
            ((p[3] | 32) == 'e'))
            return 1;
    return 0;
}

/* 1 when the options let the fast path read the file as the general reader would. */
static int sf_options_ok(const cv_csv_options *co, const cv_summary_options *o, sf_ctx *ctx)
{
    if ((co->header != 1 && co->header != -1) || (co->delim != 0 && co->delim != ',') ||
        co->names || (co->na && co->nna > 0) || co->date_order != CV_DATE_ISO ||
        (co->encoding != CV_ENC_AUTO && co->encoding != CV_ENC_UTF8) || co->decimal_comma == 1 ||
        (co->thousands != 0 && co->thousands != ',' && co->thousands != 'n') || co->sheet)
        return 0;
    if (o->cost || o->margin || sf_says_date(o->customer) || sf_says_date(o->amount))
        return 0;
    for (int k = 0; k < co->ntypes; k++) {
        const char *n = co->types[k].name;
        cv_type t = co->types[k].type;
        if (!n)
            return 0;
        if (strcmp(n, o->customer) == 0) {
            if (t != CV_INT64)
                return 0;
        } else if (strcmp(n, o->date) == 0) {
            if (t != CV_DATE)
                return 0;
        } else if (strcmp(n, o->amount) == 0) {
            if (t != CV_INT64 && t != CV_FLOAT64)
                return 0;
            ctx->amount_infer = 0;
            ctx->decimal_ok = t == CV_FLOAT64;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Reads the header line p[0..len) (without its line end): exactly the three columns,
   plain names. 0, or SF_GIVE_UP. */
static int sf_header(const char *p, size_t len, const cv_summary_options *o, sf_ctx *ctx)
{
    static const char *const words[] = {"na", "null", "true", "false", "yes", "no"};
    const char *want[3] = {o->customer, o->date, o->amount};
    int seen = 0, j = 0;
    size_t a = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p[i] != ',') {
            char c = p[i];
            int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                     (i > a && ((c >= '0' && c <= '9') || c == '.'));
            if (!ok)
                return SF_GIVE_UP;
            continue;
        }
        size_t n = i - a;
        if (n == 0 || j == 3)
            return SF_GIVE_UP;
        for (int w = 0; w < 6; w++)
            if (strlen(words[w]) == n && strncasecmp(words[w], p + a, n) == 0)
                return SF_GIVE_UP;
        int k = 0;
        while (k < 3 && !(strlen(want[k]) == n && memcmp(want[k], p + a, n) == 0))
            k++;
        if (k == 3 || (seen & (1 << k)))
            return SF_GIVE_UP;
        seen |= 1 << k;
        ctx->kind[j++] = k;
        a = i + 1;
    }
    return seen == 7 ? 0 : SF_GIVE_UP;
}

/* ---- Batches and the fold --------------------------------------------------------------- */

static cv_table *sf_batch_new(const cv_summary_options *o)
{
    static const cv_type types[3] = {CV_INT64, CV_DATE, CV_FLOAT64};
    const char *names[3] = {o->customer, o->date, o->amount};
    cv_table *t = cv_table_new();
    for (int k = 0; k < 3 && t; k++) {
        cv_column *c = cv_column_new(names[k], types[k], CV_SUMMARY_BATCH_ROWS);
        if (!c || cv_table_add(t, c, NULL) != 0) {
            cv_table_free(t);
            t = NULL;
        }
        cv_column_unref(c);
    }
    return t;
}

static void sf_set_rows(cv_table *t, int64_t n)
{
    for (int k = 0; k < 3; k++)
        t->cols[k]->n = n;
    t->nrows = n;
}

/* The fold: batches in file order, as they are filled. */
static void *sf_worker(void *arg)
{
    sf_ctx *ctx = arg;
    for (;;) {
        pthread_mutex_lock(&ctx->mu);
        while (ctx->folded == ctx->filled && !ctx->done)
            pthread_cond_wait(&ctx->cv, &ctx->mu);
        if (ctx->folded == ctx->filled || ctx->failed || ctx->stop) {
            pthread_mutex_unlock(&ctx->mu);
            return NULL;
        }
        cv_table *t = ctx->b[ctx->folded % SF_NBATCH];
        pthread_mutex_unlock(&ctx->mu);
        int rc = cv_summarizer_feed(ctx->s, t, &ctx->err);
        pthread_mutex_lock(&ctx->mu);
        ctx->folded++;
        if (rc)
            ctx->failed = rc;
        pthread_cond_broadcast(&ctx->cv);
        pthread_mutex_unlock(&ctx->mu);
        if (rc)
            return NULL;
    }
}

/* Hands the filled batch on (threaded) or folds it (not); then waits for a free batch.
   0 or the fold's error code. */
static int sf_hand_over(sf_ctx *ctx, int threaded)
{
    if (!threaded) {
        int rc = cv_summarizer_feed(ctx->s, ctx->b[ctx->filled % SF_NBATCH], &ctx->err);
        ctx->filled++;
        ctx->folded++;
        return ctx->failed = rc;
    }
    pthread_mutex_lock(&ctx->mu);
    ctx->filled++;
    pthread_cond_broadcast(&ctx->cv);
    while (ctx->filled - ctx->folded == SF_NBATCH && !ctx->failed)
        pthread_cond_wait(&ctx->cv, &ctx->mu);
    int rc = ctx->failed;
    pthread_mutex_unlock(&ctx->mu);
    return rc;
}

/* ---- Parsing rows ------------------------------------------------------------------------ */

/* The field parsers (the plain forms of quick_parse.h): each reads the field at p (the rows
   end with '\n', so the digit loops stop) and returns the character after it, or NULL to
   give up. */

/* An integer id: 1 to 18 digits, no sign, no leading zero. */
static inline __attribute__((always_inline)) const unsigned char *sf_id(const unsigned char *p,
                                                                        int64_t *out)
{
    uint64_t v;
    int nd, frac;
    const char *q = cv_quick_digits((const char *)p, &v, &nd, &frac);
    if (!q || frac || nd > 18)
        return NULL;
    *out = (int64_t)v;
    return (const unsigned char *)q;
}

/* A date YYYY-MM-DD, years 1901 to 2099; e: the rows' end. A date equal to the previous
   row's is not parsed again. */
static inline __attribute__((always_inline)) const unsigned char *
sf_date(const unsigned char *q, const unsigned char *e, sf_last_date *last, int32_t *out)
{
    if (e - q < 11) /* q[0..10] are then all in the rows */
        return NULL;
    uint64_t head;
    uint16_t tail;
    memcpy(&head, q, 8);
    memcpy(&tail, q + 8, 2);
    if (head == last->head && tail == last->tail) {
        *out = last->days;
        return q + 10;
    }
    if (cv_quick_iso_date(q, out) != 0)
        return NULL;
    last->head = head;
    last->tail = tail;
    last->days = *out;
    return q + 10;
}

/* An amount: digits, or digits '.' digits, 15 digits at most, no sign, no leading zero
   before another digit; *dec set when it has a point. The value is cv_parse_float's. */
static inline __attribute__((always_inline)) const unsigned char *sf_amount(const unsigned char *p,
                                                                            double *out, int *dec)
{
    uint64_t v;
    int nd, frac;
    const char *q = cv_quick_digits((const char *)p, &v, &nd, &frac);
    if (!q || nd > 15 || cv_quick_decimal(v, frac, out) != 0)
        return NULL;
    if (frac)
        *dec = 1;
    return (const unsigned char *)q;
}

/* The end of a row after its last field: "\n" or "\r\n"; the next row, or NULL. */
static inline const unsigned char *sf_eol(const unsigned char *q)
{
    if (*q == '\r')
        q++;
    return *q == '\n' ? q + 1 : NULL;
}

/* Parses the rows of p[0..e), which ends with '\n', into batches from row `row` on; hands
   full batches over. Returns 0, SF_GIVE_UP, or the fold's error code (negated). */
static int sf_rows(sf_ctx *ctx, const char *p0, const char *e0, int64_t *row, int threaded)
{
    const unsigned char *p = (const unsigned char *)p0, *e = (const unsigned char *)e0;
    const int plain = ctx->kind[0] == SF_ID && ctx->kind[1] == SF_DATE && ctx->kind[2] == SF_AMT;
    int64_t r = *row;
    sf_last_date last = ctx->last;
    int rc = 0;
    for (;;) {
        cv_table *t = ctx->b[ctx->filled % SF_NBATCH];
        int64_t *ids = t->cols[SF_ID]->data;
        int32_t *days = t->cols[SF_DATE]->data;
        double *amts = t->cols[SF_AMT]->data;
        int64_t n = r % CV_SUMMARY_BATCH_ROWS, n0 = n;
        int dec = 0; /* a decimal amount among these rows */
        if (plain) {
            while (p < e && n < CV_SUMMARY_BATCH_ROWS) {
                const unsigned char *q = sf_id(p, &ids[n]);
                if (!q || *q != ',' || !(q = sf_date(q + 1, e, &last, &days[n])) || *q != ',' ||
                    !(q = sf_amount(q + 1, &amts[n], &dec)) || !(q = sf_eol(q)))
                    goto give_up;
                p = q;
                n++;
            }
        } else {
            while (p < e && n < CV_SUMMARY_BATCH_ROWS) {
                const unsigned char *q = p;
                for (int j = 0; j < 3 && q; j++) {
                    q = ctx->kind[j] == SF_ID     ? sf_id(q, &ids[n])
                        : ctx->kind[j] == SF_DATE ? sf_date(q, e, &last, &days[n])
                                                  : sf_amount(q, &amts[n], &dec);
                    if (q)
                        q = j < 2 ? (*q == ',' ? q + 1 : NULL) : sf_eol(q);
                }
                if (!q)
                    goto give_up;
                p = q;
                n++;
            }
        }
        if (dec) { /* the general reader's type for the amounts: the first batch's */
            if (!ctx->decimal_ok)
                goto give_up; /* ints there: a decimal is an error */
            if (r < CV_SUMMARY_BATCH_ROWS && ctx->amount_infer)
                ctx->seen_decimal = 1;
        }
        r += n - n0;
        if (n == CV_SUMMARY_BATCH_ROWS) {
            if (r == CV_SUMMARY_BATCH_ROWS && ctx->amount_infer) /* the type is now known */
                ctx->decimal_ok = ctx->seen_decimal;
            sf_set_rows(t, n);
            if ((rc = sf_hand_over(ctx, threaded)) != 0) {
                rc = -rc;
                break;
            }
        }
        if (p >= e)
            break;
    }
    ctx->last = last;
    *row = r;
    return rc;
give_up:
    return SF_GIVE_UP;
}

/* ---- The pass -------------------------------------------------------------------------- */

/* Reads the file through, filling and handing over batches. 0, SF_GIVE_UP, or minus an
   error code with err set. */
static int sf_read(int fd, uint64_t size, const cv_summary_options *o, sf_ctx *ctx, int threaded,
                   cv_error *err)
{
    char *buf = cv_malloc(SF_BLOCK + 2);
    if (!buf) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return -CV_ERR_NOMEM;
    }
    cv_progress prog;
    cv_progress_begin(&prog, "read", CV_PROGRESS_BYTES, size);
    size_t have = 0; /* bytes kept from the last block: an unfinished row */
    uint64_t got = 0;
    int64_t row = 0;
    int header = 0, eof = 0, rc = 0;
    while (rc == 0 && !eof) {
        ssize_t k = read(fd, buf + have, SF_BLOCK - have);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            rc = SF_GIVE_UP; /* the general reader says what went wrong */
            break;
        }
        got += (uint64_t)k;
        size_t len = have + (size_t)k;
        eof = k == 0;
        if (eof) {
            if (len == 0)
                break;
            if (buf[len - 1] != '\n')
                buf[len++] = '\n'; /* the last row without a line end */
        }
        char *end = memrchr(buf, '\n', len);
        if (!end) {
            rc = SF_GIVE_UP; /* a row longer than a block: not one of ours */
            break;
        }
        end++;
        if (memchr(buf, '"', (size_t)(end - buf))) {
            rc = SF_GIVE_UP;
            break;
        }
        const char *p = buf;
        if (!header) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t hl = (size_t)(nl - p);
            if (hl > 0 && p[hl - 1] == '\r')
                hl--;
            if ((rc = sf_header(p, hl, o, ctx)) != 0)
                break;
            header = 1;
            p = nl + 1;
        }
        buf[len] = '\0'; /* a stop for the digit loops past the last row end (never read) */
        if (p < end)
            rc = sf_rows(ctx, p, end, &row, threaded);
        have = len - (size_t)(end - buf);
        memmove(buf, end, have);
        cv_progress_tick(&prog, got);
    }
    if (rc == 0 && (row == 0 || !header))
        rc = SF_GIVE_UP;                          /* no rows: the general reader's business */
    if (rc == 0 && row % CV_SUMMARY_BATCH_ROWS) { /* the last, partial batch */
        sf_set_rows(ctx->b[ctx->filled % SF_NBATCH], row % CV_SUMMARY_BATCH_ROWS);
        int f = sf_hand_over(ctx, threaded);
        if (f)
            rc = -f;
    }
    cv_progress_end(&prog, rc == 0);
    cv_free(buf);
    return rc;
}

int cv_summary_csv_fast(const char *path, const cv_csv_options *csv_opt,
                        const cv_summary_options *opt, cv_summarizer *s, cv_error *err)
{
    sf_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.s = s;
    ctx.amount_infer = 1;
    ctx.decimal_ok = 1;
    if (!opt || !opt->customer || !opt->date || !opt->amount || !sf_options_ok(csv_opt, opt, &ctx))
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    int rc = 0;
    for (int k = 0; k < SF_NBATCH && rc == 0; k++)
        if (!(ctx.b[k] = sf_batch_new(opt)))
            rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory while summarizing transactions");
    pthread_t th;
    int threaded = 0;
    if (rc == 0) {
        pthread_mutex_init(&ctx.mu, NULL);
        pthread_cond_init(&ctx.cv, NULL);
        threaded = cv_threads() > 1 && pthread_create(&th, NULL, sf_worker, &ctx) == 0;
        int r = sf_read(fd, (uint64_t)st.st_size, opt, &ctx, threaded, err);
        if (threaded) {
            pthread_mutex_lock(&ctx.mu);
            ctx.done = 1;
            pthread_cond_broadcast(&ctx.cv);
            pthread_mutex_unlock(&ctx.mu);
            pthread_join(th, NULL);
        }
        pthread_cond_destroy(&ctx.cv);
        pthread_mutex_destroy(&ctx.mu);
        if (ctx.failed) { /* the fold's error comes first */
            if (err)
                *err = ctx.err;
            rc = ctx.failed;
        } else if (r == SF_GIVE_UP) {
            rc = -1;
        } else if (r < 0) {
            rc = -r;
        }
    }
    for (int k = 0; k < SF_NBATCH; k++)
        cv_table_free(ctx.b[k]);
    close(fd);
    return rc;
}
