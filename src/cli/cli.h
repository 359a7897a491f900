/* cvkit program: the command table and what the commands share (printing errors,
   engine options from the command line). Each command lives in its own cmd_<name>.c. */
#ifndef CVKIT_CLI_H
#define CVKIT_CLI_H

#include <stdio.h>

#include "engine.h"

#ifndef CVKIT_VERSION
#define CVKIT_VERSION "0.0.0"
#endif

/* A command: `cvkit NAME ARGS...` calls run(argc, argv) with argv[0] == NAME and returns
   its exit status (0, or a code of include/cvkit/error.h). To add a command, write its
   cmd_<name>.c and add one line to cli_commands in commands.c. */
typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis; /* "run [OPTION]... SCRIPT [ARG]..." (after "cvkit ") */
    const char *summary;  /* one line, lowercase */
    const char *options;  /* its OPTIONS lines ("    --set NAME=VALUE  ...\n"), or NULL */
} cli_command;

extern const cli_command cli_commands[]; /* ends with a {NULL} entry */
/* The command named name, or NULL. */
const cli_command *cli_find(const char *name);

int cli_cmd_run(int argc, char **argv);
int cli_cmd_help(int argc, char **argv);
int cli_cmd_explain(int argc, char **argv); /* cmd_explain.c */
int cli_cmd_models(int argc, char **argv);  /* cmd_models.c */
int cli_cmd_scenarios(int argc, char **argv); /* cmd_scenarios.c */
int cli_cmd_repl(int argc, char **argv);    /* cmd_repl.c */
int cli_cmd_gen(int argc, char **argv);     /* cmd_gen.c */
int cli_cmd_clv(int argc, char **argv);     /* cmd_clv.c */
/* Runs require(module).cli(arg) in a new engine for a command written in Lua; returns
   the status it returns (cmd_explain.c). */
int cli_lua_main(const char *module, int argc, char **argv);
/* The same, with prepare(L) called (when not NULL) on the arg table at the top of the stack
   before the module runs, to give it what the program knows (cmd_models.c: the files). */
int cli_lua_main_with(const char *module, int argc, char **argv, void (*prepare)(lua_State *L));

/* ---- Finding scripts and bundled models (script_path.c) ---------------------------------- */

/* The installed data folder, PREFIX/share/cvkit, found from the executable's place
   (/proc/self/exe is PREFIX/bin/cvkit, symbolic links resolved) into buf: 0, or -1 when
   it cannot be known or does not fit. Whether the folder exists is not checked. */
int cli_share_dir(char *buf, size_t size);
/* The source tree the executable was built in (symbolic links resolved): BIN/.., else
   BIN/../.., the first holding lua/cv/init.lua (an uninstalled build: BIN is build/ or
   build/san/), into buf: 0, or -1 when cvkit does not run from a source tree (an
   installed cvkit) or it does not fit. */
int cli_tree_dir(char *buf, size_t size);
/* The file of the model name ("clv_bgnbd", or "clv_bgnbd.lua") into buf: 1 when it is
   ./models/NAME.lua (relative, as "models/NAME.lua"), 2 when it is in the share folder's
   models/, 3 when it is in the source tree's models/ (cli_tree_dir), 0 when none exists
   or name is not a plain name (a '/', a leading '.'). */
int cli_model_file(const char *name, char *buf, size_t size);
/* The folders cli_model_file searches, for messages: "./models, SHARE/models" (and
   ", TREE/models" for a build run from its source tree). */
void cli_model_places(char *buf, size_t size);
/* The script `cvkit run arg` runs: arg itself when it holds a '/' or names an existing
   file, else the bundled model arg (cli_model_file, written into buf); NULL when arg is a
   plain name that is neither. */
const char *cli_script_path(const char *arg, char *buf, size_t size);

/* ---- Language (cli_i18n.c) -------------------------------------------------------------- */

/* When $CVKIT_LANG is unset, sets it to "zh" if the locale ($LC_ALL, else $LC_MESSAGES,
   else $LANG) is Chinese, so that every engine and command follows the locale. */
void cli_lang_init(void);
/* The language the user asked for on the command line (--lang), or NULL. */
void cli_set_lang(const char *lang);
/* "en" or "zh": --lang, else $CVKIT_LANG (which cli_lang_init set from the locale). */
const char *cli_lang(void);
/* The translation of one of the program's English texts into cli_lang(), from the
   catalogue (lua/cv/i18n.lua, entries "cli.*" whose en is the text); the text itself in
   English or when the catalogue has no translation. printf conversions are kept. */
const char *cli_tr(const char *text)
#if defined(__GNUC__)
    __attribute__((format_arg(1)))
#endif
    ;

/* A message of the core (cv_error.msg: English, with its values) in cli_lang(), through the
   catalogue's core.* entries as the engine translates them (cv.i18n.message); msg itself
   in English or when no entry matches. Valid until the program ends. */
const char *cli_tr_message(const char *msg);

/* Writes the man-style usage text (NAME, SYNOPSIS, COMMANDS, ...) to f. */
void cli_usage(FILE *f);

/* Prints "cvkit: " + message (fmt translated by cli_tr) to stderr; returns code (for
   `return cli_error(...)`). */
int cli_error(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Reads the engine options at argv[*i...] (--set NAME=VALUE, --set=NAME=VALUE,
   --lang LANG, --sandbox, --quiet, --allow-read DIR, --out-dir DIR, --max-memory N,
   --timeout S,
   --) into o, stopping at the first argument that is not an option; params must have
   room for 2 × argc pointers (the --set assignments, then from params + argc the
   --allow-read folders). 0, or CV_ERR_USAGE after printing the problem. */
int cli_engine_options(int argc, char **argv, int *i, cv_engine_options *o, const char **params);

#endif
