/* cvkit "did you mean": closeness of a misspelt name to the names that exist (see
   include/cvkit/suggest.h). */
#include "cvkit/suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cvkit/mem.h"

/* The optimal string alignment distance of a[0..la) and b[0..lb), case ignored; rows
   are allocated (names are short; a failed allocation counts as "not close"). */
static int distance(const char *a, size_t la, const char *b, size_t lb)
{
    int *rows = cv_malloc(3 * (lb + 1) * sizeof *rows);
    if (!rows)
        return -1;
    int *prev2 = rows, *prev = rows + lb + 1, *cur = rows + 2 * (lb + 1);
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int ai = tolower((unsigned char)a[i - 1]);
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int bj = tolower((unsigned char)b[j - 1]);
            int d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (prev[j - 1] + (ai != bj) < d)
                d = prev[j - 1] + (ai != bj);
            if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == bj && prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
        }
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    int d = prev[lb];
    cv_free(rows);
    return d;
}

/* 1 when the first n letters of a and b agree, case ignored. */
static int same_start(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (tolower((unsigned char)a[k]) != tolower((unsigned char)b[k]))
            return 0;
    return 1;
}

int cv_suggest_score(const char *word, const char *candidate)
{
    size_t lw = strlen(word), lc = strlen(candidate);
    int limit = (int)(lw / 3) > 1 ? (int)(lw / 3) : 1;
    size_t gap = lw > lc ? lw - lc : lc - lw;
    int d = gap > (size_t)limit ? limit + 1 : distance(word, lw, candidate, lc);
    if (d < 0)
        return -1;
    if (d > limit && lw >= 3 && same_start(word, candidate, lw < lc ? lw : lc))
        d = limit;
    return d <= limit ? d : -1;
}

int cv_suggest(const char *word, const char *const *cands, int n)
{
    int best = -1, best_d = 0;
    for (int i = 0; i < n; i++) {
        int d = cv_suggest_score(word, cands[i]);
        if (d >= 0 && (best < 0 || d < best_d)) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

int cv_suggest_names(const char *word, const char *const *cands, int n, int max, char *buf,
                     size_t size)
{
    int best_d = -1, count = 0;
    size_t len = 0;
    if (size > 0)
        buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        int d = cv_suggest_score(word, cands[i]);
        if (d >= 0 && (best_d < 0 || d < best_d))
            best_d = d;
    }
    for (int i = 0; i < n && best_d >= 0 && count < max; i++) {
        if (cv_suggest_score(word, cands[i]) != best_d)
            continue;
        if (len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s'%s'", count ? " or " : "", cands[i]);
        count++;
    }
    return count;
}
