/* cvkit databases: the per-customer summary and its collapses as one SQL statement (CTEs) for
   SQLite and PostgreSQL (sg_text), with the dialect pieces (parameters, day numbers, calendar
   months) the ClickHouse text (sql_summary_ch.c) shares, and the options the database paths
   check (sg_check, sg_params). Below the runner (sql_summary.c) and the score view
   (sql_score.c); include/cvkit/summary.h for the definitions. */
#include "sql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/parse.h"

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
void sg_month_len(sq_buf *b, const char *y, const char *m)
{
    sq_printf(b,
              "(CASE WHEN %s = 2 THEN CASE WHEN (%s %% 4 = 0 AND %s %% 100 <> 0) OR %s %% 400 = 0 "
              "THEN 29 ELSE 28 END WHEN %s IN (4, 6, 9, 11) THEN 30 ELSE 31 END)",
              m, y, y, y, m);
}

/* The smaller of a and b. */
void sg_min2(sq_buf *b, const char *x, const char *y)
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
void sg_add_months(sq_buf *b, const char *kidx, const char *fd, int ch)
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
int sg_check(const char *name, const cv_summary_options *o, cv_error *err)
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
void sg_params(const cv_summary_options *o, char cal[16], char obs[16], cv_sql_param p[3])
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
char *sg_text(cv_sql_kind k, const char *name, const cv_summary_options *o, int collapse,
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
