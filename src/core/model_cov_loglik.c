/* cvkit time-invariant covariates, the log-likelihood (model_cov_int.h): the model's
   log-likelihood of the collapsed rows at the parameters and coefficients theta, and its
   gradient by the chain rule, in two fixed parts on two threads. */
#include "cvkit/covariates.h"
#include "cvkit/threads.h"
#include "model_cov_int.h"

#include <math.h>
#include <string.h>

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
        cov_params_at(pt->lk, np, base, eta, p);
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
int cov_ll(const cv_model *model, const cov_rows *cr, const cv_cov_spec *spec, const double *theta,
           double *ll, double *grad)
{
    const cov_link *lk = cov_link_of(model);
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
    if (cov_check_spec(model, d, spec, err))
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
