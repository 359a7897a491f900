/* cvkit intervals of the Pareto/NBD with time-varying covariates (cv_dyncov_intervals,
   include/cvkit/dyncov.h): the problem the interval engine (interval.c, cv_interval_run)
   draws for, as model_interval.c is the time-invariant models'; each draw's predictions by
   the point predictions of model_dyncov_predict.c (P(alive), the conditional expectation, DERT, the
   discounted transactions of CLV) for every customer, and their totals. */
#include "cvkit/dyncov.h"
#include "cvkit/mem.h"

#include <math.h>
#include <string.h>

typedef struct {
    const cv_dyncov_prep *p;
    const cv_dyncov_spec *spec;
    const cv_dyncov_interval_spec *s;
    size_t n;
    int kinds[CV_IV_KINDS], nk;
} dv_ctx;

/* The nk (n + 1) predictions at the draw q (natural scale) into out; -1 when one is not
   computable (the draw is left out). */
static int dv_predict(void *vc, const double *q, double *out)
{
    const dv_ctx *c = vc;
    const cv_dyncov_interval_spec *s = c->s;
    const size_t n = c->n;
    double th[CV_OPTIM_MAXN];
    cv_error err;
    for (size_t a = 0; a < 4 + c->spec->ncoef; a++)
        th[a] = a < 4 ? log(q[a]) : q[a];
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
            for (size_t i = 0; rc == 0 && i < n; i++)
                o[i] *= s->value ? s->value[i] : 1.0;
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

/* The bootstrap's replicate: the fit's customers with weights wb refitted from start; a refit
   that fails or does not converge is left out. */
static int dv_refit(void *vc, const double *wb, const double *start, double *q)
{
    const dv_ctx *c = vc;
    cv_error err;
    return cv_dyncov_boot_refit(c->s->fit, c->spec, c->s->pen, wb, start, q, &err) == 0 ? 0 : -1;
}

int cv_dyncov_intervals(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *est,
                        const double *cov, const cv_dyncov_interval_spec *s,
                        const cv_interval_options *o, cv_interval_result *r, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
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
    if (k > CV_INTERVAL_MAXP || k > 32)
        return cv_error_set(err, CV_ERR_USAGE, "intervals: too many parameters");
    memset(&c, 0, sizeof c);
    c.p = p, c.spec = spec, c.s = s, c.n = cv_dyncov_prep_n(p);
    for (int j = 0; j < CV_IV_KINDS; j++)
        if (s->kinds & (1u << j))
            c.kinds[c.nk++] = j == 4 ? 3 : j;
    memset(&pb, 0, sizeof pb);
    pb.np = k, pb.est = est, pb.cov_log = cov;
    for (int a = 4; a < k; a++)
        pb.linear |= 1u << a;
    pb.nout = (size_t)c.nk * (c.n + 1);
    pb.predict = dv_predict, pb.ctx = &c;
    if (o->method == CV_INTERVAL_BOOTSTRAP) {
        const size_t nf = cv_dyncov_prep_n(s->fit);
        double *w = cv_malloc(sizeof(double) * (nf ? nf : 1));
        int rc;
        if (!w)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < nf; i++)
            w[i] = 1.0; /* one customer per row: the periods differ */
        pb.ngroups = 1, pb.group_n[0] = nf, pb.w = w, pb.refit = dv_refit;
        rc = cv_interval_run(&pb, o, r, err);
        cv_free(w);
        return rc;
    }
    return cv_interval_run(&pb, o, r, err);
}
