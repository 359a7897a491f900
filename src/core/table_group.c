/* cvkit tables: cv_table_group_by, the general path: group ids by one word per row when the
   keys pack into one, else by keysets (table_hash.c), then each aggregate over the groups. One
   int-like key with the aggregates it has goes to the fast path, table_group_fast.c. */
#include "cvkit/cancel.h"
#include "cvkit/dtoa.h"
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "table_int.h"

#include <math.h>
#include <string.h>

/* ---- Group-by ----------------------------------------------------------------------------------
 */

int cv_agg_parse(const char *s, cv_agg_fn *out)
{
    static const char *const names[] = {"count", "sum",        "mean",     "min",    "max", "first",
                                        "last",  "n_distinct", "quantile", "median", "sd",  "var"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strcmp(s, names[k]) == 0) {
            *out = (cv_agg_fn)k;
            return 0;
        }
    return -1;
}

const char *cv_tbl_agg_name(cv_agg_fn fn)
{
    static const char *const names[] = {"count", "sum",        "mean",     "min",    "max", "first",
                                        "last",  "n_distinct", "quantile", "median", "sd",  "var"};
    return (unsigned)fn < sizeof names / sizeof *names ? names[fn] : "?";
}

/* A new column of ng values of type `type`, all 0 and present. */
cv_column *cv_tbl_agg_column(const char *name, cv_type type, int64_t ng)
{
    cv_column *c = cv_column_new(name, type, ng);
    if (!c)
        return NULL;
    if (ng > 0)
        memset(c->data, 0, (size_t)ng * cv_type_size(type));
    c->n = ng;
    return c;
}

double cv_quantile_sorted(const double *x, int64_t n, double q)
{
    double h = (double)(n - 1) * q;
    int64_t lo = (int64_t)floor(h);
    if (lo >= n - 1)
        return x[n - 1];
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* The present values of c grouped: vals[start[g] .. start[g+1]) are group g's values in
   row order. Caller frees both. 0 or -1. */
static int group_values(const cv_column *c, const int64_t *gid, int64_t ng, double **vals_out,
                        int64_t **start_out)
{
    int64_t n = c->n;
    int64_t *start = xcalloc((size_t)ng + 1, sizeof *start);
    if (!start)
        return -1;
    for (int64_t i = 0; i < n; i++)
        if (present(c, i))
            start[gid[i] + 1]++;
    for (int64_t g = 0; g < ng; g++)
        start[g + 1] += start[g];
    double *vals = xmalloc((size_t)start[ng] * sizeof *vals);
    int64_t *pos = xmalloc((size_t)ng * sizeof *pos);
    if (!vals || !pos) {
        cv_free(start);
        cv_free(vals);
        cv_free(pos);
        return -1;
    }
    memcpy(pos, start, (size_t)ng * sizeof *pos);
    for (int64_t i = 0; i < n; i++)
        if (present(c, i))
            vals[pos[gid[i]]++] = numv(c, i);
    cv_free(pos);
    *vals_out = vals;
    *start_out = start;
    return 0;
}

/* Checks that aggregate a can run on column c (NULL when a names none); 0, or an error code
   with err set. */
static int agg_check(const cv_agg *a, const cv_column *c, cv_error *err)
{
    if (!c && a->fn != CV_AGG_COUNT)
        return cv_error_set(err, CV_ERR_USAGE, "aggregate '%s' needs a column",
                            cv_tbl_agg_name(a->fn));
    switch (a->fn) {
    case CV_AGG_SUM:
    case CV_AGG_MEAN:
    case CV_AGG_SD:
    case CV_AGG_VAR:
        if (!is_numeric(c->type))
            return cv_error_set(err, CV_ERR_TYPE,
                                "%s of column '%s': expected a number column, found %s",
                                cv_tbl_agg_name(a->fn), c->name, cv_type_name(c->type));
        break;
    case CV_AGG_QUANTILE:
    case CV_AGG_MEDIAN:
        if (c->type == CV_STRING)
            return cv_error_set(err, CV_ERR_TYPE,
                                "%s of column '%s': expected a number or date column, found string",
                                cv_tbl_agg_name(a->fn), c->name);
        if (a->fn == CV_AGG_QUANTILE && !(a->q >= 0 && a->q <= 1))
            return cv_error_set(err, CV_ERR_USAGE,
                                "quantile of column '%s': q must be in [0, 1], found %g", c->name,
                                a->q);
        break;
    default:
        break;
    }
    return 0;
}

/* The rows gid[0..n) of one aggregate's column c (NULL for a plain count), the ng groups and
   the output column's name: what every aggregate step below reads. */
typedef struct agg_in {
    const cv_column *c;
    const int64_t *gid;
    int64_t n, ng;
    const char *out;
} agg_in;

/* count: rows per group, or present values of c per group. NULL when out of memory. */
static cv_column *agg_count(const agg_in *in)
{
    const cv_column *c = in->c;
    const int64_t *gid = in->gid;
    int64_t n = in->n;
    cv_column *r = cv_tbl_agg_column(in->out, CV_INT64, in->ng);
    if (!r)
        return NULL;
    int64_t *cnt = r->data;
    if (!c)
        for (int64_t i = 0; i < n; i++)
            cnt[gid[i]]++;
    else
        for (int64_t i = 0; i < n; i++)
            cnt[gid[i]] += present(c, i);
    return r;
}

/* sum of an int or bool column: exact int64 sums, missing for groups without values; NULL with
   err set (an overflow, or out of memory). */
static cv_column *agg_sum_int(const agg_in *in, cv_error *err)
{
    const cv_column *c = in->c;
    const int64_t *gid = in->gid;
    int64_t n = in->n, ng = in->ng;
    cv_column *r = NULL;
    int64_t *cnt = xcalloc((size_t)ng, sizeof *cnt);
    if (!cnt || !(r = cv_tbl_agg_column(in->out, CV_INT64, ng))) {
        cv_free(cnt);
        NOMEM(err);
        return NULL;
    }
    int64_t *s = r->data;
    for (int64_t i = 0; i < n; i++) {
        if (!cv_column_is_valid(c, i))
            continue;
        int64_t x = c->type == CV_BOOL ? cv_column_bool(c, i) : cv_column_int(c, i);
        int64_t g = gid[i];
        cnt[g]++;
        if (__builtin_add_overflow(s[g], x, &s[g])) {
            cv_free(cnt);
            cv_column_unref(r);
            cv_error_set(err, CV_ERR_DOMAIN,
                         "sum of column '%s' overflows a 64-bit integer (cast it to "
                         "float first)",
                         c->name);
            return NULL;
        }
    }
    int bad = 0;
    for (int64_t g = 0; g < ng && !bad; g++)
        bad = cnt[g] == 0 && mark_missing(r, g) != 0;
    cv_free(cnt);
    if (!bad)
        return r;
    cv_column_unref(r);
    NOMEM(err);
    return NULL;
}

void cv_tbl_sum_decimals(const cv_column *c, double *o, int64_t ng)
{
    double maxabs = 0;
    if (c->type != CV_FLOAT64)
        return;
    int d = cv_decimals_common(c->data, c->valid, c->n, &maxabs);
    if (d < 0)
        return;
    double err = (double)c->n * maxabs * 0x1p-52;
    for (int64_t g = 0; g < ng; g++)
        o[g] = cv_round_decimals(o[g], d, err);
}

/* sum of a float column, mean, sd and var (fn): compensated sums per group, sd and var with a
   second pass over the squared deviations from the group's mean; groups with too few values
   are missing. NULL when out of memory. */
static cv_column *agg_moments(cv_agg_fn fn, const agg_in *in)
{
    const cv_column *c = in->c;
    const int64_t *gid = in->gid;
    int64_t n = in->n, ng = in->ng;
    cv_column *r = NULL;
    /* One record per group, so each row touches one cache line. */
    typedef struct acc {
        double s, comp;
        int64_t n;
    } acc;
    acc *ac = xcalloc((size_t)ng, sizeof *ac);
    if (!ac || !(r = cv_tbl_agg_column(in->out, CV_FLOAT64, ng))) {
        cv_free(ac);
        return NULL;
    }
    for (int64_t i = 0; i < n; i++) {
        if (!present(c, i))
            continue;
        acc *p = &ac[gid[i]];
        p->n++;
        sum_add(&p->s, &p->comp, numv(c, i));
    }
    double *o = r->data;
    int need = 1; /* groups with fewer values than need are missing */
    for (int64_t g = 0; g < ng; g++) {
        double sum = ac[g].s + ac[g].comp;
        o[g] = fn == CV_AGG_SUM ? sum : ac[g].n ? sum / (double)ac[g].n : 0;
    }
    if (fn == CV_AGG_SUM)
        cv_tbl_sum_decimals(c, o, ng);
    if (fn == CV_AGG_SD || fn == CV_AGG_VAR) {
        need = 2; /* second pass: squared deviations from the group's mean */
        for (int64_t g = 0; g < ng; g++)
            ac[g].s = ac[g].comp = 0;
        for (int64_t i = 0; i < n; i++) {
            if (!present(c, i))
                continue;
            int64_t g = gid[i];
            double d = numv(c, i) - o[g];
            sum_add(&ac[g].s, &ac[g].comp, d * d);
        }
        for (int64_t g = 0; g < ng; g++) {
            double v = ac[g].n > 1 ? (ac[g].s + ac[g].comp) / (double)(ac[g].n - 1) : 0;
            o[g] = fn == CV_AGG_SD ? sqrt(v) : v;
        }
    }
    int bad = 0;
    for (int64_t g = 0; g < ng && !bad; g++)
        if (ac[g].n < need) {
            o[g] = 0;
            bad = mark_missing(r, g) != 0;
        }
    cv_free(ac);
    if (!bad)
        return r;
    cv_column_unref(r);
    return NULL;
}

/* min, max, first and last (fn): the row holding each group's answer, then a take keeps the
   column's type. NULL when out of memory. */
static cv_column *agg_pick(cv_agg_fn fn, const agg_in *in)
{
    const cv_column *c = in->c;
    const int64_t *gid = in->gid;
    int64_t n = in->n, ng = in->ng;
    cv_column *r;
    int64_t *best = xmalloc((size_t)ng * sizeof *best);
    uint32_t *rank = NULL;
    if (!best)
        return NULL;
    memset(best, 0xff, (size_t)ng * sizeof *best);
    if (fn == CV_AGG_FIRST) {
        for (int64_t i = n - 1; i >= 0; i--)
            if (present(c, i))
                best[gid[i]] = i;
    } else if (fn == CV_AGG_LAST) {
        for (int64_t i = 0; i < n; i++)
            if (present(c, i))
                best[gid[i]] = i;
    } else {
        /* (key, row) per group in one record; a max is a min of flipped keys */
        hslot *bs = xmalloc((size_t)ng * sizeof *bs);
        if (!bs || (c->type == CV_STRING && !(rank = cv_tbl_string_ranks(c->dict)))) {
            cv_free(best);
            cv_free(bs);
            return NULL;
        }
        for (int64_t g = 0; g < ng; g++) {
            bs[g].h = UINT64_MAX;
            bs[g].g = -1;
        }
        uint64_t flip = fn == CV_AGG_MAX ? UINT64_MAX : 0;
        for (int64_t i = 0; i < n; i++) {
            if (!present(c, i))
                continue;
            hslot *p = &bs[gid[i]];
            uint64_t k = order_key(c, i, rank) ^ flip;
            if (p->g < 0 || k < p->h) {
                p->h = k;
                p->g = i;
            }
        }
        for (int64_t g = 0; g < ng; g++)
            best[g] = bs[g].g;
        cv_free(bs);
    }
    r = cv_column_take(c, best, ng);
    cv_free(best);
    cv_free(rank);
    if (r) {
        cv_free(r->name);
        if (!(r->name = cv_strdup(in->out))) {
            cv_column_unref(r);
            r = NULL;
        }
    }
    return r;
}

/* n_distinct: each group's value words gathered together, sorted, and their changes counted
   (a bucket pass and small sorts beat one big hash set of pairs). NULL when out of memory. */
static cv_column *agg_ndistinct(const agg_in *in)
{
    const cv_column *c = in->c;
    const int64_t *gid = in->gid;
    int64_t n = in->n, ng = in->ng;
    cv_column *r = NULL;
    keydesc kd = {c, NULL, 0};
    const keydesc *side = &kd;
    packing pk;
    uint64_t *w = xmalloc((size_t)n * sizeof *w), *vals = NULL, *tmp = NULL;
    uint8_t *miss = xmalloc((size_t)n);
    int64_t *start = xcalloc((size_t)ng + 1, sizeof *start), *pos = NULL, most = 0;
    int ok = w && miss && start && cv_tbl_plan_packing(&pk, &side, &n, 1, 1) == 0 &&
             (r = cv_tbl_agg_column(in->out, CV_INT64, ng)) != NULL;
    if (ok) {
        cv_tbl_make_words(&pk, &kd, n, 0, w, miss);
        for (int64_t i = 0; i < n; i++)
            start[gid[i] + 1] += !miss[i];
        for (int64_t g = 0; g < ng; g++) {
            most = start[g + 1] > most ? start[g + 1] : most;
            start[g + 1] += start[g];
        }
        ok = (vals = xmalloc((size_t)start[ng] * sizeof *vals)) &&
             (pos = xmalloc((size_t)ng * sizeof *pos)) &&
             (tmp = xmalloc((size_t)most * sizeof *tmp));
    }
    if (ok) {
        memcpy(pos, start, (size_t)ng * sizeof *pos);
        for (int64_t i = 0; i < n; i++)
            if (!miss[i])
                vals[pos[gid[i]]++] = w[i];
        int64_t *cnt = r->data;
        for (int64_t g = 0; g < ng; g++) {
            cnt[g] = cv_tbl_distinct_u64(vals + start[g], tmp, start[g + 1] - start[g]);
        }
    }
    cv_free(w);
    cv_free(miss);
    cv_free(start);
    cv_free(pos);
    cv_free(vals);
    cv_free(tmp);
    if (ok)
        return r;
    cv_column_unref(r);
    return NULL;
}

/* quantile q (type 7) of each group's present values, median q = 0.5: floats, or for dates and
   datetimes the interpolated value floored to their type. NULL when out of memory. */
static cv_column *agg_quantile(double q, const agg_in *in)
{
    const cv_column *c = in->c;
    int64_t ng = in->ng;
    cv_column *r;
    double *vals;
    int64_t *start;
    cv_type ot = c->type == CV_DATE || c->type == CV_DATETIME ? c->type : CV_FLOAT64;
    if (group_values(c, in->gid, ng, &vals, &start) != 0)
        return NULL;
    if (!(r = cv_tbl_agg_column(in->out, ot, ng))) {
        cv_free(vals);
        cv_free(start);
        return NULL;
    }
    int bad = 0;
    for (int64_t g = 0; g < ng && !bad; g++) {
        int64_t m = start[g + 1] - start[g];
        if (m == 0) {
            bad = mark_missing(r, g) != 0;
            continue;
        }
        cv_tbl_sort_doubles(vals + start[g], m);
        double v = cv_quantile_sorted(vals + start[g], m, q);
        if (ot == CV_FLOAT64)
            ((double *)r->data)[g] = v;
        else if (ot == CV_DATE) /* dates and datetimes: interpolated, then floored */
            ((int32_t *)r->data)[g] = (int32_t)floor(v);
        else
            ((int64_t *)r->data)[g] = (int64_t)floor(v);
    }
    cv_free(vals);
    cv_free(start);
    if (!bad)
        return r;
    cv_column_unref(r);
    return NULL;
}

/* Computes one aggregate over groups; a new column, or NULL with err set. */
static cv_column *aggregate(const cv_table *t, const cv_agg *a, const int64_t *gid, int64_t ng,
                            cv_error *err)
{
    cv_column *c = NULL, *r = NULL;
    if (a->col && !(c = cv_table_col(t, a->col, err)))
        return NULL;
    if (agg_check(a, c, err) != 0)
        return NULL;
    agg_in in = {c, gid, t->nrows, ng,
                 a->out ? a->out : (a->col ? a->col : cv_tbl_agg_name(a->fn))};
    switch (a->fn) {
    case CV_AGG_COUNT:
        r = agg_count(&in);
        break;
    case CV_AGG_SUM:
        if (c->type != CV_FLOAT64)
            return agg_sum_int(&in, err);
        /* float sums share the mean's compensated accumulation */
        /* fall through */
    case CV_AGG_MEAN:
    case CV_AGG_SD:
    case CV_AGG_VAR:
        r = agg_moments(a->fn, &in);
        break;
    case CV_AGG_MIN:
    case CV_AGG_MAX:
    case CV_AGG_FIRST:
    case CV_AGG_LAST:
        r = agg_pick(a->fn, &in);
        break;
    case CV_AGG_NDISTINCT:
        r = agg_ndistinct(&in);
        break;
    case CV_AGG_QUANTILE:
    case CV_AGG_MEDIAN:
        r = agg_quantile(a->fn == CV_AGG_MEDIAN ? 0.5 : a->q, &in);
        break;
    }
    if (!r)
        NOMEM(err); /* every failure above but a sum's overflow is a failed allocation */
    return r;
}

/* Group ids through the general keyset path (several keys that do not fit one word). */
static int group_rows_keyset(const cv_table *t, cv_column **kc, int nkeys, int64_t *gid,
                             int64_t **first_out, int64_t *ng_out)
{
    int64_t n = t->nrows;
    keyset ks;
    htab ht;
    memset(&ks, 0, sizeof ks);
    memset(&ht, 0, sizeof ht);
    int ok = cv_tbl_keyset_init(&ks, nkeys, n) == 0;
    for (int j = 0; ok && j < nkeys; j++)
        ok = cv_tbl_keyset_col(&ks, j, kc[j], KEY_NATIVE, NULL) == 0;
    ok = ok && cv_tbl_htab_init(&ht, 0) == 0;
    for (int64_t i = 0; i < n && ok; i++)
        ok = (gid[i] = cv_tbl_htab_get(&ht, &ks, &ks, i, 1)) >= 0;
    cv_tbl_keyset_free(&ks);
    cv_free(ht.s);
    if (!ok) {
        cv_free(ht.first);
        return -1;
    }
    *first_out = ht.first;
    *ng_out = ht.ng;
    return 0;
}

/* Group ids of t's rows on the key columns: *gid_out (n entries) and *first_out (the first
   row of each group, *ng entries). Caller frees both. 0 or an error code. */
static int group_rows(const cv_table *t, cv_column **kc, int nkeys, int64_t **gid_out,
                      int64_t **first_out, int64_t *ng_out, cv_error *err)
{
    int64_t n = t->nrows, ng = 0, cap = 0, *first = NULL;
    int64_t *gid = xmalloc((size_t)n * sizeof *gid);
    keydesc kd[64];
    packing pk;
    if (!gid)
        return NOMEM(err);
    for (int j = 0; j < nkeys; j++)
        kd[j] = (keydesc){kc[j], NULL, 0};
    const keydesc *sides[1] = {kd};
    if (cv_tbl_plan_packing(&pk, sides, &n, 1, nkeys) != 0) {
        if (group_rows_keyset(t, kc, nkeys, gid, first_out, ng_out) != 0) {
            cv_free(gid);
            return NOMEM(err);
        }
        *gid_out = gid;
        return 0;
    }
    uint64_t *w = xmalloc((size_t)n * sizeof *w);
    uint8_t *miss = xmalloc((size_t)n);
    wmap m;
    memset(&m, 0, sizeof m);
    int ok = w && miss;
    if (ok) {
        cv_tbl_make_words(&pk, kd, n, 1, w, miss);
        ok = cv_tbl_wmap_init(&m, 0, pk.total, n) == 0; /* words are already offsets from lo */
    }
    int64_t missing_group = -1;
    for (int64_t i = 0; ok && i < n; i++) {
        int64_t g;
        if (miss[i]) { /* one key, missing: a group of its own */
            if (missing_group < 0) {
                missing_group = m.n++;
                ok = cv_tbl_push_first(&first, &cap, ng++, i) == 0;
            }
            g = missing_group;
        } else {
            g = wmap_get(&m, w[i], 1);
            if (g == ng)
                ok = cv_tbl_push_first(&first, &cap, ng++, i) == 0;
            else if (g < 0)
                ok = 0;
        }
        gid[i] = g;
    }
    cv_free(w);
    cv_free(miss);
    cv_tbl_wmap_free(&m);
    if (!ok) {
        cv_free(gid);
        cv_free(first);
        return NOMEM(err);
    }
    if (!first && !(first = xmalloc(sizeof *first))) {
        cv_free(gid);
        return NOMEM(err);
    }
    *gid_out = gid;
    *first_out = first;
    *ng_out = ng;
    return 0;
}

/* The kind of aggregate a of a column of kind k: counts and distinct counts are counts;
   sums keep the kind (a sum of money is money); means, quantiles, extremes and first/last
   keep it too, except that a mean or spread of counts is a plain number; a variance is a
   plain number (its unit is squared). */
static cv_kind agg_kind(const cv_agg *a, cv_kind k)
{
    switch (a->fn) {
    case CV_AGG_COUNT:
    case CV_AGG_NDISTINCT:
        return CV_KIND_COUNT;
    case CV_AGG_VAR:
        return k == CV_KIND_NONE ? k : CV_KIND_NUMBER;
    case CV_AGG_MEAN:
    case CV_AGG_SD:
    case CV_AGG_QUANTILE:
    case CV_AGG_MEDIAN:
        return k == CV_KIND_COUNT ? CV_KIND_NUMBER : k;
    default:
        return k;
    }
}

static cv_table *group_by(const cv_table *t, const char *const *keys, int nkeys, const cv_agg *aggs,
                          int naggs, cv_error *err);

cv_table *cv_table_group_by(const cv_table *t, const char *const *keys, int nkeys,
                            const cv_agg *aggs, int naggs, cv_error *err)
{
    cv_table *r = group_by(t, keys, nkeys, aggs, naggs, err);
    for (int k = 0; r && k < naggs && nkeys + k < r->ncols; k++) {
        cv_column *c = r->cols[nkeys + k];
        int j = aggs[k].col ? cv_table_find(t, aggs[k].col) : -1;
        const cv_column *in = j >= 0 ? t->cols[j] : NULL;
        if (c->refs != 1 || c->base)
            continue; /* not a column made here: leave it as it is */
        c->kind = agg_kind(&aggs[k], in ? in->kind : CV_KIND_NONE);
        c->decimals1 = in && c->kind == in->kind ? in->decimals1 : 0;
        if (c->type != CV_INT64 && c->type != CV_FLOAT64)
            c->kind = CV_KIND_NONE, c->decimals1 = 0;
    }
    return r;
}

/* cv_table_group_by without the kinds of its results. */
static cv_table *group_by(const cv_table *t, const char *const *keys, int nkeys, const cv_agg *aggs,
                          int naggs, cv_error *err)
{
    if (nkeys < 0 || nkeys > 64) {
        cv_error_set(err, CV_ERR_USAGE, "group_by takes 0 to 64 key columns, got %d", nkeys);
        return NULL;
    }
    cv_column *kc[64];
    for (int j = 0; j < nkeys; j++)
        if (!(kc[j] = cv_table_col(t, keys[j], err)))
            return NULL;
    if (nkeys == 1 && cv_tbl_gb_applies(t, kc[0], aggs, naggs))
        return cv_tbl_group_fast(t, kc[0], aggs, naggs, err);
    int64_t *gid = NULL, *first = NULL, ng = 0;
    if (nkeys == 0) { /* the whole table is one group (one row, also when it is empty) */
        gid = xcalloc((size_t)t->nrows, sizeof *gid);
        first = xcalloc(1, sizeof *first);
        ng = 1;
        if (!gid || !first) {
            cv_free(gid);
            cv_free(first);
            NOMEM(err);
            return NULL;
        }
    } else if (group_rows(t, kc, nkeys, &gid, &first, &ng, err) != 0) {
        return NULL;
    }
    cv_table *r = cv_table_new();
    int ok = r != NULL;
    if (!ok)
        NOMEM(err);
    for (int j = 0; ok && j < nkeys; j++) {
        cv_column *c = cv_column_take(kc[j], first, ng);
        ok = c && cv_table_add(r, c, err) == 0;
        if (!c)
            NOMEM(err);
        cv_column_unref(c);
    }
    for (int k = 0; ok && k < naggs; k++) {
        cv_column *c = cv_cancel_check(err) ? NULL : aggregate(t, &aggs[k], gid, ng, err);
        ok = c && cv_table_add(r, c, err) == 0;
        cv_column_unref(c);
    }
    cv_free(gid);
    cv_free(first);
    if (!ok) {
        cv_table_free(r);
        return NULL;
    }
    r->nrows = ng;
    return r;
}
