/* cvkit model predictions on tables: the fast per-row prediction loop (cv_threads() threads, one
   evaluation per distinct (x, T)), the model rows of a table and prediction columns (see
   include/cvkit/clv.h). CLV, validation, tracking and synthetic transactions are in
   model_clv.c, model_validate.c, model_tracking.c and model_simulate.c. */
#include "cvkit/cancel.h"
#include "cvkit/clv.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"
#include "cvkit/threads.h"
#include "model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Distinct (x, T) pairs ---------------------------------------------------------------- */

static uint64_t dbits(double v)
{
    uint64_t u;
    if (v == 0.0)
        v = 0.0;
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t mix(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

void cv_model_pairs_free(cv_model_pairs *pp)
{
    cv_free(pp->x), cv_free(pp->T), cv_free(pp->idx);
    memset(pp, 0, sizeof *pp);
}

/* The distinct values of one column, coded 0, 1, ... in the order they come (an
   open-addressing table of CODE_SLOTS; up to CODE_MAX values). */
enum { CODE_SLOTS = 8192, CODE_MAX = 4096 };
typedef struct {
    uint64_t key[CODE_MAX]; /* dbits of each value */
    uint16_t slot[CODE_SLOTS];
    size_t k;
} col_codes;

/* the code of v (dbits u), coded anew when not seen; -1 past CODE_MAX values */
static inline long code_of(col_codes *c, uint64_t u)
{
    size_t h = (size_t)((u * 0x9E3779B97F4A7C15ULL) >> 51) & (CODE_SLOTS - 1);
    for (;; h = (h + 1) & (CODE_SLOTS - 1)) {
        const unsigned s = c->slot[h];
        if (s == 0) {
            if (c->k >= CODE_MAX)
                return -1;
            c->key[c->k++] = u, c->slot[h] = (uint16_t)c->k;
            return (long)c->k - 1;
        }
        if (c->key[s - 1] == u)
            return (long)s - 1;
    }
}

/* cv_model_pairs_make when x and T have few distinct values (ages and recencies in whole
   days, counts): each column's values coded in small tables that stay in the cache, a pair
   found in a dense table by its two codes, instead of hashing the pairs into a table of
   2n slots (random accesses into megabytes). The same pairs in the same order. Returns 0, 1
   when the columns have too many distinct values (pp untouched but for its arrays), -1
   (memory). */
static int pairs_coded(const double *x, const double *T, size_t n, cv_model_pairs *pp)
{
    col_codes *cc = cv_calloc(2, sizeof *cc);
    uint32_t *cx = cv_malloc(sizeof *cx * (n ? n : 1)), *dense = NULL;
    size_t i, nT;
    int rc = 1;
    if (!cc || !cx) {
        rc = -1;
        goto done;
    }
    for (i = 0; i < n; i++) { /* x's codes, then T's (kept in idx until the pairs replace them) */
        const long a = code_of(&cc[0], dbits(x ? x[i] : 0.0));
        const long b = code_of(&cc[1], dbits(T ? T[i] : 0.0));
        if (a < 0 || b < 0)
            goto done;
        cx[i] = (uint32_t)a, pp->idx[i] = (uint32_t)b;
    }
    nT = cc[1].k;
    if (cc[0].k * nT > 2 * n + 4096) /* the dense table would outgrow the hashed one */
        goto done;
    if (!(dense = cv_calloc(cc[0].k * nT, sizeof *dense))) {
        rc = -1;
        goto done;
    }
    for (i = 0; i < n; i++) {
        uint32_t *s = &dense[cx[i] * nT + pp->idx[i]];
        if (*s == 0) {
            pp->x[pp->k] = x ? x[i] : 0.0, pp->T[pp->k] = T ? T[i] : 0.0;
            *s = (uint32_t)(++pp->k);
        }
        pp->idx[i] = *s - 1;
    }
    rc = 0;
done:
    cv_free(cc), cv_free(cx), cv_free(dense);
    return rc;
}

int cv_model_pairs_make(const double *x, const double *T, size_t n, cv_model_pairs *pp)
{
    size_t cap = 16, mask, i;
    uint32_t *slot;
    int rc;
    memset(pp, 0, sizeof *pp);
    while (cap < 2 * n)
        cap <<= 1;
    mask = cap - 1;
    pp->x = cv_malloc(sizeof(double) * (n ? n : 1));
    pp->T = cv_malloc(sizeof(double) * (n ? n : 1));
    pp->idx = cv_malloc(sizeof(uint32_t) * (n ? n : 1));
    if (!pp->x || !pp->T || !pp->idx || n >= UINT32_MAX || (rc = pairs_coded(x, T, n, pp)) < 0 ||
        (rc > 0 && !(slot = cv_calloc(cap, sizeof *slot)))) {
        cv_model_pairs_free(pp);
        return -1;
    }
    if (rc == 0)
        return 0;
    for (i = 0; i < n; i++) {
        double xi = x ? x[i] : 0.0, Ti = T ? T[i] : 0.0;
        size_t h = (size_t)mix(dbits(xi) * 31 + mix(dbits(Ti))) & mask;
        for (;; h = (h + 1) & mask) {
            if (slot[h] == 0) {
                pp->x[pp->k] = xi, pp->T[pp->k] = Ti;
                slot[h] = (uint32_t)(++pp->k);
                pp->idx[i] = (uint32_t)(pp->k - 1);
                break;
            }
            if (dbits(pp->x[slot[h] - 1]) == dbits(xi) && dbits(pp->T[slot[h] - 1]) == dbits(Ti)) {
                pp->idx[i] = slot[h] - 1;
                break;
            }
        }
    }
    cv_free(slot);
    return 0;
}

/* ---- Per-row predictions ------------------------------------------------------------------ */

typedef struct {
    const cv_model *model;
    const double *p;
    cv_pred kind;
    const cv_model_data *d;
    double arg, arg2;
    double *out;
    const double *factor;  /* per distinct pair, or NULL */
    const uint32_t *idx;   /* the pair of each row */
    const double *px, *pT; /* the distinct pairs (for the factor pass) */
    cv_progress *prog;     /* rows and pairs done, from every thread */
} pred_job;

static void pred_rows(void *v, size_t lo, size_t hi)
{
    const pred_job *j = v;
    const cv_model_data *d = j->d;
    size_t i;
    for (i = lo; i < hi; i++) {
        double x = d->x ? d->x[i] : 0.0, tx = d->t_x ? d->t_x[i] : 0.0;
        if ((i & 0xfff) == 0) {
            if (cv_cancelled()) { /* cv_model_predict reports it */
                for (; i < hi; i++)
                    j->out[i] = NAN;
                return;
            }
            if (i > lo)
                cv_progress_add(j->prog, 0x1000);
        }
        double T = d->T ? d->T[i] : 0.0, m = d->m ? d->m[i] : 0.0;
        if (j->factor)
            j->out[i] =
                j->model->predict(j->p, CV_PRED_P_ALIVE, x, tx, T, m, 0, 0) * j->factor[j->idx[i]];
        else
            j->out[i] = j->model->predict(j->p, j->kind, x, tx, T, m, j->arg, j->arg2);
    }
}

static void pred_pairs(void *v, size_t lo, size_t hi)
{
    const pred_job *j = v;
    size_t i;
    for (i = lo; i < hi; i++) {
        if ((i & 0xff) == 0 && i > lo)
            cv_progress_add(j->prog, 0x100);
        j->out[i] =
            j->model->predict(j->p, j->kind, j->px[i], j->pT[i], j->pT[i], 0.0, j->arg, j->arg2);
    }
}

#define PAR_MIN 20000

size_t cv_model_predict_rows(const cv_model *model, const double *p, cv_pred kind,
                             const cv_model_data *d, double arg, double arg2, double *out,
                             size_t *bad)
{
    pred_job job;
    cv_model_pairs pp;
    double *factor = NULL;
    size_t i, nbad = 0;
    cv_pred alive_kind =
        kind == CV_PRED_CONDITIONAL ? CV_PRED_CONDITIONAL_ALIVE : CV_PRED_DERT_ALIVE;
    cv_progress prog; /* rows, and the distinct pairs first when there are */
    if ((kind == CV_PRED_P_ALIVE || kind == CV_PRED_CONDITIONAL || kind == CV_PRED_DERT) &&
        arg2 == 0.0 && d->n >= 64) { /* once per distinct row */
        cv_model_pred_set ps;
        memset(&ps, 0, sizeof ps);
        if (kind == CV_PRED_P_ALIVE)
            ps.alive = out;
        else if (kind == CV_PRED_CONDITIONAL)
            ps.cond = out, ps.cond_t = arg;
        else
            ps.dert = out, ps.dert_arg = arg;
        if (cv_model_predict_set(model, p, d, &ps) == 0) {
            for (i = 0; i < d->n; i++)
                if (isnan(out[i]) && nbad++ == 0)
                    *bad = i;
            return nbad;
        }
    }
    memset(&job, 0, sizeof job);
    job.model = model, job.p = p, job.kind = kind, job.d = d, job.arg = arg, job.arg2 = arg2;
    job.out = out;
    job.prog = &prog;
    cv_progress_begin(&prog, "predict", CV_PROGRESS_ROWS, d->n);
    if ((kind == CV_PRED_CONDITIONAL || kind == CV_PRED_DERT) &&
        (model->preds & (1u << alive_kind)) && (model->preds & (1u << CV_PRED_P_ALIVE)) &&
        d->n >= 64 && cv_model_pairs_make(d->x, d->T, d->n, &pp) == 0) {
        factor = cv_malloc(sizeof(double) * (pp.k ? pp.k : 1));
        if (factor) {
            prog.total += pp.k;
            pred_job pj = job;
            pj.kind = alive_kind, pj.out = factor, pj.px = pp.x, pj.pT = pp.T;
            cv_par_for(pp.k, 256, pred_pairs, &pj);
            job.factor = factor, job.idx = pp.idx;
        }
    }
    cv_par_for(d->n, PAR_MIN, pred_rows, &job);
    if (factor)
        cv_free(factor), cv_model_pairs_free(&pp);
    for (i = 0; i < d->n; i++)
        if (isnan(out[i]) && nbad++ == 0)
            *bad = i;
    cv_progress_end(&prog, !cv_cancelled());
    return nbad;
}

/* ---- Tables --------------------------------------------------------------------------------- */

int cv_model_column_doubles(const cv_table *t, const char *name, double *dst, cv_error *err)
{
    cv_column *c = cv_table_col(t, name, err);
    int64_t i;
    if (!c)
        return CV_ERR_USAGE;
    if (c->type != CV_INT64 && c->type != CV_FLOAT64)
        return cv_error_set(err, CV_ERR_TYPE, "column '%s' is %s, expected a number", name,
                            cv_type_name(c->type));
    if (c->type == CV_FLOAT64 && !c->valid) { /* no missing values: a copy */
        if (t->nrows > 0)
            memcpy(dst, c->data, (size_t)t->nrows * sizeof *dst);
        return 0;
    }
    for (i = 0; i < t->nrows; i++)
        dst[i] = !cv_column_is_valid(c, i) ? NAN
                 : c->type == CV_INT64     ? (double)cv_column_int(c, i)
                                           : cv_column_float(c, i);
    return 0;
}

int cv_model_rows_from_table(const cv_model *model, const cv_table *t, const cv_model_cols *cols,
                             cv_model_rows *out, cv_error *err)
{
    static const cv_model_cols none = {NULL, NULL, NULL, NULL, NULL};
    size_t n = (size_t)t->nrows, i;
    const char *names[5];
    double *arr[5];
    int k, rc;
    double *blk;
    if (!cols)
        cols = &none;
    names[0] = cv_model_col_or(cols->x, "x");
    names[1] = cv_model_col_or(cols->t_x, "t_x");
    names[2] = cv_model_col_or(cols->T, "T");
    names[3] = cv_model_col_or(cols->m, "mean_repeat_spend");
    names[4] = cols->w;
    memset(out, 0, sizeof *out);
    blk = cv_malloc(sizeof(double) * 5 * (n ? n : 1));
    if (!blk)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    for (k = 0; k < 5; k++) {
        unsigned need = k == 0   ? CV_NEED_X
                        : k == 1 ? CV_NEED_TX
                        : k == 2 ? CV_NEED_T
                        : k == 3 ? CV_NEED_M
                                 : 0;
        /* the weights first (as cv_model_collapse lays rows out), then x, t_x, T, m */
        arr[k] = (k == 4 ? names[4] != NULL : (model->needs & need) != 0)
                     ? blk + (k == 4 ? 0 : (size_t)(k + 1) * n)
                     : NULL;
        if (arr[k] && (rc = cv_model_column_doubles(t, names[k], arr[k], err)) != 0) {
            cv_free(blk);
            return rc;
        }
    }
    for (i = 0; i < n; i++)
        for (k = 0; k < 5; k++) {
            if (!arr[k] || !isnan(arr[k][i]))
                continue;
            if (k == 3 && arr[0] && arr[0][i] == 0.0) {
                arr[k][i] = 0.0; /* no repeat spend when x = 0: Gamma-Gamma skips the row */
                continue;
            }
            cv_free(blk);
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: missing value in column '%s'", i + 1,
                                names[k]);
        }
    if (!arr[4])
        for (i = 0; i < n; i++)
            blk[i] = 1.0;
    out->w = blk; /* the block's start: cv_model_rows_free frees it */
    out->x = arr[0], out->t_x = arr[1], out->T = arr[2], out->m = arr[3];
    out->data.n = n;
    out->data.x = arr[0], out->data.t_x = arr[1], out->data.T = arr[2], out->data.m = arr[3];
    out->data.w = arr[4];
    return 0;
}

cv_table *cv_model_with_filled(cv_table *t, cv_column *c, cv_error *err)
{
    double *data = c->data;
    int64_t i;
    /* NaN as missing, 0 under the bit, as a push of a missing value leaves it */
    c->n = t->nrows;
    for (i = 0; i < t->nrows; i++)
        if (isnan(data[i]) && (data[i] = 0.0, cv_column_set_missing(c, i) != 0)) {
            cv_column_unref(c);
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            return NULL;
        }
    if (cv_table_set(t, c, err) != 0) {
        cv_column_unref(c);
        return NULL;
    }
    cv_column_unref(c);
    return t;
}

cv_table *cv_model_with_column(cv_table *t, const char *name, const double *vals, cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, t->nrows > 0 ? t->nrows : 1);
    if (!c) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (t->nrows > 0)
        memcpy(c->data, vals, (size_t)t->nrows * sizeof *vals);
    return cv_model_with_filled(t, c, err);
}

cv_table *cv_model_table_copy(const cv_table *s, cv_error *err)
{
    cv_table *t = cv_table_new();
    int i;
    if (!t) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (i = 0; i < s->ncols; i++)
        if (cv_table_add(t, s->cols[i], err) != 0) {
            cv_table_free(t);
            return NULL;
        }
    t->nrows = s->nrows;
    return t;
}

cv_table *cv_model_table_with(const cv_model *model, const cv_table *s, const cv_model_cols *cols,
                              const char *name, cv_model_rows_fn predict, const void *ctx,
                              cv_error *err)
{
    cv_model_rows rows;
    cv_table *t = NULL;
    double *out;
    cv_error e2;
    int rc;
    if (cv_model_rows_from_table(model, s, cols, &rows, err) != 0)
        return NULL;
    out = cv_malloc(sizeof(double) * (rows.data.n ? rows.data.n : 1));
    if (!out) {
        cv_model_rows_free(&rows);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    rc = predict(ctx, &rows.data, out, &e2);
    if (rc != 0 && rc != CV_ERR_DOMAIN) {
        if (err)
            *err = e2;
    } else if ((t = cv_model_table_copy(s, err)) != NULL &&
               !cv_model_with_column(t, name, out, err)) {
        cv_table_free(t);
        t = NULL;
    }
    cv_free(out);
    cv_model_rows_free(&rows);
    return t;
}

typedef struct {
    const cv_model *model;
    const double *p;
    cv_pred kind;
    double arg, arg2;
} predict_ctx;

static int predict_rows(const void *v, const cv_model_data *d, double *out, cv_error *err)
{
    const predict_ctx *c = v;
    return cv_model_predict(c->model, c->p, c->kind, d, c->arg, c->arg2, out, err);
}

cv_table *cv_model_predict_table(const cv_model *model, const double *p, cv_pred kind, double arg,
                                 double arg2, const cv_table *s, const cv_model_cols *cols,
                                 const char *name, cv_error *err)
{
    const predict_ctx c = {model, p, kind, arg, arg2};
    return cv_model_table_with(model, s, cols, name, predict_rows, &c, err);
}

/* ---- Several predictions at once ---------------------------------------------------------- */

/* Finite horizons up to this many periods share one table of period ends and discount
   factors; longer ones go through cv_model_dtx_alive. */
#define SET_MAX_PERIODS 4096

typedef struct {
    const cv_model *model;
    const double *p;
    const cv_model_pred_set *ps;
    const cv_model_data *d;   /* the rows, or (without pairs) the distinct rows */
    const cv_model_pairs *pp; /* the distinct (x, T) of the rows, or none */
    const double *t, *vt;     /* the horizon's period ends and discount factors, or NULL */
    size_t nt;
    double *pc, *pd;    /* per pair: CONDITIONAL_ALIVE at cond_t; DERT_ALIVE or the path; per
                           distinct row without pairs: CONDITIONAL; DERT */
    double *ua;         /* per distinct row (without pairs): P(alive) */
    const uint32_t *ix; /* the distinct row of each row (without pairs) */
    cv_progress *prog;
} set_job;

static double at(const double *v, size_t i)
{
    return v ? v[i] : 0.0;
}

/* The workers' look at the time limit, every step rows (a power of two) after lo: 1 when the
   run was cancelled (the worker fills the rest with NaN, the caller reports it), else the
   progress counted. */
static int set_poll(const set_job *j, size_t i, size_t lo, size_t step)
{
    if ((i & (step - 1)) != 0 || i == lo)
        return 0;
    if (cv_cancelled())
        return 1;
    cv_progress_add(j->prog, step);
    return 0;
}

/* the parts of an alive customer, once per distinct (x, T) */
static void set_pairs(void *v, size_t lo, size_t hi)
{
    const set_job *j = v;
    const cv_model_pred_set *ps = j->ps;
    /* E[Y(t)] of an alive customer at the horizon's end is the path's end */
    const int shared = ps->cond && ps->dtx && j->t && ps->cond_t == j->t[j->nt - 1];
    size_t i;
    for (i = lo; i < hi; i++) {
        const double x = j->pp->x[i], T = j->pp->T[i];
        if (set_poll(j, i, lo, 0x100)) {
            for (; i < hi; i++)
                j->pc[i] = j->pd[i] = NAN;
            return;
        }
        if (ps->cond && !shared)
            j->pc[i] =
                j->model->predict(j->p, CV_PRED_CONDITIONAL_ALIVE, x, T, T, 0.0, ps->cond_t, 0.0);
        if (ps->dert)
            j->pd[i] = j->model->predict(j->p, CV_PRED_DERT_ALIVE, x, T, T, 0.0, ps->dert_arg, 0.0);
        else if (ps->dtx)
            j->pd[i] = j->t ? cv_model_dtx_alive_at(j->model, j->p, x, T, j->t, j->vt, j->nt,
                                                    shared ? &j->pc[i] : NULL)
                            : cv_model_dtx_alive(j->model, j->p, x, T, ps->horizon, ps->v);
    }
}

/* with pairs: P(alive) of each row, computed once and shared by the products with its
   pair's parts (the products cv_model_predict_rows forms) */
static void set_alive_rows(void *v, size_t lo, size_t hi)
{
    const set_job *j = v;
    const cv_model_pred_set *ps = j->ps;
    const cv_model_data *d = j->d;
    double *const life = ps->dert ? ps->dert : ps->dtx; /* DERT or the path's sum, or none */
    size_t i;
    for (i = lo; i < hi; i++) {
        const uint32_t q = j->pp->idx ? j->pp->idx[i] : 0;
        double a;
        if (set_poll(j, i, lo, 0x1000)) {
            for (; i < hi; i++) {
                if (ps->alive)
                    ps->alive[i] = NAN;
                if (ps->cond)
                    ps->cond[i] = NAN;
                if (life)
                    life[i] = NAN;
            }
            return;
        }
        a = j->model->predict(j->p, CV_PRED_P_ALIVE, at(d->x, i), at(d->t_x, i), at(d->T, i), 0.0,
                              0.0, 0.0);
        if (ps->alive)
            ps->alive[i] = a;
        if (ps->cond)
            ps->cond[i] = a * j->pc[q];
        if (life)
            life[i] = a * j->pd[q];
    }
}

/* without pairs: every prediction of each distinct row */
static void set_rows(void *v, size_t lo, size_t hi)
{
    const set_job *j = v;
    const cv_model_pred_set *ps = j->ps;
    const cv_model_data *u = j->d;
    size_t i;
    for (i = lo; i < hi; i++) {
        const double x = at(u->x, i), tx = at(u->t_x, i), T = at(u->T, i);
        if (set_poll(j, i, lo, 0x100)) {
            for (; i < hi; i++)
                j->ua[i] = j->pc[i] = j->pd[i] = NAN;
            return;
        }
        if (ps->alive)
            j->ua[i] = j->model->predict(j->p, CV_PRED_P_ALIVE, x, tx, T, 0.0, 0.0, 0.0);
        if (ps->cond)
            j->pc[i] = j->model->predict(j->p, CV_PRED_CONDITIONAL, x, tx, T, 0.0, ps->cond_t, 0.0);
        if (ps->dert)
            j->pd[i] = j->model->predict(j->p, CV_PRED_DERT, x, tx, T, 0.0, ps->dert_arg, 0.0);
    }
}

/* without pairs: every row takes its distinct row's values */
static void set_expand(void *v, size_t lo, size_t hi)
{
    const set_job *j = v;
    const cv_model_pred_set *ps = j->ps;
    size_t i;
    for (i = lo; i < hi; i++) {
        const uint32_t r = j->ix[i];
        if (ps->alive)
            ps->alive[i] = j->ua[r];
        if (ps->cond)
            ps->cond[i] = j->pc[r];
        if (ps->dert)
            ps->dert[i] = j->pd[r];
    }
}

int cv_model_predict_set(const cv_model *model, const double *p, const cv_model_data *d,
                         const cv_model_pred_set *ps)
{
    const cv_model_data in = {d->n, d->x, d->t_x, d->T, NULL, NULL};
    const unsigned need = (1u << CV_PRED_CONDITIONAL_ALIVE) | (1u << CV_PRED_DERT_ALIVE);
    const int parts = (model->preds & need) == need;
    cv_model_rows u;
    cv_model_pairs pp;
    cv_progress prog;
    set_job job;
    uint32_t *ix = NULL;
    double *buf = NULL, *tv = NULL;
    size_t k, i;
    int rc = -1;
    memset(&job, 0, sizeof job);
    memset(&pp, 0, sizeof pp);
    memset(&u, 0, sizeof u);
    if (!(model->preds & (1u << CV_PRED_P_ALIVE)) || d->n >= UINT32_MAX ||
        (ps->dtx && (!parts || !(ps->horizon > 0.0) || isinf(ps->horizon))))
        return -1;
    job.model = model, job.p = p, job.ps = ps, job.prog = &prog;
    if (parts) { /* P(alive) row by row, the rest per distinct (x, T) */
        if ((ps->cond || ps->dert || ps->dtx) && cv_model_pairs_make(d->x, d->T, d->n, &pp) != 0)
            goto done;
        k = pp.k;
        if (ps->dtx && ps->horizon <= SET_MAX_PERIODS) {
            double t0 = 0.0;
            job.nt = (size_t)ceil(ps->horizon);
            if (!(tv = cv_malloc(sizeof *tv * 2 * job.nt)))
                goto done;
            for (i = 0; i < job.nt; i++) { /* cv_model_dtx_alive's period ends, factors */
                tv[i] = t0 = fmin(t0 + 1.0, ps->horizon);
                tv[job.nt + i] = pow(ps->v, tv[i]);
            }
            job.t = tv, job.vt = tv + job.nt;
        }
    } else { /* everything once per distinct (x, t_x, T) */
        if (!(ix = cv_malloc(sizeof *ix * (d->n ? d->n : 1))) ||
            cv_model_collapse_index(&in, &u, ix) != 0)
            goto done;
        k = u.data.n;
    }
    if (!(buf = cv_malloc(sizeof *buf * (3 * k + 1))))
        goto done;
    job.d = parts ? d : &u.data, job.pp = &pp, job.ix = ix;
    job.ua = buf, job.pc = buf + k, job.pd = buf + 2 * k;
    cv_progress_begin(&prog, "predict", CV_PROGRESS_ROWS, k + (parts ? d->n : 0));
    if (parts) {
        if (ps->cond || ps->dert || ps->dtx)
            cv_par_for(k, 256, set_pairs, &job);
        cv_par_for(d->n, PAR_MIN, set_alive_rows, &job);
    } else {
        cv_par_for(k, 2000, set_rows, &job);
        cv_par_for(d->n, PAR_MIN, set_expand, &job);
    }
    cv_progress_end(&prog, !cv_cancelled());
    rc = 0;
done:
    cv_free(buf), cv_free(tv), cv_free(ix);
    cv_model_pairs_free(&pp);
    cv_model_rows_free(&u);
    return rc;
}
