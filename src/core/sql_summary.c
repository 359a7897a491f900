/* cvkit databases: the per-customer summary and its collapses run in the database: the
   statement's text by dialect (cv_sql_summary_text: sql_summary_text.c for SQLite and
   PostgreSQL, sql_summary_ch.c for ClickHouse), and the driver that runs it through
   cv_sql_read, checks it and turns its rows into exactly the table cv_summary_table makes
   (include/cvkit/summary.h for the definitions). */
#include "sql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/sql_ch.h"

/* ---- The statement's text ---------------------------------------------------------------- */

char *cv_sql_summary_text(cv_sql_kind k, const char *name, const cv_summary_options *o,
                          int *nparams, cv_error *err)
{
    if (sg_check(name, o, err) != 0)
        return NULL;
    if (nparams)
        *nparams = o->margin_rate_set ? 3 : 2;
    return k == CV_SQL_CLICKHOUSE ? ch_text(name, o, 0, err) : sg_text(k, name, o, 0, nparams, err);
}

/* ---- Running it --------------------------------------------------------------------------- */

/* A ClickHouse collapse's rows (ch_text: the distinct rows, their counts n, the column days
   and the late customers as a row x = -1): k_days and k_customers of the checks from them
   (the sums of days and of n), then the rows without the late customers and days. 0 or an
   error code (*rows freed and NULL). */
static int ch_counted(cv_table **rows, int nsum, int64_t k[9], int kv[9], cv_error *err)
{
    cv_table *t = *rows;
    const cv_column *x = t->cols[0], *n = t->cols[nsum - 1], *days = t->cols[nsum];
    k[4] = k[8] = 0;
    for (int64_t i = 0; i < t->nrows; i++) {
        k[4] += cv_column_int(days, i);
        k[8] += cv_column_int(n, i);
    }
    kv[4] = kv[8] = 1;
    const char *names[8];
    for (int j = 0; j < nsum; j++)
        names[j] = t->cols[j]->name;
    cv_value zero = {.kind = CV_VAL_NUMBER, .num = 0};
    cv_table *sel = cv_table_select(t, names, nsum, err);
    *rows = sel && x->type == CV_INT64 ? cv_table_filter(sel, "x", CV_GE, &zero, err) : NULL;
    if (sel && x->type != CV_INT64)
        cv_error_set(err, CV_ERR_IO, "clickhouse: the collapse's x is not an integer");
    cv_table_free(sel);
    cv_table_free(t);
    return *rows ? 0 : (err ? err->code : CV_ERR_NOMEM);
}

/* Runs the summary (collapse 0) or the collapse (1, 2) of table name in db: the rows, as
   the database gives them, into *rows and the nine checks into k[] (kv[j] = 0 when missing).
   0 or an error code. */
static int sg_query(cv_sql *db, const char *name, const cv_summary_options *o, int collapse,
                    cv_table **rows, int64_t k[9], int kv[9], cv_error *err)
{
    *rows = NULL;
    memset(kv, 0, 9 * sizeof *kv);
    char cal[16], obs[16];
    cv_sql_param p[3];
    sg_params(o, cal, obs, p);
    int np = o->margin_rate_set ? 3 : 2;

    /* the types of the result's columns, as cv_summary_table makes them */
    int want[32], nw = 0;
    const int cost = o->cost || o->margin || o->margin_rate_set;
    if (collapse) {
        want[nw++] = CV_INT64;
        want[nw++] = CV_FLOAT64;
        want[nw++] = CV_FLOAT64;
        if (collapse == 2)
            want[nw++] = CV_FLOAT64;
        want[nw++] = CV_INT64;
    } else {
        want[nw++] = -1; /* customer: as the database gives it */
        want[nw++] = CV_DATE;
        want[nw++] = CV_DATE;
        want[nw++] = CV_INT64;
        want[nw++] = CV_INT64;
        want[nw++] = CV_FLOAT64;
        want[nw++] = CV_FLOAT64;
        want[nw++] = CV_INT64;
        want[nw++] = CV_FLOAT64;
        want[nw++] = CV_FLOAT64;
        want[nw++] = CV_FLOAT64;
        if (cost)
            want[nw++] = CV_FLOAT64;
        if (o->observation_end_set) {
            want[nw++] = CV_INT64;
            want[nw++] = CV_FLOAT64;
        }
    }
    const int nsum = nw;
    const char *names[16];
    if (db->kind == CV_SQL_CLICKHOUSE) { /* two statements: the checks' row, then the rows */
        char *ct = ch_checks_text(name, o, collapse != 0, err);
        cv_table *chk = ct ? cv_sql_read(db, ct, p, np, NULL, 0, err) : NULL;
        cv_free(ct);
        if (!chk)
            return err ? err->code : CV_ERR_IO;
        if (chk->nrows != 1 || chk->ncols != 9) {
            cv_table_free(chk);
            return cv_error_set(err, CV_ERR_IO,
                                "clickhouse: the summary's checks gave %lld "
                                "rows",
                                (long long)chk->nrows);
        }
        for (int j = 0; j < 9; j++) {
            kv[j] = cv_column_is_valid(chk->cols[j], 0);
            k[j] = kv[j] ? cv_column_int(chk->cols[j], 0) : 0;
        }
        cv_table_free(chk);
        if (k[0] - k[1] <= 0) /* no complete row: minIf and maxIf gave 0, not NULL */
            kv[5] = kv[6] = 0;
        if (collapse)
            want[nw++] = CV_INT64; /* days */
        char *sql = ch_text(name, o, collapse, err);
        *rows = sql ? cv_sql_read(db, sql, p, np, want, nw, err) : NULL;
        cv_free(sql);
        if (!*rows)
            return err ? err->code : CV_ERR_IO;
        if (collapse && (*rows)->ncols == nw)
            return ch_counted(rows, nsum, k, kv, err);
        if ((*rows)->ncols != nsum) {
            cv_table_free(*rows);
            *rows = NULL;
            return cv_error_set(err, CV_ERR_USAGE,
                                "the summary query gave %d columns, "
                                "expected %d",
                                (*rows) ? (*rows)->ncols : 0, nsum);
        }
        return 0;
    }
    for (int i = 0; i < 9; i++)
        want[nw++] = CV_INT64;
    char *sql = sg_text(db->kind, name, o, collapse, NULL, err);
    if (!sql)
        return err ? err->code : CV_ERR_USAGE;
    cv_table *raw = cv_sql_read(db, sql, p, np, want, nw, err);
    cv_free(sql);
    if (!raw)
        return err ? err->code : CV_ERR_IO;
    if (raw->ncols != nw) {
        int n = raw->ncols;
        cv_table_free(raw);
        return cv_error_set(err, CV_ERR_USAGE, "the summary query gave %d columns, expected %d", n,
                            nw);
    }
    int64_t info = -1;
    for (int64_t i = 0; i < raw->nrows && info < 0; i++)
        if (cv_column_is_valid(raw->cols[nsum], i))
            info = i;
    for (int j = 0; j < 9 && info >= 0; j++) {
        kv[j] = cv_column_is_valid(raw->cols[nsum + j], info);
        k[j] = kv[j] ? cv_column_int(raw->cols[nsum + j], info) : 0;
    }
    /* keep the rows' columns, and the rows (the LEFT JOIN gives one empty row when there
       are none) */
    for (int j = 0; j < nsum; j++)
        names[j] = raw->cols[j]->name;
    cv_value none = {.kind = CV_VAL_MISSING};
    cv_table *sel = cv_table_select(raw, names, nsum, err);
    cv_table_free(raw);
    *rows = sel ? cv_table_filter(sel, collapse ? "n" : "customer", CV_NOTNA, &none, err) : NULL;
    cv_table_free(sel);
    return *rows ? 0 : (err ? err->code : CV_ERR_NOMEM);
}

/* Checks k[] as cv_summary_table would and fills rep (customers and transactions are the
   caller's). 0 or an error code. */
static int sg_checks(const char *name, const cv_summary_options *o, const int64_t k[9],
                     const int kv[9], cv_summary_report *rep, cv_error *err)
{
    const int cost = o->cost || o->margin || o->margin_rate_set;
    if (!kv[0] || !kv[5]) {
        int64_t miss = kv[1] ? k[1] : 0;
        if (miss && o->skip_missing)
            return cv_error_set(err, CV_ERR_USAGE,
                                "table '%s': no transactions to summarize (%lld rows skipped "
                                "for missing values)",
                                name, (long long)miss);
        if (!miss)
            return cv_error_set(err, CV_ERR_USAGE, "table '%s': no transactions to summarize",
                                name);
    }
    rep->rows = k[0];
    int64_t missing = k[1], negative = k[2];
    if (missing && !o->skip_missing)
        return cv_error_set(err, CV_ERR_PARSE,
                            "table '%s': %lld row%s with a missing customer, date or amount%s "
                            "(skip_missing drops such rows)",
                            name, (long long)missing, missing == 1 ? "" : "s",
                            cost ? " or cost" : "");
    if (negative && !o->allow_negative)
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "table '%s': %lld row%s with a negative amount in column '%s' "
                            "(allow_negative accepts returns)",
                            name, (long long)negative, negative == 1 ? "" : "s", o->amount);
    rep->skipped_missing = missing;
    rep->rows_after_end = k[3];
    rep->first_date = (int32_t)k[5];
    rep->last_date = (int32_t)k[6];
    rep->calibration_end = (int32_t)k[7];
    rep->passes = 1;
    if (rep->calibration_end < rep->first_date) {
        char a[16], b[16];
        cv_format_date(rep->calibration_end, a);
        cv_format_date(rep->first_date, b);
        return cv_error_set(err, CV_ERR_USAGE,
                            "table '%s': calibration end %s is before the first purchase %s", name,
                            a, b);
    }
    rep->merged_rows = rep->rows - rep->skipped_missing - rep->rows_after_end - k[4];
    if (o->observation_end_set) {
        rep->observation_end = o->observation_end;
        rep->holdout_length = cv_time_between(rep->calibration_end, o->observation_end, o->unit);
    }
    return 0;
}

/* The opening cv_sql_summary and cv_sql_collapse share: rep zeroed, the connection and the
   options checked, the statement of collapse (0, 1, 2) run and its checks made (k: their
   counts); the rows, or NULL with err set. */
static cv_table *sg_open(cv_sql *db, const char *name, const cv_summary_options *o, int collapse,
                         cv_summary_report *rep, int64_t k[9], cv_error *err)
{
    cv_table *rows;
    int kv[9];
    memset(rep, 0, sizeof *rep);
    if (!db) {
        cv_error_set(err, CV_ERR_USAGE, "no connection");
        return NULL;
    }
    if (sg_check(name, o, err) != 0)
        return NULL;
    if (sg_query(db, name, o, collapse, &rows, k, kv, err) != 0)
        return NULL;
    if (sg_checks(name, o, k, kv, rep, err) != 0) {
        cv_table_free(rows);
        return NULL;
    }
    return rows;
}

cv_table *cv_sql_summary(cv_sql *db, const char *name, const cv_summary_options *o,
                         cv_summary_report *rep, cv_error *err)
{
    cv_summary_report dummy;
    int64_t k[9];
    if (!rep)
        rep = &dummy;
    cv_table *out = NULL, *rows = sg_open(db, name, o, 0, rep, k, err);
    if (!rows)
        return NULL;
    cv_type idt = rows->cols[0]->type;
    if (idt != CV_INT64 && idt != CV_STRING && rows->nrows > 1) {
        cv_error_set(err, CV_ERR_TYPE, "customer column '%s' is %s, expected int or string ids",
                     o->customer, cv_type_name(idt));
        goto done;
    }
    cv_sort_key key = {"customer", 0};
    if (!(out = cv_table_sort(rows, &key, 1, err)))
        goto done;
    rep->customers = out->nrows;
    rep->excluded_late = k[8] - out->nrows;
    for (int64_t i = 0; i < out->nrows; i++)
        rep->transactions += cv_column_int(out->cols[3], i);
    out->meta.unit = (int)o->unit;
    out->meta.calibration_end = rep->calibration_end;
    out->meta.has_observation_end = o->observation_end_set != 0;
    out->meta.observation_end = o->observation_end_set ? o->observation_end : 0;
done:
    cv_table_free(rows);
    return out;
}

cv_table *cv_sql_collapse(cv_sql *db, const char *name, const cv_summary_options *o, int spend,
                          cv_summary_report *rep, cv_error *err)
{
    cv_summary_report dummy;
    int64_t k[9];
    if (!rep)
        rep = &dummy;
    cv_table *out = NULL, *rows = sg_open(db, name, o, spend ? 2 : 1, rep, k, err);
    if (!rows)
        return NULL;
    cv_sort_key keys[4] = {{"x", 0}, {"t_x", 0}, {"T", 0}, {"mean_repeat_spend", 0}};
    if (!(out = cv_table_sort(rows, keys, spend ? 4 : 3, err)))
        goto done;
    const cv_column *n = out->cols[out->ncols - 1], *x = out->cols[0];
    for (int64_t i = 0; i < out->nrows; i++) {
        rep->customers += cv_column_int(n, i);
        rep->transactions += cv_column_int(n, i) * (cv_column_int(x, i) + 1);
    }
    rep->excluded_late = k[8] - rep->customers;
    out->meta.unit = (int)o->unit;
    out->meta.calibration_end = rep->calibration_end;
done:
    cv_table_free(rows);
    return out;
}
