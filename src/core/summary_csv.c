/* cvkit customer summary streamed from a CSV file: cv_csv_stream batches fed to the
   summary engine, so memory follows the customers, not the rows. */
#include "cvkit/summary.h"

#include <string.h>

#include "summary_int.h"

/* What the batch callback needs: the engine and a place for its error (kept here rather
   than trusting the reader to hand the caller's record through). */
typedef struct sc_ctx {
    cv_summarizer *s;
    int failed;
    cv_error err;
} sc_ctx;

static int sc_batch(void *ud, const cv_table *batch, cv_error *err)
{
    sc_ctx *ctx = ud;
    (void)err;
    int rc = cv_summarizer_feed(ctx->s, batch, &ctx->err);
    ctx->failed = rc != 0;
    return rc;
}

/* One pass over the file; 0 or an error code with err set. */
static int sc_pass(const char *path, const cv_csv_options *csv_opt, sc_ctx *ctx,
                   cv_error *err)
{
    enum { BATCH_ROWS = 1 << 16 };
    ctx->failed = 0;
    int rc = cv_csv_stream(path, csv_opt, BATCH_ROWS, sc_batch, ctx, NULL, err);
    if (rc != 0 && ctx->failed && err)
        *err = ctx->err;
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
    ctx.s = cv_summarizer_new(opt, rep ? rep : &dummy, path, err);
    if (!ctx.s)
        return NULL;
    cv_table *out = NULL;
    if (sc_pass(path, csv_opt, &ctx, err) == 0 &&
        (!cv_summarizer_needs_pass2(ctx.s) ||
         (cv_summarizer_pass2(ctx.s, err) == 0 && sc_pass(path, csv_opt, &ctx, err) == 0)))
        out = cv_summarizer_finish(ctx.s, err);
    cv_summarizer_free(ctx.s);
    return out;
}
