/* cvkit tables: cv_table_join (inner and left) on one to 64 key columns: by one word per row
   when the keys pack into one, else by keysets (both in table_hash.c); the right rows of each
   key are gathered once, then both sides are taken. */
#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "table_int.h"

#include <string.h>

/* ---- Join
 * ---------------------------------------------------------------------------------------- */

cv_table *cv_table_join(const cv_table *left, const cv_table *right, const char *const *left_keys,
                        const char *const *right_keys, int nkeys, cv_join_kind kind, cv_error *err)
{
    if (nkeys < 1 || nkeys > 64) {
        cv_error_set(err, CV_ERR_USAGE, "join needs 1 to 64 key columns, got %d", nkeys);
        return NULL;
    }
    if (kind != CV_JOIN_INNER && kind != CV_JOIN_LEFT) {
        cv_error_set(err, CV_ERR_USAGE, "unknown join kind %d", (int)kind);
        return NULL;
    }
    cv_column *lc[64], *rc[64];
    key_mode lmode[64], rmode[64];
    int32_t *remap[64] = {0};
    for (int j = 0; j < nkeys; j++) {
        if (!(lc[j] = cv_table_col(left, left_keys[j], err)) ||
            !(rc[j] = cv_table_col(right, right_keys[j], err)))
            return NULL;
        cv_type lt = lc[j]->type, rt = rc[j]->type;
        lmode[j] = rmode[j] = KEY_NATIVE;
        if (lt == rt) {
            if (lt == CV_STRING && lc[j]->dict != rc[j]->dict)
                rmode[j] = KEY_REMAP;
        } else if ((lt == CV_INT64 || lt == CV_FLOAT64) && (rt == CV_INT64 || rt == CV_FLOAT64)) {
            lmode[j] = rmode[j] = KEY_DOUBLE;
        } else {
            cv_error_set(err, CV_ERR_TYPE,
                         "join key '%s' is %s on the left: expected %s for '%s' on the right, "
                         "found %s",
                         lc[j]->name, cv_type_name(lt), cv_type_name(lt), rc[j]->name,
                         cv_type_name(rt));
            return NULL;
        }
    }
    int64_t nl = left->nrows, nr = right->nrows;
    keyset lk, rk;
    htab ht;
    wmap wm;
    packing pk;
    int64_t *rg = NULL, *lg = NULL, *start = NULL, *rows = NULL, *lidx = NULL, *ridx = NULL;
    cv_table *res = NULL;
    memset(&ht, 0, sizeof ht);
    memset(&wm, 0, sizeof wm);
    memset(&lk, 0, sizeof lk);
    memset(&rk, 0, sizeof rk);
    int ok = 1;
    for (int j = 0; ok && j < nkeys; j++) {
        if (rmode[j] != KEY_REMAP)
            continue;
        int32_t nd = cv_strdict_size(rc[j]->dict);
        if (!(remap[j] = xmalloc((size_t)nd * sizeof *remap[j]))) {
            ok = 0;
            break;
        }
        for (int32_t k = 0; k < nd; k++) {
            size_t len;
            const char *s = cv_strdict_get(rc[j]->dict, k, &len);
            remap[j][k] = cv_strdict_find(lc[j]->dict, s, len);
        }
    }
    keydesc lkd[64], rkd[64];
    for (int j = 0; j < nkeys; j++) {
        lkd[j] = (keydesc){lc[j], NULL, lmode[j] == KEY_DOUBLE};
        rkd[j] = (keydesc){rc[j], remap[j], rmode[j] == KEY_DOUBLE};
    }
    const keydesc *sides[2] = {lkd, rkd};
    int64_t sizes[2] = {nl, nr}, ng = 0;
    int words = ok && cv_tbl_plan_packing(&pk, sides, sizes, 2, nkeys) == 0;
    ok = ok && (rg = xmalloc((size_t)nr * sizeof *rg)) && (lg = xmalloc((size_t)nl * sizeof *lg));
    if (ok && words) {
        /* Fast path: every key in one word; right rows get ids, left rows look them up. */
        int64_t most = nl > nr ? nl : nr;
        uint64_t *w = xmalloc((size_t)most * sizeof *w);
        uint8_t *miss = xmalloc((size_t)most);
        ok = w && miss && cv_tbl_wmap_init(&wm, 0, pk.total, nr) == 0;
        if (ok) {
            cv_tbl_make_words(&pk, rkd, nr, 0, w, miss);
            for (int64_t i = 0; ok && i < nr; i++)
                ok = (rg[i] = miss[i] ? -1 : wmap_get(&wm, w[i], 1)) != -2;
        }
        if (ok) {
            cv_tbl_make_words(&pk, lkd, nl, 0, w, miss);
            for (int64_t i = 0; i < nl; i++)
                lg[i] = miss[i] ? -1 : wmap_get(&wm, w[i], 0);
        }
        ng = wm.n;
        cv_free(w);
        cv_free(miss);
    } else if (ok) {
        /* General path: several keys that do not pack, compared through keysets. */
        ok = cv_tbl_keyset_init(&lk, nkeys, nl) == 0 && cv_tbl_keyset_init(&rk, nkeys, nr) == 0;
        for (int j = 0; ok && j < nkeys; j++)
            ok = cv_tbl_keyset_col(&lk, j, lc[j], lmode[j], NULL) == 0 &&
                 cv_tbl_keyset_col(&rk, j, rc[j], rmode[j], remap[j]) == 0;
        ok = ok && cv_tbl_htab_init(&ht, 0) == 0;
        for (int64_t i = 0; ok && i < nr; i++)
            ok = (rg[i] = rk.miss && rk.miss[i] ? -1 : cv_tbl_htab_get(&ht, &rk, &rk, i, 1)) != -2;
        for (int64_t i = 0; ok && i < nl; i++)
            lg[i] = lk.miss && lk.miss[i] ? -1 : cv_tbl_htab_get(&ht, &rk, &lk, i, 0);
        ng = ht.ng;
    }
    /* Right rows by group: rows[start[g] .. start[g+1]) in right order. */
    ok = ok && (start = xcalloc((size_t)ng + 1, sizeof *start)) &&
         (rows = xmalloc((size_t)nr * sizeof *rows));
    if (ok) {
        for (int64_t i = 0; i < nr; i++)
            if (rg[i] >= 0)
                start[rg[i] + 1]++;
        for (int64_t g = 0; g < ng; g++)
            start[g + 1] += start[g];
        int64_t *fill = xmalloc((size_t)ng * sizeof *fill);
        if (!fill) {
            ok = 0;
        } else {
            memcpy(fill, start, (size_t)ng * sizeof *fill);
            for (int64_t i = 0; i < nr; i++)
                if (rg[i] >= 0)
                    rows[fill[rg[i]]++] = i;
            cv_free(fill);
        }
    }
    /* The output size. */
    int64_t total = 0;
    for (int64_t i = 0; ok && i < nl; i++) {
        int64_t g = lg[i];
        total += g >= 0 ? start[g + 1] - start[g] : kind == CV_JOIN_LEFT;
    }
    if (ok == 1 && cv_cancel_check(err)) /* between the passes: matching, then copying */
        ok = -1;
    ok = ok && (lidx = xmalloc((size_t)total * sizeof *lidx)) &&
         (ridx = xmalloc((size_t)total * sizeof *ridx));
    int identity = ok && total == nl;
    if (ok) {
        int64_t k = 0;
        for (int64_t i = 0; i < nl; i++) {
            int64_t g = lg[i];
            if (g >= 0) {
                for (int64_t p = start[g]; p < start[g + 1]; p++) {
                    identity &= k == i;
                    lidx[k] = i;
                    ridx[k++] = rows[p];
                }
            } else if (kind == CV_JOIN_LEFT) {
                identity &= k == i;
                lidx[k] = i;
                ridx[k++] = -1;
            }
        }
    }
    if (ok &&
        !(res = identity ? cv_tbl_share(left, err) : cv_tbl_take_rows(left, lidx, total, err)))
        ok = -1; /* err already set */
    for (int k = 0; ok == 1 && k < right->ncols; k++) {
        cv_column *c = right->cols[k];
        int is_key = 0;
        for (int j = 0; j < nkeys; j++)
            is_key |= c == rc[j];
        if (is_key)
            continue;
        cv_column *nc = cv_column_take(c, ridx, total);
        if (!nc) {
            ok = 0;
            break;
        }
        while (cv_table_find(res, nc->name) >= 0) {
            size_t len = strlen(nc->name);
            char *nm = cv_realloc(nc->name, len + 7);
            if (!nm) {
                ok = 0;
                break;
            }
            memcpy(nm + len, "_right", 7);
            nc->name = nm;
        }
        if (ok == 1 && cv_table_add(res, nc, err) != 0)
            ok = -1;
        cv_column_unref(nc);
    }
    if (ok == 1)
        res->nrows = total;
    for (int j = 0; j < nkeys; j++)
        cv_free(remap[j]);
    cv_tbl_keyset_free(&lk);
    cv_tbl_keyset_free(&rk);
    cv_tbl_htab_free(&ht);
    cv_tbl_wmap_free(&wm);
    cv_free(rg);
    cv_free(lg);
    cv_free(start);
    cv_free(rows);
    cv_free(lidx);
    cv_free(ridx);
    if (ok != 1) {
        if (ok == 0)
            NOMEM(err);
        cv_table_free(res);
        return NULL;
    }
    res->meta = left->meta; /* the left rows, repeated or dropped: still its customers */
    return res;
}
