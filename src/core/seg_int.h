/* Internals shared by the segmentation files (rfm.c, seg_rules.c, seg_value.c,
   lifecycle.c, kmeans.c): sorting numbers by radix and reading columns. */
#ifndef CVKIT_SEG_INT_H
#define CVKIT_SEG_INT_H

#include <stdint.h>

#include "cvkit/segment.h"

/* The positions of the non-NaN values of x[0..n) in ascending order of value (stable:
   equal values keep their order), by an LSD radix sort on the values' bits: a new array
   of *m indexes (caller frees), or NULL when out of memory. When sorted is not NULL it
   receives a new array of the *m values in that order (read in sequence, where x[ord[i]]
   would jump around memory; -0 comes back as 0). */
int64_t *cv_seg_order(const double *x, int64_t n, int64_t *m, double **sorted);

/* A malloc'd array of the column named name of t as doubles (NaN = missing); NULL with
   err set (missing column, string column, out of memory). */
double *cv_seg_column(const cv_table *t, const char *name, cv_error *err);

/* A new table: t's columns followed by c (c's reference is taken over: unref'd on
   failure too). NULL with err set. */
cv_table *cv_seg_with(const cv_table *t, cv_column *c, cv_error *err);


#endif
