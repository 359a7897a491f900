/* Lifecycle: each customer's stage (exploration, development, stability, decline) and
   operational state (new, active, at risk, lapsed, reactivated) by the documented rules
   of cv_lifecycle (include/cvkit/segment.h, docs/segmentation.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seg_int.h"
#include "cvkit/mem.h"

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

/* An int column of v[0..n) (NaN: missing). */
static cv_column *int_column(const char *name, const double *v, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_INT64, n);
    for (int64_t i = 0; c && i < n; i++)
        if ((isnan(v[i]) ? cv_column_push_missing(c) : cv_column_push_int(c, (int64_t)v[i])) != 0) {
            cv_column_unref(c);
            return NULL;
        }
    return c;
}

cv_table *cv_lifecycle(const cv_table *t, const cv_lifecycle_options *o, cv_error *err)
{
    const char *names[6] = {o->tenure,     o->recency,    o->orders,
                            o->orders_mid, o->orders_old, o->p_alive};
    double *x[6] = {0}, *recent = NULL, *previous = NULL;
    int8_t *stage = NULL, *state = NULL;
    int64_t n = t->nrows;
    double p_min = o->p_alive_min > 0 ? o->p_alive_min : 0.5;
    cv_table *res = NULL, *cur = NULL;
    cv_column *cols[4] = {0};

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
    if ((stage = cv_malloc((size_t)(n > 0 ? n : 1))) == NULL ||
        (state = cv_malloc((size_t)(n > 0 ? n : 1))) == NULL ||
        (recent = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *recent)) == NULL ||
        (previous = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *previous)) == NULL)
        goto nomem;
    for (int64_t i = 0; i < n; i++) {
        double tenure = x[0][i], rec = x[1][i], ord = x[2][i];
        double mid = isnan(x[3][i]) ? 0 : x[3][i], old = isnan(x[4][i]) ? 0 : x[4][i];
        double pa = x[5] ? x[5][i] : NAN;
        if (isnan(tenure) || isnan(rec) || isnan(ord)) {
            stage[i] = state[i] = -1;
            recent[i] = previous[i] = NAN;
            continue;
        }
        recent[i] = ord - mid;
        previous[i] = mid - old;
        stage[i] = (int8_t)stage_of(tenure, rec, recent[i], previous[i], pa, o->period, p_min);
        state[i] = (int8_t)state_of(tenure, recent[i], previous[i], ord, o->period);
    }
    cols[0] = int_column("recent", recent, n);
    cols[1] = int_column("previous", previous, n);
    cols[2] = labels_column("stage", stage, n, o->stage_names ? o->stage_names : stage_default, 4);
    cols[3] = labels_column("state", state, n, o->state_names ? o->state_names : state_default, 5);
    if (!cols[0] || !cols[1] || !cols[2] || !cols[3])
        goto nomem;
    cur = cv_table_ref((cv_table *)t);
    for (int k = 0; k < 4; k++) {
        cv_table *next = cv_seg_with(cur, cols[k], err);
        cols[k] = NULL; /* taken over */
        cv_table_free(cur);
        if ((cur = next) == NULL)
            goto done;
    }
    res = cur;
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
done:
    for (int k = 0; k < 4; k++)
        if (cols[k])
            cv_column_unref(cols[k]);
    for (int k = 0; k < 6; k++)
        cv_free(x[k]);
    cv_free(stage);
    cv_free(state);
    cv_free(recent);
    cv_free(previous);
    return res;
}
