/* The three customers of the dyncov unit tests (test_dyncov_predict.c, test_dyncov_dtx.c):
   their repeat purchases, weekly covariate periods and the two coefficients' design (one
   covariate on the purchase and on the dropout process). Static: included by one test file
   each. Needs cvkit/dyncov.h and <string.h> first. */
#ifndef CVKIT_TEST_DYNCOV_FIXTURE_H
#define CVKIT_TEST_DYNCOV_FIXTURE_H

enum { N = 3, NP = 45 };
static const double X[N] = {0, 2, 5}, TX[N] = {0, 12.5, 30.25}, T[N] = {20, 31.5, 33.75};
static const size_t TBEG[N + 1] = {0, 0, 2, 7};
static const double TT[7] = {3, 12.5, 1.5, 4, 9, 20, 30.25};
static size_t PBEG[N + 1];
static double PS[N * NP], Z[N * NP];

/* customer i's weekly periods from -0.5 to 44.5 (past T, into the future), covariate
   z(k) = season(k) (five weeks on, five off) or 1 */
static cv_dyncov_data data(int constant)
{
    cv_dyncov_data d;
    size_t q = 0;
    for (int i = 0; i < N; i++) {
        PBEG[i] = q;
        for (int k = 0; k < NP; k++, q++)
            PS[q] = k - 0.5, Z[q] = constant ? 1.0 : (double)((k / 5) % 2);
    }
    PBEG[N] = q;
    memset(&d, 0, sizeof d);
    d.n = N, d.ncov = 1, d.x = X, d.t_x = TX, d.T = T, d.tbeg = TBEG, d.ttime = TT;
    d.pbeg = PBEG, d.pstart = PS, d.z = Z;
    return d;
}

static const unsigned PROC[2] = {CV_COV_TRANS, CV_COV_LIFE};
static const size_t COL[2] = {0, 0};

#endif
