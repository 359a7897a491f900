/* cvkit CSV reader: the main pass. The text is cut at line ends into chunks parsed by a few
   threads (each thread takes the next chunk, so a slowed one does not hold the others up);
   on several threads each fixed-width column is allocated once from a count of line ends
   and the chunks write their parts of it in place (plan_columns). Then the chunks' columns
   are widened to their common type and put together, or the pass asks to go again. */
#include "cvkit/cancel.h"
#include "cvkit/csv.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "csv_int.h"

static void chunk_free(chunk *ck)
{
    if (ck->cols)
        for (int j = 0; j < ck->ncols; j++)
            cv_column_unref(ck->cols[j].col);
    cv_free(ck->cols);
    cv_free(ck->restart);
    cv_free(ck->rb);
    cv_free(ck->roff);
    ck->cols = NULL;
    ck->restart = NULL;
    ck->rb = NULL;
    ck->roff = NULL;
}

/* Fresh columns for a chunk, reserved for the rows expected in `bytes` of text. */
static int chunk_columns(chunk *ck, uint64_t bytes, cv_strdict **dicts)
{
    rcfg *r = ck->r;
    ck->ncols = r->ncols;
    ck->cols = cv_calloc((size_t)r->ncols, sizeof *ck->cols);
    if (!ck->restart)
        ck->restart = cv_calloc((size_t)r->ncols + 1, 1);
    if (!ck->cols || !ck->restart)
        return -1;
    int64_t cap =
        r->batch_rows > 0 ? r->batch_rows : (int64_t)((double)bytes / r->bytes_per_rec * 1.02) + 64;
    for (int j = 0; j < r->ncols; j++) {
        colbuf *cb = &ck->cols[j];
        cb->mask = r->fixed[j] ? 0 : r->mask0[j];
        cb->empty = 1;
        cb->col = r->types[j] == CV_STRING && dicts ? cv_column_new_dict(r->names[j], cap, dicts[j])
                                                    : cv_column_new(r->names[j], r->types[j], cap);
        if (!cb->col)
            return -1;
    }
    return 0;
}

int cv_rd_emit_batch(chunk *ck)
{
    rcfg *r = ck->r;
    cv_table *t = cv_table_new();
    cv_strdict **dicts = cv_calloc((size_t)ck->ncols + 1, sizeof *dicts);
    int rc = 0;
    if (!t || !dicts) {
        rc = -1;
    } else {
        for (int j = 0; j < ck->ncols && rc == 0; j++) {
            if (cv_table_add_unique(t, ck->cols[j].col, NULL) != 0)
                rc = -1;
            dicts[j] = ck->cols[j].col->dict;
        }
    }
    if (rc == 0) {
        int64_t bn = ck->batch_n;
        ck->batch_n = 0;
        if (bn > 0 || ck->rows == 0) {
            int urc = r->fn(r->ud, t, ck->uerr);
            if (urc != 0) {
                ck->user_rc = urc;
                ck->stop = P_USER;
                ck->err.kind = P_USER;
            }
        }
        /* new columns for the next batch; string columns keep their dictionary, so codes
           are stable across batches */
        for (int j = 0; j < ck->ncols; j++)
            cv_strdict_ref(dicts[j]);
        for (int j = 0; j < ck->ncols; j++)
            cv_column_unref(ck->cols[j].col);
        cv_free(ck->cols);
        ck->cols = NULL;
        if (chunk_columns(ck, 0, dicts) != 0)
            rc = -1;
        for (int j = 0; j < ck->ncols; j++)
            cv_strdict_unref(dicts[j]);
    }
    cv_free(dicts);
    cv_table_free(t);
    if (rc)
        cv_rd_fail_nomem(ck);
    return rc;
}

/* Parses the chunk's text range into its columns. Problems go to ck->stop/err. */
/* The pages of the chunk's part of each planned column (plan_columns) that the rows of the
   next blocks will fill, made present in one call per column (up to row upto) before they
   are written: the kernel fills them without taking a fault (an exception, its entry and
   exit) per 4 KiB page, on the thread that fills them. Called from the second block on, so
   that a view given up early (a missing value, another type: it takes its own copy) leaves
   no page of the plan behind, and one given up later at most two blocks' rows. A kernel
   without MADV_POPULATE_WRITE (Linux < 5.14) just says no: the pages fault as before. */
static void prefault_views(chunk *ck, int64_t upto)
{
#ifdef MADV_POPULATE_WRITE
    static long page;
    if (!page)
        page = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
    for (int j = 0; j < ck->ncols; j++) {
        const cv_column *c = ck->cols[j].col;
        int64_t from = ck->pf_rows > c->n ? ck->pf_rows : c->n, to = upto < c->cap ? upto : c->cap;
        if (!c->base || to <= from)
            continue;
        size_t w = cv_type_size(c->type);
        uintptr_t a = (uintptr_t)c->data + (size_t)from * w,
                  e = (uintptr_t)c->data + (size_t)to * w;
        a -= a % (uintptr_t)page;
        (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
    }
    if (upto > ck->pf_rows)
        ck->pf_rows = upto;
#else
    (void)ck;
    (void)upto;
#endif
}

static void chunk_run(chunk *ck)
{
    rcfg *r = ck->r;
    cv_src src;
    tok t;
    ck->in_header = ck->first && r->header;
    int64_t block_rows = (int64_t)((double)CV_CSV_BLOCK / r->bytes_per_rec) + 1;
    if (cv_src_open(&src, r->fd, r->mem, ck->begin, ck->end, r->enc) != 0) {
        cv_rd_fail_nomem(ck);
        return;
    }
    if (cv_rd_tok_init(&t, r->delim, r->lenient, cv_rd_on_field, cv_rd_on_row, ck) != 0) {
        cv_src_close(&src);
        cv_rd_fail_nomem(ck);
        return;
    }
    t.rows = cv_rd_typed_rows;
    const char *p;
    size_t n;
    uint64_t reached = ck->begin, prev = ck->begin;
    int rc;
    while (!ck->stop && (rc = cv_src_next(&src, &p, &n, &reached)) == 1) {
        if (cv_cancelled()) { /* looked at once a block */
            ck->stop = P_CANCEL;
            ck->err.kind = P_CANCEL;
            break;
        }
        if (ck->pool &&
            ck->index > atomic_load_explicit(&ck->pool->first_stop, memory_order_relaxed)) {
            ck->stop = P_ABORT;
            break;
        }
        int fr = cv_rd_tok_feed(&t, p, n);
        if (fr == -2 && !ck->stop) {
            ck->stop = P_STRAY;
            ck->err.kind = P_STRAY;
            ck->err.rec = ck->rec;
            ck->err.field = ck->field;
            ck->err.found = t.qerr;
            memcpy(ck->err.text, t.qtext, sizeof t.qtext);
        } else if (fr != 0) {
            cv_rd_fail_nomem(ck);
        }
        if (ck->pool && !ck->stop)
            prefault_views(ck, ck->rows + 2 * block_rows);
        atomic_fetch_add_explicit(&r->done, reached - prev, memory_order_relaxed);
        prev = reached;
        if (ck->main_thread)
            cv_progress_tick(&r->prog, atomic_load_explicit(&r->done, memory_order_relaxed));
    }
    if (!ck->stop && src.status) {
        ck->stop = src.status > 0 ? P_TEXT : P_IO;
        ck->err.kind = ck->stop;
        ck->err.raw = src.status > 0 ? src.bad : (uint64_t)src.err_no;
    }
    if (!ck->stop) {
        if (ck->last) {
            int open_quote;
            if (cv_rd_tok_fini(&t, &open_quote) != 0) {
                cv_rd_fail_nomem(ck);
            } else if (open_quote) {
                ck->stop = P_QUOTE;
                ck->err.kind = P_QUOTE;
                ck->err.rec = ck->rec;
            }
            ck->clean_end = 1;
        } else {
            ck->clean_end = cv_rd_tok_clean(&t);
        }
    }
    ck->nlenient = t.nlenient;
    cv_rd_tok_free(&t);
    cv_src_close(&src);
    if (!ck->stop && r->batch_rows > 0 && (ck->batch_n > 0 || ck->rows == 0))
        cv_rd_emit_batch(ck);
}

/* Chunks parsed by a few threads: each thread takes the next chunk until none is left,
   so a thread slowed by other work on the machine does not hold the others up. A chunk
   that stops (an error, a column to read again, a quoted field across its end) makes the
   chunks after it pointless: they are skipped or cut short. */
/* The '\n' bytes in p[0, n): with SSE2 (every x86-64), 16 bytes at a time compared and
   counted in byte lanes (at most 255 rounds), the lanes summed by psadbw; elsewhere eight
   bytes at a time, each byte's "is zero" bit found exactly (no carry crosses bytes). */
static int64_t count_nl(const char *p, size_t n)
{
    int64_t total = 0;
    size_t i = 0;
#if defined(__SSE2__) && defined(__x86_64__)
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 32 <= n) {
        __m128i a0 = zero, a1 = zero;
        for (int k = 0; k < 255 && i + 32 <= n; k++, i += 32) {
            __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
            a0 = _mm_sub_epi8(a0, _mm_cmpeq_epi8(v0, nl)); /* a match is -1 */
            a1 = _mm_sub_epi8(a1, _mm_cmpeq_epi8(v1, nl));
        }
        __m128i s = _mm_add_epi64(_mm_sad_epu8(a0, zero), _mm_sad_epu8(a1, zero));
        total += _mm_cvtsi128_si64(s) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s));
    }
#else
    const uint64_t ones = 0x0101010101010101u, low7 = 0x7f7f7f7f7f7f7f7fu, nl = ones * '\n';
    const uint64_t m16 = 0x00ff00ff00ff00ffu;
    while (i + 8 <= n) {
        uint64_t acc = 0;
        for (int k = 0; k < 255 && i + 8 <= n; k++, i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            uint64_t x = w ^ nl;
            acc += (~(((x & low7) + low7) | x | low7)) >> 7;
        }
        acc = (acc & m16) + ((acc >> 8) & m16); /* four 16-bit lanes */
        total += (int64_t)((acc * 0x0001000100010001u) >> 48);
    }
#endif
    for (; i < n; i++)
        total += p[i] == '\n';
    return total;
}

/* The line ends in raw bytes [begin, end) of the input; -1 on a read error or out of
   memory (only a plan depends on it: cv_rd_main_pass). */
static int64_t count_lines(int fd, const char *mem, uint64_t begin, uint64_t end, atomic_int *stop,
                           char *block)
{
    if (fd < 0)
        return count_nl(mem + begin, (size_t)(end - begin));
    char *buf = block ? block : cv_malloc(CV_CSV_BLOCK);
    int64_t total = 0;
    if (!buf)
        return -1;
    while (begin < end) {
        size_t want = end - begin > CV_CSV_BLOCK ? CV_CSV_BLOCK : (size_t)(end - begin);
        ssize_t got = pread(fd, buf, want, (off_t)begin);
        if (got <= 0 || (stop && atomic_load_explicit(stop, memory_order_relaxed))) {
            total = -1;
            break;
        }
        total += count_nl(buf, (size_t)got);
        begin += (uint64_t)got;
    }
    if (buf != block)
        cv_free(buf);
    return total;
}

static void pool_work(pool *P, int is_main)
{
    for (;;) {
        int i = atomic_fetch_add(&P->next, 1);
        if (i >= P->nc)
            break;
        chunk *ck = &P->ck[i];
        if (P->count) {
            ck->lines = count_lines(ck->r->fd, ck->r->mem, ck->begin, ck->end, NULL, NULL);
            continue;
        }
        if (i > atomic_load(&P->first_stop)) {
            ck->stop = P_ABORT;
            continue;
        }
        ck->main_thread = is_main;
        chunk_run(ck);
        if (ck->stop || !ck->clean_end) {
            int cur = atomic_load(&P->first_stop);
            while (i < cur && !atomic_compare_exchange_weak(&P->first_stop, &cur, i))
                ;
        }
    }
}

static void *pool_thread(void *arg)
{
    pool_work(arg, 0);
    return NULL;
}

/* Works through the pool's chunks with nw threads (this one included). */
static void pool_run(pool *P, int nw)
{
    pthread_t th[8];
    int started[8] = {0};
    if (nw > 8)
        nw = 8;
    atomic_store(&P->next, 0);
    for (int i = 1; i < nw; i++)
        started[i] = pthread_create(&th[i], NULL, pool_thread, P) == 0;
    pool_work(P, 1);
    for (int i = 1; i < nw; i++)
        if (started[i])
            pthread_join(th[i], NULL);
}

/* Splits [begin, end) of fd or mem into up to k chunks at line ends (after a '\n'). */
static int split_points(int fd, const char *mem, uint64_t begin, uint64_t end, int k, uint64_t *cut)
{
    int n = 1;
    cut[0] = begin;
    char buf[4096];
    for (int i = 1; i < k; i++) {
        uint64_t at = begin + (end - begin) * (uint64_t)i / (uint64_t)k;
        if (at <= cut[n - 1])
            continue;
        int found = 0;
        while (at < end && !found) {
            size_t want = end - at > sizeof buf ? sizeof buf : (size_t)(end - at);
            const char *p;
            if (fd >= 0) {
                ssize_t got = pread(fd, buf, want, (off_t)at);
                if (got <= 0)
                    break;
                want = (size_t)got;
                p = buf;
            } else {
                p = mem + at;
            }
            const char *nl = memchr(p, '\n', want);
            if (nl) {
                at += (uint64_t)(nl - p) + 1;
                found = 1;
            } else {
                at += want;
            }
        }
        if (found && at < end)
            cut[n++] = at;
    }
    cut[n] = end;
    return n;
}

/* The chunks' count of line ends (precount), each chunk taken by the next free worker, with
   one block buffer for all of them (not one a chunk: the memory a read holds while its
   sample pass runs stays at a block per thread; under AddressSanitizer, whose quarantine
   keeps freed blocks resident, one a chunk added 8 MB to the peak of a read stopped by
   --max-memory 10M, past tests/cli/test_limits.sh's bound). */
static void precount_work(precount *pc)
{
    char *block = pc->fd >= 0 ? cv_malloc(CV_CSV_BLOCK) : NULL;
    for (;;) {
        int i = atomic_fetch_add(&pc->next, 1);
        if (i >= pc->nc)
            break;
        pc->lines[i] = pc->fd >= 0 && !block ? -1
                                             : count_lines(pc->fd, pc->mem, pc->cut[i],
                                                           pc->cut[i + 1], &pc->stop, block);
    }
    cv_free(block);
}

static void *precount_thread(void *arg)
{
    precount_work(arg);
    return NULL;
}

/* The chunks of a main pass of nth threads: their cuts into cut (nth * 4 chunks, so that
   threads can even out, at most CHUNKS_MAX); how many. */
static int main_chunks(const rcfg *r, int nth, uint64_t *cut)
{
    if (nth > 8)
        nth = 8;
    int nc = nth > 1 ? split_points(r->fd, r->mem, r->begin, r->end,
                                    nth * 4 < CHUNKS_MAX ? nth * 4 : CHUNKS_MAX, cut)
                     : 1;
    if (nc == 1) {
        cut[0] = r->begin;
        cut[1] = r->end;
    }
    return nc;
}

void cv_rd_precount_start(reader *R)
{
    precount *pc = &R->pre;
    const rcfg *r = &R->r;
    if (pc->running || pc->done)
        return;
    memset(pc, 0, sizeof *pc);
    if (R->nthreads < 2 || r->batch_rows > 0 || r->skip_bad || r->enc != CV_ENC_UTF8)
        return;
    pc->fd = r->fd;
    pc->mem = r->mem;
    pc->nc = main_chunks(r, R->nthreads, pc->cut);
    atomic_init(&pc->next, 0);
    atomic_init(&pc->stop, 0);
    if (pc->nc > 1)
        pc->running = pthread_create(&pc->th, NULL, precount_thread, pc) == 0;
}

void cv_rd_precount_end(reader *R, int need)
{
    precount *pc = &R->pre;
    if (!pc->running)
        return;
    if (need)
        precount_work(pc); /* what is left, with the thread */
    else
        atomic_store(&pc->stop, 1); /* the thread stops at its next block */
    pthread_join(pc->th, NULL);
    pc->running = 0;
    pc->done = need;
}

/* The table's columns written in place: a fixed-width column (not text) of the whole table
   is allocated once, from the rows that each chunk's line ends promise (the header and a
   last line without a line end counted), and each chunk's column is a view (cv_column.base)
   of its part of it, so the chunks need not be copied together at the end. Where a chunk
   turns out to have more rows (a quoted line end), a missing value or another type, its
   view takes its own copy (cv_column_reserve, cv_column_set_missing, cv_rd_col_convert) and that
   column is put together by copying after all (cv_rd_col_append), as without a plan. base[j]
   gets the whole column, or stays NULL; off[i] is chunk i's first row. 0 or -1 (memory). */
static int plan_columns(reader *R, pool *P, int nw, cv_column **base, int64_t *off)
{
    rcfg *r = &R->r;
    chunk *ck = P->ck;
    int nc = P->nc;
    cv_rd_precount_end(R, 1);
    int counted = R->pre.done && R->pre.nc == nc;
    for (int i = 0; counted && i < nc; i++)
        counted = R->pre.cut[i] == ck[i].begin && R->pre.cut[i + 1] == ck[i].end;
    if (counted) {
        for (int i = 0; i < nc; i++)
            ck[i].lines = R->pre.lines[i];
    } else {
        P->count = 1;
        pool_run(P, nw);
        P->count = 0;
    }
    int64_t total = 0;
    for (int i = 0; i < nc; i++) {
        int64_t rows = ck[i].lines;
        if (rows < 0)
            return 0; /* no plan: the parse finds and reports the read error */
        if (i == 0 && r->header && rows > 0)
            rows--;
        if (i == nc - 1 && ck[i].end > ck[i].begin) { /* a last line without its line end */
            char last = 0;
            if (r->fd >= 0) {
                if (pread(r->fd, &last, 1, (off_t)(ck[i].end - 1)) != 1)
                    return 0;
            } else {
                last = r->mem[ck[i].end - 1];
            }
            rows += last != '\n';
        }
        off[i] = total;
        ck[i].lines = rows;
        total += rows;
    }
    for (int j = 0; j < r->ncols; j++) {
        if (r->types[j] == CV_STRING)
            continue;
        size_t w = cv_type_size(r->types[j]);
        if (!(base[j] = cv_column_new(r->names[j], r->types[j], total + 1)))
            return -1;
        for (int i = 0; i < nc; i++) {
            cv_column *v = cv_column_new(r->names[j], r->types[j], 0);
            if (!v)
                return -1;
            v->data = (char *)base[j]->data + (size_t)off[i] * w;
            v->cap = ck[i].lines;
            v->base = cv_column_ref(base[j]);
            cv_column_unref(ck[i].cols[j].col);
            ck[i].cols[j].col = v;
        }
    }
    return 0;
}

/* base (plan_columns) when every chunk's column is still its view, with as many rows as
   planned and the same type: the whole column, written in place. NULL otherwise. */
static cv_column *planned_column(cv_column *base, const chunk *ck, int nc, int j,
                                 const int64_t *off)
{
    if (!base)
        return NULL;
    cv_type t = ck[0].cols[j].col->type;
    size_t w = cv_type_size(base->type);
    int64_t total = 0;
    for (int i = 0; i < nc; i++) {
        const cv_column *c = ck[i].cols[j].col;
        if (c->base != base || c->type != t || c->n != ck[i].lines || c->valid ||
            c->data != (char *)base->data + (size_t)off[i] * w)
            return NULL;
        total += c->n;
    }
    if (cv_type_size(t) != w)
        return NULL;
    base->type = t;
    base->n = total;
    return base;
}

/* The main pass with nth chunks (csv_int.h). */
int cv_rd_main_pass(reader *R, int nth, cv_table **out, read_retry *retry, cv_error *err)
{
    *retry = RETRY_NONE;
    rcfg *r = &R->r;
    uint64_t cut[CHUNKS_MAX + 1];
    if (nth > 8)
        nth = 8;
    int nc = main_chunks(r, nth, cut);
    chunk ck[CHUNKS_MAX];
    int64_t off[CHUNKS_MAX];
    memset(ck, 0, sizeof ck);
    atomic_store(&r->done, 0);
    pool P;
    memset(&P, 0, sizeof P);
    P.ck = ck;
    P.nc = nc;
    atomic_init(&P.next, 0);
    atomic_init(&P.first_stop, nc);
    int rc = 0;
    for (int i = 0; i < nc; i++) {
        ck[i].r = r;
        ck[i].begin = cut[i];
        ck[i].end = cut[i + 1];
        ck[i].first = i == 0;
        ck[i].last = i == nc - 1;
        ck[i].index = i;
        ck[i].pool = nc > 1 ? &P : NULL;
        if (chunk_columns(&ck[i], cut[i + 1] - cut[i], NULL) != 0)
            rc = -1;
    }
    int nw = nth < nc ? nth : nc;
    cv_column **base = cv_calloc((size_t)r->ncols + 1, sizeof *base);
    if (!base)
        rc = -1;
    else if (rc == 0 && nc > 1 && r->batch_rows <= 0 && !r->skip_bad && r->ncols > 0)
        rc = plan_columns(R, &P, nw, base, off);
    if (rc == 0)
        pool_run(&P, nw);
    int result = 0;
    int64_t rec0 = 0;
    if (rc != 0) {
        result = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    } else {
        for (int i = 0; i < nc; i++) {
            ck[i].rec0 = rec0;
            if (ck[i].stop) {
                problem p = ck[i].err;
                p.rec += rec0;
                if (ck[i].stop == P_RESTART) {
                    for (int j = 0; j < r->ncols; j++)
                        if (ck[i].restart[j]) {
                            r->fixed[j] = 1;
                            r->types[j] = CV_STRING;
                        }
                    *retry = RETRY_PINNED;
                } else if (ck[i].stop == P_TEXT && R->opt->encoding == CV_ENC_AUTO &&
                           r->enc == CV_ENC_UTF8) {
                    *retry = RETRY_GB18030;
                } else if (ck[i].stop == P_USER) {
                    result = ck[i].user_rc;
                } else {
                    result = cv_rd_report_problem(r, &p, err);
                }
                break;
            }
            if (!ck[i].clean_end) { /* a quoted field crosses the split */
                R->nthreads = 1;
                *retry = RETRY_PINNED;
                break;
            }
            rec0 += ck[i].rec;
        }
    }
    /* common types: widen each chunk's column to the type of all the classes seen */
    for (int j = 0; result == 0 && *retry == RETRY_NONE && j < r->ncols && nc > 1; j++) {
        if (r->fixed[j])
            continue;
        unsigned m = 0;
        int all_empty = 1;
        for (int i = 0; i < nc; i++) {
            m |= ck[i].cols[j].mask;
            all_empty &= ck[i].cols[j].empty;
        }
        cv_type t = all_empty ? ck[0].cols[j].col->type : cv_rd_mask_type(m, r->d8date[j]);
        for (int i = 0; i < nc && result == 0 && *retry == RETRY_NONE; i++) {
            int cr = cv_rd_col_convert(&ck[i].cols[j], t);
            if (cr < 0) {
                result = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            } else if (cr > 0) {
                r->fixed[j] = 1;
                r->types[j] = CV_STRING;
                *retry = RETRY_PINNED;
            }
        }
    }
    if (result == 0 && *retry == RETRY_NONE) {
        int64_t total = 0;
        for (int i = 0; i < nc; i++)
            total += ck[i].rows;
        cv_table *t = r->batch_rows > 0 ? NULL : cv_table_new();
        if (!t && r->batch_rows <= 0)
            result = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        for (int j = 0; t && result == 0 && j < r->ncols; j++) {
            cv_column *c = planned_column(base ? base[j] : NULL, ck, nc, j, off);
            if (c) {
                result = cv_table_add_unique(t, c, err);
                continue;
            }
            c = ck[0].cols[j].col;
            for (int i = 1; i < nc && result == 0; i++) {
                if (cv_rd_col_append(c, ck[i].cols[j].col) != 0)
                    result = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
                cv_column_unref(ck[i].cols[j].col);
                ck[i].cols[j].col = NULL;
            }
            if (result == 0)
                result = cv_table_add_unique(t, c, err);
        }
        if (t && result == 0 && r->ncols == 0)
            t->nrows = total;
        if (R->rep) {
            cv_csv_report *rep = R->rep;
            rep->rows = total;
            rep->skipped_rows = 0;
            rep->bad_values = 0;
            rep->lenient_quotes = 0;
            rep->nexamples = 0;
            for (int i = 0; i < nc; i++) {
                rep->skipped_rows += ck[i].skipped;
                rep->bad_values += ck[i].badvals;
                rep->lenient_quotes += ck[i].nlenient;
                for (int e = 0; e < ck[i].nex && rep->nexamples < 3; e++) {
                    problem p = ck[i].ex[e];
                    p.rec += ck[i].rec0;
                    cv_rd_example_text(r, &p, rep->examples[rep->nexamples++],
                                       sizeof rep->examples[0]);
                }
            }
            rep->delim = r->delim;
            rep->header = r->header;
            rep->encoding = r->enc;
        }
        if (result == 0)
            *out = t;
        else
            cv_table_free(t);
    }
    for (int i = 0; i < nc; i++)
        chunk_free(&ck[i]);
    for (int j = 0; base && j < r->ncols; j++)
        cv_column_unref(base[j]);
    cv_free(base);
    return result;
}
