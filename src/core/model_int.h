/* cvkit models, internal: what model_core.c and model_table.c share. */
#ifndef CVKIT_MODEL_INT_H
#define CVKIT_MODEL_INT_H

#include "cvkit/models.h"

/* Fills out[i] with kind for every row of d (no checks: the caller made them), on two
   threads for large d; CONDITIONAL and DERT once per distinct (x, T) times P(alive) when
   the model offers the *_ALIVE kinds. Returns the number of NaN rows, the first in *bad. */
size_t cv_model_predict_rows(const cv_model *model, const double *p, cv_pred kind,
                             const cv_model_data *d, double arg, double arg2, double *out,
                             size_t *bad);

/* Why predictions of kind at p may be NaN, when the parameters explain it: writes into
   buf (size n) "; " and a reason ("q = 0.8 <= 1: ...", "the parameters are at the edge of
   their range ..."), or "" when nothing is known. */
void cv_model_nan_reason(const cv_model *model, const double *p, cv_pred kind, char *buf,
                         size_t n);

/* 0 when every parameter of p is a positive finite number, else CV_ERR_USAGE with
   "<model>: parameter <name> = <value> must be positive". */
int cv_model_check_params(const cv_model *model, const double *p, cv_error *err);

/* Calls f(ctx, lo, hi) over [0, n) split in two halves on two threads when n >= min_n,
   else once on the calling thread. */
void cv_model_par_for(size_t n, size_t min_n, void (*f)(void *ctx, size_t lo, size_t hi),
                      void *ctx);

#endif
