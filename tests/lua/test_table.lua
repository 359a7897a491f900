-- Tests of the table bindings (cv.table, cv.Table methods, cv.Column views), with values
-- worked out by hand.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

-- A small table: 6 orders of 3 customers.
local function orders()
   return cv.table{
      { "id", { 1, 2, 1, 3, 2, 1 } },
      { "amount", { 10.0, 20.5, 30.0, nil, 5.5, 4.0, n = 6 } },
      { "channel", { "web", "shop", "web", "web", "shop", nil, n = 6 } },
      { "date", { "1997-01-01", "1997-01-02", "1997-02-01", "1997-03-01", "1997-03-15",
                  "1997-12-31" }, "date" },
   }
end

test("cv.table keeps the order of ordered pairs", function()
   local t = orders()
   eq(t:names(), { "id", "amount", "channel", "date" })
   eq(t:types(), { "int", "float", "string", "date" })
   eq(#t, 6)
   eq(t:nrows(), 6)
   eq(t:ncols(), 4)
   eq(tostring(t), "cv.Table (6 rows × 4 columns)")
end)

test("cv.table from names and columns, and from a map in name order", function()
   local a = cv.table({ "z", "a" }, { { 1, 2 }, { true, false } })
   eq(a:names(), { "z", "a" })
   eq(a:types(), { "int", "bool" })
   local b = cv.table{ zeta = { 1.5 }, alpha = { "x" } }
   eq(b:names(), { "alpha", "zeta" })
   eq(b:row(1), { alpha = "x", zeta = 1.5 })
end)

test("cv.table infers float from mixed integers and floats, float when all missing", function()
   local t = cv.table{ { "x", { 1, 2.5 } }, { "e", { n = 2 } } }
   eq(t:types(), { "float", "float" })
   eq(t:col("x")[1], 1.0)
   eq(t:col("e")[2], nil)
end)

test("cv.table refuses mixed numbers and strings, and bad values", function()
   raises("column 'x' mixes numbers and strings", cv.table, { { "x", { 1, "a" } } })
   raises("column 'x', value 2: expected a number, string or boolean, got table",
      cv.table, { { "x", { 1, {} } } })
   raises("column 'd', value 1: expected a date, got '1997%-13%-01'",
      cv.table, { { "d", { "1997-13-01" }, "date" } })
   raises("unknown type 'money'", cv.table, { { "d", { 1 }, "money" } })
   raises("column 'b' has 1 values, the table has 2 rows", cv.table,
      { { "a", { 1, 2 } }, { "b", { 1 } } })
end)

test("column views: length, 1-based values, missing as nil, dates as text", function()
   local t = orders()
   local a, d = t:col("amount"), t:col("date")
   eq(#a, 6)
   eq(a[2], 20.5)
   eq(a[4], nil)
   eq(a[0], nil)
   eq(a[7], nil)
   eq(d[6], "1997-12-31")
   eq(a:name(), "amount")
   eq(a:type(), "float")
   eq(tostring(a), "cv.Column 'amount' (float, 6 values)")
   local v = a:totable()
   eq(v.n, 6)
   eq(v[1], 10.0)
   eq(v[4], nil)
   eq(t:col("id")[3], 1)
   eq(math.type(t:col("id")[3]), "integer")
end)

test("column aggregates skip missing values", function()
   local a = orders():col("amount")
   near(a:sum(), 70.0)                   -- 10 + 20.5 + 30 + 5.5 + 4
   near(a:mean(), 14.0)                  -- 70 / 5
   eq(a:min(), 4.0)
   eq(a:max(), 30.0)
   eq(orders():col("id"):sum(), 10)      -- 1 + 2 + 1 + 3 + 2 + 1
   eq(orders():col("date"):max(), "1997-12-31")
   eq(cv.table{ { "e", {}, "float" } }:col("e"):sum(), 0)
   eq(cv.table{ { "e", {}, "float" } }:col("e"):mean(), nil)
end)

test("a column outlives its closed table", function()
   local c
   do
      local t <close> = orders()
      c = t:col("id")
   end
   collectgarbage()
   eq(c[4], 3)
   eq(c:max(), 3)
end)

test("closed tables and unknown columns raise", function()
   local t = orders()
   t:close()
   eq(tostring(t), "cv.Table (closed)")
   raises("attempt to use a closed table", t.nrows, t)
   raises("no column 'price'", orders().col, orders(), "price")
end)

test("rows and row", function()
   local t = orders()
   eq(t:row(2), { id = 2, amount = 20.5, channel = "shop", date = "1997-01-02" })
   eq(t:row(4).amount, nil)
   raises("row index out of range", t.row, t, 7)
   local n, total = 0, 0
   for i, r in t:rows() do
      n = n + 1
      total = total + i * r.id
   end
   eq(n, 6)
   eq(total, 1 * 1 + 2 * 2 + 3 * 1 + 4 * 3 + 5 * 2 + 6 * 1)
end)

test("select by list and by arguments", function()
   local t = orders()
   eq(t:select{ "channel", "id" }:names(), { "channel", "id" })
   eq(t:select("date"):names(), { "date" })
   eq(t:select("date"):nrows(), 6)
   raises("no column 'nope'", t.select, t, { "id", "nope" })
end)

test("filter with operators", function()
   local t = orders()
   eq(t:filter("id", "==", 1):col("amount"):totable(), { 10.0, 30.0, 4.0, n = 3 })
   eq(t:filter("amount", ">", 10):nrows(), 2)     -- 20.5, 30 (missing never matches)
   eq(t:filter("amount", "<=", 10):nrows(), 3)    -- 10, 5.5, 4
   eq(t:filter("amount", "isna"):col("id")[1], 3)
   eq(t:filter("amount", "notna"):nrows(), 5)
   eq(t:filter("channel", "~=", "web"):nrows(), 2) -- shop, shop (missing never matches)
   eq(t:filter("date", ">=", "1997-03-01"):nrows(), 3)
   raises("unknown operator '=>'", t.filter, t, "id", "=>", 1)
end)

test("filter with a Lua function of the row", function()
   local t = orders()
   local big = t:filter(function(r) return (r.amount or 0) > 5 and r.channel == "web" end)
   eq(big:col("amount"):totable(), { 10.0, 30.0, n = 2 })
   raises("boom", t.filter, t, function() error("boom") end)
end)

test("sort: one key, several keys, stable, missing last", function()
   local t = orders()
   eq(t:sort("amount"):col("amount"):totable(), { 4.0, 5.5, 10.0, 20.5, 30.0, n = 6 })
   eq(t:sort("amount", "desc"):col("amount"):totable(), { 30.0, 20.5, 10.0, 5.5, 4.0, n = 6 })
   -- by id ascending, then amount descending
   eq(t:sort{ "id", { "amount", desc = true } }:col("amount"):totable(),
      { 30.0, 10.0, 4.0, 20.5, 5.5, n = 6 })
   -- stable: equal ids keep their order
   eq(t:sort("id"):col("date"):totable(), { "1997-01-01", "1997-02-01", "1997-12-31",
      "1997-01-02", "1997-03-15", "1997-03-01", n = 6 })
   raises("invalid option 'down'", t.sort, t, "id", "down")
end)

test("group_by: counts, sums, means, quantiles", function()
   local g = orders():group_by("id", {
      n = "count",
      revenue = { "sum", "amount" },
      avg = { "mean", "amount" },
      last = { "last", "date" },
   })
   -- named aggregates come in name order after the keys; groups in order of first appearance
   eq(g:names(), { "id", "avg", "last", "n", "revenue" })
   eq(g:col("id"):totable(), { 1, 2, 3, n = 3 })
   eq(g:col("n"):totable(), { 3, 2, 1, n = 3 })
   near(g:col("revenue")[1], 44.0)  -- 10 + 30 + 4
   near(g:col("revenue")[2], 26.0)  -- 20.5 + 5.5
   near(g:col("avg")[1], 44 / 3)
   eq(g:col("last")[1], "1997-12-31")
   local q = cv.table{ { "k", { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 } },
      { "v", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 } } }
   local r = q:group_by({ "k" }, { { "p90", "quantile", "v", 0.9 }, { "med", "median", "v" } })
   eq(r:names(), { "k", "p90", "med" })     -- array form keeps its order
   near(r:col("p90")[1], 9.1)               -- type 7: 9 + 0.1 * (10 - 9)
   near(r:col("med")[1], 5.5)
   raises("bad aggregate 'x' to 'group_by'", q.group_by, q, "k", { x = { "total", "v" } })
   raises("quantile needs q in %[0, 1%]", q.group_by, q, "k", { x = { "quantile", "v", 2 } })
end)

test("join: inner and left, on one name or pairs", function()
   local t = orders()
   local names = cv.table{ { "cid", { 1, 2 } }, { "name", { "ann", "bob" } } }
   local inner = t:join(names, { on = { id = "cid" } })
   eq(inner:nrows(), 5)  -- customer 3 has no name
   eq(inner:names(), { "id", "amount", "channel", "date", "name" })
   eq(inner:col("name"):totable(), { "ann", "bob", "ann", "bob", "ann", n = 5 })
   local left = t:join(names, { on = { id = "cid" }, how = "left" })
   eq(left:nrows(), 6)
   eq(left:col("name")[4], nil)
   local same = cv.table{ { "id", { 3 } }, { "vip", { true } } }
   eq(t:join(same, { on = "id" }):col("vip"):totable(), { true, n = 1 })
   eq(t:join(same, { on = { "id" }, how = "left" }):col("vip"):totable().n, 6)
   raises("Table:join: option 'how' cannot be 'outer' %(known: inner, left%)", t.join, t, same,
      { on = "id", how = "outer" })
   raises("Table:join: option 'on' is required", t.join, t, same, { how = "left" })
   raises("cv.join: bad option 'on' %(column names must be strings%)", t.join, t, same,
      { on = { 1 } })
end)

test("add: a column from a function of the row or from values", function()
   local t = orders()
   local u = t:add("double", function(r) return r.amount and r.amount * 2 end)
   eq(u:names(), { "id", "amount", "channel", "date", "double" })
   eq(u:col("double"):totable(), { 20.0, 41.0, 60.0, nil, 11.0, 8.0, n = 6 })
   eq(t:ncols(), 4)  -- tables are values: t is unchanged
   local v = t:add("rank", { 6, 5, 4, 3, 2, 1 })
   eq(v:col("rank"):type(), "int")
   local w = t:add("id", { "a", "b", "c", "d", "e", "f" })   -- replaces, in place
   eq(w:names(), t:names())
   eq(w:col("id")[6], "f")
   local d = t:add("due", { "1997-02-01", nil, nil, nil, nil, "1998-01-01" }, "date")
   eq(d:col("due"):type(), "date")
   eq(d:col("due")[2], nil)
   raises("column 'x' has 7 values, the table has 6 rows", t.add, t, "x", { 1, 2, 3, 4, 5, 6, 7 })
   raises("column 'x' mixes numbers and strings", t.add, t, "x", function(r)
      return r.id == 1 and 1 or "a"
   end)
end)

test("head, tail and describe", function()
   local t = orders()
   eq(t:head(2):col("id"):totable(), { 1, 2, n = 2 })
   eq(t:head(-2):col("id"):totable(), { 2, 1, n = 2 })
   eq(t:head():nrows(), 6)
   local d = t:describe()
   eq(d:nrows(), 4)
   eq(d:col("column"):totable(), { "id", "amount", "channel", "date", n = 4 })
   eq(d:col("missing"):totable(), { 0, 1, 1, 0, n = 4 })
   near(d:col("mean")[1], 10 / 6)
end)

test("text output: to_string('text') as print shows it", function()
   local s = orders():head(2):to_string("text")
   T.ok(s:find("id", 1, true) and s:find("amount", 1, true), s)
   T.ok(s:find("20.5", 1, true), s)
end)

test("Chinese column names and values", function()
   local t = cv.table{ { "渠道", { "线上", "门店", "线上" } }, { "金额", { 10, 5, 7 } } }
   eq(t:names(), { "渠道", "金额" })
   local g = t:group_by("渠道", { ["合计"] = { "sum", "金额" } })
   eq(g:col("渠道"):totable(), { "线上", "门店", n = 2 })
   eq(g:col("合计"):totable(), { 17, 5, n = 2 })
   eq(t:filter("渠道", "==", "门店"):row(1), { ["渠道"] = "门店", ["金额"] = 5 })
end)

test("cv.show labels the chosen columns and rounds floats for the eye only", function()
   local t = cv.table{ { "id", { 1, 2, 3 } }, { "amount", { 1234.5678, 0.125, nil, n = 3 }, "float" },
      { "note", { "a", "b", "c" } } }
   local shown = cv.show(t, { { "amount", "金额" }, { "id", "客户" } })
   eq(shown:names(), { "金额", "客户" })
   -- half up at two places; 0.125 is exact in binary, so it rounds up to 0.13
   eq(shown:col("金额"):totable(), { 1234.57, 0.13, nil, n = 3 })
   eq(shown:col("客户"):totable(), { 1, 2, 3, n = 3 })
   eq(t:col("amount")[1], 1234.5678)
   eq(cv.show(t, { { "amount" } }, 0):col("amount"):totable(), { 1235.0, 0.0, nil, n = 3 })
   raises("nosuch", cv.show, t, { { "nosuch", "x" } })
end)

test("cv.try returns nil, message and code", function()
   local r, msg, code = cv.try(function() error("nope") end)
   eq(r, nil)
   T.ok(msg:find("nope$"), msg)
   eq(code, 8)
   eq(select("#", cv.try(function() return 1, nil, 3 end)), 3)
end)

T.report()
