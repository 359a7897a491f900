/* Private to the Pareto/NBD with time-varying covariates (include/cvkit/dyncov.h), whose jobs
   are split over these files:
     model_dyncov.c          the customers' pieces of constant covariates (cv_dyncov_prepare),
                             the rates of a piece's covariates, the quadrature's nodes
     model_dyncov_loglik.c   the log-likelihood as a sum over the pieces of (t_x, T] and its
                             analytic gradient
     model_dyncov_fit.c      the fit: the penalized objective, its minimization (held at the
                             fence), the information and the standard errors, the profile
     model_dyncov_predict.c  the predictions: P(alive), the conditional expectation, the
                             discounted transactions (DERT), the PMFs
     model_dyncov_boot.c     the bootstrap's refit: the objective with customer weights
   Beside them, through the public headers only: model_dyncov_interval.c (the predictions'
   intervals, a problem of the engine interval.c) and model_dyncov_sim.c (the simulation,
   include/cvkit/dyncov_sim.h). Not a public header. */
#ifndef CVKIT_MODEL_DYNCOV_INT_H
#define CVKIT_MODEL_DYNCOV_INT_H

#include "cvkit/dyncov.h"
#include "model_int.h"

#include <stddef.h>

/* ---- The pieces (model_dyncov.c) --------------------------------------------------------- */

/* A piece of a customer's time on which the covariates are those of period row (an index
   into the data's z), len time units long. */
typedef struct {
    size_t row;
    double len;
} piece;

struct cv_dyncov_prep {
    size_t n, ncov;
    const double *z;    /* borrowed from the data */
    double *x, *tx, *T; /* n each (one allocation) */
    double *zsum;       /* n * ncov: the covariates summed over the repeat purchases */
    size_t *pre, *post; /* n + 1 offsets into pc: the pieces of [0, t_x], of (t_x, T] */
    piece *pc;
    size_t npc;
};

/* Gauss-Legendre, 10 points on [-1, 1]: the positive nodes and their weights (the
   likelihood's and the predictions' quadratures). */
extern const double dyncov_gl_x[5];
extern const double dyncov_gl_w[5];

/* The purchase and dropout rate factors a = exp(g_trans' z), c = exp(g_life' z) of the
   covariates z (one period's row). */
void dyncov_z_rates(const cv_dyncov_spec *spec, const double *g, const double *z, double *a,
                    double *c);

/* The same for period row of the data p was prepared from. */
void dyncov_rates(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *g, size_t row,
                  double *a, double *c);

/* ---- The log-likelihood (model_dyncov_loglik.c) ------------------------------------------ */

/* Customer i's log-likelihood at th; when gr is not NULL, its gradient by th (4 + ncoef); when
   pa is not NULL, the alive term's share of the likelihood (P(alive)) into *pa. */
double dyncov_loglik_i(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *th,
                       size_t i, double *gr, double *pa);

/* ---- The fit (model_dyncov_fit.c) -------------------------------------------------------- */

/* The penalty pen (NULL: 0) at theta: reg's trans and life on the coefficients, params on the
   four log-parameters (cv_model_penalty); its gradient added to g when not NULL. */
double dyncov_penalty(const cv_penalty *pen, const cv_dyncov_spec *spec, const double *theta,
                      double *g);

#endif
