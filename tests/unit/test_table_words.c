/* cv_table_format_words: the type line, the missing value, the bools and the last line of a
   text table in the caller's words (a binding's translation), English when none is given;
   cv_table_more_text counts with separators. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "cvkit/table.h"
#include "table_build.h"

static void test_table_words_english_by_default(void **state)
{
    (void)state;
    cv_table *t =
        tbl(icol("n", (const int64_t[]){1, NA, 3}, 3), bcol("b", (const int[]){1, 0, 1}, 3), NULL);
    char *a = cv_table_format(t, 2, 40);
    char *b = cv_table_format_words(t, 2, 40, NULL);
    assert_string_equal(a, "    n  b\n"
                           "<int>  <bool>\n"
                           "-----  ------\n"
                           "    1  true\n"
                           "   na  false\n"
                           "… 1 more row\n");
    assert_string_equal(a, b);
    free(a);
    free(b);
    cv_table_free(t);
}

static void test_table_words_replace_the_english(void **state)
{
    (void)state;
    cv_table *t =
        tbl(icol("n", (const int64_t[]){1, NA, 3}, 3), bcol("b", (const int[]){1, 0, 1}, 3), NULL);
    cv_table_words w = {
        {"<整数>", NULL, NULL, NULL, NULL, "<布尔值>"}, "… 另有 1 行", "–", {"否", "是"}, NULL};
    char *s = cv_table_format_words(t, 2, 40, &w);
    /* widths by display width: <整数> is 6 columns, – is 1 */
    assert_string_equal(s, "     n  b\n"
                           "<整数>  <布尔值>\n"
                           "------  --------\n"
                           "     1  是\n"
                           "     –  否\n"
                           "… 另有 1 行\n");
    free(s);
    cv_table_free(t);
}

static void test_table_more_text_counts_with_separators(void **state)
{
    (void)state;
    char buf[64];
    size_t n = cv_table_more_text(1990, buf, sizeof buf);
    assert_string_equal(buf, "… 1,990 more rows");
    assert_int_equal(n, strlen(buf));
    cv_table_more_text(1, buf, sizeof buf);
    assert_string_equal(buf, "… 1 more row");
    assert_string_equal(cv_table_type_label(CV_DATETIME), "<datetime>");
    assert_string_equal(cv_table_type_label((cv_type)42), "<?>");
}

/* A table without columns: one line, the caller's words replacing the English. */
static void test_table_words_no_columns(void **state)
{
    char buf[64];
    (void)state;
    cv_table *t = cv_table_new();
    cv_table_words w = {{NULL}, NULL, NULL, {NULL, NULL}, "（无列，0 行）"};
    char *en = cv_table_format_words(t, -1, 40, NULL);
    char *zh = cv_table_format_words(t, -1, 40, &w);
    assert_string_equal(en, "(no columns, 0 rows)\n");
    assert_string_equal(zh, "（无列，0 行）\n");
    assert_int_equal(cv_table_no_columns_text(12345, buf, sizeof buf), 24);
    assert_string_equal(buf, "(no columns, 12345 rows)");
    free(en);
    free(zh);
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_words_english_by_default),
        cmocka_unit_test(test_table_words_replace_the_english),
        cmocka_unit_test(test_table_more_text_counts_with_separators),
        cmocka_unit_test(test_table_words_no_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
