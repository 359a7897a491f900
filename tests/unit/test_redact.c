/* Tests of src/core/redact.c: passwords in database URLs and connection strings, well-formed
   or not, hidden behind "***" (cv_redact_conn), in the messages that echo them
   (cv_redact_text, with libpq's and SQLite's real message forms), and where libpq reads a
   URL's password (cv_url_password). Expected texts are written out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cvkit/error.h"
#include "cvkit/redact.h"
#include "cvkit/sql.h"

/* Asserts that cv_redact_conn(conn) is want, and that the length it returns is want's. */
static void conn_is(const char *conn, const char *want)
{
    char buf[512];
    size_t n = cv_redact_conn(conn, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

/* Asserts that cv_redact_text(text, conn) is want. */
static void text_is(const char *text, const char *conn, const char *want)
{
    char buf[512];
    size_t n = cv_redact_text(text, conn, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_redact_wellformed_urls(void **state)
{
    (void)state;
    conn_is("postgresql://u:secret@h/db", "postgresql://u:***@h/db");
    conn_is("postgres://u:secret@h:5432/db?sslmode=require",
            "postgres://u:***@h:5432/db?sslmode=require");
    conn_is("postgresql://u@h/db", "postgresql://u@h/db");
    conn_is("postgresql://h:5432/db", "postgresql://h:5432/db");
    conn_is("postgresql:", "postgresql:");
    conn_is("sqlite:tx.db", "sqlite:tx.db");
    conn_is("sqlite::memory:", "sqlite::memory:");
    conn_is("postgresql://u:@h/db", "postgresql://u:@h/db"); /* an empty password */
    conn_is("postgresql://u:pw@h1:5432,h2:5433/db", "postgresql://u:***@h1:5432,h2:5433/db");
}

static void test_redact_malformed_urls(void **state)
{
    (void)state;
    conn_is("postgrse://u:secret@h/db", "postgrse://u:***@h/db");           /* scheme typo */
    conn_is("postgresql://u:secret@[::1/db", "postgresql://u:***@[::1/db"); /* unclosed [ */
    conn_is("postgresql://u:sec%zzret@h/db", "postgresql://u:***@h/db");    /* bad % escape */
    conn_is("postgresql://u:secret@/db", "postgresql://u:***@/db");         /* no host */
    conn_is("postgresql://u:secret@", "postgresql://u:***@");
    conn_is("u:secret@h/db", "u:***@h/db");                         /* scheme forgotten */
    conn_is("postgresql:u:secret@h/db", "postgresql:u:***@h/db");   /* "//" forgotten */
    conn_is("postgresql:/u:secret@h/db", "postgresql:/u:***@h/db"); /* one '/' */
    conn_is("postgrse:u:secret@h", "postgrse:***@h"); /* both: more than the password */
    conn_is("sqlite://u:secret@h/x.db", "sqlite://u:***@h/x.db");
    conn_is("sqlite:u:secret@x.db", "sqlite:u:***@x.db");
    conn_is("sqlite:data@2024.db", "sqlite:data@2024.db"); /* a '@' but no password */
    conn_is("sqlite:file:x.db?key=hunter2&mode=ro", "sqlite:file:x.db?key=***&mode=ro");
}

static void test_redact_odd_passwords(void **state)
{
    (void)state;
    conn_is("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db");           /* raw '@' */
    conn_is("postgresql://u:pa:ss@h/db", "postgresql://u:***@h/db");          /* ':' */
    conn_is("postgresql://u:pa/ss@h/db", "postgresql://u:***@h/db");          /* raw '/' */
    conn_is("postgresql://u:pa?s#s@h/db", "postgresql://u:***@h/db");         /* '?' and '#' */
    conn_is("postgresql://u:p%40s%3As@h/db", "postgresql://u:***@h/db");      /* encoded */
    conn_is("postgresql://me@corp:pw@h/db", "postgresql://me@corp:***@h/db"); /* '@' in user */
    /* a '@' in the query hides more than the password, never less */
    conn_is("postgresql://h:5432/db?user=a@b", "postgresql://h:***@b");
}

static void test_redact_query_and_conninfo(void **state)
{
    (void)state;
    conn_is("postgresql://u@h/db?password=secret", "postgresql://u@h/db?password=***");
    conn_is("postgresql://u@h/db?sslmode=require&password=se&cret&connect_timeout=5",
            "postgresql://u@h/db?sslmode=require&password=***&connect_timeout=5");
    conn_is("postgresql://u@h/db?PassWord=secret#frag", "postgresql://u@h/db?PassWord=***#frag");
    conn_is("postgresql://u@h/db?sslpassword=k1&sslmode=verify-full",
            "postgresql://u@h/db?sslpassword=***&sslmode=verify-full");
    conn_is("host=h password=secret dbname=x", "host=h password=*** dbname=x");
    conn_is("host=h password = secret port=1", "host=h password = *** port=1");
    conn_is("host=h password='se cr\\'et' port=1", "host=h password=*** port=1");
    conn_is("password=my secret host=h", "password=*** host=h"); /* an unquoted blank */
    conn_is("host=h dbname=x", "host=h dbname=x");
    conn_is("host=h;pwd=secret;db=x", "host=h;pwd=***;db=x");
    conn_is("token=abc", "token=***");
}

/* The messages libpq 15 and SQLite give for such URLs, with the parts they echo. */
static void test_redact_echoed_messages(void **state)
{
    (void)state;
    text_is("end of string reached when looking for matching \"]\" in IPv6 host address in "
            "URI: \"postgresql://u:secret@[::1/db\"",
            "postgresql://u:secret@[::1/db",
            "end of string reached when looking for matching \"]\" in IPv6 host address in "
            "URI: \"postgresql://u:***@[::1/db\"");
    text_is("invalid percent-encoded token: \"sec%zzret\"", "postgresql://u:sec%zzret@h/db",
            "invalid percent-encoded token: \"***\"");
    /* a raw '/' in the password: libpq reads host "u" and port "pa" */
    text_is("u", "postgresql://u:pa/ss@h/db", "u");
    text_is("pa", "postgresql://u:pa/ss@h/db", "***"); /* the whole text is a token */
    text_is("at u:pa: invalid port number: \"pa\"", "postgresql://u:pa/ss@h/db",
            "at u:***: invalid port number: \"***\"");
    /* a raw '&' in a query password: libpq reads the rest as a parameter */
    text_is("missing key/value separator \"=\" in URI query parameter: \"b\"",
            "postgresql://u@h/db?password=a&b",
            "missing key/value separator \"=\" in URI query parameter: \"***\"");
    /* conninfo: the second word of an unquoted password */
    text_is("missing \"=\" after \"secret\" in connection info string", "password=my secret host=h",
            "missing \"=\" after \"***\" in connection info string");
    /* a message cut in the middle of the echoed URL (an unclosed quote) */
    text_is("URI: \"postgresql://u:secr", "postgresql://u:secret@[::1/db",
            "URI: \"postgresql://u:***");
    /* SQLite's path in our message */
    text_is("u:secret@h/x.db", "sqlite://u:secret@h/x.db", "u:***@h/x.db");
    /* the password decoded */
    text_is("user p@ss:w", "postgresql://u:p%40ss%3Aw@h/db", "user ***");
    /* nothing to hide: the text as it is */
    text_is("connection refused", "postgresql://u:secret@h/db", "connection refused");
    text_is("database \"db\" does not exist", "postgresql://u:secret@h/db",
            "database \"db\" does not exist");
    text_is("anything: secret", NULL, "anything: secret");
}

static void test_redact_cut_to_size(void **state)
{
    (void)state;
    char buf[32];
    size_t n = cv_redact_conn("postgresql://u:secret@h/db", buf, 12);
    assert_int_equal(n, strlen("postgresql://u:***@h/db"));
    assert_string_equal(buf, "postgresql:");
    assert_int_equal(cv_redact_conn("u:secret@h", NULL, 0), strlen("u:***@h"));
    n = cv_redact_conn("postgresql://u:secret@h/db", buf, 17);
    assert_string_equal(buf, "postgresql://u:*"); /* cut inside "***": still no password */
    (void)n;
}

static void test_redact_url_password(void **state)
{
    (void)state;
    size_t off = 99, len = 99;
    const char *u = "postgresql://u:p@ss@h/db?x=a@b";
    assert_int_equal(cv_url_password(u, &off, &len), 1);
    assert_int_equal(off, strlen("postgresql://u:"));
    assert_int_equal(len, 4); /* "p@ss": the last '@' before the first '/' */
    assert_int_equal(cv_url_password("postgresql://u@h/db", &off, &len), 0);
    assert_int_equal(cv_url_password("postgresql://h:5432/db?user=a@b", &off, &len), 0);
    assert_int_equal(cv_url_password("postgresql://u:@h/db", &off, &len), 1);
    assert_int_equal(len, 0);
    assert_int_equal(cv_url_password("sqlite:x.db", &off, &len), 0);
}

/* cv_sql_connect never shows the password, with or without a server to talk to. */
static void test_redact_connect_messages(void **state)
{
    (void)state;
    static const char *const urls[] = {
        "postgrse://u:s3cr3tpw@h/db",
        "postgresql://u:s3cr3tpw@[::1/db",
        "postgresql://u:s3cr3t%zzpw@h/db",
        "postgresql://u:s3cr3tpw@/db?host=/nonexistent-cvkit",
        "postgresql://u:s3cr3tpw@127.0.0.1:1/db?connect_timeout=2",
        "postgresql://u:s3cr/3tpw@127.0.0.1:1/db",
        "postgresql://u@127.0.0.1:1/db?password=s3cr3t%zzpw",
        "postgresql://u@127.0.0.1:1/db?password=s3cr3tpw&bogus",
        "sqlite://u:s3cr3tpw@nonexistent-cvkit-dir/x.db",
        "host=127.0.0.1 port=1 password=s3cr3tpw",
    };
    for (size_t k = 0; k < sizeof urls / sizeof *urls; k++) {
        cv_error err;
        memset(&err, 0, sizeof err);
        cv_sql *db = cv_sql_connect(urls[k], &err);
        assert_null(db);
        assert_true(err.code == CV_ERR_USAGE || err.code == CV_ERR_IO);
        if (strstr(err.msg, "s3cr") || strstr(err.msg, "3tpw") || strstr(err.msg, "zzpw")) {
            print_error("%s: %s\n", urls[k], err.msg);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact_wellformed_urls),
        cmocka_unit_test(test_redact_malformed_urls),
        cmocka_unit_test(test_redact_odd_passwords),
        cmocka_unit_test(test_redact_query_and_conninfo),
        cmocka_unit_test(test_redact_echoed_messages),
        cmocka_unit_test(test_redact_cut_to_size),
        cmocka_unit_test(test_redact_url_password),
        cmocka_unit_test(test_redact_connect_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
