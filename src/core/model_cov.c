/* cvkit time-invariant covariates (include/cvkit/covariates.h), the links: how each model's
   parameters depend on the covariates (the one formula of a row's parameters), the checks of
   a covariate spec, and covariate columns read from a table. The other jobs are split over
   the files listed in model_cov_int.h. */
#include "cvkit/covariates.h"
#include "model_cov_int.h"

#include <math.h>
#include <string.h>

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

const cov_link *cov_link_of(const cv_model *model)
{
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (links[i].model == model)
            return &links[i];
    return NULL;
}

int cv_cov_supported(const cv_model *model)
{
    return cov_link_of(model) != NULL;
}

/* p = the parameters at base (natural scale) for the linear predictors eta[CV_COV_TRANS],
   eta[CV_COV_LIFE] and eta[CV_COV_SPEND]. */
void cov_params_at(const cov_link *lk, int np, const double *base, const double *eta, double *p)
{
    for (int j = 0; j < np; j++)
        p[j] = lk->proc[j] ? base[j] * exp(lk->sign[j] * eta[lk->proc[j]]) : base[j];
}

void cv_cov_row_params(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t i,
                       double *p)
{
    const cov_link *lk = cov_link_of(model);
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
    cov_params_at(lk, np, est, eta, p);
}

void cv_cov_params_rows(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t n,
                        double *rowp)
{
    for (size_t i = 0; i < n; i++)
        cv_cov_row_params(model, est, spec, i, rowp + i * (size_t)model->nparams);
}

/* Checks the model, the number of coefficients and the covariates' values. */
int cov_check_spec(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                   cv_error *err)
{
    size_t ncoef = spec ? spec->ncoef : 0;
    const cov_link *lk = cov_link_of(model);
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
