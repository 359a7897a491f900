/* cvkit models, the registry (see models.h): the models and their aliases, the names of the
   predictions, and the calls every model answers the same way (a prediction of data's rows,
   a simulation). What else the models share is split by job, each file behind model_int.h:
     model_check.c     the checks of the data and the parameters, the data's information
     model_fit.c       fitting on log-parameters: the objective, the penalty, the fit driver
     model_stderr.c    the end of a fit: standard errors from the information matrix, the
                       parameters at the boundary, the verdict and its message
     model_collapse.c  identical customers collapsed into weighted distinct rows */
#include "cvkit/cancel.h"
#include "cvkit/models.h"
#include "model_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const cv_model *const models[] = {
    &cv_model_bgnbd, &cv_model_pareto_nbd,  &cv_model_mbgnbd, &cv_model_bgbb,
    &cv_model_sbg,   &cv_model_gamma_gamma, &cv_model_nbd,    NULL,
};

static const struct {
    const char *alias;
    const cv_model *model;
} aliases[] = {
    {"bg/nbd", &cv_model_bgnbd},
    {"pareto/nbd", &cv_model_pareto_nbd},
    {"pnbd", &cv_model_pareto_nbd},
    {"paretonbd", &cv_model_pareto_nbd},
    {"mbg/nbd", &cv_model_mbgnbd},
    {"bg/bb", &cv_model_bgbb},
    {"gg", &cv_model_gamma_gamma},
    {"gammagamma", &cv_model_gamma_gamma},
    {"shifted_beta_geometric", &cv_model_sbg},
};

static const char *const pred_names[CV_PRED_COUNT_] = {
    "p_alive",    "expected",        "conditional", "pmf",  "dert",
    "spend",      "survival",        "retention",   "derl", "conditional_alive",
    "dert_alive", "pmf_conditional", "p_active",
};

const char *cv_pred_name(cv_pred kind)
{
    return (kind >= 0 && kind < CV_PRED_COUNT_) ? pred_names[kind] : "?";
}

int cv_pred_parse(const char *name)
{
    int i;
    for (i = 0; i < CV_PRED_COUNT_; i++)
        if (strcmp(name, pred_names[i]) == 0)
            return i;
    return -1;
}

const cv_model *cv_model_find(const char *name)
{
    size_t i;
    if (!name)
        return NULL;
    for (i = 0; models[i]; i++)
        if (strcasecmp(name, models[i]->name) == 0)
            return models[i];
    for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].alias) == 0)
            return aliases[i].model;
    return NULL;
}

const char *cv_model_alias(size_t i, const cv_model **model)
{
    if (i >= sizeof aliases / sizeof aliases[0])
        return NULL;
    if (model)
        *model = aliases[i].model;
    return aliases[i].alias;
}

const cv_model *const *cv_model_list(size_t *n)
{
    if (n)
        *n = sizeof models / sizeof models[0] - 1;
    return models;
}

/* ---- Predictions ----------------------------------------------------------------------- */

int cv_model_predict(const cv_model *model, const double *p, cv_pred kind, const cv_model_data *d,
                     double arg, double arg2, double *out, cv_error *err)
{
    size_t bad = 0, nbad;
    if (kind < 0 || kind >= CV_PRED_COUNT_ || !(model->preds & (1u << kind)))
        return cv_error_set(err, CV_ERR_USAGE, "%s does not predict '%s'", model->name,
                            cv_pred_name(kind));
    if (cv_model_check_params(model, p, err))
        return CV_ERR_USAGE;
    /* predictions about the customers in d need valid rows; E[X(t)], S(t), r(t) and DERL
       read at most x */
    if ((kind == CV_PRED_P_ALIVE || kind == CV_PRED_CONDITIONAL || kind == CV_PRED_DERT ||
         kind == CV_PRED_SPEND || kind == CV_PRED_CONDITIONAL_ALIVE || kind == CV_PRED_DERT_ALIVE ||
         kind == CV_PRED_PMF_CONDITIONAL || kind == CV_PRED_P_ACTIVE) &&
        cv_model_check_data(model, d, err))
        return CV_ERR_USAGE;
    nbad = cv_model_predict_rows(model, p, kind, d, arg, arg2, out, &bad);
    if (cv_cancel_check(err))
        return CV_ERR_LIMIT;
    if (nbad) {
        char why[160];
        cv_model_nan_reason(model, p, kind, why, sizeof why);
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "%s: %s not computable for %zu row(s), first row %zu%s", model->name,
                            cv_pred_name(kind), nbad, bad + 1, why);
    }
    return 0;
}

void cv_model_nan_reason(const cv_model *model, const double *p, cv_pred kind, char *buf, size_t n)
{
    int i, edge = 0;
    buf[0] = '\0';
    if (model == &cv_model_gamma_gamma && kind == CV_PRED_SPEND && !(p[1] > 1.0)) {
        snprintf(buf, n,
                 "; q = %g <= 1 makes the mean spend of the population infinite, so a customer "
                 "without repeat purchases (x = 0) has no expected spend",
                 p[1]);
        return;
    }
    for (i = 0; i < model->nparams; i++)
        if (fabs(log(p[i])) > CV_MODEL_LOG_EDGE)
            edge = 1;
    if (edge)
        snprintf(buf, n,
                 "; the parameters are at the edge of their range (a fit that ran to the "
                 "boundary), where this prediction has no finite form");
}

int cv_model_simulate(const cv_model *model, const double *p, size_t n, uint64_t seed,
                      const double *T, double *x, double *t_x, double *m, cv_error *err)
{
    cv_rng rng;
    size_t i;
    int gg = (model == &cv_model_gamma_gamma);
    if (cv_model_check_params(model, p, err))
        return CV_ERR_USAGE;
    if (!x || (gg ? !m : (!T || !t_x)))
        return cv_error_set(err, CV_ERR_USAGE, "%s: simulation output arrays missing", model->name);
    cv_rng_seed(&rng, seed);
    for (i = 0; i < n; i++) {
        double mi = 0.0, txi = 0.0;
        if ((i & 0xfff) == 0 && cv_cancel_check(err)) /* every 4096 customers */
            return CV_ERR_LIMIT;
        model->simulate(p, &rng, T ? T[i] : 0.0, &x[i], &txi, &mi);
        if (t_x)
            t_x[i] = txi;
        if (m)
            m[i] = mi;
    }
    return 0;
}
