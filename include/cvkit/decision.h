/* cvkit relevant costs and decisions: cost items classified as relevant or irrelevant to a
   decision from their properties (does the cost differ between the options, is it already
   incurred, avoidable, shared, deferrable, a benefit forgone), and the differential analysis
   of two or more options. The core gives codes; the words (terms, reasons) are the i18n
   catalogue's (lua/cv/decision.lua). Concepts and sources: docs/formulas.md, "Relevant costs". */
#ifndef CVKIT_DECISION_H
#define CVKIT_DECISION_H

#include "cvkit/error.h"

/* The properties of a cost item, as flags. The first eight make a cost relevant (it changes
   with the choice), the last six irrelevant (it stays whatever is chosen). */
enum {
    CV_COST_DIFFERS = 1 << 0,        /* its amount differs between the options: differential */
    CV_COST_OPPORTUNITY = 1 << 1,    /* a benefit given up by choosing an option */
    CV_COST_CASH = 1 << 2,           /* a future cash outlay an option causes: out-of-pocket */
    CV_COST_REPLACEMENT = 1 << 3,    /* a resource valued at what replacing it costs today */
    CV_COST_MARGINAL = 1 << 4,       /* the cost of one more unit (or customer, order) */
    CV_COST_AVOIDABLE = 1 << 5,      /* goes away when the activity or customer is given up */
    CV_COST_DEFERRABLE = 1 << 6,     /* can be put off without harm to today's operations */
    CV_COST_SPECIFIC = 1 << 7,       /* attributable to one option (product, customer) only */
    CV_COST_INCURRED = 1 << 8,       /* already spent or committed: no option changes it (sunk) */
    CV_COST_COMMON = 1 << 9,         /* shared by several products, customers or options */
    CV_COST_JOINT = 1 << 10,         /* shared by joint products up to their split-off point */
    CV_COST_UNAVOIDABLE = 1 << 11,   /* stays when the activity or customer is given up */
    CV_COST_NONDEFERRABLE = 1 << 12, /* must be spent now, whatever is chosen */
    CV_COST_SAME = 1 << 13           /* the same under every option (no other reason known) */
};
#define CV_COST_RELEVANT_PROPS 0x00ffu
#define CV_COST_IRRELEVANT_PROPS 0x3f00u

/* The course's terms, in the order of precedence in which a verdict names them: the first
   that applies is the item's term. */
typedef enum cv_cost_term {
    CV_TERM_OPPORTUNITY = 0, /* 机会成本 */
    CV_TERM_REPLACEMENT,     /* 重置成本 */
    CV_TERM_MARGINAL,        /* 边际成本 */
    CV_TERM_DEFERRABLE,      /* 可延缓成本 */
    CV_TERM_AVOIDABLE,       /* 可避免成本 */
    CV_TERM_SPECIFIC,        /* 专属成本 */
    CV_TERM_OUT_OF_POCKET,   /* 付现成本 */
    CV_TERM_DIFFERENTIAL,    /* 差量成本 */
    CV_TERM_SUNK,            /* 沉没成本 */
    CV_TERM_JOINT,           /* 联合成本 */
    CV_TERM_COMMON,          /* 共同成本 */
    CV_TERM_UNAVOIDABLE,     /* 不可避免成本 */
    CV_TERM_NONDEFERRABLE,   /* 不可延缓成本 */
    CV_TERM_SAME,            /* the same under every option */
    CV_TERM_COUNT
} cv_cost_term;

/* The name of a term: "opportunity", "out_of_pocket", "sunk", "same" (the i18n key is
   "decision.term.<name>"); NULL for a value out of range. */
const char *cv_cost_term_name(cv_cost_term t);

/* One cost item of a decision. */
typedef struct cv_cost_item {
    const char *name; /* "account manager" (for messages) */
    double amount;    /* the amount at stake (a difference between options, or the cost) */
    unsigned props;   /* CV_COST_* flags */
} cv_cost_item;

typedef struct cv_cost_verdict {
    int relevant;      /* 1 relevant, 0 irrelevant */
    cv_cost_term term; /* the term that names it, the first of the precedence that applies */
    unsigned terms;    /* every term that applies, as 1 << cv_cost_term */
} cv_cost_verdict;

typedef struct cv_cost_totals {
    int nrelevant, nirrelevant;
    double relevant, irrelevant; /* the amounts summed */
} cv_cost_totals;

/* Classifies items[0..n) into out[0..n) and sums them into *totals (may be NULL). An item
   is relevant when it has a relevant property, irrelevant when it has an irrelevant one.
   Fails with CV_ERR_USAGE naming the item when it has both ("cost item 'rent' is marked
   avoidable (relevant) and common (irrelevant): split it into the part that changes with
   the decision and the part that does not"), when it has neither, or with
   CV_ERR_DOMAIN when its amount is not finite; n = 0 is no error. */
int cv_decision_classify(const cv_cost_item *items, int n, cv_cost_verdict *out,
                         cv_cost_totals *totals, cv_error *err);

/* ---- Differential analysis -------------------------------------------------------------- */

/* One line of a comparison: a revenue or a cost, with its amount under each option. */
typedef struct cv_decision_line {
    const char *name;
    int revenue;           /* 1: a revenue (adds to profit); 0: a cost (subtracts) */
    const double *amounts; /* nopt amounts, one per option, >= 0 or any sign */
} cv_decision_line;

typedef struct cv_decision_result {
    int best;      /* the option with the highest profit (the first of equals) */
    int nbest;     /* how many options share the highest profit (> 1: a tie) */
    int second;    /* the best option of the others, -1 when every option ties */
    double margin; /* profit of best − profit of second (0 when every option ties) */
} cv_decision_result;

/* Compares nopt >= 2 options over lines[0..nlines) (nlines >= 1). Fills profit[0..nopt)
   (revenues − costs per option), diff[0..nlines * nopt) when not NULL (line i, option k at
   i * nopt + k: the effect on profit of option k against option 0, the base: revenue
   differences as they are, cost differences negated), differs[0..nlines) when not NULL (1
   when a line's amounts are not all equal: only those are relevant), equal[0..nopt) when
   not NULL (1 for the options sharing the highest profit), and *res. Two profits are equal
   when they differ by at most tol (>= 0; 0: by rounding noise only, 1e-9 of their size).
   Fails with CV_ERR_USAGE for fewer than two options or no line, CV_ERR_DOMAIN naming the
   line and option for an amount that is not finite, or a tol < 0. */
int cv_decision_compare(const cv_decision_line *lines, int nlines, int nopt, double tol,
                        double *profit, double *diff, int *differs, int *equal,
                        cv_decision_result *res, cv_error *err);

#endif
