-- Tests of the options layer (lua/cv/opts.lua): declarations check every call, name the
-- function and the option, suggest the closest name, point at the caller's line and
-- carry exit code 2; and every declared public function refuses a misspelt option.
local T = require "cv.testing"
local test, eq, near, raises_plain = T.test, T.eq, T.near, T.raises_plain
local opts = require "cv.opts"

local check = opts.declare("test.f", {
   { "customer", "string", required = true, en = "column of customer ids", zh = "客户编号列" },
   { "unit", { "day", "week", "month", "year" }, default = "day", en = "time unit", zh = "时间单位" },
   { "calibration_end", "date", en = "end of calibration", zh = "校准期结束" },
   { "margin", "string|number", en = "margin column or rate", zh = "毛利列或毛利率" },
   { "n", "integer", en = "a count", zh = "个数" },
   { "rate", "positive", en = "a rate", zh = "比率" },
   { "data", "Table", en = "a table", zh = "表" },
})

test("a good call passes and returns the options", function()
   local o = { customer = "id", unit = "week", calibration_end = "1997-09-30", margin = 0.3,
               n = 3, rate = 0.1, data = cv.table{ a = { 1 } } }
   eq(check(o) == o, true)
   eq(check({ customer = "id", margin = "m" }).margin, "m")
   eq(check({ customer = "id", n = 2 ^ 31 - 1 }).n, 2 ^ 31 - 1) -- an integral float is an integer
end)

test("every kind of mistake is named", function()
   raises_plain("test.f: unknown option 'calibraton_end' (did you mean 'calibration_end'?)",
      check, { customer = "id", calibraton_end = "1997-09-30" })
   raises_plain("test.f: unknown option 'zzz' (known: customer, unit, calibration_end, margin, n, rate, data)",
      check, { customer = "id", zzz = 1 })
   raises_plain("test.f: option 'unit' cannot be 'weeks' (did you mean 'week'?)", check,
      { customer = "id", unit = "weeks" })
   raises_plain("test.f: option 'unit' must be a string, got number 7", check,
      { customer = "id", unit = 7 })
   raises_plain("test.f: option 'customer' is required (column of customer ids)", check, {})
   raises_plain("test.f: option 'customer' must be a string, got number 1", check, { customer = 1 })
   raises_plain("test.f: option 'margin' must be a string or a number, got boolean true", check,
      { customer = "id", margin = true })
   raises_plain("test.f: option 'calibration_end' must be a date YYYY-MM-DD, got '30/9/97'", check,
      { customer = "id", calibration_end = "30/9/97" })
   raises_plain("test.f: option 'n' must be an integer, got number 2.5", check,
      { customer = "id", n = 2.5 })
   raises_plain("test.f: option 'rate' must be a positive number, got number 0", check,
      { customer = "id", rate = 0 })
   raises_plain("test.f: option 'rate' must be a positive number, got number nan", check,
      { customer = "id", rate = 0 / 0 })
   raises_plain("test.f: option 'data' must be a cv.Table, got table", check,
      { customer = "id", data = {} })
   raises_plain("test.f: options must be a table, got 'x'", check, "x")
   raises_plain("test.f: option names are strings, got number 1", check, { customer = "id", 5 })
end)

test("errors point at the caller's line and carry exit code 2", function()
   local line = debug.getinfo(1, "l").currentline + 1
   local function f(o) check(o) return o end
   local ok, msg = pcall(f, { customer = "id", horizn = 1 })
   eq(ok, false)
   eq(msg:match("^[^:]+:(%d+): "), tostring(line)) -- the line of `check(o)`, not opts.lua
   eq(select(3, cv.try(f, { customer = "id", horizn = 1 })), 2)
end)

test("options are read raw: no metamethod runs", function()
   local touched = false
   local o = setmetatable({ customer = "id" }, {
      __index = function() touched = true end,
      __pairs = function() touched = true return next, {}, nil end,
   })
   check(o)
   raises_plain("test.f: unknown option 'unti'", check,
      setmetatable({ customer = "id", unti = "day" }, { __pairs = function() return next, {}, nil end }))
   eq(touched, false)
end)

test("suggestions: close names only", function()
   eq(opts.suggest("horizn", { "horizon", "discount", "spend" }), "horizon")
   eq(opts.suggest("sheme", { "scheme", "bins" }), "scheme")
   eq(opts.suggest("calibraton_end", { "calibration_end", "observation_end" }), "calibration_end")
   eq(opts.suggest("penalizer", { "horizon", "discount" }), nil)
   eq(opts.suggest("Unit", { "unit" }), "unit")
   eq(opts.suggest("bgnbdd", { "bgnbd", "pnbd", "mbgnbd" }), "bgnbd")
end)

test("describe lists the options in both languages", function()
   local en = opts.describe("test.f", "en")
   T.ok(en:find("customer%s+string%s+column of customer ids %(required%)"), en)
   T.ok(en:find("unit%s+\"day\" | \"week\" | \"month\" | \"year\"%s+time unit %(default day%)"), en)
   local zh = opts.describe("test.f", "zh")
   T.ok(zh:find("客户编号列（必需）", 1, true), zh)
end)

-- The objects whose methods declare options, by class: "Model:clv" is tried on a model.
local objects = {
   Model = function() return cv.model("bgnbd", { r = 0.243, alpha = 4.414, a = 0.793,
      b = 2.426 }, { unit = "week" }) end,
   Table = function() return cv.table { id = { 1, 2 } } end,
   Report = function() return cv.report { title = "x" } end,
   Scenario = function()
      return cv.scenario { base = { a = 1 }, model = function(p) return { y = p.a } end }
   end,
   Connection = function() return cv.connect("sqlite::memory:") end,
}

-- The function (and its object, for a method) of a declared name: "cv.chart.bar",
-- "Model:clv".
local function resolve(name)
   local class, method = name:match("^(%u%w*):([%w_]+)$")
   if class then
      T.ok(objects[class], "no object to try the methods of " .. class .. " on")
      local obj = objects[class]()
      return obj[method], obj
   end
   local f = cv
   for part in name:gmatch("[^.]+") do
      if part ~= "cv" then f = f[part] end
   end
   return f
end

-- The number of functions and methods that declare their options: read_csv, parse_csv,
-- summary, summary_csv; the models (fit, model, simulate, simulate_transactions, compare,
-- Model:predict, clv, validate, tracking, simulate, conditional, expected_new, pmf_new,
-- pmf, p_active, dert, derl); segmentation (rfm, segment, tiers,
-- lorenz, lifecycle, migration, kmeans, kmeans_wss, segment_summary); costing (abc, tdabc,
-- drivers, pnl, pnl_spec, whale); scenarios (scenario, montecarlo, Scenario:run,
-- sensitivity, grid, breakeven, montecarlo); 10 charts; report, explain; databases
-- (write_sql, summary_sql, Connection:write, summary, summary_text); Table:join; and the
-- 16 formulas (cv.clv.simple{...}, ...); the CRM system's cost (cv.crm.lcc,
-- cv.satisfaction.bands) and its 9 formulas. A lost declaration makes the count fall short.
local DECLARED = 4 + 17 + 9 + 6 + 7 + 10 + 2 + 5 + 1 + 16 + 2 + 9

-- Every declared public function refuses a misspelt option: the function is found from
-- its declared name (a method on an object of its class), and called with the bad options
-- table at each argument position (the others nil) until one call names the option.
test("every declared function and method refuses an unknown option", function()
   local n, methods = 0, 0
   for name in pairs(opts.declared) do
      if name:match("^cv%.") or name:match("^%u%w*:") then
         local f, obj = resolve(name)
         T.ok(type(f) == "function", name .. " is not a function of cv")
         local named = false
         for pos = 1, 4 do
            local args = { n = pos }
            args[pos] = { misspelt_option_zz = true }
            local ok, msg
            if obj then
               ok, msg = pcall(f, obj, table.unpack(args, 1, pos))
            else
               ok, msg = pcall(f, table.unpack(args, 1, pos))
            end
            if not ok and tostring(msg):find(name .. ": unknown option 'misspelt_option_zz'", 1, true) then
               named = true
               break
            end
         end
         T.ok(named, name .. " accepted a misspelt option")
         n = n + 1
         if obj then methods = methods + 1 end
      end
   end
   T.ok(n >= DECLARED,
      "only " .. n .. " functions declare their options, " .. DECLARED .. " expected")
   T.ok(methods >= 10, "only " .. methods .. " methods declare their options")
end)

-- ---- The new user's cases (issue 14): each is now an error that names the option ----------

local function summary()
   return cv.table { { "customer", { "a", "b", "c", "d" } }, { "x", { 1, 0, 2, 4 } },
      { "t_x", { 5.0, 0.0, 8.0, 9.0 } }, { "T", { 10.0, 10.0, 10.0, 10.0 } },
      { "days_since_last", { 35, 70, 14, 7 } }, { "orders", { 2, 1, 3, 5 } },
      { "revenue", { 40.0, 10.0, 90.0, 200.0 } }, { "mean_repeat_spend", { 20.0, nil, 30.0,
        40.0 } } }
end
local BGNBD = { r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 }

test("m:clv(s, {horizn = 52}) is an error at the user's line, exit code 2", function()
   local m, s = cv.model("bgnbd", BGNBD, { unit = "week" }), summary()
   local line = debug.getinfo(1, "l").currentline + 1
   local ok, msg, code = cv.try(m.clv, m, s, { horizn = 52 })
   eq(ok, nil)
   eq(code, 2)
   eq(msg, "tests/lua/test_opts.lua:" .. line
      .. ": Model:clv: unknown option 'horizn' (did you mean 'horizon'?)")
   -- the right spelling still values the customers
   T.near(m:clv(s, { horizon = 52, spend = 1 }):row(1).clv, m:clv(s, { spend = 1 }):row(1).clv,
      1e-12)
end)

test("cv.rfm(s, {sheme = \"cn8\"}) is an error; scheme = \"cn8\" segments", function()
   local s = summary()
   raises_plain("cv.rfm: unknown option 'sheme' (did you mean 'scheme'?)", cv.rfm, s,
      { sheme = "cn8" })
   local r = cv.rfm(s, { scheme = "cn8", lang = "en" })
   eq(r:row(4).segment, "Important value") -- recent, frequent, big: above the mean on all three
end)

test("cv.fit(..., {covariates = ...}) is an error (never used); a misspelt penalizer too",
   function()
   local s = summary()
   raises_plain("cv.fit: unknown option 'covariates'", cv.fit, "bgnbd", s,
      { covariates = { "region" } })
   raises_plain("cv.fit: unknown option 'penaliser' (did you mean 'penalizer'?)", cv.fit,
      "bgnbd", s, { penaliser = 0.1 })
   raises_plain("cv.fit: option 'unit' cannot be 'weeks' (did you mean 'week'?)", cv.fit, "bgnbd",
      s,
      { unit = "weeks" })
end)

test("cv.fit on transactions passes the summary's options on and checks them", function()
   local ids = { "a", "a", "a", "b", "b", "c", "d", "d", "e", "f", "f", "f", "f" }
   local days = { "2024-01-01", "2024-02-01", "2024-03-10", "2024-01-05", "2024-04-01",
      "2024-01-09", "2024-02-02", "2024-02-20", "2024-03-01", "2024-01-02", "2024-01-20",
      "2024-03-03", "2024-05-30" }
   local amounts = {}
   for i = 1, #ids do amounts[i] = 10.0 * i end
   local tx = cv.table { { "id", ids }, { "day", days, "date" }, { "amount", amounts } }
   local o = { customer = "id", date = "day", amount = "amount", unit = "week",
      calibration_end = "2024-06-30", quiet = true }
   local m = cv.fit("bgnbd", tx, o)
   eq(m.unit, "week")
   eq(#m.summary, 6)
   near(m.summary:row(1).T, (31 + 29 + 31 + 30 + 31 + 30 - 1) / 7, 1e-12) -- a: Jan 1 to Jun 30
   o.calibraton_end, o.calibration_end = "2024-06-30", nil
   raises_plain("cv.fit: unknown option 'calibraton_end' (did you mean 'calibration_end'?)", cv.fit,
      "bgnbd", tx, o)
end)

test("cv.costing.pnl(t, {segment_costs = ...}) is an error", function()
   local t = cv.table { { "customer", { "a", "b" } }, { "revenue", { 100.0, 50.0 } },
      { "cogs", { 60.0, 20.0 } } }
   raises_plain("cv.costing.pnl: unknown option 'segment_costs'", cv.costing.pnl, t,
      { customer = "customer", product = "cogs", segment_costs = "cogs" })
   local p = cv.costing.pnl(t, { customer = "customer", product = "cogs" })
   eq(p.customers:col("profit"):totable(), { 40.0, 30.0, n = 2 })
end)

test("wrong types, choices and required options of the declared functions", function()
   local m = cv.model("bgnbd", BGNBD, { unit = "week" })
   raises_plain("Model:tracking: option 'calibration_end' is required (last day of the calibration "
      .. "period)", m.tracking, m, cv.table { a = { 1 } }, { customer = "a" })
   raises_plain("cv.tiers: option 'by' cannot be 'values' (did you mean 'value'?)", cv.tiers,
      summary(), { by = "values" })
   raises_plain("cv.chart.bar: unknown option 'horizontal'", cv.chart.bar,
      { categories = { "a" }, values = { 1 }, horizontal = true })
   raises_plain("Table:join: option 'on' is required", cv.table { a = { 1 } }.join,
      cv.table { a = { 1 } }, cv.table { a = { 1 } }, { how = "left" })
   raises_plain("cv.model: option 'unit' cannot be 'weeks' (did you mean 'week'?)", cv.model,
      "bgnbd",
      BGNBD, { unit = "weeks" })
   raises_plain("cv.clv.simple: unknown option 'lifetme' (did you mean 'lifetime'?)", cv.clv.simple,
      { avg_purchase = 100, frequency = 4, lifetme = 5 })
end)

test("help shows the declared options, in English and Chinese", function()
   local help = require "cv.help"
   local en = help.text("cv.summary", "en")
   T.ok(en:find("options:\n" .. opts.describe("cv.summary", "en"), 1, true), en)
   T.ok(not en:find("options: customer,", 1, true), "the hand-written list is gone")
   local zh = help.text("cv.summary", "zh")
   T.ok(zh:find("选项：\n" .. opts.describe("cv.summary", "zh"), 1, true), zh)
   local clv = help.text(help.resolve("Model:clv"), "en")
   T.ok(clv:find("options of Model:clv:\n  spend ", 1, true), clv)
   T.ok(help.text("cv.lifecycle", "en"):find("options of cv.migration:", 1, true))
   T.ok(help.text("cv.costing.pnl", "zh"):find("cv.costing.pnl 的选项：", 1, true))
end)

T.report()
