/* cvkit scenarios: runs a scenario file (plain Lua using cv.scenario, docs/scenarios.md) as
   `cvkit run` does, with the variants to run (--only NAME,...) and the output folder (--out
   DIR) passed in cv.params.only and cv.params.out, where Scenario:run() and the file read
   them. A thin rewrite of the arguments into `run --set only=... --set out=... FILE`. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Returns "name=value" in malloc'd memory (NULL when out of memory). */
static char *assignment(const char *name, const char *value)
{
    size_t n = strlen(name), v = strlen(value);
    char *s = malloc(n + v + 2);
    if (s) {
        memcpy(s, name, n);
        s[n] = '=';
        memcpy(s + n + 1, value, v + 1);
    }
    return s;
}

/* scenarios [--only NAME,...] [--out DIR] [RUN OPTION]... FILE [ARG]...: the options may
   also follow FILE; 0 or the script's exit code */
int cli_cmd_scenarios(int argc, char **argv)
{
    static char set_opt[] = "--set";
    char **av = calloc((size_t)argc * 2 + 1, sizeof *av);
    char **owned = calloc((size_t)argc + 1, sizeof *owned);
    int n = 0, nowned = 0, rc, rest = 0;
    if (!av || !owned) {
        free(av);
        free(owned);
        return cli_error(CV_ERR_NOMEM, "out of memory");
    }
    av[n++] = argv[0];
    /* first pass: --only and --out anywhere (before a "--" that follows the file) */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *name = NULL, *value = NULL;
        if (strcmp(a, "--") == 0)
            break;
        if (strcmp(a, "--only") == 0 || strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) {
                free(av);
                free(owned);
                return cli_error(CV_ERR_USAGE, "option '%s' needs a value", a);
            }
            name = a + 2;
            value = argv[i + 1];
        } else if (strncmp(a, "--only=", 7) == 0 || strncmp(a, "--out=", 6) == 0) {
            name = a[4] == 'l' ? "only" : "out";
            value = strchr(a, '=') + 1;
        }
        if (name) {
            char *s = assignment(name, value);
            if (!s) {
                rc = cli_error(CV_ERR_NOMEM, "out of memory");
                goto done;
            }
            owned[nowned++] = s;
            av[n++] = set_opt;
            av[n++] = s;
        }
    }
    /* second pass: everything else, in order */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!rest && strcmp(a, "--") == 0)
            rest = 1;
        if (!rest && (strcmp(a, "--only") == 0 || strcmp(a, "--out") == 0)) {
            i++;
            continue;
        }
        if (!rest && (strncmp(a, "--only=", 7) == 0 || strncmp(a, "--out=", 6) == 0))
            continue;
        av[n++] = argv[i];
    }
    av[n] = NULL;
    rc = cli_cmd_run(n, av);
done:
    for (int k = 0; k < nowned; k++)
        free(owned[k]);
    free(owned);
    free(av);
    return rc;
}
