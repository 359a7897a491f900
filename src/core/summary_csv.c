/* cvkit customer summary streamed from a CSV file: cv_csv_stream batches fed to the
   summary engine, so memory follows the customers, not the rows. */
#include "cvkit/summary.h"

#include <string.h>

#include "summary_int.h"

static int sc_batch(void *ud, const cv_table *batch, cv_error *err)
{
    return cv_summarizer_feed(ud, batch, err);
}

cv_table *cv_summary_csv(const char *path, const cv_csv_options *csv_opt,
                         const cv_summary_options *opt, cv_summary_report *rep, cv_error *err)
{
    enum { BATCH_ROWS = 1 << 16 };
    cv_summary_report dummy;
    cv_csv_options defaults;
    memset(&defaults, 0, sizeof defaults);
    defaults.header = -1;
    if (!csv_opt)
        csv_opt = &defaults;
    cv_summarizer *s = cv_summarizer_new(opt, rep ? rep : &dummy, path, err);
    if (!s)
        return NULL;
    cv_table *out = NULL;
    if (cv_csv_stream(path, csv_opt, BATCH_ROWS, sc_batch, s, NULL, err) == 0 &&
        (!cv_summarizer_needs_pass2(s) ||
         (cv_summarizer_pass2(s, err) == 0 &&
          cv_csv_stream(path, csv_opt, BATCH_ROWS, sc_batch, s, NULL, err) == 0)))
        out = cv_summarizer_finish(s, err);
    cv_summarizer_free(s);
    return out;
}
