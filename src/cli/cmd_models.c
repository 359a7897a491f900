/* cvkit models: lists the bundled model scripts (models/NAME.lua) with what each needs
   (lua/cv/script.lua does the work). */
#include "cli.h"

/* models [--lang LANG] [NAME]: see lua/cv/script.lua */
int cli_cmd_models(int argc, char **argv)
{
    return cli_lua_main("cv.script", argc, argv);
}
