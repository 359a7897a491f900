/* cvkit explain: a textbook formula step by step (lua/cv/explain.lua does the work); also
   cli_lua_main, which runs the cli(argv) function of a Lua module for a command. */
#include "cli.h"

/* Runs require(module).cli(arg) in a new engine, with arg = {argv[1], ..., argv[argc-1]}
   (argv[0] is the command name), and returns the status cli returns. The Lua side
   prints its own output and its "cvkit: ..." messages; a failure of the Lua code itself
   is printed here with its traceback. */
int cli_lua_main(const char *module, int argc, char **argv)
{
    return cli_lua_main_with(module, argc, argv, NULL);
}

int cli_lua_main_with(const char *module, int argc, char **argv, void (*prepare)(lua_State *L))
{
    cv_engine_options o = {0};
    cv_engine *e;
    cv_error err;
    lua_State *L;
    char code[160];
    int rc;
    o.version = CVKIT_VERSION;
    if ((e = cv_engine_new(&o, &err)) == NULL)
        return cli_error(err.code, "%s", cli_tr_message(err.msg));
    L = cv_engine_lua(e);
    lua_createtable(L, argc > 1 ? argc - 1 : 0, 1);
    lua_pushstring(L, argv[0]);
    lua_seti(L, -2, 0); /* arg[0] = command name */
    for (int i = 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_seti(L, -2, i);
    }
    if (prepare)
        prepare(L);
    lua_setglobal(L, "arg");
    snprintf(code, sizeof code, "arg.status = require('%s').cli(arg)", module);
    rc = cv_engine_run_string(e, "=cvkit", code);
    if (rc != 0) {
        cli_error(rc, "%s", cv_engine_error(e));
    } else {
        lua_getglobal(L, "arg");
        lua_getfield(L, -1, "status");
        rc = (int)lua_tointeger(L, -1);
        lua_pop(L, 2); /* pop status, arg */
    }
    cv_engine_free(e);
    if (fflush(stdout) != 0 && rc == 0)
        rc = cli_error(CV_ERR_IO, "cannot write the output");
    return rc;
}

/* explain [--lang LANG] NAME key=value ... | explain --list: see lua/cv/explain.lua */
int cli_cmd_explain(int argc, char **argv)
{
    return cli_lua_main("cv.explain", argc, argv);
}
