/* cvkit tables: the fast path of group-by, for one int-like key and the aggregates it has
   (cv_tbl_gb_applies says when); table_group.c calls it. Its results are the general path's,
   bit for bit (tests/unit/test_table_groupby.c compares them). */
#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "cvkit/threads.h"
#include "table_int.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

/* ---- Group-by on one int-like key: the fast path ------------------------------------------------
 */

/* One key column of int, date, datetime, bool or string codes, and the aggregates count, sum,
   mean, min, max, first, last and n_distinct: group ids (int32) by a direct array over the
   key's range or a hash of the key itself, then one tight loop per aggregate and storage type,
   no per-row dispatch. With many groups the rows are partitioned by ranges of group ids
   (stable, so each group keeps its row order and sums come out to the same bits), one input
   column at a time into one reused buffer, so that each partition's group states stay in
   cache; on large tables the copies (by chunks of the rows, one per thread of cv_threads())
   and the partitions' aggregation (two workers over halves of the rows, when cv_threads() > 1)
   run in parallel. n_distinct counts changes between successive values in one pass and
   sorts only the groups whose values do not arrive in order. Results are those of the
   general path, bit for bit (tests/unit/test_table_groupby.c compares them). */

#define GB_PART_MIN_GROUPS 32768 /* partition above this many groups */
#define GB_PAR_MIN_ROWS 200000   /* and use a second thread from this many rows */

enum { GB_I64, GB_F64, GB_I32, GB_U8 };

static int gb_stor(cv_type t)
{
    switch (t) {
    case CV_FLOAT64:
        return GB_F64;
    case CV_INT64:
    case CV_DATETIME:
        return GB_I64;
    case CV_DATE:
    case CV_STRING:
        return GB_I32;
    default:
        return GB_U8;
    }
}

/* Runs the statements with T the C type of the values of gb_in *in and X their array. */
#define GB_TYPED(in, ...)                                                                          \
    switch ((in)->stor) {                                                                          \
    case GB_I64: {                                                                                 \
        typedef int64_t T;                                                                         \
        const T *X = (in)->data;                                                                   \
        __VA_ARGS__                                                                                \
    } break;                                                                                       \
    case GB_F64: {                                                                                 \
        typedef double T;                                                                          \
        const T *X = (in)->data;                                                                   \
        __VA_ARGS__                                                                                \
    } break;                                                                                       \
    case GB_I32: {                                                                                 \
        typedef int32_t T;                                                                         \
        const T *X = (in)->data;                                                                   \
        __VA_ARGS__                                                                                \
    } break;                                                                                       \
    default: {                                                                                     \
        typedef uint8_t T;                                                                         \
        const T *X = (in)->data;                                                                   \
        __VA_ARGS__                                                                                \
    } break;                                                                                       \
    }

/* Value i present: valid (ok bytes, NULL when all are) and, for floats, not NaN. */
static inline int gb_num_d(double x)
{
    return !isnan(x);
}
static inline int gb_num_i(int64_t x)
{
    (void)x;
    return 1;
}
#define GB_PRESENT(ok, X, i)                                                                       \
    ((!(ok) || (ok)[i]) && _Generic((X)[i], double : gb_num_d, default : gb_num_i)((X)[i]))

/* The n_distinct word of a value: ints as themselves, floats by bits with -0 as 0. */
static inline uint64_t gb_word_d(double x)
{
    uint64_t w;
    if (x == 0)
        x = 0;
    memcpy(&w, &x, 8);
    return w;
}
static inline uint64_t gb_word_i(int64_t x)
{
    return (uint64_t)x;
}
#define GB_WORD(x) _Generic((x), double : gb_word_d, default : gb_word_i)(x)

/* An input column as the kernels see it over the rows of a slice. */
typedef struct gb_in {
    const cv_column *c;
    int stor;
    size_t size;       /* bytes per value */
    const void *data;  /* the slice's values */
    const uint8_t *ok; /* the slice's presence bytes (validity), or NULL when all valid */
} gb_in;

/* One aggregate: its input (-1 for a plain count), its output and per-group scratch. */
typedef struct gb_agg {
    cv_agg_fn fn;
    int in;
    const char *name;
    cv_column *out;
    int64_t *cnt; /* present values per group (all but count and n_distinct) */
    double *comp; /* compensation of float sums and means */
} gb_agg;

/* The work over some slices (partitions): shared description and a worker's own state. */
typedef struct gb_job {
    gb_agg *ag;
    int na, nin;
    const gb_in *ins;   /* the inputs over the whole partitioned arrays */
    const int32_t *gid; /* group ids of the partitioned rows */
    const int64_t *off; /* slice p is rows off[p] .. off[p+1] */
    int shift;          /* slice p holds groups p << shift .. */
    int64_t ng;
    int p0, p1;         /* this worker's slices */
    uint8_t *ovf;       /* per aggregate: an int sum overflowed */
    const uint8_t *run; /* per aggregate: computed in this round */
    int nomem;
} gb_job;

/* A worker's scratch for n_distinct, grown to its largest slice and kept between slices. */
typedef struct gb_scratch {
    int64_t *start, *pos;
    uint64_t *last, *vals, *tmp;
    uint8_t *st;
    int64_t cstart, cpos, clast, cvals, ctmp, cst;
} gb_scratch;

static void gb_scratch_free(gb_scratch *sc)
{
    cv_free(sc->start);
    cv_free(sc->pos);
    cv_free(sc->last);
    cv_free(sc->vals);
    cv_free(sc->tmp);
    cv_free(sc->st);
    memset(sc, 0, sizeof *sc);
}

/* Buffer p (of *cap elements of size w) grown to at least want elements: the buffer, or
   NULL when out of memory (p is then still the caller's to free). */
static void *gb_grow(void *p, int64_t *cap, int64_t want, size_t w)
{
    if (want <= *cap)
        return p;
    void *q = cv_realloc(p, (size_t)want * w);
    if (q)
        *cap = want;
    return q;
}

/* Grows scratch buffer sc->buf to want elements; 0 or -1. */
#define GB_FIT(sc, buf, want)                                                                      \
    ((q = gb_grow((sc)->buf, &(sc)->c##buf, (want), sizeof *(sc)->buf)) ? ((sc)->buf = q, 0) : -1)

/* Counts the distinct present values of each group of a slice (groups glo .. ghi) into
   cnt. One pass counts the changes between each group's successive values, which is the
   answer for the groups whose values arrive in order (often: dates of transactions); the
   other groups' values are then bucketed by group, each bucket sorted and its changes
   counted. 0 or -1 (out of memory). */
static int gb_ndistinct(const gb_in *in, const int32_t *gid, int64_t m, int64_t glo, int64_t ghi,
                        int64_t *cnt, gb_scratch *sc)
{
    int64_t G = ghi - glo, most = 0, nbad = 0;
    const uint8_t *ok = in->ok;
    void *q;
    if (GB_FIT(sc, start, G + 1) || GB_FIT(sc, pos, G + 1) || GB_FIT(sc, last, G + 1) ||
        GB_FIT(sc, st, G + 1))
        return -1;
    int64_t *start = sc->start, *pos = sc->pos, *d = cnt + glo;
    uint64_t *last = sc->last;
    uint8_t *st = sc->st; /* 0 no value yet, 1 values in order so far, 3 out of order */
    memset(st, 0, (size_t)G);
    GB_TYPED(
        in, for (int64_t i = 0; i < m; i++) {
            if (!GB_PRESENT(ok, X, i))
                continue;
            int64_t g = gid[i] - glo;
            uint64_t w = GB_WORD(X[i]);
            if (!st[g]) {
                st[g] = 1;
                d[g] = 1;
            } else {
                d[g] += w != last[g];
                st[g] |= (uint8_t)((w < last[g]) << 1);
            }
            last[g] = w;
        })
    for (int64_t g = 0; g < G; g++)
        nbad += st[g] >> 1;
    if (nbad == 0)
        return 0;
    memset(start, 0, (size_t)(G + 1) * sizeof *start);
    GB_TYPED(
        in, for (int64_t i = 0; i < m; i++) {
            int64_t g = gid[i] - glo;
            start[g + 1] += (st[g] >> 1) & GB_PRESENT(ok, X, i);
        })
    for (int64_t g = 0; g < G; g++) {
        most = start[g + 1] > most ? start[g + 1] : most;
        start[g + 1] += start[g];
    }
    if (GB_FIT(sc, vals, start[G] + 1) || GB_FIT(sc, tmp, most + 1))
        return -1;
    uint64_t *vals = sc->vals, *tmp = sc->tmp;
    memcpy(pos, start, (size_t)G * sizeof *pos);
    GB_TYPED(
        in, for (int64_t i = 0; i < m; i++) {
            int64_t g = gid[i] - glo;
            if ((st[g] >> 1) && GB_PRESENT(ok, X, i))
                vals[pos[g]++] = GB_WORD(X[i]);
        })
    for (int64_t g = 0; g < G; g++) {
        if (!(st[g] >> 1))
            continue;
        d[g] = cv_tbl_distinct_u64(vals + start[g], tmp, start[g + 1] - start[g]);
    }
    return 0;
}
#undef GB_FIT

/* Aggregates the rows gid[0..m) (values in ins) into the groups' states, for the aggregates
   k with run[k] set. Sets ovf[k] when aggregate k (an int sum) overflows. 0 or -1 (out of
   memory). */
static int gb_slice(gb_agg *ag, int na, const uint8_t *run, const gb_in *ins, const int32_t *gid,
                    int64_t m, int64_t glo, int64_t ghi, uint8_t *ovf, gb_scratch *sc)
{
    for (int k = 0; k < na; k++) {
        if (!run[k])
            continue;
        gb_agg *a = &ag[k];
        const gb_in *in = a->in >= 0 ? &ins[a->in] : NULL;
        const uint8_t *ok = in ? in->ok : NULL;
        int64_t *cnt = a->cnt;
        switch (a->fn) {
        case CV_AGG_COUNT: {
            int64_t *o = a->out->data;
            if (!in) {
                for (int64_t i = 0; i < m; i++)
                    o[gid[i]]++;
            } else {
                GB_TYPED(in, for (int64_t i = 0; i < m; i++) o[gid[i]] += GB_PRESENT(ok, X, i);)
            }
            break;
        }
        case CV_AGG_SUM:
            if (a->out->type == CV_INT64) {
                int64_t *o = a->out->data;
                GB_TYPED(
                    in, for (int64_t i = 0; i < m; i++) {
                        if (!GB_PRESENT(ok, X, i))
                            continue;
                        int32_t g = gid[i];
                        cnt[g]++;
                        if (__builtin_add_overflow(o[g], (int64_t)X[i], &o[g])) {
                            ovf[k] = 1;
                            break;
                        }
                    })
                break;
            }
            /* float sums accumulate as means do */
            /* fall through */
        case CV_AGG_MEAN: {
            double *o = a->out->data, *comp = a->comp;
            GB_TYPED(
                in, for (int64_t i = 0; i < m; i++) {
                    if (!GB_PRESENT(ok, X, i))
                        continue;
                    int32_t g = gid[i];
                    cnt[g]++;
                    sum_add(&o[g], &comp[g], (double)X[i]);
                })
            break;
        }
        case CV_AGG_MIN:
        case CV_AGG_MAX: {
            /* o starts at the type's extreme (see cv_tbl_group_fast); strict comparisons keep the
               first of equal values, as the general path does (-0 before 0 stays -0) */
            if (a->fn == CV_AGG_MAX) {
                GB_TYPED(
                    in, T *o = a->out->data; for (int64_t i = 0; i < m; i++) {
                        if (!GB_PRESENT(ok, X, i))
                            continue;
                        int32_t g = gid[i];
                        T x = X[i], cur = o[g];
                        o[g] = x > cur ? x : cur;
                        cnt[g]++;
                    })
            } else {
                GB_TYPED(
                    in, T *o = a->out->data; for (int64_t i = 0; i < m; i++) {
                        if (!GB_PRESENT(ok, X, i))
                            continue;
                        int32_t g = gid[i];
                        T x = X[i], cur = o[g];
                        o[g] = x < cur ? x : cur;
                        cnt[g]++;
                    })
            }
            break;
        }
        case CV_AGG_FIRST:
        case CV_AGG_LAST: {
            int last = a->fn == CV_AGG_LAST;
            GB_TYPED(
                in, T *o = a->out->data; for (int64_t i = 0; i < m; i++) {
                    if (!GB_PRESENT(ok, X, i))
                        continue;
                    int32_t g = gid[i];
                    if (last || !cnt[g])
                        o[g] = X[i];
                    cnt[g]++;
                })
            break;
        }
        case CV_AGG_NDISTINCT:
            if (gb_ndistinct(in, gid, m, glo, ghi, a->out->data, sc) != 0)
                return -1;
            break;
        default:
            break;
        }
    }
    return 0;
}

/* Fills the n values of c (not a string) with the lowest value of its type (highest when
   max is 0): the start of a running max (min). */
static void gb_fill_extreme(cv_column *c, int max)
{
    int64_t n = c->n;
    switch (gb_stor(c->type)) {
    case GB_I64:
        for (int64_t i = 0; i < n; i++)
            ((int64_t *)c->data)[i] = max ? INT64_MIN : INT64_MAX;
        break;
    case GB_F64:
        for (int64_t i = 0; i < n; i++)
            ((double *)c->data)[i] = max ? -INFINITY : INFINITY;
        break;
    case GB_I32:
        for (int64_t i = 0; i < n; i++)
            ((int32_t *)c->data)[i] = max ? INT32_MIN : INT32_MAX;
        break;
    default:
        memset(c->data, max ? 0 : 1, (size_t)n);
        break;
    }
}

/* Runs a worker's slices. */
static void *gb_run(void *ud)
{
    gb_job *j = ud;
    gb_in ins[64];
    gb_scratch sc;
    memset(&sc, 0, sizeof sc);
    for (int p = j->p0; p < j->p1 && !j->nomem; p++) {
        int64_t a = j->off[p], b = j->off[p + 1];
        int64_t glo = j->shift < 0 ? 0 : (int64_t)p << j->shift;
        int64_t ghi = j->shift < 0 ? j->ng : glo + ((int64_t)1 << j->shift);
        if (ghi > j->ng)
            ghi = j->ng;
        for (int q = 0; q < j->nin; q++) {
            ins[q] = j->ins[q];
            ins[q].data = (const char *)ins[q].data + (size_t)a * ins[q].size;
            ins[q].ok = ins[q].ok ? ins[q].ok + a : NULL;
        }
        if (gb_slice(j->ag, j->na, j->run, ins, j->gid + a, b - a, glo, ghi, j->ovf, &sc) != 0)
            j->nomem = 1;
    }
    gb_scratch_free(&sc);
    return NULL;
}

/* Group ids of the rows by one int-like key, in order of first appearance (a missing key is
   a group of its own): gid (n entries, caller's), *first_out (each group's first row; caller
   frees), *ng_out. 0 or -1 (out of memory). */
static int gb_gids(const cv_column *k, int64_t n, int32_t *gid, int64_t **first_out,
                   int64_t *ng_out)
{
    gb_in kin = {k, gb_stor(k->type), 0, k->data, NULL};
    int64_t lo = INT64_MAX, hi = INT64_MIN, ng = 0, cap = 0, *first = NULL, miss_g = -1;
    const uint8_t *valid = k->valid;
#define GB_KVALID(i) (!valid || ((valid[(i) >> 3] >> ((i)&7)) & 1))
    GB_TYPED(
        &kin, for (int64_t i = 0; i < n; i++) if (GB_KVALID(i)) {
            int64_t v = (int64_t)X[i];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        })
    if (lo > hi)
        lo = hi = 0;
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1; /* 0 when the range is full: hashed */
    int ok = 1;
    if (span > 0 && span <= (1u << 28) && (span <= 65536 || span <= 2 * (uint64_t)n)) {
        /* a dense range: an array of group ids indexed by the key */
        int32_t *map = xmalloc(span * sizeof *map);
        if (!map)
            return -1;
        memset(map, 0xff, span * sizeof *map);
        GB_TYPED(
            &kin, for (int64_t i = 0; i < n && ok; i++) {
                int32_t g;
                if (!GB_KVALID(i)) {
                    if (miss_g < 0) {
                        miss_g = ng;
                        ok = cv_tbl_push_first(&first, &cap, ng++, i) == 0;
                    }
                    g = (int32_t)miss_g;
                } else {
                    int32_t *slot = &map[(uint64_t)(int64_t)X[i] - (uint64_t)lo];
                    if ((g = *slot) < 0) {
                        g = *slot = (int32_t)ng;
                        ok = cv_tbl_push_first(&first, &cap, ng++, i) == 0;
                    }
                }
                gid[i] = g;
            })
        cv_free(map);
        goto out;
    }
    wmap m;
    if (cv_tbl_wmap_init(&m, 0, span, n) != 0) {
        cv_tbl_wmap_free(&m);
        return -1;
    }
    GB_TYPED(
        &kin, for (int64_t i = 0; i < n && ok; i++) {
            int64_t g;
            if (!GB_KVALID(i)) {
                if (miss_g < 0) {
                    miss_g = m.n++;
                    ok = cv_tbl_push_first(&first, &cap, ng++, i) == 0;
                }
                g = miss_g;
            } else {
                g = wmap_get(&m, (uint64_t)(int64_t)X[i] - (uint64_t)lo, 1);
                if (g == ng)
                    ok = cv_tbl_push_first(&first, &cap, ng++, i) == 0;
                else if (g < 0)
                    ok = 0;
            }
            gid[i] = (int32_t)g;
        })
    cv_tbl_wmap_free(&m);
out:
#undef GB_KVALID
    if (ok && !first)
        ok = (first = xmalloc(sizeof *first)) != NULL;
    if (!ok) {
        cv_free(first);
        return -1;
    }
    *first_out = first;
    *ng_out = ng;
    return 0;
}

/* An input's values (and presence bytes) to copy to their places in the partitions. */
typedef struct gb_scatter_job {
    const int32_t *dst; /* each row's place */
    const gb_in *in;
    void *data;  /* the partitioned values */
    uint8_t *ok; /* the partitioned presence bytes, when in has them */
} gb_scatter_job;

/* Copies rows from .. to (each to its own place: any chunking gives the same result). */
static void gb_scatter(void *ud, size_t from, size_t to)
{
    const gb_scatter_job *j = ud;
    const int32_t *dst = j->dst;
    const gb_in *in = j->in;
    GB_TYPED(in, T *d = j->data;
             for (int64_t i = (int64_t)from; i < (int64_t)to; i++) d[dst[i]] = X[i];)
    if (in->ok)
        for (int64_t i = (int64_t)from; i < (int64_t)to; i++)
            j->ok[dst[i]] = in->ok[i];
}

/* Partitions input in by the places dst (into data and ok), by chunks of the rows on
   cv_threads() threads when threads is set. */
static void gb_scatter_input(const int32_t *dst, int64_t n, const gb_in *in, void *data,
                             uint8_t *ok, int threads)
{
    gb_scatter_job job = {dst, in, data, ok};
    cv_par_for((size_t)n, threads ? 2 : SIZE_MAX, gb_scatter, &job);
}

/* The places of the rows in partitions by ranges of group ids (np partitions of 1 << shift
   groups, rows in order within each; off from the counts): gid is overwritten with each
   row's place, and pgid receives the group ids in partition order. */
static void gb_place(int32_t *gid, int64_t n, const int64_t *off, int np, int shift, int32_t *pgid)
{
    int64_t pos[64];
    memcpy(pos, off, (size_t)np * sizeof *pos);
    for (int64_t i = 0; i < n; i++) {
        int32_t g = gid[i];
        int64_t q = pos[g >> shift]++;
        pgid[q] = g;
        gid[i] = (int32_t)q;
    }
}

/* 1 when the fast path can compute group_by(t, {key}, aggs): an int-like key and aggregates
   it has, over columns of the types they accept (anything else goes the general way, which
   also reports the errors). */
int cv_tbl_gb_applies(const cv_table *t, const cv_column *k, const cv_agg *aggs, int naggs)
{
    if (k->type == CV_FLOAT64 || t->nrows >= INT32_MAX || naggs > 64)
        return 0;
    for (int a = 0; a < naggs; a++) {
        const cv_column *c = NULL;
        if (aggs[a].col) {
            int j = cv_table_find(t, aggs[a].col);
            if (j < 0)
                return 0;
            c = t->cols[j];
        }
        switch (aggs[a].fn) {
        case CV_AGG_COUNT:
            break;
        case CV_AGG_SUM:
        case CV_AGG_MEAN:
            if (!c || !is_numeric(c->type))
                return 0;
            break;
        case CV_AGG_MIN:
        case CV_AGG_MAX:
            if (!c || c->type == CV_STRING)
                return 0;
            break;
        case CV_AGG_FIRST:
        case CV_AGG_LAST:
        case CV_AGG_NDISTINCT:
            if (!c)
                return 0;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

/* group_by(t, {k->name}, aggs) by the fast path (cv_tbl_gb_applies holds); NULL with err
   set. */
cv_table *cv_tbl_group_fast(const cv_table *t, cv_column *k, const cv_agg *aggs, int naggs,
                            cv_error *err)
{
    int64_t n = t->nrows, ng = 0, *first = NULL, *off = NULL;
    int32_t *gid = xmalloc((size_t)n * sizeof *gid), *pgid = NULL;
    gb_agg ag[64];
    gb_in ins[64];
    void *pbuf = NULL;
    uint8_t *okbuf[64], *pok = NULL, ovf[2][64];
    int nin = 0, np = 1, shift = -1;
    cv_table *r = NULL;
    memset(ag, 0, sizeof ag);
    memset(okbuf, 0, sizeof okbuf);
    memset(ovf, 0, sizeof ovf);
    if (!gid || gb_gids(k, n, gid, &first, &ng) != 0)
        goto nomem;
    if (cv_cancel_check(err)) /* after the group ids, and before each round below */
        goto fail;

    /* inputs (each column once) and outputs */
    for (int a = 0; a < naggs; a++) {
        const cv_agg *x = &aggs[a];
        gb_agg *g = &ag[a];
        const cv_column *c = x->col ? t->cols[cv_table_find(t, x->col)] : NULL;
        g->fn = x->fn;
        g->in = -1;
        g->name = x->out ? x->out : (x->col ? x->col : cv_tbl_agg_name(x->fn));
        if (c) {
            for (int q = 0; q < nin; q++)
                if (ins[q].c == c)
                    g->in = q;
            if (g->in < 0) {
                g->in = nin;
                ins[nin] = (gb_in){c, gb_stor(c->type), cv_type_size(c->type), c->data, NULL};
                if (c->valid) { /* validity as bytes */
                    if (!(okbuf[nin] = xmalloc((size_t)n)))
                        goto nomem;
                    for (int64_t i = 0; i < n; i++)
                        okbuf[nin][i] = (uint8_t)cv_column_is_valid(c, i);
                    ins[nin].ok = okbuf[nin];
                }
                nin++;
            }
        }
        cv_type ot = CV_INT64;
        if ((x->fn == CV_AGG_SUM && c->type == CV_FLOAT64) || x->fn == CV_AGG_MEAN)
            ot = CV_FLOAT64;
        else if (x->fn == CV_AGG_MIN || x->fn == CV_AGG_MAX || x->fn == CV_AGG_FIRST ||
                 x->fn == CV_AGG_LAST)
            ot = c->type;
        if (ot == CV_STRING) {
            if ((g->out = cv_column_new_dict(g->name, ng, c->dict)) != NULL) {
                if (ng > 0)
                    memset(g->out->data, 0, (size_t)ng * 4);
                g->out->n = ng;
            }
        } else {
            g->out = cv_tbl_agg_column(g->name, ot, ng);
        }
        if (!g->out)
            goto nomem;
        if (x->fn != CV_AGG_COUNT && x->fn != CV_AGG_NDISTINCT &&
            !(g->cnt = xcalloc((size_t)ng, sizeof *g->cnt)))
            goto nomem;
        if (x->fn == CV_AGG_MIN || x->fn == CV_AGG_MAX)
            gb_fill_extreme(g->out, x->fn == CV_AGG_MAX);
        if (ot == CV_FLOAT64 && (x->fn == CV_AGG_SUM || x->fn == CV_AGG_MEAN) &&
            !(g->comp = xcalloc((size_t)ng, sizeof *g->comp)))
            goto nomem;
    }

    /* partitions by ranges of group ids, so that each one's group states fit in cache; the
       inputs are partitioned one at a time into one buffer, each followed by its aggregates */
    const int32_t *rgid = gid;
    int par = n >= GB_PAR_MIN_ROWS && cv_threads() > 1, rounds = 1;
    if (ng > GB_PART_MIN_GROUPS) {
        int bits = 0;
        size_t most = 1, anyok = 0;
        while (((int64_t)1 << bits) < ng)
            bits++;
        shift = bits - 6 > 13 ? bits - 6 : 13;
        np = (int)((ng + ((int64_t)1 << shift) - 1) >> shift);
        for (int q = 0; q < nin; q++) {
            most = ins[q].size > most ? ins[q].size : most;
            anyok |= ins[q].ok != NULL;
        }
        if (!(off = xcalloc((size_t)np + 1, sizeof *off)) ||
            !(pgid = xmalloc((size_t)n * sizeof *pgid)) || !(pbuf = xmalloc((size_t)n * most)) ||
            (anyok && !(pok = xmalloc((size_t)n))))
            goto nomem;
        for (int64_t i = 0; i < n; i++)
            off[(gid[i] >> shift) + 1]++;
        for (int p = 0; p < np; p++)
            off[p + 1] += off[p];
        gb_place(gid, n, off, np, shift, pgid);
        rgid = pgid;
        rounds = nin > 0 ? nin : 1;
    } else {
        if (!(off = xcalloc(2, sizeof *off)))
            goto nomem;
        off[1] = n;
    }

    /* aggregate the slices: two workers over halves of the rows when it pays (par: large
       and cv_threads() > 1; two, whatever the count, each with its own overflow flags) */
    int split = 0;
    if (np > 1 && par) {
        while (split < np && off[split] < n / 2)
            split++;
    }
    for (int round = 0; round < rounds; round++) {
        uint8_t run[64];
        if (cv_cancel_check(err))
            goto fail;
        for (int a = 0; a < naggs; a++)
            run[a] = shift < 0 || ag[a].in == round || (ag[a].in < 0 && round == 0);
        if (shift >= 0 && round < nin) {
            gb_scatter_input(gid, n, &ins[round], pbuf, ins[round].ok ? pok : NULL, par);
            ins[round].data = pbuf;
            ins[round].ok = ins[round].ok ? pok : NULL;
        }
        gb_job job[2];
        for (int w = 0; w < 2; w++)
            job[w] = (gb_job){ag, naggs, nin, ins, rgid, off, shift, ng, 0, np, ovf[w], run, 0};
        if (split > 0 && split < np) {
            pthread_t th;
            job[0].p1 = split;
            job[1].p0 = split;
            if (pthread_create(&th, NULL, gb_run, &job[1]) == 0) {
                gb_run(&job[0]);
                pthread_join(th, NULL);
            } else {
                job[0].p1 = np;
                job[1].p0 = np;
                gb_run(&job[0]);
            }
        } else {
            job[1].p0 = np;
            gb_run(&job[0]);
        }
        if (job[0].nomem || job[1].nomem)
            goto nomem;
    }

    /* finish: sums and means from their parts, groups without values missing */
    for (int a = 0; a < naggs; a++) {
        gb_agg *g = &ag[a];
        if (!g->cnt)
            continue;
        if (g->comp) {
            double *o = g->out->data;
            for (int64_t q = 0; q < ng; q++) {
                double sum = o[q] + g->comp[q];
                o[q] = g->fn == CV_AGG_SUM ? sum : g->cnt[q] ? sum / (double)g->cnt[q] : 0;
            }
            if (g->fn == CV_AGG_SUM && g->in >= 0)
                cv_tbl_sum_decimals(ins[g->in].c, o, ng);
        }
        size_t w = cv_type_size(g->out->type);
        for (int64_t q = 0; q < ng; q++)
            if (!g->cnt[q]) {
                memset((char *)g->out->data + (size_t)q * w, 0, w);
                if (mark_missing(g->out, q) != 0)
                    goto nomem;
            }
    }
    if (!(r = cv_table_new()))
        goto nomem;
    {
        cv_column *kcol = cv_column_take(k, first, ng);
        int rc = kcol ? cv_table_add(r, kcol, err) : NOMEM(err);
        cv_column_unref(kcol);
        for (int a = 0; a < naggs && rc == 0; a++) {
            if (ovf[0][a] || ovf[1][a]) {
                rc = cv_error_set(err, CV_ERR_DOMAIN,
                                  "sum of column '%s' overflows a 64-bit integer (cast it to "
                                  "float first)",
                                  ins[ag[a].in].c->name);
                break;
            }
            rc = cv_table_add(r, ag[a].out, err);
        }
        if (rc) {
            cv_table_free(r);
            r = NULL;
            goto done;
        }
        r->nrows = ng;
    }
    goto done;
nomem:
    NOMEM(err);
fail:
    cv_table_free(r);
    r = NULL;
done:
    for (int a = 0; a < naggs; a++) {
        cv_column_unref(ag[a].out);
        cv_free(ag[a].cnt);
        cv_free(ag[a].comp);
    }
    for (int q = 0; q < 64; q++)
        cv_free(okbuf[q]);
    cv_free(pbuf);
    cv_free(pok);
    cv_free(gid);
    cv_free(pgid);
    cv_free(first);
    cv_free(off);
    return r;
}
