/* Tests of the binding module cv.core.summary (src/lua/l_summary.c), each function called from
   C in a real engine: a summary worked out by hand, every option error's exact message, and
   a Lua stack left as it was found with exactly the documented results (Table, report). */
#include "bindcall.h"

#include <unistd.h>

/* Customer 1 buys 10, 20, 30 on Jan 1, 11, 21; customer 2 buys 5 on Jan 5 and 7 on Feb 10
   (after the calibration end, Jan 31, before the observation end, Feb 29). */
static const char tx_csv[] = "id,date,amount\n"
                             "1,2020-01-01,10\n"
                             "2,2020-01-05,5\n"
                             "1,2020-01-11,20\n"
                             "1,2020-01-21,30\n"
                             "2,2020-02-10,7\n";

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.summary") != 0)
        return -1;
    bc_run(*state, "TX = cv.parse_csv([[\n" /* the same rows as a table */
                   "id,date,amount\n1,2020-01-01,10\n2,2020-01-05,5\n1,2020-01-11,20\n"
                   "1,2020-01-21,30\n2,2020-02-10,7\n]])\n"
                   "O = {customer = 'id', date = 'date', amount = 'amount',\n"
                   "     calibration_end = '2020-01-31', observation_end = '2020-02-29'}\n"
                   "function with(extra)\n"
                   "   local o = {} for k, v in pairs(O) do o[k] = v end\n"
                   "   for k, v in pairs(extra) do o[k] = v end\n"
                   "   return o\n"
                   "end\n"
                   "function cust(t, i) local r = t:row(i)\n"
                   "   return string.format('%d x=%d t_x=%g T=%g rev=%g xh=%d sh=%g', r.customer,\n"
                   "      r.x, r.t_x, r.T, r.revenue, r.x_holdout, r.spend_holdout) end");
    return 0;
}

/* Checks R (a summary Table and its report) against the hand-made values. */
static void check_hand_summary(cv_engine *e)
{
    bc_is(e, "getmetatable(R[1])", "cv.Table");
    bc_is(e, "#R[1]", "2");
    bc_is(e, "cust(R[1], 1)", "1 x=2 t_x=20 T=30 rev=60 xh=0 sh=0");
    bc_is(e, "cust(R[1], 2)", "2 x=0 t_x=0 T=26 rev=5 xh=1 sh=7");
    bc_is(e, "R[1]:row(1).mean_repeat_spend", "25");
    bc_is(e, "R[2].rows", "5");
    bc_is(e, "R[2].customers", "2");
    bc_is(e, "R[2].transactions", "4"); /* in the calibration period */
    bc_is(e, "R[2].first_date", "2020-01-01");
    bc_is(e, "R[2].last_date", "2020-02-10");
    bc_is(e, "R[2].calibration_end", "2020-01-31");
    bc_is(e, "R[2].observation_end", "2020-02-29");
    bc_is(e, "R[2].holdout_length", "29");
    bc_is(e, "R[2].unit", "day");
}

/* The option errors both functions share (one reader, lbind_summary_options). */
static void check_option_errors(cv_engine *e, const char *f, const char *first, const char *name)
{
    char args[256], want[512];
#define FAILS(opts, msg)                                                                           \
    do {                                                                                           \
        snprintf(args, sizeof args, "%s, %s", first, opts);                                        \
        snprintf(want, sizeof want, "t:1: cv.%s: bad option " msg, name);                          \
        bc_fails(e, f, args, want);                                                                \
    } while (0)
    FAILS("{date = 'date', amount = 'amount'}", "'customer' (a column name is required)");
    FAILS("{customer = 'id', amount = 'amount'}", "'date' (a column name is required)");
    FAILS("{customer = 'id', date = 'date'}", "'amount' (a column name is required)");
    FAILS("with{customer = 1}", "'customer' (string expected, got number)");
    FAILS("with{margin = true}", "'margin' (a column name or a rate expected)");
    FAILS("with{unit = 'fortnight'}",
          "'unit' (\"day\", \"week\", \"month\" or \"year\" expected, got 'fortnight')");
    FAILS("with{calibration_end = '2020-02-30'}",
          "'calibration_end' (a date YYYY-MM-DD expected, got '2020-02-30')");
    FAILS("with{observation_end = {}}", "'observation_end' (string expected, got table)");
    FAILS("with{merge_same_day = 'yes'}", "'merge_same_day' (boolean expected, got string)");
    FAILS("with{skip_missing = 1}", "'skip_missing' (boolean expected, got number)");
    FAILS("with{allow_negative = 'no'}", "'allow_negative' (boolean expected, got string)");
#undef FAILS
}

/* summary.summary(tx, opts) -> Table, report */
static void test_summary_table(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.summary", "TX, O", 2);
    check_hand_summary(e);
    bc_ok(e, "C.summary",
          "TX, {customer = 'id', date = 'date', amount = 'amount', unit = 'week',"
          " calibration_end = '2020-01-31'}",
          2);
    bc_is(e, "R[1]:row(1).T", "4.2857142857142856");
    bc_is(e, "R[2].unit", "week");
    bc_is(e, "R[2].observation_end", "nil");
    bc_ok(e, "C.summary", "TX, with{margin = 0.5}", 2); /* a rate: revenue as it was */
    bc_is(e, "cust(R[1], 1)", "1 x=2 t_x=20 T=30 rev=60 xh=0 sh=0");
    check_option_errors(e, "C.summary", "TX", "summary");
    bc_fails(e, "C.summary", "",
             "t:1: bad argument #1 to 'summary' (cv.Table expected, got no value)");
    bc_fails(e, "C.summary", "{}, O",
             "t:1: bad argument #1 to 'summary' (cv.Table expected, got table)");
    bc_fails(e, "C.summary", "TX", "t:1: bad argument #2 to 'summary' (table expected, got nil)");
    bc_fails(e, "C.summary", "TX, with{customer = 'who'}",
             "no column 'who' (columns: id, date, amount)");
    bc_run(e, "CL = cv.table{a = {1}}; CL:close()");
    bc_fails(e, "C.summary", "CL, O",
             "t:1: bad argument #1 to 'summary' (attempt to use a closed table)");
}

/* summary.summary_csv(path, opts) -> Table, report */
static void test_summary_csv(void **state)
{
    cv_engine *e = *state;
    char path[] = "/tmp/cvkit_test_l_summary_XXXXXX", code[128];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, tx_csv, sizeof tx_csv - 1), (ssize_t)(sizeof tx_csv - 1));
    close(fd);
    snprintf(code, sizeof code, "P = '%s'", path);
    bc_run(e, code);
    bc_ok(e, "C.summary_csv", "P, O", 2);
    check_hand_summary(e);
    check_option_errors(e, "C.summary_csv", "P", "summary_csv");
    bc_fails(e, "C.summary_csv", "P, with{delim = 7}",
             "t:1: cv.summary_csv: bad option 'delim' (string expected, got number)");
    bc_fails(e, "C.summary_csv", "",
             "t:1: bad argument #1 to 'summary_csv' (string expected, got no value)");
    bc_fails(e, "C.summary_csv", "P",
             "t:1: bad argument #2 to 'summary_csv' (table expected, got no value)");
    bc_fails(e, "C.summary_csv", "'/no/such/tx.csv', O",
             "/no/such/tx.csv: cannot open the file: no such file or directory");
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_summary_table),
        T(test_summary_csv),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
