/* The commands of the cvkit program, in the order the usage text lists them. */
#include <string.h>

#include "cli.h"

const cli_command cli_commands[] = {
    {"run", cli_cmd_run,
     "run [--set NAME=VALUE]... [--lang LANG] [--sandbox] [--allow-read DIR]... "
     "[--max-memory N] [--timeout S] [--quiet] SCRIPT|MODEL [ARG]...",
     "run a Lua script with the cv module loaded, or a bundled model by name",
     "    --set NAME=VALUE   set cv.params.NAME (numbers are converted); repeatable\n"
     "    --lang LANG        language of messages and reports (cv.lang; default $CVKIT_LANG\n"
     "                       or en)\n"
     "    --sandbox          run an untrusted script: no io, os only time/clock/date, no\n"
     "                       C modules or bytecode, writes only inside the output folder;\n"
     "                       limits default to 1G of memory and 600 s (docs/safety.md)\n"
     "    --out-dir DIR      the sandbox's output folder (default out, created if missing)\n"
     "    --allow-read DIR   the sandbox may also read DIR (besides the script's folder, the\n"
     "                       files its arguments name and the output folder); repeatable\n"
     "    --max-memory N     cap the heap at N bytes (suffix k, M or G): exit 9 past it\n"
     "    --timeout S        stop the script after S seconds of wall time: exit 9\n"
     "    --quiet            no progress line (shown on a terminal for steps past a second)\n"
     "    --                 end of options: the next argument is the script\n"
     "    MODEL              a name from 'cvkit models': ./models/MODEL.lua, else the\n"
     "                       installed PREFIX/share/cvkit/models/MODEL.lua, else (a\n"
     "                       build run from its source tree) TREE/models/MODEL.lua\n"},
    {"clv", cli_cmd_clv,
     "clv [--customer COL] [--date COL] [--amount COL] [--calibration-end DATE] "
     "[--observation-end DATE] [--out DIR] [--lang LANG] [OPTION VALUE]... FILE",
     "customer lifetime value in one command: models fitted and compared, every customer's "
     "value, a report with diagnostics",
     "    FILE               the transactions: one row per purchase (CSV; the reading options\n"
     "                       of cvkit run models, e.g. --delim space --header false)\n"
     "    --customer COL     the customer id column (default: the one column named like\n"
     "                       customer or id); --date COL and --amount COL likewise\n"
     "    --calibration-end DATE  last day of the calibration period (default: every\n"
     "                       transaction, no holdout check)\n"
     "    --observation-end DATE  last day of the holdout period (goes with\n"
     "                       --calibration-end: one without the other is an error)\n"
     "    --unit U           day, week (default), month or year\n"
     "    --horizon N        CLV horizon in units (default 52; 0: the whole lifetime)\n"
     "    --discount R       annual discount rate (default 0.15); --margin M share of spend (1)\n"
     "    --out DIR          writes DIR/customers.csv, customers.xlsx, report.html (default\n"
     "                       out/clv)\n"
     "    (and the options of run; the same job as cvkit run clv --data FILE ...)\n"},
    {"explain", cli_cmd_explain, "explain [--lang LANG] FORMULA KEY=VALUE... | explain --list",
     "show a textbook formula step by step with the numbers substituted",
     "    --list             list the formulas with a one-line description\n"
     "    --lang LANG        en or zh (default $CVKIT_LANG or en)\n"},
    {"models", cli_cmd_models, "models [--lang LANG] [NAME]",
     "list the bundled models and the file each runs from; with NAME, its parameters", NULL},
    {"gen", cli_cmd_gen,
     "gen MODEL NAME=VALUE... --out FILE [--customers N] [--seed S] [--start DATE] "
     "[--cohort-days N] [--end DATE] [--unit U] [--spend P,Q,GAMMA]",
     "write a synthetic transactions CSV drawn from a model (bgnbd, pareto_nbd, mbgnbd)",
     "    --customers N      customers to draw (default 1000), ids 1..N\n"
     "    --seed S           the random seed: the same seed gives the same file (default 1)\n"
     "    --start DATE       first day of the acquisition window (default 1997-01-01)\n"
     "    --cohort-days N    first purchases spread uniformly over N days (default 90)\n"
     "    --end DATE         last day of the data (default 546 days after the start)\n"
     "    --unit U           the time unit of the parameters: day, week, month, year\n"
     "                       (default week)\n"
     "    --spend P,Q,GAMMA  Gamma-Gamma parameters of the amounts (default 6.25,3.74,15.44)\n"},
    {"repl", cli_cmd_repl, "repl [--lang LANG] [--set NAME=VALUE]... [NAME=FILE.csv]...",
     "an interactive Lua prompt with cv loaded and each FILE read as the table NAME",
     "    --lang LANG        language of messages and help (en or zh)\n"
     "    --quiet            no progress line while a statement runs\n"
     "    NAME=FILE.csv      read FILE with cv.read_csv into the global NAME\n"},
    {"scenarios", cli_cmd_scenarios,
     "scenarios [--only NAME,...] [--out DIR] [--set NAME=VALUE]... [--lang LANG] FILE [ARG]...",
     "run a scenario file: the base and its variants side by side (docs/scenarios.md)",
     "    --only NAME,...    run only these variants (and the base): cv.params.only; may\n"
     "                       also follow FILE\n"
     "    --out DIR          the folder for the file's tables and report: cv.params.out\n"
     "    (and the options of run)\n"},
    {"help", cli_cmd_help, "help [COMMAND | [--lang LANG] TOPIC | topics]",
     "show this text, one command's usage, or help on a function, formula or model", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

const cli_command *cli_find(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}
