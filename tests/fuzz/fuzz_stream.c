/* libFuzzer target: the streamed summary's fast reader (src/core/summary_fast.c) against the
   general streamed path. After two option bytes the input is the rows of a file whose header
   the first byte picks (customer, date, amount in one of four orders); the file is summarized
   twice by cv_summary_csv: with the default reading options (the fast reader when the file is
   plain) and with the missing-value texts given as their defaults (the same reading, by the
   general path). Invariant: both fail with the same message, or both give the same table,
   compared as the CSV text cv_table_write_string makes of it (the shortest round-trip form of
   each double, so equal text means equal values). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvkit/csv.h"
#include "cvkit/mem.h"
#include "cvkit/summary.h"
#include "fuzz_common.h"

static char path[64];
static int fd = -1;

/* The table as CSV text (freed with cv_free), or NULL when t is NULL. */
static char *text_of(const cv_table *t)
{
    cv_error err;
    size_t len;
    return t ? cv_table_write_string(t, CV_FMT_CSV, &len, &err) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *heads[4] = {"customer,date,amount\n", "date,customer,amount\n",
                                   "amount,date,customer\n", "customer,amount,date\n"};
    static const char *na[3] = {"", "NA", "NULL"};
    if (size < 2)
        return 0;
    if (fd < 0) {
        strcpy(path, "/tmp/cvkit_fuzz_stream_XXXXXX");
        if ((fd = mkstemp(path)) < 0)
            abort();
    }
    const char *h = heads[data[0] & 3];
    if (ftruncate(fd, 0) != 0 || pwrite(fd, h, strlen(h), 0) != (ssize_t)strlen(h) ||
        pwrite(fd, data + 2, size - 2, (off_t)strlen(h)) != (ssize_t)(size - 2))
        abort();

    cv_summary_options so;
    memset(&so, 0, sizeof so);
    so.customer = "customer";
    so.date = "date";
    so.amount = "amount";
    so.unit = (cv_time_unit)((data[0] >> 2) & 3);
    so.skip_missing = (data[0] >> 4) & 1;
    so.allow_negative = (data[0] >> 5) & 1;
    so.calibration_end_set = data[1] & 1;
    so.calibration_end = 9900 + (data[1] >> 1) * 3; /* around 1997 */
    so.observation_end_set = (data[1] >> 7) & 1;
    so.observation_end = so.calibration_end + 60;

    cv_csv_options plain, general;
    cv_csv_options_init(&plain);
    cv_csv_options_init(&general);
    general.na = na;
    general.nna = 3;
    cv_error e1, e2;
    memset(&e1, 0, sizeof e1);
    memset(&e2, 0, sizeof e2);
    cv_table *a = cv_summary_csv(path, &plain, &so, NULL, &e1);
    cv_table *b = cv_summary_csv(path, &general, &so, NULL, &e2);
    if (!a != !b)
        abort(); /* one path read what the other refused */
    if (!a) {
        if (e1.msg[0] == '\0' || strcmp(e1.msg, e2.msg) != 0)
            abort();
        return 0;
    }
    char *ta = text_of(a), *tb = text_of(b);
    if (!ta || !tb || strcmp(ta, tb) != 0)
        abort(); /* (out of memory would say so: the fuzz runs have room) */
    cv_free(ta);
    cv_free(tb);
    cv_table_free(a);
    cv_table_free(b);
    return 0;
}
