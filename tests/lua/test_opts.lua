-- Tests of the options layer (lua/cv/opts.lua): declarations check every call, name the
-- function and the option, suggest the closest name, point at the caller's line and
-- carry exit code 2; and every declared public function refuses a misspelt option.
local T = require "cv.testing"
local test, eq, raises_plain = T.test, T.eq, T.raises_plain
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

-- Every declared public function refuses a misspelt option: the function is found from
-- its declared name, and called with the bad options table at each argument position
-- (the others nil) until one call names the option.
test("every declared function refuses an unknown option", function()
   local n = 0
   for name in pairs(opts.declared) do
      if name:match("^cv%.") then
         local f = cv
         for part in name:gmatch("[^.]+") do
            if part ~= "cv" then f = f[part] end
         end
         T.ok(type(f) == "function", name .. " is not a function of cv")
         local named = false
         for pos = 1, 4 do
            local args = { n = pos }
            args[pos] = { misspelt_option_zz = true }
            local ok, msg = pcall(f, table.unpack(args, 1, pos))
            if not ok and tostring(msg):find(name .. ": unknown option 'misspelt_option_zz'", 1, true) then
               named = true
               break
            end
         end
         T.ok(named, name .. " accepted a misspelt option")
         n = n + 1
      end
   end
   T.ok(n >= 4, "only " .. n .. " functions declare their options")
end)

T.report()
