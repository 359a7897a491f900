/* cvkit run: runs a Lua script in a new engine, with its options (--set, --lang). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_engine_options(int argc, char **argv, int *i, cv_engine_options *o, const char **params)
{
    for (; *i < argc && argv[*i][0] == '-' && argv[*i][1] != '\0'; (*i)++) {
        const char *a = argv[*i];
        if (strcmp(a, "--") == 0) {
            (*i)++;
            break;
        } else if (strncmp(a, "--set=", 6) == 0) {
            params[o->nparams++] = a + 6;
        } else if (strcmp(a, "--set") == 0 || strcmp(a, "--lang") == 0) {
            if (*i + 1 >= argc)
                return cli_error(CV_ERR_USAGE, "option '%s' needs a value", a);
            if (a[2] == 's')
                params[o->nparams++] = argv[++*i];
            else
                o->lang = argv[++*i];
        } else if (strncmp(a, "--lang=", 7) == 0) {
            o->lang = a + 7;
        } else if (strcmp(a, "--sandbox") == 0) {
            o->sandbox = 1;
        } else {
            return cli_error(CV_ERR_USAGE, "unknown option '%s' (see 'cvkit help run')", a);
        }
    }
    o->params = params;
    return 0;
}

/* run [OPTION]... SCRIPT [ARG]...: 0, or the script's exit code (see the usage text) */
int cli_cmd_run(int argc, char **argv)
{
    cv_engine_options o = {0};
    const char **params = calloc((size_t)argc, sizeof *params);
    cv_engine *e;
    cv_error err;
    int i = 1, rc;
    if (!params)
        return cli_error(CV_ERR_NOMEM, "out of memory");
    if (cli_engine_options(argc, argv, &i, &o, params) != 0) {
        free(params);
        return CV_ERR_USAGE;
    }
    if (i >= argc) {
        free(params);
        return cli_error(CV_ERR_USAGE, "run: no script given (usage: cvkit %s)",
                         cli_find("run")->synopsis);
    }
    o.version = CVKIT_VERSION;
    o.progress = isatty(2);
    if ((e = cv_engine_new(&o, &err)) == NULL) {
        free(params);
        return cli_error(err.code, "%s", err.msg);
    }
    rc = cv_engine_run_file(e, argv[i], argc - i - 1, argv + i + 1);
    if (rc != 0)
        cli_error(rc, "%s", cv_engine_error(e));
    cv_engine_free(e);
    free(params);
    if (fflush(stdout) != 0 && rc == 0)
        rc = cli_error(CV_ERR_IO, "cannot write the output");
    return rc;
}
