/* libFuzzer target: ClickHouse's text protocol (include/cvkit/sql_ch.h). The input is a
   response body: read whole and fed one byte at a time, the two must agree (both fail, or
   both give the same shape with columns of one length); the error-message reader and the
   parameter binder take it too (the binder's output keeps every byte outside the
   placeholders, so it is never shorter than the input minus the placeholders' digits). */
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/sql_ch.h"
#include "fuzz_common.h"

static cv_table *read_in(const uint8_t *data, size_t size, size_t step)
{
    cv_error err;
    cv_ch_reader *r = cv_ch_reader_new();
    if (!r)
        return NULL;
    int rc = 0;
    for (size_t a = 0; a < size && rc == 0; a += step)
        rc = cv_ch_reader_feed(r, (const char *)data + a, a + step <= size ? step : size - a,
                               &err);
    cv_table *t = rc == 0 ? cv_ch_reader_finish(r, &err) : NULL;
    cv_ch_reader_free(r);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cv_table *whole = read_in(data, size, size ? size : 1);
    cv_table *bytes = read_in(data, size, 1);
    if ((whole == NULL) != (bytes == NULL))
        abort();
    if (whole) {
        if (whole->ncols != bytes->ncols || whole->nrows != bytes->nrows)
            abort();
        for (int k = 0; k < whole->ncols; k++)
            if (whole->cols[k]->n != whole->nrows || whole->cols[k]->type != bytes->cols[k]->type)
                abort();
    }
    cv_table_free(whole);
    cv_table_free(bytes);

    char buf[256];
    int code;
    long pos;
    cv_ch_error_message((const char *)data, size, buf, sizeof buf, &code, &pos);
    if (strlen(buf) >= sizeof buf)
        abort();

    char *sql = malloc(size + 1);
    if (!sql)
        return 0;
    memcpy(sql, data, size);
    sql[size] = '\0';
    cv_sql_param p[3] = {{.kind = CV_SQLP_TEXT, .s = "o'k\\"},
                         {.kind = CV_SQLP_INT, .i = -1},
                         {.kind = CV_SQLP_NULL}};
    cv_error err;
    char *b = cv_ch_bind(sql, p, 3, &err);
    cv_free(b);
    free(sql);
    return 0;
}
