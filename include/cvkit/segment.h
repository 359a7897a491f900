/* cvkit segmentation: RFM scores (quantile bins with shared ties, custom cut points,
   mean or median splits, nested), segment rules evaluated over customers (first match
   wins) with their coverage, value tiers, the Lorenz curve and Gini coefficient,
   lifecycle stages and operational states, and k-means clustering. See
   docs/segmentation.md for the conventions and their sources. */
#ifndef CVKIT_SEGMENT_H
#define CVKIT_SEGMENT_H

#include <stdint.h>

#include "cvkit/error.h"
#include "cvkit/table.h"

/* ---- Scores ------------------------------------------------------------------------------ */

typedef enum cv_bin_method {
    CV_BINS_QUANTILE = 0, /* n bins by rank; ties share a bin (see cv_score_bins) */
    CV_BINS_CUTS,         /* given cut points */
    CV_BINS_MEAN,         /* 2 bins: strictly better than the mean scores 2, else 1 */
    CV_BINS_MEDIAN        /* 2 bins: strictly better than the median scores 2, else 1 */
} cv_bin_method;

/* Scores x[0..n) into 1..nbins, where a higher score is better: larger values are better
   when higher_better, else smaller ones (recency in days). NaN gives score 0 (missing).
   Of the m present values:
     CV_BINS_QUANTILE: score = 1 + floor(nbins * b / m), b = the number of present values
       strictly worse than x. Equal values always share a score, every present value
       gets one, and the best value gets nbins unless ties make that bin empty (a column
       where most values are equal leaves some middle scores empty, never a value
       unscored). Deterministic: no dependence on row order.
     CV_BINS_CUTS: cuts[0..nbins-2] ascending; higher_better: score = 1 + #{j: x >= c_j};
       else score = nbins - #{j: x > c_j}. A value equal to a cut point goes to the
       better bin.
     CV_BINS_MEAN, CV_BINS_MEDIAN: nbins must be 2; score 2 when x is strictly better
       than the mean (median, type 7) of the present values, else 1 (equal counts low).
   cuts_out (nbins - 1 values, may be NULL) receives the cut points in the CV_BINS_CUTS
   sense, so that scoring with them gives the same scores on these values: for
   quantiles, higher_better: c_j = the least value scoring >= j + 1 (+inf if none);
   lower: c_j = the greatest value scoring >= nbins - j + 1 (-inf if none); for a
   mean or median split, the one cut is the mean or median (a value equal to it scores
   1 here, unlike CV_BINS_CUTS). Returns the number of present values, or -1 with err set
   (bad nbins, cuts not ascending, out of memory). */
int64_t cv_score_bins(const double *x, int64_t n, int nbins, int higher_better,
                      cv_bin_method method, const double *cuts, int32_t *score, double *cuts_out,
                      cv_error *err);

/* What cv_rfm_score scores and how. A zeroed struct scores the summary's columns into 5
   quantile bins. */
typedef struct cv_rfm_options {
    const char *recency;   /* days since the last purchase, lower is better; NULL:
                              "days_since_last" */
    const char *frequency; /* NULL: "orders" (transactions, the first included) */
    const char *monetary;  /* NULL: "revenue" (total spend); "mean_spend" for the mean */
    int bins;              /* 0: 5 (2 for mean and median splits) */
    cv_bin_method method;
    const double *cuts[3]; /* CV_BINS_CUTS: ascending cut points of r, f and m ... */
    int ncuts[3];          /* ... and their counts (each score has ncuts + 1 bins) */
    int nested;            /* 1: F scored within each R score, M within each (R, F) cell
                              (quantiles only) */
} cv_rfm_options;

/* A new table: t's columns plus r_score, f_score, m_score (int; missing where the input
   is missing) and, when every score has at most 9 bins, rfm = 100 r + 10 f + m.
   *cuts (if cuts != NULL) receives a new table of the cut points used, one row per
   scored group: score ("r", "f", "m"), within ("" or "r=3" or "r=3 f=2" when nested),
   n (values scored) and cut_1 .. cut_K (float, K = the largest bins - 1; missing where a
   score has fewer). NULL with err set on failure (a missing column, a column that is
   not a number, bad options). */
cv_table *cv_rfm_score(const cv_table *t, const cv_rfm_options *o, cv_table **cuts, cv_error *err);

/* ---- Segment rules ---------------------------------------------------------------------- */

/* A bound of a condition: a number, or a statistic of the column over the table the
   rules are applied to. */
typedef enum cv_bound_stat { CV_BOUND_VALUE = 0, CV_BOUND_MEAN, CV_BOUND_MEDIAN } cv_bound_stat;

/* Ordered rules, each a name and conditions lo <(=) column <(=) hi that must all hold;
   the first rule whose conditions hold names a row's segment; rows no rule matches get
   the `other` name. Several rules may share a name (a segment made of several boxes). */
typedef struct cv_rules cv_rules;

/* A new empty rule set whose unmatched rows are named other (copied). NULL when out of
   memory. */
cv_rules *cv_rules_new(const char *other);
void cv_rules_free(cv_rules *r);
/* Appends a rule named name (copied); its conditions follow. 0 or CV_ERR_NOMEM. */
int cv_rules_add(cv_rules *r, const char *name, cv_error *err);
/* Adds to the last rule the condition lo <= column <= hi (strict where lo_open or
   hi_open; -INFINITY and INFINITY for no bound; a bound with a stat other than
   CV_BOUND_VALUE is that statistic of the column, its value ignored). Fails with
   CV_ERR_USAGE when there is no rule yet or lo > hi. */
int cv_rules_cond(cv_rules *r, const char *column, double lo, int lo_open, cv_bound_stat lo_stat,
                  double hi, int hi_open, cv_bound_stat hi_stat, cv_error *err);
int cv_rules_count(const cv_rules *r);
/* The distinct segment names in the order they first appear, then other; n of them. */
const char *const *cv_rules_names(const cv_rules *r, int *n);

/* Applies the rules to every row of t: a new table, t plus the string column out (the
   segment names; a row with a missing value in a tested column fails that test).
   counts (if not NULL) receives a new table segment, customers, share: one row per
   name of cv_rules_names, in that order, zeros included. NULL with err set when a column
   is missing or not a number. */
cv_table *cv_rules_apply(const cv_rules *r, const cv_table *t, const char *out, cv_table **counts,
                         cv_error *err);

/* Coverage of the rules over a grid: every combination of the integers lo[i]..hi[i] of
   the columns cols[0..ncols) (at most 1,000,000 cells). A new table: the grid columns
   (int), segment (the first match, or other) and matches (how many rules hold, counting
   rules that share a name once each). unmatched and overlapping (if not NULL) receive the
   number of cells no rule matches and several rules match. Fails with CV_ERR_USAGE when a
   rule tests a column outside the grid or a bound is a statistic. */
cv_table *cv_rules_coverage(const cv_rules *r, const char *const *cols, const int *lo,
                            const int *hi, int ncols, int64_t *unmatched, int64_t *overlapping,
                            cv_error *err);

/* ---- Value: tiers, concentration, Lorenz curve, Gini ------------------------------------- */

/* Gini coefficient of x[0..n) (sum > 0), without the n/(n - 1) correction:
     G = sum_i sum_j |x_i - x_j| / (2 n^2 mean) = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n
   with x_(1) <= ... <= x_(n): 0 for equal values, 1 - 1/n when one holds everything
   ([0, 0, 0, 1] -> 0.75); equal to 1 - 2 x (area under the Lorenz curve through the
   points (i/n, share of the i smallest)). Negative values (customers who lose money) are
   allowed, as on the whale curve whose cumulative share of the total exceeds 100%: the
   same formula, no renormalization, so G exceeds 1 when the losses are large ({-1, 1, 3}
   -> 8/9, {-2, 0, 3} -> 10/3). The one Gini of cvkit: cv.gini, cv.lorenz, cv.tiers and
   cv.chart.gini/lorenz all come here. NaN values are skipped. Returns 0 and sets *g, or
   fails (CV_ERR_DOMAIN) on a total that is not > 0 or no values. */
int cv_gini(const double *x, int64_t n, double *g, cv_error *err);

/* The Lorenz curve of x at npoints >= 2 evenly spaced customer shares p_k = k/(npoints-1):
   L(p) = share of the total held by the smallest p of the customers, interpolated
   linearly between the points (i/n, L_i) (exact when p n is whole). px, py get npoints
   values (below 0 where the smallest are losses); *gini (if not NULL) the Gini
   coefficient. Same domain as cv_gini. */
int cv_lorenz(const double *x, int64_t n, int npoints, double *px, double *py, double *gini,
              cv_error *err);

/* Concentration of a value column. top_share(p) = 1 - L(1 - p), from the Lorenz curve of
   the values (negative values allowed here; total must be > 0). */
typedef struct cv_concentration {
    int64_t n;         /* values (missing skipped) */
    double total;      /* their sum */
    double top20;      /* share of the total from the top 20% of customers */
    double top_for_80; /* smallest share of customers (top first) holding 80% of the total */
    double bottom30;   /* share of the total from the bottom 30% (negative: they lose) */
    double peak;       /* highest cumulative share, customers taken top first (the whale
                          curve's peak: > 1 when some customers lose value) */
    double peak_at;    /* the share of customers where it is reached */
    double gini;       /* cv_gini, NaN when a value is negative */
} cv_concentration;
int cv_value_concentration(const double *x, int64_t n, cv_concentration *c, cv_error *err);

/* Value tiers: customers ranked by the column value (highest first) into ntiers tiers
   with shares[0..ntiers) (summing to 1) of the customers (by_value = 0) or of the total
   value (by_value = 1). A customer's position is where its group of equal values starts
   (ties share a tier): by customers, tier k holds positions p with p/m in
   [s_0 + .. + s_(k-1), s_0 + .. + s_k); by value, the value held by everyone ranked
   above (excluding the tie group) decides the same way. A new table: t plus the string
   column out with names[k] (missing where the value is missing). */
cv_table *cv_value_tiers(const cv_table *t, const char *value, const double *shares,
                         const char *const *names, int ntiers, int by_value, const char *out,
                         cv_error *err);

/* The numbers of a column as doubles (NaN where missing): n values into x. Fails with
   CV_ERR_TYPE for a string column, naming it. */
int cv_column_doubles(const cv_column *c, double *x, cv_error *err);

/* ---- Lifecycle ----------------------------------------------------------------------------- */

/* What cv_lifecycle classifies: column names of a per-customer table at a date. */
typedef struct cv_lifecycle_options {
    const char *tenure;             /* days from the first purchase to the date */
    const char *recency;            /* days since the last purchase */
    const char *orders;             /* purchases up to the date */
    const char *orders_mid;         /* purchases up to the date - period (missing: 0) */
    const char *orders_old;         /* purchases up to the date - 2 period (missing: 0) */
    const char *p_alive;            /* optional (NULL): a model's P(alive) */
    double period;                  /* the period length in days (> 0) */
    double p_alive_min;             /* decline when p_alive < this (0: 0.5) */
    const char *const *stage_names; /* 4 labels: exploration, development, stability,
                                       decline (NULL: those words) */
    const char *const *state_names; /* 5 labels: new, active, at risk, lapsed, reactivated */
} cv_lifecycle_options;

/* Places each customer in a lifecycle stage and an operational state, from
     recent   = orders - orders_mid      purchases in the last period (date - period, date]
     previous = orders_mid - orders_old  purchases in the period before it
   by these rules, first match wins (docs/segmentation.md):
     stage: exploration  tenure <= period (first purchase within the last period)
            decline      p_alive < p_alive_min (when given), or recency > 2 period, or
                         recent < previous
            development  recent > previous
            stability    otherwise (recent == previous > 0)
     state: new          tenure <= period
            reactivated  recent > 0, previous == 0 and orders > recent (bought before
                         the previous period, nothing in it, then again)
            active       recent > 0
            at risk      recent == 0 and previous > 0
            lapsed       otherwise (nothing in the last two periods)
   A new table: t plus the columns recent, previous (int), stage and state (strings).
   Rows with a missing tenure, recency or orders get missing values. */
cv_table *cv_lifecycle(const cv_table *t, const cv_lifecycle_options *o, cv_error *err);

/* ---- k-means ------------------------------------------------------------------------------ */

typedef struct cv_kmeans_options {
    int k;           /* clusters, >= 1 */
    int restarts;    /* 0: 5; the run with the least within-cluster sum of squares wins */
    int max_iter;    /* 0: 100 Lloyd iterations per run */
    uint64_t seed;   /* the PRNG seed (same seed, same result) */
    int standardize; /* 1: z-scores (mean 0, sample sd 1) before clustering (a column
                        with sd 0 is centred only) */
    int64_t sample;  /* restarts run on a random sample of this many rows, then the best
                        one's centers start one run on all rows; 0: 100,000 when there
                        are more than 200,000 rows, else all rows; < 0: never sample */
} cv_kmeans_options;

typedef struct cv_kmeans_result {
    int k, d;
    double *centers; /* k x d, row-major, in the columns' original units (cluster means) */
    int64_t *sizes;  /* k */
    double wss;      /* within-cluster sum of squares (in the clustering's units) */
    double tss;      /* total sum of squares (same units) */
    int iterations;  /* of the winning run */
    int converged;   /* 1 when the winning run stopped because no point moved */
} cv_kmeans_result;

void cv_kmeans_result_free(cv_kmeans_result *r);

/* k-means (Lloyd, accelerated exactly by Hamerly's bounds) on the columns cols of t
   (numbers, no missing values), k-means++ starts drawn with cv_rng from the seed, several
   restarts (on a sample for large data, see sample). Clusters are numbered
   1..k by size, largest first (ties by the first center coordinate). A new table: t
   plus the int column out; res (required) receives centers, sizes and sums of squares
   (free with cv_kmeans_result_free). Fails on missing values, k > rows, bad options. */
cv_table *cv_kmeans(const cv_table *t, const char *const *cols, int ncols,
                    const cv_kmeans_options *o, const char *out, cv_kmeans_result *res,
                    cv_error *err);

/* Mean silhouette of the clustering labels (the int column label of t) over the columns
   cols (standardized like cv_kmeans when standardize), computed on a sample of at most
   sample rows drawn without replacement with seed (all rows when sample <= 0 or >= rows):
   s(i) = (b - a) / max(a, b), a = mean distance to the other sampled points of its
   cluster, b = the least mean distance to another cluster's sampled points; s = 0 for a
   point alone in its cluster. Returns 0 and sets *s, or fails. */
int cv_silhouette(const cv_table *t, const char *const *cols, int ncols, const char *label,
                  int64_t sample, uint64_t seed, int standardize, double *s, cv_error *err);

#endif
