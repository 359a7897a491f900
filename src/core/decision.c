/* cvkit relevant costs and decisions: the classification of cost items by their properties
   and the differential analysis of options (include/cvkit/decision.h). */
#include "cvkit/decision.h"

#include <math.h>
#include <stddef.h>

/* Term names, in cv_cost_term order. */
static const char *const term_names[CV_TERM_COUNT] = {
    "opportunity", "replacement",   "marginal",      "deferrable", "avoidable",
    "specific",    "out_of_pocket", "differential",  "sunk",       "joint",
    "common",      "unavoidable",   "nondeferrable", "same"};

/* The property flag behind each term, in cv_cost_term order. */
static const unsigned term_props[CV_TERM_COUNT] = {
    CV_COST_OPPORTUNITY,   CV_COST_REPLACEMENT, CV_COST_MARGINAL, CV_COST_DEFERRABLE,
    CV_COST_AVOIDABLE,     CV_COST_SPECIFIC,    CV_COST_CASH,     CV_COST_DIFFERS,
    CV_COST_INCURRED,      CV_COST_JOINT,       CV_COST_COMMON,   CV_COST_UNAVOIDABLE,
    CV_COST_NONDEFERRABLE, CV_COST_SAME};

/* The property words used in messages, in flag-bit order. */
static const char *const prop_words[] = {
    "differs",   "opportunity", "out-of-pocket",  "replacement", "marginal",
    "avoidable", "deferrable",  "specific",       "sunk",        "common",
    "joint",     "unavoidable", "non-deferrable", "same"};

const char *cv_cost_term_name(cv_cost_term t)
{
    return (int)t >= 0 && t < CV_TERM_COUNT ? term_names[t] : NULL;
}

/* The word of the lowest flag set in props (props != 0). */
static const char *first_word(unsigned props)
{
    int b = 0;
    while (!(props & (1u << b)))
        b++;
    return prop_words[b];
}

int cv_decision_classify(const cv_cost_item *items, int n, cv_cost_verdict *out,
                         cv_cost_totals *totals, cv_error *err)
{
    cv_cost_totals sum = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) {
        const cv_cost_item *it = &items[i];
        unsigned rel = it->props & CV_COST_RELEVANT_PROPS;
        unsigned irr = it->props & CV_COST_IRRELEVANT_PROPS;
        if (!isfinite(it->amount))
            return cv_error_set(err, CV_ERR_DOMAIN, "cost item '%s': amount must be finite, got %g",
                                it->name, it->amount);
        if (rel && irr)
            return cv_error_set(err, CV_ERR_USAGE,
                                "cost item '%s' is marked %s (relevant) and %s (irrelevant): "
                                "split it into the part that changes with the decision and the "
                                "part that does not",
                                it->name, first_word(rel), first_word(irr));
        if (!rel && !irr)
            return cv_error_set(err, CV_ERR_USAGE,
                                "cost item '%s' has no property: say whether it differs between "
                                "the options, or why it does not (sunk, common, joint, "
                                "unavoidable, non-deferrable)",
                                it->name);
        cv_cost_verdict v = {rel != 0, CV_TERM_COUNT, 0};
        for (int t = 0; t < CV_TERM_COUNT; t++)
            if (it->props & term_props[t]) {
                v.terms |= 1u << t;
                if (v.term == CV_TERM_COUNT)
                    v.term = (cv_cost_term)t;
            }
        out[i] = v;
        if (v.relevant) {
            sum.nrelevant++;
            sum.relevant += it->amount;
        } else {
            sum.nirrelevant++;
            sum.irrelevant += it->amount;
        }
    }
    if (totals)
        *totals = sum;
    return 0;
}

/* 1 when a and b are equal within tol (0: within rounding noise, 1e-9 of their size). */
static int same(double a, double b, double tol)
{
    double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= (tol > 0 ? tol : 1e-9 * scale);
}

int cv_decision_compare(const cv_decision_line *lines, int nlines, int nopt, double tol,
                        double *profit, double *diff, int *differs, int *equal,
                        cv_decision_result *res, cv_error *err)
{
    if (nopt < 2)
        return cv_error_set(err, CV_ERR_USAGE, "a decision needs at least two options, got %d",
                            nopt);
    if (nlines < 1)
        return cv_error_set(err, CV_ERR_USAGE, "a decision needs at least one revenue or cost");
    if (!(tol >= 0) || !isfinite(tol))
        return cv_error_set(err, CV_ERR_DOMAIN, "tolerance must be >= 0, got %g", tol);
    for (int k = 0; k < nopt; k++)
        profit[k] = 0;
    for (int i = 0; i < nlines; i++) {
        const cv_decision_line *l = &lines[i];
        double sign = l->revenue ? 1 : -1;
        int d = 0;
        for (int k = 0; k < nopt; k++) {
            if (!isfinite(l->amounts[k]))
                return cv_error_set(err, CV_ERR_DOMAIN,
                                    "'%s', option %d: amount must be finite, got %g", l->name,
                                    k + 1, l->amounts[k]);
            profit[k] += sign * l->amounts[k];
            if (l->amounts[k] != l->amounts[0])
                d = 1;
            if (diff) {
                double dv = l->amounts[k] - l->amounts[0];
                diff[(size_t)i * nopt + k] = dv == 0 ? 0 : sign * dv; /* never -0 */
            }
        }
        if (differs)
            differs[i] = d;
    }
    int best = 0;
    for (int k = 1; k < nopt; k++)
        if (profit[k] > profit[best])
            best = k;
    /* the first option equal to the highest names the decision */
    for (int k = 0; k < best; k++)
        if (same(profit[k], profit[best], tol)) {
            best = k;
            break;
        }
    cv_decision_result r = {best, 0, -1, 0};
    for (int k = 0; k < nopt; k++) {
        int eq = same(profit[k], profit[best], tol);
        if (equal)
            equal[k] = eq;
        if (eq)
            r.nbest++;
        else if (r.second < 0 || profit[k] > profit[r.second])
            r.second = k;
    }
    /* with a tie the margin is over the best of the rest: the tied options win by it */
    r.margin = r.second < 0 ? 0 : profit[best] - profit[r.second];
    *res = r;
    return 0;
}
