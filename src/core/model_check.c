/* cvkit models, the checks (model_int.h): the data's columns and values for a model, the
   parameters, the continuous-time models' shared check of (x, t_x, T), whether the data
   carry information to fit, and the log-likelihood of checked data. */
#include "cvkit/models.h"
#include "model_int.h"

#include <math.h>
#include <stdio.h>

/* Checks that d has the columns model needs and finite, in-range values. A bad row is
   named with its values: "row 2: recency t_x must lie between 0 and the age T (x = 2,
   t_x = 40, T = 39)"; a NaN or infinity with its column: "row 1: t_x is NaN". */
int cv_model_check_data(const cv_model *model, const cv_model_data *d, cv_error *err)
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
    if (cv_model_check_data(model, d, err))
        return CV_ERR_USAGE;
    if (cv_model_check_params(model, p, err))
        return CV_ERR_USAGE;
    if (model->loglik(p, d, ll, grad) != 0)
        return cv_error_set(err, CV_ERR_DOMAIN, "%s: log-likelihood not finite", model->name);
    return 0;
}

/* 1 for the models of purchases in continuous time (x repeat purchases in the age T), whose
   customers with T = 0 (first seen on the last day) have likelihood 1: they are left out
   of N, and data where nobody made a repeat purchase have no maximum. A new model of that
   kind is added here (docs/hacking.md, "Add a model"). */
int cv_model_continuous_time(const cv_model *model)
{
    return model == &cv_model_bgnbd || model == &cv_model_mbgnbd || model == &cv_model_pareto_nbd ||
           model == &cv_model_nbd;
}

/* Data that carry no information for the model, found before fitting: returns 0, or
   CV_ERR_USAGE with a message saying what is missing and what to check. *nobs gets N, the
   customers that inform the fit (weights; rows with T = 0 of the continuous-time models
   and x = 0 of Gamma-Gamma have likelihood 1 and are left out of N). */
int cv_model_check_information(const cv_model *model, const cv_model_data *d, double *nobs,
                               cv_error *err)
{
    double n_all = 0.0, n_info = 0.0, sx = 0.0;
    int rft = cv_model_continuous_time(model);
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
