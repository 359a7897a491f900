/* Load benchmark: times cv_csv_read on a file, or (--floor) only reading its bytes with
   read() in 1 MiB blocks, the lower bound any loader has. Prints one line:
     load <seconds> <bytes> rows=<n> cols=<k> types=<t1,t2,...>
   Usage: bench_load [--floor] [--threads N] [--show N] FILE */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cvkit/csv.h"

/* Peak resident memory of this process so far, in KiB. */
static long maxrss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads the whole file in 1 MiB blocks and sums its newlines (so the read is not
   optimized away). 0 or -1. */
static int floor_read(const char *path, long long *bytes, long long *lines)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    static char buf[1 << 20];
    ssize_t n;
    *bytes = 0;
    *lines = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        *bytes += n;
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))) != NULL; p++)
            (*lines)++;
    }
    close(fd);
    return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    int floor = 0, threads = 0, show = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--floor") == 0)
            floor = 1;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--show") == 0 && i + 1 < argc)
            show = atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: bench_load [--floor] [--threads N] [--show N] FILE\n");
        return 2;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 3;
    }
    double t0 = now();
    if (floor) {
        long long bytes, lines;
        if (floor_read(path, &bytes, &lines) != 0) {
            perror(path);
            return 3;
        }
        printf("floor %.3f %lld lines=%lld maxrss_kb=%ld\n", now() - t0, bytes, lines,
               maxrss_kb());
        return 0;
    }
    cv_csv_options opt;
    memset(&opt, 0, sizeof opt);
    opt.header = -1;
    opt.threads = threads;
    cv_csv_report rep;
    cv_error err;
    cv_table *t = cv_csv_read(path, &opt, &rep, &err);
    double dt = now() - t0;
    if (!t) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code;
    }
    printf("load %.3f %lld rows=%lld cols=%d types=", dt, (long long)st.st_size,
           (long long)t->nrows, t->ncols);
    for (int j = 0; j < t->ncols; j++)
        printf("%s%s", j ? "," : "", cv_type_name(t->cols[j]->type));
    printf(" maxrss_kb=%ld\n", maxrss_kb());
    for (int64_t i = 0; i < show && i < t->nrows; i++) {
        for (int j = 0; j < t->ncols; j++) {
            const cv_column *c = t->cols[j];
            char buf[64];
            if (!cv_column_is_valid(c, i))
                snprintf(buf, sizeof buf, "NA");
            else if (c->type == CV_STRING)
                snprintf(buf, sizeof buf, "%s", cv_column_string(c, i, NULL));
            else if (c->type == CV_DATE)
                cv_format_date(cv_column_i32(c, i), buf);
            else
                snprintf(buf, sizeof buf, "%.17g", cv_column_number(c, i));
            printf("%s%s", j ? " | " : "", buf);
        }
        printf("\n");
    }
    cv_table_free(t);
    return 0;
}
