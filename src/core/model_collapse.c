/* cvkit models, collapsing (model_int.h): identical customers as one weighted distinct row,
   by a radix of per-column codes or by hashing, sorted by (x, t_x, T, m); the index of each
   customer's row; the distinct rows by any key (a covariate pattern with x, t_x, T, m) with
   each customer's row; the sBG's rows from survivor counts. */
#include "cvkit/mem.h"
#include "cvkit/models.h"
#include "cvkit/threads.h"
#include "model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Rows -------------------------------------------------------------------------------- */

/* A row: its key (x, t_x, T, m) and its weight. */
typedef struct {
    double k[4];
    double w;
} row5;

/* Orders two keys of n numbers: the first that differ decide (the one order of rows here and
   in cv_model_rows_distinct). */
static int keys_cmp(const double *a, const double *b, int n)
{
    for (int c = 0; c < n; c++)
        if (a[c] != b[c])
            return a[c] < b[c] ? -1 : 1;
    return 0;
}

/* Orders rows of one x by (t_x, T, m). */
static int row_cmp_rest(const void *va, const void *vb)
{
    return keys_cmp(((const row5 *)va)->k + 1, ((const row5 *)vb)->k + 1, 3);
}

/* Orders rows by (x, t_x, T, m). */
static int row_cmp(const void *va, const void *vb)
{
    return keys_cmp(((const row5 *)va)->k, ((const row5 *)vb)->k, 4);
}

/* Allocates the columns of out for n rows (the ones has says exist, w always). */
static int rows_alloc(cv_model_rows *out, size_t n, int hx, int htx, int hT, int hm)
{
    double *blk = cv_malloc(sizeof(double) * 5 * (n ? n : 1));
    memset(out, 0, sizeof *out);
    if (!blk)
        return -1;
    out->w = blk;
    out->x = hx ? blk + n : NULL;
    out->t_x = htx ? blk + 2 * n : NULL;
    out->T = hT ? blk + 3 * n : NULL;
    out->m = hm ? blk + 4 * n : NULL;
    return 0;
}

static void rows_view(cv_model_rows *out, size_t n)
{
    out->data.n = n;
    out->data.x = out->x;
    out->data.t_x = out->t_x;
    out->data.T = out->T;
    out->data.m = out->m;
    out->data.w = out->w;
}

static uint64_t row_hash(const row5 *r)
{
    /* one multiply per key word, then one splitmix64 finalizer */
    uint64_t h = cv_model_key_bits(r->k[0]) * 0x9E3779B97F4A7C15ULL ^
                 cv_model_key_bits(r->k[1]) * 0xC2B2AE3D27D4EB4FULL ^
                 cv_model_key_bits(r->k[2]) * 0x165667B19E3779F9ULL ^
                 cv_model_key_bits(r->k[3]) * 0xD6E8FEB86659FD93ULL;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

/* Sorts u[0..k) by (x, t_x, T, m): when every x is a whole number in [0, 2^20), a counting
   sort by x and a sort of each x's rows by the rest (smaller sorts); else one qsort. */
static int rows_sort(row5 *u, size_t k)
{
    size_t i, maxx = 0, *start;
    row5 *tmp;
    for (i = 0; i < k; i++) {
        double x = u[i].k[0];
        if (!(x >= 0.0 && x < 1048576.0) || x != floor(x)) {
            qsort(u, k, sizeof(row5), row_cmp);
            return 0;
        }
        if ((size_t)x > maxx)
            maxx = (size_t)x;
    }
    start = cv_calloc(maxx + 2, sizeof *start);
    tmp = cv_malloc(sizeof(row5) * (k ? k : 1));
    if (!start || !tmp) {
        cv_free(start), cv_free(tmp);
        qsort(u, k, sizeof(row5), row_cmp);
        return 0;
    }
    for (i = 0; i < k; i++)
        start[(size_t)u[i].k[0] + 1]++;
    for (i = 1; i <= maxx + 1; i++)
        start[i] += start[i - 1];
    for (i = 0; i < k; i++)
        tmp[start[(size_t)u[i].k[0]]++] = u[i];
    /* start[v] is now the end of x = v's rows */
    for (i = 0; i <= maxx; i++) {
        size_t lo = i ? start[i - 1] : 0;
        if (start[i] > lo + 1)
            qsort(tmp + lo, start[i] - lo, sizeof(row5), row_cmp_rest);
    }
    memcpy(u, tmp, sizeof(row5) * k);
    cv_free(start), cv_free(tmp);
    return 0;
}

static int row_same(const row5 *a, const row5 *b)
{
    return cv_model_key_bits(a->k[0]) == cv_model_key_bits(b->k[0]) &&
           cv_model_key_bits(a->k[1]) == cv_model_key_bits(b->k[1]) &&
           cv_model_key_bits(a->k[2]) == cv_model_key_bits(b->k[2]) &&
           cv_model_key_bits(a->k[3]) == cv_model_key_bits(b->k[3]);
}

/* One part of a collapse: the distinct rows among in's rows whose hash has top bit `part`
   (every row when parts == 1), weights summed, sorted by (x, t_x, T, m). */
typedef struct {
    const cv_model_data *in;
    int part, parts;
    row5 *u; /* the part's distinct rows */
    size_t k;
    int rc; /* 0, or -1 out of memory */
} collapse_part;

static row5 row_at(const cv_model_data *in, size_t i)
{
    row5 r;
    r.k[0] = in->x ? in->x[i] : 0.0;
    r.k[1] = in->t_x ? in->t_x[i] : 0.0;
    r.k[2] = in->T ? in->T[i] : 0.0;
    r.k[3] = in->m ? in->m[i] : 0.0;
    r.w = in->w ? in->w[i] : 1.0;
    return r;
}

static void collapse_parts(void *v, size_t lo, size_t hi)
{
    collapse_part *cp = v;
    for (size_t j = lo; j < hi; j++) {
        collapse_part *c = &cp[j];
        const cv_model_data *in = c->in;
        size_t cap = 16, have = 1024, mask, i;
        uint32_t *slot;
        while (cap < 2 * in->n / (size_t)c->parts + 2)
            cap <<= 1;
        mask = cap - 1;
        slot = cv_calloc(cap, sizeof(uint32_t)); /* 0 = empty, else index + 1 */
        c->u = cv_malloc(sizeof(row5) * have);
        c->k = 0;
        c->rc = !slot || !c->u ? -1 : 0;
        for (i = 0; i < in->n && c->rc == 0; i++) {
            row5 r = row_at(in, i);
            uint64_t hv = row_hash(&r);
            size_t h;
            if (c->parts > 1 && (int)(hv >> 63) != c->part)
                continue;
            for (h = (size_t)hv & mask;; h = (h + 1) & mask) {
                if (slot[h] == 0) {
                    if (c->k == have) {
                        row5 *g = cv_realloc(c->u, sizeof(row5) * (have *= 2));
                        if (!g) {
                            c->rc = -1;
                            break;
                        }
                        c->u = g;
                    }
                    c->u[c->k] = r;
                    slot[h] = (uint32_t)(++c->k);
                    break;
                }
                if (row_same(&c->u[slot[h] - 1], &r)) {
                    c->u[slot[h] - 1].w += r.w;
                    break;
                }
            }
        }
        cv_free(slot);
        if (c->rc == 0)
            rows_sort(c->u, c->k);
    }
}

/* ---- Collapsing by codes ----------------------------------------------------------------- */

/* The distinct values of one column, ascending, and each row's rank among them. */
typedef struct {
    double *val;    /* k distinct values (zero as +0.0) */
    uint32_t *code; /* n: the rank of the row's value */
    size_t k;
} col_codes;

typedef struct {
    double v;
    uint32_t id;
} val_id;

static int val_id_cmp(const void *va, const void *vb)
{
    const val_id *a = va, *b = vb;
    return a->v < b->v ? -1 : a->v > b->v;
}

/* MurmurHash3's finalizer: every bit of u moves the low bits (whole numbers leave the low
   mantissa bits zero) */
static uint64_t fmix64(uint64_t u)
{
    u ^= u >> 33;
    u *= 0xFF51AFD7ED558CCDULL;
    u ^= u >> 33;
    u *= 0xC4CEB9FE1A85EC53ULL;
    return u ^ (u >> 33);
}

static void col_codes_free(col_codes *c)
{
    cv_free(c->val), cv_free(c->code);
    c->val = NULL, c->code = NULL;
}

/* Sorts s[0..k) by value (finite, no -0.0) by a radix sort of the values' bits, turned so
   that unsigned order is numeric order: 0, or -1 out of memory (s untouched). */
static int radix_vals(val_id *s, size_t k)
{
    val_id *t = cv_malloc(sizeof *t * k), *from = s, *to = t;
    uint64_t *u = cv_malloc(sizeof *u * k), *u2 = cv_malloc(sizeof *u2 * k);
    size_t cnt[2048], i, j;
    int shift;
    if (!t || !u || !u2) {
        cv_free(t), cv_free(u), cv_free(u2);
        return -1;
    }
    for (i = 0; i < k; i++) {
        uint64_t b = cv_model_key_bits(s[i].v);
        u[i] = b >> 63 ? ~b : b | 0x8000000000000000ULL;
    }
    for (shift = 0; shift < 64; shift += 11) { /* six passes: the result ends in s */
        size_t sum = 0;
        uint64_t *tu;
        val_id *ts;
        memset(cnt, 0, sizeof cnt);
        for (i = 0; i < k; i++)
            cnt[(u[i] >> shift) & 2047]++;
        for (j = 0; j < 2048; j++) {
            size_t c = cnt[j];
            cnt[j] = sum, sum += c;
        }
        for (i = 0; i < k; i++) {
            size_t d = cnt[(u[i] >> shift) & 2047]++;
            u2[d] = u[i], to[d] = from[i];
        }
        tu = u, u = u2, u2 = tu;
        ts = from, from = to, to = ts;
    }
    cv_free(t), cv_free(u), cv_free(u2);
    return 0;
}

/* A slot of col_code's hash table: the value's bits beside its id, so that a probe reads
   one cache line (a table of 479,025 spends does not stay in cache: looking the bits up in
   the value array by the id was a second miss a row). */
typedef struct {
    uint64_t u;
    uint32_t e; /* 0 empty, else id + 1 */
} code_slot;

/* Codes column v (n rows) into c: a hash of the values (first-seen ids), then the distinct
   values sorted and the ids replaced by ranks. 0; 1 for a value that is not finite (the
   caller collapses the plain way); -1 out of memory. */
static int col_code(const double *v, size_t n, col_codes *c)
{
    size_t cap = 256, have = 256, i, j;
    code_slot *slot = cv_calloc(cap, sizeof *slot);
    uint32_t *rank = NULL;
    val_id *s = NULL;
    int rc = -1;
    c->k = 0;
    c->val = cv_malloc(sizeof(double) * have);
    c->code = cv_malloc(sizeof(uint32_t) * (n ? n : 1));
    if (!slot || !c->val || !c->code)
        goto done;
    for (i = 0; i < n; i++) {
        double y = v[i] == 0.0 ? 0.0 : v[i];
        uint64_t u = cv_model_key_bits(y), h;
        if (!isfinite(y)) {
            rc = 1;
            goto done;
        }
        if (2 * c->k >= cap) { /* half full: double the table, re-insert the values */
            code_slot *g = cv_calloc(cap * 2, sizeof *g);
            if (!g)
                goto done;
            for (j = 0; j < cap; j++) {
                if (slot[j].e == 0)
                    continue;
                for (h = fmix64(slot[j].u);; h++)
                    if (g[h & (2 * cap - 1)].e == 0)
                        break;
                g[h & (2 * cap - 1)] = slot[j];
            }
            cv_free(slot);
            slot = g, cap *= 2;
        }
        for (h = fmix64(u);; h++) {
            code_slot *e = &slot[h & (cap - 1)];
            if (e->e == 0) {
                if (c->k == have) {
                    double *g = cv_realloc(c->val, sizeof(double) * (have *= 2));
                    if (!g)
                        goto done;
                    c->val = g;
                }
                c->val[c->k] = y;
                e->u = u, e->e = (uint32_t)(++c->k);
                c->code[i] = (uint32_t)(c->k - 1);
                break;
            }
            if (e->u == u) {
                c->code[i] = e->e - 1;
                break;
            }
        }
    }
    s = cv_malloc(sizeof *s * (c->k ? c->k : 1));
    rank = cv_malloc(sizeof *rank * (c->k ? c->k : 1));
    if (!s || !rank)
        goto done;
    for (j = 0; j < c->k; j++)
        s[j].v = c->val[j], s[j].id = (uint32_t)j;
    if (c->k <= 4096 || radix_vals(s, c->k) != 0)
        qsort(s, c->k, sizeof *s, val_id_cmp);
    for (j = 0; j < c->k; j++)
        c->val[j] = s[j].v, rank[s[j].id] = (uint32_t)j;
    for (i = 0; i < n; i++)
        c->code[i] = rank[c->code[i]];
    rc = 0;
done:
    cv_free(slot), cv_free(s), cv_free(rank);
    if (rc != 0)
        col_codes_free(c);
    return rc;
}

/* col_code of one column each (none where v is NULL), for cv_par_for */
typedef struct {
    const double *v;
    size_t n;
    col_codes *c;
    int rc;
} col_job;

static void col_jobs(void *vj, size_t lo, size_t hi)
{
    col_job *j = vj;
    size_t i;
    for (i = lo; i < hi; i++)
        if (j[i].v)
            j[i].rc = col_code(j[i].v, j[i].n, j[i].c);
}

/* cv_model_collapse when every value is finite and the columns' ranks fit 64 bits together
   (each column the bits of its largest rank): the row's ranks packed into one key by shifts
   (x's most significant; a bit field each, so that the values come back by masks, not by
   divisions), the keys sorted by a stable radix sort (rows of one key keep their order, so
   the weights add up in the order of the plain collapse and to the same bits), then one pass
   over the runs of equal keys. The keys' order is the order of (x, t_x, T, m), as the plain
   collapse sorts. Keys of up to 32 bits (the common case: 202 frequencies, 1,096 ages and
   recencies take 30) are sorted with the row's index in their low half. Linear in the rows,
   with each column's table of distinct values small enough to stay in cache (ages and
   recencies repeat). 0; 1 not applicable (out untouched); -1 out of memory. */
/* the input row at sorted position q: in the key's low half (base 32) or in ord */
#define ROW_AT(q) (base ? (uint32_t)key[q] : ord[q])
static int collapse_coded(const cv_model_data *in, cv_model_rows *out, uint32_t *idx)
{
    const double *col[4] = {in->x, in->t_x, in->T, in->m};
    col_codes cc[4];
    uint64_t *key = NULL, *key2 = NULL;
    uint32_t *ord = NULL, *ord2 = NULL;
    size_t n = in->n, cnt[2048], i, j, k = 0;
    int c, rc = -1, nbits = 0, shift, base, bits[4] = {0, 0, 0, 0};
    col_job jobs[4];
    memset(cc, 0, sizeof cc);
    memset(out, 0, sizeof *out);
    for (c = 0; c < 4; c++)
        jobs[c].v = col[c], jobs[c].n = n, jobs[c].c = &cc[c], jobs[c].rc = 0;
    cv_par_for(4, n >= 100000 ? 2 : 5, col_jobs, jobs); /* columns on threads past 100,000 rows */
    for (c = 0; c < 4; c++) {
        if (!col[c])
            continue;
        if ((rc = jobs[c].rc) != 0)
            goto done;
        while (bits[c] < 32 && (cc[c].k - 1) >> bits[c])
            bits[c]++;
        nbits += bits[c];
    }
    rc = 1;
    if (nbits > 64)
        goto done;
    rc = -1;
    /* keys of up to 32 bits carry the row's index in their low half (ord unused): one
       array of 8 bytes to sort instead of 12 (the keys and the indices) */
    base = nbits <= 32 ? 32 : 0;
    key = cv_malloc(sizeof *key * (n ? n : 1)), key2 = cv_malloc(sizeof *key2 * (n ? n : 1));
    if (!base)
        ord = cv_malloc(sizeof *ord * (n ? n : 1)), ord2 = cv_malloc(sizeof *ord2 * (n ? n : 1));
    if (!key || !key2 || (!base && (!ord || !ord2)) ||
        rows_alloc(out, n, in->x != NULL, in->t_x != NULL, in->T != NULL, in->m != NULL))
        goto done;
    for (i = 0; i < n; i++) {
        uint64_t kv = 0;
        for (c = 0; c < 4; c++)
            if (col[c])
                kv = kv << bits[c] | cc[c].code[i];
        if (base)
            key[i] = kv << 32 | i;
        else
            key[i] = kv, ord[i] = (uint32_t)i;
    }
    for (shift = base; shift < base + nbits; shift += 11) { /* least significant 11 bits first */
        size_t sum = 0;
        memset(cnt, 0, sizeof cnt);
        for (i = 0; i < n; i++)
            cnt[(key[i] >> shift) & 2047]++;
        for (j = 0; j < 2048; j++) {
            size_t t = cnt[j];
            cnt[j] = sum, sum += t;
        }
        for (i = 0; i < n; i++) {
            size_t d = cnt[(key[i] >> shift) & 2047]++;
            key2[d] = key[i];
            if (!base)
                ord2[d] = ord[i];
        }
        {
            uint64_t *tk = key;
            uint32_t *to = ord;
            key = key2, key2 = tk, ord = ord2, ord2 = to;
        }
    }
    for (i = 0; i < n; i = j) {
        uint64_t kv = key[i] >> base;
        double w = in->w ? in->w[ROW_AT(i)] : 1.0;
        for (j = i + 1; j < n && key[j] >> base == kv; j++)
            w += in->w ? in->w[ROW_AT(j)] : 1.0;
        if (idx) {
            size_t q;
            for (q = i; q < j; q++)
                idx[ROW_AT(q)] = (uint32_t)k;
        }
        out->w[k] = w;
        for (c = 3; c >= 0; c--) {
            double *dst = c == 0 ? out->x : c == 1 ? out->t_x : c == 2 ? out->T : out->m;
            if (!col[c])
                continue;
            dst[k] = cc[c].val[kv & ((1ULL << bits[c]) - 1)];
            kv >>= bits[c];
        }
        k++;
    }
    rows_view(out, k);
    rc = 0;
done:
    if (rc < 0 && out->w)
        cv_model_rows_free(out);
    for (c = 0; c < 4; c++)
        col_codes_free(&cc[c]);
    cv_free(key), cv_free(key2), cv_free(ord), cv_free(ord2);
    return rc;
}

#undef ROW_AT

/* Hashes the rows into distinct ones (summing weights), then sorts only those: linear in
   the number of customers, n log n in the number of distinct rows. Past 100,000 rows, in
   two parts by the hash's top bit (on two threads when cv_threads() allows), merged at the
   end (distinct rows in the two parts differ, so the order is the same total order either
   way). */
int cv_model_collapse(const cv_model_data *in, cv_model_rows *out, cv_error *err)
{
    collapse_part cp[2];
    int parts = in->n >= 100000 ? 2 : 1, j;
    size_t i, a = 0, b = 0, k;
    if (in->n > 0 && in->n < UINT32_MAX) {
        int rc = collapse_coded(in, out, NULL);
        if (rc < 0)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows", in->n);
        if (rc == 0)
            return 0;
    }
    memset(cp, 0, sizeof cp);
    for (j = 0; j < parts; j++)
        cp[j].in = in, cp[j].part = j, cp[j].parts = parts;
    if (in->n >= UINT32_MAX ||
        rows_alloc(out, in->n, in->x != NULL, in->t_x != NULL, in->T != NULL, in->m != NULL))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows", in->n);
    cv_par_for((size_t)parts, 2, collapse_parts, cp);
    if (cp[0].rc || cp[1].rc) {
        cv_free(cp[0].u), cv_free(cp[1].u);
        cv_model_rows_free(out);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows", in->n);
    }
    k = cp[0].k + cp[1].k;
    for (i = 0; i < k; i++) { /* merge the two sorted parts */
        const row5 *r = b == cp[1].k || (a < cp[0].k && row_cmp(&cp[0].u[a], &cp[1].u[b]) < 0)
                            ? &cp[0].u[a++]
                            : &cp[1].u[b++];
        out->w[i] = r->w;
        if (out->x)
            out->x[i] = r->k[0];
        if (out->t_x)
            out->t_x[i] = r->k[1];
        if (out->T)
            out->T[i] = r->k[2];
        if (out->m)
            out->m[i] = r->k[3];
    }
    cv_free(cp[0].u), cv_free(cp[1].u);
    rows_view(out, k);
    return 0;
}

int cv_model_collapse_index(const cv_model_data *in, cv_model_rows *out, uint32_t *idx)
{
    memset(out, 0, sizeof *out);
    if (in->n == 0 || in->n >= UINT32_MAX)
        return 1;
    return collapse_coded(in, out, idx);
}

/* A customer's key for cv_model_rows_distinct. */
typedef struct {
    double k[CV_MODEL_MAXKEY];
    size_t i;
} keyed;

static int keyed_cmp(const void *va, const void *vb)
{
    const keyed *a = va, *b = vb;
    int c = keys_cmp(a->k, b->k, CV_MODEL_MAXKEY);
    if (c != 0)
        return c;
    return a->i < b->i ? -1 : a->i > b->i; /* the same order on every platform */
}

size_t cv_model_rows_distinct(size_t n, int nkey, const double *const *key, size_t *order,
                              size_t *row)
{
    keyed *ks = cv_malloc(sizeof(keyed) * (n ? n : 1));
    size_t i, k = 0;
    int c;
    if (!ks || nkey > CV_MODEL_MAXKEY) {
        cv_free(ks);
        return (size_t)-1;
    }
    for (i = 0; i < n; i++) {
        for (c = 0; c < CV_MODEL_MAXKEY; c++)
            ks[i].k[c] = c < nkey && key[c] ? key[c][i] : 0.0;
        ks[i].i = i;
    }
    qsort(ks, n, sizeof *ks, keyed_cmp);
    for (i = 0; i < n; i++) {
        if (i == 0 || keys_cmp(ks[i].k, ks[i - 1].k, CV_MODEL_MAXKEY) != 0)
            k++;
        order[i] = ks[i].i;
        row[ks[i].i] = k - 1;
    }
    cv_free(ks);
    return k;
}

void cv_model_rows_free(cv_model_rows *rows)
{
    if (rows) {
        cv_free(rows->w);
        memset(rows, 0, sizeof *rows);
    }
}

int cv_model_sbg_from_survivors(const double *s, size_t k, cv_model_rows *out, cv_error *err)
{
    size_t t;
    if (k < 2)
        return cv_error_set(err, CV_ERR_USAGE, "sbg needs survivor counts for at least 2 periods");
    for (t = 0; t < k; t++) {
        if (!(s[t] >= 0.0) || !isfinite(s[t]))
            return cv_error_set(err, CV_ERR_USAGE, "survivor count %zu (%g) is not a count", t + 1,
                                s[t]);
        if (t > 0 && s[t] > s[t - 1])
            return cv_error_set(err, CV_ERR_USAGE,
                                "survivor count %zu (%g) exceeds the one before (%g)", t + 1, s[t],
                                s[t - 1]);
    }
    if (rows_alloc(out, k, 1, 0, 1, 0))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    for (t = 1; t < k; t++) {
        out->x[t - 1] = (double)(t - 1); /* churned in period t after t - 1 renewals */
        out->T[t - 1] = (double)(k - 1);
        out->w[t - 1] = s[t - 1] - s[t];
    }
    out->x[k - 1] = (double)(k - 1); /* still active after k - 1 periods */
    out->T[k - 1] = (double)(k - 1);
    out->w[k - 1] = s[k - 1];
    rows_view(out, k);
    return 0;
}
