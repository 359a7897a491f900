/* cvkit gen: writes a synthetic transactions CSV drawn from a model and its parameters,
   seeded (lua/cv/gen.lua does the work; the draws are the core's). */
#include "cli.h"

/* gen MODEL NAME=VALUE... --customers N --seed S --out FILE: see lua/cv/gen.lua */
int cli_cmd_gen(int argc, char **argv)
{
    return cli_lua_main("cv.gen", argc, argv);
}
