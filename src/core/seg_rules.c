/* Segment rules: ordered rules of conditions lo <(=) column <(=) hi, compiled once
   (from Lua tables by the binding) and evaluated over every customer in C; the first
   rule that holds names the segment. Also the rules' coverage over a grid of scores. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seg_int.h"
#include "cvkit/mem.h"

typedef struct cond {
    char *col;
    double lo, hi;
    int lo_open, hi_open;
    cv_bound_stat lo_stat, hi_stat;
} cond;

typedef struct rule {
    int name; /* index into names */
    int first, ncond;
} rule;

struct cv_rules {
    rule *rules;
    int nrules, rcap;
    cond *conds;
    int nconds, ccap;
    char **names; /* distinct names, then other last */
    int nnames, ncap;
    char *other;
    const char **view; /* names then other, for cv_rules_names */
};

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cv_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

cv_rules *cv_rules_new(const char *other)
{
    cv_rules *r = cv_calloc(1, sizeof *r);
    if (r && (r->other = dup(other ? other : "Others")) == NULL) {
        cv_free(r);
        return NULL;
    }
    return r;
}

void cv_rules_free(cv_rules *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nconds; i++)
        cv_free(r->conds[i].col);
    for (int i = 0; i < r->nnames; i++)
        cv_free(r->names[i]);
    cv_free(r->names);
    cv_free(r->conds);
    cv_free(r->rules);
    cv_free(r->other);
    cv_free(r->view);
    cv_free(r);
}

int cv_rules_add(cv_rules *r, const char *name, cv_error *err)
{
    int k;
    for (k = 0; k < r->nnames && strcmp(r->names[k], name) != 0; k++)
        ;
    if (k == r->nnames) {
        if (r->nnames == r->ncap) {
            int cap = r->ncap ? 2 * r->ncap : 16;
            char **p = cv_realloc(r->names, (size_t)cap * sizeof *p);
            if (!p)
                return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            r->names = p;
            r->ncap = cap;
        }
        if ((r->names[k] = dup(name)) == NULL)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        r->nnames++;
    }
    if (r->nrules == r->rcap) {
        int cap = r->rcap ? 2 * r->rcap : 16;
        rule *p = cv_realloc(r->rules, (size_t)cap * sizeof *p);
        if (!p)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        r->rules = p;
        r->rcap = cap;
    }
    r->rules[r->nrules].name = k;
    r->rules[r->nrules].first = r->nconds;
    r->rules[r->nrules].ncond = 0;
    r->nrules++;
    return 0;
}

int cv_rules_cond(cv_rules *r, const char *column, double lo, int lo_open, cv_bound_stat lo_stat,
                  double hi, int hi_open, cv_bound_stat hi_stat, cv_error *err)
{
    cond *c;
    if (r->nrules == 0)
        return cv_error_set(err, CV_ERR_USAGE, "a condition needs a rule first");
    if (lo_stat == CV_BOUND_VALUE && hi_stat == CV_BOUND_VALUE &&
        (isnan(lo) || isnan(hi) || lo > hi))
        return cv_error_set(err, CV_ERR_USAGE, "rule '%s': bad range %g..%g for '%s'",
                            r->names[r->rules[r->nrules - 1].name], lo, hi, column);
    if (r->nconds == r->ccap) {
        int cap = r->ccap ? 2 * r->ccap : 32;
        cond *p = cv_realloc(r->conds, (size_t)cap * sizeof *p);
        if (!p)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        r->conds = p;
        r->ccap = cap;
    }
    c = &r->conds[r->nconds];
    if ((c->col = dup(column)) == NULL)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    c->lo = lo;
    c->hi = hi;
    c->lo_open = lo_open;
    c->hi_open = hi_open;
    c->lo_stat = lo_stat;
    c->hi_stat = hi_stat;
    r->nconds++;
    r->rules[r->nrules - 1].ncond++;
    return 0;
}

int cv_rules_count(const cv_rules *r)
{
    return r->nrules;
}

const char *const *cv_rules_names(const cv_rules *r, int *n)
{
    cv_rules *w = (cv_rules *)r; /* the view is a cache */
    cv_free(w->view);
    if ((w->view = cv_malloc((size_t)(r->nnames + 1) * sizeof *w->view)) == NULL) {
        *n = 0;
        return NULL;
    }
    for (int i = 0; i < r->nnames; i++)
        w->view[i] = r->names[i];
    w->view[r->nnames] = r->other;
    *n = r->nnames + 1;
    return w->view;
}

/* A condition resolved against data: column slot and numeric bounds. */
typedef struct rcond {
    int slot;
    double lo, hi;
    int lo_open, hi_open;
} rcond;

static int holds(const rcond *c, double v)
{
    if (isnan(v))
        return 0;
    if (c->lo_open ? !(v > c->lo) : !(v >= c->lo))
        return 0;
    if (c->hi_open ? !(v < c->hi) : !(v <= c->hi))
        return 0;
    return 1;
}

/* The distinct columns the conditions test: slots in rc[], names in cols[] (borrowed). */
static int resolve(const cv_rules *r, rcond *rc, const char **cols)
{
    int ncols = 0;
    for (int i = 0; i < r->nconds; i++) {
        int s;
        for (s = 0; s < ncols && strcmp(cols[s], r->conds[i].col) != 0; s++)
            ;
        if (s == ncols)
            cols[ncols++] = r->conds[i].col;
        rc[i].slot = s;
        rc[i].lo = r->conds[i].lo;
        rc[i].hi = r->conds[i].hi;
        rc[i].lo_open = r->conds[i].lo_open;
        rc[i].hi_open = r->conds[i].hi_open;
    }
    return ncols;
}

/* The first rule holding for the values v[slot] (or -1); *matches counts them all. */
static int first_match(const cv_rules *r, const rcond *rc, const double *v, int *matches)
{
    int first = -1, count = 0;
    for (int k = 0; k < r->nrules; k++) {
        const rule *u = &r->rules[k];
        int ok = 1;
        for (int j = 0; ok && j < u->ncond; j++)
            ok = holds(&rc[u->first + j], v[rc[u->first + j].slot]);
        if (ok) {
            if (first < 0)
                first = k;
            count++;
            if (!matches)
                break;
        }
    }
    if (matches)
        *matches = count;
    return first;
}

/* The statistic of x[0..n) (present values). */
static double stat_of(const double *x, int64_t n, cv_bound_stat s)
{
    int64_t m = 0;
    if (s == CV_BOUND_MEAN) {
        double sum = 0;
        for (int64_t i = 0; i < n; i++)
            if (!isnan(x[i])) {
                sum += x[i];
                m++;
            }
        return m ? sum / (double)m : NAN;
    }
    double *sorted = NULL, q = NAN;
    int64_t *ord = cv_seg_order(x, n, &m, &sorted);
    if (ord && m > 0)
        q = cv_quantile_sorted(sorted, m, 0.5);
    cv_free(ord);
    cv_free(sorted);
    return q;
}

/* When the tested columns hold only whole numbers in small ranges (scores), the rules'
   answer for every combination: a new array of name indexes over the grid lo[s] ..
   max[s] (row-major with stride[s]), or NULL (the rows are then evaluated one by one).
   Missing values are left to the row-by-row path. */
static int32_t *small_grid_lut(const cv_rules *r, const rcond *rc, double *const *x, int ncols,
                               int64_t n, int nn, int64_t *lo, int64_t *stride)
{
    int64_t hi[8], cells = 1;
    int32_t *lut;
    double v[8];
    if (ncols < 1 || ncols > 8 || n < 4096)
        return NULL;
    for (int s = 0; s < ncols; s++) {
        double mn = INFINITY, mx = -INFINITY;
        for (int64_t i = 0; i < n; i++) {
            double e = x[s][i];
            if (isnan(e))
                continue;
            if (e != floor(e) || fabs(e) > 1e9)
                return NULL;
            if (e < mn)
                mn = e;
            if (e > mx)
                mx = e;
        }
        if (mn > mx)
            mn = mx = 0;
        lo[s] = (int64_t)mn;
        hi[s] = (int64_t)mx;
        if ((cells *= hi[s] - lo[s] + 1) > 65536)
            return NULL;
    }
    for (int s = ncols - 1, st = 1; s >= 0; s--) {
        stride[s] = st;
        st *= (int)(hi[s] - lo[s] + 1);
    }
    if ((lut = cv_malloc((size_t)cells * sizeof *lut)) == NULL)
        return NULL;
    for (int64_t c = 0; c < cells; c++) {
        for (int s = 0; s < ncols; s++)
            v[s] = (double)(lo[s] + (c / stride[s]) % (hi[s] - lo[s] + 1));
        int k = first_match(r, rc, v, NULL);
        lut[c] = k < 0 ? nn - 1 : r->rules[k].name;
    }
    return lut;
}

cv_table *cv_rules_apply(const cv_rules *r, const cv_table *t, const char *out, cv_table **counts,
                         cv_error *err)
{
    int64_t n = t->nrows, *cnt = NULL;
    rcond *rc = cv_malloc((size_t)(r->nconds > 0 ? r->nconds : 1) * sizeof *rc);
    const char **cols = cv_malloc((size_t)(r->nconds > 0 ? r->nconds : 1) * sizeof *cols);
    double **x = NULL;
    int ncols = 0, nn;
    cv_column *seg = NULL;
    cv_table *res = NULL;
    const char *const *names;
    int32_t *codes = NULL;

    if (counts)
        *counts = NULL;
    if (!rc || !cols)
        goto nomem;
    ncols = resolve(r, rc, cols);
    if ((x = cv_calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *x)) == NULL)
        goto nomem;
    for (int s = 0; s < ncols; s++)
        if ((x[s] = cv_seg_column(t, cols[s], err)) == NULL)
            goto done;
    for (int i = 0; i < r->nconds; i++) {
        const cond *c = &r->conds[i];
        if (c->lo_stat != CV_BOUND_VALUE)
            rc[i].lo = stat_of(x[rc[i].slot], n, c->lo_stat);
        if (c->hi_stat != CV_BOUND_VALUE)
            rc[i].hi = stat_of(x[rc[i].slot], n, c->hi_stat);
    }
    if ((names = cv_rules_names(r, &nn)) == NULL)
        goto nomem;
    if ((seg = cv_column_new(out, CV_STRING, n)) == NULL ||
        (cnt = cv_calloc((size_t)nn, sizeof *cnt)) == NULL ||
        (codes = cv_malloc((size_t)nn * sizeof *codes)) == NULL)
        goto nomem;
    for (int k = 0; k < nn; k++)
        if ((codes[k] = cv_strdict_intern(seg->dict, names[k], strlen(names[k]))) < 0)
            goto nomem;
    {
        double v[64], *vv = ncols <= 64 ? v : cv_malloc((size_t)ncols * sizeof *vv);
        int32_t *data = seg->data, *lut = NULL;
        int64_t lo[8], stride[8];
        if (!vv)
            goto nomem;
        lut = small_grid_lut(r, rc, x, ncols, n, nn, lo, stride);
        for (int64_t i = 0; i < n; i++) {
            int name = -1;
            if (lut) {
                int64_t cell = 0;
                for (int s = 0; s < ncols && cell >= 0; s++)
                    cell = isnan(x[s][i]) ? -1 : cell + ((int64_t)x[s][i] - lo[s]) * stride[s];
                if (cell >= 0)
                    name = lut[cell];
            }
            if (name < 0) {
                for (int s = 0; s < ncols; s++)
                    vv[s] = x[s][i];
                int k = first_match(r, rc, vv, NULL);
                name = k < 0 ? nn - 1 : r->rules[k].name;
            }
            data[i] = codes[name];
            cnt[name]++;
        }
        seg->n = n;
        cv_free(lut);
        if (vv != v)
            cv_free(vv);
    }
    if (counts) {
        cv_table *ct = cv_table_new();
        cv_column *a = cv_column_new("segment", CV_STRING, nn),
                  *b = cv_column_new("customers", CV_INT64, nn),
                  *c = cv_column_new("share", CV_FLOAT64, nn);
        int ok = ct && a && b && c;
        for (int k = 0; ok && k < nn; k++)
            ok = cv_column_push_string(a, names[k], strlen(names[k])) == 0 &&
                 cv_column_push_int(b, cnt[k]) == 0 &&
                 cv_column_push_float(c, n > 0 ? (double)cnt[k] / (double)n : NAN) == 0;
        ok = ok && cv_table_add(ct, a, err) == 0 && cv_table_add(ct, b, err) == 0 &&
             cv_table_add(ct, c, err) == 0;
        if (a)
            cv_column_unref(a);
        if (b)
            cv_column_unref(b);
        if (c)
            cv_column_unref(c);
        if (!ok) {
            if (ct)
                cv_table_free(ct);
            goto nomem;
        }
        *counts = ct;
    }
    res = cv_seg_with(t, seg, err);
    seg = NULL;
    if (!res && counts && *counts) {
        cv_table_free(*counts);
        *counts = NULL;
    }
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
done:
    if (seg)
        cv_column_unref(seg);
    if (x)
        for (int s = 0; s < ncols; s++)
            cv_free(x[s]);
    cv_free(x);
    cv_free(rc);
    cv_free(cols);
    cv_free(cnt);
    cv_free(codes);
    return res;
}

cv_table *cv_rules_coverage(const cv_rules *r, const char *const *gcols, const int *lo,
                            const int *hi, int ncols, int64_t *unmatched, int64_t *overlapping,
                            cv_error *err)
{
    rcond *rc = cv_malloc((size_t)(r->nconds > 0 ? r->nconds : 1) * sizeof *rc);
    const char **cols = cv_malloc((size_t)(r->nconds > 0 ? r->nconds : 1) * sizeof *cols);
    int *map = NULL, nn, *cur = NULL, nc;
    int64_t cells = 1, none = 0, multi = 0;
    cv_column **c = NULL;
    cv_table *res = NULL;
    const char *const *names;
    double v[64];

    if (!rc || !cols)
        goto nomem;
    if (ncols < 1 || ncols > 64) {
        cv_error_set(err, CV_ERR_USAGE, "a grid needs 1 to 64 columns");
        goto done;
    }
    for (int i = 0; i < ncols; i++) {
        if (hi[i] < lo[i]) {
            cv_error_set(err, CV_ERR_USAGE, "grid column '%s': %d..%d is empty", gcols[i], lo[i],
                         hi[i]);
            goto done;
        }
        cells *= (int64_t)(hi[i] - lo[i] + 1);
        if (cells > 1000000) {
            cv_error_set(err, CV_ERR_USAGE, "a grid of more than 1,000,000 cells");
            goto done;
        }
    }
    nc = resolve(r, rc, cols);
    if ((map = cv_malloc((size_t)(nc > 0 ? nc : 1) * sizeof *map)) == NULL ||
        (cur = cv_malloc((size_t)ncols * sizeof *cur)) == NULL)
        goto nomem;
    for (int s = 0; s < nc; s++) {
        int g;
        for (g = 0; g < ncols && strcmp(gcols[g], cols[s]) != 0; g++)
            ;
        if (g == ncols) {
            cv_error_set(err, CV_ERR_USAGE, "the rules test '%s', which is not a grid column",
                         cols[s]);
            goto done;
        }
        map[s] = g;
    }
    for (int i = 0; i < r->nconds; i++) {
        if (r->conds[i].lo_stat != CV_BOUND_VALUE || r->conds[i].hi_stat != CV_BOUND_VALUE) {
            cv_error_set(err, CV_ERR_USAGE,
                         "a rule on '%s' compares with a statistic of the data: no grid "
                         "coverage",
                         r->conds[i].col);
            goto done;
        }
        rc[i].slot = map[rc[i].slot]; /* grid column index */
    }
    if ((names = cv_rules_names(r, &nn)) == NULL ||
        (c = cv_calloc((size_t)ncols + 2, sizeof *c)) == NULL)
        goto nomem;
    for (int g = 0; g < ncols; g++)
        if ((c[g] = cv_column_new(gcols[g], CV_INT64, cells)) == NULL)
            goto nomem;
    if ((c[ncols] = cv_column_new("segment", CV_STRING, cells)) == NULL ||
        (c[ncols + 1] = cv_column_new("matches", CV_INT64, cells)) == NULL)
        goto nomem;
    for (int g = 0; g < ncols; g++)
        cur[g] = lo[g];
    for (int64_t cell = 0; cell < cells; cell++) {
        int matches, k, name;
        for (int g = 0; g < ncols; g++)
            v[g] = cur[g];
        k = first_match(r, rc, v, &matches);
        name = k < 0 ? nn - 1 : r->rules[k].name;
        none += matches == 0;
        multi += matches > 1;
        for (int g = 0; g < ncols; g++)
            if (cv_column_push_int(c[g], cur[g]) != 0)
                goto nomem;
        if (cv_column_push_string(c[ncols], names[name], strlen(names[name])) != 0 ||
            cv_column_push_int(c[ncols + 1], matches) != 0)
            goto nomem;
        for (int g = ncols - 1; g >= 0; g--) { /* the last column varies fastest */
            if (++cur[g] <= hi[g])
                break;
            cur[g] = lo[g];
        }
    }
    if ((res = cv_table_new()) == NULL)
        goto nomem;
    for (int g = 0; g < ncols + 2; g++)
        if (cv_table_add(res, c[g], err) != 0) {
            cv_table_free(res);
            res = NULL;
            goto done;
        }
    if (unmatched)
        *unmatched = none;
    if (overlapping)
        *overlapping = multi;
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
done:
    if (c)
        for (int g = 0; g < ncols + 2; g++)
            if (c[g])
                cv_column_unref(c[g]);
    cv_free(c);
    cv_free(rc);
    cv_free(cols);
    cv_free(map);
    cv_free(cur);
    return res;
}
