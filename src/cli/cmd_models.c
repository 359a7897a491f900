/* cvkit models: lists the bundled model scripts (models/NAME.lua) with what each needs and
   the file `cvkit run NAME` runs (lua/cv/script.lua prints; the files are found here, in C,
   by the same search as cvkit run: script_path.c). */
#include <limits.h>
#include <string.h>

#include "cli.h"
#include "embedded.h"

/* Sets arg.model_files = {NAME = path, ...} for the bundled models that have a file, and
   arg.model_places = the folders searched. The arg table is at the top of L's stack. */
static void add_model_files(lua_State *L)
{
    char path[PATH_MAX + 64], places[PATH_MAX + 32];
    lua_newtable(L);
    for (size_t i = 0; i < cv_embedded_lua_count; i++) {
        const char *name = cv_embedded_lua_files[i].name;
        if (strncmp(name, "models.", 7) == 0 && cli_model_file(name + 7, path, sizeof path)) {
            lua_pushstring(L, path);
            lua_setfield(L, -2, name + 7);
        }
    }
    lua_setfield(L, -2, "model_files");
    cli_model_places(places, sizeof places);
    lua_pushstring(L, places);
    lua_setfield(L, -2, "model_places");
}

/* models [--lang LANG] [NAME]: see lua/cv/script.lua */
int cli_cmd_models(int argc, char **argv)
{
    return cli_lua_main_with("cv.script", argc, argv, add_model_files);
}
