/* cvkit tables: hashing rows on key columns, for group-by and join: keysets and their hash
   table of groups (the general path), and one-word keys with their map to dense ids (the fast
   one). The structures are in table_int.h. */
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "table_int.h"

#include <math.h>
#include <string.h>

/* ---- Hashing rows on key columns (group-by, join) ------------------------------------------- */

void cv_tbl_keyset_free(keyset *ks)
{
    if (ks->k)
        for (int j = 0; j < ks->nk; j++)
            cv_free(ks->k[j]);
    cv_free(ks->k);
    cv_free(ks->miss);
    memset(ks, 0, sizeof *ks);
}

int cv_tbl_keyset_init(keyset *ks, int nk, int64_t n)
{
    memset(ks, 0, sizeof *ks);
    ks->nk = nk;
    ks->n = n;
    ks->k = cv_calloc((size_t)nk, sizeof *ks->k);
    return ks->k ? 0 : -1;
}

static int keyset_mark(keyset *ks, int j, int64_t i)
{
    if (!ks->miss && !(ks->miss = xcalloc((size_t)ks->n, sizeof *ks->miss)))
        return -1;
    ks->miss[i] |= 1ULL << j;
    ks->k[j][i] = 0;
    return 0;
}

/* Fills key j from column c. KEY_DOUBLE turns numbers into doubles; KEY_REMAP maps
   string codes through remap (a code mapped to -1 becomes missing). 0 or -1 (memory). */
int cv_tbl_keyset_col(keyset *ks, int j, const cv_column *c, key_mode mode, const int32_t *remap)
{
    int64_t n = ks->n;
    uint64_t *k = ks->k[j] = xmalloc((size_t)n * sizeof *k);
    if (!k)
        return -1;
    if (mode == KEY_DOUBLE || c->type == CV_FLOAT64) {
        for (int64_t i = 0; i < n; i++) {
            double x = c->type == CV_FLOAT64 ? cv_column_float(c, i) : cv_column_number(c, i);
            if (x == 0)
                x = 0; /* -0 == 0 */
            memcpy(&k[i], &x, 8);
        }
    } else {
        switch (cv_type_size(c->type)) {
        case 8:
            if (n > 0)
                memcpy(k, c->data, (size_t)n * 8);
            break;
        case 4: {
            const int32_t *x = c->data;
            if (mode == KEY_REMAP)
                for (int64_t i = 0; i < n; i++)
                    k[i] = (uint64_t)(int64_t)remap[x[i]];
            else
                for (int64_t i = 0; i < n; i++)
                    k[i] = (uint64_t)(int64_t)x[i];
            break;
        }
        default: {
            const uint8_t *x = c->data;
            for (int64_t i = 0; i < n; i++)
                k[i] = x[i];
            break;
        }
        }
    }
    if (!c->valid && mode != KEY_REMAP && mode != KEY_DOUBLE && c->type != CV_FLOAT64)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        int gone =
            !cv_column_is_valid(c, i) ||
            ((mode == KEY_DOUBLE || c->type == CV_FLOAT64) && isnan(cv_column_number(c, i))) ||
            (mode == KEY_REMAP && (int64_t)k[i] < 0);
        if (gone && keyset_mark(ks, j, i) != 0)
            return -1;
    }
    return 0;
}

static inline uint64_t keyset_hash(const keyset *ks, int64_t i)
{
    uint64_t h = mix64(ks->k[0][i]);
    for (int j = 1; j < ks->nk; j++)
        h = mix64(h ^ (ks->k[j][i] + 0x9e3779b97f4a7c15ULL * (uint64_t)j));
    if (ks->miss && ks->miss[i]) /* so a row without missing keys hashes the same anywhere */
        h = mix64(h ^ (ks->miss[i] * 0xd6e8feb86659fd93ULL));
    return h;
}

static inline int keyset_eq(const keyset *a, int64_t i, const keyset *b, int64_t j)
{
    uint64_t ma = a->miss ? a->miss[i] : 0, mb = b->miss ? b->miss[j] : 0;
    if (ma != mb)
        return 0;
    for (int q = 0; q < a->nk; q++)
        if (a->k[q][i] != b->k[q][j])
            return 0;
    return 1;
}

static int slots_alloc(hslot **s, uint64_t cap)
{
    if (!(*s = xmalloc(cap * sizeof **s)))
        return -1;
    for (uint64_t k = 0; k < cap; k++)
        (*s)[k].g = -1;
    return 0;
}

int cv_tbl_htab_init(htab *ht, int64_t expect)
{
    uint64_t cap = 1024;
    while (cap < (uint64_t)expect * 2)
        cap *= 2;
    memset(ht, 0, sizeof *ht);
    ht->gcap = 1024;
    ht->first = xmalloc((size_t)ht->gcap * sizeof *ht->first);
    if (!ht->first || slots_alloc(&ht->s, cap) != 0)
        return -1;
    ht->mask = cap - 1;
    return 0;
}

void cv_tbl_htab_free(htab *ht)
{
    cv_free(ht->s);
    cv_free(ht->first);
}

/* Doubles a table of slots keyed by h (re-probing with hash(h)). 0 or -1. */
int cv_tbl_slots_grow(hslot **sp, uint64_t *maskp, int rehash)
{
    uint64_t cap = (*maskp + 1) * 2, mask = cap - 1;
    hslot *s, *old = *sp;
    if (slots_alloc(&s, cap) != 0)
        return -1;
    for (uint64_t k = 0; k <= *maskp; k++) {
        if (old[k].g < 0)
            continue;
        uint64_t p = (rehash ? mix64(old[k].h) : old[k].h) & mask;
        while (s[p].g >= 0)
            p = (p + 1) & mask;
        s[p] = old[k];
    }
    cv_free(old);
    *sp = s;
    *maskp = mask;
    return 0;
}

static int64_t htab_new_group(htab *ht, int64_t row)
{
    if (ht->ng == ht->gcap) {
        int64_t cap = ht->gcap * 2;
        int64_t *f = cv_realloc(ht->first, (size_t)cap * sizeof *f);
        if (!f)
            return -2;
        ht->first = f;
        ht->gcap = cap;
    }
    ht->first[ht->ng] = row;
    return ht->ng++;
}

/* The group of row i of q (looked up among the rows of the build keyset b); adds a new
   group when add is set. Returns the group, -1 when absent (add not set), -2 on memory. */
int64_t cv_tbl_htab_get(htab *ht, const keyset *b, const keyset *q, int64_t i, int add)
{
    uint64_t h = keyset_hash(q, i), p = h & ht->mask;
    int exact = q->nk == 1 && !(q->miss && q->miss[i]);
    for (;;) {
        hslot *sl = &ht->s[p];
        if (sl->g < 0)
            break;
        if (sl->h == h && (exact || keyset_eq(q, i, b, ht->first[sl->g])))
            return sl->g;
        p = (p + 1) & ht->mask;
    }
    if (!add)
        return -1;
    int64_t g = htab_new_group(ht, i);
    if (g < 0)
        return g;
    ht->s[p].h = h;
    ht->s[p].g = g;
    if ((uint64_t)ht->ng * 2 > ht->mask && cv_tbl_slots_grow(&ht->s, &ht->mask, 0) != 0)
        return -2;
    return g;
}

/* ---- One-word keys (the fast path of group-by and join) ------------------------------------ */

int cv_tbl_wmap_init(wmap *m, uint64_t lo, uint64_t span, int64_t nrows)
{
    memset(m, 0, sizeof *m);
    if (span > 0 && span <= (1ULL << 28) && (span <= 65536 || span <= 2 * (uint64_t)nrows)) {
        m->lo = lo;
        m->span = span;
        if (!(m->map = xmalloc(span * sizeof *m->map)))
            return -1;
        memset(m->map, 0xff, span * sizeof *m->map);
        return 0;
    }
    m->mask = 1023;
    return slots_alloc(&m->s, 1024);
}

void cv_tbl_wmap_free(wmap *m)
{
    cv_free(m->map);
    cv_free(m->s);
}

/* The integer of value i of an int-like key (int, datetime, date, bool, string code);
   0 when it is missing (or a string the other side does not have), else 1. */
static inline int key_int(const keydesc *k, int64_t i, int64_t *v)
{
    const cv_column *c = k->c;
    if (!cv_column_is_valid(c, i))
        return 0;
    switch (c->type) {
    case CV_INT64:
    case CV_DATETIME:
        *v = cv_column_int(c, i);
        return 1;
    case CV_DATE:
        *v = cv_column_i32(c, i);
        return 1;
    case CV_BOOL:
        *v = cv_column_bool(c, i);
        return 1;
    case CV_STRING: {
        int32_t code = cv_column_i32(c, i);
        if (k->remap && (code = k->remap[code]) < 0)
            return 0;
        *v = code;
        return 1;
    }
    default:
        return 0;
    }
}

static int key_is_float(const keydesc *k)
{
    return k->as_double || k->c->type == CV_FLOAT64;
}

/* The word of value i of a float (or as-double) key: its bits with -0 as 0; 0 when missing
   (NaN included), else 1. */
static inline int key_float(const keydesc *k, int64_t i, uint64_t *w)
{
    double x = cv_column_number(k->c, i);
    if (isnan(x))
        return 0;
    if (x == 0)
        x = 0;
    memcpy(w, &x, 8);
    return 1;
}

/* Widens [*lo, *hi] to cover the present values of an int-like key. */
static void key_range(const keydesc *k, int64_t n, int64_t *lo, int64_t *hi)
{
    for (int64_t i = 0; i < n; i++) {
        int64_t v;
        if (key_int(k, i, &v)) {
            *lo = v < *lo ? v : *lo;
            *hi = v > *hi ? v : *hi;
        }
    }
}

/* Plans one word per row for keys kd[0..nk) of the sides given (nside 1 or 2, every side's
   keys in the same order). 0, or -1 when the keys cannot share one word. */
int cv_tbl_plan_packing(packing *pk, const keydesc *const *kd, const int64_t *nrows, int nside,
                        int nk)
{
    memset(pk, 0, sizeof *pk);
    pk->nk = nk;
    if (nk == 1 && key_is_float(&kd[0][0])) {
        pk->single_float = 1;
        pk->total = UINT64_MAX;
        return 0;
    }
    uint64_t total = 1;
    for (int j = nk - 1; j >= 0; j--) {
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (int sd = 0; sd < nside; sd++) {
            if (key_is_float(&kd[sd][j]))
                return -1;
            key_range(&kd[sd][j], nrows[sd], &lo, &hi);
        }
        if (lo > hi)
            lo = hi = 0; /* no value present */
        uint64_t span = (uint64_t)hi - (uint64_t)lo;
        if (span >= UINT64_MAX - 1 && nk == 1) { /* a full-range single key: hashed as is */
            pk->lo[0] = lo;
            pk->mult[0] = 1;
            pk->total = UINT64_MAX;
            return 0;
        }
        if (span >= UINT64_MAX - 1)
            return -1;
        span += nk == 1 ? 1 : 2; /* a single key keeps missing aside */
        pk->lo[j] = lo;
        pk->span[j] = span;
        pk->mult[j] = total;
        if (__builtin_mul_overflow(total, span, &total))
            return -1;
    }
    pk->total = total;
    return 0;
}

/* Fills w[i] for the rows of one side, and miss[i] = 1 for rows with a missing key
   (with several keys in group-by, missing is packed as a value of its own and
   pack_missing leaves miss at 0). */
void cv_tbl_make_words(const packing *pk, const keydesc *kd, int64_t n, int pack_missing,
                       uint64_t *w, uint8_t *miss)
{
    if (pk->single_float) {
        for (int64_t i = 0; i < n; i++) {
            miss[i] = !key_float(&kd[0], i, &w[i]);
            if (miss[i])
                w[i] = 0;
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        uint64_t acc = 0;
        int m = 0;
        for (int j = 0; j < pk->nk; j++) {
            int64_t v;
            if (key_int(&kd[j], i, &v))
                acc += ((uint64_t)v - (uint64_t)pk->lo[j]) * pk->mult[j];
            else if (pack_missing && pk->nk > 1)
                acc += (pk->span[j] - 1) * pk->mult[j];
            else
                m = 1;
        }
        w[i] = acc;
        miss[i] = (uint8_t)m;
    }
}

/* Appends row to a growing array of first rows. 0 or -1. */
int cv_tbl_push_first(int64_t **first, int64_t *cap, int64_t ng, int64_t row)
{
    if (ng == *cap) {
        int64_t c = *cap ? *cap * 2 : 1024;
        int64_t *f = cv_realloc(*first, (size_t)c * sizeof *f);
        if (!f)
            return -1;
        *first = f;
        *cap = c;
    }
    (*first)[ng] = row;
    return 0;
}
