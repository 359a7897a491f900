/* cvkit column kinds: what a number means (money, a share, a count, a rate or a plain
   number), and the one formatter that shows a number by its kind. Kinds are display
   metadata only: written CSV and JSON keep every value's full precision. */
#ifndef CVKIT_KIND_H
#define CVKIT_KIND_H

#include <stddef.h>

typedef enum cv_kind {
    CV_KIND_NONE = 0, /* not known: shown from the values, as a plain column */
    CV_KIND_NUMBER,   /* a plain number */
    CV_KIND_MONEY,    /* 1,234,567.89 */
    CV_KIND_SHARE,    /* a fraction of a whole shown as a percentage: 0.21834 -> 21.83% */
    CV_KIND_COUNT,    /* a whole count: 100,000 */
    CV_KIND_RATE      /* a rate (discount, interest, churn) as a percentage: 0.1 -> 10% */
} cv_kind;

/* The Lua-visible name of a kind: "number", "money", "share", "count", "rate"; NULL for
   CV_KIND_NONE. */
const char *cv_kind_name(cv_kind k);
/* Parses a kind name; 0 and *out set, or -1 when the name is unknown. */
int cv_kind_parse(const char *name, cv_kind *out);

/* Formats v by its kind into buf (NUL-terminated, truncated to size); returns the length
   it would have had. Thousands separators "," and a decimal point in every language.
     money   `decimals` decimals (default 2):                 -83223.8 -> "-83,223.80"
     share   v × 100 with `decimals` decimals (default 2), "%": 0.21834 -> "21.83%"
     count   rounded to a whole number (decimals ignored):    100000 -> "100,000"
     rate    v × 100 with `decimals` decimals, or as many as it needs up to 2, "%":
             0.1 -> "10%", 0.0825 -> "8.25%"
     number, none  `decimals` decimals, or by default two decimals, four significant
             digits below 1, trailing zeros dropped (2,000; 266.67; 0.085), the form the
             formulas' explanations use (cv_formula_format_number)
   decimals < 0 means the kind's default. Halves round away from zero. NaN gives `na`
   (NULL: "na", the tables' missing marker), infinities "inf" and "-inf"; a value that
   rounds to zero never shows a minus sign. */
size_t cv_format_kind(double v, cv_kind kind, int decimals, const char *na, char *buf, size_t size);

#endif
