/* cvkit models, the shared part: the registry, fitting on log-parameters, the vectorized
   predictions, collapsing identical customers, and the data helpers (see models.h). */
#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "cvkit/models.h"
#include "cvkit/progress.h"
#include "cvkit/threads.h"
#include "model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Checks that d has the columns model needs and finite, in-range values. A bad row is
   named with its values: "row 2: recency t_x must lie between 0 and the age T (x = 2,
   t_x = 40, T = 39)"; a NaN or infinity with its column: "row 1: t_x is NaN". */
static int check_data(const cv_model *model, const cv_model_data *d, cv_error *err)
{
    static const char *const role[4] = {"x", "t_x", "T", "m"};
    const double *col[4];
    size_t i, row = 0;
    const char *why = NULL;
    int c;
    if ((model->needs & CV_NEED_X) && !d->x)
        return cv_error_set(err, CV_ERR_USAGE, "%s needs the frequency column x", model->name);
    if ((model->needs & CV_NEED_TX) && !d->t_x)
        return cv_error_set(err, CV_ERR_USAGE, "%s needs the recency column t_x", model->name);
    if ((model->needs & CV_NEED_T) && !d->T)
        return cv_error_set(err, CV_ERR_USAGE, "%s needs the age column T", model->name);
    if ((model->needs & CV_NEED_M) && !d->m)
        return cv_error_set(err, CV_ERR_USAGE, "%s needs the mean spend column m", model->name);
    for (i = 0; i < d->n && d->w; i++)
        if (!(d->w[i] >= 0.0) || !isfinite(d->w[i]))
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: weight %g is not a count", i + 1,
                                d->w[i]);
    col[0] = (model->needs & CV_NEED_X) ? d->x : NULL;
    col[1] = (model->needs & CV_NEED_TX) ? d->t_x : NULL;
    col[2] = (model->needs & CV_NEED_T) ? d->T : NULL;
    col[3] = (model->needs & CV_NEED_M) ? d->m : NULL;
    for (i = 0; i < d->n; i++)
        for (c = 0; c < 4; c++) {
            if (!col[c] || isfinite(col[c][i]))
                continue;
            if (c == 3 && d->x && !(d->x[i] > 0.0))
                continue; /* no repeat spend when x = 0: Gamma-Gamma skips the row */
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s is %s, a finite number is needed",
                                i + 1, role[c],
                                isnan(col[c][i]) ? "NaN (missing)"
                                : col[c][i] > 0  ? "infinite"
                                                 : "-infinite");
        }
    if (model->check(d, &row, &why) != 0) {
        char vals[160];
        size_t len = 0;
        for (c = 0; c < 4 && row < d->n; c++)
            if (col[c] && len < sizeof vals)
                len += (size_t)snprintf(vals + len, sizeof vals - len, "%s%s = %.10g",
                                        len ? ", " : "", role[c], col[c][row]);
        return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s (%s)", row + 1, why, vals);
    }
    return 0;
}

int cv_model_check_params(const cv_model *model, const double *p, cv_error *err)
{
    for (int i = 0; i < model->nparams; i++)
        if (!(p[i] > 0.0) || !isfinite(p[i]))
            return cv_error_set(err, CV_ERR_USAGE, "%s: parameter %s = %g must be positive",
                                model->name, model->param_names[i], p[i]);
    return 0;
}

/* The continuous-time models' shared check (BG/NBD, MBG/NBD, Pareto/NBD), here so that
   no model file calls another (models.h). */
int cv_model_check_rft(const cv_model_data *d, size_t *row, const char **why)
{
    size_t i;
    for (i = 0; i < d->n; i++) {
        double x = d->x[i], tx = d->t_x[i], T = d->T[i];
        *row = i;
        if (!(x >= 0.0) || x != floor(x) || !isfinite(x)) {
            *why = "frequency x must be a whole number >= 0";
            return -1;
        }
        if (!(T >= 0.0) || !isfinite(T)) { /* T = 0: first bought on the last day (L = 1) */
            *why = "age T must be >= 0";
            return -1;
        }
        if (!(tx >= 0.0) || !(tx <= T)) {
            *why = "recency t_x must lie between 0 and the age T";
            return -1;
        }
        if (x == 0.0 && tx != 0.0) {
            *why = "recency t_x must be 0 when x = 0";
            return -1;
        }
        if (x > 0.0 && tx == 0.0) { /* repeat purchases come after the first one */
            *why = "recency t_x must be above 0 when x > 0";
            return -1;
        }
    }
    return 0;
}

int cv_model_loglik(const cv_model *model, const double *p, const cv_model_data *d, double *ll,
                    double *grad, cv_error *err)
{
    if (check_data(model, d, err))
        return CV_ERR_USAGE;
    if (cv_model_check_params(model, p, err))
        return CV_ERR_USAGE;
    if (model->loglik(p, d, ll, grad) != 0)
        return cv_error_set(err, CV_ERR_DOMAIN, "%s: log-likelihood not finite", model->name);
    return 0;
}

/* ---- Fitting ------------------------------------------------------------------------- */

/* Log-parameters are kept within +-LOG_BOUND (parameters between 2e-9 and 5e8); one past
   +-LOG_EDGE (6e-6, 1.6e5) after the fit whose log has a standard error above 1 (or none)
   is reported as running to the boundary; a large but well-determined one (an alpha in
   minutes) is not. */
#define LOG_BOUND 20.0
#define LOG_EDGE 12.0
#define LOG_SOFT 8.0

typedef struct {
    const cv_model *model;
    const cv_model_data *d;
    double scale;          /* 1 / N: the objective is the mean negative log-likelihood */
    const cv_penalty *pen; /* added to it (NULL: none) */
    cv_progress *prog;     /* the "fit" step: evaluations */
} fit_ctx;

int cv_penalty_check(const cv_penalty *pen, int covariates, cv_error *err)
{
    if (!pen)
        return 0;
    if (!(pen->params >= 0.0) || !isfinite(pen->params))
        return cv_error_set(err, CV_ERR_USAGE, "penalty: penalizer = %g must be a number >= 0",
                            pen->params);
    if (pen->scale != CV_PENALTY_LOG && pen->scale != CV_PENALTY_NATURAL)
        return cv_error_set(err, CV_ERR_USAGE, "penalty: unknown scale %d", pen->scale);
    if (!(pen->trans >= 0.0) || !isfinite(pen->trans))
        return cv_error_set(err, CV_ERR_USAGE, "penalty: reg.trans = %g must be a number >= 0",
                            pen->trans);
    if (!(pen->life >= 0.0) || !isfinite(pen->life))
        return cv_error_set(err, CV_ERR_USAGE, "penalty: reg.life = %g must be a number >= 0",
                            pen->life);
    if (!(pen->spend >= 0.0) || !isfinite(pen->spend))
        return cv_error_set(err, CV_ERR_USAGE, "penalty: reg.spend = %g must be a number >= 0",
                            pen->spend);
    if (!covariates && (pen->trans > 0.0 || pen->life > 0.0 || pen->spend > 0.0))
        return cv_error_set(err, CV_ERR_USAGE,
                            "penalty: reg (trans, life, spend) is an L2 penalty on covariate "
                            "coefficients: the fit has no covariates");
    return 0;
}

double cv_model_penalty(const cv_penalty *pen, int np, const double *theta, double *g)
{
    double s = 0.0, lam;
    int j;
    if (!pen || !(pen->params > 0.0))
        return 0.0;
    lam = pen->params;
    for (j = 0; j < np; j++) {
        if (pen->scale == CV_PENALTY_NATURAL) { /* p^2 = exp(2 theta) */
            double e = exp(2.0 * theta[j]);
            s += e;
            if (g)
                g[j] += 2.0 * lam * e;
        } else {
            s += theta[j] * theta[j];
            if (g)
                g[j] += 2.0 * lam * theta[j];
        }
    }
    return lam * s;
}

/* One half of the rows' log-likelihood (for the two halves of fit_objective). */
typedef struct {
    const cv_model *model;
    const double *p;
    cv_model_data d;
    double ll, g[CV_MODEL_MAXP];
    int want_grad, rc;
} ll_half;

static void ll_halves(void *v, size_t lo, size_t hi)
{
    ll_half *h = v;
    size_t k;
    for (k = lo; k < hi; k++)
        h[k].rc = h[k].model->loglik(h[k].p, &h[k].d, &h[k].ll, h[k].want_grad ? h[k].g : NULL);
}

/* The log-likelihood of d at p: two sums, each over one half of the rows, when d is large
   (the halves are contiguous, so the caches of functions of x still work), run on two
   threads when cv_threads() allows. The split stays two halves whatever the thread count:
   a floating-point sum depends on how it is cut, and a fit must give the same bits on
   every machine and under any CVKIT_THREADS (tests/unit/test_threads.c checks it). */
static int loglik_par(const cv_model *model, const double *p, const cv_model_data *d, double *ll,
                      double *grad)
{
    ll_half h[2];
    size_t mid = d->n / 2, k;
    int i;
    if (d->n < 4096)
        return model->loglik(p, d, ll, grad);
    for (k = 0; k < 2; k++) {
        size_t off = k ? mid : 0;
        h[k].model = model, h[k].p = p, h[k].want_grad = grad != NULL, h[k].rc = 0;
        h[k].d.n = k ? d->n - mid : mid;
        h[k].d.x = d->x ? d->x + off : NULL;
        h[k].d.t_x = d->t_x ? d->t_x + off : NULL;
        h[k].d.T = d->T ? d->T + off : NULL;
        h[k].d.m = d->m ? d->m + off : NULL;
        h[k].d.w = d->w ? d->w + off : NULL;
    }
    cv_par_for(2, 2, ll_halves, h);
    *ll = h[0].ll + h[1].ll;
    if (grad)
        for (i = 0; i < model->nparams; i++)
            grad[i] = h[0].g[i] + h[1].g[i];
    return h[0].rc || h[1].rc ? -1 : 0;
}

/* f(theta) = -LL(exp(theta)) / N and its gradient in theta. */
static double fit_objective(int n, const double *theta, double *g, void *vctx)
{
    const fit_ctx *c = vctx;
    double p[CV_MODEL_MAXP], gp[CV_MODEL_MAXP] = {0}, ll;
    int i;
    cv_progress_add(c->prog, 1);
    for (i = 0; i < n; i++) {
        if (theta[i] > LOG_BOUND || theta[i] < -LOG_BOUND)
            return NAN;
        p[i] = exp(theta[i]);
    }
    if (loglik_par(c->model, p, c->d, &ll, g ? gp : NULL) != 0 || !isfinite(ll))
        return NAN;
    if (g)
        for (i = 0; i < n; i++)
            g[i] = -gp[i] * p[i] * c->scale;
    return -ll * c->scale + cv_model_penalty(c->pen, n, theta, g);
}

const char *cv_fit_status_name(int status)
{
    switch (status) {
    case CV_FIT_CONVERGED:
        return "converged";
    case CV_FIT_BOUNDARY:
        return "boundary";
    case CV_FIT_NOT_CONVERGED:
        return "not_converged";
    default:
        return "?";
    }
}

/* 1 for the models of purchases in continuous time (x repeat purchases in the age T), whose
   customers with T = 0 (first seen on the last day) have likelihood 1: they are left out
   of N, and data where nobody made a repeat purchase have no maximum. A new model of that
   kind is added here (docs/hacking.md, "Add a model"). */
static int continuous_time(const cv_model *model)
{
    return model == &cv_model_bgnbd || model == &cv_model_mbgnbd || model == &cv_model_pareto_nbd ||
           model == &cv_model_nbd;
}

/* Data that carry no information for the model, found before fitting: returns 0, or
   CV_ERR_USAGE with a message saying what is missing and what to check. *nobs gets N, the
   customers that inform the fit (weights; rows with T = 0 of the continuous-time models
   and x = 0 of Gamma-Gamma have likelihood 1 and are left out of N). */
static int check_information(const cv_model *model, const cv_model_data *d, double *nobs,
                             cv_error *err)
{
    double n_all = 0.0, n_info = 0.0, sx = 0.0;
    int rft = continuous_time(model);
    size_t r;
    for (r = 0; r < d->n; r++) {
        double w = d->w ? d->w[r] : 1.0;
        n_all += w;
        if (model == &cv_model_gamma_gamma) {
            if (d->x[r] > 0.0)
                n_info += w;
        } else if (!rft || d->T[r] > 0.0) {
            n_info += w;
            sx += w * d->x[r];
        }
    }
    *nobs = n_info;
    if (!(n_all > 0.0))
        return cv_error_set(err, CV_ERR_USAGE, "%s: no customers to fit (%zu rows, total weight 0)",
                            model->name, d->n);
    if (model == &cv_model_gamma_gamma && !(n_info > 0.0))
        return cv_error_set(err, CV_ERR_USAGE,
                            "gamma_gamma: no customer has a repeat transaction (x > 0), so there "
                            "is no repeat spend to fit");
    if (rft && !(n_info > 0.0))
        return cv_error_set(err, CV_ERR_USAGE,
                            "%s: every customer has age T = 0 (first purchase at the end of the "
                            "calibration period): nothing to fit; check the calibration end",
                            model->name);
    if (rft && !(sx > 0.0))
        return cv_error_set(
            err, CV_ERR_USAGE,
            "%s: no customer made a repeat purchase (x = 0 for all %.15g customers): the "
            "likelihood is highest as the purchase rate r/alpha goes to 0; check "
            "the frequency column or lengthen the calibration period",
            model->name, n_info);
    if (model == &cv_model_bgbb && !(sx > 0.0))
        return cv_error_set(
            err, CV_ERR_USAGE,
            "bgbb: no customer made a transaction (x = 0 for all %.15g customers): the "
            "likelihood is highest as the transaction probability goes to 0; "
            "check the frequency column",
            n_info);
    return 0;
}

/* The message of a boundary fit into fit->optim.message: the parameters that ran to the
   boundary, or that the likelihood is flat at the optimum. */
static void boundary_message(const cv_model *model, cv_fit *fit, int one_row)
{
    char names[96] = "";
    size_t len = 0;
    int i;
    for (i = 0; i < model->nparams; i++)
        if ((fit->boundary & (1u << i)) && len < sizeof names)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
                                    model->param_names[i]);
    if (len)
        snprintf(fit->optim.message, sizeof fit->optim.message,
                 "%s ran to the boundary: the data do not identify them%s", names,
                 one_row ? " (all customers are identical)" : "");
    else
        snprintf(fit->optim.message, sizeof fit->optim.message,
                 "the likelihood is flat at the optimum (Hessian not positive definite): the "
                 "data do not identify the parameters");
}

/* cv_model_fit inside its progress step. */
/* fit_at: the fit's parameters, objective, log-likelihood (with a penalty, the one without
   it at the penalized optimum), AIC and BIC at theta (log-parameters, k of them), whose
   objective is f; fit->n_obs is set. */
static void fit_at(const cv_model *model, const cv_model_data *d, const double *theta, int k,
                   double f, const cv_penalty *pen, cv_fit *fit)
{
    for (int i = 0; i < k; i++)
        fit->params[i] = exp(theta[i]);
    fit->objective = f;
    fit->loglik = -f * fit->n_obs;
    if (pen && loglik_par(model, fit->params, d, &fit->loglik, NULL) != 0)
        fit->loglik = NAN;
    fit->aic = 2.0 * k - 2.0 * fit->loglik;
    fit->bic = k * log(fit->n_obs) - 2.0 * fit->loglik;
}

static int fit_run(const cv_model *model, const cv_model_data *d, const double *start,
                   const cv_penalty *pen, cv_fit *fit, cv_progress *prog, cv_error *err)
{
    cv_model_rows rows;
    fit_ctx ctx;
    cv_optim_opts oo;
    double theta[CV_MODEL_MAXP], p0[CV_MODEL_MAXP], h[CV_MODEL_MAXP * CV_MODEL_MAXP];
    double cov[CV_MODEL_MAXP * CV_MODEL_MAXP], nobs = 0.0;
    int k = model->nparams, i, rc, hrc, one_row;
    memset(fit, 0, sizeof *fit);
    fit->model = model;
    fit->status = CV_FIT_NOT_CONVERGED;
    if (cv_penalty_check(pen, 0, err))
        return CV_ERR_USAGE;
    if (pen && pen->params > 0.0)
        fit->penalty = *pen;
    else
        pen = NULL; /* no penalty: the objective is the mean negative log-likelihood alone */
    if (check_data(model, d, err))
        return CV_ERR_USAGE;
    if (check_information(model, d, &nobs, err))
        return CV_ERR_USAGE;
    if (cv_model_collapse(d, &rows, err))
        return CV_ERR_NOMEM;
    if (start)
        memcpy(p0, start, sizeof(double) * (size_t)k);
    else
        model->start(&rows.data, p0);
    for (i = 0; i < k; i++) {
        if (!(p0[i] > 0.0) || !isfinite(p0[i])) {
            cv_model_rows_free(&rows);
            return cv_error_set(err, CV_ERR_USAGE, "%s: start value %s = %g must be positive",
                                model->name, model->param_names[i], p0[i]);
        }
        theta[i] = log(p0[i]);
    }
    {
        /* one distinct informative row: every customer alike */
        size_t r, distinct = 0;
        for (r = 0; r < rows.data.n; r++)
            if (rows.data.w[r] > 0.0 && (model == &cv_model_gamma_gamma ? rows.data.x[r] > 0.0
                                         : continuous_time(model)       ? rows.data.T[r] > 0.0
                                                                        : 1))
                distinct++;
        one_row = distinct == 1;
        fit->identical = one_row;
    }
    ctx.model = model;
    ctx.d = &rows.data;
    ctx.scale = 1.0 / nobs;
    ctx.pen = pen;
    ctx.prog = prog;
    cv_optim_defaults(&oo);
    oo.gtol = 1e-9; /* on the mean log-likelihood: tight enough for flat directions */
    oo.max_eval = 3000;
    rc = cv_optim_minimize(k, theta, fit_objective, &ctx, &oo, &fit->optim, err);
    if (rc == CV_ERR_LIMIT) { /* cancelled */
        cv_model_rows_free(&rows);
        return rc;
    }
    if (rc != 0 && rc != 1) {
        cv_model_rows_free(&rows);
        return cv_error_set(err, rc, "%s: log-likelihood not finite at the start values",
                            model->name);
    }
    fit->n_obs = nobs;
    fit->n_rows = rows.data.n;
    fit_at(model, &rows.data, theta, k, fit->optim.f, pen, fit);
    for (i = 0; i < k; i++)
        fit->se[i] = NAN;
    for (i = 0; i < k * k; i++)
        fit->cov_log[i] = NAN;
    /* standard errors: the Hessian of -LL in theta is N times that of the objective (with a
       penalty, of the penalized objective: the curvature of the log-posterior) */
    if (rc == 0) {
        /* BFGS stops where the objective's changes sink into the rounding of its sum, so
           its end point moves by ~1e-7 with the order of the sum. One Newton step with a
           forward-difference Hessian (error ~1e-6) takes it to the gradient's zero (~1e-13
           off), which the order does not move; the Hessian of the standard errors is taken
           there. A longer step (BFGS ended farther out) is followed by a second one, with
           that Hessian, and the Hessian is taken again. */
        double fx, gmax, t0[CV_MODEL_MAXP], move = 0.0;
        int steps;
        memcpy(t0, theta, sizeof t0);
        steps =
            cv_optim_newton_polish_at(k, theta, fit_objective, &ctx, NULL, fit->optim.f,
                                      fit->optim.grad_ok ? fit->optim.grad : NULL, 1, &fx, &gmax);
        for (i = 0; i < k; i++)
            move = fmax(move, fabs(theta[i] - t0[i]));
        hrc = cv_optim_hessian(k, theta, fit_objective, &ctx, h, NULL);
        if (steps > 0 && move > 1e-6 && hrc == 0 &&
            cv_optim_newton_polish(k, theta, fit_objective, &ctx, h, 1, &fx, &gmax) > 0)
            hrc = cv_optim_hessian(k, theta, fit_objective, &ctx, h, NULL);
        if (steps > 0) {
            fit->optim.f = fx;
            fit->optim.grad_norm = gmax;
            fit_at(model, &rows.data, theta, k, fx, pen, fit);
        }
    } else {
        hrc = cv_optim_hessian(k, theta, fit_objective, &ctx, h, NULL);
    }
    if (hrc == 0) {
        for (i = 0; i < k * k; i++)
            h[i] *= nobs;
        if (cv_optim_spd_inverse(k, h, cov) == 0) {
            int fin = 1;
            for (i = 0; i < k * k; i++)
                fin = fin && isfinite(cov[i]);
            /* a log standard error above 100 (a factor e^100): the Hessian is singular but
               for rounding (a flat direction of the exact likelihood, as when one cohort lets
               alpha and beta grow together): no standard errors */
            for (i = 0; i < k; i++)
                fin = fin && cov[i * k + i] < 1e4;
            if (fin) {
                memcpy(fit->cov_log, cov, sizeof(double) * (size_t)(k * k));
                for (i = 0; i < k; i++)
                    fit->se[i] = fit->params[i] * sqrt(cov[i * k + i]);
                fit->se_ok = 1;
            }
        }
    }
    cv_model_rows_free(&rows);
    for (i = 0; i < k; i++)
        if (!isfinite(fit->params[i]) || !(fit->params[i] > 0.0))
            return cv_error_set(err, CV_ERR_DOMAIN,
                                "%s: the fit ended at %s = %g, not a positive "
                                "number",
                                model->name, model->param_names[i], fit->params[i]);
    if (!isfinite(fit->loglik))
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "%s: the log-likelihood at the fitted parameters "
                            "is not finite",
                            model->name);
    /* parameters running to 0 or infinity: the likelihood rises that way (e.g. a, b of the
       BG/NBD growing together when the dropout probability is the same for all). A log-
       parameter beyond LOG_EDGE whose standard error on the log scale is above 1 (or not
       defined); when the Hessian is not positive definite at all (no interior maximum, as
       when a cohort all churns at once), also one beyond the softer edge LOG_SOFT. */
    for (i = 0; i < k; i++)
        if ((fabs(theta[i]) > LOG_EDGE && !(sqrt(fit->cov_log[i * k + i]) < 1.0)) ||
            (!fit->se_ok && fabs(theta[i]) > LOG_SOFT))
            fit->boundary |= 1u << i;
    if (fit->boundary || !fit->se_ok) {
        fit->status = CV_FIT_BOUNDARY;
        fit->optim.converged = 0;
        boundary_message(model, fit, one_row);
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

int cv_model_fit_pen(const cv_model *model, const cv_model_data *d, const double *start,
                     const cv_penalty *pen, cv_fit *fit, cv_error *err)
{
    cv_progress prog;
    cv_progress_begin(&prog, "fit", CV_PROGRESS_EVALS, 0);
    int rc = fit_run(model, d, start, pen, fit, &prog, err);
    cv_progress_end(&prog, rc == 0 || rc == 1);
    return rc;
}

int cv_model_fit(const cv_model *model, const cv_model_data *d, const double *start, cv_fit *fit,
                 cv_error *err)
{
    return cv_model_fit_pen(model, d, start, NULL, fit, err);
}

int cv_model_objective(const cv_model *model, const double *theta, const cv_model_data *d,
                       const cv_penalty *pen, double *f, double *grad, cv_error *err)
{
    fit_ctx ctx;
    cv_progress quiet;
    double nobs = 0.0;
    int k = model->nparams, i;
    memset(&quiet, 0, sizeof quiet); /* a step not begun: reports nothing */
    if (cv_penalty_check(pen, 0, err) || check_data(model, d, err) ||
        check_information(model, d, &nobs, err))
        return CV_ERR_USAGE;
    for (i = 0; i < k; i++)
        if (!isfinite(theta[i]))
            return cv_error_set(err, CV_ERR_USAGE, "%s: log-parameter %s is not finite",
                                model->name, model->param_names[i]);
    ctx.model = model, ctx.d = d, ctx.scale = 1.0 / nobs, ctx.pen = pen, ctx.prog = &quiet;
    *f = fit_objective(k, theta, grad, &ctx);
    if (!isfinite(*f))
        return cv_error_set(err, CV_ERR_DOMAIN, "%s: objective not finite", model->name);
    return 0;
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
        check_data(model, d, err))
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
        if (fabs(log(p[i])) > LOG_EDGE)
            edge = 1;
    if (edge)
        snprintf(buf, n,
                 "; the parameters are at the edge of their range (a fit that ran to the "
                 "boundary), where this prediction has no finite form");
}

/* ---- Rows -------------------------------------------------------------------------------- */

typedef struct {
    double x, t_x, T, m, w;
} row5;

/* Orders rows of one x by (t_x, T, m). */
static int row_cmp_rest(const void *va, const void *vb)
{
    const row5 *a = va, *b = vb;
    if (a->t_x != b->t_x)
        return a->t_x < b->t_x ? -1 : 1;
    if (a->T != b->T)
        return a->T < b->T ? -1 : 1;
    if (a->m != b->m)
        return a->m < b->m ? -1 : 1;
    return 0;
}

/* Orders rows by (x, t_x, T, m). */
static int row_cmp(const void *va, const void *vb)
{
    const row5 *a = va, *b = vb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return row_cmp_rest(va, vb);
}

/* Allocates the columns of out for n rows (the ones has says exist, w always). */
static int rows_alloc(cv_model_rows *out, size_t n, int hx, int htx, int hT, int hm)
{
    double *blk = cv_malloc(sizeof(double) * 5 * (n ? n : 1));
    memset(out, 0, sizeof *out);
    if (!blk)
        return -1;
    out->w = blk;
    out->x = hx ? blk + n : NULL;
    out->t_x = htx ? blk + 2 * n : NULL;
    out->T = hT ? blk + 3 * n : NULL;
    out->m = hm ? blk + 4 * n : NULL;
    return 0;
}

static void rows_view(cv_model_rows *out, size_t n)
{
    out->data.n = n;
    out->data.x = out->x;
    out->data.t_x = out->t_x;
    out->data.T = out->T;
    out->data.m = out->m;
    out->data.w = out->w;
}

static uint64_t bits(double v)
{
    uint64_t u;
    if (v == 0.0)
        v = 0.0; /* -0.0 and 0.0 are one key */
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t row_hash(const row5 *r)
{
    /* one multiply per key word, then one splitmix64 finalizer */
    uint64_t h = bits(r->x) * 0x9E3779B97F4A7C15ULL ^ bits(r->t_x) * 0xC2B2AE3D27D4EB4FULL ^
                 bits(r->T) * 0x165667B19E3779F9ULL ^ bits(r->m) * 0xD6E8FEB86659FD93ULL;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

/* Sorts u[0..k) by (x, t_x, T, m): when every x is a whole number in [0, 2^20), a counting
   sort by x and a sort of each x's rows by the rest (smaller sorts); else one qsort. */
static int rows_sort(row5 *u, size_t k)
{
    size_t i, maxx = 0, *start;
    row5 *tmp;
    for (i = 0; i < k; i++) {
        double x = u[i].x;
        if (!(x >= 0.0 && x < 1048576.0) || x != floor(x)) {
            qsort(u, k, sizeof(row5), row_cmp);
            return 0;
        }
        if ((size_t)x > maxx)
            maxx = (size_t)x;
    }
    start = cv_calloc(maxx + 2, sizeof *start);
    tmp = cv_malloc(sizeof(row5) * (k ? k : 1));
    if (!start || !tmp) {
        cv_free(start), cv_free(tmp);
        qsort(u, k, sizeof(row5), row_cmp);
        return 0;
    }
    for (i = 0; i < k; i++)
        start[(size_t)u[i].x + 1]++;
    for (i = 1; i <= maxx + 1; i++)
        start[i] += start[i - 1];
    for (i = 0; i < k; i++)
        tmp[start[(size_t)u[i].x]++] = u[i];
    /* start[v] is now the end of x = v's rows */
    for (i = 0; i <= maxx; i++) {
        size_t lo = i ? start[i - 1] : 0;
        if (start[i] > lo + 1)
            qsort(tmp + lo, start[i] - lo, sizeof(row5), row_cmp_rest);
    }
    memcpy(u, tmp, sizeof(row5) * k);
    cv_free(start), cv_free(tmp);
    return 0;
}

static int row_same(const row5 *a, const row5 *b)
{
    return bits(a->x) == bits(b->x) && bits(a->t_x) == bits(b->t_x) && bits(a->T) == bits(b->T) &&
           bits(a->m) == bits(b->m);
}

/* One part of a collapse: the distinct rows among in's rows whose hash has top bit `part`
   (every row when parts == 1), weights summed, sorted by (x, t_x, T, m). */
typedef struct {
    const cv_model_data *in;
    int part, parts;
    row5 *u; /* the part's distinct rows */
    size_t k;
    int rc; /* 0, or -1 out of memory */
} collapse_part;

static row5 row_at(const cv_model_data *in, size_t i)
{
    row5 r;
    r.x = in->x ? in->x[i] : 0.0;
    r.t_x = in->t_x ? in->t_x[i] : 0.0;
    r.T = in->T ? in->T[i] : 0.0;
    r.m = in->m ? in->m[i] : 0.0;
    r.w = in->w ? in->w[i] : 1.0;
    return r;
}

static void collapse_parts(void *v, size_t lo, size_t hi)
{
    collapse_part *cp = v;
    for (size_t j = lo; j < hi; j++) {
        collapse_part *c = &cp[j];
        const cv_model_data *in = c->in;
        size_t cap = 16, have = 1024, mask, i;
        uint32_t *slot;
        while (cap < 2 * in->n / (size_t)c->parts + 2)
            cap <<= 1;
        mask = cap - 1;
        slot = cv_calloc(cap, sizeof(uint32_t)); /* 0 = empty, else index + 1 */
        c->u = cv_malloc(sizeof(row5) * have);
        c->k = 0;
        c->rc = !slot || !c->u ? -1 : 0;
        for (i = 0; i < in->n && c->rc == 0; i++) {
            row5 r = row_at(in, i);
            uint64_t hv = row_hash(&r);
            size_t h;
            if (c->parts > 1 && (int)(hv >> 63) != c->part)
                continue;
            for (h = (size_t)hv & mask;; h = (h + 1) & mask) {
                if (slot[h] == 0) {
                    if (c->k == have) {
                        row5 *g = cv_realloc(c->u, sizeof(row5) * (have *= 2));
                        if (!g) {
                            c->rc = -1;
                            break;
                        }
                        c->u = g;
                    }
                    c->u[c->k] = r;
                    slot[h] = (uint32_t)(++c->k);
                    break;
                }
                if (row_same(&c->u[slot[h] - 1], &r)) {
                    c->u[slot[h] - 1].w += r.w;
                    break;
                }
            }
        }
        cv_free(slot);
        if (c->rc == 0)
            rows_sort(c->u, c->k);
    }
}

/* ---- Collapsing by codes ----------------------------------------------------------------- */

/* The distinct values of one column, ascending, and each row's rank among them. */
typedef struct {
    double *val;    /* k distinct values (zero as +0.0) */
    uint32_t *code; /* n: the rank of the row's value */
    size_t k;
} col_codes;

typedef struct {
    double v;
    uint32_t id;
} val_id;

static int val_id_cmp(const void *va, const void *vb)
{
    const val_id *a = va, *b = vb;
    return a->v < b->v ? -1 : a->v > b->v;
}

/* MurmurHash3's finalizer: every bit of u moves the low bits (whole numbers leave the low
   mantissa bits zero) */
static uint64_t fmix64(uint64_t u)
{
    u ^= u >> 33;
    u *= 0xFF51AFD7ED558CCDULL;
    u ^= u >> 33;
    u *= 0xC4CEB9FE1A85EC53ULL;
    return u ^ (u >> 33);
}

static void col_codes_free(col_codes *c)
{
    cv_free(c->val), cv_free(c->code);
    c->val = NULL, c->code = NULL;
}

/* Sorts s[0..k) by value (finite, no -0.0) by a radix sort of the values' bits, turned so
   that unsigned order is numeric order: 0, or -1 out of memory (s untouched). */
static int radix_vals(val_id *s, size_t k)
{
    val_id *t = cv_malloc(sizeof *t * k), *from = s, *to = t;
    uint64_t *u = cv_malloc(sizeof *u * k), *u2 = cv_malloc(sizeof *u2 * k);
    size_t cnt[2048], i, j;
    int shift;
    if (!t || !u || !u2) {
        cv_free(t), cv_free(u), cv_free(u2);
        return -1;
    }
    for (i = 0; i < k; i++) {
        uint64_t b = bits(s[i].v);
        u[i] = b >> 63 ? ~b : b | 0x8000000000000000ULL;
    }
    for (shift = 0; shift < 64; shift += 11) { /* six passes: the result ends in s */
        size_t sum = 0;
        uint64_t *tu;
        val_id *ts;
        memset(cnt, 0, sizeof cnt);
        for (i = 0; i < k; i++)
            cnt[(u[i] >> shift) & 2047]++;
        for (j = 0; j < 2048; j++) {
            size_t c = cnt[j];
            cnt[j] = sum, sum += c;
        }
        for (i = 0; i < k; i++) {
            size_t d = cnt[(u[i] >> shift) & 2047]++;
            u2[d] = u[i], to[d] = from[i];
        }
        tu = u, u = u2, u2 = tu;
        ts = from, from = to, to = ts;
    }
    cv_free(t), cv_free(u), cv_free(u2);
    return 0;
}

/* Codes column v (n rows) into c: a hash of the values (first-seen ids), then the distinct
   values sorted and the ids replaced by ranks. 0; 1 for a value that is not finite (the
   caller collapses the plain way); -1 out of memory. */
static int col_code(const double *v, size_t n, col_codes *c)
{
    size_t cap = 256, have = 256, i, j;
    uint32_t *slot = cv_calloc(cap, sizeof *slot), *rank = NULL; /* 0 empty, else id + 1 */
    val_id *s = NULL;
    int rc = -1;
    c->k = 0;
    c->val = cv_malloc(sizeof(double) * have);
    c->code = cv_malloc(sizeof(uint32_t) * (n ? n : 1));
    if (!slot || !c->val || !c->code)
        goto done;
    for (i = 0; i < n; i++) {
        double y = v[i] == 0.0 ? 0.0 : v[i];
        uint64_t u = bits(y), h;
        if (!isfinite(y)) {
            rc = 1;
            goto done;
        }
        if (2 * c->k >= cap) { /* half full: double the table, re-insert the values */
            uint32_t *g = cv_calloc(cap * 2, sizeof *g);
            if (!g)
                goto done;
            cv_free(slot);
            slot = g, cap *= 2;
            for (j = 0; j < c->k; j++) {
                for (h = fmix64(bits(c->val[j]));; h++)
                    if (slot[h & (cap - 1)] == 0)
                        break;
                slot[h & (cap - 1)] = (uint32_t)(j + 1);
            }
        }
        for (h = fmix64(u);; h++) {
            uint32_t e = slot[h & (cap - 1)];
            if (e == 0) {
                if (c->k == have) {
                    double *g = cv_realloc(c->val, sizeof(double) * (have *= 2));
                    if (!g)
                        goto done;
                    c->val = g;
                }
                c->val[c->k] = y;
                slot[h & (cap - 1)] = (uint32_t)(++c->k);
                c->code[i] = (uint32_t)(c->k - 1);
                break;
            }
            if (bits(c->val[e - 1]) == u) {
                c->code[i] = e - 1;
                break;
            }
        }
    }
    s = cv_malloc(sizeof *s * (c->k ? c->k : 1));
    rank = cv_malloc(sizeof *rank * (c->k ? c->k : 1));
    if (!s || !rank)
        goto done;
    for (j = 0; j < c->k; j++)
        s[j].v = c->val[j], s[j].id = (uint32_t)j;
    if (c->k <= 4096 || radix_vals(s, c->k) != 0)
        qsort(s, c->k, sizeof *s, val_id_cmp);
    for (j = 0; j < c->k; j++)
        c->val[j] = s[j].v, rank[s[j].id] = (uint32_t)j;
    for (i = 0; i < n; i++)
        c->code[i] = rank[c->code[i]];
    rc = 0;
done:
    cv_free(slot), cv_free(s), cv_free(rank);
    if (rc != 0)
        col_codes_free(c);
    return rc;
}

/* col_code of one column each (none where v is NULL), for cv_par_for */
typedef struct {
    const double *v;
    size_t n;
    col_codes *c;
    int rc;
} col_job;

static void col_jobs(void *vj, size_t lo, size_t hi)
{
    col_job *j = vj;
    size_t i;
    for (i = lo; i < hi; i++)
        if (j[i].v)
            j[i].rc = col_code(j[i].v, j[i].n, j[i].c);
}

/* cv_model_collapse when every value is finite and the product of the columns' distinct
   counts fits 64 bits: the row's ranks packed into one key (x's most significant), the keys
   sorted by a stable radix sort (rows of one key keep their order, so the weights add up in
   the order of the plain collapse and to the same bits), then one pass over the runs of
   equal keys. The keys' order is the order of (x, t_x, T, m), as the plain collapse sorts.
   Linear in the rows, with each column's table of distinct values small enough to stay in
   cache (ages and recencies repeat). 0; 1 not applicable (out untouched); -1 out of
   memory. */
static int collapse_coded(const cv_model_data *in, cv_model_rows *out, uint32_t *idx)
{
    const double *col[4] = {in->x, in->t_x, in->T, in->m};
    col_codes cc[4];
    uint64_t card = 1, *key = NULL, *key2 = NULL;
    uint32_t *ord = NULL, *ord2 = NULL;
    size_t n = in->n, cnt[2048], i, j, k = 0;
    int c, rc = -1, nbits = 0, shift;
    col_job jobs[4];
    memset(cc, 0, sizeof cc);
    memset(out, 0, sizeof *out);
    for (c = 0; c < 4; c++)
        jobs[c].v = col[c], jobs[c].n = n, jobs[c].c = &cc[c], jobs[c].rc = 0;
    cv_par_for(4, n >= 100000 ? 2 : 5, col_jobs, jobs); /* columns on threads past 100,000 rows */
    for (c = 0; c < 4; c++) {
        if (!col[c])
            continue;
        if ((rc = jobs[c].rc) != 0)
            goto done;
        rc = 1;
        if (cc[c].k > 1 && card > UINT64_MAX / cc[c].k)
            goto done;
        card *= cc[c].k ? cc[c].k : 1;
    }
    rc = -1;
    while (nbits < 64 && (card - 1) >> nbits)
        nbits++;
    key = cv_malloc(sizeof *key * (n ? n : 1)), key2 = cv_malloc(sizeof *key2 * (n ? n : 1));
    ord = cv_malloc(sizeof *ord * (n ? n : 1)), ord2 = cv_malloc(sizeof *ord2 * (n ? n : 1));
    if (!key || !key2 || !ord || !ord2 ||
        rows_alloc(out, n, in->x != NULL, in->t_x != NULL, in->T != NULL, in->m != NULL))
        goto done;
    for (i = 0; i < n; i++) {
        uint64_t kv = 0;
        for (c = 0; c < 4; c++)
            if (col[c])
                kv = kv * cc[c].k + cc[c].code[i];
        key[i] = kv, ord[i] = (uint32_t)i;
    }
    for (shift = 0; shift < nbits; shift += 11) { /* least significant 11 bits first */
        size_t sum = 0;
        memset(cnt, 0, sizeof cnt);
        for (i = 0; i < n; i++)
            cnt[(key[i] >> shift) & 2047]++;
        for (j = 0; j < 2048; j++) {
            size_t t = cnt[j];
            cnt[j] = sum, sum += t;
        }
        for (i = 0; i < n; i++) {
            size_t d = cnt[(key[i] >> shift) & 2047]++;
            key2[d] = key[i], ord2[d] = ord[i];
        }
        {
            uint64_t *tk = key;
            uint32_t *to = ord;
            key = key2, key2 = tk, ord = ord2, ord2 = to;
        }
    }
    for (i = 0; i < n; i = j) {
        double w = in->w ? in->w[ord[i]] : 1.0;
        uint64_t kv = key[i];
        for (j = i + 1; j < n && key[j] == kv; j++)
            w += in->w ? in->w[ord[j]] : 1.0;
        if (idx) {
            size_t q;
            for (q = i; q < j; q++)
                idx[ord[q]] = (uint32_t)k;
        }
        out->w[k] = w;
        for (c = 3; c >= 0; c--) {
            double *dst = c == 0 ? out->x : c == 1 ? out->t_x : c == 2 ? out->T : out->m;
            if (!col[c])
                continue;
            dst[k] = cc[c].val[kv % cc[c].k];
            kv /= cc[c].k;
        }
        k++;
    }
    rows_view(out, k);
    rc = 0;
done:
    if (rc < 0 && out->w)
        cv_model_rows_free(out);
    for (c = 0; c < 4; c++)
        col_codes_free(&cc[c]);
    cv_free(key), cv_free(key2), cv_free(ord), cv_free(ord2);
    return rc;
}

/* Hashes the rows into distinct ones (summing weights), then sorts only those: linear in
   the number of customers, n log n in the number of distinct rows. Past 100,000 rows, in
   two parts by the hash's top bit (on two threads when cv_threads() allows), merged at the
   end (distinct rows in the two parts differ, so the order is the same total order either
   way). */
int cv_model_collapse(const cv_model_data *in, cv_model_rows *out, cv_error *err)
{
    collapse_part cp[2];
    int parts = in->n >= 100000 ? 2 : 1, j;
    size_t i, a = 0, b = 0, k;
    if (in->n > 0 && in->n < UINT32_MAX) {
        int rc = collapse_coded(in, out, NULL);
        if (rc < 0)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows", in->n);
        if (rc == 0)
            return 0;
    }
    memset(cp, 0, sizeof cp);
    for (j = 0; j < parts; j++)
        cp[j].in = in, cp[j].part = j, cp[j].parts = parts;
    if (in->n >= UINT32_MAX ||
        rows_alloc(out, in->n, in->x != NULL, in->t_x != NULL, in->T != NULL, in->m != NULL))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows", in->n);
    cv_par_for((size_t)parts, 2, collapse_parts, cp);
    if (cp[0].rc || cp[1].rc) {
        cv_free(cp[0].u), cv_free(cp[1].u);
        cv_model_rows_free(out);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows", in->n);
    }
    k = cp[0].k + cp[1].k;
    for (i = 0; i < k; i++) { /* merge the two sorted parts */
        const row5 *r = b == cp[1].k || (a < cp[0].k && row_cmp(&cp[0].u[a], &cp[1].u[b]) < 0)
                            ? &cp[0].u[a++]
                            : &cp[1].u[b++];
        out->w[i] = r->w;
        if (out->x)
            out->x[i] = r->x;
        if (out->t_x)
            out->t_x[i] = r->t_x;
        if (out->T)
            out->T[i] = r->T;
        if (out->m)
            out->m[i] = r->m;
    }
    cv_free(cp[0].u), cv_free(cp[1].u);
    rows_view(out, k);
    return 0;
}

int cv_model_collapse_index(const cv_model_data *in, cv_model_rows *out, uint32_t *idx)
{
    memset(out, 0, sizeof *out);
    if (in->n == 0 || in->n >= UINT32_MAX)
        return 1;
    return collapse_coded(in, out, idx);
}

void cv_model_rows_free(cv_model_rows *rows)
{
    if (rows) {
        cv_free(rows->w);
        memset(rows, 0, sizeof *rows);
    }
}

int cv_model_sbg_from_survivors(const double *s, size_t k, cv_model_rows *out, cv_error *err)
{
    size_t t;
    if (k < 2)
        return cv_error_set(err, CV_ERR_USAGE, "sbg needs survivor counts for at least 2 periods");
    for (t = 0; t < k; t++) {
        if (!(s[t] >= 0.0) || !isfinite(s[t]))
            return cv_error_set(err, CV_ERR_USAGE, "survivor count %zu (%g) is not a count", t + 1,
                                s[t]);
        if (t > 0 && s[t] > s[t - 1])
            return cv_error_set(err, CV_ERR_USAGE,
                                "survivor count %zu (%g) exceeds the one before (%g)", t + 1, s[t],
                                s[t - 1]);
    }
    if (rows_alloc(out, k, 1, 0, 1, 0))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    for (t = 1; t < k; t++) {
        out->x[t - 1] = (double)(t - 1); /* churned in period t after t - 1 renewals */
        out->T[t - 1] = (double)(k - 1);
        out->w[t - 1] = s[t - 1] - s[t];
    }
    out->x[k - 1] = (double)(k - 1); /* still active after k - 1 periods */
    out->T[k - 1] = (double)(k - 1);
    out->w[k - 1] = s[k - 1];
    rows_view(out, k);
    return 0;
}

double cv_model_spend_correlation(const cv_model_data *d)
{
    double sw = 0, sx = 0, sm = 0, sxx = 0, smm = 0, sxm = 0, vx, vm;
    size_t i, rows = 0;
    if (!d->x || !d->m)
        return NAN;
    for (i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        if (!(d->x[i] > 0.0) || !(w > 0.0))
            continue;
        rows++;
        sw += w;
        sx += w * d->x[i];
        sm += w * d->m[i];
    }
    if (rows < 2)
        return NAN;
    sx /= sw;
    sm /= sw;
    for (i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0, a, b;
        if (!(d->x[i] > 0.0) || !(w > 0.0))
            continue;
        a = d->x[i] - sx;
        b = d->m[i] - sm;
        sxx += w * a * a;
        smm += w * b * b;
        sxm += w * a * b;
    }
    vx = sxx, vm = smm;
    if (!(vx > 0.0) || !(vm > 0.0))
        return NAN;
    return sxm / sqrt(vx * vm);
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
