/* cvkit databases: the view that attaches a model's scores to the summary computed inside
   the database (cv_sql_score_view_text), over the summary's text in each dialect
   (sql_summary_text.c, sql_summary_ch.c). */
#include "sql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/sql_ch.h"

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
