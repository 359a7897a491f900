/* Tests of the binding module cv.core.csv (src/lua/l_csv.c), each function called from C in a
   real engine: tables read from hand-written text, every option error's exact message, and a
   Lua stack left as it was found with exactly the documented results (Table, report). */
#include "bindcall.h"

#include <unistd.h>

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.csv") != 0)
        return -1;
    bc_run(*state, "function col(t, name) local c = t:col(name):totable()\n"
                   "   for i = 1, #c do c[i] = tostring(c[i]) end return table.concat(c, ',') end");
    return 0;
}

/* The option errors both functions share (checkoptions), for function f named name. */
static void check_option_errors(cv_engine *e, const char *f, const char *first, const char *name)
{
    char args[256], want[512];
#define FAILS(opts, msg)                                                                           \
    do {                                                                                           \
        snprintf(args, sizeof args, "%s, %s", first, opts);                                        \
        snprintf(want, sizeof want, "t:1: cv.%s: bad option " msg, name);                          \
        bc_fails(e, f, args, want);                                                                \
    } while (0)
    FAILS("{delim = ':'}", "'delim' (\",\", \";\", \"\\t\", \"|\" or \"space\" expected, got ':')");
    FAILS("{delim = 1}", "'delim' (string expected, got number)");
    FAILS("{header = 'yes'}", "'header' (boolean expected, got string)");
    FAILS("{names = 'a'}", "'names' (table expected, got string)");
    FAILS("{names = {'a', 2}}", "'names' (array of strings expected)");
    FAILS("{types = {a = 'money'}}",
          "'types' ({column = \"int\"|\"float\"|\"string\"|\"date\"|\"datetime\"|\"bool\"} "
          "expected, got a = money)");
    FAILS("{types = {'int'}}",
          "'types' ({column = \"int\"|\"float\"|\"string\"|\"date\"|\"datetime\"|\"bool\"} "
          "expected, got 1 = int)");
    FAILS("{date_order = 'ymd'}", "'date_order' (\"iso\", \"dmy\" or \"mdy\" expected, got 'ymd')");
    FAILS("{na = {1}}", "'na' (array of strings expected)");
    FAILS("{encoding = 'latin1'}",
          "'encoding' (\"auto\", \"utf-8\", \"gbk\" or \"gb18030\" expected, got 'latin1')");
    FAILS("{skip_bad_rows = 1}", "'skip_bad_rows' (boolean expected, got number)");
    FAILS("{bad_as_missing = 'no'}", "'bad_as_missing' (boolean expected, got string)");
    FAILS("{decimal_comma = 0}", "'decimal_comma' (boolean expected, got number)");
    FAILS("{thousands = '_'}",
          "'thousands' (\",\", \".\", \" \", \"'\" or \"none\" expected, got '_')");
    FAILS("{sheet = true}", "'sheet' (a sheet name or number expected)");
    FAILS("{lenient_quotes = 'x'}", "'lenient_quotes' (boolean expected, got string)");
    FAILS("{threads = '2'}", "'threads' (number expected, got string)");
#undef FAILS
}

/* csv.parse_csv(text [, options [, name]]) -> Table, report */
static void test_csv_parse(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.parse_csv", "'id;amount\\n1;2,5\\n2;3\\n', {decimal_comma = true}", 2);
    bc_is(e, "getmetatable(R[1])", "cv.Table");
    bc_is(e, "table.concat(R[1]:names(), ',')", "id,amount");
    bc_is(e, "col(R[1], 'amount')", "2.5,3.0");
    bc_is(e, "R[2].rows", "2");
    bc_is(e, "R[2].delim", ";");
    bc_is(e, "R[2].header", "true");
    bc_is(e, "R[2].encoding", "utf-8");
    bc_ok(e, "C.parse_csv",
          "'1|x\\n2|\\n', {header = false, names = {'n', 's'}, delim = '|',"
          " types = {n = 'float'}}",
          2);
    bc_is(e, "col(R[1], 'n')", "1.0,2.0");
    bc_is(e, "R[1]:col('s')[2]", "nil");
    bc_is(e, "R[2].header", "false");
    bc_ok(e, "C.parse_csv", "'a b\\n1 2\\n', {delim = 'space', threads = 1e300}", 2);
    bc_is(e, "R[2].delim", "space");
    bc_is(e, "col(R[1], 'b')", "2");
    bc_fails(e, "C.parse_csv", "'a,b\\n1\\n'", "string:2:2: expected 2 fields, found 1");
    bc_fails(e, "C.parse_csv", "'a,b\\n1,\"2\\n', nil, 'my.csv'",
             "my.csv:2:3: unterminated quote: expected a closing '\"' for the field opened here, "
             "found the end of the file");
    bc_fails(e, "C.parse_csv", "",
             "t:1: bad argument #1 to 'parse_csv' (string expected, got no value)");
    bc_fails(e, "C.parse_csv", "'a\\n1\\n', 'opts'",
             "t:1: bad argument #2 to 'parse_csv' (table expected, got string)");
    bc_fails(e, "C.parse_csv", "'a\\n1\\n', nil, {}",
             "t:1: bad argument #3 to 'parse_csv' (string expected, got table)");
    check_option_errors(e, "C.parse_csv", "'a\\n1\\n'", "parse_csv");
}

/* csv.read_csv(path [, options]) -> Table, report */
static void test_csv_read(void **state)
{
    cv_engine *e = *state;
    char path[] = "/tmp/cvkit_test_l_csv_XXXXXX", code[128];
    static const char text[] = "id,date,amount\n1,2020-01-02,10\n2,2020-01-03,NA\n";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    snprintf(code, sizeof code, "P = '%s'", path);
    bc_run(e, code);
    bc_ok(e, "C.read_csv", "P", 2);
    bc_is(e, "table.concat(R[1]:types(), ',')", "int,date,int");
    bc_is(e, "R[1]:col('date')[2]", "2020-01-03");
    bc_is(e, "R[1]:col('amount')[2]", "nil");
    bc_is(e, "R[2].rows", "2");
    bc_is(e, "R[2].delim", ",");
    bc_ok(e, "C.read_csv", "P, {types = {id = 'string'}, na = {'10'}}", 2);
    bc_is(e, "R[1]:col('id')[1]", "1");
    bc_is(e, "math.type(R[1]:col('id')[1])", "nil");
    bc_is(e, "R[1]:col('amount')[1]", "nil");
    bc_fails(e, "C.read_csv", "'/no/such/file.csv'",
             "/no/such/file.csv: cannot open the file: no such file or directory");
    bc_fails(e, "C.read_csv", "",
             "t:1: bad argument #1 to 'read_csv' (string expected, got no value)");
    bc_fails(e, "C.read_csv", "{}",
             "t:1: bad argument #1 to 'read_csv' (string expected, got table)");
    check_option_errors(e, "C.read_csv", "P", "read_csv");
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_csv_parse),
        T(test_csv_read),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
