/* Tests of the binding module cv.core.decision (src/lua/l_decision.c), each function called
   from C in a real engine: verdicts and a differential analysis worked out by hand, every
   argument error's exact message, and a Lua stack left as it was found with exactly the
   documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.decision") != 0)
        return -1;
    bc_run(*state, "P = C.PROPS\n"
                   "LINES = {'sales', 'cost'}; REV = {true, false}\n"
                   "AMOUNTS = {{100, 120}, {60, 70}}");
    return 0;
}

/* classify(names, amounts, props) -> verdicts, totals */
static void test_decision_classify(void **state)
{
    cv_engine *e = *state;
    bc_is(e, "P.sunk .. ' ' .. P.avoidable .. ' ' .. P.opportunity", "256 32 2");
    /* rent: spent already (sunk, irrelevant); ads: avoidable (relevant) */
    bc_ok(e, "C.classify", "{'rent', 'ads'}, {100, 50}, {P.sunk, P.avoidable}", 2);
    bc_is(e, "R[1][1].relevant", "false");
    bc_is(e, "R[1][1].term", "sunk");
    bc_is(e, "R[1][2].relevant", "true");
    bc_is(e, "R[1][2].term", "avoidable");
    bc_is(e, "table.concat(R[1][2].terms, ',')", "avoidable");
    bc_is(e, "R[2].relevant .. ' ' .. R[2].irrelevant", "50.0 100.0");
    bc_is(e, "R[2].nrelevant .. ' ' .. R[2].nirrelevant", "1 1");
    /* opportunity and avoidable: the term is the first of the precedence, both listed */
    bc_ok(e, "C.classify", "{'lease'}, {10}, {P.opportunity | P.avoidable}", 2);
    bc_is(e, "R[1][1].term .. ':' .. table.concat(R[1][1].terms, ',')",
          "opportunity:opportunity,avoidable");
    bc_ok(e, "C.classify", "{}, {}, {}", 2);
    bc_is(e, "#R[1] .. ' ' .. R[2].nrelevant", "0 0");
    bc_fails(e, "C.classify", "{'rent'}, {100}, {P.avoidable | P.common}",
             "cost item 'rent' is marked avoidable (relevant) and common (irrelevant): split it "
             "into the part that changes with the decision and the part that does not");
    bc_fails(e, "C.classify", "{'rent'}, {100}, {0}",
             "cost item 'rent' has no property: say whether it differs between the options, or why "
             "it does not (sunk, common, joint, unavoidable, non-deferrable)");
    bc_fails(e, "C.classify", "{'rent'}, {1/0}, {P.sunk}",
             "cost item 'rent': amount must be finite, got inf");
    bc_fails(e, "C.classify", "{'rent'}, {100}, {-1}",
             "t:1: bad cost item properties #1 (CV_COST_* flags expected, got -1.0)");
    bc_fails(e, "C.classify", "{'rent'}, {100}, {2^40}",
             "t:1: bad cost item properties #1 (CV_COST_* flags expected, got 1099511627776.0)");
    bc_fails(e, "C.classify", "{'rent'}, {100}, {'sunk'}",
             "t:1: bad cost item properties #1 (number expected, got string)");
    bc_fails(e, "C.classify", "{'rent'}, {}, {P.sunk}",
             "t:1: bad cost item amount #1 (number expected, got nil)");
    bc_fails(e, "C.classify", "{{}}, {1}, {P.sunk}",
             "t:1: bad cost item name #1 (string expected, got table)");
    bc_fails(e, "C.classify", "{'rent'}, {100}",
             "t:1: bad argument #3 to 'classify' (table expected, got no value)");
    bc_fails(e, "C.classify", "'rent', {100}, {1}",
             "t:1: bad argument #1 to 'classify' (table expected, got string)");
}

/* compare(names, revenue, amounts, nopt [, tol]) -> result */
static void test_decision_compare(void **state)
{
    cv_engine *e = *state;
    /* option 1: 100 - 60 = 40; option 2: 120 - 70 = 50 */
    bc_ok(e, "C.compare", "LINES, REV, AMOUNTS, 2", 1);
    bc_is(e, "table.concat(R[1].profit, ',')", "40.0,50.0");
    bc_is(e, "R[1].best .. ' ' .. R[1].nbest .. ' ' .. R[1].second", "2 1 1");
    bc_is(e, "R[1].margin", "10");
    bc_is(e, "table.concat(R[1].diff[1], ',') .. ';' .. table.concat(R[1].diff[2], ',')",
          "0.0,20.0;0.0,-10.0");
    bc_is(e, "tostring(R[1].differs[1]) .. tostring(R[1].differs[2])", "truetrue");
    bc_is(e, "tostring(R[1].equal[1]) .. tostring(R[1].equal[2])", "falsetrue");
    /* a tie within tol = 10: both best, no second */
    bc_ok(e, "C.compare", "LINES, REV, AMOUNTS, 2, 10", 1);
    bc_is(e, "R[1].nbest .. ' ' .. tostring(R[1].second) .. ' ' .. R[1].margin", "2 nil 0.0");
    bc_fails(e, "C.compare", "LINES, REV, AMOUNTS, 1",
             "a decision needs at least two options, got 1");
    bc_fails(e, "C.compare", "{}, {}, {}, 2", "a decision needs at least one revenue or cost");
    bc_fails(e, "C.compare", "LINES, REV, AMOUNTS, 2, -1", "tolerance must be >= 0, got -1");
    bc_fails(e, "C.compare", "LINES, REV, {{100, 1/0}, {60, 70}}, 2",
             "'sales', option 2: amount must be finite, got inf");
    bc_fails(e, "C.compare", "LINES, REV, AMOUNTS, 2^32 + 2",
             "t:1: bad argument #4 to 'compare' (0..10000 options expected)");
    bc_fails(e, "C.compare", "LINES, REV, AMOUNTS, 10001",
             "t:1: bad argument #4 to 'compare' (0..10000 options expected)");
    bc_fails(e, "C.compare", "LINES, REV, {{100, 120}, 5}, 2",
             "t:1: bad argument #3 to 'compare' (amounts as tables expected, got number)");
    bc_fails(e, "C.compare", "LINES, REV, {{100, 120}, {60}}, 2",
             "t:1: bad amount #2 (number expected, got nil)");
    bc_fails(e, "C.compare", "{'sales', {}}, REV, AMOUNTS, 2",
             "t:1: bad line name #2 (string expected, got table)");
    bc_fails(e, "C.compare", "LINES, REV, AMOUNTS",
             "t:1: bad argument #4 to 'compare' (number expected, got no value)");
    bc_fails(e, "C.compare", "LINES, REV, AMOUNTS, 2, 'x'",
             "t:1: bad argument #5 to 'compare' (number expected, got string)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_decision_classify),
        T(test_decision_compare),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
