/* cvkit customer summary: the summary table made from the per-customer accumulators
   (customers in id order, x, t_x, T, spend, margin, holdout columns, the table's meta). */
#include "summary_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"

/* ---- The result ----------------------------------------------------------------------- */

/* A customer's sort key: its int id, or its string id's bytes. */
typedef struct sm_key {
    union {
        int64_t i;
        const char *s;
    } k;
    int32_t len; /* of a string id */
    int32_t idx;
} sm_key;

static int sm_cmp_int_key(const void *pa, const void *pb)
{
    const sm_key *a = pa, *b = pb;
    return (a->k.i > b->k.i) - (a->k.i < b->k.i);
}

static int sm_cmp_str_key(const void *pa, const void *pb)
{
    const sm_key *a = pa, *b = pb;
    int r = memcmp(a->k.s, b->k.s, (size_t)(a->len < b->len ? a->len : b->len));
    return r ? r : (a->len > b->len) - (a->len < b->len);
}

/* Builds the summary table from the accumulators; NULL with err set on failure. */
cv_table *cv_sm_table(sm_state *s, cv_error *err)
{
    const cv_summary_options *o = s->opt;
    cv_summary_report *r = s->rep;
    const char *pre = s->file ? s->file : "", *sep = s->file ? ": " : "";
    if (r->first_date == INT32_MAX) {
        if (r->skipped_missing)
            cv_error_set(err, CV_ERR_USAGE,
                         "%s%sno transactions to summarize (%lld rows skipped for missing "
                         "values)",
                         pre, sep, (long long)r->skipped_missing);
        else
            cv_error_set(err, CV_ERR_USAGE, "%s%sno transactions to summarize", pre, sep);
        return NULL;
    }
    if (!o->calibration_end_set)
        s->cal_end = r->last_date;
    r->calibration_end = s->cal_end;
    r->observation_end = o->observation_end_set ? o->observation_end : 0;
    r->holdout_length =
        o->observation_end_set ? cv_time_between(s->cal_end, o->observation_end, o->unit) : 0;
    if (s->cal_end < r->first_date) {
        char a[16], b[16];
        cv_format_date(s->cal_end, a);
        cv_format_date(r->first_date, b);
        cv_error_set(err, CV_ERR_USAGE, "%s%scalibration end %s is before the first purchase %s",
                     pre, sep, a, b);
        return NULL;
    }

    /* what only the folding needed goes before the result is built */
    cv_free(s->im.slots);
    s->im.slots = NULL;
    s->im.mask = 0;
    cv_sm_log_clear(s);
    cv_free(s->tmp);
    cv_free(s->cidx);
    cv_free(s->bmap);
    s->tmp = NULL;
    s->cidx = s->bmap = NULL;
    s->tmpcap = 0;
    s->bcap = s->blen = 0;
    cv_strdict_unref(s->bdict);
    s->bdict = NULL;

    /* with the direct map the customers come in id order: no sorting; the map's first
       entries then become the summary's customers in order (no other array) */
    const int walk = s->direct && s->dmap;
    sm_key *order = walk ? NULL : cv_malloc((size_t)(s->n ? s->n : 1) * sizeof *order);
    if (!walk && !order) {
        sm_oom(err);
        return NULL;
    }
    int32_t m = 0;
    int64_t txs = 0, sumn = 0;
    uint64_t off = 0;
    for (int32_t j = 0; j < s->n; j++) {
        int32_t c = j;
        if (walk) {
            while (s->dmap[off] < 0)
                off++;
            c = s->dmap[off++];
        }
        sumn += (int64_t)sm_at(s, c)->n_cal + sm_at(s, c)->n_hold;
        if (sm_at(s, c)->first == INT32_MAX) {
            r->excluded_late++;
        } else if (walk) {
            s->dmap[m++] = c; /* m < off: entries not yet read are not touched */
            txs += sm_at(s, c)->n_cal;
        } else {
            sm_key *k = &order[m++];
            k->idx = c;
            size_t len = 0;
            if (s->id_type == CV_INT64)
                k->k.i = s->ids[c];
            else
                k->k.s = cv_strdict_get(s->sd, c, &len);
            k->len = (int32_t)len;
            txs += sm_at(s, c)->n_cal;
        }
    }
    r->customers = m;
    r->transactions = txs;
    r->merged_rows = r->rows - r->skipped_missing - r->rows_after_end - sumn;
    if (!walk)
        qsort(order, (size_t)m, sizeof *order,
              s->id_type == CV_INT64 ? sm_cmp_int_key : sm_cmp_str_key);
    const int32_t *cust = walk ? s->dmap : NULL; /* the customers in order, when walk */

    enum {
        C_ID,
        C_FIRST,
        C_LAST,
        C_ORDERS,
        C_X,
        C_TX,
        C_T,
        C_DSL,
        C_MRS,
        C_MS,
        C_REV,
        C_MARGIN,
        C_XH,
        C_SH,
        C_N
    };
    static const char *const names[C_N] = {"customer",
                                           "first",
                                           "last",
                                           "orders",
                                           "x",
                                           "t_x",
                                           "T",
                                           "days_since_last",
                                           "mean_repeat_spend",
                                           "mean_spend",
                                           "revenue",
                                           "margin",
                                           "x_holdout",
                                           "spend_holdout"};
    static const cv_type types[C_N] = {CV_INT64,   CV_DATE,    CV_DATE,  CV_INT64,   CV_INT64,
                                       CV_FLOAT64, CV_FLOAT64, CV_INT64, CV_FLOAT64, CV_FLOAT64,
                                       CV_FLOAT64, CV_FLOAT64, CV_INT64, CV_FLOAT64};
    cv_column *col[C_N] = {0};
    cv_table *t = cv_table_new();
    int ok = t != NULL;
    for (int k = 0; k < C_N && ok; k++) {
        if (k == C_MARGIN && s->cost_mode == 0)
            continue;
        if ((k == C_XH || k == C_SH) && !o->observation_end_set)
            continue;
        if (k == C_ID && s->id_type == CV_STRING)
            col[k] = cv_column_new_dict(names[k], m, s->sd);
        else
            col[k] = cv_column_new(names[k], types[k], m);
        ok = col[k] != NULL;
        if (ok) /* counts and money; times (t_x, T, days) are plain numbers */
            col[k]->kind = k == C_ORDERS || k == C_X || k == C_XH ? CV_KIND_COUNT
                           : k >= C_MRS && k != C_XH              ? CV_KIND_MONEY
                                                                  : CV_KIND_NONE;
    }
    for (int32_t j = 0; j < m && ok; j++) {
        int32_t c = walk ? cust[j] : order[j].idx;
        if (j + SM_AHEAD < m)
            __builtin_prefetch(sm_at(s, walk ? cust[j + SM_AHEAD] : order[j + SM_AHEAD].idx));
        const sm_acc *p = sm_at(s, c);
        int64_t x = p->n_cal - 1;
        double rev = p->first_amt + p->rep;
        ok = (s->id_type == CV_INT64 ? cv_column_push_int(col[C_ID], s->ids[c])
                                     : cv_column_push_i32(col[C_ID], c)) == 0 &&
             cv_column_push_i32(col[C_FIRST], p->first) == 0 &&
             cv_column_push_i32(col[C_LAST], p->last) == 0 &&
             cv_column_push_int(col[C_ORDERS], p->n_cal) == 0 &&
             cv_column_push_int(col[C_X], x) == 0 &&
             cv_column_push_float(col[C_TX], cv_time_between(p->first, p->last, o->unit)) == 0 &&
             cv_column_push_float(col[C_T], cv_time_between(p->first, s->cal_end, o->unit)) == 0 &&
             cv_column_push_int(col[C_DSL], (int64_t)s->cal_end - p->last) == 0 &&
             (x > 0 ? cv_column_push_float(col[C_MRS], p->rep / (double)x)
                    : cv_column_push_missing(col[C_MRS])) == 0 &&
             cv_column_push_float(col[C_MS], rev / (double)p->n_cal) == 0 &&
             cv_column_push_float(col[C_REV], rev) == 0 &&
             (!col[C_MARGIN] || cv_column_push_float(col[C_MARGIN], p->margin) == 0) &&
             (!col[C_XH] || cv_column_push_int(col[C_XH], p->n_hold) == 0) &&
             (!col[C_SH] || cv_column_push_float(col[C_SH], p->spend_hold) == 0);
    }
    for (int k = 0; k < C_N; k++) {
        if (ok == 1 && col[k] && cv_table_add(t, col[k], err) != 0)
            ok = -1;
        cv_column_unref(col[k]);
    }
    cv_free(order);
    cv_free(s->dmap);
    s->dmap = NULL;
    s->direct = 0;
    if (ok != 1) {
        if (ok == 0)
            sm_oom(err);
        cv_table_free(t);
        return NULL;
    }
    t->meta.unit = (int)o->unit;
    t->meta.calibration_end = s->cal_end;
    t->meta.has_observation_end = o->observation_end_set != 0;
    t->meta.observation_end = o->observation_end_set ? o->observation_end : 0;
    return t;
}
