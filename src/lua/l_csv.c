/* cvkit Lua module "cv.core.csv": reading delimited text into cv.Table (cv.read_csv,
   cv.parse_csv). The reading is the core's. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cvkit/csv.h"
#include "lbind.h"

/* Reads the array of strings in option `field` into a scratch array pushed on the stack
   (NULL and *n = 0 when the option is absent). */
static const char *const *optstrings(lua_State *L, int idx, const char *field, int *n,
                                     const char *fname)
{
    const char **v;
    *n = 0;
    if (!lbind_opt_field(L, idx, field, LUA_TTABLE, fname))
        return NULL;
    if (lua_rawlen(L, -1) > 1000000)
        lbind_opt_error(L, field, fname, "too many strings");
    *n = (int)lua_rawlen(L, -1);
    v = lbind_scratch(L, (size_t)*n * sizeof *v);
    lua_insert(L, -2); /* scratch below the option's table */
    for (int k = 0; k < *n; k++) {
        if (lua_rawgeti(L, -1, k + 1) != LUA_TSTRING)
            lbind_opt_error(L, field, fname, "array of strings expected");
        v[k] = lbind_anchor(L, -1, NULL);
        lua_pop(L, 1); /* pop string */
    }
    lua_pop(L, 1); /* pop the option's table, keep the scratch */
    return v;
}

/* Reads option types = {column = "date", ...} into a scratch array pushed on the stack. */
static const cv_csv_coltype *opttypes(lua_State *L, int idx, int *n, const char *fname)
{
    cv_csv_coltype *v;
    int k = 0;
    *n = 0;
    if (!lbind_opt_field(L, idx, "types", LUA_TTABLE, fname))
        return NULL;
    for (lua_pushnil(L); lua_next(L, -2); lua_pop(L, 1))
        (*n)++;
    v = lbind_scratch(L, (size_t)*n * sizeof *v);
    lua_insert(L, -2); /* scratch below the types table */
    for (lua_pushnil(L); lua_next(L, -2); lua_pop(L, 1), k++) {
        if (k == *n) {     /* a finalizer added keys since they were counted */
            lua_pop(L, 2); /* pop key and value */
            break;
        }
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING ||
            cv_type_parse(lua_tostring(L, -1), &v[k].type) != 0) {
            /* one at a time: each pushes its text (key, value: then at -2 both times) */
            const char *key = luaL_tolstring(L, -2, NULL), *val = luaL_tolstring(L, -2, NULL);
            lbind_opt_error(L, "types", fname,
                            lua_pushfstring(L,
                                            "{column = \"int\"|\"float\"|\"string\"|\"date\"|"
                                            "\"datetime\"|\"bool\"} expected, got %s = %s",
                                            key, val));
        }
        v[k].name = lbind_anchor(L, -2, NULL);
    }
    *n = k;
    lua_pop(L, 1); /* pop the types table, keep the scratch */
    return v;
}

/* The index of option `field`'s string in names (def when absent); raises otherwise. */
static int optchoice(lua_State *L, int idx, const char *field, const char *fname,
                     const char *const *names, int def, const char *expected)
{
    const char *s = lbind_opt_string(L, idx, field, fname, NULL);
    if (!s)
        return def;
    for (int k = 0; names[k]; k++)
        if (strcmp(s, names[k]) == 0)
            return k;
    return lbind_opt_error(L, field, fname,
                           lua_pushfstring(L, "%s expected, got '%s'", expected, s));
}

/* Fills o from the options table at idx of function fname; scratch arrays are pushed on
   the stack. */
static void checkoptions(lua_State *L, int idx, cv_csv_options *o, const char *fname)
{
    static const char *const delims[] = {",",          ";", "\t",  "|", "space",
                                         "whitespace", " ", "tab", NULL};
    static const char delimc[] = {
        ',', ';', '\t', '|', CV_DELIM_WHITESPACE, CV_DELIM_WHITESPACE, CV_DELIM_WHITESPACE, '\t'};
    static const char *const encs[] = {"auto", "utf-8", "utf8", "gbk", "gb18030", NULL};
    static const cv_encoding encv[] = {CV_ENC_AUTO, CV_ENC_UTF8, CV_ENC_UTF8, CV_ENC_GB18030,
                                       CV_ENC_GB18030};
    static const char *const orders[] = {"iso", "dmy", "mdy", NULL};
    static const char *const thnames[] = {"auto", ",", ".", " ", "'", "none", NULL};
    static const char thous[] = {0, ',', '.', ' ', '\'', 'n'};
    int d =
        optchoice(L, idx, "delim", fname, delims, -1, "\",\", \";\", \"\\t\", \"|\" or \"space\"");
    cv_csv_options_init(o);
    if (lbind_opt_field(L, idx, "header", LUA_TBOOLEAN, fname)) {
        o->header = lua_toboolean(L, -1);
        lua_pop(L, 1); /* pop header */
    }
    o->delim = d < 0 ? 0 : delimc[d];
    o->names = optstrings(L, idx, "names", &o->nnames, fname);
    o->types = opttypes(L, idx, &o->ntypes, fname);
    o->date_order = (cv_date_order)optchoice(L, idx, "date_order", fname, orders, 0,
                                             "\"iso\", \"dmy\" or \"mdy\"");
    o->na = optstrings(L, idx, "na", &o->nna, fname);
    o->encoding = encv[optchoice(L, idx, "encoding", fname, encs, 0,
                                 "\"auto\", \"utf-8\", \"gbk\" or \"gb18030\"")];
    o->skip_bad_rows = lbind_opt_boolean(L, idx, "skip_bad_rows", fname, 0);
    o->bad_as_missing = lbind_opt_boolean(L, idx, "bad_as_missing", fname, 0);
    if (lbind_opt_field(L, idx, "decimal_comma", LUA_TBOOLEAN, fname)) {
        o->decimal_comma = lua_toboolean(L, -1) ? 1 : -1; /* absent: detected */
        lua_pop(L, 1);                                    /* pop decimal_comma */
    }
    o->thousands = thous[optchoice(L, idx, "thousands", fname, thnames, 0,
                                   "\",\", \".\", \" \", \"'\" or \"none\"")];
    if (!lua_isnoneornil(L, idx)) {
        int t = lbind_rawfield(L, lua_absindex(L, idx), "sheet");
        if (t == LUA_TNUMBER || t == LUA_TSTRING) {
            lua_tostring(L, -1); /* a number becomes its text, in this copy */
            o->sheet = lbind_anchor(L, -1, NULL);
        } else if (t != LUA_TNIL) {
            lbind_opt_error(L, "sheet", fname, "a sheet name or number expected");
        }
        lua_pop(L, 1); /* pop sheet */
    }
    o->lenient_quotes = lbind_opt_boolean(L, idx, "lenient_quotes", fname, 0);
    lua_Number th = lbind_opt_number(L, idx, "threads", fname, 0);
    o->threads = th >= 1 ? (th < 4096 ? (int)th : 4096) : 0; /* no cast out of int's range */
}

void lbind_csv_options(lua_State *L, int idx, const char *fname, cv_csv_options *o)
{
    checkoptions(L, idx, o, fname);
}

/* Pushes the read report as a Lua table. */
static void pushreport(lua_State *L, const cv_csv_report *r)
{
    static const char *const encs[] = {"auto", "utf-8", "gb18030", "utf-16le", "utf-16be"};
    char delim[2] = {r->delim, '\0'};
    lua_createtable(L, 0, 8);
    lbind_setinteger(L, "rows", (lua_Integer)r->rows);
    lbind_setinteger(L, "skipped_rows", (lua_Integer)r->skipped_rows);
    lbind_setinteger(L, "bad_values", (lua_Integer)r->bad_values);
    lbind_setinteger(L, "lenient_quotes", (lua_Integer)r->lenient_quotes);
    lua_pushstring(L, r->delim == CV_DELIM_WHITESPACE ? "space" : delim);
    lua_setfield(L, -2, "delim");
    lbind_setboolean(L, "header", r->header);
    lua_pushstring(L, encs[(unsigned)r->encoding < 5 ? r->encoding : 0]);
    lua_setfield(L, -2, "encoding");
    lua_createtable(L, r->nexamples, 0);
    for (int k = 0; k < r->nexamples && k < 3; k++) {
        lua_pushstring(L, r->examples[k]);
        lua_seti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "examples");
}

/* cv.read_csv(path [, options]) -> Table, report */
static int csv_read(lua_State *L)
{
    const char *path = lbind_checkstring(L, 1);
    cv_csv_options o;
    cv_csv_report rep;
    cv_table **slot;
    cv_error err;
    lbind_check_input(L, path);
    checkoptions(L, 2, &o, "read_csv");
    memset(&rep, 0, sizeof rep);
    slot = lbind_newtable(L);
    *slot = cv_csv_read(path, &o, &rep, &err);
    if (*slot == NULL)
        return lbind_error(L, &err);
    pushreport(L, &rep);
    return 2;
}

/* cv.parse_csv(text [, options [, name = "string"]]) -> Table, report */
static int csv_parse(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *name = lbind_optstring(L, 3, "string");
    cv_csv_options o;
    cv_csv_report rep;
    cv_table **slot;
    cv_error err;
    checkoptions(L, 2, &o, "parse_csv");
    memset(&rep, 0, sizeof rep);
    slot = lbind_newtable(L);
    if ((*slot = cv_csv_read_buffer(name, text, len, &o, &rep, &err)) == NULL)
        return lbind_error(L, &err);
    pushreport(L, &rep);
    return 2;
}

static const luaL_Reg csv_funcs[] = {
    {"read_csv", csv_read}, {"parse_csv", csv_parse}, {NULL, NULL}};

int luaopen_cv_csv(lua_State *L)
{
    luaL_newlib(L, csv_funcs);
    return 1;
}
