/* cv_model_collapse against a reference written here: every distinct (x, t_x, T, m) once,
   in lexicographic order, with the weights of its rows summed in row order. The collapse by
   per-column codes and a radix sort (model_collapse.c) must give exactly that, including for
   negative values, -0.0 beside 0.0, columns left out, a column with more distinct values
   than 4,096 (its values radix-sorted), more than 100,000 rows (columns coded on two
   threads) and keys of more than 32 bits; a NaN or infinity takes the plain hash-and-sort path,
   which must agree too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/models.h"

typedef struct {
    double v[4], w;
    size_t row;
} ref_row;

static int ncols_cmp;

/* (x, t_x, T, m) order, then row order (so that equal keys keep their rows' order) */
static int ref_cmp(const void *va, const void *vb)
{
    const ref_row *a = va, *b = vb;
    for (int c = 0; c < ncols_cmp; c++)
        if (a->v[c] != b->v[c])
            return a->v[c] < b->v[c] ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* Checks the collapse of d against the reference. */
static void check_collapse(const cv_model_data *d)
{
    const double *col[4] = {d->x, d->t_x, d->T, d->m};
    ref_row *r = malloc(sizeof *r * (d->n ? d->n : 1));
    cv_model_rows out;
    cv_error err;
    size_t i, k = 0;
    assert_non_null(r);
    ncols_cmp = 4;
    for (i = 0; i < d->n; i++) {
        for (int c = 0; c < 4; c++)
            r[i].v[c] = col[c] ? col[c][i] + 0.0 : 0.0; /* -0.0 + 0.0 = 0.0 */
        r[i].w = d->w ? d->w[i] : 1.0;
        r[i].row = i;
    }
    qsort(r, d->n, sizeof *r, ref_cmp);
    assert_int_equal(cv_model_collapse(d, &out, &err), 0);
    for (i = 0; i < d->n;) {
        size_t j = i + 1;
        double w = r[i].w;
        while (j < d->n && memcmp(r[j].v, r[i].v, sizeof r[i].v) == 0)
            w += r[j++].w;
        assert_true(k < out.data.n);
        assert_true(out.data.w[k] == w); /* the same sum in the same order: the same bits */
        assert_true(out.data.x == NULL || out.data.x[k] == r[i].v[0]);
        assert_true(out.data.t_x == NULL || out.data.t_x[k] == r[i].v[1]);
        assert_true(out.data.T == NULL || out.data.T[k] == r[i].v[2]);
        assert_true(out.data.m == NULL || out.data.m[k] == r[i].v[3]);
        k++, i = j;
    }
    assert_int_equal(out.data.n, k);
    assert_true((out.data.x == NULL) == (d->x == NULL));
    assert_true((out.data.m == NULL) == (d->m == NULL));
    cv_model_rows_free(&out);
    free(r);
}

typedef struct {
    double *x, *tx, *T, *m, *w;
    size_t n;
} cols;

/* n rows: x in 0..nx-1, t_x and T on a grid of whole days in weeks, m from nm values (or
   every row its own when nm is 0), weights 1..3 with a thirds */
static void make(cols *c, size_t n, int nx, int nm, unsigned seed)
{
    srand(seed);
    c->n = n;
    c->x = malloc(sizeof(double) * n), c->tx = malloc(sizeof(double) * n);
    c->T = malloc(sizeof(double) * n), c->m = malloc(sizeof(double) * n);
    c->w = malloc(sizeof(double) * n);
    assert_true(c->x && c->tx && c->T && c->m && c->w);
    for (size_t i = 0; i < n; i++) {
        int T = rand() % 300;
        c->x[i] = rand() % nx;
        c->T[i] = T / 7.0;
        c->tx[i] = c->x[i] > 0 ? (rand() % (T + 1)) / 7.0 : 0.0;
        c->m[i] = nm ? 10.0 + (rand() % nm) * 0.37 : (double)rand() / RAND_MAX * 100.0 + 1e-3;
        c->w[i] = 1.0 + rand() % 3 + (rand() % 3 == 0 ? 1.0 / 3.0 : 0.0);
    }
}

static void unmake(cols *c)
{
    free(c->x), free(c->tx), free(c->T), free(c->m), free(c->w);
}

static void test_collapse_small(void **state)
{
    double x[] = {2, 0, 2, 1, 0, 2, -0.0, 1, -3, 2};
    double tx[] = {5, 0, 5, 1, 0, 4, 0, 1, -2, 5};
    double T[] = {9, 9, 9, 3, 9, 9, 9, 3, 7, 9};
    double w[] = {1, 2, 0.5, 1, 4, 1, 0.25, 3, 1, 0.125};
    cv_model_data d = {10, x, tx, T, NULL, w};
    cv_model_rows out;
    cv_error err;
    (void)state;
    check_collapse(&d);
    /* and the values themselves, known by hand: (-3,-2,7) (0,0,9) (1,1,3) (2,4,9) (2,5,9) */
    assert_int_equal(cv_model_collapse(&d, &out, &err), 0);
    assert_int_equal(out.data.n, 5);
    assert_true(out.data.x[0] == -3 && out.data.w[0] == 1.0);
    assert_true(out.data.x[1] == 0 && out.data.w[1] == 6.25);
    assert_true(out.data.x[2] == 1 && out.data.w[2] == 4.0);
    assert_true(out.data.t_x[3] == 4 && out.data.w[3] == 1.0);
    assert_true(out.data.t_x[4] == 5 && out.data.w[4] == 1.625);
    cv_model_rows_free(&out);
    d.w = NULL; /* unweighted: counts */
    assert_int_equal(cv_model_collapse(&d, &out, &err), 0);
    assert_true(out.data.w[1] == 3.0 && out.data.w[4] == 3.0);
    cv_model_rows_free(&out);
}

static void test_collapse_bgnbd_like(void **state)
{
    cols c;
    (void)state;
    make(&c, 150000, 40, 50, 1); /* past 100,000 rows: columns coded on two threads */
    {
        cv_model_data d = {c.n, c.x, c.tx, c.T, NULL, c.w};
        check_collapse(&d);
        d.w = NULL;
        check_collapse(&d);
    }
    unmake(&c);
}

static void test_collapse_spend(void **state)
{
    cols c;
    (void)state;
    make(&c, 120000, 12, 0, 2); /* m nearly all distinct: its values radix-sorted */
    for (size_t i = 0; i < c.n; i += 7)
        c.m[i] = c.m[i / 2]; /* some repeats */
    for (size_t i = 0; i < c.n; i += 13)
        c.m[i] = -c.m[i]; /* negative values order below */
    {
        cv_model_data d = {c.n, c.x, NULL, NULL, c.m, c.w};
        check_collapse(&d);
    }
    unmake(&c);
}

static void test_collapse_wide(void **state)
{
    cols c;
    (void)state;
    /* all four columns, m nearly all distinct: the ranks take 6 + 9 + 9 + 17 = 41 bits, past
       the 32 that are sorted with the row's index in one word (the keys and indices apart) */
    make(&c, 120000, 40, 0, 3);
    {
        cv_model_data d = {c.n, c.x, c.tx, c.T, c.m, c.w};
        check_collapse(&d);
    }
    unmake(&c);
}

static void test_collapse_not_finite(void **state)
{
    double x[] = {1, 1, 0, 1}, T[] = {3, INFINITY, 2, 3}, tx[] = {1, 1, 0, 1};
    cv_model_data d = {4, x, tx, T, NULL, NULL};
    cv_model_rows out;
    cv_error err;
    (void)state;
    check_collapse(&d); /* the plain path */
    assert_int_equal(cv_model_collapse(&d, &out, &err), 0);
    assert_int_equal(out.data.n, 3);
    assert_true(out.data.w[1] == 2.0 && out.data.T[2] == INFINITY);
    cv_model_rows_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collapse_small),      cmocka_unit_test(test_collapse_bgnbd_like),
        cmocka_unit_test(test_collapse_spend),      cmocka_unit_test(test_collapse_wide),
        cmocka_unit_test(test_collapse_not_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
