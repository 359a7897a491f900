/* cvkit CRM decisions, costed (issue 21, part two): the CRM system's life-cycle cost (TCO)
   per option against the value it creates, and the textbook formulas of that chapter
   (equivalent annual cost, loyalty programmes, satisfaction to value) as catalogue entries
   of include/cvkit/formulas.h. Conventions and sources: docs/formulas.md, "CRM system
   cost, loyalty and satisfaction". */
#ifndef CVKIT_CRMCOST_H
#define CVKIT_CRMCOST_H

#include "cvkit/error.h"
#include "cvkit/formulas.h"

/* The formulas of this chapter (crm.eac, loyalty.*, satisfaction.*): *n is set to their
   number; the catalogue (cv_formula_at) lists them after the core ones. */
const cv_formula *cv_crmcost_formulas(int *n);

/* The annuity factor a(N, d) = (1 − (1 + d)^−N) ÷ d (N when d = 0): the present value of 1
   a year at each year end for N years at the annual rate d (> −1). */
double cv_crmcost_annuity(double discount, double years);

/* ---- Life-cycle cost (TCO) of a CRM system per option ----------------------------------- */

typedef enum cv_lcc_kind {
    CV_LCC_COST = 0, /* money paid: selection, licences, development, migration, training... */
    CV_LCC_BENEFIT   /* value created: retention gained, cost to serve saved, ... */
} cv_lcc_kind;

/* One cost or benefit line of one option: amount in each year from..to (a one-off when
   from == to; year 0 is now, undiscounted; year t is discounted by (1 + discount)^t). */
typedef struct cv_lcc_line {
    int option; /* 0 <= option < nopts */
    cv_lcc_kind kind;
    double amount; /* a year's amount (finite; per user when per_user) */
    int from, to;  /* 0 <= from <= to <= years */
    int per_user;  /* 1: amount × the option's users */
} cv_lcc_line;

/* The life-cycle figures of one option. */
typedef struct cv_lcc_result {
    double cost_nominal; /* undiscounted sum of the costs */
    double cost_pv;      /* present value of the costs (the discounted life-cycle cost) */
    double benefit_pv;   /* present value of the benefits */
    double npv;          /* benefit_pv − cost_pv */
    double annuity;      /* a(years, discount) */
    double eac;          /* equivalent annual cost: cost_pv ÷ annuity */
    double eac_per_user; /* eac ÷ users */
    double payback;      /* discounted payback in years: the time from which the cumulative
                            discounted net value (benefits less costs) stays >= 0, linear
                            within its year; 0 when it never falls below 0; NAN when it is
                            still below 0 at the end of the life or there are no benefits */
} cv_lcc_result;

/* Computes res[0..nopts) from lines[0..nlines) at the annual discount rate over a life of
   `years` (>= 1) years; users[0..nopts) (> 0) is each option's number of users. When
   line_pv is not NULL, line_pv[i] is the present value of line i (per-user lines
   multiplied out). Fails with CV_ERR_DOMAIN naming the line (1-based) or the option for
   a value outside its domain ("line 3: to must be between from (1) and years (5), got
   7"), CV_ERR_NOMEM. */
int cv_lcc(const cv_lcc_line *lines, int nlines, const double *users, int nopts, double discount,
           int years, double *line_pv, cv_lcc_result *res, cv_error *err);

#endif
