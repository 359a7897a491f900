/* cvkit embedded Lua sources: the table that tools/embed.c generates into
   build/gen/embedded_lua.c from lua/ and models/, registered by the engine in
   package.preload. Plain C (no Lua headers): the generated file compiles without them. */
#ifndef CVKIT_EMBEDDED_H
#define CVKIT_EMBEDDED_H

#include <stddef.h>

typedef struct cv_embedded_lua {
    const char *name;           /* module name: "cv", "cv.testing", "models.clv_simple" */
    const char *path;           /* source path in the repository: "lua/cv/init.lua" */
    const unsigned char *bytes; /* the file's bytes (NUL-terminated for convenience) */
    size_t len;                 /* length without the terminating NUL */
} cv_embedded_lua;

extern const cv_embedded_lua cv_embedded_lua_files[];
extern const size_t cv_embedded_lua_count;

#endif
