-- Lifetime-safe bindings (docs/safety.md): a table, column or connection that a binding
-- uses stays alive until it returns, whatever Lua code runs meanwhile (a per-row callback,
-- a metamethod of an argument, a __gc finalizer, collectgarbage); argument tables are read
-- raw; a closed handle raises on every use. Each test checks the binding's result and that
-- the handle is closed afterwards (under ASan/valgrind: that nothing is read after free).
local T = require "cv.testing"
local test, eq, raises = T.test, T.eq, T.raises
local getmt = debug and debug.getmetatable or getmetatable -- metatables may be protected

local function orders()
   return cv.table{
      { "id", { 1, 2, 1, 3 } },
      { "amount", { 10.0, 20.5, 30.0, 5.5 } },
      { "channel", { "web", "shop", "web", "web" } },
   }
end

local function transactions()
   return cv.table{
      { "id", { 1, 1, 2 } },
      { "date", { "1997-01-01", "1997-01-08", "1997-01-15" }, "date" },
      { "amount", { 10.0, 20.0, 5.0 } },
   }
end

-- true when using t raises "attempt to use a closed table"
local function closed(t)
   local ok, msg = pcall(function() return #t end)
   return not ok and msg:find("attempt to use a closed table", 1, true) ~= nil
end

-- A metamethod that counts its calls and closes t (it must never run: arguments are raw).
local function closer(t, count)
   return function()
      count.n = count.n + 1
      t:close()
      collectgarbage()
      return nil
   end
end

-- Runs call(t, args) with t, args = make() again and again, each time with the garbage
-- collector made eager and in another phase (a few allocations first), until a __gc
-- finalizer closed t while call ran in 12 tries: the finalizer hits different points of
-- the binding. A try where it closed t before the binding took it raises "closed table"
-- and does not count. Returns the results of the last counted call (table.pack) and its t.
local function finalizer_closes(make, call)
   local inside, fired, done, target = false, false, false, nil
   local function arm()
      setmetatable({}, { __gc = function()
         if done then return end
         if inside and not fired then
            fired = true
            target:close()
         end
         arm()
      end })
   end
   arm()
   collectgarbage("incremental", 10, 1000)
   local r, last, hits, tries = nil, nil, 0, 0
   while hits < 12 and tries < 5000 do
      tries = tries + 1
      local t, args = make()
      local _ = getmetatable(t) == "cv.Connection" and t:kind() or #t -- used once: pin counter made
      for _ = 1, tries % 23 do local _ = {} end -- shifts the collector's phase
      target, fired = t, false
      inside = true
      r = table.pack(pcall(call, t, args))
      inside = false
      if fired and r[1] then
         hits, last = hits + 1, { r, t }
      elseif fired and not tostring(r[2]):find("closed", 1, true) then
         last = { r, t }
         break
      end
   end
   done = true
   collectgarbage("incremental", 200, 100)
   collectgarbage()
   assert(last, "no finalizer ran during the call in " .. tries .. " tries")
   if not last[1][1] then error(last[1][2], 2) end
   return last[1], last[2]
end

-- ---- Per-row callbacks ------------------------------------------------------------------

test("t:add with a callback that closes t: the column is computed from the whole table", function()
   local t = orders()
   local calls = 0
   local r = t:add("double", function(row)
      calls = calls + 1
      t:close()
      collectgarbage()
      return row.amount * 2
   end)
   eq(calls, 4)
   eq(r:col("double"):totable(), { 20.0, 41.0, 60.0, 11.0, n = 4 })
   eq(r:col("channel"):totable(), { "web", "shop", "web", "web", n = 4 })
   assert(closed(t), "t is closed afterwards")
   eq(tostring(t), "cv.Table (closed)")
end)

test("t:filter with a function that closes t keeps the right rows", function()
   local t = orders()
   local r = t:filter(function(row)
      t:close()
      collectgarbage()
      return row.channel == "web"
   end)
   eq(r:col("id"):totable(), { 1, 1, 3, n = 3 })
   eq(r:col("amount"):totable(), { 10.0, 30.0, 5.5, n = 3 })
   assert(closed(t))
end)

test("a callback closing t through a to-be-closed variable", function()
   local t = orders()
   local r = t:filter(function(row)
      do local _ <close> = t end
      return row.id == 1
   end)
   eq(r:col("amount"):totable(), { 10.0, 30.0, n = 2 })
   assert(closed(t))
end)

test("t:rows() stops with an error once the loop closed t", function()
   local t = orders()
   local seen = {}
   raises("attempt to use a closed table", function()
      for i, row in t:rows() do
         seen[i] = row.id
         t:close()
      end
   end)
   eq(seen, { 1 })
end)

test("a binding left in a dead coroutine: t closes, the coroutine can be closed", function()
   local t = orders()
   local co = coroutine.create(function()
      return t:filter(function() error("stop here") end)
   end)
   local ok, msg = coroutine.resume(co)
   eq(ok, false)
   assert(msg:find("stop here", 1, true))
   t:close()
   assert(closed(t))
   assert(coroutine.close(co) == false) -- the error again; the pin is dropped
   local co2 = coroutine.create(function() return t end)
   coroutine.resume(co2)
   local u = orders()
   local co3 = coroutine.create(function() return u:add("x", function() error("x") end) end)
   coroutine.resume(co3)
   u:close()
   co3 = nil
   collectgarbage() -- the dead coroutine goes with its pin: u's table is freed (valgrind)
   assert(closed(u))
end)

-- ---- Metamethods of argument tables never run ----------------------------------------------

test("t:select reads the names raw: __len and __index do not run", function()
   local t, count = orders(), { n = 0 }
   local names = setmetatable({ "channel", "id" }, { __len = closer(t, count),
      __index = closer(t, count) })
   local r = t:select(names)
   eq(r:names(), { "channel", "id" })
   eq(r:col("id"):totable(), { 1, 2, 1, 3, n = 4 })
   local proxy = setmetatable({}, { __len = function() return 2 end, __index = closer(t, count) })
   eq(t:select(proxy):ncols(), 0) -- a proxy has no raw names
   eq(count.n, 0)
   t:close()
   assert(closed(t))
end)

test("t:sort, t:group_by and t:join read their specs raw", function()
   local t, count = orders(), { n = 0 }
   local key = setmetatable({ "amount" }, { __index = closer(t, count) }) -- desc: raw nil
   eq(t:sort{ key }:col("amount"):totable(), { 5.5, 10.0, 20.5, 30.0, n = 4 })
   local aggs = setmetatable({ total = { "sum", "amount" } }, { __index = closer(t, count),
      __len = closer(t, count) })
   local g = t:group_by(setmetatable({ "channel" }, { __len = closer(t, count) }), aggs)
   eq(g:col("channel"):totable(), { "web", "shop", n = 2 })
   eq(g:col("total"):totable(), { 45.5, 20.5, n = 2 })
   local u = cv.table{ { "id", { 1, 3 } }, { "name", { "ann", "cy" } } }
   local j = t:join(u, setmetatable({ on = setmetatable({ "id" }, { __index = closer(t, count) }) },
      { __index = closer(t, count) }))
   eq(j:col("name"):totable(), { "ann", "ann", "cy", n = 3 })
   eq(count.n, 0)
   t:close()
   assert(closed(t))
end)

test("t:add with a values table whose __index closes t: holes stay missing", function()
   local t, count = orders(), { n = 0 }
   local r = t:add("x", setmetatable({ 1, [3] = 3, [4] = 4 }, { __index = closer(t, count) }))
   eq(r:col("x"):totable(), { 1, nil, 3, 4, n = 4 })
   eq(count.n, 0)
end)

test("cv.summary reads its options raw (an __index that closes the table never runs)", function()
   local tx, count = transactions(), { n = 0 }
   local s, rep = cv.summary(tx, setmetatable({ customer = "id", date = "date", amount = "amount",
      quiet = true }, { __index = closer(tx, count) }))
   eq(count.n, 0)
   eq(s:col("x"):totable(), { 1, 0, n = 2 })
   eq(s:col("T"):totable(), { 14.0, 0.0, n = 2 })
   eq(rep.customers, 2)
   tx:close()
   assert(closed(tx))
end)

test("k-means and write_xlsx read their lists raw", function()
   local t, count = orders(), { n = 0 }
   local seg = require "cv.core.segment"
   local cols = setmetatable({ "amount" }, { __len = closer(t, count), __index = closer(t, count) })
   local r, info = seg.kmeans(t, cols, 2, 3, 50, 1, false, 0, "cluster")
   eq(info.k, 2)
   local sizes = { info.sizes[1], info.sizes[2] }
   table.sort(sizes)
   eq(sizes, { 2, 2 }) -- {5.5, 10} and {20.5, 30}
   eq(#r, 4)
   local path = os.tmpname() .. ".xlsx"
   local sheets = setmetatable({ { "orders", t } }, { __len = closer(t, count),
      __index = closer(t, count) })
   require("cv.core.file").write_xlsx(path, sheets)
   local f = assert(io.open(path, "rb"))
   eq(f:read(2), "PK") -- a zip container
   f:close()
   os.remove(path)
   eq(count.n, 0)
end)

-- ---- Finalizers that close the table while a binding runs ------------------------------------

test("a finalizer closing t during t:select, t:sort, t:group_by", function()
   local function with(args) return function() return orders(), args end end
   local r, t = finalizer_closes(with{ "amount", "id" }, function(t, n) return t:select(n) end)
   eq(r[2]:names(), { "amount", "id" })
   eq(r[2]:col("amount"):totable(), { 10.0, 20.5, 30.0, 5.5, n = 4 })
   assert(closed(t))
   r, t = finalizer_closes(with{ { "amount", desc = true } }, function(t, k) return t:sort(k) end)
   eq(r[2]:col("id"):totable(), { 1, 2, 1, 3, n = 4 })
   eq(r[2]:col("amount"):totable(), { 30.0, 20.5, 10.0, 5.5, n = 4 })
   assert(closed(t))
   local keys, aggs = { "channel" }, { n = "count", total = { "sum", "amount" } }
   r, t = finalizer_closes(orders, function(t) return t:group_by(keys, aggs) end)
   eq(r[2]:col("total"):totable(), { 45.5, 20.5, n = 2 })
   eq(r[2]:col("n"):totable(), { 3, 1, n = 2 })
   assert(closed(t))
end)

test("a finalizer closing t during t:join, t:add and t:filter", function()
   local u = cv.table{ { "id", { 1, 3 } }, { "name", { "ann", "cy" } } }
   local function with(args) return function() return orders(), args end end
   -- the binding itself, not its options check in Lua (opts.wrap keeps it as upvalue f), so
   -- that the finalizer's collection steps fall inside the C function
   local join = require("cv.core.table").methods.join
   for i = 1, 8 do
      local name, f = debug.getupvalue(join, i)
      if name == "f" then join = f break end
   end
   assert(debug.getinfo(join, "S").what == "C", "the C join")
   local r, t = finalizer_closes(with{ on = "id" }, function(t, o) return join(t, u, o) end)
   eq(r[2]:col("amount"):totable(), { 10.0, 30.0, 5.5, n = 3 })
   assert(closed(t))
   r, t = finalizer_closes(with{ 4, 3, 2, 1 }, function(t, v) return t:add("k", v) end)
   eq(r[2]:col("k"):totable(), { 4, 3, 2, 1, n = 4 })
   eq(r[2]:col("id"):totable(), { 1, 2, 1, 3, n = 4 })
   assert(closed(t))
   r, t = finalizer_closes(orders, function(t) return t:filter("amount", ">", 10) end)
   eq(r[2]:col("amount"):totable(), { 20.5, 30.0, n = 2 })
   assert(closed(t))
end)

test("a finalizer closing the transactions during cv.summary", function()
   -- the binding itself, not cv.summary's options check in Lua, so that the finalizer's
   -- collection steps fall inside the C function (as for t:join above)
   local summarize = require("cv.core.summary").summary
   local r, tx = finalizer_closes(function()
      return transactions(), { customer = "id", date = "date", amount = "amount", unit = "week",
         quiet = true }
   end, function(tx, o) return summarize(tx, o) end)
   eq(r[2]:col("x"):totable(), { 1, 0, n = 2 })
   eq(r[2]:col("T"):totable(), { 2.0, 0.0, n = 2 })
   eq(r[3].unit, "week")
   assert(closed(tx))
end)

test("a finalizer closing t during cv.kmeans and cv.write_xlsx", function()
   local kmeans = require("cv.core.segment").kmeans
   local r, t = finalizer_closes(function() return orders(), { "amount" } end, function(t, cols)
      return kmeans(t, cols, 2, 3, 50, 1, false, 0, "c")
   end)
   local sizes = { r[3].sizes[1], r[3].sizes[2] }
   table.sort(sizes)
   eq(sizes, { 2, 2 })
   assert(closed(t))
   local path = os.tmpname() .. ".xlsx"
   r, t = finalizer_closes(function()
      local t = orders()
      return t, { { "a", t }, { "b", t } }
   end, function(_, sheets) return cv.write_xlsx(path, sheets) end)
   eq(r[2], path)
   local f = assert(io.open(path, "rb"))
   eq(f:read(2), "PK")
   f:close()
   os.remove(path)
   assert(closed(t))
end)

test("strings of argument tables stay alive when a finalizer empties the table", function()
   -- long names are not interned: only the argument table holds them
   local long = ("customer_identifier_"):rep(3)
   local function make()
      local name = long .. "x"
      local t = cv.table{ { name, { 1, 2 } }, { "v", { 3, 4 } } }
      return t, { [1] = long .. "x", [2] = "v" }
   end
   local inside, done = false, false
   local args_of
   local function arm()
      setmetatable({}, { __gc = function()
         if done then return end
         if inside and args_of then args_of[1], args_of[2] = nil, nil end
         arm()
      end })
   end
   arm()
   collectgarbage("incremental", 10, 1000)
   for _ = 1, 200 do
      local t, names = make()
      args_of = names
      inside = true
      local r = t:select(names)
      inside = false
      eq(r:names(), { long .. "x", "v" })
   end
   done = true
   collectgarbage("incremental", 200, 100)
end)

-- ---- Handles closed by their metamethods ------------------------------------------------

test("a column whose __gc was called raises on every use", function()
   local t = orders()
   local c = t:col("amount")
   local gc = getmt(c).__gc
   gc(c)
   gc(c) -- idempotent
   raises("attempt to use a closed column", function() return c[1] end)
   raises("attempt to use a closed column", function() return #c end)
   raises("attempt to use a closed column", function() return c:sum() end)
   raises("attempt to use a closed column", function() return c:totable() end)
   eq(tostring(c), "cv.Column (closed)")
   eq(t:col("amount"):sum(), 66.0) -- the table still has it
end)

test("a table whose __gc or __close was called raises on every use", function()
   local t = orders()
   getmt(t).__gc(t)
   getmt(t).__close(t)
   assert(closed(t))
   raises("attempt to use a closed table", function() return t:select{ "id" } end)
   raises("attempt to use a closed table", function()
      return cv.summary(t, { customer = "id", date = "day", amount = "amount" })
   end)
   eq(tostring(t), "cv.Table (closed)")
   local u = orders()
   local c = u:col("id")
   u:close()
   eq(c:totable(), { 1, 2, 1, 3, n = 4 }) -- a view holds its own column
end)

test("a connection closed while a binding uses it, and parameters read raw", function()
   local path = os.tmpname()
   local db = cv.connect("sqlite:" .. path)
   db:exec("create table t (a integer, b text)")
   local count = { n = 0 }
   local params = setmetatable({ 7, n = 2 }, { __index = function()
      count.n = count.n + 1
      db:close()
   end })
   db:exec("insert into t values (?1, ?2)", params)
   eq(count.n, 0)
   local r = db:read("select a, b from t")
   eq(r:col("a"):totable(), { 7, n = 1 })
   eq(r:col("b"):totable(), { n = 1 }) -- parameter 2 is a raw nil: NULL
   local res, db2 = finalizer_closes(function() return cv.connect("sqlite:" .. path) end,
      function(d) return d:read("select a from t") end)
   eq(res[2]:col("a"):totable(), { 7, n = 1 })
   raises("connection is closed", function() return db2:kind() end)
   db:close()
   os.remove(path)
end)

-- ---- Histograms over extreme values ------------------------------------------------------------

test("histograms over huge finite ranges count right; infinities and NaN are named", function()
   local mc = require "cv.core.mc"
   local h = mc.summary({ 1e308, -1e308 }, { bins = 4 }).hist
   eq(h.counts, { 1, 0, 0, 1 })
   eq(h.lo, -1e308)
   eq(h.hi, 1e308)
   h = mc.summary({ -1.7976931348623157e308, 0, 1.7976931348623157e308 }, { bins = 3 }).hist
   eq(h.counts, { 1, 1, 1 })
   h = mc.summary({ 1.7976931348623157e308, 1.7976931348623157e308 }, { bins = 2 }).hist
   eq(h.counts, { 0, 2 })
   raises("the value inf cannot be binned", mc.summary, { 1, math.huge })
   local chart = cv.chart.histogram{ values = { 1e308, -1e308 }, bins = 4 }
   local svg = chart.svg or tostring(chart)
   assert(not svg:find("nan") and not svg:find("inf"), "no NaN or inf in the SVG")
   local bars = 0
   for _ in svg:gmatch("<title>[^<]*: 1</title>") do bars = bars + 1 end
   eq(bars, 2)
   raises("histogram: value 2 is nan", cv.chart.histogram, { values = { 1, 0 / 0 } })
   raises("histogram: value 3 is %-inf", cv.chart.histogram, { values = { 1, 2, -math.huge } })
   raises("hist needs finite lo < hi", cv.chart.histogram,
      { hist = { lo = 0, hi = math.huge, counts = { 1 } } })
end)

T.report()
