/* Unit tests of segmentation (src/core/rfm.c, seg_rules.c, seg_value.c, lifecycle.c,
   kmeans.c): scores with ties worked out by hand, cut points that reproduce the scores,
   rules and their coverage, Gini and Lorenz values known in closed form, tiers,
   lifecycle rules case by case, and k-means recovering generated clusters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/models.h"
#include "cvkit/segment.h"

#define EPS 1e-12

static void scores_are(const int32_t *got, const int32_t *want, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
}

/* Rescoring with the cut points returned gives the same scores. */
static void cuts_reproduce(const double *x, int n, int nbins, int higher, const int32_t *want,
                           const double *cuts)
{
    int32_t s[64];
    cv_error err;
    assert_int_equal(cv_score_bins(x, n, nbins, higher, CV_BINS_CUTS, cuts, s, NULL, &err), n);
    scores_are(s, want, n);
}

static void test_segment_bins_ties_share_a_bin(void **state)
{
    (void)state;
    /* six 1s: 0 values below them -> 1 + floor(5*0/10) = 1; 2 -> 6 below -> 1 + 3 = 4;
       3 -> 7 below -> 1 + 3 = 4; 4 -> 8 below -> 5; 5 -> 9 below -> 1 + 4 = 5 */
    double x[10] = {1, 1, 2, 1, 3, 1, 4, 1, 5, 1};
    int32_t want[10] = {1, 1, 4, 1, 4, 1, 5, 1, 5, 1}, s[10];
    double cuts[4], want_cuts[4] = {2, 2, 2, 4};
    cv_error err;
    assert_int_equal(cv_score_bins(x, 10, 5, 1, CV_BINS_QUANTILE, NULL, s, cuts, &err), 10);
    scores_are(s, want, 10);
    for (int j = 0; j < 4; j++)
        assert_float_equal(cuts[j], want_cuts[j], EPS);
    cuts_reproduce(x, 10, 5, 1, want, cuts);
}

static void test_segment_bins_recency_lower_is_better(void **state)
{
    (void)state;
    double x[6] = {50, 10, 30, 20, 40, 10};
    /* lower better: b = values strictly greater. 10: 4 greater -> 1 + floor(5*4/6) = 4;
       20: 3 -> 1 + 2 = 3; 30: 2 -> 1 + 1 = 2; 40: 1 -> 1; 50: 0 -> 1 */
    int32_t want[6] = {1, 4, 2, 3, 1, 4}, s[6];
    double cuts[4];
    cv_error err;
    assert_int_equal(cv_score_bins(x, 6, 5, 0, CV_BINS_QUANTILE, NULL, s, cuts, &err), 6);
    scores_are(s, want, 6);
    /* c_j = greatest value scoring >= 6 - j: j=1 (>=5) none -> -inf; j=2 (>=4) 10;
       j=3 (>=3) 20; j=4 (>=2) 30 */
    assert_true(isinf(cuts[0]) && cuts[0] < 0);
    assert_float_equal(cuts[1], 10, EPS);
    assert_float_equal(cuts[2], 20, EPS);
    assert_float_equal(cuts[3], 30, EPS);
    cuts_reproduce(x, 6, 5, 0, want, cuts);
}

static void test_segment_bins_all_equal_and_missing(void **state)
{
    (void)state;
    double x[5] = {7, NAN, 7, 7, 7};
    int32_t s[5], want[5] = {1, 0, 1, 1, 1};
    double cuts[2];
    cv_error err;
    assert_int_equal(cv_score_bins(x, 5, 3, 1, CV_BINS_QUANTILE, NULL, s, cuts, &err), 4);
    scores_are(s, want, 5);
    assert_true(isinf(cuts[0]) && isinf(cuts[1]));
    assert_int_equal(cv_score_bins(x, 5, 3, 0, CV_BINS_QUANTILE, NULL, s, cuts, &err), 4);
    scores_are(s, want, 5); /* lower better: nothing is worse than 7 either */
}

static void test_segment_bins_given_cuts(void **state)
{
    (void)state;
    double x[5] = {5, 10, 15, 20, 25}, cuts[2] = {10, 20}, bad[2] = {20, 10};
    int32_t s[5], hi[5] = {1, 2, 2, 3, 3}, lo[5] = {3, 3, 2, 2, 1};
    cv_error err;
    assert_int_equal(cv_score_bins(x, 5, 3, 1, CV_BINS_CUTS, cuts, s, NULL, &err), 5);
    scores_are(s, hi, 5);
    assert_int_equal(cv_score_bins(x, 5, 3, 0, CV_BINS_CUTS, cuts, s, NULL, &err), 5);
    scores_are(s, lo, 5);
    assert_int_equal(cv_score_bins(x, 5, 3, 1, CV_BINS_CUTS, bad, s, NULL, &err), -1);
    assert_string_equal(err.msg, "cut points must be ascending (cut 1 is 20, cut 2 is 10)");
    assert_int_equal(cv_score_bins(x, 5, 1, 1, CV_BINS_QUANTILE, NULL, s, NULL, &err), -1);
    assert_string_equal(err.msg, "bins must be between 2 and 1000, got 1");
}

static void test_segment_bins_mean_and_median(void **state)
{
    (void)state;
    double x[4] = {1, 2, 3, 10}, y[3] = {1, 2, 3}, c;
    int32_t s[4], hi[4] = {1, 1, 1, 2}, lo[4] = {2, 2, 2, 1}, eq[3] = {1, 1, 2};
    cv_error err;
    assert_int_equal(cv_score_bins(x, 4, 2, 1, CV_BINS_MEAN, NULL, s, &c, &err), 4);
    scores_are(s, hi, 4);
    assert_float_equal(c, 4, EPS);
    assert_int_equal(cv_score_bins(x, 4, 2, 0, CV_BINS_MEAN, NULL, s, &c, &err), 4);
    scores_are(s, lo, 4);
    /* equal to the mean counts low: 2 == mean of {1, 2, 3} */
    assert_int_equal(cv_score_bins(y, 3, 2, 1, CV_BINS_MEAN, NULL, s, &c, &err), 3);
    scores_are(s, eq, 3);
    /* median of {1, 2, 3, 10} = 2.5 */
    assert_int_equal(cv_score_bins(x, 4, 2, 1, CV_BINS_MEDIAN, NULL, s, &c, &err), 4);
    assert_float_equal(c, 2.5, EPS);
    assert_int_equal(s[2], 2);
    assert_int_equal(s[1], 1);
}

/* A summary-like table: days_since_last, orders, revenue. */
static cv_table *rfm_table(int n, const double *rec, const int64_t *ord, const double *rev)
{
    cv_table *t = cv_table_new();
    cv_column *a = cv_column_new("days_since_last", CV_INT64, n);
    cv_column *b = cv_column_new("orders", CV_INT64, n);
    cv_column *c = cv_column_new("revenue", CV_FLOAT64, n);
    cv_error err;
    for (int i = 0; i < n; i++) {
        assert_int_equal(cv_column_push_int(a, (int64_t)rec[i]), 0);
        assert_int_equal(cv_column_push_int(b, ord[i]), 0);
        if (isnan(rev[i]))
            assert_int_equal(cv_column_push_missing(c), 0);
        else
            assert_int_equal(cv_column_push_float(c, rev[i]), 0);
    }
    assert_int_equal(cv_table_add(t, a, &err), 0);
    assert_int_equal(cv_table_add(t, b, &err), 0);
    assert_int_equal(cv_table_add(t, c, &err), 0);
    cv_column_unref(a);
    cv_column_unref(b);
    cv_column_unref(c);
    return t;
}

static int64_t ival(const cv_table *t, const char *col, int64_t i)
{
    cv_column *c = cv_table_col(t, col, NULL);
    assert_non_null(c);
    if (!cv_column_is_valid(c, i))
        return -1;
    return cv_column_int(c, i);
}

static void test_segment_rfm_table_and_cuts(void **state)
{
    (void)state;
    double rec[6] = {5, 5, 100, 40, 200, 5};
    int64_t ord[6] = {1, 1, 1, 3, 1, 8};
    double rev[6] = {10, 20, 30, NAN, 50, 60};
    cv_table *t = rfm_table(6, rec, ord, rev), *cuts = NULL;
    cv_rfm_options o;
    cv_error err;
    memset(&o, 0, sizeof o);
    o.bins = 3;
    cv_table *r = cv_rfm_score(t, &o, &cuts, &err);
    assert_non_null(r);
    /* R (lower better, m = 6): 5 x3 -> 3 greater -> 1 + floor(9/6) = 2; 40 -> 2 greater
       -> 2; 100 -> 1 -> 1; 200 -> 0 -> 1.
       F: 1 x4 -> 0 below -> 1; 3 -> 4 below -> 1 + 2 = 3; 8 -> 5 below -> 3.
       M over 5 present: 10 -> 1; 20 -> 1 + floor(3/5) = 1; 30 -> 1 + 1 = 2; 50 -> 1 +
       floor(9/5) = 2; 60 -> 1 + floor(12/5) = 3; missing -> missing */
    int64_t R[6] = {2, 2, 1, 2, 1, 2}, F[6] = {1, 1, 1, 3, 1, 3}, M[6] = {1, 1, 2, -1, 2, 3};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(ival(r, "r_score", i), R[i]);
        assert_int_equal(ival(r, "f_score", i), F[i]);
        assert_int_equal(ival(r, "m_score", i), M[i]);
    }
    assert_int_equal(ival(r, "rfm", 0), 211);
    assert_int_equal(ival(r, "rfm", 3), -1);
    assert_int_equal(cuts->nrows, 3);
    assert_int_equal(cuts->ncols, 5); /* score, within, n, cut_1, cut_2 */
    /* r cuts ascending: c_1 = greatest scoring >= 3: none -> -inf; c_2 = greatest >= 2: 40 */
    cv_column *c1 = cv_table_col(cuts, "cut_1", NULL), *c2 = cv_table_col(cuts, "cut_2", NULL);
    assert_true(isinf(cv_column_float(c1, 0)));
    assert_float_equal(cv_column_float(c2, 0), 40, EPS);
    assert_float_equal(cv_column_float(c1, 2), 30, EPS); /* m >= 2 from 30 */
    assert_float_equal(cv_column_float(c2, 2), 60, EPS);
    assert_int_equal(cv_column_int(cv_table_col(cuts, "n", NULL), 2), 5);
    cv_table_free(r);
    cv_table_free(cuts);

    o.recency = "nope";
    assert_null(cv_rfm_score(t, &o, NULL, &err));
    assert_string_equal(err.msg, "no column 'nope' (columns: days_since_last, orders, revenue)");
    cv_table_free(t);
}

static void test_segment_rfm_nested(void **state)
{
    (void)state;
    /* R in 2 bins: recency 1..4 -> scores 2 2 1 1 (lower better: 1 has 3 worse ->
       1 + floor(6/4) = 2; 2 -> 2 worse -> 2; 3 -> 1; 4 -> 1). F within R: r=2 rows
       {orders 5, 1} -> 1 scores 1, 5 scores 2; r=1 rows {orders 2, 9} -> 1, 2. M within
       each (R, F) cell of one row -> 1. */
    double rec[4] = {1, 2, 3, 4}, rev[4] = {10, 20, 30, 40};
    int64_t ord[4] = {5, 1, 2, 9};
    cv_table *t = rfm_table(4, rec, ord, rev), *cuts = NULL;
    cv_rfm_options o;
    cv_error err;
    memset(&o, 0, sizeof o);
    o.bins = 2;
    o.nested = 1;
    cv_table *r = cv_rfm_score(t, &o, &cuts, &err);
    assert_non_null(r);
    int64_t R[4] = {2, 2, 1, 1}, F[4] = {2, 1, 1, 2};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ival(r, "r_score", i), R[i]);
        assert_int_equal(ival(r, "f_score", i), F[i]);
        assert_int_equal(ival(r, "m_score", i), 1);
    }
    /* groups: r; f within r=1, m within r=1 f=1, r=1 f=2; f within r=2, ... = 7 rows */
    assert_int_equal(cuts->nrows, 7);
    size_t len;
    assert_string_equal(cv_column_string(cv_table_col(cuts, "within", NULL), 1, &len), "r=1");
    assert_string_equal(cv_column_string(cv_table_col(cuts, "within", NULL), 2, &len), "r=1 f=1");
    cv_table_free(r);
    cv_table_free(cuts);
    cv_table_free(t);
}

static const char *sval(const cv_table *t, const char *col, int64_t i)
{
    size_t len;
    return cv_column_string(cv_table_col(t, col, NULL), i, &len);
}

static void test_segment_rules_first_match_and_counts(void **state)
{
    (void)state;
    double rec[5] = {1, 2, 3, 4, 5}, rev[5] = {1, 2, 3, 4, 5};
    int64_t ord[5] = {1, 2, 3, 4, 5};
    cv_table *t = rfm_table(5, rec, ord, rev), *counts = NULL;
    cv_rules *r = cv_rules_new("Others");
    cv_error err;
    /* top: orders >= 4; mid: 2 <= orders <= 4 (overlaps top at 4: top wins);
       rich: revenue > mean (3) */
    assert_int_equal(cv_rules_add(r, "top", &err), 0);
    assert_int_equal(
        cv_rules_cond(r, "orders", 4, 0, CV_BOUND_VALUE, INFINITY, 0, CV_BOUND_VALUE, &err), 0);
    assert_int_equal(cv_rules_add(r, "mid", &err), 0);
    assert_int_equal(cv_rules_cond(r, "orders", 2, 0, CV_BOUND_VALUE, 4, 0, CV_BOUND_VALUE, &err),
                     0);
    assert_int_equal(cv_rules_cond(r, "days_since_last", -INFINITY, 0, CV_BOUND_VALUE, 2, 1,
                                   CV_BOUND_VALUE, &err),
                     0);
    assert_int_equal(cv_rules_add(r, "rich", &err), 0);
    assert_int_equal(
        cv_rules_cond(r, "revenue", 0, 1, CV_BOUND_MEAN, INFINITY, 0, CV_BOUND_VALUE, &err), 0);
    cv_table *s = cv_rules_apply(r, t, "segment", &counts, &err);
    assert_non_null(s);
    /* row 1: orders 1 -> none -> Others; row 2: orders 2 but days 2 not < 2 -> Others;
       row 3: orders 3, days 3 -> no; revenue 3 not > 3 -> Others; rows 4, 5 -> top */
    const char *want[5] = {"Others", "Others", "Others", "top", "top"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(sval(s, "segment", i), want[i]);
    assert_int_equal(counts->nrows, 4);
    assert_string_equal(sval(counts, "segment", 3), "Others");
    assert_int_equal(cv_column_int(cv_table_col(counts, "customers", NULL), 0), 2);
    assert_int_equal(cv_column_int(cv_table_col(counts, "customers", NULL), 1), 0);
    assert_int_equal(cv_column_int(cv_table_col(counts, "customers", NULL), 3), 3);
    assert_float_equal(cv_column_float(cv_table_col(counts, "share", NULL), 3), 0.6, EPS);
    cv_table_free(s);
    cv_table_free(counts);
    /* coverage needs plain bounds */
    const char *g[3] = {"orders", "days_since_last", "revenue"};
    int lo[3] = {1, 1, 1}, hi[3] = {5, 5, 5};
    assert_null(cv_rules_coverage(r, g, lo, hi, 3, NULL, NULL, &err));
    assert_string_equal(err.msg, "a rule on 'revenue' compares with a statistic of the data: no "
                                 "grid coverage");
    cv_rules_free(r);
    cv_table_free(t);
}

static void test_segment_rules_coverage(void **state)
{
    (void)state;
    cv_rules *r = cv_rules_new("none");
    cv_error err;
    int64_t un = -1, ov = -1;
    /* a: x in 1..2; b: x in 2..3 and y = 1 -> on 3x2 cells (x 1..3, y 1..2):
       (1,1) a; (1,2) a; (2,1) a+b; (2,2) a; (3,1) b; (3,2) none */
    cv_rules_add(r, "a", &err);
    cv_rules_cond(r, "x", 1, 0, CV_BOUND_VALUE, 2, 0, CV_BOUND_VALUE, &err);
    cv_rules_add(r, "b", &err);
    cv_rules_cond(r, "x", 2, 0, CV_BOUND_VALUE, 3, 0, CV_BOUND_VALUE, &err);
    cv_rules_cond(r, "y", 1, 0, CV_BOUND_VALUE, 1, 0, CV_BOUND_VALUE, &err);
    const char *g[2] = {"x", "y"};
    int lo[2] = {1, 1}, hi[2] = {3, 2};
    cv_table *c = cv_rules_coverage(r, g, lo, hi, 2, &un, &ov, &err);
    assert_non_null(c);
    assert_int_equal(c->nrows, 6);
    assert_int_equal(un, 1);
    assert_int_equal(ov, 1);
    const char *seg[6] = {"a", "a", "a", "a", "b", "none"};
    int64_t m[6] = {1, 1, 2, 1, 1, 0};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(sval(c, "segment", i), seg[i]);
        assert_int_equal(ival(c, "matches", i), m[i]);
    }
    assert_int_equal(ival(c, "x", 4), 3);
    assert_int_equal(ival(c, "y", 4), 1);
    cv_table_free(c);
    const char *g1[1] = {"x"};
    assert_null(cv_rules_coverage(r, g1, lo, hi, 1, NULL, NULL, &err));
    assert_string_equal(err.msg, "the rules test 'y', which is not a grid column");
    assert_int_equal(cv_rules_cond(r, "y", 3, 0, CV_BOUND_VALUE, 1, 0, CV_BOUND_VALUE, &err),
                     CV_ERR_USAGE);
    cv_rules_free(r);
}

/* Large inputs take the lookup-table path (whole numbers in small ranges): every row
   gets the segment the grid coverage gives its cell; rows with a missing score take the
   row-by-row path and can match only rules that do not test that score. */
static void test_segment_rules_lookup_path(void **state)
{
    (void)state;
    cv_rules *r = cv_rules_new("rest");
    cv_error err;
    int64_t n = 6000;
    cv_table *t = cv_table_new();
    cv_column *a = cv_column_new("a", CV_INT64, n), *b = cv_column_new("b", CV_INT64, n);
    for (int64_t i = 0; i < n; i++) {
        cv_column_push_int(a, 1 + i % 5);
        if (i % 7 == 3)
            cv_column_push_missing(b);
        else
            cv_column_push_int(b, 1 + (i / 5) % 4);
    }
    cv_table_add(t, a, &err);
    cv_table_add(t, b, &err);
    cv_column_unref(a);
    cv_column_unref(b);
    cv_rules_add(r, "x", &err);
    cv_rules_cond(r, "a", 4, 0, CV_BOUND_VALUE, 5, 0, CV_BOUND_VALUE, &err);
    cv_rules_cond(r, "b", 2, 0, CV_BOUND_VALUE, 4, 0, CV_BOUND_VALUE, &err);
    cv_rules_add(r, "y", &err);
    cv_rules_cond(r, "a", 2, 1, CV_BOUND_VALUE, INFINITY, 0, CV_BOUND_VALUE, &err); /* a > 2 */
    cv_rules_add(r, "z", &err);
    cv_rules_cond(r, "b", 1, 0, CV_BOUND_VALUE, 1, 0, CV_BOUND_VALUE, &err);
    cv_table *s = cv_rules_apply(r, t, "seg", NULL, &err);
    assert_non_null(s);
    for (int64_t i = 0; i < n; i++) {
        int64_t av = 1 + i % 5, bv = 1 + (i / 5) % 4;
        int miss = i % 7 == 3;
        const char *want = (!miss && av >= 4 && bv >= 2) ? "x"
                           : av > 2                      ? "y"
                           : (!miss && bv == 1)          ? "z"
                                                         : "rest";
        assert_string_equal(sval(s, "seg", i), want);
    }
    cv_table_free(s);
    cv_table_free(t);
    cv_rules_free(r);
}

static void test_segment_gini_known_vectors(void **state)
{
    (void)state;
    double eq[4] = {1, 1, 1, 1}, one[4] = {0, 0, 0, 1}, lin[4] = {4, 1, 3, 2}, neg[2] = {1, -1};
    double g, zero[2] = {0, 0};
    cv_error err;
    assert_int_equal(cv_gini(eq, 4, &g, &err), 0);
    assert_float_equal(g, 0, EPS);
    assert_int_equal(cv_gini(one, 4, &g, &err), 0);
    assert_float_equal(g, 0.75, EPS);
    /* sum |xi - xj| over ordered pairs = 20; 2 n^2 mean = 80 */
    assert_int_equal(cv_gini(lin, 4, &g, &err), 0);
    assert_float_equal(g, 0.25, EPS);
    assert_int_equal(cv_gini(neg, 2, &g, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "the values sum to 0, not > 0: shares of the total are undefined");
    assert_int_equal(cv_gini(zero, 2, &g, &err), CV_ERR_DOMAIN);
    /* losses: {-1, 1, 3}: ordered pairs |xi - xj| sum to 2 (2 + 4 + 2) = 16, 2 n^2 mean =
       18 -> 8/9; {-2, 0, 3}: 2 (2 + 5 + 3) = 20 over 2 x 9 x 1/3 = 6 -> 10/3 (above 1) */
    double loss[3] = {3, -1, 1}, big[3] = {0, 3, -2};
    assert_int_equal(cv_gini(loss, 3, &g, &err), 0);
    assert_float_equal(g, 8.0 / 9.0, EPS);
    assert_int_equal(cv_gini(big, 3, &g, &err), 0);
    assert_float_equal(g, 10.0 / 3.0, EPS);
}

static void test_segment_lorenz(void **state)
{
    (void)state;
    double one[4] = {0, 1, 0, 0}, lin[4] = {4, 1, 3, 2}, px[9], py[9], g;
    cv_error err;
    assert_int_equal(cv_lorenz(one, 4, 5, px, py, &g, &err), 0);
    double want[5] = {0, 0, 0, 0, 1};
    for (int k = 0; k < 5; k++) {
        assert_float_equal(px[k], k / 4.0, EPS);
        assert_float_equal(py[k], want[k], EPS);
    }
    assert_float_equal(g, 0.75, EPS);
    /* 1, 2, 3, 4 of 10: at half the customers 3/10; at 3/8 of them halfway between
       1/10 (1 of 4) and 3/10 (2 of 4) = 0.2 */
    assert_int_equal(cv_lorenz(lin, 4, 3, px, py, NULL, &err), 0);
    assert_float_equal(py[1], 0.3, EPS);
    assert_int_equal(cv_lorenz(lin, 4, 9, px, py, NULL, &err), 0);
    assert_float_equal(py[3], 0.2, EPS);
}

static void test_segment_concentration(void **state)
{
    (void)state;
    double x[10] = {5, 0, 50, 5, 0, 30, 5, 0, 5, 0};
    double y[4] = {10, 60, -20, 50};
    cv_concentration c;
    cv_error err;
    assert_int_equal(cv_value_concentration(x, 10, &c, &err), 0);
    assert_float_equal(c.total, 100, EPS);
    assert_float_equal(c.top20, 0.8, EPS);
    assert_float_equal(c.top_for_80, 0.2, EPS);
    assert_float_equal(c.bottom30, 0, EPS);
    assert_float_equal(c.peak, 1, EPS);
    /* sorted -20, 10, 50, 60 of 100: L at 0.8 = 0.4 + 0.2 x 0.6 = 0.52 -> top 20% = 0.48;
       top first: 0.6, 1.1, 1.2, 1.0 -> peak 1.2 at 3 of 4; bottom 30%: L(0.3) = -0.2 +
       0.2 x (-0.1 + 0.2) = -0.18; 80% reached inside the 2nd: (0.8 - 0.6) / 0.5 = 0.4 ->
       (1 + 0.4) / 4 */
    assert_int_equal(cv_value_concentration(y, 4, &c, &err), 0);
    assert_float_equal(c.top20, 0.48, 1e-12);
    assert_float_equal(c.peak, 1.2, 1e-12);
    assert_float_equal(c.peak_at, 0.75, EPS);
    assert_float_equal(c.bottom30, -0.18, 1e-12);
    assert_float_equal(c.top_for_80, 0.35, 1e-12);
    /* ordered pairs |xi - xj|: 2 (30 + 70 + 80 + 40 + 50 + 10) = 560; 2 n^2 mean = 800 */
    assert_float_equal(c.gini, 0.7, 1e-12);
}

/* A one-column table named v. */
static cv_table *vtable(int n, const double *v)
{
    cv_table *t = cv_table_new();
    cv_column *c = cv_column_new("v", CV_FLOAT64, n);
    cv_error err;
    for (int i = 0; i < n; i++)
        assert_int_equal(isnan(v[i]) ? cv_column_push_missing(c) : cv_column_push_float(c, v[i]),
                         0);
    assert_int_equal(cv_table_add(t, c, &err), 0);
    cv_column_unref(c);
    return t;
}

static void test_segment_tiers(void **state)
{
    (void)state;
    double v[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NAN};
    const char *names[3] = {"A", "B", "C"};
    double shares[3] = {0.2, 0.3, 0.5};
    cv_error err;
    cv_table *t = vtable(11, v), *r = cv_value_tiers(t, "v", shares, names, 3, 0, "tier", &err);
    assert_non_null(r);
    /* 10 values, highest first: 10, 9 -> A; 8, 7, 6 -> B; the rest C; missing -> missing */
    const char *want[10] = {"C", "C", "C", "C", "C", "B", "B", "B", "A", "A"};
    for (int i = 0; i < 10; i++)
        assert_string_equal(sval(r, "tier", i), want[i]);
    assert_null(sval(r, "tier", 10));
    cv_table_free(r);
    cv_table_free(t);
    /* ties straddling a boundary share the upper tier: 5 5 5 at positions 0..2 of 5 */
    double w[5] = {5, 1, 5, 5, 0};
    t = vtable(5, w);
    double s2[2] = {0.2, 0.8};
    r = cv_value_tiers(t, "v", s2, names, 2, 0, "tier", &err);
    assert_string_equal(sval(r, "tier", 3), "A");
    assert_string_equal(sval(r, "tier", 1), "B");
    cv_table_free(r);
    cv_table_free(t);
    /* by value: 50 30 10 5 5 of 100, shares 0.5 / 0.3 / 0.2: held above 0 -> A; 50 -> B;
       80 -> C; 90 -> C (both 5s) */
    double u[5] = {5, 50, 10, 30, 5};
    double s3[3] = {0.5, 0.3, 0.2};
    t = vtable(5, u);
    r = cv_value_tiers(t, "v", s3, names, 3, 1, "tier", &err);
    const char *wv[5] = {"C", "A", "C", "B", "C"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(sval(r, "tier", i), wv[i]);
    cv_table_free(r);
    double bad[2] = {0.5, 0.4};
    assert_null(cv_value_tiers(t, "v", bad, names, 2, 0, "tier", &err));
    assert_string_equal(err.msg, "tier shares sum to 0.9, expected 1");
    cv_table_free(t);
}

static void test_segment_lifecycle_rules(void **state)
{
    (void)state;
    /* period 90: tenure, recency, orders, orders_mid, orders_old, p_alive
       (recent = orders - mid, previous = mid - old) */
    double rows[][6] = {
        {30, 10, 1, NAN, NAN, NAN}, /* recent 1, previous 0: exploration, new */
        {400, 10, 9, 6, 5, NAN},    /* 3, 1: development, active */
        {400, 10, 9, 7, 5, NAN},    /* 2, 2: stability, active */
        {400, 10, 9, 8, 5, NAN},    /* 1, 3: decline (falling), active */
        {400, 200, 9, 9, 9, NAN},   /* 0, 0: decline (gone 2 periods), lapsed */
        {400, 100, 9, 9, 7, NAN},   /* 0, 2: decline (falling), at risk */
        {400, 10, 9, 7, 5, 0.3},    /* 2, 2: decline (p_alive), active */
        {400, 10, 5, 4, 4, NAN},    /* 1, 0: development (rising), reactivated */
    };
    const char *stage[8] = {"exploration", "development", "stability", "decline",
                            "decline",     "decline",     "decline",   "development"};
    const char *st[8] = {"new",    "active",  "active", "active",
                         "lapsed", "at risk", "active", "reactivated"};
    const char *cols[6] = {"tenure", "recency", "orders", "mid", "old", "p_alive"};
    cv_table *t = cv_table_new();
    cv_error err;
    for (int j = 0; j < 6; j++) {
        cv_column *c = cv_column_new(cols[j], CV_FLOAT64, 8);
        for (int i = 0; i < 8; i++)
            isnan(rows[i][j]) ? cv_column_push_missing(c) : cv_column_push_float(c, rows[i][j]);
        assert_int_equal(cv_table_add(t, c, &err), 0);
        cv_column_unref(c);
    }
    cv_lifecycle_options o = {"tenure",  "recency", "orders", "mid", "old",
                              "p_alive", 90,        0,        NULL,  NULL};
    cv_table *r = cv_lifecycle(t, &o, &err);
    assert_non_null(r);
    for (int i = 0; i < 8; i++) {
        assert_string_equal(sval(r, "stage", i), stage[i]);
        assert_string_equal(sval(r, "state", i), st[i]);
    }
    assert_int_equal(ival(r, "recent", 1), 3);
    assert_int_equal(ival(r, "previous", 1), 1);
    assert_int_equal(ival(r, "previous", 0), 0);
    cv_table_free(r);
    cv_table_free(t);
}

/* Three well-separated groups in 2-D (centers (0,0) x 300, (10,10) x 200, (20,0) x 100,
   normal noise of sd 0.5): k-means finds them exactly. */
static void test_segment_kmeans_recovers_clusters(void **state)
{
    (void)state;
    const double cx[3] = {0, 10, 20}, cy[3] = {0, 10, 0};
    const int size[3] = {300, 200, 100};
    cv_rng rng;
    cv_table *t = cv_table_new();
    cv_column *x = cv_column_new("x", CV_FLOAT64, 600), *y = cv_column_new("y", CV_FLOAT64, 600);
    cv_column *truth = cv_column_new("truth", CV_INT64, 600);
    cv_error err;
    cv_rng_seed(&rng, 7);
    for (int g = 0; g < 3; g++)
        for (int i = 0; i < size[g]; i++) {
            cv_column_push_float(x, cx[g] + 0.5 * cv_rng_normal(&rng));
            cv_column_push_float(y, cy[g] + 0.5 * cv_rng_normal(&rng));
            cv_column_push_int(truth, g + 1);
        }
    cv_table_add(t, x, &err);
    cv_table_add(t, y, &err);
    cv_table_add(t, truth, &err);
    cv_column_unref(x);
    cv_column_unref(y);
    cv_column_unref(truth);
    const char *cols[2] = {"x", "y"};
    cv_kmeans_options o = {3, 5, 0, 42, 1, 0};
    cv_kmeans_result res;
    cv_table *r = cv_kmeans(t, cols, 2, &o, "cluster", &res, &err);
    assert_non_null(r);
    /* numbered by size: cluster g + 1 is the true group g, every point */
    for (int64_t i = 0; i < 600; i++)
        assert_int_equal(ival(r, "cluster", i), ival(r, "truth", i));
    for (int g = 0; g < 3; g++) {
        assert_int_equal(res.sizes[g], size[g]);
        assert_float_equal(res.centers[2 * g], cx[g], 0.15);
        assert_float_equal(res.centers[2 * g + 1], cy[g], 0.15);
    }
    assert_true(res.wss / res.tss < 0.01);
    double s;
    assert_int_equal(cv_silhouette(r, cols, 2, "cluster", 200, 1, 1, &s, &err), 0);
    assert_true(s > 0.9);
    /* same seed, same result */
    cv_kmeans_result res2;
    cv_table *r2 = cv_kmeans(t, cols, 2, &o, "cluster", &res2, &err);
    assert_float_equal(res2.wss, res.wss, 0);
    cv_kmeans_result_free(&res);
    cv_kmeans_result_free(&res2);
    cv_table_free(r);
    cv_table_free(r2);
    /* restarts on a sample of 100 rows, then one run on all 600: the same clusters */
    o.sample = 100;
    r2 = cv_kmeans(t, cols, 2, &o, "cluster", &res2, &err);
    assert_non_null(r2);
    for (int64_t i = 0; i < 600; i++)
        assert_int_equal(ival(r2, "cluster", i), ival(r2, "truth", i));
    cv_kmeans_result_free(&res2);
    cv_table_free(r2);
    o.k = 601;
    assert_null(cv_kmeans(t, cols, 2, &o, "cluster", &res, &err));
    assert_string_equal(err.msg, "k must be between 1 and the 600 rows, got 601");
    cv_table_free(t);
}

/* Silhouette by hand: points 0, 1 (cluster 1) and 10 (cluster 2), not standardized:
   s(0) = (10 - 1) / 10 = 0.9; s(1) = (9 - 1) / 9; s(10) = 0 (alone). */
static void test_segment_silhouette_by_hand(void **state)
{
    (void)state;
    double v[3] = {0, 1, 10};
    cv_table *t = vtable(3, v);
    cv_column *l = cv_column_new("l", CV_INT64, 3);
    cv_error err;
    cv_column_push_int(l, 1);
    cv_column_push_int(l, 1);
    cv_column_push_int(l, 2);
    cv_table_add(t, l, &err);
    cv_column_unref(l);
    const char *cols[1] = {"v"};
    double s;
    assert_int_equal(cv_silhouette(t, cols, 1, "l", 0, 1, 0, &s, &err), 0);
    assert_float_equal(s, (0.9 + 8.0 / 9.0 + 0) / 3, 1e-12);
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segment_bins_ties_share_a_bin),
        cmocka_unit_test(test_segment_bins_recency_lower_is_better),
        cmocka_unit_test(test_segment_bins_all_equal_and_missing),
        cmocka_unit_test(test_segment_bins_given_cuts),
        cmocka_unit_test(test_segment_bins_mean_and_median),
        cmocka_unit_test(test_segment_rfm_table_and_cuts),
        cmocka_unit_test(test_segment_rfm_nested),
        cmocka_unit_test(test_segment_rules_first_match_and_counts),
        cmocka_unit_test(test_segment_rules_coverage),
        cmocka_unit_test(test_segment_rules_lookup_path),
        cmocka_unit_test(test_segment_gini_known_vectors),
        cmocka_unit_test(test_segment_lorenz),
        cmocka_unit_test(test_segment_concentration),
        cmocka_unit_test(test_segment_tiers),
        cmocka_unit_test(test_segment_lifecycle_rules),
        cmocka_unit_test(test_segment_kmeans_recovers_clusters),
        cmocka_unit_test(test_segment_silhouette_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
