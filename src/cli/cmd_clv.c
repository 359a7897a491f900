/* cvkit clv: customer lifetime value in one command. A thin rewrite of
   `clv [RUN OPTION]... FILE [OPTION VALUE]...` into `run [RUN OPTION]... clv --data FILE
   [OPTION VALUE]...`: the bundled model models/clv.lua does the work and reads the options
   (--customer, --calibration-end, ...), so `cvkit run clv --data FILE` is the same job. The
   options of run (--lang, --sandbox, ...) may come anywhere before a "--". */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* 1 when a is an option of run taking no value, 2 when one taking a value (as a separate
   argument: "--lang zh"; "--lang=zh" is 1), 0 when not an option of run. */
static int run_option(const char *a)
{
    static const char *const flags[] = {"--sandbox", "--quiet", NULL};
    static const char *const valued[] = {"--lang",       "--out-dir", "--allow-read",
                                         "--max-memory", "--timeout", NULL};
    for (int k = 0; flags[k]; k++)
        if (strcmp(a, flags[k]) == 0)
            return 1;
    for (int k = 0; valued[k]; k++) {
        size_t n = strlen(valued[k]);
        if (strncmp(a, valued[k], n) == 0 && a[n] == '\0')
            return 2;
        if (strncmp(a, valued[k], n) == 0 && a[n] == '=')
            return 1;
    }
    return 0;
}

/* clv [RUN OPTION]... FILE [OPTION VALUE]...: 0 or the script's exit code */
int cli_cmd_clv(int argc, char **argv)
{
    static char run_name[] = "run", model[] = "clv", data_opt[] = "--data";
    char **av = calloc((size_t)argc + 4, sizeof *av);
    char *file = NULL;
    int n = 0, rc;
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        static char help_name[] = "help";
        char *hv[] = {help_name, model, NULL};
        free(av);
        return cli_cmd_help(2, hv);
    }
    if (!av)
        return cli_error(CV_ERR_NOMEM, "out of memory");
    av[n++] = run_name;
    /* first pass: the options of run, in order */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        int k = run_option(argv[i]);
        if (k == 0 && argv[i][0] == '-' && argv[i][1] == '-' && !strchr(argv[i], '='))
            i++; /* a model option's value */
        for (int j = 0; j < k; j++)
            if (i + j < argc)
                av[n++] = argv[i + j];
        if (k == 2)
            i++;
    }
    av[n++] = model;
    /* second pass: the file as --data, the model's options as they are */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int k = strcmp(a, "--") == 0 ? 0 : run_option(a);
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                if (!file)
                    file = argv[i];
                else
                    av[n++] = argv[i];
            break;
        }
        if (k) {
            i += k - 1;
        } else if (a[0] == '-' && a[1] == '-') {
            av[n++] = argv[i];
            if (!strchr(a, '=') && i + 1 < argc)
                av[n++] = argv[++i];
        } else if (!file) {
            file = argv[i];
        } else {
            av[n++] = argv[i];
        }
    }
    if (file) {
        av[n++] = data_opt;
        av[n++] = file;
    }
    av[n] = NULL;
    if (!file) {
        free(av);
        return cli_error(CV_ERR_USAGE, "clv: no transactions file given (usage: cvkit %s)",
                         cli_find("clv")->synopsis);
    }
    rc = cli_cmd_run(n, av);
    free(av);
    return rc;
}
