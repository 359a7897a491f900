/* libFuzzer target: the Lua bindings' argument handling. Each input drives a small
   generated script in a sandboxed engine (1 s, 256 MiB): its bytes pick functions of the
   cv module and methods of cv.Table, and arguments from a pool of odd values (nil, NaN,
   huge integers, empty tables, wrong types, earlier results), each call under pcall. A
   binding may raise; it must never crash, leak or trip a sanitizer.
   In an input that starts with "LT", a step byte >= 0xF0 runs one of 16 fixed lifetime
   operations instead (docs/safety.md; the other inputs keep their meaning):
   bindings given callbacks, metamethods and finalizers that close their table, the
   metamethods of cv.Table, cv.Column and cv.Connection called directly (taken from the
   registry: protected metatables do not hide them from the fuzzer). In an input that starts
   with "LN", a step byte >= 0xE0 runs one of 32 operations on the bindings added since
   (models, diagnostics, intervals, mc, dyncov, decision, crmcost, covariates, segment, the
   table writer) with the pool's values, a summary table and closers; "LNredef" or
   "LTredef" first redefines the script's functions as "redef" does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "lbind.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static const char harness[] =
    "local bytes = cv.fuzz_input\n"
    "local meta = cv.fuzz_meta or {}\n"
    "cv.fuzz_input, cv.fuzz_meta = nil, nil\n"
    "local pos = 0\n"
    "local lt = bytes:sub(1, 2) == 'LT'\n"
    "local ln = bytes:sub(1, 2) == 'LN'\n"
    "if lt or ln then pos = 2 end\n"
    "local function byte() pos = pos + 1 return bytes:byte(pos) or 0 end\n"
    "local funcs = {}\n"
    "local function collect(prefix, t, depth)\n"
    "   local keys = {}\n"
    "   for k in pairs(t) do if type(k) == 'string' then keys[#keys + 1] = k end end\n"
    "   table.sort(keys)\n"
    "   for _, k in ipairs(keys) do\n"
    "      local v = t[k]\n"
    "      if type(v) == 'function' then funcs[#funcs + 1] = v\n"
    "      elseif type(v) == 'table' and depth < 2 and k ~= 'params' then\n"
    "         collect(prefix .. k .. '.', v, depth + 1)\n"
    "      end\n"
    "   end\n"
    "end\n"
    "collect('cv.', cv, 0)\n"
    "local t0 = cv.table{{'id', {1, 2, 2, 3}},\n"
    "   {'date', {'1997-01-01', '1997-01-05', '1997-02-01', '1997-03-01'}},\n"
    "   {'amount', {10.5, 20, 0, 5}}, {'s', {'a', 'b', nil, 'd'}, n = 4}}\n"
    "local nfuncs = #funcs\n"
    "collect('T:', require('cv.core.engine').methods('cv.Table'), 2)\n"
    "local pool = {n = 0}\n"
    "local function add(v) if pool.n < 96 then pool.n = pool.n + 1 pool[pool.n] = v end end\n"
    "for _, v in ipairs{true, false, 0, 1, -1, 2, 3, 7, 52, 0.5, -0.0, 1e308, -1e308,\n"
    "   math.huge, -math.huge, math.maxinteger, math.mininteger, 1e-300, '', 'x', 'id',\n"
    "   'amount', 'date', 's', 'customer', '1997-01-01', '1997-02-30', 'week', 'month',\n"
    "   'csv', 'json', 'md', 'sum', 'mean', 'count', 'inner', 'left', '>', '==', 'out/f.csv',\n"
    "   '../x.csv', 'out/r.html', ('a'):rep(300), 'a,b\\n1,2\\n3,x\\n', '\\0\\255\\254', {}, {1, 2, 3},\n"
    "   {'id'}, {'id', 'amount'}, {id = 1}, {'nope'}, {customer = 'id', date = 'date',\n"
    "   amount = 'amount'}, {customer = 'id', date = 'date', amount = 'amount', unit = 'week',\n"
    "   calibration_end = '1997-02-01'}, {header = false}, {delim = ';'}, {types = {id = 'int'}},\n"
    "   {avg_purchase = 100, frequency = 4, lifetime = 5}, {margin = 10, retention = 0.8,\n"
    "   discount = 0.1}, {{1, 2}, {3}}, t0, function(...) return ... end,\n"
    "   setmetatable({}, {__index = function() error('boom') end})} do add(v) end\n"
    "local cur\n" /* the handle of the running step: what the closers close */
    "local function close_cur() if cur then pcall(function() cur:close() end) end end\n"
    "local t1 = cv.table{{'id', {3, 1}}, {'v', {'x', 'y'}}}\n"
    "add(t1) add(t0:col('amount'))\n"
    "add(function(...) close_cur() collectgarbage() return ... end)\n"
    "add(setmetatable({'id', 'amount'}, {__len = function() close_cur() return 2 end,\n"
    "   __index = function() close_cur() collectgarbage() end}))\n"
    "add(0 / 0)\n"
    "add(nil)\n"
    /* an input starting with "redef": its next bytes first replace functions of the
       script's string, table, math, utf8, os and globals (cvkit's own must not care) */
    "local table, math, pcall, getmetatable = {insert = table.insert, pack = table.pack,\n"
    "   unpack = table.unpack}, {min = math.min}, pcall, getmetatable\n"
    "if bytes:sub(pos + 1, pos + 5) == 'redef' then\n"
    "   local pairs, type, sort = pairs, type, _ENV.table.sort\n"
    "   pos = pos + 5\n"
    "   local libs = {_ENV.string, _ENV.table, _ENV.math, utf8, os, _ENV}\n"
    "   local fakes = {function() return true end, function() error('redefined') end,\n"
    "      function() end, function(...) return ... end, function() return '' end,\n"
    "      function() return 0 / 0, {} end}\n"
    "   for i = 1, byte() % 32 do\n"
    "      local lib, keys = libs[byte() % #libs + 1], {}\n"
    "      for k in pairs(lib) do if type(k) == 'string' then keys[#keys + 1] = k end end\n"
    "      sort(keys)\n"
    "      local k, f = keys[byte() % #keys + 1], fakes[byte() % #fakes + 1]\n"
    "      if k ~= 'cv' and k ~= '_G' then lib[k] = f end\n"
    "   end\n"
    "end\n"
    "local lifetime = {\n"
    "   function(t, f) return t:add('z', f) end, function(t, f) return t:filter(f) end,\n"
    "   function(t, x) return t:select(x) end, function(t, x) return t:sort(x) end,\n"
    "   function(t, x, y) return t:group_by(x, y) end, function(t, x, y) return t:join(x, y) end,\n"
    "   function(t, x) return cv.summary(t, x) end, function(t, x) return cv.kmeans(t, x) end,\n"
    "   function(t, x) return cv.write_xlsx(x, {{'s', t}, {'t', t}}) end,\n"
    "   function(x) return (meta.gc or print)(x) end,\n"
    "   function(x) pcall(meta.close or print, x) return (meta.colgc or print)(x) end,\n"
    "   function(x) return getmetatable(x).__gc(x) end,\n"
    "   function(c, i) return c[i], #c, tostring(c) end,\n"
    "   function(t) for _, r in t:rows() do close_cur() end end,\n"
    "   function(t) setmetatable({}, {__gc = close_cur}) collectgarbage('step') return #t end,\n"
    "   function(t, x) return t:col(x):sum() end}\n"
    /* "LN" inputs: a step byte >= 0xE0 runs one of 32 operations on the bindings added
       since (cv.core.models, diagnostics, intervals, mc, dyncov, decision, crmcost,
       covariates, segment, the table writer), given the pool's values, a summary table
       and closers; "LNredef..." redefines the script's functions first. */
    "local C = setmetatable({}, {__index = function(_, k) return require('cv.core.' .. k) end})\n"
    "local P4 = {0.5, 4, 0.8, 2.4}\n"
    "local function tab(t) return type(t) == 'userdata' and t or nil end\n"
    "local function fn(f) return type(f) == 'function' and f or function(v) return v - 0.5 end end\n"
    "if ln then add(cv.table{{'x', {0, 1, 3, 2}}, {'t_x', {0, 2.5, 9, 4}}, {'T', {10, 10, 12, 9}},\n"
    "   {'m', {0, 12.5, 30, 8}}, {'x_holdout', {0, 1, 2, 0}}, {'z', {1, 0, 1, 0}}}) end\n"
    "local newops = {\n"
    "   function(t, x) return C.models.fit('bgnbd', t, x) end,\n"
    "   function(t, x) return C.models.validate('bgnbd', P4, t, {horizon = 5, buckets = x,\n"
    "      holdout = 'x_holdout'}) end,\n"
    "   function(t, x) return C.models.predict('bgnbd', P4, 'p_alive', t, x) end,\n"
    "   function(t, x) return C.models.clv('bgnbd', P4, t, {unit = 'week', horizon = x}) end,\n"
    "   function(x, y) return C.models.simulate('bgnbd', P4, 3, {seed = x, T = y}) end,\n"
    "   function(x, y) return C.models.simulate_tx('bgnbd', P4, 2, {seed = x, cohort_days = y,\n"
    "      unit = 'week'}) end,\n"
    "   function(t) return C.models.correlation(t) end,\n"
    "   function(t, x) return C.diagnostics.histogram('bgnbd', P4, t, {max_x = x}) end,\n"
    "   function(t, x) return C.diagnostics.holdout('bgnbd', P4, t, {horizon = 5, groups = x}) end,\n"
    "   function(x, y) return C.diagnostics.matrix('bgnbd', P4, 'p_alive', 10, x, y) end,\n"
    "   function(x, y) return C.diagnostics.palive_path('bgnbd', P4, x, y) end,\n"
    "   function(t, x) return C.intervals.run({model = 'bgnbd', params = P4, data = t}, nil, t,\n"
    "      {kinds = {'p_alive'}, method = 'bootstrap', draws = 3, level = x}) end,\n"
    "   function(t, x) return C.intervals.run({model = 'bgnbd', params = P4, cov_log = x}, nil,\n"
    "      t, {kinds = {'p_alive', 'conditional'}, draws = 5, horizon = x}) end,\n"
    "   function(t, x, y) return C.mc.summary(t, x, {bins = y}) end,\n"
    "   function(x, y) return C.mc.summary({1, 2, x}, {bins = 4, lo = x, hi = y}) end,\n"
    "   function(x, y) local s = {} for i = 1, 64 do s[i] = {'resample', {x, y}} end\n"
    "      return C.mc.draws(s, 2, 1) end,\n"
    "   function(f, x) return C.mc.root(fn(f), 0, 1, {scan = x}) end,\n"
    "   function(x, y) return C.mc.formula('cost.switching', {search_cost = x,\n"
    "      learning_cost = {'resample', {1}}, setup_cost = y}, 3, 1) end,\n"
    "   function(x, y) return C.dyncov.loglik(x, y) end,\n"
    "   function(x, y) return C.dyncov.loglik({x = {1}, t_x = {1}, T = {2}, ntrans = {x},\n"
    "      ttime = {1}, nper = {1}, pstart = {0}, z = {1}, ncov = y, proc = {'trans'},\n"
    "      col = {1}}, {0, 0, 0, 0, 0}) end,\n"
    "   function(x, y) return C.decision.classify({x, y, 1.5}, {x, 1, 0 / 0}, {0, 0, 0}) end,\n"
    "   function(x, y) return C.decision.compare({x, y}, {true, x}, {{1, x}, {y, 2}}, 2) end,\n"
    "   function(x, y) return C.crmcost.lcc({{option = 1, amount = x, from = y}}, {x}, 0.1, 3) end,\n"
    "   function(t, x) return C.covariates.fit('bgnbd', t, {{column = 'z', proc = x}}, {}) end,\n"
    "   function(t, x, y) return C.covariates.clv('bgnbd', {1, 1, 1, 1, x}, {{column = 'z',\n"
    "      proc = 'both'}}, t, {unit = 'week', horizon = y}) end,\n"
    "   function(t, x, y) return C.segment.kmeans(t, {'x', 't_x'}, x, 1, 5, 1, true, 0, 'k') end,\n"
    "   function(t, x) pcall(meta.gc or print, t) return C.models.fit('bgnbd', t, x) end,\n"
    "   function(t, x) setmetatable({}, {__gc = close_cur}) collectgarbage('step')\n"
    "      return C.diagnostics.histogram('bgnbd', P4, t, x) end,\n"
    "   function(t) return t:add('w', function(r) pcall(t.write, t, 'out/w.csv') close_cur()\n"
    "      collectgarbage() return 1 end) end,\n"
    "   function(t, x) return t:write(x) end,\n"
    "   function(x) pcall(meta.close or print, x) pcall(meta.colgc or print, x) return #x end,\n"
    "   function(x, y) return cv.chart.histogram{values = x, bins = y} end}\n"
    "for step = 1, 24 do\n"
    "   if pos >= #bytes then break end\n"
    "   local k = byte()\n"
    "   local op = (lt and k >= 0xF0) or (ln and k >= 0xE0)\n"
    "   local f = op and (lt and lifetime[k - 0xEF] or newops[k - 0xDF]) or funcs[k % #funcs + 1]\n"
    "   local n = byte() % 5\n"
    "   local args = {n = n}\n"
    "   for a = 1, n do args[a] = pool[byte() % pool.n + 1] end\n"
    "   cur = op and args[1] or nil\n"
    "   if not op and k % #funcs + 1 > nfuncs and byte() % 4 ~= 0 then\n"
    "      local self = t0\n"
    "      for q = pool.n, 1, -1 do\n"
    "         if getmetatable(pool[q]) == getmetatable(t0) then self = pool[q] break end\n"
    "      end\n"
    "      table.insert(args, 1, self) args.n = n + 1\n"
    "   end\n"
    "   local r = table.pack(pcall(f, table.unpack(args, 1, args.n)))\n"
    "   cur = nil\n"
    "   for q = 2, math.min(r.n, 3) do add(r[q]) end\n"
    "end\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!freopen("/dev/null", "w", stdout)) /* bindings print tables and charts */
        return 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char out[64];
    cv_engine_options o = {.sandbox = 1, .timeout = 1.0, .max_memory = (size_t)256 << 20};
    cv_engine *e;
    lua_State *L;
    if (!out[0])
        snprintf(out, sizeof out, "/tmp/cvkit-fuzz-%d", (int)getpid());
    o.out_dir = out;
    o.version = "fuzz";
    if ((e = cv_engine_new(&o, NULL)) == NULL)
        return 0;
    L = cv_engine_lua(e);
    lua_getglobal(L, "cv"); /* the same table as the sandbox's cv */
    lua_pushlstring(L, (const char *)data, size);
    lua_setfield(L, -2, "fuzz_input");
    lua_createtable(L, 0, 2); /* cv.fuzz_meta: metamethods, whatever getmetatable says */
    luaL_getmetatable(L, CV_TABLE_MT);
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "__gc");
        lua_setfield(L, -3, "gc");
        lua_getfield(L, -1, "__close");
        lua_setfield(L, -3, "close");
    }
    lua_pop(L, 1); /* pop metatable */
    luaL_getmetatable(L, CV_COLUMN_MT);
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "__gc");
        lua_setfield(L, -3, "colgc");
    }
    lua_pop(L, 1); /* pop metatable */
    lua_setfield(L, -2, "fuzz_meta");
    lua_pop(L, 1); /* pop cv */
    cv_engine_run_string(e, "=harness", harness);
    cv_engine_free(e);
    return 0;
}
