/* The list of cvkit's C modules, registered in package.preload by the engine. */
#include "lbind.h"

const cv_lua_module cv_lua_modules[] = {
#define CV_MODULE(name, fn) {name, fn},
#include "modules.h"
#undef CV_MODULE
    {NULL, NULL}};
