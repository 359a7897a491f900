/* cvkit: the program's entry point. Dispatches `cvkit COMMAND ...` through the command
   table (commands.c); --version and --help are handled here. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cvkit/guard.h"
#include "cvkit/redact.h"
#include "cvkit/threads.h"

int cli_error(int code, const char *fmt, ...)
{
    /* formed first, then shown with the passwords of connection strings in it hidden (a URL
       given to the wrong option: redact.h) */
    va_list ap, again;
    char small[1024], *msg = small, *shown;
    size_t len;
    int n;
    va_start(ap, fmt);
    va_copy(again, ap);
    n = vsnprintf(small, sizeof small, cli_tr(fmt), ap);
    va_end(ap);
    if (n < 0)
        small[0] = '\0';
    else if ((size_t)n >= sizeof small && (msg = malloc((size_t)n + 1)) != NULL)
        vsnprintf(msg, (size_t)n + 1, cli_tr(fmt), again);
    va_end(again);
    if (!msg)
        msg = small; /* cut at 1023 bytes */
    len = cv_redact_message(msg, NULL, 0);
    if ((shown = malloc(len + 1)) != NULL)
        cv_redact_message(msg, shown, len + 1);
    fprintf(stderr, "cvkit: %s\n", shown ? shown : "***");
    free(shown);
    if (msg != small)
        free(msg);
    return code;
}

/* SIGINT, SIGTERM, SIGHUP: ends a progress line left on the terminal (Ctrl-C during a long
   step), removes the temporary output files being written, then dies of the signal
   (default action), so that the exit status says which. */
static void on_signal(int sig)
{
    cv_engine_progress_interrupted();
    cv_guard_cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Installs the handlers; SIGXFSZ (a file-size limit) is ignored so that the write fails
   with an error instead of killing the program with a partial file. */
static void install_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++)
        sigaddset(&sa.sa_mask, sigs[k]);
    for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++) {
        struct sigaction old;
        if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* ignored by whoever started us (nohup, a background job): keep it so */
        sigaction(sigs[k], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
}

/* When stdout and stderr are the same file (`cvkit run x.lua >log 2>&1`), stdout is made
   line-buffered, so that the lines keep the order a terminal shows: messages on stderr
   (unbuffered) would otherwise come before the results printed just before them. */
static void order_shared_output(void)
{
    struct stat so, se;
    if (fstat(1, &so) == 0 && fstat(2, &se) == 0 && so.st_dev == se.st_dev &&
        so.st_ino == se.st_ino)
        setvbuf(stdout, NULL, _IOLBF, 0);
}

/* CVKIT_THREADS=N: the thread count of every parallel loop of the core (0 or unset: the
   machine's cores, at most CV_THREADS_MAX). 0, or CV_ERR_USAGE reported. */
static int threads_from_env(void)
{
    const char *s = getenv("CVKIT_THREADS");
    char *end;
    long n;
    if (!s || !*s)
        return 0;
    errno = 0;
    n = strtol(s, &end, 10);
    if (errno || *end || n < 0 || n > CV_THREADS_MAX)
        return cli_error(CV_ERR_USAGE,
                         "CVKIT_THREADS must be a whole number from 0 to %d, got '%s'",
                         CV_THREADS_MAX, s);
    cv_threads_set((int)n);
    return 0;
}

int main(int argc, char **argv)
{
    const cli_command *cmd;
    int rc;
    cli_lang_init();
    install_signals();
    order_shared_output();
    if ((rc = threads_from_env()) != 0)
        return rc;
    if (argc < 2) {
        cli_usage(stderr);
        return CV_ERR_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("cvkit %s (%s)\n", CVKIT_VERSION, LUA_RELEASE);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cli_cmd_help(argc - 1, argv + 1);
    if ((cmd = cli_find(argv[1])) == NULL)
        return argv[1][0] == '-'
                   ? cli_error(CV_ERR_USAGE, "unknown option '%s' (see 'cvkit help')", argv[1])
                   : cli_error(CV_ERR_USAGE, "unknown command '%s' (see 'cvkit help')", argv[1]);
    return cmd->run(argc - 1, argv + 1);
}
