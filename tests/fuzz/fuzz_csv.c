/* libFuzzer target: the CSV reader with options taken from the first two bytes (header,
   delimiter, encoding, date order, forgiving modes, decimal comma, lenient quotes), then every writer on
   the table read. Invariants: a read either fails with a message or gives a table whose
   columns all have nrows values; the written CSV reads back with the same shape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/csv.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {0, ',', ';', '\t', '|', CV_DELIM_WHITESPACE, 0, ','};
    cv_csv_options o;
    cv_csv_report rep;
    cv_error err;
    cv_table *t;
    if (size < 2)
        return 0;
    cv_csv_options_init(&o);
    o.header = (data[0] & 3) == 0 ? -1 : (data[0] & 3) == 1 ? 0 : 1;
    o.delim = delims[(data[0] >> 2) & 7];
    o.encoding = (cv_encoding)((data[0] >> 5) % 3);
    o.date_order = (cv_date_order)(data[1] % 3);
    o.skip_bad_rows = (data[1] >> 2) & 1;
    o.bad_as_missing = (data[1] >> 3) & 1;
    o.decimal_comma = (data[1] >> 4) & 1;
    o.threads = 1 + ((data[1] >> 5) & 1);
    o.lenient_quotes = (data[1] >> 6) & 1;
    memset(&rep, 0, sizeof rep);
    t = cv_csv_read_buffer("fuzz.csv", (const char *)data + 2, size - 2, &o, &rep, &err);
    if (!t) {
        if (err.msg[0] == '\0' || err.code == 0)
            abort(); /* a failure always says why */
        return 0;
    }
    for (int j = 0; j < t->ncols; j++)
        if (t->cols[j]->n != t->nrows)
            abort();
    for (int f = CV_FMT_CSV; f <= CV_FMT_MARKDOWN; f++) {
        size_t len = 0;
        char *s = cv_table_write_string(t, (cv_format)f, &len, &err);
        if (s && f == CV_FMT_CSV && t->ncols > 0) {
            /* the CSV we write reads back as the same number of rows and columns */
            cv_csv_options back;
            cv_table *u;
            cv_csv_options_init(&back);
            back.header = 1;
            back.delim = ',';
            back.encoding = CV_ENC_UTF8;
            u = cv_csv_read_buffer("back.csv", s, len, &back, NULL, &err);
            if (u && (u->nrows != t->nrows || u->ncols != t->ncols)) {
                fprintf(stderr, "round trip: %lld x %d became %lld x %d\n",
                        (long long)t->nrows, t->ncols, (long long)u->nrows, u->ncols);
                abort();
            }
            cv_table_free(u);
        }
        free(s);
    }
    cv_table_free(t);
    return 0;
}
