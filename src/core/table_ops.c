/* cvkit tables, part 2: the operations on tables (select, filter, take, sort, group-by,
   join, describe). Every operation returns a new table and shares whole columns. */
#include "cvkit/table.h"

#include <stdlib.h>

static cv_table *not_yet(const char *what, cv_error *err)
{
    cv_error_set(err, CV_ERR_USAGE, "%s is not implemented yet", what);
    return NULL;
}

cv_column *cv_column_take(const cv_column *c, const int64_t *idx, int64_t n)
{
    (void)c, (void)idx, (void)n;
    return NULL;
}

cv_column *cv_column_rename(cv_column *c, const char *name)
{
    (void)c, (void)name;
    return NULL;
}

cv_column *cv_column_cast(const cv_column *c, cv_type to, cv_error *err)
{
    (void)c, (void)to;
    not_yet("cast", err);
    return NULL;
}

cv_table *cv_table_select(const cv_table *t, const char *const *names, int n, cv_error *err)
{
    (void)t, (void)names, (void)n;
    return not_yet("select", err);
}

cv_table *cv_table_filter_mask(const cv_table *t, const uint8_t *mask, cv_error *err)
{
    (void)t, (void)mask;
    return not_yet("filter", err);
}

cv_table *cv_table_take(const cv_table *t, const int64_t *idx, int64_t n, cv_error *err)
{
    (void)t, (void)idx, (void)n;
    return not_yet("take", err);
}

cv_table *cv_table_head(const cv_table *t, int64_t n, cv_error *err)
{
    (void)t, (void)n;
    return not_yet("head", err);
}

int cv_op_parse(const char *s, cv_op *out)
{
    (void)s, (void)out;
    return -1;
}

cv_table *cv_table_filter(const cv_table *t, const char *col, cv_op op, const cv_value *v,
                          cv_error *err)
{
    (void)t, (void)col, (void)op, (void)v;
    return not_yet("filter", err);
}

cv_table *cv_table_sort(const cv_table *t, const cv_sort_key *keys, int nkeys, cv_error *err)
{
    (void)t, (void)keys, (void)nkeys;
    return not_yet("sort", err);
}

int64_t *cv_table_order(const cv_table *t, const cv_sort_key *keys, int nkeys, cv_error *err)
{
    (void)t, (void)keys, (void)nkeys;
    not_yet("sort", err);
    return NULL;
}

int cv_agg_parse(const char *s, cv_agg_fn *out)
{
    (void)s, (void)out;
    return -1;
}

cv_table *cv_table_group_by(const cv_table *t, const char *const *keys, int nkeys,
                            const cv_agg *aggs, int naggs, cv_error *err)
{
    (void)t, (void)keys, (void)nkeys, (void)aggs, (void)naggs;
    return not_yet("group_by", err);
}

cv_table *cv_table_join(const cv_table *left, const cv_table *right,
                        const char *const *left_keys, const char *const *right_keys, int nkeys,
                        cv_join_kind kind, cv_error *err)
{
    (void)left, (void)right, (void)left_keys, (void)right_keys, (void)nkeys, (void)kind;
    return not_yet("join", err);
}

cv_table *cv_table_describe(const cv_table *t, cv_error *err)
{
    (void)t;
    return not_yet("describe", err);
}
