/* cvkit run: runs a Lua script in a new engine, with its options (--set, --lang); the
   script is a path or a bundled model's name (script_path.c). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"

/* Reads "--max-memory N[k|M|G]", "--timeout SECONDS", "--out-dir DIR" (or NAME=VALUE)
   at argv[*i]; 0, or CV_ERR_USAGE after printing the problem. */
static int limit_option(int argc, char **argv, int *i, cv_engine_options *o)
{
    const char *a = argv[*i], *eq = strchr(a, '='), *v;
    size_t n = eq ? (size_t)(eq - a) : strlen(a);
    char *end;
    double x;
    if (strncmp(a, "--max-memory", n) != 0 && strncmp(a, "--timeout", n) != 0 &&
        strncmp(a, "--out-dir", n) != 0)
        return cli_error(CV_ERR_USAGE, "unknown option '%s' (see 'cvkit help run')", a);
    if (eq) {
        v = eq + 1;
    } else if (*i + 1 < argc) {
        v = argv[++*i];
    } else {
        return cli_error(CV_ERR_USAGE, "option '%s' needs a value", a);
    }
    if (a[2] == 'o') {
        o->out_dir = v;
        return 0;
    }
    x = strtod(v, &end);
    if (end == v || !(x > 0) || x > 1e15)
        return cli_error(CV_ERR_USAGE, "bad value '%s' for %.*s (expected a positive number)", v,
                         (int)n, a);
    if (a[2] == 't') {
        if (*end != '\0')
            return cli_error(CV_ERR_USAGE, "bad value '%s' for --timeout (expected seconds)", v);
        o->timeout = x;
        return 0;
    }
    switch (*end) {
    case 'k':
    case 'K':
        x *= 1024.0;
        end++;
        break;
    case 'm':
    case 'M':
        x *= 1024.0 * 1024.0;
        end++;
        break;
    case 'g':
    case 'G':
        x *= 1024.0 * 1024.0 * 1024.0;
        end++;
        break;
    default:
        break;
    }
    if (*end != '\0' || x < 1.0 || x > 1e15)
        return cli_error(CV_ERR_USAGE,
                         "bad value '%s' for --max-memory (expected bytes, or N with k, M or G)",
                         v);
    o->max_memory = (size_t)x;
    return 0;
}

/* A backstop for the memory the engine's budget does not count (Lua's heap and the core's
   allocations are counted, include/cvkit/mem.h; SQLite, libpq, libxlsxwriter and libc's
   own buffers are not): the address space is capped well above the limit, so that an
   allocation there fails (and is reported as the limit) instead of taking the machine.
   Not under AddressSanitizer, which reserves terabytes of address space. */
#if defined(__SANITIZE_ADDRESS__)
#define CLI_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLI_ASAN 1
#endif
#endif

static void cap_address_space(size_t max_memory)
{
#ifdef CLI_ASAN
    (void)max_memory;
#else
    struct rlimit rl;
    if (max_memory && getrlimit(RLIMIT_AS, &rl) == 0) {
        rlim_t want = (rlim_t)max_memory * 2 + ((rlim_t)1 << 30);
        if (rl.rlim_max == RLIM_INFINITY || want < rl.rlim_max) {
            rl.rlim_cur = want;
            setrlimit(RLIMIT_AS, &rl);
        }
    }
#endif
}

int cli_engine_options(int argc, char **argv, int *i, cv_engine_options *o, const char **params)
{
    const char **allow_read = params + argc;
    o->allow_read = allow_read;
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
                cli_set_lang(o->lang = argv[++*i]); /* the program's messages follow it */
        } else if (strncmp(a, "--lang=", 7) == 0) {
            cli_set_lang(o->lang = a + 7);
        } else if (strcmp(a, "--sandbox") == 0) {
            o->sandbox = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--allow-read") == 0 || strncmp(a, "--allow-read=", 13) == 0) {
            if (a[12] == '\0' && *i + 1 >= argc)
                return cli_error(CV_ERR_USAGE, "option '%s' needs a value", a);
            allow_read[o->nallow_read++] = a[12] == '=' ? a + 13 : argv[++*i];
        } else if (strncmp(a, "--max-memory", 12) == 0 || strncmp(a, "--timeout", 9) == 0 ||
                   strncmp(a, "--out-dir", 9) == 0) {
            if (limit_option(argc, argv, i, o) != 0)
                return CV_ERR_USAGE;
        } else {
            return cli_error(CV_ERR_USAGE, "unknown option '%s' (see 'cvkit help run')", a);
        }
    }
    if ((o->nallow_read > 0 || o->out_dir) && !o->sandbox)
        return cli_error(CV_ERR_USAGE,
                         "option '%s' needs --sandbox (outside it a script may "
                         "read and write any file)",
                         o->nallow_read > 0 ? "--allow-read" : "--out-dir");
    o->params = params;
    return 0;
}

/* run [OPTION]... SCRIPT [ARG]...: 0, or the script's exit code (see the usage text) */
int cli_cmd_run(int argc, char **argv)
{
    cv_engine_options o = {0};
    const char **params = calloc(2 * (size_t)argc, sizeof *params); /* cli_engine_options */
    cv_engine *e;
    cv_error err;
    char found[PATH_MAX + 64];
    const char *script;
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
    if ((script = cli_script_path(argv[i], found, sizeof found)) == NULL) {
        char places[PATH_MAX + 32];
        cli_model_places(places, sizeof places);
        free(params);
        return cli_error(CV_ERR_IO,
                         "%s: cannot open script (no such file, nor a bundled model "
                         "of that name in %s: see 'cvkit models')",
                         argv[i], places);
    }
    o.version = CVKIT_VERSION;
    o.progress = isatty(2);
    cap_address_space(o.max_memory ? o.max_memory : o.sandbox ? CV_SANDBOX_MAX_MEMORY : 0);
    if ((e = cv_engine_new(&o, &err)) == NULL) {
        free(params);
        return cli_error(err.code, "%s", cli_tr_message(err.msg));
    }
    rc = cv_engine_run_file(e, script, argc - i - 1, argv + i + 1);
    if (rc != 0)
        cli_error(rc, "%s", cli_tr_message(cv_engine_error(e)));
    cv_engine_free(e);
    free(params);
    if (fflush(stdout) != 0 && rc == 0)
        rc = cli_error(CV_ERR_IO, "cannot write the output");
    return rc;
}
