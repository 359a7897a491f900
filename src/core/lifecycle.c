/* Lifecycle: each customer's stage (exploration, development, stability, decline) and
   operational state (new, active, at risk, lapsed, reactivated) by the documented rules
   of cv_lifecycle (include/cvkit/segment.h, docs/segmentation.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seg_int.h"

static const char *const stage_default[4] = {"exploration", "development", "stability", "decline"};
static const char *const state_default[5] = {"new", "active", "at risk", "lapsed", "reactivated"};

enum { EXPLORATION, DEVELOPMENT, STABILITY, DECLINE };
enum { NEW, ACTIVE, AT_RISK, LAPSED, REACTIVATED };

/* The stage of one customer (inputs present). */
static int stage_of(double tenure, double recency, double recent, double previous, double p_alive,
                    double period, double p_min)
{
    if (tenure <= period)
        return EXPLORATION;
    if ((!isnan(p_alive) && p_alive < p_min) || recency > 2 * period || recent < previous)
        return DECLINE;
    if (recent > previous)
        return DEVELOPMENT;
    return STABILITY;
}

static int state_of(double tenure, double recent, double previous, double orders, double period)
{
    if (tenure <= period)
        return NEW;
    if (recent > 0 && previous == 0 && orders > recent)
        return REACTIVATED;
    if (recent > 0)
        return ACTIVE;
    if (previous > 0)
        return AT_RISK;
    return LAPSED;
}

/* A string column named name of labels[code[i]] (code -1: missing). */
static cv_column *labels_column(const char *name, const int8_t *code, int64_t n,
                                const char *const *labels, int nl)
{
    cv_column *c = cv_column_new(name, CV_STRING, n);
    int32_t ids[8];
    if (!c)
        return NULL;
    for (int k = 0; k < nl; k++)
        if ((ids[k] = cv_strdict_intern(c->dict, labels[k], strlen(labels[k]))) < 0)
            goto fail;
    for (int64_t i = 0; i < n; i++)
        if ((code[i] < 0 ? cv_column_push_missing(c) : cv_column_push_i32(c, ids[code[i]])) != 0)
            goto fail;
    return c;
fail:
    cv_column_unref(c);
    return NULL;
}

cv_table *cv_lifecycle(const cv_table *t, const cv_lifecycle_options *o, cv_error *err)
{
    const char *names[6] = {o->tenure, o->recency, o->recent, o->previous, o->orders, o->p_alive};
    double *x[6] = {0};
    int8_t *stage = NULL, *state = NULL;
    int64_t n = t->nrows;
    double p_min = o->p_alive_min > 0 ? o->p_alive_min : 0.5;
    cv_table *res = NULL, *mid = NULL;
    cv_column *c;

    if (!(o->period > 0)) {
        cv_error_set(err, CV_ERR_USAGE, "the lifecycle period must be > 0 days, got %g", o->period);
        return NULL;
    }
    for (int k = 0; k < 6; k++) {
        if (!names[k]) {
            if (k < 5) {
                cv_error_set(err, CV_ERR_USAGE, "lifecycle: a column name is missing");
                goto done;
            }
            continue;
        }
        if ((x[k] = cv_seg_column(t, names[k], err)) == NULL)
            goto done;
    }
    if ((stage = malloc((size_t)(n > 0 ? n : 1))) == NULL ||
        (state = malloc((size_t)(n > 0 ? n : 1))) == NULL) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        double tenure = x[0][i], rec = x[1][i], recent = x[2][i], prev = x[3][i], ord = x[4][i];
        double pa = x[5] ? x[5][i] : NAN;
        if (isnan(tenure) || isnan(rec) || isnan(recent) || isnan(prev) || isnan(ord)) {
            stage[i] = state[i] = -1;
            continue;
        }
        stage[i] = (int8_t)stage_of(tenure, rec, recent, prev, pa, o->period, p_min);
        state[i] = (int8_t)state_of(tenure, recent, prev, ord, o->period);
    }
    if ((c = labels_column("stage", stage, n, o->stage_names ? o->stage_names : stage_default, 4)) ==
        NULL) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((mid = cv_seg_with(t, c, err)) == NULL)
        goto done;
    if ((c = labels_column("state", state, n, o->state_names ? o->state_names : state_default, 5)) ==
        NULL) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    res = cv_seg_with(mid, c, err);
done:
    if (mid)
        cv_table_free(mid);
    for (int k = 0; k < 6; k++)
        free(x[k]);
    free(stage);
    free(state);
    return res;
}
