/* cvkit random numbers for simulation: xoshiro256** (Blackman & Vigna) seeded through
   splitmix64, and the gamma, beta, exponential, normal and Poisson draws built on it.
   Only IEEE arithmetic, sqrt, log, exp and pow: the same stream on every machine. */
#include "cvkit/models.h"

#include <math.h>

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void cv_rng_seed(cv_rng *rng, uint64_t seed)
{
    int i;
    for (i = 0; i < 4; i++) { /* splitmix64 */
        uint64_t z = (seed += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        rng->s[i] = z ^ (z >> 31);
    }
}

uint64_t cv_rng_next(cv_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double cv_rng_uniform(cv_rng *rng)
{
    /* 53 random bits, shifted by half a step: never 0, never 1 */
    return ((double)(cv_rng_next(rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

double cv_rng_normal(cv_rng *rng)
{
    double u, v, s;
    do {
        u = 2.0 * cv_rng_uniform(rng) - 1.0;
        v = 2.0 * cv_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * log(s) / s);
}

double cv_rng_exp(cv_rng *rng)
{
    return -log(cv_rng_uniform(rng));
}

double cv_rng_gamma(cv_rng *rng, double shape)
{
    double d, c;
    if (shape < 1.0) /* boost: G(a) = G(a + 1) U^(1/a) */
        return cv_rng_gamma(rng, shape + 1.0) * pow(cv_rng_uniform(rng), 1.0 / shape);
    d = shape - 1.0 / 3.0;
    c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double z = cv_rng_normal(rng), v = 1.0 + c * z, u;
        if (v <= 0.0)
            continue;
        v = v * v * v;
        u = cv_rng_uniform(rng);
        if (u < 1.0 - 0.0331 * z * z * z * z)
            return d * v;
        if (log(u) < 0.5 * z * z + d * (1.0 - v + log(v)))
            return d * v;
    }
}

double cv_rng_beta(cv_rng *rng, double a, double b)
{
    double x = cv_rng_gamma(rng, a), y = cv_rng_gamma(rng, b);
    return x / (x + y);
}

double cv_rng_poisson(cv_rng *rng, double mean)
{
    double k = 0.0, t = 0.0;
    if (!(mean > 0.0))
        return 0.0;
    if (mean > 30.0) { /* split: a sum of Poisson variables is Poisson */
        double half = 0.5 * mean;
        return cv_rng_poisson(rng, half) + cv_rng_poisson(rng, mean - half);
    }
    for (;;) { /* count unit-rate arrivals before time mean */
        t += cv_rng_exp(rng);
        if (t > mean)
            return k;
        k += 1.0;
    }
}
