/* Writes a synthetic transactions CSV for the load benchmark: a header
   customer_id,date,amount and ROWS rows (default 10,000,000) with about ROWS/10
   customers (ids 100000..), dates 2020-01-01..2023-12-31 and amounts with 2 decimals.
   Deterministic for a given seed (splitmix64). Usage: gen [ROWS] [PATH|-] [SEED] */
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

int main(int argc, char **argv)
{
    long long rows = argc > 1 ? atoll(argv[1]) : 10000000LL;
    const char *path = argc > 2 ? argv[2] : "-";
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20240101ULL;
    if (rows < 0) {
        fprintf(stderr, "gen: ROWS must be >= 0\n");
        return 2;
    }
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!f) {
        perror(path);
        return 3;
    }
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    long long customers = rows / 10 > 0 ? rows / 10 : 1;
    int32_t day0 = cv_days_from_civil(2020, 1, 1), ndays = cv_days_from_civil(2024, 1, 1) - day0;
    fputs("customer_id,date,amount\n", f);
    for (long long i = 0; i < rows; i++) {
        uint64_t a = next_u64(), b = next_u64();
        long long id = 100000 + (long long)(a % (uint64_t)customers);
        char date[16];
        cv_format_date(day0 + (int32_t)((a >> 32) % (uint64_t)ndays), date);
        /* amounts 1.00 .. ~999.99, skewed towards small values */
        uint64_t cents = 100 + (b % 9900) * ((b >> 20) % 10 + 1);
        fprintf(f, "%lld,%s,%llu.%02llu\n", id, date, (unsigned long long)(cents / 100),
                (unsigned long long)(cents % 100));
    }
    if (fflush(f) != 0 || (f != stdout && fclose(f) != 0)) {
        perror(path);
        return 3;
    }
    return 0;
}
