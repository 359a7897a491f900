/* Where `cvkit run NAME` finds its script: a path as given, else a bundled model by name,
   ./models/NAME.lua, then the installed share folder found from the executable's own place
   (/proc/self/exe: BIN/cvkit -> BIN/../share/cvkit/models), so that a DESTDIR staging tree
   or a moved install works, then, for a build run from its source tree (BIN is build/ or
   build/san/), the tree's own models/. Decided here, before any Lua runs: no script can change it.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The folder above the one holding the executable (/proc/self/exe, symbolic links
   resolved: BIN/cvkit -> BIN/..) into exe[PATH_MAX]: 0, or -1 when it cannot be known. */
static int exe_parent(char *exe)
{
    ssize_t n = readlink("/proc/self/exe", exe, PATH_MAX - 1);
    if (n <= 0 || (size_t)n >= PATH_MAX - 1)
        return -1;
    exe[n] = '\0';
    for (int k = 0; k < 2; k++) { /* drop "/cvkit", then "/bin" (or "/build") */
        char *slash = strrchr(exe, '/');
        if (!slash)
            return -1;
        *slash = '\0';
    }
    return 0;
}

int cli_share_dir(char *buf, size_t size)
{
    char exe[PATH_MAX];
    if (exe_parent(exe) != 0)
        return -1;
    int n = snprintf(buf, size, "%s/share/cvkit", exe);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* 1 when path is a regular file (symbolic links followed). */
static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int cli_tree_dir(char *buf, size_t size)
{
    char dir[PATH_MAX], marker[PATH_MAX + 32];
    if (exe_parent(dir) != 0)
        return -1;
    for (int k = 0; k < 2; k++) { /* BIN/.. (build/cvkit), then BIN/../.. (build/san/cvkit) */
        int n = snprintf(marker, sizeof marker, "%s/lua/cv/init.lua", dir);
        if (n > 0 && (size_t)n < sizeof marker && is_file(marker)) {
            n = snprintf(buf, size, "%s", dir);
            return n < 0 || (size_t)n >= size ? -1 : 0;
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
    }
    return -1; /* not a source tree: an installed cvkit looks in share only */
}

/* 1 when s can be a model's name: letters, digits, '_', '-' and '.', not starting with '.'
   (so no '/', no "..": a name never leaves the models folder). */
static int is_model_name(const char *s)
{
    if (!*s || *s == '.')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

int cli_model_file(const char *name, char *buf, size_t size)
{
    char share[PATH_MAX];
    size_t len = strlen(name);
    int n;
    if (len > 4 && strcmp(name + len - 4, ".lua") == 0)
        len -= 4; /* "clv_bgnbd.lua" names the model clv_bgnbd too */
    if (!is_model_name(name) || len > 255)
        return 0;
    n = snprintf(buf, size, "models/%.*s.lua", (int)len, name);
    if (n > 0 && (size_t)n < size && is_file(buf))
        return 1;
    if (cli_share_dir(share, sizeof share) == 0) {
        n = snprintf(buf, size, "%s/models/%.*s.lua", share, (int)len, name);
        if (n > 0 && (size_t)n < size && is_file(buf))
            return 2;
    }
    if (cli_tree_dir(share, sizeof share) == 0) {
        n = snprintf(buf, size, "%s/models/%.*s.lua", share, (int)len, name);
        if (n > 0 && (size_t)n < size && is_file(buf))
            return 3;
    }
    return 0;
}

void cli_model_places(char *buf, size_t size)
{
    char share[PATH_MAX], tree[PATH_MAX];
    int has_share = cli_share_dir(share, sizeof share) == 0;
    if (has_share && cli_tree_dir(tree, sizeof tree) == 0)
        snprintf(buf, size, "./models, %s/models, %s/models", share, tree);
    else if (has_share)
        snprintf(buf, size, "./models, %s/models", share);
    else
        snprintf(buf, size, "./models");
}

const char *cli_script_path(const char *arg, char *buf, size_t size)
{
    struct stat st;
    if (strchr(arg, '/') || stat(arg, &st) == 0)
        return arg; /* a path: run as given (the engine says why it cannot be opened) */
    return cli_model_file(arg, buf, size) ? buf : NULL;
}
