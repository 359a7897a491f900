/* cvkit customer summary streamed from a CSV file: first the fast path for plain files of
   int ids, ISO dates and decimal amounts (summary_fast.c); when it gives up, cv_csv_stream
   batches fed to a new summarizer. Memory follows the customers, not the rows. With integer
   customer ids the folding runs in a second thread on copies of the batches while the reader parses
   the next ones (a two-stage pipeline; in the callback when cv_threads() is 1); with text ids it
   runs in the reader's callback, since the batch dictionary keeps growing under the reader.
 */
#include "cvkit/progress.h"
#include "cvkit/summary.h"
#include "cvkit/threads.h"

#include <pthread.h>
#include <string.h>

#include "summary_int.h"

#define SC_DEPTH 3 /* batches waiting for the folding thread */

typedef struct sc_ctx {
    cv_summarizer *s;
    const cv_summary_options *opt;
    int mode; /* 0 undecided, 1 in the callback, 2 pipelined */
    /* the pipeline */
    pthread_t th;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    cv_table *q[SC_DEPTH];
    int head, count, done;
    int busy;     /* the folding thread is feeding a batch */
    int failed;   /* the engine's error code, kept in err (0: none) */
    cv_error err; /* the engine's own record (the reader's is not handed on) */
} sc_ctx;

/* A copy of column `name` of b (numbers, dates, ints: flat copies). NULL when b lacks it
   or is out of memory. */
static cv_column *sc_copy_col(const cv_table *b, const char *name)
{
    int j = cv_table_find(b, name);
    if (j < 0 || b->cols[j]->type == CV_STRING)
        return NULL;
    const cv_column *src = b->cols[j];
    cv_column *c = cv_column_new(name, src->type, b->nrows > 0 ? b->nrows : 1);
    if (!c)
        return NULL;
    cv_column_copy_kind(c, src);
    memcpy(c->data, src->data, (size_t)b->nrows * cv_type_size(src->type));
    c->n = b->nrows;
    if (src->valid)
        for (int64_t i = 0; i < b->nrows; i++)
            if (!cv_column_is_valid(src, i) && cv_column_set_missing(c, i) != 0) {
                cv_column_unref(c);
                return NULL;
            }
    return c;
}

/* A table of copies of the columns the summary reads; NULL when one is missing (the
   caller then feeds b itself, to get the engine's message) or out of memory. */
static cv_table *sc_copy(const sc_ctx *ctx, const cv_table *b)
{
    const char *names[4] = {ctx->opt->customer, ctx->opt->date, ctx->opt->amount,
                            ctx->opt->cost ? ctx->opt->cost : ctx->opt->margin};
    cv_table *t = cv_table_new();
    for (int k = 0; k < 4 && t; k++) {
        if (!names[k])
            continue;
        cv_column *c = sc_copy_col(b, names[k]);
        if (!c || cv_table_add(t, c, NULL) != 0) {
            cv_table_free(t);
            t = NULL;
        }
        cv_column_unref(c);
    }
    return t;
}

/* The folding thread: feeds queued batches in order until the reader is done. After a
   failure it still empties the queue, so the reader never waits forever. */
static void *sc_worker(void *arg)
{
    sc_ctx *ctx = arg;
    for (;;) {
        pthread_mutex_lock(&ctx->mu);
        while (ctx->count == 0 && !ctx->done)
            pthread_cond_wait(&ctx->cv, &ctx->mu);
        if (ctx->count == 0) {
            pthread_mutex_unlock(&ctx->mu);
            return NULL;
        }
        cv_table *t = ctx->q[ctx->head];
        ctx->head = (ctx->head + 1) % SC_DEPTH;
        ctx->count--;
        int failed = ctx->failed;
        ctx->busy = 1;
        pthread_cond_broadcast(&ctx->cv);
        pthread_mutex_unlock(&ctx->mu);
        int rc = failed ? 0 : cv_summarizer_feed(ctx->s, t, &ctx->err);
        cv_table_free(t);
        pthread_mutex_lock(&ctx->mu);
        ctx->busy = 0;
        if (rc)
            ctx->failed = rc;
        pthread_cond_broadcast(&ctx->cv);
        pthread_mutex_unlock(&ctx->mu);
    }
}

static int sc_batch(void *ud, const cv_table *batch, cv_error *err)
{
    sc_ctx *ctx = ud;
    (void)err;
    if (ctx->mode == 0 && batch->nrows > 0) {
        int j = cv_table_find(batch, ctx->opt->customer);
        ctx->mode = j >= 0 && batch->cols[j]->type == CV_INT64 && ctx->started ? 2 : 1;
    }
    cv_table *copy = ctx->mode == 2 ? sc_copy(ctx, batch) : NULL;
    if (!copy) { /* in the callback: text ids, the first rows, or a column missing */
        pthread_mutex_lock(&ctx->mu);
        while ((ctx->count > 0 || ctx->busy) && !ctx->failed) /* the queue first, in order */
            pthread_cond_wait(&ctx->cv, &ctx->mu);
        int failed = ctx->failed;
        pthread_mutex_unlock(&ctx->mu);
        if (failed)
            return failed;
        int rc = cv_summarizer_feed(ctx->s, batch, &ctx->err);
        pthread_mutex_lock(&ctx->mu);
        ctx->failed = rc;
        pthread_mutex_unlock(&ctx->mu);
        return rc;
    }
    pthread_mutex_lock(&ctx->mu);
    while (ctx->count == SC_DEPTH && !ctx->failed)
        pthread_cond_wait(&ctx->cv, &ctx->mu);
    int failed = ctx->failed;
    if (!failed) {
        ctx->q[(ctx->head + ctx->count) % SC_DEPTH] = copy;
        ctx->count++;
        pthread_cond_broadcast(&ctx->cv);
    }
    pthread_mutex_unlock(&ctx->mu);
    if (failed)
        cv_table_free(copy);
    return failed;
}

/* One pass over the file; 0 or an error code with err set. */
static int sc_pass(const char *path, const cv_csv_options *csv_opt, sc_ctx *ctx, cv_error *err)
{
    ctx->failed = 0;
    ctx->done = 0;
    ctx->mode = 0;
    ctx->started = cv_threads() > 1 && pthread_create(&ctx->th, NULL, sc_worker, ctx) == 0;
    int rc = cv_csv_stream(path, csv_opt, CV_SUMMARY_BATCH_ROWS, sc_batch, ctx, NULL, err);
    pthread_mutex_lock(&ctx->mu);
    ctx->done = 1;
    pthread_cond_broadcast(&ctx->cv);
    pthread_mutex_unlock(&ctx->mu);
    if (ctx->started)
        pthread_join(ctx->th, NULL);
    ctx->started = 0;
    if (ctx->failed) { /* the engine's error, whether or not the reader saw it */
        if (err)
            *err = ctx->err;
        return ctx->failed;
    }
    return rc;
}

cv_table *cv_summary_csv(const char *path, const cv_csv_options *csv_opt,
                         const cv_summary_options *opt, cv_summary_report *rep, cv_error *err)
{
    cv_summary_report dummy;
    cv_csv_options defaults;
    memset(&defaults, 0, sizeof defaults);
    defaults.header = -1;
    if (!csv_opt)
        csv_opt = &defaults;
    sc_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.opt = opt;
    ctx.s = cv_summarizer_new(opt, rep ? rep : &dummy, path, err);
    if (!ctx.s)
        return NULL;
    pthread_mutex_init(&ctx.mu, NULL);
    pthread_cond_init(&ctx.cv, NULL);
    cv_table *out = NULL;
    cv_progress prog; /* the label of the reads inside, which count the bytes */
    cv_progress_begin(&prog, "summary", CV_PROGRESS_BYTES, 0);
    int rc = cv_summary_csv_fast(path, csv_opt, opt, ctx.s, err);
    if (rc < 0) { /* not for the fast path: the general way, from scratch */
        cv_summarizer_free(ctx.s);
        ctx.s = cv_summarizer_new(opt, rep ? rep : &dummy, path, err);
        rc = ctx.s ? sc_pass(path, csv_opt, &ctx, err) : CV_ERR_NOMEM;
    }
    if (rc == 0 && (!cv_summarizer_needs_pass2(ctx.s) || (cv_summarizer_pass2(ctx.s, err) == 0 &&
                                                          sc_pass(path, csv_opt, &ctx, err) == 0)))
        out = cv_summarizer_finish(ctx.s, err);
    cv_progress_end(&prog, out != NULL);
    pthread_cond_destroy(&ctx.cv);
    pthread_mutex_destroy(&ctx.mu);
    cv_summarizer_free(ctx.s);
    return out;
}
