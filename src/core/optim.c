/* cvkit optimizer (see include/cvkit/optim.h): BFGS on the inverse Hessian with a
   strong-Wolfe line search (Nocedal & Wright, Numerical Optimization, alg. 3.5/3.6),
   a Nelder-Mead fallback, and a finite-difference Hessian of the analytic gradient. */
#include "cvkit/optim.h"

#include "cvkit/cancel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define N_MAX CV_OPTIM_MAXN

void cv_optim_defaults(cv_optim_opts *opts)
{
    opts->max_iter = 500;
    opts->max_eval = 20000;
    opts->gtol = 1e-7;
    opts->ftol = 1e-14;
    opts->no_fallback = 0;
    opts->h0 = NULL;
    opts->h_out = NULL;
}

/* The state of one minimization: the objective and the evaluation count. */
typedef struct {
    int n;
    cv_optim_fn f;
    void *ctx;
    int evals, max_eval;
} problem;

static double eval(problem *p, const double *x, double *g)
{
    double v;
    p->evals++;
    v = p->f(p->n, x, g, p->ctx);
    if (isnan(v))
        v = INFINITY;
    if (g && isfinite(v)) {
        int i;
        for (i = 0; i < p->n; i++)
            if (!isfinite(g[i]))
                return INFINITY;
    }
    return v;
}

static double dot(int n, const double *a, const double *b)
{
    double s = 0.0;
    int i;
    for (i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static double max_abs(int n, const double *a)
{
    double m = 0.0;
    int i;
    for (i = 0; i < n; i++)
        if (fabs(a[i]) > m)
            m = fabs(a[i]);
    return m;
}

/* phi(alpha) = f(x + alpha d): evaluates into xt/gt and returns phi, *dphi. */
static double phi_at(problem *p, const double *x, const double *d, double alpha, double *xt,
                     double *gt, double *dphi)
{
    double v;
    int i;
    for (i = 0; i < p->n; i++)
        xt[i] = x[i] + alpha * d[i];
    v = eval(p, xt, gt);
    *dphi = isfinite(v) ? dot(p->n, gt, d) : NAN;
    return v;
}

/* Minimizer of the cubic through (a, fa, da) and (b, fb, db), kept inside the middle
   80% of the bracket; bisection when the cubic has no usable minimum. */
static double interpolate(double a, double fa, double da, double b, double fb, double db)
{
    double lo = a < b ? a : b, hi = a < b ? b : a, w = hi - lo, t = NAN;
    if (isfinite(fa) && isfinite(fb) && isfinite(da) && isfinite(db)) {
        double d1 = da + db - 3.0 * (fa - fb) / (a - b);
        double disc = d1 * d1 - da * db;
        if (disc >= 0.0) {
            double d2 = (b > a ? 1.0 : -1.0) * sqrt(disc);
            t = b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2);
        }
    }
    if (!isfinite(t) || t < lo + 0.1 * w || t > hi - 0.1 * w)
        t = 0.5 * (lo + hi);
    return t;
}

/* Strong-Wolfe line search along d from x (f0, g0 given). On success returns 0 with the
   new point in xn, gn, fn; -1 when no step with sufficient decrease was found. */
static int line_search(problem *p, const double *x, double f0, const double *g0, const double *d,
                       double alpha, double *xn, double *gn, double *fn)
{
    const double c1 = 1e-4, c2 = 0.9;
    double dphi0 = dot(p->n, g0, d);
    double a_prev = 0.0, f_prev = f0, d_prev = dphi0;
    double lo = 0.0, hi = 0.0, flo = f0, fhi = 0.0, dlo = dphi0, dhi = 0.0;
    double dphi, fa;
    int i, zoom = 0, flat = 0;
    for (i = 0; i < 40 && !zoom; i++) {
        if (p->evals >= p->max_eval)
            return -1;
        fa = phi_at(p, x, d, alpha, xn, gn, &dphi);
        if (!isfinite(fa)) { /* outside the domain: step back towards the last point */
            alpha = a_prev + 0.2 * (alpha - a_prev);
            continue;
        }
        if (fabs(fa - f0) <= 4e-16 * fabs(f0) && ++flat >= 3)
            return -1; /* f no longer resolves the steps */
        if (fa > f0 + c1 * alpha * dphi0 || (i > 0 && fa >= f_prev)) {
            lo = a_prev, flo = f_prev, dlo = d_prev;
            hi = alpha, fhi = fa, dhi = dphi;
            zoom = 1;
        } else if (fabs(dphi) <= -c2 * dphi0) {
            *fn = fa;
            return 0;
        } else if (dphi >= 0.0) {
            lo = alpha, flo = fa, dlo = dphi;
            hi = a_prev, fhi = f_prev, dhi = d_prev;
            zoom = 1;
        } else {
            a_prev = alpha, f_prev = fa, d_prev = dphi;
            alpha *= 2.5;
        }
    }
    if (!zoom)
        return -1;
    for (i = 0; i < 12; i++) { /* a dozen cuts; then settle for sufficient decrease */
        double a;
        if (p->evals >= p->max_eval)
            break;
        a = interpolate(lo, flo, dlo, hi, fhi, dhi);
        fa = phi_at(p, x, d, a, xn, gn, &dphi);
        /* changes below rounding: f cannot tell these points apart, stop zooming */
        if (isfinite(fa) && fabs(fa - f0) <= 4e-16 * fabs(f0) && ++flat >= 3)
            break;
        if (!isfinite(fa) || fa > f0 + c1 * a * dphi0 || fa >= flo) {
            hi = a, fhi = fa, dhi = dphi;
        } else {
            if (fabs(dphi) <= -c2 * dphi0) {
                *fn = fa;
                return 0;
            }
            if (dphi * (hi - lo) >= 0.0)
                hi = lo, fhi = flo, dhi = dlo;
            lo = a, flo = fa, dlo = dphi;
        }
        if (fabs(hi - lo) <= 1e-15 * (fabs(lo) + 1e-300))
            break;
    }
    /* No strong-Wolfe point: accept lo if it decreased f (it satisfies Armijo). */
    if (lo > 0.0 && flo < f0) {
        *fn = phi_at(p, x, d, lo, xn, gn, &dphi);
        return isfinite(*fn) ? 0 : -1;
    }
    return -1;
}

/* BFGS from x (f and gradient evaluated inside). Returns 1 when converged, 0 otherwise;
 *why gets the reason, x the best point, *fx its value, g its gradient. f0: the objective at
   x with its gradient already in g (cv_optim_minimize's first evaluation), or NAN to evaluate
   them here. h0: the first inverse Hessian (NULL: the identity); h[n*n] gets the last. */
static int bfgs_run(problem *p, double *x, double *fx, double *g, double f0, const cv_optim_opts *o,
                    const double *h0, double *h, int *iters, const char **why)
{
    int n = p->n, i, j, k, small_steps = 0;
    double d[N_MAX], xn[N_MAX], gn[N_MAX], s[N_MAX], y[N_MAX], hy[N_MAX];
    double f, fn;
    int fresh = h0 == NULL;
    for (i = 0; i < n * n; i++)
        h[i] = h0 ? h0[i] : 0.0;
    if (!h0)
        for (i = 0; i < n; i++)
            h[i * n + i] = 1.0;
    f = isnan(f0) ? eval(p, x, g) : f0;
    *fx = f;
    if (!isfinite(f)) {
        *why = "objective not finite at the start";
        return 0;
    }
    for (k = 0; k < o->max_iter; k++) {
        double gmax = max_abs(n, g), alpha, sy, yy, yhy;
        if (cv_cancelled()) { /* cv_optim_minimize reports it */
            *iters += k;
            *why = "cancelled";
            return 0;
        }
        if (gmax <= o->gtol) {
            *iters += k;
            *why = "gradient below tolerance";
            return 1;
        }
        for (i = 0; i < n; i++) {
            d[i] = 0.0;
            for (j = 0; j < n; j++)
                d[i] -= h[i * n + j] * g[j];
        }
        if (dot(n, d, g) >= 0.0) { /* not a descent direction: restart from steepest */
            for (i = 0; i < n * n; i++)
                h[i] = 0.0;
            for (i = 0; i < n; i++)
                h[i * n + i] = 1.0, d[i] = -g[i];
            fresh = 1;
        }
        alpha = fresh ? fmin(1.0, 1.0 / max_abs(n, d)) : 1.0;
        if (line_search(p, x, f, g, d, alpha, xn, gn, &fn) != 0) {
            if (!fresh &&
                gmax > fmax(100.0 * o->gtol,
                            1e-6)) { /* retry once along steepest descent with a fresh metric */
                for (i = 0; i < n * n; i++)
                    h[i] = 0.0;
                for (i = 0; i < n; i++)
                    h[i * n + i] = 1.0;
                fresh = 1;
                continue;
            }
            *iters += k;
            if (gmax <= fmax(100.0 * o->gtol, 1e-6) && p->evals < p->max_eval) {
                /* f cannot decrease any more in floating point; the gradient is small */
                *why = "no further decrease at machine precision";
                return 1;
            }
            *why = p->evals >= p->max_eval ? "evaluation limit reached" : "line search failed";
            return 0;
        }
        for (i = 0; i < n; i++) {
            s[i] = xn[i] - x[i];
            y[i] = gn[i] - g[i];
        }
        sy = dot(n, s, y);
        yy = dot(n, y, y);
        if (sy > 1e-12 * sqrt(dot(n, s, s) * yy)) {
            double rho = 1.0 / sy;
            if (fresh) { /* scale the initial metric (N&W eq. 6.20) */
                for (i = 0; i < n * n; i++)
                    h[i] = 0.0;
                for (i = 0; i < n; i++)
                    h[i * n + i] = sy / yy;
            }
            for (i = 0; i < n; i++) {
                hy[i] = 0.0;
                for (j = 0; j < n; j++)
                    hy[i] += h[i * n + j] * y[j];
            }
            yhy = dot(n, y, hy);
            for (i = 0; i < n; i++)
                for (j = 0; j < n; j++)
                    h[i * n + j] +=
                        (1.0 + rho * yhy) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
            fresh = 0;
        }
        if (fabs(f - fn) <= o->ftol * (1.0 + fabs(fn)))
            small_steps++;
        else
            small_steps = 0;
        memcpy(x, xn, sizeof(double) * (size_t)n);
        memcpy(g, gn, sizeof(double) * (size_t)n);
        f = fn;
        *fx = f;
        if (small_steps >= 3 || (small_steps >= 1 && max_abs(n, g) <= 100.0 * o->gtol)) {
            *iters += k + 1;
            *why = "relative change of the objective below tolerance";
            return 1;
        }
    }
    *iters += k;
    if (max_abs(n, g) <= o->gtol) {
        *why = "gradient below tolerance";
        return 1;
    }
    *why = "iteration limit reached";
    return 0;
}

/* BFGS from x (f0 and g its objective and gradient, or f0 NaN), its first inverse Hessian
   h0 (NULL: the identity, scaled after the first step); the last one into o->h_out. */
static int bfgs(problem *p, double *x, double *fx, double *g, double f0, const cv_optim_opts *o,
                const double *h0, int *iters, const char **why)
{
    double h[N_MAX * N_MAX];
    int ok = bfgs_run(p, x, fx, g, f0, o, h0, h, iters, why);
    if (o->h_out)
        memcpy(o->h_out, h, sizeof(double) * (size_t)(p->n * p->n));
    return ok;
}

/* Nelder-Mead on p from x (standard coefficients 1, 2, 0.5, 0.5). Returns 1 when the
   simplex collapsed below tolerance, 0 at the evaluation or iteration limit. */
static int nelder_mead(problem *p, double *x, double *fx, int max_iter, int *iters)
{
    int n = p->n, i, j, k, it;
    double sx[(N_MAX + 1) * N_MAX], fs[N_MAX + 1], c[N_MAX], xr[N_MAX], xe[N_MAX];
    for (i = 0; i <= n; i++) {
        for (j = 0; j < n; j++)
            sx[i * n + j] = x[j];
        if (i > 0)
            sx[i * n + i - 1] += 0.1 * fmax(1.0, fabs(x[i - 1]));
        fs[i] = eval(p, sx + i * n, NULL);
    }
    for (it = 0; it < max_iter && p->evals < p->max_eval && !cv_cancelled(); it++) {
        int best = 0, worst = 0, second;
        double fr, fe;
        for (i = 1; i <= n; i++) {
            if (fs[i] < fs[best])
                best = i;
            if (fs[i] > fs[worst])
                worst = i;
        }
        second = best;
        for (i = 0; i <= n; i++)
            if (i != worst && fs[i] > fs[second])
                second = i;
        if (isfinite(fs[worst]) && fabs(fs[worst] - fs[best]) <= 1e-13 * (1.0 + fabs(fs[best]))) {
            double size = 0.0;
            for (i = 0; i <= n; i++)
                for (j = 0; j < n; j++)
                    size = fmax(size, fabs(sx[i * n + j] - sx[best * n + j]));
            if (size <= 1e-9) {
                memcpy(x, sx + best * n, sizeof(double) * (size_t)n);
                *fx = fs[best];
                *iters += it;
                return 1;
            }
        }
        for (j = 0; j < n; j++) {
            c[j] = 0.0;
            for (i = 0; i <= n; i++)
                if (i != worst)
                    c[j] += sx[i * n + j] / n;
        }
        for (j = 0; j < n; j++)
            xr[j] = c[j] + (c[j] - sx[worst * n + j]);
        fr = eval(p, xr, NULL);
        if (fr < fs[best]) {
            for (j = 0; j < n; j++)
                xe[j] = c[j] + 2.0 * (c[j] - sx[worst * n + j]);
            fe = eval(p, xe, NULL);
            if (fe < fr)
                memcpy(sx + worst * n, xe, sizeof(double) * (size_t)n), fs[worst] = fe;
            else
                memcpy(sx + worst * n, xr, sizeof(double) * (size_t)n), fs[worst] = fr;
        } else if (fr < fs[second]) {
            memcpy(sx + worst * n, xr, sizeof(double) * (size_t)n), fs[worst] = fr;
        } else {
            /* contraction (outside when the reflection helped, inside otherwise) */
            double fc;
            int outside = fr < fs[worst];
            for (j = 0; j < n; j++)
                xe[j] =
                    outside ? c[j] + 0.5 * (xr[j] - c[j]) : c[j] + 0.5 * (sx[worst * n + j] - c[j]);
            fc = eval(p, xe, NULL);
            if (fc < (outside ? fr : fs[worst])) {
                memcpy(sx + worst * n, xe, sizeof(double) * (size_t)n), fs[worst] = fc;
            } else { /* shrink towards the best vertex */
                for (k = 0; k <= n; k++) {
                    if (k == best)
                        continue;
                    for (j = 0; j < n; j++)
                        sx[k * n + j] = sx[best * n + j] + 0.5 * (sx[k * n + j] - sx[best * n + j]);
                    fs[k] = eval(p, sx + k * n, NULL);
                }
            }
        }
    }
    {
        int best = 0;
        for (i = 1; i <= n; i++)
            if (fs[i] < fs[best])
                best = i;
        memcpy(x, sx + best * n, sizeof(double) * (size_t)n);
        *fx = fs[best];
    }
    *iters += it;
    return 0;
}

/* Appends one phase to res (iterations and evaluations of this phase alone). */
static void add_phase(cv_optim_result *res, const char *method, int iterations, int evaluations,
                      double f, double grad_norm, const char *why)
{
    cv_optim_phase *ph;
    if (res->nphases >= CV_OPTIM_MAXPHASE)
        return;
    ph = &res->phase[res->nphases++];
    ph->method = method;
    ph->iterations = iterations;
    ph->evaluations = evaluations;
    ph->f = f;
    ph->grad_norm = grad_norm;
    ph->why = why;
    ph->kept = 0;
}

static int check_n(int n, cv_error *err)
{
    if (n < 1 || n > CV_OPTIM_MAXN)
        return cv_error_set(err, CV_ERR_USAGE, "optimizer dimension %d outside 1..%d", n,
                            CV_OPTIM_MAXN);
    return 0;
}

int cv_optim_minimize(int n, double *x, cv_optim_fn f, void *ctx, const cv_optim_opts *opts,
                      cv_optim_result *res, cv_error *err)
{
    cv_optim_opts o;
    problem p;
    double g[N_MAX], fx, x0[N_MAX], f0;
    const char *why = "";
    int ok, iters = 0, g_at_x = 1;
    if (check_n(n, err))
        return CV_ERR_USAGE;
    if (opts)
        o = *opts;
    else
        cv_optim_defaults(&o);
    p.n = n, p.f = f, p.ctx = ctx, p.evals = 0, p.max_eval = o.max_eval;
    memcpy(x0, x, sizeof(double) * (size_t)n);
    /* the start's objective with its gradient: BFGS starts from it (one evaluation, not a
       check without the gradient and then BFGS's own); a gradient that is not finite there
       is left to BFGS, which evaluates again and fails over as before */
    f0 = f(n, x, g, ctx), p.evals++;
    if (!isfinite(f0))
        return cv_error_set(err, CV_ERR_DOMAIN, "objective not finite at the starting point");
    if (!isfinite(max_abs(n, g)))
        f0 = NAN;
    memset(res, 0, sizeof *res);
    res->method = "bfgs";
    ok = bfgs(&p, x, &fx, g, f0, &o, o.h0, &iters, &why);
    add_phase(res, "bfgs", iters, p.evals, fx, max_abs(n, g), why);
    if (cv_cancel_check(err))
        return CV_ERR_LIMIT;
    if (!ok && !o.no_fallback && p.evals < p.max_eval) {
        /* keep the best point: a later phase that ends somewhere worse is undone */
        double xb[N_MAX], gb[N_MAX], fb = fx, fnm;
        int saved = isfinite(fx), budget = p.max_eval, it0 = iters, ev0 = p.evals, nm_ok;
        const char *whyb = why;
        memcpy(xb, x, sizeof(double) * (size_t)n);
        memcpy(gb, g, sizeof(double) * (size_t)n);
        res->method = "bfgs+nelder-mead";
        /* a bounded Nelder-Mead: it is a rescue, not a second search */
        p.max_eval = p.evals + 200 * n < budget ? p.evals + 200 * n : budget;
        nm_ok = nelder_mead(&p, x, &fnm, 5000, &iters);
        p.max_eval = budget;
        if (cv_cancel_check(err))
            return CV_ERR_LIMIT;
        add_phase(res, "nelder-mead", iters - it0, p.evals - ev0, fnm, NAN,
                  nm_ok ? "simplex below tolerance" : "rescue budget of evaluations used");
        if (isfinite(fnm) && (!saved || fnm <= fb)) {
            it0 = iters, ev0 = p.evals;
            ok = bfgs(&p, x, &fx, g, NAN, &o, NULL, &iters, &why);
            add_phase(res, "bfgs", iters - it0, p.evals - ev0, fx, max_abs(n, g), why);
            if (cv_cancel_check(err))
                return CV_ERR_LIMIT;
            if (!isfinite(fx) || (saved && fx > fb))
                ok = 0;
        } else {
            fx = INFINITY;
            why = "nelder-mead found no better point";
            g_at_x = 0; /* x is the simplex's: g is not its gradient */
        }
        if (saved && !(fx <= fb)) {
            memcpy(x, xb, sizeof(double) * (size_t)n);
            memcpy(g, gb, sizeof(double) * (size_t)n);
            fx = fb;
            why = whyb;
            g_at_x = 1;
            res->phase[0].kept = 1; /* back to where the first BFGS ended */
        } else {
            res->phase[res->nphases - 1].kept = 1;
        }
    } else {
        res->phase[0].kept = 1;
    }
    res->converged = ok;
    res->iterations = iters;
    res->evaluations = p.evals;
    res->f = fx;
    res->grad_norm = max_abs(n, g);
    res->grad_ok = g_at_x && isfinite(fx);
    memcpy(res->grad, g, sizeof(double) * (size_t)n);
    snprintf(res->message, sizeof res->message, "%s", why);
    return ok ? 0 : 1;
}

int cv_optim_nelder_mead(int n, double *x, cv_optim_fn f, void *ctx, const cv_optim_opts *opts,
                         cv_optim_result *res, cv_error *err)
{
    cv_optim_opts o;
    problem p;
    double fx;
    int ok, iters = 0;
    if (check_n(n, err))
        return CV_ERR_USAGE;
    if (opts)
        o = *opts;
    else
        cv_optim_defaults(&o);
    p.n = n, p.f = f, p.ctx = ctx, p.evals = 0, p.max_eval = o.max_eval;
    if (!isfinite(eval(&p, x, NULL)))
        return cv_error_set(err, CV_ERR_DOMAIN, "objective not finite at the starting point");
    memset(res, 0, sizeof *res);
    res->method = "nelder-mead";
    ok = nelder_mead(&p, x, &fx, o.max_iter * 20, &iters);
    if (cv_cancel_check(err))
        return CV_ERR_LIMIT;
    res->converged = ok;
    res->iterations = iters;
    res->evaluations = p.evals;
    res->f = fx;
    res->grad_norm = NAN;
    snprintf(res->message, sizeof res->message, "%s",
             ok ? "simplex below tolerance" : "evaluation limit reached");
    add_phase(res, "nelder-mead", iters, p.evals, fx, NAN,
              ok ? "simplex below tolerance" : "evaluation limit reached");
    res->phase[0].kept = 1;
    return ok ? 0 : 1;
}

int cv_optim_hessian(int n, const double *x, cv_optim_fn f, void *ctx, double *h, cv_error *err)
{
    double xt[N_MAX], gp[N_MAX], gm[N_MAX];
    int i, j;
    if (check_n(n, err))
        return CV_ERR_USAGE;
    memcpy(xt, x, sizeof(double) * (size_t)n);
    for (j = 0; j < n; j++) {
        double step = 1e-5 * (1.0 + fabs(x[j]));
        double fp, fm;
        xt[j] = x[j] + step;
        fp = f(n, xt, gp, ctx);
        xt[j] = x[j] - step;
        fm = f(n, xt, gm, ctx);
        xt[j] = x[j];
        if (!isfinite(fp) || !isfinite(fm))
            return cv_error_set(err, CV_ERR_DOMAIN, "objective not finite near the optimum");
        for (i = 0; i < n; i++)
            h[i * n + j] = (gp[i] - gm[i]) / (2.0 * step);
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < i; j++) {
            double m = 0.5 * (h[i * n + j] + h[j * n + i]);
            h[i * n + j] = h[j * n + i] = m;
        }
    return 0;
}

int cv_optim_newton_polish(int n, double *x, cv_optim_fn f, void *ctx, const double *h,
                           int max_steps, double *fxo, double *gmax)
{
    return cv_optim_newton_polish_at(n, x, f, ctx, h, NAN, NULL, max_steps, fxo, gmax);
}

int cv_optim_newton_polish_at(int n, double *x, cv_optim_fn f, void *ctx, const double *h,
                              double f0, const double *g0, int max_steps, double *fxo, double *gmax)
{
    double inv[N_MAX * N_MAX], hf[N_MAX * N_MAX], g[N_MAX], xn[N_MAX], gn[N_MAX], fx, fn;
    int i, j, step;
    if (n < 1 || n > N_MAX)
        return -1;
    if (g0 && !isnan(f0)) /* the caller's: no evaluation at x */
        fx = f0, memcpy(g, g0, sizeof(double) * (size_t)n);
    else
        fx = f(n, x, g, ctx);
    if (!isfinite(fx) || !isfinite(max_abs(n, g)))
        return -1;
    if (!h) { /* forward differences of the gradient from x, symmetrized */
        memcpy(xn, x, sizeof(double) * (size_t)n);
        for (j = 0; j < n; j++) {
            double hs = 1e-6 * (1.0 + fabs(x[j]));
            xn[j] = x[j] + hs;
            fn = f(n, xn, gn, ctx);
            xn[j] = x[j];
            if (!isfinite(fn) || !isfinite(max_abs(n, gn)))
                return -1;
            for (i = 0; i < n; i++)
                hf[i * n + j] = (gn[i] - g[i]) / hs;
        }
        for (i = 0; i < n; i++)
            for (j = 0; j < i; j++)
                hf[i * n + j] = hf[j * n + i] = 0.5 * (hf[i * n + j] + hf[j * n + i]);
        h = hf;
    }
    if (cv_optim_spd_inverse(n, h, inv) != 0)
        return -1;
    for (step = 0; step < max_steps; step++) {
        double dmax = 0.0;
        for (i = 0; i < n; i++) {
            double d = 0.0;
            for (j = 0; j < n; j++)
                d -= inv[i * n + j] * g[j];
            xn[i] = x[i] + d;
            dmax = fmax(dmax, fabs(d));
        }
        if (!(dmax < 0.1))
            break;
        fn = f(n, xn, gn, ctx);
        if (!isfinite(fn) || !isfinite(max_abs(n, gn)) || fn > fx + 1e-12 * (1.0 + fabs(fx)) ||
            max_abs(n, gn) > fmax(max_abs(n, g), 1e-10))
            break;
        memcpy(x, xn, sizeof(double) * (size_t)n);
        memcpy(g, gn, sizeof(double) * (size_t)n);
        fx = fn;
    }
    *fxo = fx;
    *gmax = max_abs(n, g);
    return step;
}

int cv_optim_spd_inverse(int n, const double *a, double *inv)
{
    double l[N_MAX * N_MAX] = {0}, col[N_MAX];
    int i, j, k;
    if (n < 1 || n > N_MAX)
        return -1;
    /* Cholesky a = L L' */
    for (j = 0; j < n; j++) {
        double s = a[j * n + j];
        for (k = 0; k < j; k++)
            s -= l[j * n + k] * l[j * n + k];
        if (!(s > 0.0))
            return -1;
        l[j * n + j] = sqrt(s);
        for (i = j + 1; i < n; i++) {
            double t = a[i * n + j];
            for (k = 0; k < j; k++)
                t -= l[i * n + k] * l[j * n + k];
            l[i * n + j] = t / l[j * n + j];
        }
        for (i = 0; i < j; i++)
            l[i * n + j] = 0.0;
    }
    /* solve L L' inv_col = e_c for each column */
    for (k = 0; k < n; k++) {
        for (i = 0; i < n; i++) {
            double s = (i == k) ? 1.0 : 0.0;
            for (j = 0; j < i; j++)
                s -= l[i * n + j] * col[j];
            col[i] = s / l[i * n + i];
        }
        for (i = n - 1; i >= 0; i--) {
            double s = col[i];
            for (j = i + 1; j < n; j++)
                s -= l[j * n + i] * inv[j * n + k];
            inv[i * n + k] = s / l[i * n + i];
        }
    }
    return 0;
}

void cv_optim_sym_eigen(int k, const double *a0, double *ev, double *v)
{
    double a[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    int i, j, p, q, sweep;
    memcpy(a, a0, sizeof(double) * (size_t)(k * k));
    for (i = 0; i < k * k; i++)
        v[i] = (i % (k + 1)) == 0 ? 1.0 : 0.0;
    for (sweep = 0; sweep < 100; sweep++) {
        double off = 0.0;
        for (p = 0; p < k; p++)
            for (q = p + 1; q < k; q++)
                off += a[p * k + q] * a[p * k + q];
        if (off < 1e-30)
            break;
        for (p = 0; p < k; p++)
            for (q = p + 1; q < k; q++) {
                double apq = a[p * k + q], th, t, cs, sn;
                if (fabs(apq) < 1e-300)
                    continue;
                th = (a[q * k + q] - a[p * k + p]) / (2.0 * apq);
                t = (th >= 0 ? 1.0 : -1.0) / (fabs(th) + sqrt(th * th + 1.0));
                cs = 1.0 / sqrt(t * t + 1.0), sn = t * cs;
                for (i = 0; i < k; i++) { /* columns p, q */
                    double aip = a[i * k + p], aiq = a[i * k + q];
                    a[i * k + p] = cs * aip - sn * aiq;
                    a[i * k + q] = sn * aip + cs * aiq;
                }
                for (i = 0; i < k; i++) { /* rows p, q */
                    double api = a[p * k + i], aqi = a[q * k + i];
                    a[p * k + i] = cs * api - sn * aqi;
                    a[q * k + i] = sn * api + cs * aqi;
                }
                for (i = 0; i < k; i++) {
                    double vip = v[i * k + p], viq = v[i * k + q];
                    v[i * k + p] = cs * vip - sn * viq;
                    v[i * k + q] = sn * vip + cs * viq;
                }
            }
    }
    for (i = 0; i < k; i++)
        ev[i] = a[i * k + i];
    for (i = 0; i < k; i++) { /* selection sort, ascending, with the columns */
        int m = i;
        for (j = i + 1; j < k; j++)
            if (ev[j] < ev[m])
                m = j;
        if (m != i) {
            double t = ev[i];
            ev[i] = ev[m], ev[m] = t;
            for (p = 0; p < k; p++)
                t = v[p * k + i], v[p * k + i] = v[p * k + m], v[p * k + m] = t;
        }
    }
}
