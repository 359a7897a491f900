/* cvkit program: the command table and what the commands share (printing errors,
   engine options from the command line). Each command lives in its own cmd_<name>.c. */
#ifndef CVKIT_CLI_H
#define CVKIT_CLI_H

#include <stdio.h>

#include "lbind.h"

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
/* Runs require(module).cli(arg) in a new engine for a command written in Lua; returns
   the status it returns (cmd_explain.c). */
int cli_lua_main(const char *module, int argc, char **argv);

/* Writes the man-style usage text (NAME, SYNOPSIS, COMMANDS, ...) to f. */
void cli_usage(FILE *f);

/* Prints "cvkit: " + message to stderr; returns code (for `return cli_error(...)`). */
int cli_error(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Reads the engine options at argv[*i...] (--set NAME=VALUE, --set=NAME=VALUE,
   --lang LANG, --sandbox, --) into o, stopping at the first argument that is not an
   option; params must have room for argc pointers. 0, or CV_ERR_USAGE after printing
   the problem. */
int cli_engine_options(int argc, char **argv, int *i, cv_engine_options *o, const char **params);

#endif
