/* cvkit textbook formulas: simple and retention-based CLV, costs per customer, customer
   profit, NPV of profit flows, delivered value, switching cost, the effect of a retention
   change. Each formula is a descriptor (named inputs with domains, steps, a compute
   function); the scalar, column and explain forms all come from that one descriptor. */
#ifndef CVKIT_FORMULAS_H
#define CVKIT_FORMULAS_H

#include <stddef.h>

#include "cvkit/error.h"
#include "cvkit/kind.h"
#include "cvkit/table.h"

/* The domain of an input; every input must also be a finite number (never NaN or inf).
   Rates: an input named discount is always an ANNUAL effective rate; a formula whose
   margins, retention or profits are per period takes a period input (CV_DOM_PERIOD) and
   derives the per-period rate from them (cv_rate_per_period, cvkit/timevalue.h) as its
   first step, period_rate, which explain shows unless the period is a year. */
typedef enum cv_domain {
    CV_DOM_ANY = 0,  /* any finite number */
    CV_DOM_NONNEG,   /* >= 0 */
    CV_DOM_POSITIVE, /* > 0 */
    CV_DOM_UNIT,     /* 0 <= x <= 1 (a rate or probability such as retention) */
    CV_DOM_RATE,     /* > -1 (a discount or interest rate) */
    CV_DOM_COUNT,    /* a whole number >= 1 (periods) */
    CV_DOM_PERIOD    /* the period of per-period margins, retention and profits: a time unit
                        (cvkit/summary.h) named by the user ("month"), held in x as the
                        cv_time_unit's number (cv_formula_period reads the name) */
} cv_domain;

/* The largest number of inputs, steps and list values a formula has. */
#define CV_FORMULA_MAX_INPUTS 12
#define CV_FORMULA_MAX_STEPS 6
#define CV_FORMULA_MAX_LIST 100000

typedef struct cv_formula_input {
    const char *name; /* "avg_purchase": the key in explain, in Lua tables, in mappings */
    cv_domain domain;
    int optional; /* 1: may be left out; def is used then */
    double def;
    int list;         /* 1: a list of numbers (only ever the last input, at most one) */
    cv_kind kind;     /* how explain shows it (cv_formula_format_value); NONE for a period */
    const char *unit; /* a count of periods: the time unit it counts in, either the name of
                         the formula's period input ("period": the unit the user gives) or
                         a fixed unit ("year"); NULL for anything else, and for a count
                         whose unit the formula cannot know (clv.simple's lifetime) */
} cv_formula_input;

/* One step of a formula: an intermediate or final value with its expression. The
   expression is language-neutral text where {name} stands for an input or an earlier
   step's value (the explain form puts words or numbers there). The last step is the
   formula's result. */
typedef struct cv_formula_step {
    const char *key;  /* label of the value: "clv", "total_cost"; the i18n key "label.<key>" */
    const char *expr; /* "{avg_purchase} × {frequency} × {lifetime}" */
    cv_kind kind;     /* money, rate or share (a fraction shown as 27.5%), count or number */
} cv_formula_step;

typedef struct cv_formula cv_formula;

/* Computes every step value into steps[0..nsteps) from the inputs x[0..ninputs) (a list
   input's slot in x is unused; its values are list[0..nlist)). Inputs have passed their
   domain and cross checks. */
typedef void (*cv_formula_compute_fn)(const double *x, const double *list, int nlist,
                                      double *steps);
/* Checks what single domains cannot (retention < 1 + discount); 0 or CV_ERR_DOMAIN. */
typedef int (*cv_formula_check_fn)(const double *x, const double *list, int nlist, cv_error *err);
/* Writes the numbers-substituted text of step k where plain substitution does not do
   (sums over a list); returns 1 when it wrote, 0 to use plain substitution. */
typedef int (*cv_formula_render_fn)(const cv_formula *f, int k, const double *x, const double *list,
                                    int nlist, const double *steps, char *buf, size_t size);
/* 1 when step k of f is not worth showing for these inputs (a period rate equal to the
   annual one); the step is still computed. */
typedef int (*cv_formula_hide_fn)(const cv_formula *f, int k, const double *x);

struct cv_formula {
    const char *name; /* dotted: "clv.simple", "cost.cac" */
    int ninputs;
    cv_formula_input inputs[CV_FORMULA_MAX_INPUTS];
    int nsteps;
    cv_formula_step steps[CV_FORMULA_MAX_STEPS];
    cv_formula_compute_fn compute;
    cv_formula_check_fn check;   /* may be NULL */
    cv_formula_render_fn render; /* may be NULL */
    cv_formula_hide_fn hide;     /* may be NULL */
};

/* ---- The catalogue ---------------------------------------------------------------------- */

/* The number of formulas, and formula i (0 <= i < count) in a fixed, documented order. */
int cv_formula_count(void);
const cv_formula *cv_formula_at(int i);
/* The formula of a dotted name, or NULL. */
const cv_formula *cv_formula_find(const char *name);
/* The index of an input by name, or -1. */
int cv_formula_input_index(const cv_formula *f, const char *name);
/* The index of the list input, or -1 when the formula has none. */
int cv_formula_list_index(const cv_formula *f);

/* ---- Scalar form ------------------------------------------------------------------------ */

/* Checks one input value against its domain; 0, or CV_ERR_DOMAIN with a message naming
   the input: "customers_retained must be > 0, got 0". */
int cv_formula_check_input(const cv_formula_input *in, double v, cv_error *err);

/* Reads the unit name s of a period input (cv_time_unit_parse, the one unit parser:
   "day", "week", "month", "year" and their plurals) into *x (the unit's number); 0, or
   CV_ERR_USAGE naming the input and the closest unit: "period: unknown unit 'mnth' (did
   you mean 'month'?; units: day, week, month, year)". */
int cv_formula_period(const cv_formula_input *in, const char *s, double *x, cv_error *err);

/* Evaluates f on inputs x[0..f->ninputs) (values for every input, defaults already put in
   for left-out optional ones; the list input's slot is ignored) and list[0..nlist).
   On success returns 0 and sets *out (the last step) and, when steps is not NULL,
   steps[0..f->nsteps). Fails with CV_ERR_DOMAIN (message naming the input) for values
   outside the domain, a list that is empty or too long, or a result that would not be
   finite: the result is never inf or nan. */
int cv_formula_eval(const cv_formula *f, const double *x, const double *list, int nlist,
                    double *out, double *steps, cv_error *err);

/* ---- Explain form ----------------------------------------------------------------------- */

/* One shown step of an explanation. */
typedef struct cv_formula_line {
    const char *key;   /* the step's label key ("clv") */
    const char *expr;  /* the step's expression with {name} placeholders (for words) */
    char numeric[768]; /* the expression with the numbers substituted, each by its input's or
                          step's kind: "100.00 × 4 × 5" */
    char value[64];    /* the value formatted by the step's kind: "2,000.00", "27.5%" */
    double v;          /* the value itself (a fraction for percent steps) */
    cv_kind kind;      /* the step's kind */
    int percent;       /* 1: kind is a rate or a share, shown as a percentage */
} cv_formula_line;

/* Evaluates f as cv_formula_eval does and fills lines[0..*nlines) with the shown steps
   (hidden steps left out; at most CV_FORMULA_MAX_STEPS lines). 0 or an error. */
int cv_formula_explain(const cv_formula *f, const double *x, const double *list, int nlist,
                       cv_formula_line *lines, int *nlines, cv_error *err);

/* Formats a number for people: thousands separators, at most 2 decimals with trailing
   zeros dropped (2,000; 266.67; 0.1); a number below 1 in absolute value keeps up to 4
   significant digits instead (0.085, 0.007974). Halves round away from zero (218.125 ->
   218.13). Negative numbers start with '-'.
   Writes into buf (NUL-terminated, truncated to size); returns the full length. */
size_t cv_formula_format_number(double v, char *buf, size_t size);

/* Formats a value of an explanation by its kind, never hiding digits the next step uses:
     money   two decimals with separators (2,000.00; -83,223.80); a value below 1 that two
             decimals would change keeps its digits as cv_formula_format_number (0.005)
     rate, share  v × 100 as cv_formula_format_number, then "%" (10%, 0.7974%, 27.5%)
     count   a whole number with separators (100,000); a fractional count (an expected
             number of customers: 12.5) as cv_formula_format_number
     number, none  cv_formula_format_number
   Writes into buf (NUL-terminated, truncated to size); returns the full length. */
size_t cv_formula_format_value(double v, cv_kind kind, char *buf, size_t size);

/* ---- Column form ------------------------------------------------------------------------ */

/* Where an input's values come from: a numeric column of the table, or a constant. */
typedef struct cv_formula_arg {
    const char *col; /* a column name, or NULL for value */
    double value;
} cv_formula_arg;

/* A new table: t's columns plus a float column `out` (replacing a column of that name)
   holding f over every row. args[0..nargs) give the inputs in order; the list input (if
   any) takes args[i..nargs), one per list element, at least one. A missing value in any
   input gives a missing result for that row. Fails with CV_ERR_USAGE for an unknown
   column or a wrong number of args, CV_ERR_TYPE for a non-numeric column, CV_ERR_DOMAIN
   naming the row for a value outside a domain ("row 3: customers_retained must be > 0,
   got 0"), CV_ERR_NOMEM. Returns NULL with err set on failure. */
cv_table *cv_formula_apply(const cv_table *t, const cv_formula *f, const cv_formula_arg *args,
                           int nargs, const char *out, cv_error *err);

#endif
