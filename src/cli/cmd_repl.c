/* cvkit repl: an interactive Lua prompt with cv loaded and datasets bound to names. This
   file reads lines (GNU readline with history and completion on a terminal, plain lines
   otherwise) and gathers multi-line chunks; lua/cv/repl.lua evaluates and prints. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include <lauxlib.h>

#include "cli.h"

static lua_State *repl_L;                /* the state of the running session */
static volatile sig_atomic_t got_sigint; /* Ctrl-C at the prompt */
static const char *pending_chunk = "";   /* earlier lines of an unfinished chunk */

/* ---- Calling the Lua side ------------------------------------------------------------- */

static const char repl_key = 'r'; /* registry: the cv.repl module table */

/* Pushes field name of the cv.repl module. */
static void repl_getfield(lua_State *L, const char *name)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &repl_key);
    lua_getfield(L, -1, name);
    lua_remove(L, -2); /* remove the module */
}

/* Hook set by the Ctrl-C handler while code runs (lua.c's lstop): stops the code. */
static void repl_stop(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted");
}

/* SIGINT while Lua code runs: ask the running code to stop at its next call or count. */
static void repl_interrupt(int sig)
{
    (void)sig;
    lua_sethook(repl_L, repl_stop, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/* SIGINT at the prompt (readline does not catch signals here): drops the line being
   typed and shows a fresh "> " prompt; the loop then drops an unfinished chunk. readline's
   functions in a handler are what its own examples and many shells do: the main program
   is blocked in readline's read when this runs. */
static void repl_sigint_prompt(int sig)
{
    (void)sig;
    got_sigint = 1;
    if (write(STDOUT_FILENO, "\n", 1) < 0)
        return;
    rl_on_new_line();
    rl_replace_line("", 0);
    rl_set_prompt("> ");
    rl_redisplay();
}

/* Installs fn for SIGINT, keeping the handler it replaces in old (put back with
   sigaction(SIGINT, old, NULL): the program's own cleanup handler, see main.c). */
static void set_sigint(void (*fn)(int), struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old);
}

/* Calls cv.repl.<fn>(arg) protected and returns its string result in buf ("error" when
   the call itself failed: the message is printed). Ctrl-C interrupts the code; a hook
   installed before (a sandbox's instruction count) is put back afterwards. */
static void repl_call(lua_State *L, const char *fn, const char *arg, char *buf, size_t size)
{
    lua_Hook hook = lua_gethook(L);
    int mask = lua_gethookmask(L), count = lua_gethookcount(L);
    struct sigaction old;
    repl_getfield(L, fn);
    lua_pushstring(L, arg);
    set_sigint(repl_interrupt, &old);
    cv_engine_progress(L, 1);
    int st = lua_pcall(L, 1, 1, 0);
    cv_engine_progress(L, 0); /* erased before the result or the message */
    if (st != LUA_OK) {
        fprintf(stderr, "%s\n", lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error)");
        snprintf(buf, size, "error");
    } else {
        snprintf(buf, size, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "ok");
    }
    lua_pop(L, 1); /* pop result or message */
    sigaction(SIGINT, &old, NULL);
    lua_sethook(L, hook, mask, count);
}

/* ---- Completion -------------------------------------------------------------------------- */

static char **cands; /* the candidates of the current completion, malloc'd */
static size_t ncands, next_cand;

static void free_cands(void)
{
    for (size_t i = 0; i < ncands; i++)
        free(cands[i]);
    free(cands);
    cands = NULL;
    ncands = next_cand = 0;
}

/* readline's generator: the candidates gathered by repl_completion, one per call. */
static char *cand_generator(const char *text, int state)
{
    (void)text;
    if (state == 0)
        next_cand = 0;
    if (next_cand < ncands) {
        char *s = cands[next_cand];
        cands[next_cand++] = NULL; /* readline frees it */
        return s;
    }
    return NULL;
}

/* Asks cv.repl.complete(input before the cursor, word) for the candidates; NULL when it
   wants file names (inside a string that names no table). Runs protected. */
static int complete_lua(lua_State *L)
{
    const char *line = lua_tostring(L, 1), *word = lua_tostring(L, 2);
    lua_Integer n;
    repl_getfield(L, "complete");
    lua_pushstring(L, line);
    lua_pushstring(L, word);
    lua_call(L, 2, 1); /* inside a pcall: see repl_completion */
    if (!lua_istable(L, -1))
        return 0;
    n = luaL_len(L, -1);
    cands = calloc((size_t)n + 1, sizeof *cands);
    for (lua_Integer i = 1; cands && i <= n; i++) {
        const char *s;
        lua_geti(L, -1, i);
        s = lua_tostring(L, -1);
        if (s && (cands[ncands] = strdup(s)) != NULL)
            ncands++;
        lua_pop(L, 1); /* pop candidate */
    }
    lua_pushboolean(L, 1);
    return 1;
}

static char **repl_completion(const char *text, int start, int end)
{
    lua_State *L = repl_L;
    size_t plen = strlen(pending_chunk);
    char *line = malloc(plen + (size_t)end + 1);
    int files;
    (void)start;
    if (!line)
        return NULL;
    memcpy(line, pending_chunk, plen);
    memcpy(line + plen, rl_line_buffer, (size_t)end);
    line[plen + (size_t)end] = '\0';
    free_cands();
    lua_pushcfunction(L, complete_lua);
    lua_pushstring(L, line);
    lua_pushstring(L, text);
    free(line);
    files = lua_pcall(L, 2, 1, 0) == LUA_OK && !lua_toboolean(L, -1);
    lua_pop(L, 1); /* pop result or message */
    rl_completion_append_character = '\0';
    if (files) {
        free_cands();
        return NULL; /* readline completes file names */
    }
    rl_attempted_completion_over = 1;
    if (ncands == 0)
        return NULL;
    return rl_completion_matches(text, cand_generator);
}

/* ---- Reading lines ------------------------------------------------------------------------ */

/* The history file: $CVKIT_HISTORY, else ~/.cvkit_history (NULL without a home). */
static char *history_path(void)
{
    const char *h = getenv("CVKIT_HISTORY"), *home = getenv("HOME");
    char *p;
    if (h && *h)
        return strdup(h);
    if (!home || !*home)
        return NULL;
    if ((p = malloc(strlen(home) + 32)) != NULL)
        sprintf(p, "%s/.cvkit_history", home);
    return p;
}

/* Reads one line (without its newline) into a malloc'd string; NULL at end of input.
   With a terminal through readline and the prompt, else a plain read. */
static char *read_line(int tty, const char *prompt)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    if (tty) {
        struct sigaction old;
        got_sigint = 0;
        set_sigint(repl_sigint_prompt, &old);
        line = readline(prompt);
        sigaction(SIGINT, &old, NULL);
        return line;
    }
    if ((n = getline(&line, &cap, stdin)) < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

/* Appends line and a newline to the malloc'd chunk *buf; 0 or -1 out of memory. */
static int append(char **buf, const char *line)
{
    size_t a = *buf ? strlen(*buf) : 0, b = strlen(line);
    char *p = realloc(*buf, a + b + 2);
    if (!p)
        return -1;
    memcpy(p + a, line, b);
    p[a + b] = '\n';
    p[a + b + 1] = '\0';
    *buf = p;
    return 0;
}

/* The prompt loop: reads chunks until end of input or quit(). Returns the number of
   chunks that failed. */
static int repl_loop(lua_State *L, int tty)
{
    char *chunk = NULL, status[16];
    int failures = 0;
    for (;;) {
        char *line = read_line(tty, chunk ? ">> " : "> ");
        if (!line) {
            if (tty)
                putchar('\n');
            break;
        }
        if (tty && got_sigint) { /* Ctrl-C: the line read starts a new chunk */
            free(chunk);
            chunk = NULL;
            pending_chunk = "";
            got_sigint = 0;
        }
        if (append(&chunk, line) != 0) {
            free(line);
            cli_error(CV_ERR_NOMEM, "out of memory");
            failures++;
            break;
        }
        free(line);
        repl_call(L, "feed", chunk, status, sizeof status);
        if (strcmp(status, "more") == 0) {
            pending_chunk = chunk;
            continue;
        }
        if (tty && chunk[strspn(chunk, " \t\n")] != '\0') {
            chunk[strlen(chunk) - 1] = '\0'; /* history without the last newline */
            add_history(chunk);
        }
        free(chunk);
        chunk = NULL;
        pending_chunk = "";
        if (strcmp(status, "error") == 0)
            failures++;
        if (strcmp(status, "quit") == 0)
            break;
    }
    free(chunk);
    pending_chunk = "";
    return failures;
}

/* Loads cv.repl (into the registry), installs help and quit, and reads each dataset
   argument. Returns 0 or the exit code of a failure (printed). */
static int repl_setup(cv_engine *e, int argc, char **argv, int tty)
{
    lua_State *L = cv_engine_lua(e);
    int rc;
    static const char setup[] = "local repl = require 'cv.repl'\n"
                                "repl.install()\n"
                                "return repl\n";
    if (luaL_loadbufferx(L, setup, sizeof setup - 1, "=cvkit", "t") != LUA_OK ||
        lua_pcall(L, 0, 1, 0) != LUA_OK) {
        cli_error(CV_ERR_SCRIPT, "%s", lua_tostring(L, -1));
        lua_pop(L, 1); /* pop message */
        return CV_ERR_SCRIPT;
    }
    lua_rawsetp(L, LUA_REGISTRYINDEX, &repl_key);
    for (int i = 0; i < argc; i++) {
        /* one protected run per dataset, so the error carries the core's exit code */
        lua_pushstring(L, argv[i]);
        lua_setglobal(L, "_cvkit_spec");
        rc = cv_engine_run_string(
            e, "=cvkit",
            tty ? "local repl = require 'cv.repl'\n"
                  "local n, t = repl.load(_cvkit_spec)\n"
                  "print(require('cv.i18n').t('repl.loaded', {name = n,\n"
                  "   rows = require('cv.core.table').format_kind(#t, 'count'),\n"
                  "   cols = t:ncols(), path = _cvkit_spec:match('=(.*)$') or _cvkit_spec}))\n"
                  "_cvkit_spec = nil\n"
                : "require('cv.repl').load(_cvkit_spec); _cvkit_spec = nil\n");
        if (rc != 0) {
            const char *msg = cv_engine_error(e);
            size_t n = strcspn(msg, "\n"); /* the message without the traceback */
            return cli_error(rc, "%.*s", (int)n, msg);
        }
    }
    return 0;
}

/* repl [--lang LANG] [--set NAME=VALUE]... [name=file.csv]...: 0, or 8 when input that
   is not a terminal had a failing chunk, or the code of a dataset that cannot be read */
int cli_cmd_repl(int argc, char **argv)
{
    cv_engine_options o = {0};
    const char **params = calloc(2 * (size_t)argc, sizeof *params); /* cli_engine_options */
    cv_engine *e;
    cv_error err;
    char *hist = NULL;
    int i = 1, rc, tty = isatty(0) && isatty(1);
    if (!params)
        return cli_error(CV_ERR_NOMEM, "out of memory");
    if (cli_engine_options(argc, argv, &i, &o, params) != 0) {
        free(params);
        return CV_ERR_USAGE;
    }
    if (o.sandbox) { /* the prompt runs its user's own code, in cvkit's own globals */
        free(params);
        return cli_error(CV_ERR_USAGE, "repl: --sandbox is for 'cvkit run' (the prompt runs "
                                       "your own code)");
    }
    o.version = CVKIT_VERSION;
    o.progress = tty && isatty(2); /* while a statement runs; erased before its result */
    if ((e = cv_engine_new(&o, &err)) == NULL) {
        free(params);
        return cli_error(err.code, "%s", cli_tr_message(err.msg));
    }
    repl_L = cv_engine_lua(e);
    if ((rc = repl_setup(e, argc - i, argv + i, tty)) != 0)
        goto done;
    if (tty) {
        char banner[256];
        repl_getfield(repl_L, "banner");
        lua_pushstring(repl_L, CVKIT_VERSION);
        lua_pushstring(repl_L, LUA_RELEASE);
        if (lua_pcall(repl_L, 2, 1, 0) == LUA_OK)
            snprintf(banner, sizeof banner, "%s", lua_tostring(repl_L, -1));
        else
            snprintf(banner, sizeof banner, "cvkit %s", CVKIT_VERSION);
        lua_pop(repl_L, 1); /* pop banner or message */
        puts(banner);
        rl_readline_name = "cvkit";
        rl_attempted_completion_function = repl_completion;
        rl_completer_word_break_characters = " \t\n\"\\'`@$><=;|&{(,)+-*/%^~#[]}";
        rl_completer_quote_characters = "\"'";
        rl_catch_signals = 0;
        using_history();
        if ((hist = history_path()) != NULL)
            read_history(hist);
    }
    rc = repl_loop(repl_L, tty);
    rc = (!tty && rc > 0) ? CV_ERR_SCRIPT : 0;
    if (hist) {
        write_history(hist);
        history_truncate_file(hist, 1000);
    }
done:
    free_cands();
    free(hist);
    cv_engine_free(e);
    repl_L = NULL;
    free(params);
    fflush(stdout);
    return rc;
}
