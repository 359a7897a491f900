/* Tests of cv_redact_message (src/core/redact.c): passwords of connection strings written
   anywhere in a message (a URL given as an option, a file or a column name; a script's own
   error) hidden behind "***", the rest of the message kept. Expected texts written by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cvkit/redact.h"

/* Asserts that cv_redact_message(text) is want, with the length it returns. */
static void msg_is(const char *text, const char *want)
{
    char buf[512];
    size_t n = cv_redact_message(text, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_message_urls(void **state)
{
    (void)state;
    msg_is("x.lua:2: cv.connect: options must be a table, got 'clickhouse://u:pw@h:1/db'",
           "x.lua:2: cv.connect: options must be a table, got 'clickhouse://u:***@h:1/db'");
    msg_is("postgresql://u:p@s/s@h/db: cannot open the file",
           "postgresql://u:***@h/db: cannot open the file");
    msg_is("no column 'postgres://u:a b'c@h/db' (columns: a)",
           "no column 'postgres://u:***@h/db' (columns: a)");
    msg_is("unknown database 'postgrse://u:pw@db/shop' (expected sqlite:path.db, "
           "postgresql://user@host:port/db or clickhouse://user@host:port/db)",
           "unknown database 'postgrse://u:***@db/shop' (expected sqlite:path.db, "
           "postgresql://user@host:port/db or clickhouse://user@host:port/db)");
    msg_is("bad password in 'postgresql://u:p%zz@h:1/db': a '%' not followed by two "
           "hexadecimal digits (write %25 for '%', %40 for '@')",
           "bad password in 'postgresql://u:***@h:1/db': a '%' not followed by two "
           "hexadecimal digits (write %25 for '%', %40 for '@')");
    msg_is("got 'ch://u:it's@me@h/db': no", "got 'ch://u:***@h/db': no");
    msg_is("ch://u:a b@h/db: cannot open the file (see a@b)",
           "ch://u:***@h/db: cannot open the file (see a@b)");
    msg_is("x 'clickhous:/u:pw@h' y", "x 'clickhous:***@h' y"); /* a scheme misspelt */
    msg_is("got 'u:p%zz@h/db'", "got 'u:***@h/db'");            /* no scheme */
    msg_is("got 'ch://u:pw@[::1:1/db'\nstack traceback:\n\tx.lua:1: in main chunk",
           "got 'ch://u:***@[::1:1/db'\nstack traceback:\n\tx.lua:1: in main chunk");
}

static void test_message_params(void **state)
{
    (void)state;
    msg_is("got 'host=h password=pw port=1'", "got 'host=h password=*** port=1'");
    msg_is("got host=h password='p w' port=1", "got host=h password=*** port=1");
    msg_is("db?sslpassword=pw&user=u", "db?sslpassword=***&user=u");
    msg_is("--set token=abc", "--set token=***");
}

static void test_message_kept(void **state)
{
    (void)state;
    msg_is("t.csv:2:4: expected a number in column 'a', found 'ana@example.com'",
           "t.csv:2:4: expected a number in column 'a', found 'ana@example.com'");
    msg_is("see https://example.com/docs", "see https://example.com/docs");
    msg_is("bad value x=1 (expected y=2)", "bad value x=1 (expected y=2)");
    msg_is("usage: cvkit explain NAME key=value ...", "usage: cvkit explain NAME key=value ...");
    msg_is("got api_key=abc", "got api_key=***");
    msg_is("", "");
    char small[8];
    assert_int_equal(cv_redact_message("got 'u:pw@h' here", small, sizeof small), 18);
    assert_string_equal(small, "got 'u:");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_urls),
        cmocka_unit_test(test_message_params),
        cmocka_unit_test(test_message_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
