/* cvkit databases: the per-customer summary, its collapses and its checks as ClickHouse SQL
   (ch_text, ch_checks_text), over the dialect pieces of sql_summary_text.c. Below the runner
   (sql_summary.c) and the score view (sql_score.c). */
#include "sql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"

/* ---- ClickHouse ------------------------------------------------------------------------- */

/* ClickHouse 18 has no window functions and no table CTEs: its summary is an aggregation in
   three nested layers (transactions -> customer days -> customers), which a Distributed
   table runs on every shard and merges, with the calibration and observation ends as
   scalar WITH expressions. Its checks are a second statement of one row (ch_checks_text). */

/* The statements read the table at the level of their aggregation, with no subquery
   between: on a Distributed table ClickHouse then runs the WHERE and the aggregation on
   every shard and merges the partial states, so what leaves a shard is one row per
   customer and day (ch_days), one maximum (the last purchase) or the checks' states, never
   every transaction (a plain "SELECT c, d, a FROM table" under them would be all that the
   shards run). So the columns are written out where they are used: */

/* Appends the day number of the date column: toInt32(toDate(date)). */
static void ch_day(sq_buf *b, const cv_summary_options *o)
{
    sq_puts(b, "toInt32(toDate(");
    cv_ch_ident(b, o->date, 0);
    sq_puts(b, "))");
}

/* Appends "(isNull(customer) OR isNull(date) OR isNull(amount)[ OR isNull(cost|margin)])":
   the incomplete rows. */
static void ch_miss(sq_buf *b, const cv_summary_options *o, int cost_mode)
{
    sq_puts(b, "(isNull(");
    cv_ch_ident(b, o->customer, 0);
    sq_puts(b, ") OR isNull(");
    cv_ch_ident(b, o->date, 0);
    sq_puts(b, ") OR isNull(");
    cv_ch_ident(b, o->amount, 0);
    if (cost_mode == 1 || cost_mode == 2) {
        sq_puts(b, ") OR isNull(");
        cv_ch_ident(b, cost_mode == 1 ? o->cost : o->margin, 0);
    }
    sq_puts(b, "))");
}

/* "WITH <cal> AS cal, <obs> AS obs": given ($1, $2) or the last purchase. */
static void ch_with(sq_buf *b, const char *name, const cv_summary_options *o, int cost_mode)
{
    sq_buf last = {0};
    sq_puts(&last, "(SELECT max(");
    ch_day(&last, o);
    sq_puts(&last, ") FROM ");
    cv_ch_ident(&last, name, 1);
    sq_puts(&last, " WHERE NOT ");
    ch_miss(&last, o, cost_mode);
    sq_puts(&last, ")");
    const char *lp = last.oom ? "" : last.p;
    sq_puts(b, "WITH ");
    if (o->calibration_end_set)
        sq_puts(b, "toInt32(toDate($1))");
    else
        sq_puts(b, lp);
    sq_puts(b, " AS cal, ");
    if (o->observation_end_set)
        sq_puts(b, "toInt32(toDate($2))");
    else
        sq_puts(b, "cal");
    sq_puts(b, " AS obs\n");
    if (last.oom)
        b->oom = 1;
    cv_free(last.p);
}

/* "SELECT cvkit_c AS c, cvkit_d AS d, cvkit_da AS da[, cvkit_dg AS dg] FROM (SELECT ... FROM
   name WHERE <complete> GROUP BY cvkit_c, cvkit_d)": one row per customer and day, amounts
   (and margins) summed. The table is read at the level of that GROUP BY, with nothing
   between: on a Distributed table ClickHouse then runs the WHERE and the GROUP BY on every
   shard and merges the partial sums, so one row per customer and day (not every
   transaction) leaves each shard; the levels above run on the initiator. The cvkit_ aliases
   keep a column of the table named c, d, a or g from meeting an alias of this level. */
static void ch_days(sq_buf *b, const char *name, const cv_summary_options *o, int cost_mode)
{
    sq_puts(b, "    SELECT cvkit_c AS c, cvkit_d AS d, cvkit_da AS da");
    if (cost_mode)
        sq_puts(b, ", cvkit_dg AS dg");
    sq_puts(b, " FROM (\n    SELECT ");
    cv_ch_ident(b, o->customer, 0);
    sq_puts(b, " AS cvkit_c, ");
    ch_day(b, o);
    sq_puts(b, " AS cvkit_d, sum(");
    cv_ch_ident(b, o->amount, 0);
    sq_puts(b, ") AS cvkit_da");
    if (cost_mode == 1 || cost_mode == 2) {
        sq_puts(b, ", sum(");
        if (cost_mode == 1) {
            cv_ch_ident(b, o->amount, 0);
            sq_puts(b, " - ");
        }
        cv_ch_ident(b, cost_mode == 1 ? o->cost : o->margin, 0);
        sq_puts(b, ") AS cvkit_dg");
    } else if (cost_mode == 3) {
        sq_puts(b, ", sum(");
        cv_ch_ident(b, o->amount, 0);
        sq_puts(b, " * toFloat64($3)) AS cvkit_dg");
    }
    sq_puts(b, "\n    FROM ");
    cv_ch_ident(b, name, 1);
    sq_puts(b, "\n    WHERE NOT ");
    ch_miss(b, o, cost_mode);
    sq_puts(b, "\n    GROUP BY cvkit_c, cvkit_d)");
}

/* The per-customer rows (collapse 0), or the distinct (x, t_x, T) (1) or (x, t_x, T, m) (2)
   with their counts n and the customers' days up to obs, `days` (k_days of the checks). A
   collapse keeps the customers whose first purchase is after cal as one row x = -1, t_x = T
   = 0 (the first: sorted by x) that cvkit counts and drops: it carries the checks' k_days
   and k_customers, so that the checks need no uniqExact, a state that does not spill to
   disk and that a shard could not hold at 100 million customers (about 16 bytes a
   customer-day, times two for the hash table's room). */
char *ch_text(const char *name, const cv_summary_options *o, int collapse, cv_error *err)
{
    const int cost_mode = o->cost ? 1 : o->margin ? 2 : o->margin_rate_set ? 3 : 0;
    const int hold = o->observation_end_set;
    const char *div = o->unit == CV_UNIT_WEEK ? " / 7" : "";
    sq_buf b = {0};
    if (collapse)
        sq_printf(&b,
                  "SELECT x, t_x, `T`%s, toInt64(count()) AS n, toInt64(sum(nd)) AS days FROM (\n",
                  collapse == 2 ? ", mean_repeat_spend" : "");
    /* a collapse: t_x and T are 0 for the late customers (x = -1), all in one row */
    const char *ifk = collapse ? "if(ncal > 0, " : "", *ifz = collapse ? ", 0.)" : "";
    const int months = o->unit == CV_UNIT_MONTH || o->unit == CV_UNIT_YEAR;
    sq_puts(&b,
            "SELECT c AS customer, f AS `first`, la AS `last`, ncal AS orders, ncal - 1 AS x,\n");
    if (months) /* calendar months, as the other dialects (cvkit_cal1..3) */
        sq_printf(&b,
                  "  %s(toFloat64(ml) + toFloat64(la - lol) / (hil - lol))%s%s AS t_x,\n"
                  "  %s(toFloat64(me) + toFloat64(e - loe) / (hie - loe))%s%s AS `T`,\n",
                  ifk, o->unit == CV_UNIT_YEAR ? " / 12" : "", ifz, ifk,
                  o->unit == CV_UNIT_YEAR ? " / 12" : "", ifz);
    else
        sq_printf(&b, "  %stoFloat64(la - f)%s%s AS t_x, %stoFloat64(e - f)%s%s AS `T`,\n", ifk,
                  div, ifz, ifk, div, ifz);
    sq_puts(&b, "  e - la AS days_since_last,\n"
                "  if(ncal > 1, rep / (ncal - 1), NULL) AS mean_repeat_spend,\n"
                "  (fa + rep) / ncal AS mean_spend, fa + rep AS revenue");
    if (cost_mode)
        sq_puts(&b, ", mg AS margin");
    if (hold)
        sq_puts(&b, ", xh AS x_holdout, sh AS spend_holdout");
    if (collapse)
        sq_puts(&b, ", nd");
    sq_puts(&b, "\nFROM (\n");
    if (months) {
        const char *cols[3] = {"f", "la", "e"}, *pre[3] = {"f", "l", "e"};
        sq_puts(&b, "SELECT *");
        for (int i = 1; i < 3; i++) {
            char kk[64];
            snprintf(kk, sizeof kk, "fy * 12 + fm - 1 + m%s", pre[i]);
            sq_puts(&b, ",\n  ");
            sg_add_months(&b, kk, "fd", 1);
            sq_printf(&b, " AS lo%s,\n  ", pre[i]);
            snprintf(kk, sizeof kk, "fy * 12 + fm + m%s", pre[i]);
            sg_add_months(&b, kk, "fd", 1);
            sq_printf(&b, " AS hi%s", pre[i]);
        }
        sq_puts(&b, "\nFROM (\nSELECT *");
        for (int i = 1; i < 3; i++) {
            char y[8], m[8], d[8];
            snprintf(y, sizeof y, "%sy", pre[i]);
            snprintf(m, sizeof m, "%sm", pre[i]);
            snprintf(d, sizeof d, "%sd", pre[i]);
            sq_printf(&b, ",\n  (%s - fy) * 12 + (%s - fm) - CASE WHEN ", y, m);
            sq_buf len = {0};
            sg_month_len(&len, y, m);
            sg_min2(&b, "fd", len.oom ? "31" : len.p);
            cv_free(len.p);
            sq_printf(&b, " > %s THEN 1 ELSE 0 END AS m%s", d, pre[i]);
        }
        sq_puts(&b, "\nFROM (\nSELECT *");
        for (int i = 0; i < 3; i++)
            sq_printf(&b,
                      ",\n  toInt32(toYear(toDate('1970-01-01') + %s)) AS %sy, "
                      "toInt32(toMonth(toDate('1970-01-01') + %s)) AS %sm, "
                      "toInt32(toDayOfMonth(toDate('1970-01-01') + %s)) AS %sd",
                      cols[i], pre[i], cols[i], pre[i], cols[i], pre[i]);
        sq_puts(&b, "\nFROM (\n");
    }
    ch_with(&b, name, o, cost_mode);
    sq_puts(&b, "  SELECT c, cal AS e, min(d) AS f, maxIf(d, d <= cal) AS la,\n"
                "    toInt64(countIf(d <= cal)) AS ncal, argMin(da, d) AS fa,\n"
                "    arraySum(arrayMap(p -> if(p.1 > f AND p.1 <= cal, p.2, 0), "
                "groupArray((d, da)))) AS rep");
    if (cost_mode)
        sq_puts(&b, ",\n    sumIf(dg, d <= cal) AS mg");
    if (hold)
        sq_puts(&b, ",\n    toInt64(countIf(d > cal AND d <= obs)) AS xh,"
                    " sumIf(da, d > cal AND d <= obs) AS sh");
    if (collapse)
        sq_puts(&b, ",\n    toInt64(countIf(d <= obs)) AS nd");
    sq_puts(&b, "\n  FROM (\n");
    ch_days(&b, name, o, cost_mode);
    sq_puts(&b, collapse ? "\n  )\n  GROUP BY c\n)" : "\n  )\n  GROUP BY c\n  HAVING f <= cal\n)");
    if (months)
        sq_puts(&b, ")))");
    if (collapse)
        sq_printf(&b, "\n) GROUP BY x, t_x, `T`%s ORDER BY x, t_x, `T`%s",
                  collapse == 2 ? ", mean_repeat_spend" : "",
                  collapse == 2 ? ", mean_repeat_spend" : "");
    sq_putn(&b, "\n", 1);
    if (b.oom) {
        cv_free(b.p);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing the summary's sql");
        return NULL;
    }
    return b.p;
}

/* The one row of checks: k_rows, k_missing, k_negative, k_after, k_days, k_first, k_last,
   k_cal, k_customers (as the last columns of the other dialects' statement); with counted
   (a collapse, whose rows carry them) k_days and k_customers are 0 here: the two uniqExact
   states are the costly part of the checks, and do not spill to disk. */
char *ch_checks_text(const char *name, const cv_summary_options *o, int counted, cv_error *err)
{
    const int cost_mode = o->cost ? 1 : o->margin ? 2 : o->margin_rate_set ? 3 : 0;
    sq_buf b = {0}, c = {0}, d = {0}, a = {0}, m = {0};
    cv_ch_ident(&c, o->customer, 0);
    ch_day(&d, o);
    cv_ch_ident(&a, o->amount, 0);
    ch_miss(&m, o, cost_mode);
    ch_with(&b, name, o, cost_mode);
    if (c.oom || d.oom || a.oom || m.oom) {
        b.oom = 1;
    } else {
        const char *C = c.p, *D = d.p, *A = a.p, *M = m.p;
        sq_printf(&b,
                  "SELECT toInt64(count()) AS k_rows, toInt64(countIf(%s)) AS k_missing,\n"
                  "  toInt64(countIf(NOT %s AND %s <= obs AND %s < 0)) AS k_negative,\n"
                  "  toInt64(countIf(NOT %s AND %s > obs)) AS k_after,\n",
                  M, M, D, A, M, D);
        if (counted)
            sq_puts(&b, "  toInt64(0) AS k_days,\n");
        else
            sq_printf(&b, "  toInt64(uniqExactIf((%s, %s), NOT %s AND %s <= obs)) AS k_days,\n", C,
                      D, M, D);
        sq_printf(&b,
                  "  minIf(%s, NOT %s) AS k_first, maxIf(%s, NOT %s) AS k_last, cal AS k_cal,\n", D,
                  M, D, M);
        if (counted)
            sq_puts(&b, "  toInt64(0) AS k_customers\nFROM ");
        else
            sq_printf(&b, "  toInt64(uniqExactIf(%s, NOT %s)) AS k_customers\nFROM ", C, M);
        cv_ch_ident(&b, name, 1);
        sq_puts(&b, "\n");
    }
    cv_free(c.p);
    cv_free(d.p);
    cv_free(a.p);
    cv_free(m.p);
    if (b.oom) {
        cv_free(b.p);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing the summary's sql");
        return NULL;
    }
    return b.p;
}
