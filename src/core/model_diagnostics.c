/* cvkit model diagnostics: histogram, holdout groups, frequency x recency grids, mixing
   densities, Gamma-Gamma's spend distribution and P(alive) histories of a fitted model
   (see include/cvkit/diagnostics.h). */
#include "cvkit/diagnostics.h"
#include "cvkit/mem.h"
#include "cvkit/special.h"
#include "model_int.h"

#include <math.h>
#include <string.h>

/* log of the negative binomial probability of k purchases by t: Gamma(r+k)/(Gamma(r) k!)
   (alpha/(alpha+t))^r (t/(alpha+t))^k. */
static double lnb(double r, double al, double t, double k)
{
    return cv_lgamma(r + k) - cv_lgamma(r) - cv_lgamma(k + 1.0) + r * log(al / (al + t)) +
           (k > 0 ? k * log(t / (al + t)) : 0.0);
}

/* Pareto/NBD's P(X(t) = k) as a mixture over the lifetime tau (Exp(mu), mu ~ Gamma(s, beta)):
     (beta/(beta+t))^s NB(k; t) + int_0^t NB(k; tau) s/beta (1 + tau/beta)^-(s+1) dtau
   by composite Simpson (2,000 intervals; the integrand is smooth on [0, t]). The fallback
   where the closed form's hypergeometric terms are not computable (s and beta running to
   the boundary, as on the apparel data); equal to it elsewhere (tests). */
static double pnbd_pmf_quad(const double *p, double t, double k)
{
    enum { N = 2000 };
    const double r = p[0], al = p[1], s = p[2], be = p[3], h = t / N;
    double sum = 0.0;
    int i;
    for (i = 0; i <= N; i++) {
        double tau = i * h, f;
        if (tau == 0.0)
            f = k == 0.0 ? s / be : 0.0;
        else
            f = exp(lnb(r, al, tau, k) + log(s) - log(be) - (s + 1.0) * log1p(tau / be));
        sum += f * (i == 0 || i == N ? 1.0 : i % 2 ? 4.0 : 2.0);
    }
    return exp(-s * log1p(t / be) + lnb(r, al, t, k)) + sum * h / 3.0;
}

double cv_diag_pmf(const cv_model *model, const double *p, double t, double k)
{
    double v;
    if (!(k >= 0.0) || k != floor(k) || !(t >= 0.0) || !isfinite(t) ||
        !(model->preds & (1u << CV_PRED_PMF)))
        return NAN;
    if (t == 0.0)
        return k == 0.0 ? 1.0 : 0.0;
    v = model->predict(p, CV_PRED_PMF, 0, 0, 0, 0, t, k);
    if (!isfinite(v) && model == &cv_model_pareto_nbd)
        v = pnbd_pmf_quad(p, t, k);
    return v;
}

double cv_diag_pmf_pnbd_quad(const double *p, double t, double k)
{
    if (!(k >= 0.0) || k != floor(k) || !(t >= 0.0) || !isfinite(t))
        return NAN;
    return t == 0.0 ? (k == 0.0 ? 1.0 : 0.0) : pnbd_pmf_quad(p, t, k);
}

static int has_pmf(const cv_model *model)
{
    return (model->preds & (1u << CV_PRED_PMF)) != 0;
}

int cv_diag_histogram(const cv_model *model, const double *p, const cv_model_data *d, int kmax,
                      double *expected, double *actual, cv_error *err)
{
    cv_model_pairs pp;
    double *wt;
    size_t i, g;
    const char *why = NULL;
    int k, rc = 0;
    if (!has_pmf(model)) {
        cv_error_set(err, CV_ERR_USAGE, "%s: no distribution of purchase counts to compare",
                     model->name);
        return CV_ERR_USAGE;
    }
    if (kmax < 1 || kmax > 1000) {
        cv_error_set(err, CV_ERR_USAGE, "histogram: the last count %d must lie in 1..1000", kmax);
        return CV_ERR_USAGE;
    }
    if ((rc = cv_model_check_params(model, p, err)) != 0)
        return rc;
    if (model->check && model->check(d, &i, &why) != 0) {
        cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", i + 1, why);
        return CV_ERR_USAGE;
    }
    memset(expected, 0, sizeof(double) * ((size_t)kmax + 1));
    memset(actual, 0, sizeof(double) * ((size_t)kmax + 1));
    if (cv_model_pairs_make(NULL, d->T, d->n, &pp) != 0) {
        cv_model_pairs_free(&pp);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return CV_ERR_NOMEM;
    }
    wt = cv_calloc(pp.k ? pp.k : 1, sizeof(double));
    if (!wt) {
        cv_model_pairs_free(&pp);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return CV_ERR_NOMEM;
    }
    for (i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0, x = d->x[i];
        wt[pp.idx[i]] += w;
        actual[x >= kmax ? kmax : (int)x] += w;
    }
    for (g = 0; g < pp.k && rc == 0; g++) {
        double rest = 1.0;
        for (k = 0; k < kmax; k++) {
            double pk = cv_diag_pmf(model, p, pp.T[g], k);
            if (!isfinite(pk)) {
                cv_error_set(err, CV_ERR_DOMAIN, "%s: P(X(%g) = %d) is not computable", model->name,
                             pp.T[g], k);
                rc = CV_ERR_DOMAIN;
                break;
            }
            expected[k] += wt[g] * pk;
            rest -= pk;
        }
        expected[kmax] += wt[g] * (rest > 0.0 ? rest : 0.0);
    }
    cv_free(wt);
    cv_model_pairs_free(&pp);
    return rc;
}

int cv_diag_holdout(const cv_model *model, const double *p, const cv_model_data *d,
                    const double *holdout, double t_holdout, cv_diag_by by, int ngroups, double *lo,
                    double *hi, double *n, double *actual, double *expected, cv_error *err)
{
    double *e, maxT = 0.0;
    size_t i;
    int g, rc;
    if (!(model->preds & (1u << CV_PRED_CONDITIONAL))) {
        cv_error_set(err, CV_ERR_USAGE, "%s: no conditional expectation to check", model->name);
        return CV_ERR_USAGE;
    }
    if (ngroups < 2 || ngroups > 1000) {
        cv_error_set(err, CV_ERR_USAGE, "holdout: %d groups, expected 2..1000", ngroups);
        return CV_ERR_USAGE;
    }
    if (!(t_holdout > 0.0)) {
        cv_error_set(err, CV_ERR_USAGE, "holdout length must be positive, got %g", t_holdout);
        return CV_ERR_USAGE;
    }
    if (by == CV_DIAG_BY_RECENCY && !d->t_x) {
        cv_error_set(err, CV_ERR_USAGE, "holdout by recency: the data has no recency t_x");
        return CV_ERR_USAGE;
    }
    for (i = 0; i < d->n; i++) {
        if (!(holdout[i] >= 0.0)) {
            cv_error_set(err, CV_ERR_USAGE, "row %zu: holdout transactions must be a count >= 0",
                         i + 1);
            return CV_ERR_USAGE;
        }
        if (d->T[i] > maxT)
            maxT = d->T[i];
    }
    if (!(e = cv_malloc(sizeof(double) * (d->n ? d->n : 1)))) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return CV_ERR_NOMEM;
    }
    if ((rc = cv_model_predict(model, p, CV_PRED_CONDITIONAL, d, t_holdout, 0, e, err)) != 0) {
        cv_free(e);
        return rc;
    }
    for (g = 0; g < ngroups; g++)
        lo[g] = HUGE_VAL, hi[g] = -HUGE_VAL, n[g] = actual[g] = expected[g] = 0.0;
    for (i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0, v;
        if (by == CV_DIAG_BY_FREQUENCY) {
            v = d->x[i];
            g = v >= ngroups - 1 ? ngroups - 1 : (int)v;
        } else {
            v = d->t_x[i];
            if (d->x[i] == 0.0 || !(maxT > 0.0))
                g = 0;
            else {
                g = 1 + (int)floor(v / maxT * (ngroups - 1) - 1e-12);
                g = g < 1 ? 1 : g > ngroups - 1 ? ngroups - 1 : g;
            }
        }
        if (v < lo[g])
            lo[g] = v;
        if (v > hi[g])
            hi[g] = v;
        n[g] += w;
        actual[g] += w * holdout[i];
        expected[g] += w * e[i];
    }
    cv_free(e);
    return 0;
}

int cv_diag_matrix(const cv_model *model, const double *p, cv_pred kind, double T, int nx, int nr,
                   double arg, double *xs, double *txs, double *out, cv_error *err)
{
    int i, j, bgbb = model == &cv_model_bgbb, ok = 0;
    if ((kind != CV_PRED_P_ALIVE && kind != CV_PRED_CONDITIONAL) ||
        !(model->preds & (1u << kind))) {
        cv_error_set(err, CV_ERR_USAGE, "%s: no %s to map over frequency and recency", model->name,
                     cv_pred_name(kind));
        return CV_ERR_USAGE;
    }
    if (!(T > 0.0) || nx < 1 || nx > 1000 || nr < 1 || nr > 1000 ||
        (bgbb && (T != floor(T) || nr != (int)T + 1))) {
        cv_error_set(err, CV_ERR_USAGE,
                     "matrix: age %g with %d x %d cells (BG/BB: T whole, T + 1 recencies)", T, nx,
                     nr);
        return CV_ERR_USAGE;
    }
    if (cv_model_check_params(model, p, err))
        return CV_ERR_USAGE;
    for (j = 0; j < nr; j++)
        txs[j] = bgbb ? (double)j : (j + 0.5) * T / nr;
    for (i = 0; i < nx; i++) {
        xs[i] = i;
        for (j = 0; j < nr; j++) {
            double tx = txs[j], v;
            if (bgbb && (i > tx || (i == 0 && tx > 0) || (i > 0 && tx == 0) || i > T))
                v = NAN;
            else
                v = model->predict(p, kind, i, i == 0 ? 0.0 : tx, T, 0, arg, 0);
            out[(size_t)i * (size_t)nr + (size_t)j] = v;
            ok += isfinite(v) != 0;
        }
    }
    if (!ok) {
        cv_error_set(err, CV_ERR_DOMAIN, "%s: no cell of the %s matrix is computable", model->name,
                     cv_pred_name(kind));
        return CV_ERR_DOMAIN;
    }
    return 0;
}

/* Fills a mixing distribution (beta: Beta(a, b), else Gamma(shape a, rate b)). */
static void mixing(cv_diag_mixing *m, const char *name, int beta, double a, double b)
{
    m->name = name, m->beta = beta, m->a = a, m->b = b;
    if (beta) {
        m->mean = a / (a + b);
        m->sd = sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)));
    } else {
        m->mean = a / b;
        m->sd = sqrt(a) / b;
    }
}

int cv_diag_mixings(const cv_model *model, const double *p, cv_diag_mixing out[2])
{
    if (model == &cv_model_bgnbd || model == &cv_model_mbgnbd) {
        mixing(&out[0], "lambda", 0, p[0], p[1]);
        mixing(&out[1], "p", 1, p[2], p[3]);
        return 2;
    }
    if (model == &cv_model_pareto_nbd) {
        mixing(&out[0], "lambda", 0, p[0], p[1]);
        mixing(&out[1], "mu", 0, p[2], p[3]);
        return 2;
    }
    if (model == &cv_model_nbd) {
        mixing(&out[0], "lambda", 0, p[0], p[1]);
        return 1;
    }
    if (model == &cv_model_bgbb) {
        mixing(&out[0], "p", 1, p[0], p[1]);
        mixing(&out[1], "theta", 1, p[2], p[3]);
        return 2;
    }
    if (model == &cv_model_sbg) {
        mixing(&out[0], "theta", 1, p[0], p[1]);
        return 1;
    }
    if (model == &cv_model_gamma_gamma) {
        mixing(&out[0], "nu", 0, p[1], p[2]);
        return 1;
    }
    return 0;
}

double cv_diag_density(const cv_diag_mixing *m, double v)
{
    if (m->beta) {
        if (!(v > 0.0 && v < 1.0))
            return 0.0;
        return exp((m->a - 1.0) * log(v) + (m->b - 1.0) * log1p(-v) - cv_lbeta(m->a, m->b));
    }
    if (!(v > 0.0))
        return 0.0;
    return exp(m->a * log(m->b) + (m->a - 1.0) * log(v) - m->b * v - cv_lgamma(m->a));
}

/* The continued fraction of the incomplete beta function (modified Lentz). */
static double betacf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1.0, dd = 1.0 - (a + b) * x / (a + 1.0), h;
    int m;
    if (fabs(dd) < tiny)
        dd = tiny;
    dd = 1.0 / dd, h = dd;
    for (m = 1; m <= 500; m++) {
        double m2 = 2.0 * m, aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)), del;
        dd = 1.0 + aa * dd, c = 1.0 + aa / c;
        dd = fabs(dd) < tiny ? 1.0 / tiny : 1.0 / dd;
        c = fabs(c) < tiny ? tiny : c;
        h *= dd * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        dd = 1.0 + aa * dd, c = 1.0 + aa / c;
        dd = fabs(dd) < tiny ? 1.0 / tiny : 1.0 / dd;
        c = fabs(c) < tiny ? tiny : c;
        del = dd * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-14)
            break;
    }
    return h;
}

/* The regularized incomplete beta function I_x(a, b). */
static double ibeta(double a, double b, double x)
{
    double front;
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    front = exp(a * log(x) + b * log1p(-x) - cv_lbeta(a, b));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * betacf(a, b, x) / a;
    return 1.0 - front * betacf(b, a, 1.0 - x) / b;
}

int cv_diag_spend(const double *p, const cv_model_data *d, const double *cuts, int nb,
                  double *expected, double *actual, cv_error *err)
{
    const double pp = p[0], q = p[1], ga = p[2];
    cv_model_pairs xs;
    double *wt;
    size_t i, g;
    const char *why = NULL;
    int k;
    if (nb < 2 || nb > 1000) {
        cv_error_set(err, CV_ERR_USAGE, "spend: %d bins, expected 2..1000", nb);
        return CV_ERR_USAGE;
    }
    for (k = 0; k < nb - 1; k++)
        if (!(cuts[k] > 0.0) || (k > 0 && !(cuts[k] > cuts[k - 1]))) {
            cv_error_set(err, CV_ERR_USAGE, "spend: the bin limits must be positive and rise");
            return CV_ERR_USAGE;
        }
    if (cv_model_check_params(&cv_model_gamma_gamma, p, err))
        return CV_ERR_USAGE;
    if (cv_model_gamma_gamma.check(d, &i, &why) != 0) {
        cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", i + 1, why);
        return CV_ERR_USAGE;
    }
    memset(expected, 0, sizeof(double) * (size_t)nb);
    memset(actual, 0, sizeof(double) * (size_t)nb);
    if (cv_model_pairs_make(d->x, NULL, d->n, &xs) != 0 ||
        !(wt = cv_calloc(xs.k ? xs.k : 1, sizeof(double)))) {
        cv_model_pairs_free(&xs);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return CV_ERR_NOMEM;
    }
    for (i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0, m = d->m[i];
        if (!(d->x[i] > 0.0))
            continue;
        wt[xs.idx[i]] += w;
        for (k = 0; k < nb - 1 && m >= cuts[k]; k++)
            ;
        actual[k] += w;
    }
    for (g = 0; g < xs.k; g++) {
        double x = xs.x[g], prev = 0.0;
        if (!(x > 0.0) || wt[g] == 0.0)
            continue;
        for (k = 0; k < nb - 1; k++) {
            double c = ibeta(pp * x, q, x * cuts[k] / (ga + x * cuts[k]));
            expected[k] += wt[g] * (c - prev);
            prev = c;
        }
        expected[nb - 1] += wt[g] * (1.0 - prev);
    }
    cv_free(wt);
    cv_model_pairs_free(&xs);
    return 0;
}

int cv_diag_palive_path(const cv_model *model, const double *p, const double *purch, size_t k,
                        const double *t, size_t n, double *out, cv_error *err)
{
    size_t i, j;
    if (!(model->preds & (1u << CV_PRED_P_ALIVE))) {
        cv_error_set(err, CV_ERR_USAGE, "%s: no P(alive) to follow", model->name);
        return CV_ERR_USAGE;
    }
    if (cv_model_check_params(model, p, err))
        return CV_ERR_USAGE;
    for (i = 0; i < k; i++)
        if (!(purch[i] > 0.0) || (i > 0 && purch[i] < purch[i - 1])) {
            cv_error_set(err, CV_ERR_USAGE,
                         "purchase %zu: times since the first purchase must be positive and "
                         "ascending",
                         i + 1);
            return CV_ERR_USAGE;
        }
    for (j = 0; j < n; j++)
        if (!(t[j] >= 0.0)) {
            cv_error_set(err, CV_ERR_USAGE, "time %zu must be >= 0, got %g", j + 1, t[j]);
            return CV_ERR_USAGE;
        }
    for (j = 0; j < n; j++) {
        double x = 0.0, tx = 0.0;
        for (i = 0; i < k && purch[i] <= t[j]; i++)
            x += 1.0, tx = purch[i];
        out[j] = t[j] == 0.0 ? 1.0 : model->predict(p, CV_PRED_P_ALIVE, x, tx, t[j], 0, 0, 0);
    }
    return 0;
}

int cv_diag_histogram_table(const cv_model *model, const double *p, const cv_table *s,
                            const cv_model_cols *cols, int kmax, double *expected, double *actual,
                            cv_error *err)
{
    cv_model_rows rows;
    int rc;
    if ((rc = cv_model_rows_from_table(model, s, cols, &rows, err)) != 0)
        return rc;
    rc = cv_diag_histogram(model, p, &rows.data, kmax, expected, actual, err);
    cv_model_rows_free(&rows);
    return rc;
}

int cv_diag_holdout_table(const cv_model *model, const double *p, const cv_table *s,
                          const cv_model_cols *cols, const char *holdout, double t_holdout,
                          cv_diag_by by, int ngroups, double *lo, double *hi, double *n,
                          double *actual, double *expected, cv_error *err)
{
    cv_model_rows rows;
    double *h;
    int rc;
    /* recency groups read t_x even for a model that does not (NBD): as BG/NBD reads it */
    const cv_model *reader =
        by == CV_DIAG_BY_RECENCY && !(model->needs & CV_NEED_TX) ? &cv_model_bgnbd : model;
    if ((rc = cv_model_rows_from_table(reader, s, cols, &rows, err)) != 0)
        return rc;
    if (!(h = cv_malloc(sizeof(double) * (s->nrows ? (size_t)s->nrows : 1)))) {
        cv_model_rows_free(&rows);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return CV_ERR_NOMEM;
    }
    rc = cv_model_column_doubles(s, holdout ? holdout : "x_holdout", h, err);
    if (rc == 0)
        rc = cv_diag_holdout(model, p, &rows.data, h, t_holdout, by, ngroups, lo, hi, n, actual,
                             expected, err);
    cv_free(h);
    cv_model_rows_free(&rows);
    return rc;
}

int cv_diag_spend_table(const double *p, const cv_table *s, const cv_model_cols *cols,
                        const double *cuts, int nb, double *expected, double *actual, cv_error *err)
{
    cv_model_rows rows;
    int rc;
    if ((rc = cv_model_rows_from_table(&cv_model_gamma_gamma, s, cols, &rows, err)) != 0)
        return rc;
    rc = cv_diag_spend(p, &rows.data, cuts, nb, expected, actual, err);
    cv_model_rows_free(&rows);
    return rc;
}
