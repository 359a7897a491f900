/* cvkit databases: the per-customer summary as one SQL statement (CTEs) for SQLite and
   PostgreSQL, and the driver that runs it and turns its rows into exactly the table
   cv_summary_table makes (include/cvkit/summary.h for the definitions). */
#include "sql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/sql_ch.h"

/* ---- Dialect pieces ------------------------------------------------------------------------ */

/* A bound parameter: $n or ?n. */
static void sg_param(sq_buf *b, cv_sql_kind k, int n)
{
    sq_printf(b, k == CV_SQL_POSTGRES ? "$%d" : "?%d", n);
}

/* Days since 1970-01-01 of a date, timestamp or date text expression (whole days). */
static void sg_day_open(sq_buf *b, cv_sql_kind k)
{
    sq_puts(b, k == CV_SQL_POSTGRES ? "(CAST(" : "CAST(julianday(date(");
}
static void sg_day_close(sq_buf *b, cv_sql_kind k)
{
    sq_puts(b,
            k == CV_SQL_POSTGRES ? " AS date) - DATE '1970-01-01')" : ")) - 2440587.5 AS INTEGER)");
}
static void sg_day_param(sq_buf *b, cv_sql_kind k, int n)
{
    sg_day_open(b, k);
    sg_param(b, k, n);
    sg_day_close(b, k);
}

/* Year, month or day of month (what: 'Y', 'm', 'd') of a day number column x. */
static void sg_civil(sq_buf *b, cv_sql_kind k, char what, const char *x)
{
    if (k == CV_SQL_POSTGRES)
        sq_printf(b, "CAST(EXTRACT(%s FROM DATE '1970-01-01' + %s) AS INTEGER)",
                  what == 'Y'   ? "YEAR"
                  : what == 'm' ? "MONTH"
                                : "DAY",
                  x);
    else
        sq_printf(b, "CAST(strftime('%%%c', %s + 2440587.5) AS INTEGER)", what, x);
}

/* The length of month m of year y (integer expressions). */
static void sg_month_len(sq_buf *b, const char *y, const char *m)
{
    sq_printf(b,
              "(CASE WHEN %s = 2 THEN CASE WHEN (%s %% 4 = 0 AND %s %% 100 <> 0) OR %s %% 400 = 0 "
              "THEN 29 ELSE 28 END WHEN %s IN (4, 6, 9, 11) THEN 30 ELSE 31 END)",
              m, y, y, y, m);
}

/* The smaller of a and b. */
static void sg_min2(sq_buf *b, const char *x, const char *y)
{
    sq_printf(b, "(CASE WHEN %s < %s THEN %s ELSE %s END)", x, y, x, y);
}

/* Days since 1970-01-01 of y-m-d (integers, year >= 1), in integer arithmetic that both
   dialects evaluate alike (truncating division of non-negative numbers):
   y' = y - (m <= 2); 365 y' + y'/4 - y'/100 + y'/400 + (153 ((m + 9) mod 12) + 2)/5 + d - 1
   - 719468, as cv_days_from_civil. */
static void sg_dfc(sq_buf *b, const char *y, const char *m, const char *d, int ch)
{
    char yy[256];
    snprintf(yy, sizeof yy, "(%s - CASE WHEN %s <= 2 THEN 1 ELSE 0 END)", y, m);
    if (ch) /* ClickHouse's / divides in floating point: intDiv truncates */
        sq_printf(b,
                  "(365 * %s + intDiv(%s, 4) - intDiv(%s, 100) + intDiv(%s, 400) + "
                  "intDiv(153 * ((%s + 9) %% 12) + 2, 5) + %s - 1 - 719468)",
                  yy, yy, yy, yy, m, d);
    else
        sq_printf(b,
                  "(365 * %s + %s / 4 - %s / 100 + %s / 400 + (153 * ((%s + 9) %% 12) + 2) / 5 "
                  "+ %s - 1 - 719468)",
                  yy, yy, yy, yy, m, d);
}

/* The day first + k months (k: an expression of months since year 0, i.e. the month index
   y * 12 + m - 1 of the target), first's day of month fd clamped to the target's length. */
static void sg_add_months(sq_buf *b, const char *kidx, const char *fd, int ch)
{
    char y[96], m[96];
    snprintf(y, sizeof y, ch ? "intDiv(%s, 12)" : "((%s) / 12)", kidx);
    snprintf(m, sizeof m, "((%s) %% 12 + 1)", kidx);
    sq_buf len = {0}, day = {0};
    sg_month_len(&len, y, m);
    sg_min2(&day, fd, len.oom ? "31" : len.p);
    sg_dfc(b, y, m, day.oom ? fd : day.p, ch);
    if (len.oom || day.oom)
        b->oom = 1;
    cv_free(len.p);
    cv_free(day.p);
}

/* The time from day column a to day column b in the unit (a double expression); for
   months and years the columns mo (whole months), lo, hi (the days a + mo months and
   a + mo + 1 months) computed in the layers before. */
static void sg_time(sq_buf *b, cv_time_unit u, const char *a, const char *bb, const char *mo,
                    const char *lo, const char *hi)
{
    switch (u) {
    case CV_UNIT_DAY:
        sq_printf(b, "CAST(%s - %s AS DOUBLE PRECISION)", bb, a);
        break;
    case CV_UNIT_WEEK:
        sq_printf(b, "CAST(%s - %s AS DOUBLE PRECISION) / 7", bb, a);
        break;
    case CV_UNIT_MONTH:
    case CV_UNIT_YEAR:
        sq_printf(
            b, "(CAST(%s AS DOUBLE PRECISION) + CAST(%s - %s AS DOUBLE PRECISION) / (%s - %s))%s",
            mo, bb, lo, hi, lo, u == CV_UNIT_YEAR ? " / 12" : "");
        break;
    }
}

/* ---- Options -----------------------------------------------------------------------------------
 */

/* The summary options (cv_summary_options_check, shared with the file and table paths) and
   what the database adds: a table named, same-day rows merged. */
static int sg_check(const char *name, const cv_summary_options *o, cv_error *err)
{
    if (!name || !*name)
        return cv_error_set(err, CV_ERR_USAGE, "the table of transactions must be given");
    int rc = cv_summary_options_check(o, err);
    if (rc != 0)
        return rc;
    if (o->split_same_day)
        return cv_error_set(err, CV_ERR_USAGE,
                            "merge_same_day = false is not supported in the database (rows of "
                            "one day have no order there): summarize a loaded table instead");
    return 0;
}

/* Fills p[0..3), the statements' parameters: $1 the calibration end and $2 the observation
   end as 'YYYY-MM-DD' text written into cal and obs (NULL when not set), $3 the margin rate. */
static void sg_params(const cv_summary_options *o, char cal[16], char obs[16], cv_sql_param p[3])
{
    memset(p, 0, 3 * sizeof *p);
    if (o->calibration_end_set) {
        cv_format_date(o->calibration_end, cal);
        p[0].kind = CV_SQLP_TEXT;
        p[0].s = cal;
    }
    if (o->observation_end_set) {
        cv_format_date(o->observation_end, obs);
        p[1].kind = CV_SQLP_TEXT;
        p[1].s = obs;
    }
    p[2].kind = CV_SQLP_FLOAT;
    p[2].f = o->margin_rate;
}

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
   with their counts n. */
static char *ch_text(const char *name, const cv_summary_options *o, int collapse, cv_error *err)
{
    const int cost_mode = o->cost ? 1 : o->margin ? 2 : o->margin_rate_set ? 3 : 0;
    const int hold = o->observation_end_set;
    const char *div = o->unit == CV_UNIT_WEEK ? " / 7" : "";
    sq_buf b = {0};
    if (collapse)
        sq_printf(&b, "SELECT x, t_x, `T`%s, toInt64(count()) AS n FROM (\n",
                  collapse == 2 ? ", mean_repeat_spend" : "");
    const int months = o->unit == CV_UNIT_MONTH || o->unit == CV_UNIT_YEAR;
    sq_puts(&b,
            "SELECT c AS customer, f AS `first`, la AS `last`, ncal AS orders, ncal - 1 AS x,\n");
    if (months) /* calendar months, as the other dialects (cvkit_cal1..3) */
        sq_printf(&b,
                  "  (toFloat64(ml) + toFloat64(la - lol) / (hil - lol))%s AS t_x,\n"
                  "  (toFloat64(me) + toFloat64(e - loe) / (hie - loe))%s AS `T`,\n",
                  o->unit == CV_UNIT_YEAR ? " / 12" : "", o->unit == CV_UNIT_YEAR ? " / 12" : "");
    else
        sq_printf(&b, "  toFloat64(la - f)%s AS t_x, toFloat64(e - f)%s AS `T`,\n", div, div);
    sq_puts(&b, "  e - la AS days_since_last,\n"
                "  if(ncal > 1, rep / (ncal - 1), NULL) AS mean_repeat_spend,\n"
                "  (fa + rep) / ncal AS mean_spend, fa + rep AS revenue");
    if (cost_mode)
        sq_puts(&b, ", mg AS margin");
    if (hold)
        sq_puts(&b, ", xh AS x_holdout, sh AS spend_holdout");
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
    sq_puts(&b, "\n  FROM (\n");
    ch_days(&b, name, o, cost_mode);
    sq_puts(&b, "\n  )\n  GROUP BY c\n  HAVING f <= cal\n)");
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
   k_cal, k_customers (as the last columns of the other dialects' statement). */
static char *ch_checks_text(const char *name, const cv_summary_options *o, cv_error *err)
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
                  "  toInt64(countIf(NOT %s AND %s > obs)) AS k_after,\n"
                  "  toInt64(uniqExactIf((%s, %s), NOT %s AND %s <= obs)) AS k_days,\n"
                  "  minIf(%s, NOT %s) AS k_first, maxIf(%s, NOT %s) AS k_last, cal AS k_cal,\n"
                  "  toInt64(uniqExactIf(%s, NOT %s)) AS k_customers\nFROM ",
                  M, M, D, A, M, D, C, D, M, D, D, M, D, M, C, M);
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

/* ---- The statement -------------------------------------------------------------------------- */

/* "SELECT customer AS c, <date as a day number> AS d, amount AS a[, cost or margin AS g] FROM
   name" in dialect k (not ClickHouse): the columns the statement reads, written once for the
   transactions and for the scans of the last purchase and the skipped rows. */
static void sg_columns(sq_buf *b, cv_sql_kind k, const char *name, const cv_summary_options *o,
                       int cost_mode)
{
    sq_puts(b, "SELECT ");
    sq_ident(b, o->customer, 0);
    sq_puts(b, " AS c, ");
    sg_day_open(b, k);
    sq_ident(b, o->date, 0);
    sg_day_close(b, k);
    sq_puts(b, " AS d, ");
    sq_ident(b, o->amount, 0);
    sq_puts(b, " AS a");
    if (cost_mode == 1 || cost_mode == 2) {
        sq_puts(b, ", ");
        sq_ident(b, cost_mode == 1 ? o->cost : o->margin, 0);
        sq_puts(b, " AS g");
    }
    sq_puts(b, " FROM ");
    sq_ident(b, name, 1);
}

/* The statement of dialect k (not ClickHouse): the summary's rows (collapse 0) or the
   distinct (x, t_x, T[, m]) with their counts n (collapse 1, 2), then the checks' columns
   k_rows ... k_customers, filled on one row. */
static char *sg_text(cv_sql_kind k, const char *name, const cv_summary_options *o, int collapse,
                     int *nparams, cv_error *err)
{
    const int cost_mode = o->cost ? 1 : o->margin ? 2 : o->margin_rate_set ? 3 : 0;
    const int hold = o->observation_end_set;
    const int months = o->unit == CV_UNIT_MONTH || o->unit == CV_UNIT_YEAR;
    const int has_g = cost_mode == 1 || cost_mode == 2;
    const char *gnull = has_g ? " OR g IS NULL" : "";
    sq_buf b = {0};

    /* tx: the three (four) columns, dates as day numbers; with skip_missing, only the rows
       where all are present */
    sq_puts(&b, "WITH cvkit_tx AS (\n  SELECT * FROM (");
    sg_columns(&b, k, name, o, cost_mode);
    sq_puts(&b, ") cvkit_t");
    if (o->skip_missing)
        sq_printf(&b, "\n  WHERE NOT (c IS NULL OR d IS NULL OR a IS NULL%s)", gnull);
    /* last: the last purchase, for a calibration end not given (scanned only then); skip:
       the rows skip_missing leaves out (scanned only with it) */
    for (int pass = 0; pass < 1 + o->skip_missing; pass++) {
        sq_puts(&b, pass ? "\n),\ncvkit_skip AS (\n  SELECT COUNT(*) AS m FROM "
                         : "\n),\ncvkit_last AS (\n  SELECT MAX(d) AS m FROM ");
        sq_puts(&b, "(");
        sg_columns(&b, k, name, o, cost_mode);
        sq_printf(&b, ") cvkit_t\n  WHERE %s(c IS NULL OR d IS NULL OR a IS NULL%s)",
                  pass ? "" : "NOT ", gnull);
    }
    /* lim: the calibration and observation ends (given, or the last purchase) */
    sq_puts(&b, "\n),\ncvkit_lim AS (\n  SELECT COALESCE(");
    sg_day_param(&b, k, 1);
    sq_puts(&b, ", (SELECT m FROM cvkit_last)) AS cal,\n    COALESCE(");
    sg_day_param(&b, k, 2);
    sq_puts(&b, ", ");
    sg_day_param(&b, k, 1);
    sq_puts(&b, ", (SELECT m FROM cvkit_last)) AS obs\n),\n");
    /* win: each row with its customer's first day, whether it opens a new day (same-day
       purchases are one transaction) and whether a value is missing; one window over the
       rows sorted by customer and day, which the grouping below then reads in order */
    sq_printf(&b,
              "cvkit_win AS (\n  SELECT t.*, l.cal AS cal, l.obs AS obs,\n"
              "    CASE WHEN t.c IS NULL OR t.d IS NULL OR t.a IS NULL%s THEN 1 ELSE 0 END "
              "AS miss,\n"
              "    CASE WHEN LAG(t.d) OVER w = t.d THEN 0 ELSE 1 END AS nd,\n"
              "    MIN(t.d) OVER w AS f0\n"
              "  FROM cvkit_tx t CROSS JOIN cvkit_lim l\n"
              "  WINDOW w AS (PARTITION BY t.c ORDER BY t.d)\n),\n",
              has_g ? " OR t.g IS NULL" : "");
    /* cust: per customer, the calibration (and holdout) totals and what the checks count */
    sq_puts(&b, "cvkit_cust AS (\n  SELECT c, MIN(f0) AS f, MIN(cal) AS cal,\n"
                "    MAX(CASE WHEN d <= cal THEN d END) AS la,\n"
                "    SUM(CASE WHEN nd = 1 AND d <= cal THEN 1 ELSE 0 END) AS ncal,\n"
                "    SUM(CASE WHEN d = f0 THEN a ELSE 0 END) AS fa,\n"
                "    SUM(CASE WHEN d > f0 AND d <= cal THEN a ELSE 0 END) AS rep");
    if (cost_mode == 3) { /* margin = amount x rate, the rate a parameter */
        sq_puts(&b, ",\n    SUM(CASE WHEN d <= cal THEN a * CAST(");
        sg_param(&b, k, 3);
        sq_puts(&b, " AS DOUBLE PRECISION) ELSE 0 END) AS mg");
    } else if (cost_mode) {
        sq_printf(&b, ",\n    SUM(CASE WHEN d <= cal THEN %s ELSE 0 END) AS mg",
                  cost_mode == 1 ? "a - g" : "g");
    }
    if (hold)
        sq_puts(&b,
                ",\n    SUM(CASE WHEN nd = 1 AND d > cal AND d <= obs THEN 1 ELSE 0 END) AS xh,\n"
                "    SUM(CASE WHEN d > cal AND d <= obs THEN a ELSE 0 END) AS sh");
    sq_puts(&b, ",\n    COUNT(*) AS k_n, SUM(miss) AS k_missing,\n"
                "    SUM(CASE WHEN c IS NOT NULL AND d <= obs AND a < 0 THEN 1 ELSE 0 END) "
                "AS k_neg,\n"
                "    SUM(CASE WHEN c IS NOT NULL AND miss = 0 AND d > obs THEN 1 ELSE 0 END) "
                "AS k_after,\n"
                "    SUM(CASE WHEN c IS NOT NULL AND miss = 0 AND nd = 1 AND d <= obs THEN 1 "
                "ELSE 0 END) AS k_days,\n"
                "    MAX(d) AS k_last\n"
                "  FROM cvkit_win GROUP BY c\n),\n"
                "cvkit_in AS (\n  SELECT * FROM cvkit_cust WHERE c IS NOT NULL AND f <= cal\n),\n");
    const char *from = "cvkit_in";
    if (months) {
        /* calendar months (summary.h): the whole months m from a to b, then the days
           a + m months and a + m + 1 months, for b = the last purchase and the end */
        sq_puts(&b, "cvkit_cal1 AS (\n  SELECT *, ");
        const char *cols[3] = {"f", "la", "cal"};
        const char *pre[3] = {"f", "l", "e"};
        for (int i = 0; i < 3; i++)
            for (int w = 0; w < 3; w++) {
                char x = "Ymd"[w];
                if (i || w)
                    sq_puts(&b, ", ");
                sg_civil(&b, k, x, cols[i]);
                sq_printf(&b, " AS %s%c", pre[i], x == 'Y' ? 'y' : x);
            }
        sq_puts(&b, "\n  FROM cvkit_in\n),\ncvkit_cal2 AS (\n  SELECT *");
        for (int i = 1; i < 3; i++) {
            char y[8], m[8], d[8];
            snprintf(y, sizeof y, "%sy", pre[i]);
            snprintf(m, sizeof m, "%sm", pre[i]);
            snprintf(d, sizeof d, "%sd", pre[i]);
            sq_printf(&b, ",\n    (%s - fy) * 12 + (%s - fm) - CASE WHEN ", y, m);
            sq_buf len = {0};
            sg_month_len(&len, y, m);
            sg_min2(&b, "fd", len.oom ? "31" : len.p);
            cv_free(len.p);
            sq_printf(&b, " > %s THEN 1 ELSE 0 END AS m%s", d, pre[i]);
        }
        sq_puts(&b, "\n  FROM cvkit_cal1\n),\ncvkit_cal3 AS (\n  SELECT *");
        for (int i = 1; i < 3; i++) {
            char kk[64];
            snprintf(kk, sizeof kk, "fy * 12 + fm - 1 + m%s", pre[i]);
            sq_printf(&b, ",\n    ");
            sg_add_months(&b, kk, "fd", 0);
            sq_printf(&b, " AS lo%s,\n    ", pre[i]);
            snprintf(kk, sizeof kk, "fy * 12 + fm + m%s", pre[i]);
            sg_add_months(&b, kk, "fd", 0);
            sq_printf(&b, " AS hi%s", pre[i]);
        }
        sq_puts(&b, "\n  FROM cvkit_cal2\n),\n");
        from = "cvkit_cal3";
    }
    /* res: the summary's columns */
    sq_puts(&b, "cvkit_res AS (\n  SELECT c AS customer, f AS ");
    sq_ident(&b, "first", 0);
    sq_puts(&b, ", la AS ");
    sq_ident(&b, "last", 0);
    sq_puts(&b, ", ncal AS orders, ncal - 1 AS x,\n    ");
    sg_time(&b, o->unit, "f", "la", "ml", "lol", "hil");
    sq_puts(&b, " AS t_x,\n    ");
    sg_time(&b, o->unit, "f", "cal", "me", "loe", "hie");
    sq_puts(&b, " AS \"T\",\n    cal - la AS days_since_last,\n"
                "    CASE WHEN ncal > 1 THEN CAST(rep AS DOUBLE PRECISION) / (ncal - 1) END "
                "AS mean_repeat_spend,\n"
                "    CAST(fa + rep AS DOUBLE PRECISION) / ncal AS mean_spend,\n"
                "    CAST(fa + rep AS DOUBLE PRECISION) AS revenue");
    if (cost_mode)
        sq_puts(&b, ",\n    CAST(mg AS DOUBLE PRECISION) AS margin");
    if (hold)
        sq_puts(&b, ",\n    xh AS x_holdout, CAST(sh AS DOUBLE PRECISION) AS spend_holdout");
    sq_printf(&b, "\n  FROM %s\n),\n", from);
    /* chk: what the report needs and the checks cv_summary_table makes */
    sq_puts(&b,
            o->skip_missing
                ? "cvkit_chk AS (\n  SELECT SUM(k_n) + MIN(s.m) AS k_rows, "
                  "SUM(k_missing) + MIN(s.m) AS k_missing,\n"
                : "cvkit_chk AS (\n  SELECT SUM(k_n) AS k_rows, SUM(k_missing) AS k_missing,\n");
    sq_puts(
        &b,
        "    SUM(k_neg) AS k_negative, SUM(k_after) AS k_after, SUM(k_days) AS k_days,\n"
        "    MIN(CASE WHEN c IS NOT NULL THEN f END) AS k_first,\n"
        "    MAX(CASE WHEN c IS NOT NULL THEN k_last END) AS k_last, MIN(cal) AS k_cal,\n"
        "    SUM(CASE WHEN c IS NOT NULL AND f IS NOT NULL THEN 1 ELSE 0 END) AS k_customers\n");
    sq_puts(&b, o->skip_missing ? "  FROM cvkit_cust CROSS JOIN cvkit_skip s\n)\n"
                                : "  FROM cvkit_cust\n)\n");
    if (collapse == 3) { /* the caller appends the select that attaches the scores */
        if (b.oom) {
            cv_free(b.p);
            cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing the summary's sql");
            return NULL;
        }
        return b.p;
    }
    sq_puts(&b, "SELECT r.*");
    static const char *const kcols[] = {"k_rows",  "k_missing", "k_negative",
                                        "k_after", "k_days",    "k_first",
                                        "k_last",  "k_cal",     "k_customers"};
    for (int i = 0; i < 9; i++)
        sq_printf(&b, ",\n  CASE WHEN ROW_NUMBER() OVER () = 1 THEN k.%s END AS %s", kcols[i],
                  kcols[i]);
    if (collapse)
        sq_printf(&b,
                  "\nFROM cvkit_chk k LEFT JOIN (SELECT x, t_x, \"T\"%s, COUNT(*) AS n FROM "
                  "cvkit_res GROUP BY x, t_x, \"T\"%s) r ON 1 = 1\n",
                  collapse == 2 ? ", mean_repeat_spend" : "",
                  collapse == 2 ? ", mean_repeat_spend" : "");
    else
        sq_puts(&b, "\nFROM cvkit_chk k LEFT JOIN cvkit_res r ON 1 = 1\n");
    if (b.oom) {
        cv_free(b.p);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing the summary's sql");
        return NULL;
    }
    if (nparams)
        *nparams = cost_mode == 3 ? 3 : 2;
    return b.p;
}

char *cv_sql_summary_text(cv_sql_kind k, const char *name, const cv_summary_options *o,
                          int *nparams, cv_error *err)
{
    if (sg_check(name, o, err) != 0)
        return NULL;
    if (nparams)
        *nparams = o->margin_rate_set ? 3 : 2;
    return k == CV_SQL_CLICKHOUSE ? ch_text(name, o, 0, err) : sg_text(k, name, o, 0, nparams, err);
}

/* ---- Scores attached inside the database ------------------------------------------------ */

/* Appends the spend of a customer row r (columns x, mean_repeat_spend, mean_spend): the
   Gamma-Gamma posterior mean p (gamma + x m) / (p x + q - 1) with the parameters as
   literals, or the customer's mean spend. */
static void sc_spend(sq_buf *b, const double *gg, const char *r, int ch)
{
    if (!gg) {
        sq_printf(b, "%smean_spend", r);
        return;
    }
    sq_printf(b, "(%.17g * (%.17g + %sx * %s(%smean_repeat_spend, 0)) / (%.17g * %sx + %.17g - 1))",
              gg[0], gg[2], r, ch ? "ifNull" : "COALESCE", r, gg[0], r, gg[1]);
}

char *cv_sql_score_view_text(cv_sql_kind k, const char *name, const cv_summary_options *o,
                             const char *rows, const char *view, const double *gg,
                             double margin_rate, cv_error *err)
{
    if (sg_check(name, o, err) != 0)
        return NULL;
    if (!rows || !*rows || !view || !*view) {
        cv_error_set(err, CV_ERR_USAGE, "the table of scores and the view must be named");
        return NULL;
    }
    const int ch = k == CV_SQL_CLICKHOUSE;
    char *inner = ch ? ch_text(name, o, 0, err) : sg_text(k, name, o, 3, NULL, err);
    if (!inner)
        return NULL;
    sq_buf b = {0};
    sq_puts(&b, "CREATE VIEW ");
    if (ch)
        cv_ch_ident(&b, view, 1);
    else
        sq_ident(&b, view, 1);
    sq_puts(&b, " AS\n");
    if (ch) {
        sq_puts(&b, "SELECT customer, x, t_x, `T`, p_alive, conditional AS expected, dtx, ");
        sc_spend(&b, gg, "", 1);
        sq_puts(&b, " AS spend, dtx * ");
        sc_spend(&b, gg, "", 1);
        sq_printf(&b, " * %.17g AS clv\nFROM (\n%s) ANY LEFT JOIN ", margin_rate, inner);
        cv_ch_ident(&b, rows, 1);
        sq_puts(&b, " USING (x, t_x, `T`)\n");
    } else {
        sq_puts(&b, inner);
        sq_puts(&b, "SELECT r.customer, r.x, r.t_x, r.\"T\", s.p_alive, s.conditional AS expected, "
                    "s.dtx, ");
        sc_spend(&b, gg, "r.", 0);
        sq_puts(&b, " AS spend, s.dtx * ");
        sc_spend(&b, gg, "r.", 0);
        sq_printf(&b, " * %.17g AS clv\nFROM cvkit_res r LEFT JOIN ", margin_rate);
        sq_ident(&b, rows, 1);
        sq_puts(&b, " s ON s.x = r.x AND s.t_x = r.t_x AND s.\"T\" = r.\"T\"\n");
    }
    cv_free(inner);
    if (b.oom) {
        cv_free(b.p);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory while writing the scores' sql");
        return NULL;
    }
    /* a view takes no parameters: the ends (cvkit's own 'YYYY-MM-DD') and the margin rate
       are written in as literals */
    char cal[16], obs[16];
    cv_sql_param p[3];
    sg_params(o, cal, obs, p);
    if (k == CV_SQL_SQLITE) /* ?N: the generator's only question marks */
        for (char *q = b.p; *q; q++)
            if (*q == '?' && q[1] >= '1' && q[1] <= '3')
                *q = '$';
    char *out = cv_ch_bind(b.p, p, 3, err);
    cv_free(b.p);
    return out;
}

/* ---- Running it --------------------------------------------------------------------------- */

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
        char *ct = ch_checks_text(name, o, err);
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
        char *sql = ch_text(name, o, collapse, err);
        *rows = sql ? cv_sql_read(db, sql, p, np, want, nw, err) : NULL;
        cv_free(sql);
        if (!*rows)
            return err ? err->code : CV_ERR_IO;
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
