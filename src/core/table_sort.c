/* cvkit tables: sorting. cv_table_order and cv_table_sort (a stable LSD radix sort on
   order-preserving keys, string codes ranked by their bytes), and the sorts of words and
   doubles that group-by and describe use. */
#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "table_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- Order-preserving keys (sort, min/max) ------------------------------------------------- */

typedef struct str_rank_item {
    const char *s;
    size_t len;
    int32_t code;
} str_rank_item;

static int str_rank_cmp(const void *a, const void *b)
{
    const str_rank_item *x = a, *y = b;
    return cv_tbl_bytes_cmp(x->s, x->len, y->s, y->len);
}

/* rank[code] = position of the code's string in byte order (equal strings cannot occur in
   one dictionary). Caller frees; NULL when out of memory. */
uint32_t *cv_tbl_string_ranks(const cv_strdict *d)
{
    int32_t n = cv_strdict_size(d);
    str_rank_item *items = xmalloc((size_t)n * sizeof *items);
    uint32_t *rank = xmalloc((size_t)n * sizeof *rank);
    if (!items || !rank) {
        cv_free(items);
        cv_free(rank);
        return NULL;
    }
    for (int32_t k = 0; k < n; k++) {
        items[k].s = cv_strdict_get(d, k, &items[k].len);
        items[k].code = k;
    }
    qsort(items, (size_t)n, sizeof *items, str_rank_cmp);
    for (int32_t k = 0; k < n; k++)
        rank[items[k].code] = (uint32_t)k;
    cv_free(items);
    return rank;
}

/* ---- Sort ------------------------------------------------------------------------------------ */

/* Stable LSD radix sort of (key, idx) pairs by key, 8 bits at a time, skipping the bytes in
   which every key agrees. The result is in (*key, *idx); the other buffers are scratch. */
static void radix_sort(uint64_t **key, int64_t **idx, uint64_t **key2, int64_t **idx2, int64_t m)
{
    if (m < 2)
        return;
    int64_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    uint64_t *k = *key;
    for (int64_t i = 0; i < m; i++) {
        uint64_t x = k[i];
        for (int b = 0; b < 8; b++)
            cnt[b][(x >> (8 * b)) & 0xff]++;
    }
    for (int b = 0; b < 8; b++) {
        int64_t *c = cnt[b];
        if (c[(k[0] >> (8 * b)) & 0xff] == m)
            continue; /* all keys share this byte */
        int64_t sum = 0;
        for (int v = 0; v < 256; v++) {
            int64_t t = c[v];
            c[v] = sum;
            sum += t;
        }
        uint64_t *src = *key, *dst = *key2;
        int64_t *isrc = *idx, *idst = *idx2;
        int sh = 8 * b;
        for (int64_t i = 0; i < m; i++) {
            uint64_t x = src[i];
            int64_t p = c[(x >> sh) & 0xff]++;
            dst[p] = x;
            idst[p] = isrc[i];
        }
        *key2 = src;
        *key = dst;
        *idx2 = isrc;
        *idx = idst;
        k = *key;
    }
}

int64_t *cv_table_order(const cv_table *t, const cv_sort_key *keys, int nkeys, cv_error *err)
{
    int64_t n = t->nrows;
    cv_column **cols = xmalloc((size_t)(nkeys > 0 ? nkeys : 1) * sizeof *cols);
    if (!cols) {
        NOMEM(err);
        return NULL;
    }
    for (int j = 0; j < nkeys; j++)
        if (!(cols[j] = cv_table_col(t, keys[j].col, err))) {
            cv_free(cols);
            return NULL;
        }
    int64_t *perm = xmalloc((size_t)n * sizeof *perm), *perm2 = xmalloc((size_t)n * sizeof *perm2);
    int64_t *miss = xmalloc((size_t)n * sizeof *miss);
    uint64_t *key = xmalloc((size_t)n * sizeof *key), *key2 = xmalloc((size_t)n * sizeof *key2);
    if (!perm || !perm2 || !miss || !key || !key2)
        goto nomem;
    for (int64_t i = 0; i < n; i++)
        perm[i] = i;
    /* Least significant key first; each pass is stable, so earlier keys win. */
    for (int j = nkeys - 1; j >= 0; j--) {
        const cv_column *c = cols[j];
        uint32_t *rank = NULL;
        if (c->type == CV_STRING && !(rank = cv_tbl_string_ranks(c->dict)))
            goto nomem;
        int64_t m = 0, nm = 0;
        uint64_t lo = UINT64_MAX, hi = 0;
        for (int64_t i = 0; i < n; i++) {
            int64_t r = perm[i];
            if (present(c, r)) {
                uint64_t x = order_key(c, r, rank);
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
                key[m] = x;
                perm2[m++] = r;
            } else {
                miss[nm++] = r;
            }
        }
        cv_free(rank);
        /* Shift keys to start at 0 (fewer radix passes); descending flips them. */
        if (keys[j].desc)
            for (int64_t i = 0; i < m; i++)
                key[i] = hi - key[i];
        else
            for (int64_t i = 0; i < m; i++)
                key[i] -= lo;
        uint64_t *kk = key, *kk2 = key2;
        int64_t *pp = perm2, *pp2 = perm;
        radix_sort(&kk, &pp, &kk2, &pp2, m);
        if (pp != perm)
            memcpy(perm, pp, (size_t)m * sizeof *perm);
        memcpy(perm + m, miss, (size_t)nm * sizeof *perm);
        if (kk != key) { /* keep the named buffers pointing at distinct storage */
            key2 = key;
            key = kk;
        }
    }
    cv_free(perm2);
    cv_free(miss);
    cv_free(key);
    cv_free(key2);
    cv_free(cols);
    return perm;
nomem:
    cv_free(perm);
    cv_free(perm2);
    cv_free(miss);
    cv_free(key);
    cv_free(key2);
    cv_free(cols);
    NOMEM(err);
    return NULL;
}

cv_table *cv_table_sort(const cv_table *t, const cv_sort_key *keys, int nkeys, cv_error *err)
{
    int64_t *perm = cv_table_order(t, keys, nkeys, err);
    if (!perm)
        return NULL;
    if (cv_cancel_check(err)) { /* between ordering and copying */
        cv_free(perm);
        return NULL;
    }
    cv_table *r = cv_tbl_take_rows(t, perm, t->nrows, err);
    cv_free(perm);
    return r;
}

/* ---- Sorting words and doubles (group-by, describe) ------------------------------------------ */

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Stable LSD radix sort of a[0..n) (tmp has room for n), skipping uniform bytes. */
static void radix_u64(uint64_t *a, uint64_t *tmp, int64_t n)
{
    int64_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    for (int64_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            cnt[b][(a[i] >> (8 * b)) & 0xff]++;
    uint64_t *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        int64_t *c = cnt[b];
        if (c[(src[0] >> (8 * b)) & 0xff] == n)
            continue;
        int64_t sum = 0;
        for (int v = 0; v < 256; v++) {
            int64_t t = c[v];
            c[v] = sum;
            sum += t;
        }
        for (int64_t i = 0; i < n; i++)
            dst[c[(src[i] >> (8 * b)) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, (size_t)n * sizeof *a);
}

/* The number of distinct values among v[0..m), sorting v (insertion sort for a few, else
   radix_u64 with tmp of m words). */
int64_t cv_tbl_distinct_u64(uint64_t *v, uint64_t *tmp, int64_t m)
{
    if (m <= 32) {
        for (int64_t i = 1; i < m; i++) {
            uint64_t x = v[i];
            int64_t j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
    } else {
        radix_u64(v, tmp, m);
    }
    int64_t d = m > 0;
    for (int64_t i = 1; i < m; i++)
        d += v[i] != v[i - 1];
    return d;
}

/* Sorts doubles (no NaN) ascending: insertion sort when short, else a radix sort on
   order-preserving bit patterns (qsort if there is no memory for it). */
void cv_tbl_sort_doubles(double *x, int64_t n)
{
    if (n > 64) {
        uint64_t *tmp = cv_malloc((size_t)n * sizeof *tmp), *u = (uint64_t *)(void *)x;
        if (tmp) {
            for (int64_t i = 0; i < n; i++) {
                uint64_t b;
                memcpy(&b, &x[i], 8);
                u[i] = (b >> 63) ? ~b : b | 0x8000000000000000ULL;
            }
            radix_u64(u, tmp, n);
            for (int64_t i = 0; i < n; i++) {
                uint64_t b = u[i];
                b = (b >> 63) ? b & 0x7fffffffffffffffULL : ~b;
                memcpy(&x[i], &b, 8);
            }
            cv_free(tmp);
            return;
        }
    }
    if (n <= 64) {
        for (int64_t i = 1; i < n; i++) {
            double v = x[i];
            int64_t j = i;
            while (j > 0 && x[j - 1] > v) {
                x[j] = x[j - 1];
                j--;
            }
            x[j] = v;
        }
    } else {
        qsort(x, (size_t)n, sizeof *x, dbl_cmp);
    }
}
