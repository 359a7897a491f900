/* Internals shared by the table operation files (table_cast.c, table_select.c, table_sort.c,
   table_hash.c, table_group.c, table_group_fast.c, table_join.c, table_describe.c): small
   inline helpers, the row-hashing structures, and the functions one job lends another. */
#ifndef CVKIT_TABLE_INT_H
#define CVKIT_TABLE_INT_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/table.h"

#define NOMEM(err) cv_error_set((err), CV_ERR_NOMEM, "out of memory")

/* malloc that never returns NULL for a zero size (so NULL always means out of memory). */
static inline void *xmalloc(size_t n)
{
    return cv_malloc(n ? n : 1);
}

static inline void *xcalloc(size_t n, size_t w)
{
    return cv_calloc(n ? n : 1, w ? w : 1);
}

/* 1 when value i of c is present: valid, and for floats not NaN (NaN counts as missing). */
static inline int present(const cv_column *c, int64_t i)
{
    if (!cv_column_is_valid(c, i))
        return 0;
    return c->type != CV_FLOAT64 || !isnan(cv_column_float(c, i));
}

static inline int is_numeric(cv_type t)
{
    return t == CV_INT64 || t == CV_FLOAT64 || t == CV_BOOL;
}

/* Value i as a double, without the validity check (cv_column_number, inlined). */
static inline double numv(const cv_column *c, int64_t i)
{
    switch (c->type) {
    case CV_FLOAT64:
        return ((const double *)c->data)[i];
    case CV_INT64:
    case CV_DATETIME:
        return (double)((const int64_t *)c->data)[i];
    case CV_DATE:
        return (double)((const int32_t *)c->data)[i];
    case CV_BOOL:
        return ((const uint8_t *)c->data)[i];
    default:
        return NAN;
    }
}

/* splitmix64's finalizer: a bijection on 64-bit words with good avalanche. */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Neumaier-compensated accumulation of x into (s, comp). */
static inline void sum_add(double *s, double *comp, double x)
{
    double a = *s, t = a + x;
    double big = fabs(a) >= fabs(x) ? a : x, small = fabs(a) >= fabs(x) ? x : a;
    *comp += (big - t) + small; /* selects, not branches: the order of sizes is random */
    *s = t;
}

/* ---- Casts (table_cast.c) ------------------------------------------------------------------ */

/* Parses a date with an optional time of day in any ISO form cv_parse_date takes; sets
   *days and *secs (seconds since 1970-01-01 00:00:00) and *has_time. 0, or -1. */
int cv_tbl_parse_datetime(const char *s, size_t len, int64_t *days, int64_t *secs, int *has_time);

/* ---- Selecting rows (table_select.c) ------------------------------------------------------- */

/* A table with every column of t shared (no copy); NULL with err set. */
cv_table *cv_tbl_share(const cv_table *t, cv_error *err);

/* cv_table_take without checking idx (every idx[k] in -1 .. nrows-1); NULL with err set. */
cv_table *cv_tbl_take_rows(const cv_table *t, const int64_t *idx, int64_t n, cv_error *err);

/* Byte order of two strings (memcmp, then the shorter first): -1, 0 or 1. */
int cv_tbl_bytes_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* ---- Order-preserving keys and sorting (table_sort.c) -------------------------------------- */

/* An unsigned key whose order is the value's order: for present values of c only.
   Floats: -0 is 0 (NaN never gets here). Strings need ranks (cv_tbl_string_ranks). */
static inline uint64_t order_key(const cv_column *c, int64_t i, const uint32_t *rank)
{
    switch (c->type) {
    case CV_INT64:
    case CV_DATETIME:
        return (uint64_t)cv_column_int(c, i) ^ 0x8000000000000000ULL;
    case CV_DATE:
        return (uint64_t)(int64_t)cv_column_i32(c, i) ^ 0x8000000000000000ULL;
    case CV_BOOL:
        return cv_column_bool(c, i);
    case CV_STRING:
        return rank[cv_column_i32(c, i)];
    case CV_FLOAT64: {
        double x = cv_column_float(c, i);
        uint64_t u;
        if (x == 0)
            x = 0;
        memcpy(&u, &x, 8);
        return (u >> 63) ? ~u : u | 0x8000000000000000ULL;
    }
    }
    return 0;
}

/* rank[code] = position of the code's string in byte order. Caller frees; NULL when out of
   memory. */
uint32_t *cv_tbl_string_ranks(const cv_strdict *d);

/* The number of distinct values among v[0..m), sorting v (tmp: scratch of m words). */
int64_t cv_tbl_distinct_u64(uint64_t *v, uint64_t *tmp, int64_t m);

/* Sorts doubles (no NaN) ascending. */
void cv_tbl_sort_doubles(double *x, int64_t n);

/* ---- Hashing rows on key columns (table_hash.c) -------------------------------------------- */

/* Canonical 64-bit words of key values, per key column, so that equal keys have equal
   words: ints and dates as themselves, string codes (mapped into one dictionary), floats
   by bit pattern with -0 as 0, numbers compared across int and float as doubles. */
typedef struct keyset {
    int nk;
    int64_t n;
    uint64_t **k;   /* nk arrays of n words */
    uint64_t *miss; /* per row, bit j set when key j is missing; NULL when none is */
} keyset;

typedef enum key_mode { KEY_NATIVE, KEY_DOUBLE, KEY_REMAP } key_mode;

/* An open-addressing table from key hashes to group ids, each group remembering its first
   row (in the build keyset) for the equality check. When there is one key and the row is
   not missing, the hash (a bijection of the word) alone decides equality. This is the
   general path (several keys that do not pack into one word); see wmap for the fast one. */
typedef struct hslot {
    uint64_t h;
    int64_t g; /* -1 empty */
} hslot;

typedef struct htab {
    hslot *s;
    uint64_t mask;
    int64_t ng, gcap;
    int64_t *first;
} htab;

/* A map from 64-bit words to dense ids 0, 1, ... in order of first insertion: an array
   indexed by w - lo when the words span a small range (ids, codes, dates, packed keys),
   else an open-addressing table holding the words themselves (no verification needed). */
typedef struct wmap {
    uint64_t lo, span;
    int64_t *map; /* direct when not NULL */
    hslot *s;
    uint64_t mask;
    int64_t n;
} wmap;

/* A key column of one side, with string codes mapped into the other side's dictionary. */
typedef struct keydesc {
    const cv_column *c;
    const int32_t *remap;
    int as_double; /* int compared with float: both sides as doubles */
} keydesc;

/* How several keys pack into one word: offsets from lo in mixed radix, each key with one
   more value for missing. */
typedef struct packing {
    int nk;
    int64_t lo[64];
    uint64_t span[64], mult[64];
    uint64_t total; /* the number of distinct words */
    int single_float; /* one key compared as a double */
} packing;

/* A keyset of nk keys over n rows (keys filled by cv_tbl_keyset_col); 0 or -1 (memory).
   cv_tbl_keyset_free releases it (also a zeroed or half-filled one). */
int cv_tbl_keyset_init(keyset *ks, int nk, int64_t n);
void cv_tbl_keyset_free(keyset *ks);
/* Fills key j from column c (see table_hash.c for the modes). 0 or -1 (memory). */
int cv_tbl_keyset_col(keyset *ks, int j, const cv_column *c, key_mode mode, const int32_t *remap);

/* An empty htab sized for expect groups; 0 or -1 (memory). */
int cv_tbl_htab_init(htab *ht, int64_t expect);
void cv_tbl_htab_free(htab *ht);
/* The group of row i of q among the rows of the build keyset b; adds a new group when add
   is set. The group, -1 when absent (add not set), -2 on memory. */
int64_t cv_tbl_htab_get(htab *ht, const keyset *b, const keyset *q, int64_t i, int add);

/* Doubles a table of slots keyed by h (re-probing with hash(h)). 0 or -1. */
int cv_tbl_slots_grow(hslot **sp, uint64_t *maskp, int rehash);

/* An empty wmap for words lo .. lo + span - 1 over about nrows rows; 0 or -1 (memory). */
int cv_tbl_wmap_init(wmap *m, uint64_t lo, uint64_t span, int64_t nrows);
void cv_tbl_wmap_free(wmap *m);

/* The id of w; a new one when add is set. The id, -1 when absent, -2 out of memory. */
static inline int64_t wmap_get(wmap *m, uint64_t w, int add)
{
    if (m->map) {
        uint64_t k = w - m->lo;
        if (k >= m->span)
            return -1; /* only a probe can fall outside: the range covers every build word */
        int64_t g = m->map[k];
        if (g >= 0 || !add)
            return g;
        return m->map[k] = m->n++;
    }
    uint64_t p = mix64(w) & m->mask;
    for (;;) {
        hslot *sl = &m->s[p];
        if (sl->g < 0)
            break;
        if (sl->h == w)
            return sl->g;
        p = (p + 1) & m->mask;
    }
    if (!add)
        return -1;
    m->s[p].h = w;
    m->s[p].g = m->n++;
    if ((uint64_t)m->n * 2 > m->mask && cv_tbl_slots_grow(&m->s, &m->mask, 1) != 0)
        return -2;
    return m->n - 1;
}

/* Plans one word per row for keys kd[0..nk) of the sides given (nside 1 or 2, every side's
   keys in the same order). 0, or -1 when the keys cannot share one word. */
int cv_tbl_plan_packing(packing *pk, const keydesc *const *kd, const int64_t *nrows, int nside,
                        int nk);
/* Fills w[i] for the rows of one side, and miss[i] = 1 for rows with a missing key. */
void cv_tbl_make_words(const packing *pk, const keydesc *kd, int64_t n, int pack_missing,
                       uint64_t *w, uint8_t *miss);
/* Appends row to a growing array of first rows. 0 or -1. */
int cv_tbl_push_first(int64_t **first, int64_t *cap, int64_t ng, int64_t row);

/* ---- Group-by (table_group.c) -------------------------------------------------------------- */

/* Sets bit g of a column's validity to missing (the column has n == cap == ng). */
static inline int mark_missing(cv_column *c, int64_t g)
{
    return cv_column_set_missing(c, g);
}

/* The name of an aggregate function ("count", "sum", ...); "?" when unknown. */
const char *cv_tbl_agg_name(cv_agg_fn fn);
/* A new column of ng values of type `type`, all 0 and present; NULL when out of memory. */
cv_column *cv_tbl_agg_column(const char *name, cv_type type, int64_t ng);
/* Float sums o[0..ng) of the values of c: when every value of c has at most 2 or 4
   decimals, each sum is rounded to the decimal sum of the values as written (dtoa.h), so 12
   prices give 911.07, not 911.0699999999999. Nothing for other columns. */
void cv_tbl_sum_decimals(const cv_column *c, double *o, int64_t ng);

/* ---- Group-by on one int-like key: the fast path (table_group_fast.c) ---------------------- */

/* 1 when the fast path can compute group_by(t, {k}, aggs), else 0. */
int cv_tbl_gb_applies(const cv_table *t, const cv_column *k, const cv_agg *aggs, int naggs);
/* group_by(t, {k->name}, aggs) by the fast path (cv_tbl_gb_applies holds), bit for bit what
   the general path computes; NULL with err set. */
cv_table *cv_tbl_group_fast(const cv_table *t, cv_column *k, const cv_agg *aggs, int naggs,
                            cv_error *err);

#endif
