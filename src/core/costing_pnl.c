/* cvkit cost of service: the customer P&L (kinds of line, subtotals, segments) and its
   waterfall. Conventions: include/cvkit/costing.h and docs/costing.md. */
#include "costing_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/dtoa.h"
#include "cvkit/mem.h"

/* ---- Customer P&L ----------------------------------------------------------------------- */

static const char *const pnl_kinds[] = {"product", "concession", "service", "acquisition",
                                        "retention"};
#define NKINDS 5

int cv_pnl_kind_parse(const char *s, cv_pnl_kind *out)
{
    for (int k = 0; k < NKINDS; k++)
        if (strcmp(s, pnl_kinds[k]) == 0) {
            *out = (cv_pnl_kind)k;
            return 0;
        }
    return -1;
}

const char *cv_pnl_kind_name(cv_pnl_kind k)
{
    return (int)k >= 0 && (int)k < NKINDS ? pnl_kinds[k] : "?";
}

/* The subtotal after each kind (NULL: none after that kind) and the total of a kind. */
static const char *const pnl_subtotal[NKINDS] = {"gross_margin", "pocket_margin", "service_margin",
                                                 NULL, "profit"};
static const char *const pnl_kindtotal[NKINDS] = {NULL, "total_concessions", "total_cost_to_serve",
                                                  NULL, NULL};

void cv_costing_pnl_free(cv_pnl_result *r)
{
    if (!r)
        return;
    cv_table_free(r->customers);
    cv_table_free(r->segments);
    r->customers = r->segments = NULL;
}

/* 1 when name is one of the P&L's own output columns. */
static int pnl_reserved(const char *name)
{
    static const char *const own[] = {"gross_margin", "pocket_margin",     "service_margin",
                                      "profit",       "total_concessions", "total_cost_to_serve",
                                      "customers",    "segment",           "profit_per_customer"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        if (strcmp(name, own[i]) == 0)
            return 1;
    return 0;
}

/* The segments table: group_by the segment (or all rows) with sums of the float columns. */
static cv_table *pnl_segments(const cv_table *c, const char *segment, cv_error *err)
{
    cv_agg *aggs = cv_calloc((size_t)c->ncols + 1, sizeof *aggs);
    int na = 0;
    cv_table *g = NULL, *out = NULL;
    if (!aggs)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory"), NULL;
    aggs[na++] = (cv_agg){"customers", CV_AGG_COUNT, NULL, 0};
    for (int j = 0; j < c->ncols; j++)
        if (c->cols[j]->type == CV_FLOAT64)
            aggs[na++] = (cv_agg){c->cols[j]->name, CV_AGG_SUM, c->cols[j]->name, 0};
    const char *keys[1] = {segment};
    g = cv_table_group_by(c, keys, segment ? 1 : 0, aggs, na, err);
    cv_free(aggs);
    if (!g)
        return NULL;
    if (!(out = cv_table_new()))
        goto nomem;
    if (segment) {
        cv_column *s = cv_column_rename(g->cols[0], "segment");
        if (cost_add_owned(out, s, err))
            goto fail;
    } else {
        const char *all[1] = {"all"};
        if (cost_add_strings(out, "segment", all, 1, err))
            goto fail;
    }
    for (int j = segment ? 1 : 0; j < g->ncols; j++)
        if (cv_table_add(out, g->cols[j], err))
            goto fail;
    {
        const cv_column *n = cv_table_col(out, "customers", NULL);
        const cv_column *p = cv_table_col(out, "profit", NULL);
        cv_column *pp = cost_fcol("profit_per_customer", out->nrows);
        for (int64_t i = 0; pp && i < out->nrows; i++) {
            int64_t k = cv_column_int(n, i);
            ((double *)pp->data)[i] = k > 0 ? cv_column_float(p, i) / (double)k : 0;
        }
        if (cost_add_owned(out, pp, err))
            goto fail;
    }
    cv_table_free(g);
    return out;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
fail:
    cv_table_free(g);
    cv_table_free(out);
    return NULL;
}

/* A running sum of amounts written with few decimals (prices, costs): the decimals every
   value so far has (2 or 4, as cv_decimals_common; -1 once one has more), the largest size
   and the count, so that the sum is rounded to its exact decimal (cv_round_decimals):
   312,023.27 − 218,415.97 is 93,607.3, not 93,607.30000000002. */
typedef struct decsum {
    int dec, cnt;
    double maxabs;
} decsum;

static void decsum_add(decsum *s, double v)
{
    double a;
    int d = cv_decimals_common(&v, NULL, 1, &a);
    if (s->cnt == 0 || s->dec >= 0)
        s->dec = d < 0 ? -1 : d > s->dec ? d : s->dec;
    s->maxabs = fabs(v) > s->maxabs ? fabs(v) : s->maxabs;
    s->cnt++;
}

static double decsum_round(const decsum *s, double x)
{
    return s->dec > 0 ? cv_round_decimals(x, s->dec, (s->cnt + 1) * s->maxabs * 0x1p-52) : x;
}

int cv_costing_pnl(const cv_table *t, const cv_pnl_spec *spec, cv_pnl_result *out, cv_error *err)
{
    int64_t n = t->nrows;
    int rc = 0;
    double *run = cv_calloc(n > 0 ? (size_t)n : 1, 2 * sizeof *run), *kt = run ? run + n : NULL;
    decsum *rd = cv_calloc(n > 0 ? (size_t)n : 1, 2 * sizeof *rd), *kd = rd ? rd + n : NULL;
    cv_table *c = NULL;
    const cv_column *rev;
    char names[200];
    if (!run || !rd) {
        cv_free(run);
        cv_free(rd);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    if (!spec->revenue || !(rev = cv_table_col(t, spec->revenue, err))) {
        if (!spec->revenue)
            cv_error_set(err, CV_ERR_USAGE, "pnl: a revenue column is required");
        rc = err ? err->code : CV_ERR_USAGE;
        goto done;
    }
    if (!is_numeric(rev->type)) {
        rc = cv_error_set(err, CV_ERR_TYPE, "pnl: revenue column '%s' is %s, a number is expected",
                          spec->revenue, cv_type_name(rev->type));
        goto done;
    }
    for (int l = 0; l < spec->nlines; l++) {
        const char *col = spec->lines[l].col;
        int i = col ? cv_table_find(t, col) : -1;
        if (i < 0) {
            rc = cv_error_set(err, CV_ERR_USAGE, "pnl: no %s column '%s' (%s)",
                              cv_pnl_kind_name(spec->lines[l].kind), col ? col : "",
                              cost_colnames(t, col, names, sizeof names));
            goto done;
        }
        if (!is_numeric(t->cols[i]->type)) {
            rc = cv_error_set(err, CV_ERR_TYPE, "pnl: %s column '%s' is %s, a number is expected",
                              cv_pnl_kind_name(spec->lines[l].kind), col,
                              cv_type_name(t->cols[i]->type));
            goto done;
        }
        if (pnl_reserved(col) || (unsigned)spec->lines[l].kind >= NKINDS) {
            rc = cv_error_set(err, CV_ERR_USAGE,
                              pnl_reserved(col) ? "pnl: column '%s' has the name of a P&L result; "
                                                  "rename it"
                                                : "pnl: column '%s' has an unknown kind",
                              col);
            goto done;
        }
    }
    if (!(c = cv_table_new())) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((spec->key && (rc = cost_add_shared(c, t, spec->key, err))) ||
        (spec->segment && (rc = cost_add_shared(c, t, spec->segment, err))))
        goto done;
    for (int64_t i = 0; i < n; i++) {
        run[i] = num0(rev, i);
        decsum_add(&rd[i], run[i]);
    }
    if ((rc = cost_add_floats(c, NULL, spec->revenue, run, n, err)) != 0)
        goto done;
    for (int k = 0; k < NKINDS; k++) {
        memset(kt, 0, (size_t)n * sizeof *kt);
        memset(kd, 0, (size_t)n * sizeof *kd);
        for (int l = 0; l < spec->nlines; l++) {
            if ((int)spec->lines[l].kind != k)
                continue;
            const cv_column *src = t->cols[cv_table_find(t, spec->lines[l].col)];
            cv_column *d = cost_fcol(spec->lines[l].col, n);
            for (int64_t i = 0; d && i < n; i++) {
                double v = num0(src, i);
                ((double *)d->data)[i] = v;
                kt[i] += v;
                run[i] -= v;
                decsum_add(&kd[i], v);
                decsum_add(&rd[i], v);
            }
            if ((rc = cost_add_owned(c, d, err)) != 0)
                goto done;
        }
        for (int64_t i = 0; i < n; i++) { /* the exact decimal sums, where they are */
            kt[i] = decsum_round(&kd[i], kt[i]);
            run[i] = decsum_round(&rd[i], run[i]);
        }
        if (pnl_kindtotal[k] && (rc = cost_add_floats(c, NULL, pnl_kindtotal[k], kt, n, err)) != 0)
            goto done;
        if (pnl_subtotal[k] && (rc = cost_add_floats(c, NULL, pnl_subtotal[k], run, n, err)) != 0)
            goto done;
    }
    cv_table *seg = pnl_segments(c, spec->segment, err);
    if (!seg) {
        rc = err ? err->code : CV_ERR_NOMEM;
        goto done;
    }
    out->customers = c;
    out->segments = seg;
    c = NULL;
done:
    cv_table_free(c);
    cv_free(rd);
    cv_free(run);
    return rc;
}

/* Sum of column name of t (row < 0) or its value in row. */
static double pnl_value(const cv_table *t, const char *name, int64_t row)
{
    const cv_column *c = cv_table_col(t, name, NULL);
    if (row >= 0)
        return num0(c, row);
    double s = 0, comp = 0;
    for (int64_t i = 0; i < t->nrows; i++) {
        double y = num0(c, i) - comp, u = s + y;
        comp = (u - s) - y;
        s = u;
    }
    return s;
}

cv_table *cv_costing_waterfall(const cv_table *pnl, const cv_pnl_spec *spec, int64_t row,
                               cv_error *err)
{
    int cap = spec->nlines + NKINDS + 2, m = 0;
    const char **step = cv_calloc((size_t)cap, sizeof *step),
               **kind = cv_calloc((size_t)cap, sizeof *kind);
    double *v = cv_calloc((size_t)cap * 3, sizeof *v), *st = v ? v + cap : NULL,
           *en = v ? v + 2 * cap : NULL;
    cv_table *out = NULL;
    if (!step || !kind || !v) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (row >= pnl->nrows) {
        cv_error_set(err, CV_ERR_USAGE, "waterfall: row %lld is past the last row (%lld)",
                     (long long)row + 1, (long long)pnl->nrows);
        goto done;
    }
    /* every column the spec names must be in the P&L table */
    if (!cv_table_col(pnl, spec->revenue, err) || !cv_table_col(pnl, "profit", err))
        goto done;
    for (int l = 0; l < spec->nlines; l++)
        if (!cv_table_col(pnl, spec->lines[l].col, err))
            goto done;
    double level = pnl_value(pnl, spec->revenue, row);
    step[m] = spec->revenue, kind[m] = "start", v[m] = level, st[m] = 0, en[m] = level, m++;
    for (int k = 0; k < NKINDS; k++) {
        int lines = 0;
        for (int l = 0; l < spec->nlines; l++) {
            if ((int)spec->lines[l].kind != k)
                continue;
            double x = pnl_value(pnl, spec->lines[l].col, row);
            step[m] = spec->lines[l].col, kind[m] = "decrease", v[m] = -x, st[m] = level;
            level -= x;
            en[m] = level, m++, lines++;
        }
        if (k == CV_PNL_RETENTION) {
            level = pnl_value(pnl, "profit", row); /* the table's own, equal up to rounding */
            step[m] = "profit", kind[m] = "total", v[m] = level, st[m] = 0, en[m] = level, m++;
        } else if (pnl_subtotal[k] && lines > 0) {
            level = pnl_value(pnl, pnl_subtotal[k], row);
            step[m] = pnl_subtotal[k], kind[m] = "subtotal", v[m] = level, st[m] = 0, en[m] = level,
            m++;
        }
    }
    if (!(out = cv_table_new())) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (cost_add_strings(out, "step", step, m, err) ||
        cost_add_strings(out, "kind", kind, m, err) ||
        cost_add_floats(out, NULL, "amount", v, m, err) ||
        cost_add_floats(out, NULL, "start", st, m, err) ||
        cost_add_floats(out, NULL, "end", en, m, err)) {
        cv_table_free(out);
        out = NULL;
    }
done:
    cv_free(step);
    cv_free(kind);
    cv_free(v);
    return out;
}
