/* cvkit customer summary: folds transactions into per-customer accumulators (a hash map
   from customer id to a small fixed record) and turns them into the summary table.
   The same engine serves a loaded table (one batch) and a CSV stream (many batches). */
#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"
#include "cvkit/summary.h"

#include "cvkit/parse.h"
#include "summary_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---- Memory ------------------------------------------------------------------------- */

/* Allocates size bytes aligned to a cache line; a large block is aligned to 2 MiB and
   asks for transparent huge pages, since the per-customer arrays are probed at random
   and 4 KiB pages would make most probes a TLB miss. Free with cv_free(). */
static void *sm_alloc(size_t size)
{
    const size_t huge = (size_t)2 << 20;
    if (size >= 2 * huge) {
        size = (size + huge - 1) / huge * huge;
        void *p = cv_aligned_alloc(huge, size);
#ifdef MADV_HUGEPAGE
        if (p)
            madvise(p, size, MADV_HUGEPAGE);
#endif
        return p;
    }
    return cv_aligned_alloc(64, (size + 63) / 64 * 64);
}

/* ---- Accumulators and the customer map ----------------------------------------------- */

static uint32_t sm_hash64(int64_t k)
{
    uint64_t x = (uint64_t)k;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

static void sm_state_free(sm_state *s)
{
    for (int k = 0; k < 32; k++)
        cv_free(s->pages[k]);
    cv_free(s->im.slots);
    cv_free(s->dmap);
    cv_free(s->ids);
    cv_strdict_unref(s->sd);
    cv_strdict_unref(s->bdict);
    cv_free(s->bmap);
    cv_free(s->cidx);
    cv_free(s->blocks);
    cv_free(s->tmp);
}

/* Appends a new customer record; its index, or -1 when out of memory. */
static int32_t sm_new_customer(sm_state *s)
{
    if (s->n == s->cap) {
        if (s->cap > (INT32_MAX - SM_PAGE0) / 2)
            return -1;
        int32_t nc = s->cap ? s->cap * 2 + SM_PAGE0 : SM_PAGE0;
        int k = 31 - __builtin_clz(((uint32_t)s->cap >> SM_PAGE0_BITS) + 1);
        /* cache-line aligned, so that a record is one line */
        sm_acc *a = sm_alloc((size_t)(nc - s->cap) * sizeof *a);
        if (!a)
            return -1;
        s->pages[k] = a;
        if (s->id_type == CV_INT64) {
            int64_t *ids = cv_realloc(s->ids, (size_t)nc * sizeof *ids);
            if (!ids)
                return -1;
            s->ids = ids;
        }
        s->cap = nc;
    }
    sm_acc *a = sm_at(s, s->n);
    memset(a, 0, sizeof *a);
    a->first = INT32_MAX;
    a->last = INT32_MIN;
    a->prev = INT32_MIN;
    a->tail = -1;
    return s->n++;
}

static int sm_imap_grow(sm_imap *m)
{
    uint64_t ncap = m->mask ? ((uint64_t)m->mask + 1) * 2 : 4096;
    if (ncap > ((uint64_t)1 << 32))
        return -1;
    sm_slot *slots = sm_alloc((size_t)ncap * sizeof *slots);
    if (!slots)
        return -1;
    for (uint64_t i = 0; i < ncap; i++)
        slots[i].val = -1;
    uint32_t nmask = (uint32_t)(ncap - 1);
    if (m->mask) {
        for (uint64_t i = 0; i <= m->mask; i++) {
            if (m->slots[i].val < 0)
                continue;
            uint32_t h = sm_hash64(m->slots[i].key) & nmask;
            while (slots[h].val >= 0)
                h = (h + 1) & nmask;
            slots[h] = m->slots[i];
        }
    }
    cv_free(m->slots);
    m->slots = slots;
    m->mask = nmask;
    return 0;
}

/* The most ids the direct map may span with n customers: 32 bytes a customer (the hash
   map takes 32 to 64) beyond 16 MiB, which any n may use (ids are often numbered from
   the start of the shop, the first rows' customers spread over them). */
#define SM_DIRECT_SPAN(n) ((uint64_t)(n)*8 + ((uint64_t)1 << 22))

/* The customer index of int id k in the hash map, created when new; -1 when out of
   memory. */
static int32_t sm_find_hashed(sm_state *s, int64_t k, int32_t create)
{
    if ((s->im.mask == 0 || (uint64_t)s->n * 2 >= (uint64_t)s->im.mask + 1) &&
        sm_imap_grow(&s->im) < 0)
        return -1;
    uint32_t h = sm_hash64(k) & s->im.mask;
    while (s->im.slots[h].val >= 0) {
        if (s->im.slots[h].key == k)
            return s->im.slots[h].val;
        h = (h + 1) & s->im.mask;
    }
    int32_t idx = create >= 0 ? create : sm_new_customer(s);
    if (idx < 0)
        return -1;
    s->im.slots[h].key = k;
    s->im.slots[h].val = idx;
    return idx;
}

/* Leaves the direct map for the hash map (the ids no longer dense). 0 or -1 (memory). */
static int sm_direct_leave(sm_state *s)
{
    for (int32_t c = 0; c < s->n; c++)
        if (sm_find_hashed(s, s->ids[c], c) < 0)
            return -1;
    cv_free(s->dmap);
    s->dmap = NULL;
    s->dlen = 0;
    s->direct = 0;
    return 0;
}

/* Makes the direct map cover id k (k outside it), or leaves it when the span would be too
   wide. 0 or -1 (memory). */
static int sm_direct_cover(sm_state *s, int64_t k)
{
    uint64_t limit = SM_DIRECT_SPAN(s->n + 1);
    if (s->dlen == 0) { /* the first id: room above it */
        s->dbase = k;
        s->dlen = (uint64_t)1 << 16;
        if (s->dlen > (uint64_t)INT64_MAX - (uint64_t)k)
            return sm_direct_leave(s);
        s->dmap = cv_malloc(s->dlen * sizeof *s->dmap);
        if (!s->dmap)
            return -1;
        memset(s->dmap, 0xff, s->dlen * sizeof *s->dmap);
        return 0;
    }
    int64_t hi = s->dbase + (int64_t)(s->dlen - 1); /* the map never passes INT64_MAX */
    int64_t need_lo = k < s->dbase ? k : s->dbase, need_hi = k > hi ? k : hi;
    uint64_t span = (uint64_t)need_hi - (uint64_t)need_lo + 1;
    if (span == 0 || span > limit)
        return sm_direct_leave(s);
    uint64_t len = span * 2 < limit ? span * 2 : limit, slack = len - span;
    int64_t lo = need_lo;
    if (k < s->dbase) /* growing downwards: the room below */
        lo =
            (uint64_t)need_lo - (uint64_t)INT64_MIN >= slack ? need_lo - (int64_t)slack : INT64_MIN;
    if (len - 1 > (uint64_t)INT64_MAX - (uint64_t)lo) /* keep lo + len - 1 <= INT64_MAX */
        len = (uint64_t)INT64_MAX - (uint64_t)lo + 1;
    int32_t *m = cv_malloc(len * sizeof *m);
    if (!m)
        return -1;
    memset(m, 0xff, len * sizeof *m);
    memcpy(m + ((uint64_t)s->dbase - (uint64_t)lo), s->dmap, s->dlen * sizeof *m);
    cv_free(s->dmap);
    s->dmap = m;
    s->dbase = lo;
    s->dlen = len;
    return 0;
}

/* The customer index of int id k, created when new (only in the first pass); -1 when out
   of memory. */
static int32_t sm_find_int(sm_state *s, int64_t k)
{
    if (s->last_idx >= 0 && k == s->last_key)
        return s->last_idx;
    int32_t idx;
    if (s->direct) {
        uint64_t off = (uint64_t)k - (uint64_t)s->dbase;
        if (off >= s->dlen) {
            if (sm_direct_cover(s, k) < 0)
                return -1;
            if (!s->direct)
                goto hashed;
            off = (uint64_t)k - (uint64_t)s->dbase;
        }
        idx = s->dmap[off];
        if (idx < 0) {
            if ((idx = sm_new_customer(s)) < 0)
                return -1;
            s->dmap[off] = idx;
            s->ids[idx] = k;
        }
    } else {
    hashed:;
        int32_t n0 = s->n;
        if ((idx = sm_find_hashed(s, k, -1)) < 0)
            return -1;
        if (s->n > n0)
            s->ids[idx] = k;
    }
    s->last_key = k;
    return s->last_idx = idx;
}

/* Makes bmap cover the codes of dictionary d (a batch's), resetting it when d is another
   dictionary than last time. 0 or -1 when out of memory. */
static int sm_bind_dict(sm_state *s, cv_strdict *d)
{
    if (d != s->bdict) {
        cv_strdict_unref(s->bdict);
        s->bdict = cv_strdict_ref(d);
        s->blen = 0;
    }
    int32_t need = cv_strdict_size(d);
    if (need > s->bcap) {
        int32_t nc = s->bcap ? s->bcap : 1024;
        while (nc < need)
            nc *= 2;
        int32_t *m = cv_realloc(s->bmap, (size_t)nc * sizeof *m);
        if (!m)
            return -1;
        s->bmap = m;
        s->bcap = nc;
    }
    for (int32_t k = s->blen; k < need; k++)
        s->bmap[k] = -1;
    s->blen = need;
    return 0;
}

/* The customer index of batch string code c; -1 when out of memory. */
static int32_t sm_find_code(sm_state *s, int32_t c)
{
    int32_t idx = s->bmap[c];
    if (idx >= 0)
        return idx;
    size_t len;
    const char *str = cv_strdict_get(s->bdict, c, &len);
    int32_t before = cv_strdict_size(s->sd);
    idx = cv_strdict_intern(s->sd, str, len);
    if (idx < 0)
        return -1;
    if (idx == before && sm_new_customer(s) != idx)
        return -1;
    return s->bmap[c] = idx;
}

/* ---- The day log ---------------------------------------------------------------------- */

/* Same-day merging needs each customer's distinct days. When a customer's rows come in
   date order a running count does (a row is new when its day differs from the previous
   row's), and nothing is stored. Otherwise the days are kept here: blocks of 14 uint16
   offsets from log_base, chained backwards per customer (32 bytes a block). */
#define SM_BLOCK_DAYS 14
typedef struct sm_block {
    int32_t prev; /* the customer's previous block, -1 none */
    uint16_t d[SM_BLOCK_DAYS];
} sm_block;

/* Rows of pass 1 after which the log stops when no customer was out of order. */
#define SM_LOG_PROBE 65536

/* Appends day d as the count-th (0-based) logged day of customer record p. 0, or -1
   when out of memory or when d is too far from log_base to be stored. */
static int sm_log(sm_state *s, sm_acc *p, int32_t count, int32_t d)
{
    int64_t off = (int64_t)d - s->log_base;
    if (off < 0 || off > UINT16_MAX)
        return -1;
    int k = count % SM_BLOCK_DAYS;
    if (k == 0) {
        if (s->nblocks == s->capblocks) {
            if (s->capblocks >= INT32_MAX / 2)
                return -1;
            int32_t nc = s->capblocks ? s->capblocks * 2 : 4096;
            sm_block *b = sm_alloc((size_t)nc * sizeof *b);
            if (!b)
                return -1;
            if (s->nblocks)
                memcpy(b, s->blocks, (size_t)s->nblocks * sizeof *b);
            cv_free(s->blocks);
            s->blocks = b;
            s->capblocks = nc;
        }
        s->blocks[s->nblocks].prev = p->tail;
        p->tail = s->nblocks++;
    }
    s->blocks[p->tail].d[k] = (uint16_t)off;
    return 0;
}

/* Drops the log (all customers' chains). */
void cv_sm_log_clear(sm_state *s)
{
    cv_free(s->blocks);
    s->blocks = NULL;
    s->nblocks = s->capblocks = 0;
    for (int32_t c = 0; c < s->n; c++)
        sm_at(s, c)->tail = -1;
}

static int sm_cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Sorts d[0..n): insertion sort for the short runs most customers have. */
static void sm_sort_days(int32_t *d, int64_t n)
{
    if (n > 32) {
        qsort(d, (size_t)n, sizeof *d, sm_cmp_i32);
        return;
    }
    for (int64_t i = 1; i < n; i++) {
        int32_t v = d[i];
        int64_t j = i;
        for (; j > 0 && d[j - 1] > v; j--)
            d[j] = d[j - 1];
        d[j] = v;
    }
}

/* Recounts the transactions of each unsorted customer from its logged days (count of
   them: p->rows after a logged pass 1, p->n_cal after pass 2). 0 or -1 (memory). */
static int sm_log_recount(sm_state *s)
{
    for (int32_t c = 0; c < s->n; c++) {
        if (c + 8 < s->n && sm_at(s, c + 8)->tail >= 0)
            __builtin_prefetch(&s->blocks[sm_at(s, c + 8)->tail]);
        sm_acc *p = sm_at(s, c);
        if (!p->unsorted)
            continue;
        int64_t m = s->pass == 2 ? p->n_cal : p->rows;
        if (m > s->tmpcap) {
            int64_t nc = s->tmpcap ? s->tmpcap : 1024;
            while (nc < m)
                nc *= 2;
            int32_t *t = cv_realloc(s->tmp, (size_t)nc * sizeof *t);
            if (!t)
                return -1;
            s->tmp = t;
            s->tmpcap = nc;
        }
        int64_t j = m;
        int32_t b = p->tail;
        int k = (int)(m % SM_BLOCK_DAYS);
        if (k == 0)
            k = SM_BLOCK_DAYS;
        for (; b >= 0 && j > 0; b = s->blocks[b].prev, k = SM_BLOCK_DAYS)
            while (k > 0 && j > 0)
                s->tmp[--j] = s->log_base + s->blocks[b].d[--k];
        sm_sort_days(s->tmp, m);
        int32_t ncal = 0, nhold = 0;
        for (int64_t i = 0; i < m; i++) {
            if (i > 0 && s->tmp[i] == s->tmp[i - 1])
                continue;
            if (s->tmp[i] <= s->cal_end)
                ncal++;
            else
                nhold++;
        }
        p->n_cal = ncal;
        p->n_hold = nhold;
    }
    return 0;
}

/* ---- Folding rows ------------------------------------------------------------------- */

/* Formats "file: data row N" or "row N" for messages about row i of the batch. */
static void sm_where(const sm_state *s, int64_t i, char *buf, size_t size)
{
    long long r = (long long)(s->row0 + i + 1);
    if (s->file)
        snprintf(buf, size, "%s: data row %lld", s->file, r);
    else
        snprintf(buf, size, "row %lld", r);
}

/* Checks the column types of a (first) batch and remembers them. */
static int sm_check_types(sm_state *s, const cv_column *id, const cv_column *date,
                          const cv_column *amt, const cv_column *cost, cv_error *err)
{
    const cv_summary_options *o = s->opt;
    if (id->type != CV_INT64 && id->type != CV_STRING)
        return cv_error_set(err, CV_ERR_TYPE,
                            "customer column '%s' is %s, expected int or string ids", o->customer,
                            cv_type_name(id->type));
    if (date->type != CV_DATE && date->type != CV_DATETIME)
        return cv_error_set(err, CV_ERR_TYPE,
                            "date column '%s' is %s, expected a date or datetime (read it "
                            "with the type date)",
                            o->date, cv_type_name(date->type));
    if (amt->type != CV_FLOAT64 && amt->type != CV_INT64)
        return cv_error_set(err, CV_ERR_TYPE, "amount column '%s' is %s, expected a number",
                            o->amount, cv_type_name(amt->type));
    if (cost && cost->type != CV_FLOAT64 && cost->type != CV_INT64)
        return cv_error_set(err, CV_ERR_TYPE, "%s column '%s' is %s, expected a number",
                            s->cost_mode == 1 ? "cost" : "margin", cost->name,
                            cv_type_name(cost->type));
    if (s->typed) {
        if (id->type != s->id_type || date->type != s->date_type)
            return cv_error_set(err, CV_ERR_TYPE, "column types changed between batches");
        return 0;
    }
    s->typed = 1;
    s->direct = id->type == CV_INT64;
    s->id_type = id->type;
    s->date_type = date->type;
    if (id->type == CV_STRING && !(s->sd = cv_strdict_new()))
        return sm_oom(err);
    return 0;
}

static double sm_num(const cv_column *c, int64_t i)
{
    return c->type == CV_FLOAT64 ? cv_column_float(c, i) : (double)cv_column_int(c, i);
}

static int32_t sm_day(const cv_column *c, int64_t i)
{
    if (c->type == CV_DATE)
        return cv_column_i32(c, i);
    int64_t t = cv_column_int(c, i);
    int64_t d = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    return (int32_t)d;
}

/* Phase 1 of a chunk: checks rows [lo, hi) of the batch and sets cidx[i - lo] to each
   row's customer (-1 for a row skipped: missing values with skip_missing, or after the
   end). Problems are reported in row order. 0 or an error code with err set. */
static int sm_index(sm_state *s, const cv_column *id, const cv_column *date, const cv_column *amt,
                    const cv_column *cost, int64_t lo, int64_t hi, int32_t *cidx, cv_error *err)
{
    const cv_summary_options *o = s->opt;
    const int pass1 = s->pass == 1;
    const int any_missing = id->valid || date->valid || amt->valid || (cost && cost->valid);
    const int32_t obs_end = s->obs_end;
    const int int_ids = id->type == CV_INT64;
    char where[160];
    for (int64_t i = lo; i < hi; i++) {
        int32_t *out = &cidx[i - lo];
        if (any_missing) {
            const cv_column *miss = !cv_column_is_valid(id, i)               ? id
                                    : !cv_column_is_valid(date, i)           ? date
                                    : !cv_column_is_valid(amt, i)            ? amt
                                    : (cost && !cv_column_is_valid(cost, i)) ? cost
                                                                             : NULL;
            if (miss) {
                if (pass1 && !o->skip_missing) {
                    sm_where(s, i, where, sizeof where);
                    return cv_error_set(err, CV_ERR_PARSE,
                                        "%s: missing value in column '%s' (skip_missing drops "
                                        "such rows)",
                                        where, miss->name);
                }
                s->rep->skipped_missing += pass1;
                *out = -1;
                continue;
            }
        }
        int32_t d = sm_day(date, i);
        if (pass1) {
            if (d < s->rep->first_date)
                s->rep->first_date = d;
            if (d > s->rep->last_date)
                s->rep->last_date = d;
        }
        if (d > obs_end) {
            /* not folded, but the customer is known: one seen only after the calibration
               end is then counted as left out */
            *out = -1;
            if (!pass1)
                continue;
            s->rep->rows_after_end++;
            if ((int_ids ? sm_find_int(s, cv_column_int(id, i))
                         : sm_find_code(s, cv_column_i32(id, i))) < 0)
                return sm_oom(err);
            continue;
        }
        if (pass1) {
            double a = sm_num(amt, i);
            if (!(a >= 0) && (isnan(a) || !o->allow_negative)) {
                sm_where(s, i, where, sizeof where);
                if (isnan(a))
                    return cv_error_set(err, CV_ERR_DOMAIN,
                                        "%s: amount is not a number in column '%s'", where,
                                        o->amount);
                return cv_error_set(err, CV_ERR_DOMAIN,
                                    "%s: negative amount %g in column '%s' (allow_negative "
                                    "accepts returns)",
                                    where, a, o->amount);
            }
        }
        if (int_ids) {
            if (i + SM_AHEAD < hi) {
                int64_t ka = cv_column_int(id, i + SM_AHEAD);
                uint64_t off = (uint64_t)ka - (uint64_t)s->dbase;
                if (s->direct && off < s->dlen)
                    __builtin_prefetch(&s->dmap[off]);
                else if (!s->direct && s->im.mask)
                    __builtin_prefetch(&s->im.slots[sm_hash64(ka) & s->im.mask]);
            }
            *out = sm_find_int(s, cv_column_int(id, i));
        } else {
            *out = sm_find_code(s, cv_column_i32(id, i));
        }
        if (*out < 0)
            return sm_oom(err);
    }
    return 0;
}

/* Phase 2 of a chunk in the first pass: folds rows [lo, hi) into their customers'
   accumulators (cidx from sm_index). */
static void sm_fold(sm_state *s, const cv_column *date, const cv_column *amt, const cv_column *cost,
                    int64_t lo, int64_t hi, const int32_t *cidx)
{
    const int merge = s->merge, cost_mode = s->cost_mode;
    const int32_t cal_end = s->cal_end;
    const double rate = s->opt->margin_rate;
    for (int64_t i = lo; i < hi; i++) {
        int32_t c = cidx[i - lo];
        if (i + SM_AHEAD < hi && cidx[i + SM_AHEAD - lo] >= 0)
            __builtin_prefetch(sm_at(s, cidx[i + SM_AHEAD - lo]), 1);
        if (s->logging && i + SM_AHEAD / 2 < hi && cidx[i + SM_AHEAD / 2 - lo] >= 0) {
            int32_t t = sm_at(s, cidx[i + SM_AHEAD / 2 - lo])->tail; /* its record is in cache */
            if (t >= 0)
                __builtin_prefetch(&s->blocks[t], 1);
        }
        if (c < 0)
            continue;
        int32_t d = sm_day(date, i);
        double a = sm_num(amt, i);
        sm_acc *p = sm_at(s, c);
        if (s->logging && sm_log(s, p, p->rows, d) != 0) {
            s->logging = 0; /* out of memory or a far date: fall back to a second pass */
            cv_sm_log_clear(s);
        }
        p->rows++;
        int newtx = 1;
        if (merge && p->prev != INT32_MIN && d <= p->prev) {
            if (d == p->prev) {
                newtx = 0;
            } else if (!p->unsorted) { /* out of order: recounted from the log */
                p->unsorted = 1;
                s->rep->unsorted_customers++;
            }
        }
        p->prev = d;
        if (d <= cal_end) {
            p->n_cal += newtx;
            if (d > p->last)
                p->last = d;
            if (d < p->first) {
                if (p->first != INT32_MAX)
                    p->rep += p->first_amt;
                p->first = d;
                p->first_amt = a;
            } else if (d == p->first && merge) {
                p->first_amt += a;
            } else {
                p->rep += a;
            }
            if (cost_mode == 1)
                p->margin += a - sm_num(cost, i);
            else if (cost_mode == 2)
                p->margin += sm_num(cost, i);
            else if (cost_mode == 3)
                p->margin += a * rate;
        } else {
            p->n_hold += newtx;
            p->spend_hold += a;
        }
    }
}

/* Pass 2 over rows [lo, hi) of a chunk: logs the days of unsorted customers, counting
   them in n_cal. 0, or an error code with err set. */
static int sm_collect(sm_state *s, const cv_column *date, int64_t lo, int64_t hi,
                      const int32_t *cidx, cv_error *err)
{
    for (int64_t i = lo; i < hi; i++) {
        if (i + SM_AHEAD < hi && cidx[i + SM_AHEAD - lo] >= 0)
            __builtin_prefetch(sm_at(s, cidx[i + SM_AHEAD - lo]));
        int32_t c = cidx[i - lo];
        if (c < 0 || !sm_at(s, c)->unsorted)
            continue;
        sm_acc *p = sm_at(s, c);
        if (sm_log(s, p, p->n_cal++, sm_day(date, i)) != 0)
            return sm_oom(err);
    }
    return 0;
}

/* Folds the rows of one batch into the accumulators (pass 1), or records the days of
   unsorted customers (pass 2). 0 or an error code with err set. */
static int sm_feed(sm_state *s, const cv_table *b, cv_error *err)
{
    const cv_summary_options *o = s->opt;
    cv_column *id = cv_table_col(b, o->customer, err);
    cv_column *date = id ? cv_table_col(b, o->date, err) : NULL;
    cv_column *amt = date ? cv_table_col(b, o->amount, err) : NULL;
    if (!amt)
        return err ? err->code : CV_ERR_USAGE;
    cv_column *cost = NULL;
    if (s->cost_mode == 1 || s->cost_mode == 2) {
        cost = cv_table_col(b, s->cost_mode == 1 ? o->cost : o->margin, err);
        if (!cost)
            return err ? err->code : CV_ERR_USAGE;
    }
    if (b->nrows == 0) /* nothing to fold; the types of empty columns mean nothing */
        return 0;
    int rc = sm_check_types(s, id, date, amt, cost, err);
    if (rc)
        return rc;
    if (id->type == CV_STRING && sm_bind_dict(s, id->dict) < 0)
        return sm_oom(err);
    if (!s->cidx && !(s->cidx = cv_malloc(SM_CHUNK * sizeof *s->cidx)))
        return sm_oom(err);

    for (int64_t lo = 0; lo < b->nrows; lo += SM_CHUNK) {
        int64_t hi = b->nrows - lo < SM_CHUNK ? b->nrows : lo + SM_CHUNK;
        rc = sm_index(s, id, date, amt, cost, lo, hi, s->cidx, err);
        if (rc)
            return rc;
        if (s->pass == 2) {
            rc = sm_collect(s, date, lo, hi, s->cidx, err);
            if (rc)
                return rc;
            if (s->prog)
                cv_progress_tick(s->prog, (uint64_t)(s->fed + hi));
            continue;
        }
        if (s->logging && s->row0 + lo == 0 && hi > 0) /* the first row sets the base */
            s->log_base = sm_day(date, 0) - 32768;
        sm_fold(s, date, amt, cost, lo, hi, s->cidx);
        /* rows in order so far: stop logging, memory then follows customers only */
        if (s->logging && s->row0 + hi >= SM_LOG_PROBE && s->rep->unsorted_customers == 0) {
            s->logging = 0;
            cv_sm_log_clear(s);
        }
        if (s->prog)
            cv_progress_tick(s->prog, (uint64_t)(s->fed + hi));
    }
    s->fed += b->nrows;
    s->row0 += b->nrows;
    s->rep->rows += s->pass == 1 ? b->nrows : 0;
    return 0;
}

/* Prepares the second pass: unsorted customers' days will be logged from scratch, as
   offsets from the first purchase date (they must span at most 65535 days). */
static int sm_pass2_begin(sm_state *s, cv_error *err)
{
    cv_sm_log_clear(s);
    if ((int64_t)s->rep->last_date - s->rep->first_date > UINT16_MAX) {
        char a[16], b[16];
        cv_format_date(s->rep->first_date, a);
        cv_format_date(s->rep->last_date, b);
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "purchase dates from %s to %s span more than 65535 days: sort the "
                            "rows by customer and date",
                            a, b);
    }
    s->log_base = s->rep->first_date;
    for (int32_t c = 0; c < s->n; c++)
        if (sm_at(s, c)->unsorted)
            sm_at(s, c)->n_cal = 0;
    s->pass = 2;
    s->row0 = 0;
    s->last_idx = -1;
    return 0;
}

/* ---- The options ------------------------------------------------------------------------ */

int cv_summary_options_check(const cv_summary_options *o, cv_error *err)
{
    if (!o || !o->customer || !o->date || !o->amount)
        return cv_error_set(err, CV_ERR_USAGE,
                            "the customer, date and amount columns must be given");
    if ((unsigned)o->unit > CV_UNIT_YEAR)
        return cv_error_set(err, CV_ERR_USAGE, "unknown time unit %d", (int)o->unit);
    if ((o->cost != NULL) + (o->margin != NULL) + (o->margin_rate_set != 0) > 1)
        return cv_error_set(err, CV_ERR_USAGE,
                            "give one of cost, margin and margin_rate, not several");
    if (o->margin_rate_set && !isfinite(o->margin_rate))
        return cv_error_set(err, CV_ERR_USAGE, "margin rate must be a finite number");
    if (o->observation_end_set && !o->calibration_end_set)
        return cv_error_set(err, CV_ERR_USAGE, "an observation end needs a calibration end");
    if (o->observation_end_set && o->observation_end < o->calibration_end) {
        char a[16], b[16];
        cv_format_date(o->observation_end, a);
        cv_format_date(o->calibration_end, b);
        return cv_error_set(err, CV_ERR_USAGE,
                            "observation end %s is before the calibration end %s", a, b);
    }
    return 0;
}

/* Validates the options before any row is read (cv_summary_options_check) and sets up s. */
static int sm_check_options(sm_state *s, const cv_summary_options *o, cv_error *err)
{
    int rc = cv_summary_options_check(o, err);
    if (rc != 0)
        return rc;
    s->cost_mode = o->cost ? 1 : o->margin ? 2 : o->margin_rate_set ? 3 : 0;
    s->opt = o;
    s->merge = !o->split_same_day;
    s->logging = s->merge;
    s->cal_end = o->calibration_end_set ? o->calibration_end : INT32_MAX;
    s->obs_end = o->observation_end_set ? o->observation_end : s->cal_end;
    s->last_idx = -1;
    s->pass = 1;
    s->rep->first_date = INT32_MAX;
    s->rep->last_date = INT32_MIN;
    s->rep->passes = 1;
    return 0;
}

/* ---- The engine (summary_int.h) and the table form ------------------------------------ */

cv_summarizer *cv_summarizer_new(const cv_summary_options *opt, cv_summary_report *rep,
                                 const char *file, cv_error *err)
{
    sm_state *s = cv_calloc(1, sizeof *s);
    if (!s) {
        sm_oom(err);
        return NULL;
    }
    s->rep = rep;
    memset(rep, 0, sizeof *rep);
    s->file = file;
    if (sm_check_options(s, opt, err) != 0) {
        cv_free(s);
        return NULL;
    }
    return s;
}

int cv_summarizer_feed(cv_summarizer *s, const cv_table *batch, cv_error *err)
{
    if (cv_cancel_check(err)) /* once a batch (a streamed read feeds many) */
        return CV_ERR_LIMIT;
    return sm_feed(s, batch, err);
}

int cv_summarizer_needs_pass2(const cv_summarizer *s)
{
    return s->pass == 1 && s->rep->unsorted_customers > 0 && !s->logging;
}

int cv_summarizer_pass2(cv_summarizer *s, cv_error *err)
{
    s->rep->passes = 2;
    return sm_pass2_begin(s, err);
}

cv_table *cv_summarizer_finish(cv_summarizer *s, cv_error *err)
{
    if (s->rep->unsorted_customers > 0 && (s->pass == 2 || s->logging) && sm_log_recount(s) != 0) {
        sm_oom(err);
        return NULL;
    }
    return cv_sm_table(s, err);
}

void cv_summarizer_free(cv_summarizer *s)
{
    if (!s)
        return;
    sm_state_free(s);
    cv_free(s);
}

cv_table *cv_summary_table(const cv_table *tx, const cv_summary_options *opt,
                           cv_summary_report *rep, cv_error *err)
{
    cv_summary_report dummy;
    if (!rep)
        rep = &dummy;
    memset(rep, 0, sizeof *rep);
    if (!tx || (tx->nrows == 0 && tx->ncols == 0)) {
        cv_error_set(err, CV_ERR_USAGE, "no transactions to summarize");
        return NULL;
    }
    cv_summarizer *s = cv_summarizer_new(opt, rep, NULL, err);
    if (!s)
        return NULL;
    cv_table *out = NULL;
    cv_progress prog; /* rows folded, of nrows per pass */
    cv_progress_begin(&prog, "summary", CV_PROGRESS_ROWS, (uint64_t)tx->nrows);
    s->prog = &prog;
    int ok = cv_summarizer_feed(s, tx, err) == 0;
    if (ok && cv_summarizer_needs_pass2(s)) {
        prog.total *= 2; /* the rows once more */
        ok = cv_summarizer_pass2(s, err) == 0 && cv_summarizer_feed(s, tx, err) == 0;
    }
    if (ok)
        out = cv_summarizer_finish(s, err);
    cv_progress_end(&prog, out != NULL);
    cv_summarizer_free(s);
    return out;
}
