/* cvkit optimizer: unconstrained minimization by BFGS with a strong-Wolfe line search,
   a Nelder-Mead fallback, and a finite-difference Hessian of an analytic gradient.
   Used by the model fits (on log-parameters), usable on its own. */
#ifndef CVKIT_OPTIM_H
#define CVKIT_OPTIM_H

#include "cvkit/error.h"

#define CV_OPTIM_MAXN 16

/* The objective: returns f(x) and, when grad is not NULL, fills grad[0..n). Returns NaN
   or +inf when x is outside the domain (the line search then steps back). */
typedef double (*cv_optim_fn)(int n, const double *x, double *grad, void *ctx);

typedef struct cv_optim_opts {
    int max_iter;    /* BFGS iterations (default 500) */
    int max_eval;    /* function evaluations over all methods (default 20000) */
    double gtol;     /* converged when max |grad_i| <= gtol (default 1e-7) */
    double ftol;     /* or when the relative change of f over 3 steps is below (1e-14) */
    int no_fallback; /* 1: do not try Nelder-Mead when BFGS fails */
    /* a warm start (NULL by default): h0[n*n], row-major, BFGS's first inverse Hessian (in
       place of the identity, e.g. the one a fit on a subsample ended with); h_out[n*n]:
       where BFGS's last inverse Hessian is written when it stops */
    const double *h0;
    double *h_out;
} cv_optim_opts;

/* One phase of a minimization: a method run from the point the phase before left. */
#define CV_OPTIM_MAXPHASE 4
typedef struct cv_optim_phase {
    const char *method; /* "bfgs" or "nelder-mead" (static strings) */
    int iterations;     /* iterations of this phase */
    int evaluations;    /* objective evaluations of this phase */
    double f;           /* objective where the phase ended */
    double grad_norm;   /* max |grad_i| where it ended (NaN for Nelder-Mead) */
    const char *why;    /* why it stopped: "line search failed", ... (static strings) */
    int kept;           /* 1 when its end point was kept (a worse end is undone) */
} cv_optim_phase;

typedef struct cv_optim_result {
    int converged;              /* 1 when a convergence test passed */
    int iterations;             /* BFGS (+ Nelder-Mead) iterations */
    int evaluations;            /* objective evaluations */
    double f;                   /* objective at x */
    double grad_norm;           /* max |grad_i| at x */
    double grad[CV_OPTIM_MAXN]; /* the gradient at x (cv_optim_minimize), when grad_ok */
    int grad_ok;                /* 1 when grad is the gradient at the returned x */
    const char *method;         /* "bfgs" or "bfgs+nelder-mead" */
    char message[128];          /* "gradient below tolerance", "line search failed", ... */
    int nphases; /* the phases tried, in order: bfgs; then nelder-mead, bfgs when the */
    cv_optim_phase phase[CV_OPTIM_MAXPHASE]; /* first failed (cv_optim_minimize) */
} cv_optim_result;

/* Fills opts with the defaults above. */
void cv_optim_defaults(cv_optim_opts *opts);

/* Minimizes f over R^n (1 <= n <= CV_OPTIM_MAXN) from x (overwritten with the best point
   found). opts may be NULL for the defaults. Returns 0 when it converged; 1 when it
   stopped without converging (x still holds the best point, res says why); CV_ERR_DOMAIN
   (and err) when f is not finite at the start; CV_ERR_USAGE for a bad n; CV_ERR_LIMIT
   ("cancelled") when cancellation was asked (include/cvkit/cancel.h). */
int cv_optim_minimize(int n, double *x, cv_optim_fn f, void *ctx, const cv_optim_opts *opts,
                      cv_optim_result *res, cv_error *err);

/* Nelder-Mead alone (no gradient needed: f is called with grad == NULL). Same contract. */
int cv_optim_nelder_mead(int n, double *x, cv_optim_fn f, void *ctx, const cv_optim_opts *opts,
                         cv_optim_result *res, cv_error *err);

/* The Hessian at x by central differences of the analytic gradient (step 1e-5 (1+|x_i|)),
   symmetrized, into h[n*n] (row-major). Returns 0, or CV_ERR_DOMAIN when f fails nearby. */
int cv_optim_hessian(int n, const double *x, cv_optim_fn f, void *ctx, double *h, cv_error *err);

/* Newton steps from x, a point near a minimum that a minimizer left (e.g. stopped where f's
   rounding hid its changes): with the Hessian h at x (cv_optim_hessian; NULL: forward
   differences of the gradient, step 1e-6 (1+|x_i|), n more evaluations), up to max_steps
   steps x <- x - h^-1 grad(x), each kept only when it is shorter than 0.1 in every
   coordinate, f does not rise above rounding (1e-12 relative) and the gradient does not
   grow past max(its size before, 1e-10). The end point is then set by the minimum (the
   gradient's zero) to about the gradient's rounding over the curvature, not by where the
   minimizer happened to stop. *fx and *gmax get f and max |grad_i| at the end point.
   Returns the steps kept (0..max_steps; x unchanged at 0), or -1 when h is not positive
   definite or f is not finite at x (x, *fx and *gmax unchanged). */
int cv_optim_newton_polish(int n, double *x, cv_optim_fn f, void *ctx, const double *h,
                           int max_steps, double *fx, double *gmax);

/* cv_optim_newton_polish with f0 and g0[n], the objective and its gradient at x already
   known (e.g. a cv_optim_result's f and grad when grad_ok): one evaluation fewer, the same
   steps. g0 NULL or f0 NaN: evaluated at x as cv_optim_newton_polish does. */
int cv_optim_newton_polish_at(int n, double *x, cv_optim_fn f, void *ctx, const double *h,
                              double f0, const double *g0, int max_steps, double *fx, double *gmax);

/* Inverts a symmetric positive definite n x n matrix (Cholesky) into inv. Returns 0, or -1
   when a is not positive definite. */
int cv_optim_spd_inverse(int n, const double *a, double *inv);

/* The eigenvalues (ascending) into val[n] and eigenvectors (column j of the row-major
   vec[n*n] for val[j]) of the symmetric n x n a (n <= CV_OPTIM_MAXN; not changed), by
   cyclic Jacobi rotations: the fits' weak directions. */
void cv_optim_sym_eigen(int n, const double *a, double *val, double *vec);

#endif
