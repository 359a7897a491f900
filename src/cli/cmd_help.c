/* cvkit help: the man-style usage text, built from the command table. */
#include <string.h>

#include "cli.h"

static const char *const exit_status =
    "EXIT STATUS\n"
    "    0   success\n"
    "    2   usage: a bad command line, or a bad argument to a function\n"
    "    3   input/output: a missing file, a folder given, a read or write failure\n"
    "    4   parse: malformed input (a ragged row, a bad quote, a bad value or encoding)\n"
    "    5   type: a column of the wrong type, or a value that does not fit one\n"
    "    6   out of memory\n"
    "    7   domain: numbers outside a formula's domain\n"
    "    8   script: a Lua script failed (message and traceback on stderr)\n"
    "    9   limit: a time or memory limit was exceeded\n"
    "    An error raised in a script by cvkit itself keeps its own code: cv.read_csv of a\n"
    "    missing file exits with 3, of a malformed file with 4; errors caught with pcall\n"
    "    or cv.try do not end the script.\n\n";

void cli_usage(FILE *f)
{
    fputs(
        cli_tr(
            "NAME\n    cvkit - customer-value modeling: tables, CSV and models in embedded Lua\n\n"
            "SYNOPSIS\n"),
        f);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "    cvkit %s\n", c->synopsis);
    fputs(cli_tr("    cvkit --version\n\nCOMMANDS\n"), f);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "    %-10s %s\n", c->name, cli_tr(c->summary));
    fputs(cli_tr("\nOPTIONS\n"), f);
    for (const cli_command *c = cli_commands; c->name; c++)
        if (c->options)
            fprintf(f, "  %s:\n%s", c->name, cli_tr(c->options));
    fputs(
        cli_tr(
            "  cvkit:\n"
            "    --version          print the version and exit\n"
            "    --help, -h         print this text and exit\n\n"
            "ENVIRONMENT\n"
            "    CVKIT_LUA_PATH     a source folder holding lua/cv/ (and models/): require "
            "\"cv.x\"\n"
            "                       reads lua/cv/x.lua from it instead of the copy built into\n"
            "                       cvkit (for developing the Lua modules without rebuilding)\n"
            "    CVKIT_LANG         the default of --lang: en or zh (else the locale: LC_ALL,\n"
            "                       LC_MESSAGES or LANG starting with zh gives zh)\n"
            "    CVKIT_HISTORY      the REPL's history file (default ~/.cvkit_history)\n\n"
            "FILES\n"
            "    PREFIX/share/cvkit/models/    the bundled models run by name (PREFIX: the\n"
            "                                  folder above the one holding cvkit)\n"
            "    PREFIX/share/cvkit/examples/  example data; PREFIX/share/doc/cvkit: the docs\n\n"),
        f);
    fputs(cli_tr(exit_status), f);
    fputs(cli_tr("EXAMPLES\n"
                 "    cvkit run examples/demo.lua\n"
                 "    cvkit run clv_bgnbd --data tx.csv --set horizon=26\n"
                 "    cvkit run --set discount=0.1 --set unit=week model.lua data/tx.csv\n"
                 "    cvkit repl tx=examples/data/transactions.csv\n"
                 "    cvkit help clv.simple\n"
                 "    CVKIT_LUA_PATH=. cvkit run tests/lua/test_table.lua\n"),
          f);
}

/* help [COMMAND | [--lang LANG] TOPIC | topics | --markdown]: the whole text on stdout, one
   command's synopsis and options, or a help topic (a function, formula or model: the
   catalogue of lua/cv/help.lua, the same text as help() at the prompt) */
int cli_cmd_help(int argc, char **argv)
{
    const cli_command *c;
    if (argc < 2) {
        cli_usage(stdout);
        return 0;
    }
    if ((c = cli_find(argv[1])) == NULL)
        return cli_lua_main("cv.help", argc, argv);
    printf(cli_tr("usage: cvkit %s\n"), c->synopsis);
    printf("    %s\n", cli_tr(c->summary));
    if (c->options)
        printf("%s%s", cli_tr("options:\n"), cli_tr(c->options));
    return 0;
}
