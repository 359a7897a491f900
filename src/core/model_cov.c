/* cvkit time-invariant covariates (include/cvkit/covariates.h): the links of the model
   parameters to the covariates, collapsing on (z, x, t_x, T), the log-likelihood and its
   gradient by the chain rule, the fit, per-customer predictions and simulation, and the
   likelihood-ratio test. */
#include "cvkit/cancel.h"
#include "cvkit/covariates.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"
#include "cvkit/special.h"
#include "cvkit/threads.h"
#include "model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How the model's parameters depend on the covariates: parameter j scales with
   exp(sign[j] eta_proc[j]), eta_trans = g_trans' z, eta_life = g_life' z, eta_spend =
   g_spend' z (proc 0: fixed); eta is indexed by the process bit (1, 2, 4). procs: the
   processes the model's coefficients may act on. */
typedef struct {
    const cv_model *model;
    unsigned proc[CV_MODEL_MAXP];
    double sign[CV_MODEL_MAXP];
    unsigned procs;
} cov_link;

#define NETA 5 /* eta[CV_COV_TRANS], eta[CV_COV_LIFE], eta[CV_COV_SPEND] */

static const cov_link links[] = {
    /* r, alpha, s, beta */
    {&cv_model_pareto_nbd,
     {0, CV_COV_TRANS, 0, CV_COV_LIFE},
     {0, -1.0, 0, -1.0},
     CV_COV_TRANS | CV_COV_LIFE},
    /* r, alpha, a, b */
    {&cv_model_bgnbd,
     {0, CV_COV_TRANS, CV_COV_LIFE, CV_COV_LIFE},
     {0, -1.0, 1.0, 1.0},
     CV_COV_TRANS | CV_COV_LIFE},
    /* alpha, beta, gamma, delta: the first shape of each Beta, so that exp(g) is the odds
       ratio of the mean probability, E[p]/(1 - E[p]) = alpha_i / beta (purchase) and
       gamma_i / delta (dropout) (docs/models.md, "BG/BB with covariates") */
    {&cv_model_bgbb,
     {CV_COV_TRANS, 0, CV_COV_LIFE, 0},
     {1.0, 0, 1.0, 0},
     CV_COV_TRANS | CV_COV_LIFE},
    /* p, q, gamma: nu ~ Gamma(q, gamma_i) is the rate of the spends, so gamma_i =
       gamma e^(g'z) scales E[spend] = p gamma_i / (q - 1) by e^(g'z) (docs/models.md,
       "Gamma-Gamma with covariates") */
    {&cv_model_gamma_gamma, {0, 0, CV_COV_SPEND}, {0, 0, 1.0}, CV_COV_SPEND},
};

static const cov_link *link_of(const cv_model *model)
{
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (links[i].model == model)
            return &links[i];
    return NULL;
}

int cv_cov_supported(const cv_model *model)
{
    return link_of(model) != NULL;
}

/* p = the parameters at base (natural scale) for the linear predictors eta[CV_COV_TRANS],
   eta[CV_COV_LIFE] and eta[CV_COV_SPEND]. */
static void params_at(const cov_link *lk, int np, const double *base, const double *eta, double *p)
{
    for (int j = 0; j < np; j++)
        p[j] = lk->proc[j] ? base[j] * exp(lk->sign[j] * eta[lk->proc[j]]) : base[j];
}

void cv_cov_row_params(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t i,
                       double *p)
{
    const cov_link *lk = link_of(model);
    double eta[NETA] = {0, 0, 0, 0, 0};
    int np = model->nparams;
    for (size_t c = 0; spec && c < spec->ncoef; c++) {
        double v = est[np + (int)c] * spec->z[c][i];
        for (unsigned b = 1; b < NETA; b <<= 1)
            if (spec->proc[c] & b)
                eta[b] += v;
    }
    if (!lk) {
        memcpy(p, est, sizeof(double) * (size_t)np);
        return;
    }
    params_at(lk, np, est, eta, p);
}

void cv_cov_params_rows(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t n,
                        double *rowp)
{
    for (size_t i = 0; i < n; i++)
        cv_cov_row_params(model, est, spec, i, rowp + i * (size_t)model->nparams);
}

/* Checks the model, the number of coefficients and the covariates' values. */
static int check_spec(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                      cv_error *err)
{
    size_t ncoef = spec ? spec->ncoef : 0;
    const cov_link *lk = link_of(model);
    if (!lk)
        return cv_error_set(err, CV_ERR_USAGE,
                            "%s takes no covariates (bgnbd, pareto_nbd, bgbb and gamma_gamma do)",
                            model->name);
    if ((int)ncoef > CV_OPTIM_MAXN - model->nparams)
        return cv_error_set(err, CV_ERR_USAGE, "%s: %zu covariate coefficients, at most %d",
                            model->name, ncoef, CV_OPTIM_MAXN - model->nparams);
    for (size_t c = 0; c < ncoef; c++) {
        if (!spec->z[c] || !spec->proc[c])
            return cv_error_set(err, CV_ERR_USAGE, "covariate %zu: no column or no process", c + 1);
        if (spec->proc[c] & ~lk->procs)
            return cv_error_set(err, CV_ERR_USAGE, "covariate %zu: %s has %s", c + 1, model->name,
                                lk->procs == CV_COV_SPEND
                                    ? "covariates on the spend scale only (spend)"
                                    : "covariates on the purchase and dropout processes only "
                                      "(trans, life)");
        for (size_t i = 0; i < d->n; i++)
            if (!isfinite(spec->z[c][i]))
                return cv_error_set(
                    err, CV_ERR_USAGE, "row %zu: covariate %zu is %s, a finite number is needed",
                    i + 1, c + 1, isnan(spec->z[c][i]) ? "missing (NaN)" : "infinite");
    }
    return 0;
}

/* ---- Rows collapsed on (z, x, t_x, T) ------------------------------------------------------ */

typedef struct {
    size_t ncol;                 /* distinct covariate columns */
    const double **col;          /* ncol columns of the input */
    int *coef_col;               /* the column of each coefficient */
    double *x, *t_x, *T, *m, *w; /* nrows collapsed rows, grouped by pattern; t_x, T, m
                                    NULL when the data have none (the Gamma-Gamma: x, m) */
    size_t nrows, ngroups;
    size_t *goff; /* ngroups + 1: the rows of group g are goff[g] .. goff[g+1] */
    double *gz;   /* ngroups x ncol: each group's covariates */
} cov_rows;

static void cov_rows_free(cov_rows *cr)
{
    cv_free(cr->col), cv_free(cr->coef_col), cv_free(cr->x), cv_free(cr->goff), cv_free(cr->gz);
    memset(cr, 0, sizeof *cr);
}

static uint64_t zbits(double v)
{
    uint64_t u;
    if (v == 0.0)
        v = 0.0; /* -0.0 and 0.0 are one pattern */
    memcpy(&u, &v, sizeof u);
    return u;
}

/* The distinct covariate vectors of d's rows (pattern of each row into pid), in order of
   first appearance; the vectors into *gz (grown). Returns the number, or (size_t)-1. */
static size_t patterns(const cov_rows *cr, size_t n, uint32_t *pid, double **gz)
{
    size_t cap = 16, mask, k = 0, have = 64, i, c;
    uint32_t *slot;
    while (cap < 2 * n + 2)
        cap <<= 1;
    mask = cap - 1;
    slot = cv_calloc(cap, sizeof *slot);
    *gz = cv_malloc(sizeof(double) * have * (cr->ncol ? cr->ncol : 1));
    if (!slot || !*gz) {
        cv_free(slot);
        return (size_t)-1;
    }
    for (i = 0; i < n; i++) {
        uint64_t h = 0x9E3779B97F4A7C15ULL;
        for (c = 0; c < cr->ncol; c++)
            h = (h ^ zbits(cr->col[c][i])) * 0xBF58476D1CE4E5B9ULL, h ^= h >> 31;
        for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
            if (slot[s] == 0) {
                if (k == have) {
                    double *g = cv_realloc(*gz, sizeof(double) * (have *= 2) * cr->ncol);
                    if (!g) {
                        cv_free(slot);
                        return (size_t)-1;
                    }
                    *gz = g;
                }
                for (c = 0; c < cr->ncol; c++)
                    (*gz)[k * cr->ncol + c] = cr->col[c][i];
                slot[s] = (uint32_t)(++k);
                pid[i] = (uint32_t)(k - 1);
                break;
            }
            const double *z = *gz + (size_t)(slot[s] - 1) * cr->ncol;
            for (c = 0; c < cr->ncol && zbits(z[c]) == zbits(cr->col[c][i]); c++)
                ;
            if (c == cr->ncol) {
                pid[i] = slot[s] - 1;
                break;
            }
        }
    }
    cv_free(slot);
    return k;
}

size_t cv_cov_patterns(const cv_cov_spec *spec, size_t n, uint32_t *pid)
{
    cov_rows cr;
    double *gz = NULL;
    size_t k, c, u;
    memset(&cr, 0, sizeof cr);
    if (!spec || spec->ncoef == 0) {
        for (k = 0; k < n; k++)
            pid[k] = 0;
        return n ? 1 : 0;
    }
    if (n >= UINT32_MAX || !(cr.col = cv_malloc(sizeof(double *) * spec->ncoef)))
        return (size_t)-1;
    for (c = 0; c < spec->ncoef; c++) { /* each column once, as cov_rows_make */
        for (u = 0; u < cr.ncol && cr.col[u] != spec->z[c]; u++)
            ;
        if (u == cr.ncol)
            cr.col[cr.ncol++] = spec->z[c];
    }
    k = patterns(&cr, n, pid, &gz);
    cv_free(gz);
    cv_free(cr.col);
    return k;
}

/* Collapses d into cr: rows grouped by covariate pattern, identical (x, t_x, T) within a
   pattern summed (cv_model_collapse, sorted by x within the group). */
static int cov_rows_make(const cv_model_data *d, const cv_cov_spec *spec, cov_rows *cr,
                         cv_error *err)
{
    size_t n = d->n, ncoef = spec ? spec->ncoef : 0, i, c, g, out = 0;
    uint32_t *pid = NULL;
    size_t *cnt = NULL, *ord = NULL;
    double *tmp = NULL;
    memset(cr, 0, sizeof *cr);
    cr->col = cv_malloc(sizeof(double *) * (ncoef ? ncoef : 1));
    cr->coef_col = cv_malloc(sizeof(int) * (ncoef ? ncoef : 1));
    if (!cr->col || !cr->coef_col)
        goto nomem;
    for (c = 0; c < ncoef; c++) {
        size_t u;
        for (u = 0; u < cr->ncol && cr->col[u] != spec->z[c]; u++)
            ;
        if (u == cr->ncol)
            cr->col[cr->ncol++] = spec->z[c];
        cr->coef_col[c] = (int)u;
    }
    if (n >= UINT32_MAX)
        goto nomem;
    pid = cv_malloc(sizeof(uint32_t) * (n ? n : 1));
    if (!pid)
        goto nomem;
    cr->ngroups = patterns(cr, n, pid, &cr->gz);
    if (cr->ngroups == (size_t)-1) {
        cr->ngroups = 0;
        goto nomem;
    }
    cnt = cv_calloc(cr->ngroups + 1, sizeof *cnt);
    ord = cv_malloc(sizeof(size_t) * (n ? n : 1));
    tmp = cv_malloc(sizeof(double) * 5 * (n ? n : 1));
    cr->x = cv_malloc(sizeof(double) * 5 * (n ? n : 1));
    cr->goff = cv_malloc(sizeof(size_t) * (cr->ngroups + 1));
    if (!cnt || !ord || !tmp || !cr->x || !cr->goff)
        goto nomem;
    cr->t_x = d->t_x ? cr->x + n : NULL, cr->T = d->T ? cr->x + 2 * n : NULL;
    cr->m = d->m ? cr->x + 4 * n : NULL, cr->w = cr->x + 3 * n;
    for (i = 0; i < n; i++)
        cnt[pid[i] + 1]++;
    for (g = 1; g <= cr->ngroups; g++)
        cnt[g] += cnt[g - 1];
    for (i = 0; i < n; i++)
        ord[cnt[pid[i]]++] = i; /* cnt[g] ends as the end of group g */
    for (g = 0; g < cr->ngroups; g++) {
        size_t lo = g ? cnt[g - 1] : 0, m = cnt[g] - lo, j;
        double *gx = tmp, *gtx = tmp + n, *gT = tmp + 2 * n, *gw = tmp + 3 * n;
        double *gm = tmp + 4 * n;
        cr->goff[g] = out;
        for (j = 0; j < m; j++) {
            size_t r = ord[lo + j];
            gx[j] = d->x[r], gw[j] = d->w ? d->w[r] : 1.0;
            gtx[j] = d->t_x ? d->t_x[r] : 0.0, gT[j] = d->T ? d->T[r] : 0.0;
            gm[j] = d->m ? d->m[r] : 0.0;
        }
        if (m == 1) {
            cr->x[out] = gx[0], cr->w[out] = gw[0];
            if (cr->t_x)
                cr->t_x[out] = gtx[0];
            if (cr->T)
                cr->T[out] = gT[0];
            if (cr->m)
                cr->m[out] = gm[0];
            out++;
        } else {
            cv_model_data in = {m, gx, d->t_x ? gtx : NULL, d->T ? gT : NULL, d->m ? gm : NULL, gw};
            cv_model_rows rows;
            if (cv_model_collapse(&in, &rows, err) != 0)
                goto fail;
            for (j = 0; j < rows.data.n; j++, out++) {
                cr->x[out] = rows.x[j], cr->w[out] = rows.w[j];
                if (cr->t_x)
                    cr->t_x[out] = rows.t_x[j];
                if (cr->T)
                    cr->T[out] = rows.T[j];
                if (cr->m)
                    cr->m[out] = rows.m[j];
            }
            cv_model_rows_free(&rows);
        }
    }
    cr->goff[cr->ngroups] = out;
    cr->nrows = out;
    cv_free(pid), cv_free(cnt), cv_free(ord), cv_free(tmp);
    return 0;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows with covariates", n);
fail:
    cv_free(pid), cv_free(cnt), cv_free(ord), cv_free(tmp);
    cov_rows_free(cr);
    return CV_ERR_NOMEM;
}

/* ---- Log-likelihood and gradient by theta ---------------------------------------------------- */

typedef struct {
    const cv_model *model;
    const cov_link *lk;
    const cov_rows *cr;
    const cv_cov_spec *spec;
    const double *theta;
    size_t g0, g1; /* this part's groups */
    int want_grad, rc;
    double ll, grad[CV_OPTIM_MAXN];
} ll_part;

/* The log-likelihood of the groups g0 .. g1 at theta, and its gradient by theta. */
static void ll_groups(ll_part *pt)
{
    const cv_model *model = pt->model;
    const cov_rows *cr = pt->cr;
    const int np = model->nparams, ncoef = (int)(pt->spec ? pt->spec->ncoef : 0);
    double base[CV_MODEL_MAXP], p[CV_MODEL_MAXP], gn[CV_MODEL_MAXP] = {0};
    int j, c;
    pt->ll = 0.0, pt->rc = 0;
    memset(pt->grad, 0, sizeof pt->grad);
    for (j = 0; j < np; j++)
        base[j] = exp(pt->theta[j]);
    for (size_t g = pt->g0; g < pt->g1; g++) {
        const double *z = cr->gz + g * cr->ncol;
        double eta[NETA] = {0, 0, 0, 0, 0}, ll;
        size_t lo = cr->goff[g];
        cv_model_data d = {cr->goff[g + 1] - lo,          cr->x + lo,
                           cr->t_x ? cr->t_x + lo : NULL, cr->T ? cr->T + lo : NULL,
                           cr->m ? cr->m + lo : NULL,     cr->w + lo};
        for (c = 0; c < ncoef; c++) {
            double v = pt->theta[np + c] * z[cr->coef_col[c]];
            for (unsigned b = 1; b < NETA; b <<= 1)
                if (pt->spec->proc[c] & b)
                    eta[b] += v;
        }
        params_at(pt->lk, np, base, eta, p);
        for (j = 0; j < np; j++)
            if (!(p[j] > 0.0) || !isfinite(p[j])) {
                pt->rc = -1;
                return;
            }
        if (model->loglik(p, &d, &ll, pt->want_grad ? gn : NULL) != 0 || !isfinite(ll)) {
            pt->rc = -1;
            return;
        }
        pt->ll += ll;
        if (!pt->want_grad)
            continue;
        /* d p_gj / d log p_j = p_gj; d p_gj / d g_c = sign_j z_c p_gj when c acts on j's
           process */
        for (j = 0; j < np; j++) {
            double dj = gn[j] * p[j];
            pt->grad[j] += dj;
            if (!pt->lk->proc[j])
                continue;
            for (c = 0; c < ncoef; c++)
                if (pt->spec->proc[c] & pt->lk->proc[j])
                    pt->grad[np + c] += dj * pt->lk->sign[j] * z[cr->coef_col[c]];
        }
    }
}

static void ll_parts(void *v, size_t lo, size_t hi)
{
    ll_part *pt = v;
    for (size_t k = lo; k < hi; k++)
        ll_groups(&pt[k]);
}

/* The log-likelihood of cr at theta in two parts (groups split at half the rows, fixed
   whatever the thread count, so that the sum has the same bits everywhere), on two threads
   when cv_threads() allows and the rows are many. 0, or -1 when not finite. */
static int cov_ll(const cv_model *model, const cov_rows *cr, const cv_cov_spec *spec,
                  const double *theta, double *ll, double *grad)
{
    const cov_link *lk = link_of(model);
    ll_part pt[2];
    size_t split = 0;
    int k = model->nparams + (int)(spec ? spec->ncoef : 0);
    while (split < cr->ngroups && cr->goff[split + 1] <= cr->nrows / 2)
        split++;
    for (int h = 0; h < 2; h++) {
        pt[h].model = model, pt[h].lk = lk, pt[h].cr = cr, pt[h].spec = spec;
        pt[h].theta = theta, pt[h].want_grad = grad != NULL;
        pt[h].g0 = h ? split : 0, pt[h].g1 = h ? cr->ngroups : split;
    }
    if (cr->nrows >= 4096)
        cv_par_for(2, 2, ll_parts, pt);
    else
        ll_parts(pt, 0, 2);
    if (pt[0].rc || pt[1].rc)
        return -1;
    *ll = pt[0].ll + pt[1].ll;
    for (int j = 0; grad && j < k; j++)
        grad[j] = pt[0].grad[j] + pt[1].grad[j];
    return isfinite(*ll) ? 0 : -1;
}

int cv_cov_loglik(const cv_model *model, const double *theta, const cv_model_data *d,
                  const cv_cov_spec *spec, double *ll, double *grad, cv_error *err)
{
    cov_rows cr;
    size_t row = 0;
    const char *why = NULL;
    int rc;
    if (check_spec(model, d, spec, err))
        return CV_ERR_USAGE;
    if (model->check(d, &row, &why) != 0)
        return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", row + 1, why);
    if (cov_rows_make(d, spec, &cr, err) != 0)
        return CV_ERR_NOMEM;
    rc = cov_ll(model, &cr, spec, theta, ll, grad);
    cov_rows_free(&cr);
    if (rc != 0)
        return cv_error_set(err, CV_ERR_DOMAIN, "%s: log-likelihood not finite", model->name);
    return 0;
}

/* 1 when row r carries no information and is not counted in N: a customer first seen at
   the end (T = 0, likelihood 1); for the Gamma-Gamma, one without repeat spend (x = 0) */
static int continuous_zero_age(const cv_model *model, const cv_model_data *d, size_t r)
{
    if (model == &cv_model_gamma_gamma)
        return !(d->x[r] > 0.0);
    return !(d->T[r] > 0.0);
}

/* ---- The fit ----------------------------------------------------------------------------- */

#define LOG_BOUND 20.0 /* as model_core.c: log-parameters within +-20 */
#define LOG_EDGE 12.0
#define LOG_SOFT 8.0
#define COEF_BOUND 50.0 /* |coefficient x covariate| beyond is no rate */

typedef struct {
    const cv_model *model;
    const cov_rows *cr;
    const cv_cov_spec *spec;
    double scale; /* 1 / N */
    double bound; /* |log-parameter| allowed: LOG_BOUND, one more for the Hessian's steps */
    const cv_penalty *pen; /* added to the objective (NULL: none) */
    cv_progress *prog;
} fit_ctx;

/* The L2 weight of each process's coefficients (indexed by the process bit, as eta):
   CLVTools' reg.lambdas trans and life, and spend on the Gamma-Gamma's spend scale. */
static void proc_lambdas(const cv_penalty *pen, double lam[NETA])
{
    for (int b = 0; b < NETA; b++)
        lam[b] = 0.0;
    lam[CV_COV_TRANS] = pen->trans, lam[CV_COV_LIFE] = pen->life, lam[CV_COV_SPEND] = pen->spend;
}

/* CLVTools' reg.lambdas (its interlayer_regularization), for every process: the sum over the
   coefficients of lambda * coefficient^2, lambda the sum of the weights of the processes the
   coefficient acts on (trans + life for a constrained one, as CLVTools counts it after
   doubling it; spend for the Gamma-Gamma's), added to -LL/N; its gradient in the
   coefficients theta[np ..] is added to g (when not NULL). 0 without a penalty. */
static double coef_penalty(const cv_penalty *pen, const cv_cov_spec *spec, int np,
                           const double *theta, double *g)
{
    double s = 0.0, lamp[NETA];
    if (!pen || !spec || (!(pen->trans > 0.0) && !(pen->life > 0.0) && !(pen->spend > 0.0)))
        return 0.0;
    proc_lambdas(pen, lamp);
    for (size_t c = 0; c < spec->ncoef; c++) {
        double lam = 0.0, v = theta[np + (int)c];
        for (unsigned b = 1; b < NETA; b <<= 1)
            if (spec->proc[c] & b)
                lam += lamp[b];
        s += lam * v * v;
        if (g)
            g[np + (int)c] += 2.0 * lam * v;
    }
    return s;
}

/* A positive weight of reg on a process the model has no coefficients on is refused:
   CV_ERR_USAGE naming the weight, or 0. */
static int check_reg(const cv_model *model, const cv_penalty *pen, cv_error *err)
{
    static const char *const key[NETA] = {NULL, "trans", "life", NULL, "spend"};
    const cov_link *lk = link_of(model);
    double lam[NETA];
    if (!pen || !lk)
        return 0;
    proc_lambdas(pen, lam);
    for (unsigned b = 1; b < NETA; b <<= 1)
        if (lam[b] > 0.0 && !(lk->procs & b))
            return cv_error_set(err, CV_ERR_USAGE,
                                "penalty: reg.%s is an L2 penalty on the %s.* coefficients and "
                                "%s has none",
                                key[b], key[b], model->name);
    return 0;
}

static double objective(int n, const double *theta, double *g, void *vctx)
{
    const fit_ctx *c = vctx;
    const int np = c->model->nparams;
    double ll, gr[CV_OPTIM_MAXN] = {0}, f;
    int i;
    cv_progress_add(c->prog, 1);
    for (i = 0; i < n; i++)
        if (fabs(theta[i]) > (i < np ? c->bound : COEF_BOUND))
            return NAN;
    if (cov_ll(c->model, c->cr, c->spec, theta, &ll, g ? gr : NULL) != 0)
        return NAN;
    for (i = 0; g && i < n; i++)
        g[i] = -gr[i] * c->scale;
    f = -ll * c->scale;
    if (c->pen) /* the model's parameters as every fit (model_core.c), then the coefficients */
        f += cv_model_penalty(c->pen, np, theta, g) + coef_penalty(c->pen, c->spec, np, theta, g);
    return f;
}

/* The objective over the parameters not in fixed (the others kept at full's values). */
typedef struct {
    fit_ctx *c;
    int k;
    unsigned fixed;
    double full[CV_OPTIM_MAXN];
} part_ctx;

static double objective_part(int n, const double *t, double *g, void *vp)
{
    part_ctx *pc = vp;
    double gf[CV_OPTIM_MAXN], f;
    int i, j;
    for (i = 0, j = 0; i < pc->k; i++)
        if (!(pc->fixed & (1u << i)))
            pc->full[i] = t[j++];
    (void)n;
    f = objective(pc->k, pc->full, g ? gf : NULL, pc->c);
    for (i = 0, j = 0; g && i < pc->k; i++)
        if (!(pc->fixed & (1u << i)))
            g[j++] = gf[i];
    return f;
}

/* Minimizes over the parameters of theta not in fixed, from theta (overwritten with the
   best point), then again from the best point (a fresh quasi-Newton matrix) while that
   gains. cv_optim_minimize's return values. */
static int minimize(fit_ctx *c, int k, double *theta, unsigned fixed, const cv_optim_opts *oo,
                    cv_optim_result *res, cv_error *err)
{
    part_ctx pc;
    double t[CV_OPTIM_MAXN];
    int i, n = 0, rc, again;
    pc.c = c, pc.k = k, pc.fixed = fixed;
    memcpy(pc.full, theta, sizeof(double) * (size_t)k);
    for (i = 0; i < k; i++)
        if (!(fixed & (1u << i)))
            t[n++] = theta[i];
    rc = cv_optim_minimize(n, t, objective_part, &pc, oo, res, err);
    for (again = 0; again < 4 && rc <= 1; again++) {
        cv_optim_result r2;
        double t2[CV_OPTIM_MAXN], f1 = res->f;
        int rc2;
        memcpy(t2, t, sizeof(double) * (size_t)n);
        rc2 = cv_optim_minimize(n, t2, objective_part, &pc, oo, &r2, err);
        if (rc2 > 1 || !(r2.f < f1))
            break;
        memcpy(t, t2, sizeof(double) * (size_t)n);
        r2.evaluations += res->evaluations, r2.iterations += res->iterations;
        *res = r2, rc = rc2;
        if (!((f1 - r2.f) / c->scale > 1e-9))
            break;
    }
    if (rc <= 1)
        for (i = 0, n = 0; i < k; i++)
            if (!(fixed & (1u << i)))
                theta[i] = t[n++];
    return rc;
}

void cv_cov_fit_free(cv_cov_fit *fit)
{
    if (fit) {
        cv_free(fit->est);
        memset(fit, 0, sizeof *fit);
    }
}

/* Standard errors of a fit whose parameters ran to the boundary (the information matrix is
   singular along them): the information of the other parameters with boundary ones left
   out, last first, until the rest is positive definite. When two run off together (s and
   beta; a and b), the likelihood depends on their ratio only, which the one kept carries;
   the coefficients' errors then include the uncertainty of the dropout level. Still
   singular: also without the parameters that weigh 0.3 or more in an eigenvector of a
   numerically zero eigenvalue (below 1e-8 of the largest: a coefficient that has no effect
   at the boundary, as the BG/NBD's life coefficients when a, b run off). The left-out and
   the boundary parameters keep NaN. */
static void partial_se(cv_cov_fit *fit, int np, const double *info)
{
    const int k = fit->k;
    int keep[CV_OPTIM_MAXN], m, i, j, drop;
    double sub[CV_OPTIM_MAXN * CV_OPTIM_MAXN], inv[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    unsigned out = 0, zero = 0;
    for (j = 0; j < k; j++)
        if (!(fit->eig[j] > 1e-8 * fit->eig[k - 1]))
            for (i = 0; i < k; i++)
                if (!(fabs(fit->eigvec[i * k + j]) < 0.3))
                    zero |= 1u << i;
    for (drop = np; drop >= -1; drop--) {
        if (drop == -1) /* every boundary parameter out and not enough: the zero directions */
            out |= zero;
        else if (drop == np || !(fit->boundary & (1u << drop)))
            continue;
        else
            out |= 1u << drop;
        for (m = 0, i = 0; i < k; i++)
            if (!(out & (1u << i)))
                keep[m++] = i;
        for (i = 0; i < m; i++)
            for (j = 0; j < m; j++)
                sub[i * m + j] = info[keep[i] * k + keep[j]];
        if (cv_optim_spd_inverse(m, sub, inv) != 0)
            continue;
        for (i = 0; i < m; i++) {
            int a = keep[i];
            double sd = sqrt(inv[i * m + i]);
            if ((a < np && (fit->boundary & (1u << a))) || (out & (1u << a)))
                continue;
            fit->se[a] = a < np ? fit->est[a] * sd : sd;
            for (j = 0; j < m; j++)
                fit->cov[a * k + keep[j]] = inv[i * m + j];
        }
        return;
    }
}

static int fit_run(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                   const cv_penalty *pen, cv_cov_fit *fit, cv_progress *prog, cv_error *err)
{
    const int np = model->nparams;
    const size_t ncoef = spec ? spec->ncoef : 0;
    const int k = np + (int)ncoef;
    cv_fit f0;
    cov_rows cr;
    fit_ctx ctx;
    cv_optim_opts oo;
    double theta[CV_OPTIM_MAXN], h[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    double info[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    int i, rc, have_info = 0;
    memset(fit, 0, sizeof *fit);
    fit->model = model;
    fit->status = CV_FIT_NOT_CONVERGED;
    if (check_spec(model, d, spec, err) || cv_penalty_check(pen, ncoef > 0, err))
        return CV_ERR_USAGE;
    if (check_reg(model, pen, err))
        return CV_ERR_USAGE;
    if (pen && (pen->params > 0.0 || pen->trans > 0.0 || pen->life > 0.0 || pen->spend > 0.0))
        fit->penalty = *pen;
    else
        pen = NULL;
    /* the model without covariates: checks the data, gives the start and the nested LL (the
       maximum-likelihood one; without covariates, the fit itself with its penalty) */
    rc = cv_model_fit_pen(model, d, NULL, ncoef == 0 ? pen : NULL, &f0, err);
    if (rc > 1)
        return rc;
    fit->est = cv_malloc(sizeof(double) * (size_t)(3 * k + 2 * k * k));
    if (!fit->est)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    fit->se = fit->est + k, fit->eig = fit->est + 2 * k, fit->cov = fit->est + 3 * k;
    fit->eigvec = fit->cov + k * k;
    fit->k = k, fit->ncoef = ncoef;
    fit->loglik0 = f0.loglik;
    fit->n_obs = f0.n_obs;
    for (i = 0; i < np; i++)
        theta[i] = fmax(fmin(log(f0.params[i]), LOG_BOUND - 1.0), 1.0 - LOG_BOUND);
    for (i = np; i < k; i++)
        theta[i] = 0.0;
    if (cov_rows_make(d, spec, &cr, err) != 0)
        return CV_ERR_NOMEM;
    fit->n_rows = cr.nrows, fit->n_patterns = cr.ngroups;
    ctx.model = model, ctx.cr = &cr, ctx.spec = spec, ctx.scale = 1.0 / f0.n_obs;
    ctx.bound = LOG_BOUND;
    ctx.pen = pen;
    ctx.prog = prog;
    cv_optim_defaults(&oo);
    oo.gtol = 1e-9;
    oo.max_eval = 5000;
    if (ncoef == 0) {
        /* no covariates: the model's own fit, exactly (its Hessian is taken here again) */
        fit->optim = f0.optim;
        fit->optim.f = pen ? f0.objective : -f0.loglik * ctx.scale;
        rc = f0.status == CV_FIT_CONVERGED ? 0 : 1;
        for (i = 0; i < np; i++)
            theta[i] = log(f0.params[i]);
    } else {
        rc = minimize(&ctx, k, theta, 0, &oo, &fit->optim, err);
        /* a log-parameter at the fence (the likelihood rises towards infinity there, as s
           and beta of the Pareto/NBD together): held there, the others maximized again; the
           quasi-Newton steps fare badly along the wall */
        if (rc <= 1) {
            unsigned fence = 0;
            for (i = 0; i < np; i++)
                if (fabs(theta[i]) > LOG_BOUND - 1.0)
                    fence |= 1u << i;
            if (fence) {
                double t2[CV_OPTIM_MAXN];
                cv_optim_result r2;
                int rc2;
                memcpy(t2, theta, sizeof(double) * (size_t)k);
                rc2 = minimize(&ctx, k, t2, fence, &oo, &r2, err);
                if (rc2 <= 1 && r2.f < fit->optim.f) {
                    memcpy(theta, t2, sizeof(double) * (size_t)k);
                    r2.evaluations += fit->optim.evaluations;
                    r2.iterations += fit->optim.iterations;
                    fit->optim = r2, rc = rc2;
                }
            }
        }
    }
    if (rc > 1) {
        cov_rows_free(&cr);
        return rc;
    }
    for (i = 0; i < k; i++)
        fit->est[i] = i < np ? exp(theta[i]) : theta[i];
    fit->objective = fit->optim.f;
    fit->loglik = ncoef == 0 ? f0.loglik : -fit->optim.f / ctx.scale;
    if (pen && ncoef > 0) { /* the log-likelihood without the penalty, at the optimum */
        double ll = NAN;
        if (cov_ll(model, &cr, spec, theta, &ll, NULL) != 0)
            ll = NAN;
        fit->loglik = ll;
    }
    fit->aic = 2.0 * k - 2.0 * fit->loglik;
    fit->bic = k * log(fit->n_obs) - 2.0 * fit->loglik;
    for (i = 0; i < k; i++)
        fit->se[i] = NAN, fit->eig[i] = NAN;
    for (i = 0; i < k * k; i++)
        fit->cov[i] = NAN, fit->eigvec[i] = NAN;
    /* the observed information; at the fence of the log-parameters the steps of the
       differences may cross it (the likelihood is defined beyond) */
    ctx.bound = LOG_BOUND + 1.0;
    {
        cv_error e2;
        if (cv_optim_hessian(k, theta, objective, &ctx, h, &e2) == 0) {
            for (i = 0; i < k * k; i++)
                info[i] = h[i] / ctx.scale; /* observed information of the whole sample */
            have_info = 1;
            cv_optim_sym_eigen(k, info, fit->eig, fit->eigvec);
            if (cv_optim_spd_inverse(k, info, fit->cov) == 0) {
                fit->se_ok = 1;
                for (i = 0; i < k; i++) {
                    double sd = sqrt(fit->cov[i * k + i]);
                    fit->se[i] = i < np ? fit->est[i] * sd : sd;
                }
            } else {
                for (i = 0; i < k * k; i++)
                    fit->cov[i] = NAN;
            }
        }
    }
    cov_rows_free(&cr);
    if (!isfinite(fit->loglik))
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "%s: the log-likelihood at the fitted parameters "
                            "is not finite",
                            model->name);
    for (i = 0; i < np; i++)
        if ((fabs(theta[i]) > LOG_EDGE && !(sqrt(fit->cov[i * k + i]) < 1.0)) ||
            (!fit->se_ok && fabs(theta[i]) > LOG_SOFT))
            fit->boundary |= 1u << i;
    if (!fit->se_ok && fit->boundary && have_info)
        partial_se(fit, np, info);
    if (fit->boundary || !fit->se_ok) {
        char names[96] = "";
        size_t len = 0;
        for (i = 0; i < np; i++)
            if ((fit->boundary & (1u << i)) && len < sizeof names)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
                                        model->param_names[i]);
        fit->status = CV_FIT_BOUNDARY;
        fit->optim.converged = 0;
        if (len)
            snprintf(fit->optim.message, sizeof fit->optim.message,
                     "%s ran to the boundary: the data do not identify them", names);
        else
            snprintf(fit->optim.message, sizeof fit->optim.message,
                     "the likelihood is flat at the optimum (information matrix not positive "
                     "definite): the data do not identify the parameters");
        rc = 1;
    } else {
        fit->status = rc == 0 ? CV_FIT_CONVERGED : CV_FIT_NOT_CONVERGED;
    }
    if (rc == 1) {
        cv_error_set(err, CV_OK, "%s: %s%s", model->name,
                     fit->status == CV_FIT_BOUNDARY ? "" : "optimizer did not converge: ",
                     fit->optim.message);
        return 1;
    }
    return 0;
}

int cv_cov_model_fit_pen(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                         const cv_penalty *pen, cv_cov_fit *fit, cv_error *err)
{
    cv_progress prog;
    cv_progress_begin(&prog, "fit", CV_PROGRESS_EVALS, 0);
    int rc = fit_run(model, d, spec, pen, fit, &prog, err);
    cv_progress_end(&prog, rc == 0 || rc == 1);
    return rc;
}

int cv_cov_model_fit(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                     cv_cov_fit *fit, cv_error *err)
{
    return cv_cov_model_fit_pen(model, d, spec, NULL, fit, err);
}

int cv_cov_objective(const cv_model *model, const double *theta, const cv_model_data *d,
                     const cv_cov_spec *spec, const cv_penalty *pen, double *f, double *grad,
                     cv_error *err)
{
    const size_t ncoef = spec ? spec->ncoef : 0;
    cov_rows cr;
    fit_ctx ctx;
    cv_progress quiet;
    size_t row = 0;
    const char *why = NULL;
    double nobs = 0.0;
    if (check_spec(model, d, spec, err) || cv_penalty_check(pen, ncoef > 0, err) ||
        check_reg(model, pen, err))
        return CV_ERR_USAGE;
    if (model->check(d, &row, &why) != 0)
        return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", row + 1, why);
    for (size_t r = 0; r < d->n; r++)
        if (!continuous_zero_age(model, d, r))
            nobs += d->w ? d->w[r] : 1.0;
    if (!(nobs > 0.0))
        return cv_error_set(err, CV_ERR_USAGE, "%s: no customers", model->name);
    if (cov_rows_make(d, spec, &cr, err) != 0)
        return CV_ERR_NOMEM;
    memset(&quiet, 0, sizeof quiet); /* a step not begun: reports nothing */
    ctx.model = model, ctx.cr = &cr, ctx.spec = spec, ctx.scale = 1.0 / nobs;
    ctx.bound = LOG_BOUND, ctx.pen = pen, ctx.prog = &quiet;
    *f = objective(model->nparams + (int)ncoef, theta, grad, &ctx);
    cov_rows_free(&cr);
    if (!isfinite(*f))
        return cv_error_set(err, CV_ERR_DOMAIN, "%s: objective not finite", model->name);
    return 0;
}

int cv_cov_profile(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                   const double *est, int j, const double *values, size_t n, double *ll,
                   cv_error *err)
{
    const int np = model->nparams, k = np + (int)(spec ? spec->ncoef : 0);
    cov_rows cr;
    fit_ctx ctx;
    cv_optim_opts oo;
    cv_progress prog;
    double theta[CV_OPTIM_MAXN], nobs = 0.0;
    size_t row = 0, v;
    const char *why = NULL;
    int i, rc = 0;
    if (check_spec(model, d, spec, err))
        return CV_ERR_USAGE;
    if (j < 0 || j >= k || k < 2)
        return cv_error_set(err, CV_ERR_USAGE, "profile: no parameter %d of %d", j + 1, k);
    if (model->check(d, &row, &why) != 0)
        return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", row + 1, why);
    for (i = 0; i < np; i++)
        if (!(est[i] > 0.0) || !isfinite(est[i]))
            return cv_error_set(err, CV_ERR_USAGE, "profile: estimate %d must be positive", i + 1);
    for (v = 0; v < n; v++)
        if (!isfinite(values[v]) || (j < np && !(values[v] > 0.0)))
            return cv_error_set(err, CV_ERR_USAGE, "profile: value %g is not %s", values[v],
                                j < np ? "a positive number" : "finite");
    for (size_t r = 0; r < d->n; r++)
        if (!continuous_zero_age(model, d, r))
            nobs += d->w ? d->w[r] : 1.0;
    if (!(nobs > 0.0))
        return cv_error_set(err, CV_ERR_USAGE, "profile: no customers");
    if (cov_rows_make(d, spec, &cr, err) != 0)
        return CV_ERR_NOMEM;
    cv_progress_begin(&prog, "profile", CV_PROGRESS_EVALS, 0);
    ctx.model = model, ctx.cr = &cr, ctx.spec = spec, ctx.scale = 1.0 / nobs;
    ctx.bound = LOG_BOUND, ctx.pen = NULL, ctx.prog = &prog; /* the likelihood's profile */
    cv_optim_defaults(&oo);
    oo.gtol = 1e-9;
    oo.max_eval = 5000;
    for (v = 0; v < n && rc == 0; v++) {
        cv_optim_result res;
        for (i = 0; i < k; i++)
            theta[i] = i < np ? log(est[i]) : est[i];
        theta[j] = j < np ? log(values[v]) : values[v];
        if (fabs(theta[j]) > (j < np ? LOG_BOUND : COEF_BOUND)) {
            ll[v] = NAN;
            continue;
        }
        int r2 = minimize(&ctx, k, theta, 1u << j, &oo, &res, err);
        if (r2 > 1 && r2 != CV_ERR_DOMAIN)
            rc = r2;
        ll[v] = r2 <= 1 ? -res.f / ctx.scale : NAN;
    }
    cv_progress_end(&prog, rc == 0);
    cov_rows_free(&cr);
    return rc;
}

/* ---- Predictions and simulation ------------------------------------------------------------ */

typedef struct {
    const cv_model *model;
    const double *est;
    const cv_cov_spec *spec;
    cv_pred kind;
    const cv_model_data *d;
    double arg, arg2, *out;
} pred_job;

static void pred_rows(void *v, size_t lo, size_t hi)
{
    const pred_job *j = v;
    const cv_model_data *d = j->d;
    double p[CV_MODEL_MAXP];
    for (size_t i = lo; i < hi; i++) {
        cv_cov_row_params(j->model, j->est, j->spec, i, p);
        j->out[i] = j->model->predict(p, j->kind, d->x ? d->x[i] : 0.0, d->t_x ? d->t_x[i] : 0.0,
                                      d->T ? d->T[i] : 0.0, d->m ? d->m[i] : 0.0, j->arg, j->arg2);
    }
}

int cv_cov_predict(const cv_model *model, const double *est, const cv_cov_spec *spec, cv_pred kind,
                   const cv_model_data *d, double arg, double arg2, double *out, cv_error *err)
{
    pred_job job = {model, est, spec, kind, d, arg, arg2, out};
    size_t i, nbad = 0, bad = 0, row = 0;
    const char *why = NULL;
    if (check_spec(model, d, spec, err))
        return CV_ERR_USAGE;
    if (kind < 0 || kind >= CV_PRED_COUNT_ || !(model->preds & (1u << kind)))
        return cv_error_set(err, CV_ERR_USAGE, "%s does not predict '%s'", model->name,
                            cv_pred_name(kind));
    if (cv_model_check_params(model, est, err))
        return CV_ERR_USAGE;
    for (i = 0; i < d->n; i++)
        if (!isfinite(d->x[i]) || (d->t_x && !isfinite(d->t_x[i])) || (d->T && !isfinite(d->T[i])))
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: x, t_x and T must be finite", i + 1);
    if (model->check(d, &row, &why) != 0)
        return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s (x = %g, t_x = %g, T = %g)", row + 1,
                            why, d->x[row], d->t_x[row], d->T[row]);
    cv_par_for(d->n, 20000, pred_rows, &job);
    for (i = 0; i < d->n; i++)
        if (isnan(out[i]) && nbad++ == 0)
            bad = i;
    if (nbad)
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "%s: %s not computable for %zu row(s), first row %zu", model->name,
                            cv_pred_name(kind), nbad, bad + 1);
    return 0;
}

typedef struct {
    const cv_model *model;
    const double *est;
    const cv_cov_spec *spec;
    cv_pred kind;
    double arg, arg2;
} cov_predict_ctx;

static int cov_predict_rows(const void *v, const cv_model_data *d, double *out, cv_error *err)
{
    const cov_predict_ctx *c = v;
    return cv_cov_predict(c->model, c->est, c->spec, c->kind, d, c->arg, c->arg2, out, err);
}

cv_table *cv_cov_predict_table(const cv_model *model, const double *est, const cv_cov_spec *spec,
                               cv_pred kind, double arg, double arg2, const cv_table *s,
                               const cv_model_cols *cols, const char *name, cv_error *err)
{
    const cov_predict_ctx c = {model, est, spec, kind, arg, arg2};
    return cv_model_table_with(model, s, cols, name, cov_predict_rows, &c, err);
}

int cv_cov_simulate(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t n,
                    uint64_t seed, const double *T, double *x, double *t_x, cv_error *err)
{
    cv_model_data d = {n, NULL, NULL, T, NULL, NULL};
    cv_rng rng;
    double p[CV_MODEL_MAXP];
    if (check_spec(model, &d, spec, err))
        return CV_ERR_USAGE;
    if (cv_model_check_params(model, est, err))
        return CV_ERR_USAGE;
    if (!T || !x || !t_x)
        return cv_error_set(err, CV_ERR_USAGE, "%s: simulation arrays missing", model->name);
    if (model == &cv_model_gamma_gamma)
        return cv_error_set(err, CV_ERR_USAGE,
                            "gamma_gamma: spend draws need x "
                            "(cv_cov_simulate_spend)");
    for (size_t i = 0; i < n; i++)
        if (!(T[i] >= 0.0) || !isfinite(T[i]))
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: T = %g must be a finite number >= 0",
                                i + 1, T[i]);
    cv_rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++) {
        double m = 0.0;
        if ((i & 0xfff) == 0 && cv_cancel_check(err)) /* every 4096 customers */
            return CV_ERR_LIMIT;
        cv_cov_row_params(model, est, spec, i, p);
        if (cv_model_check_params(model, p, err))
            return CV_ERR_USAGE;
        model->simulate(p, &rng, T[i], &x[i], &t_x[i], &m);
    }
    return 0;
}

int cv_cov_simulate_spend(const cv_model *model, const double *est, const cv_cov_spec *spec,
                          size_t n, uint64_t seed, const double *x, double *m, cv_error *err)
{
    cv_model_data d = {n, x, NULL, NULL, NULL, NULL};
    cv_rng rng;
    double p[CV_MODEL_MAXP];
    if (model != &cv_model_gamma_gamma)
        return cv_error_set(err, CV_ERR_USAGE, "%s: spend draws are the gamma_gamma's",
                            model->name);
    if (!x || !m)
        return cv_error_set(err, CV_ERR_USAGE, "%s: simulation arrays missing", model->name);
    if (check_spec(model, &d, spec, err))
        return CV_ERR_USAGE;
    if (cv_model_check_params(model, est, err))
        return CV_ERR_USAGE;
    cv_rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++) {
        double xi = x[i], tx = 0.0;
        if (!(xi >= 0.0) || xi != floor(xi))
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: x = %g is not a count", i + 1, xi);
        if ((i & 0xfff) == 0 && cv_cancel_check(err)) /* every 4096 customers */
            return CV_ERR_LIMIT;
        cv_cov_row_params(model, est, spec, i, p);
        if (cv_model_check_params(model, p, err))
            return CV_ERR_USAGE;
        model->simulate(p, &rng, 0.0, &xi, &tx, &m[i]);
    }
    return 0;
}

int cv_cov_column(const cv_table *t, const char *name, double *dst, cv_error *err)
{
    cv_column *c = cv_table_col(t, name, err);
    int64_t i;
    if (!c)
        return CV_ERR_USAGE;
    if (c->type == CV_STRING)
        return cv_error_set(err, CV_ERR_TYPE,
                            "covariate '%s' is text: covariates are numbers; code each category "
                            "but one (the reference) as a 0/1 column",
                            name);
    if (cv_model_column_doubles(t, name, dst, err) != 0)
        return CV_ERR_TYPE;
    for (i = 0; i < t->nrows; i++)
        if (isnan(dst[i]))
            return cv_error_set(err, CV_ERR_USAGE,
                                "row %lld: covariate '%s' is missing (every customer needs a value;"
                                " check the join)",
                                (long long)(i + 1), name);
    return 0;
}

/* ---- Likelihood-ratio test ----------------------------------------------------------------- */

double cv_chisq_upper(double stat, double df)
{
    if (!(df > 0.0) || isnan(stat))
        return NAN;
    if (!(stat > 0.0))
        return 1.0;
    /* Q(df/2, stat/2) = Gamma(df/2, stat/2) / Gamma(df/2) */
    return fmin(1.0, cv_upper_gamma(0.5 * df, 0.5 * stat) / exp(cv_lgamma(0.5 * df)));
}

int cv_lr_test(double ll1, double ll0, int df, double *stat, double *p, cv_error *err)
{
    if (df < 1)
        return cv_error_set(err, CV_ERR_USAGE,
                            "likelihood-ratio test: the full model must have more parameters "
                            "than the restricted one (df = %d)",
                            df);
    if (!isfinite(ll1) || !isfinite(ll0))
        return cv_error_set(err, CV_ERR_USAGE, "likelihood-ratio test: log-likelihood not finite");
    *stat = fmax(0.0, 2.0 * (ll1 - ll0));
    *p = cv_chisq_upper(*stat, (double)df);
    return 0;
}
