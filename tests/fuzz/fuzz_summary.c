/* libFuzzer target: the per-customer summary on a parsed table. The input after two option
   bytes is CSV text "customer,date,amount" (types given: the customer column int or
   string by the first byte); the options (unit, calibration and observation ends, merging,
   forgiving modes) come from the first two bytes. Invariants: a summary either fails with
   a message or has x = orders - 1 >= 0, 0 <= t_x <= T, revenue >= 0 unless negatives are
   allowed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/csv.h"
#include "cvkit/summary.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cv_csv_coltype types[3] = {{"customer", CV_INT64}, {"date", CV_DATE}, {"amount", CV_FLOAT64}};
    const char *names[3] = {"customer", "date", "amount"};
    cv_csv_options o;
    cv_summary_options so;
    cv_summary_report rep;
    cv_error err;
    cv_table *tx, *s;
    if (size < 2)
        return 0;
    if (data[0] & 1)
        types[0].type = CV_STRING;
    cv_csv_options_init(&o);
    o.header = 0;
    o.delim = ',';
    o.names = names;
    o.nnames = 3;
    o.types = types;
    o.ntypes = 3;
    o.bad_as_missing = (data[0] >> 1) & 1;
    tx = cv_csv_read_buffer("tx.csv", (const char *)data + 2, size - 2, &o, NULL, &err);
    if (!tx)
        return 0;
    memset(&so, 0, sizeof so);
    so.customer = "customer";
    so.date = "date";
    so.amount = "amount";
    so.unit = (cv_time_unit)((data[0] >> 2) & 3);
    so.split_same_day = (data[0] >> 4) & 1;
    so.skip_missing = (data[0] >> 5) & 1;
    so.allow_negative = (data[0] >> 6) & 1;
    so.calibration_end_set = (data[1] & 1);
    so.calibration_end = 9900 + (data[1] >> 1) * 3; /* around 1997 */
    so.observation_end_set = (data[1] >> 7) & 1;
    so.observation_end = so.calibration_end + 60;
    if (data[0] & 0x80) {
        so.margin_rate_set = 1;
        so.margin_rate = 0.25;
    }
    s = cv_summary_table(tx, &so, &rep, &err);
    if (!s) {
        if (err.msg[0] == '\0')
            abort();
        cv_table_free(tx);
        return 0;
    }
    cv_column *x = cv_table_col(s, "x", NULL), *orders = cv_table_col(s, "orders", NULL);
    cv_column *tx_ = cv_table_col(s, "t_x", NULL), *T = cv_table_col(s, "T", NULL);
    cv_column *rev = cv_table_col(s, "revenue", NULL);
    if (!x || !orders || !tx_ || !T || !rev)
        abort();
    for (int64_t i = 0; i < s->nrows; i++) {
        double t = cv_column_float(tx_, i), age = cv_column_float(T, i);
        if (cv_column_int(x, i) != cv_column_int(orders, i) - 1 || cv_column_int(x, i) < 0)
            abort();
        if (!(t >= 0 && t <= age + 1e-9) || !isfinite(age))
            abort();
        if (!so.allow_negative && !(cv_column_float(rev, i) >= 0))
            abort();
    }
    if (rep.customers != s->nrows)
        abort();
    cv_table_free(s);
    cv_table_free(tx);
    return 0;
}
