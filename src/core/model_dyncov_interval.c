/* cvkit intervals of the Pareto/NBD with time-varying covariates (cv_dyncov_intervals,
   include/cvkit/dyncov.h): the problem the interval engine (interval.c, cv_interval_run)
   draws for, as model_interval.c is the time-invariant models'; each draw's predictions by
   the point predictions of model_dyncov_predict.c (P(alive), the conditional expectation, DERT, the
   discounted transactions of CLV) for every customer, and their totals; with a spend model
   its parameters drawn beside (cv_model_intervals' way: the parameters r, alpha, s, beta,
   then the spend model's, then the coefficients, so that with the coefficients 0 and no
   variance the draws are the time-invariant model's) and its bootstrap by model_interval.c's
   refits (cv_iv_boot). */
#include "cvkit/dyncov.h"
#include "cvkit/intervals.h"
#include "cvkit/mem.h"

#include <math.h>
#include <string.h>

typedef struct {
    const cv_dyncov_prep *p;
    const cv_dyncov_spec *spec;
    const cv_dyncov_interval_spec *s;
    size_t n;
    int kinds[CV_IV_KINDS], nk;
    int ng;        /* the spend model's parameters (0: none), after the first four */
    cv_iv_boot gb; /* its bootstrap rows */
    size_t nf;     /* the fit's customers (the bootstrap's first group) */
} dv_ctx;

/* The draw q (the engine's order: r, alpha, s, beta, the spend model's, the coefficients)
   as theta (log r, ..., log beta, the coefficients) and the spend model's parameters pg. */
static void dv_split(const dv_ctx *c, const double *q, double *th, double *pg)
{
    const size_t nc = c->spec->ncoef;
    for (int a = 0; a < 4; a++)
        th[a] = log(q[a]);
    for (size_t a = 0; a < nc; a++)
        th[4 + a] = q[4 + c->ng + (int)a];
    for (int a = 0; a < c->ng; a++)
        pg[a] = q[4 + a];
}

/* The nk (n + 1) predictions at the draw q (natural scale) into out; -1 when one is not
   computable (a failed draw). */
static int dv_predict(void *vc, const double *q, double *out)
{
    const dv_ctx *c = vc;
    const cv_dyncov_interval_spec *s = c->s;
    const size_t n = c->n;
    double th[CV_OPTIM_MAXN], pg[CV_MODEL_MAXP];
    cv_error err;
    dv_split(c, q, th, pg);
    for (int j = 0; j < c->nk; j++) {
        double *o = out + (size_t)j * n, tot = 0.0;
        int rc;
        switch (c->kinds[j]) {
        case 0: /* P(alive) */
            rc = cv_dyncov_p_alive(c->p, c->spec, th, o, &err);
            break;
        case 1: /* conditional */
            if (s->horizon == 0.0) {
                for (size_t i = 0; i < n; i++)
                    o[i] = 0.0;
                rc = 0;
            } else if (s->cond && !s->cond_hold) {
                rc = cv_dyncov_expected(c->p, c->spec, th, s->cond, s->horizon, o, &err);
            } else {
                rc = cv_dyncov_dtx(c->p, c->spec, th, s->cond, s->horizon, 0.0, 0, o, &err);
            }
            break;
        case 2: /* DERT */
            rc = cv_dyncov_dtx(c->p, c->spec, th, s->dert, INFINITY, s->delta, 0, o, &err);
            break;
        default: /* CLV */
            rc = cv_dyncov_dtx(c->p, c->spec, th, s->clv, s->clv_horizon, log1p(s->clv_rate),
                               isfinite(s->clv_horizon), o, &err);
            for (size_t i = 0; rc == 0 && i < n; i++) {
                o[i] *= s->value ? s->value[i] : 1.0;
                if (c->ng)
                    o[i] *=
                        s->spend.model->predict(pg, CV_PRED_SPEND, s->sx[i], 0, 0, s->sm[i], 0, 0);
            }
            break;
        }
        if (rc != 0)
            return -1;
        for (size_t i = 0; i < n; i++)
            tot += o[i];
        out[(size_t)c->nk * n + (size_t)j] = tot;
    }
    return 0;
}

/* The bootstrap's replicate: the fit's customers with weights wb[0..nf) refitted from start,
   the spend model's with wb[nf..) from its own; -1 when a refit fails or does not converge
   (a failed draw). */
static int dv_refit(void *vc, const double *wb, const double *start, double *q)
{
    const dv_ctx *c = vc;
    const size_t nc = c->spec->ncoef;
    double st[CV_OPTIM_MAXN], e[CV_OPTIM_MAXN];
    cv_error err;
    for (int a = 0; a < 4; a++)
        st[a] = start[a];
    for (size_t a = 0; a < nc; a++)
        st[4 + a] = start[4 + c->ng + (int)a];
    if (cv_dyncov_boot_refit(c->s->fit, c->spec, c->s->pen, wb, st, e, &err) != 0)
        return -1;
    for (int a = 0; a < 4; a++)
        q[a] = e[a];
    for (size_t a = 0; a < nc; a++)
        q[4 + c->ng + (int)a] = e[4 + a];
    if (c->ng && cv_iv_boot_refit(&c->gb, c->s->spend.model, wb + c->nf, start + 4, q + 4) != 0)
        return -1;
    return 0;
}

int cv_dyncov_intervals(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *est,
                        const double *cov, const cv_dyncov_interval_spec *s,
                        const cv_interval_options *o, cv_interval_result *r, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    const cv_model *gg = (s->kinds & CV_IV_CLV) ? s->spend.model : NULL;
    double e[CV_INTERVAL_MAXP], cv[CV_INTERVAL_MAXP * CV_INTERVAL_MAXP], *w = NULL;
    int perm[CV_INTERVAL_MAXP], np, rc;
    cv_interval_problem pb;
    dv_ctx c;
    memset(r, 0, sizeof *r);
    if (s->kinds & ~(unsigned)(CV_IV_P_ALIVE | CV_IV_CONDITIONAL | CV_IV_DERT | CV_IV_CLV))
        return cv_error_set(err, CV_ERR_USAGE,
                            "intervals: pareto_nbd with time-varying covariates does not "
                            "predict spend");
    if (o->method == CV_INTERVAL_BOOTSTRAP && !s->fit)
        return cv_error_set(err, CV_ERR_USAGE,
                            "intervals: the bootstrap needs the customers the model was "
                            "fitted on");
    if (gg && (gg != &cv_model_gamma_gamma || (s->spend.cov && s->spend.cov->ncoef > 0) || !s->sx ||
               !s->sm))
        return cv_error_set(err, CV_ERR_USAGE,
                            "intervals: the spend model of a model with time-varying "
                            "covariates must be a gamma_gamma without covariates");
    np = k + (gg ? gg->nparams : 0);
    if (np > CV_INTERVAL_MAXP || np > 32)
        return cv_error_set(err, CV_ERR_USAGE, "intervals: too many parameters");
    memset(&c, 0, sizeof c);
    c.p = p, c.spec = spec, c.s = s, c.n = cv_dyncov_prep_n(p), c.ng = gg ? gg->nparams : 0;
    for (int j = 0; j < CV_IV_KINDS; j++)
        if (s->kinds & (1u << j))
            c.kinds[c.nk++] = j == 4 ? 3 : j;
    /* the engine's order: r, alpha, s, beta, the spend model's, the coefficients; perm[a]
       the engine's index of parameter a in the order est, then the spend model's */
    for (int a = 0; a < np; a++)
        perm[a] = a < 4 ? a : a < k ? a + c.ng : a - k + 4;
    for (int a = 0; a < np; a++)
        e[perm[a]] = a < k ? est[a] : s->spend.p[a - k];
    for (int a = 0; a < np * np; a++)
        cv[a] = 0.0;
    for (int a = 0; a < np; a++)
        for (int b = 0; b < np; b++) {
            double v = a < k && b < k && cov ? cov[a * k + b] : 0.0;
            if (a >= k && b >= k)
                v = s->spend.cov_log ? s->spend.cov_log[(a - k) * c.ng + (b - k)] : 0.0;
            cv[perm[a] * np + perm[b]] = v;
        }
    memset(&pb, 0, sizeof pb);
    pb.np = np, pb.est = e, pb.cov_log = cov ? cv : NULL;
    for (int a = 4; a < k; a++)
        pb.linear |= 1u << perm[a];
    pb.nout = (size_t)c.nk * (c.n + 1);
    pb.predict = dv_predict, pb.ctx = &c;
    if (o->method == CV_INTERVAL_ASYMPTOTIC && gg && !s->spend.cov_log)
        pb.cov_log = NULL; /* the engine's message: no covariance */
    if (o->method == CV_INTERVAL_BOOTSTRAP) {
        const double *gw = NULL;
        size_t ng = 0;
        c.nf = cv_dyncov_prep_n(s->fit);
        if (gg) {
            if ((rc = cv_iv_boot_make(&s->spend, &c.gb, err)) != 0) {
                cv_iv_boot_free(&c.gb);
                return rc;
            }
            ng = cv_iv_boot_n(&c.gb), gw = cv_iv_boot_w(&c.gb);
        }
        if (!(w = cv_malloc(sizeof(double) * (c.nf + ng ? c.nf + ng : 1)))) {
            cv_iv_boot_free(&c.gb);
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < c.nf; i++)
            w[i] = 1.0; /* one customer per row: the periods differ */
        for (size_t i = 0; i < ng; i++)
            w[c.nf + i] = gw ? gw[i] : 1.0;
        pb.ngroups = gg ? 2 : 1, pb.group_n[0] = c.nf, pb.group_n[1] = ng;
        pb.w = w, pb.refit = dv_refit;
    }
    rc = cv_interval_run(&pb, o, r, err);
    cv_free(w);
    cv_iv_boot_free(&c.gb);
    if (rc == 0 && c.ng) { /* the parameters' intervals in the order est, the spend model's */
        double lo[CV_INTERVAL_MAXP] = {0}, hi[CV_INTERVAL_MAXP] = {0};
        for (int a = 0; a < np; a++)
            lo[a] = r->p_lo[perm[a]], hi[a] = r->p_hi[perm[a]];
        memcpy(r->p_lo, lo, sizeof(double) * (size_t)np);
        memcpy(r->p_hi, hi, sizeof(double) * (size_t)np);
    }
    return rc;
}
