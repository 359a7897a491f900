/* Writes a synthetic transactions CSV for the benchmarks: a header customer_id,date,amount
   and ROWS rows (default 10,000,000), in date order, from a customer base that behaves as
   real ones do, so that the models fitted on its summary have an interior optimum:
   - customers are acquired uniformly over 2020-01-01 .. 2022-12-31 (the calibration period
     of the models benchmark; 2023 is its holdout), ids 100000, 100001, ... in order of
     acquisition;
   - each buys at a rate λ ~ Gamma(r = 0.55, α = 4.0) per week, and after each purchase
     drops out with probability p ~ Beta(a = 0.6, b = 7.0) (the BG/NBD story: heterogeneous
     rates and dropout), until 2023-12-31;
   - each has a mean spend drawn as in the Gamma-Gamma model (p = 6, q = 4, γ = 50: about
     $100 a purchase on average, skewed), amounts in cents, at least 1.00.
   Customers are drawn until ROWS transactions exist (about ROWS/10 customers with these
   parameters; the last customer may be cut short). Deterministic for a given seed
   (splitmix64). Memory: 12 bytes a row, to write the rows in date order.
   Usage: gen [ROWS] [PATH|-] [SEED]; prints the number of customers on stderr. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/parse.h"

static uint64_t rng_state;

static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform on (0, 1), never 0 or 1. */
static double uniform(void)
{
    return ((double)(next_u64() >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
    return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

/* Gamma(shape, rate 1) by Marsaglia and Tsang (2000); shape < 1 through the boost
   U^(1/shape). */
static double gamma1(double shape)
{
    if (shape < 1)
        return gamma1(shape + 1) * pow(uniform(), 1 / shape);
    double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double z = normal(), v = 1 + c * z;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = uniform();
        if (log(u) < 0.5 * z * z + d - d * v + d * log(v))
            return d * v;
    }
}

/* One transaction: its day, its customer (index from 0), its amount in cents. */
typedef struct {
    int32_t day;
    uint32_t customer;
    uint32_t cents;
} row;

int main(int argc, char **argv)
{
    long long rows = argc > 1 ? atoll(argv[1]) : 10000000LL;
    const char *path = argc > 2 ? argv[2] : "-";
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20240101ULL;
    if (rows < 0 || rows > 2000000000LL) {
        fprintf(stderr, "gen: ROWS must be in 0 .. 2000000000\n");
        return 2;
    }
    const double r = 0.55, alpha = 4.0, a = 0.6, b = 7.0, p = 6, q = 4, gam = 50;
    const int32_t day0 = cv_days_from_civil(2020, 1, 1),
                  acquired = cv_days_from_civil(2023, 1, 1) - day0,
                  ndays = cv_days_from_civil(2024, 1, 1) - day0;
    row *tx = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *tx);
    size_t *start = calloc((size_t)ndays + 1, sizeof *start);
    row *sorted = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *sorted);
    if (!tx || !start || !sorted) {
        fprintf(stderr, "gen: out of memory\n");
        return 3;
    }
    long long n = 0;
    uint32_t customers = 0;
    while (n < rows) {
        double lambda = gamma1(r) / alpha / 7; /* per day */
        double ga = gamma1(a), dropout = ga / (ga + gamma1(b));
        double nu = gamma1(q) / gam, t = (double)(int32_t)(uniform() * acquired);
        for (;;) { /* the first purchase, then repeats until dropout or the end */
            double cents = 100 * gamma1(p) / nu;
            tx[n].day = (int32_t)t;
            tx[n].customer = customers;
            tx[n].cents = cents < 100 ? 100 : cents > 4e9 ? 4000000000u : (uint32_t)cents;
            if (++n == rows || uniform() < dropout)
                break;
            t += -log(uniform()) / lambda;
            if (t >= ndays)
                break;
        }
        customers++;
    }
    for (long long i = 0; i < n; i++) /* counting sort by day, stable */
        start[tx[i].day + 1]++;
    for (int32_t d = 0; d < ndays; d++)
        start[d + 1] += start[d];
    for (long long i = 0; i < n; i++)
        sorted[start[tx[i].day]++] = tx[i];
    free(tx);
    free(start);

    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!f) {
        perror(path);
        return 3;
    }
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("customer_id,date,amount\n", f);
    char date[16];
    int32_t last = -1;
    for (long long i = 0; i < n; i++) {
        const row *x = &sorted[i];
        if (x->day != last)
            cv_format_date(day0 + (last = x->day), date);
        fprintf(f, "%u,%s,%u.%02u\n", 100000u + x->customer, date, x->cents / 100,
                x->cents % 100);
    }
    free(sorted);
    if (fflush(f) != 0 || (f != stdout && fclose(f) != 0)) {
        perror(path);
        return 3;
    }
    fprintf(stderr, "gen: %lld rows, %u customers\n", n, customers);
    return 0;
}
