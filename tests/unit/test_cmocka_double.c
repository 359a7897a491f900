/* Tests of tests/unit/cmocka_double.h: assert_float_equal compares doubles with the stated
   tolerance. A difference of 1e-12 against a tolerance of 1e-13 fails (cmocka's own macro,
   in single precision, passes it), run in a child process whose group of tests must report
   one failure; 1e-12 against 1e-11 passes; the header is in force (compile-time check). */
#ifndef CVKIT_CMOCKA_DOUBLE_H
#error "the unit tests are compiled with -include tests/unit/cmocka_double.h (Makefile)"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void too_far(void **state)
{
    (void)state;
    assert_float_equal(1.0, 1.0 + 1e-12, 1e-13);
}

static void test_tolerance_below_float(void **state)
{
    (void)state;
    const struct CMUnitTest inner[] = {cmocka_unit_test(too_far)};
    int status;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout); /* the child's report is not this test's */
        freopen("/dev/null", "w", stderr);
        _exit(cmocka_run_group_tests(inner, NULL, NULL));
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1); /* one failed test */
}

static void test_within_tolerance(void **state)
{
    (void)state;
    assert_float_equal(1.0, 1.0 + 1e-12, 1e-11);
    assert_float_equal(-2.5e-300, -2.5e-300, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tolerance_below_float),
        cmocka_unit_test(test_within_tolerance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
