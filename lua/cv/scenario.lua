-- cv.scenario: what-if analysis on a model. A model is a Lua function of parameters (and
-- data) returning named metrics; a scenario set is a base and named variants that override
-- some parameters.
--   local sc = cv.scenario{
--      title = "retention programme",
--      base = {margin = 100, retention = 0.8, discount = 0.1},
--      variants = {{"retention +5 pts", retention = 0.85}, {"margin -10%", margin = 90}},
--      metrics = {"clv"},                          -- order shown (default: sorted names)
--      model = function(p, data) return {clv = cv.clv.retention(p)} end,
--   }
--   local res = sc:run()          -- every scenario (cv.params.only = "a,b" selects variants)
--   res:print()                   -- side by side: value, Δ and Δ% against the base
--   res:write("out/scenarios.csv")   -- long form; .xlsx: several sheets
--   sc:sensitivity{metric = "clv", vary = {retention = {0.7, 0.9}, margin = "±20%"}}  -- tornado
--   sc:grid{metric = "clv", x = {"retention", {0.7, 0.8, 0.9}}, y = {"margin", {80, 100, 120}}}
--   sc:breakeven{param = "cac", metric = "profit", target = 0, range = {0, 1000}}
--   sc:montecarlo{inputs = {retention = {"normal", 0.8, 0.05, clamp = {0, 1}}}, draws = 10000}
-- A scenario set made from a formula (formula = "clv.retention") runs its Monte Carlo in C.
-- Details and examples: docs/scenarios.md.
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local chart = require "cv.chart"
local mc = require "cv.core.mc"
local engine = require "cv.core.engine"
local ctable = require "cv.core.table"
local formula = require "cv.core.formula"
local opts = require "cv.opts"
local declare = opts.declare
local with_kinds = require("cv.core.table").with_kinds
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)
local formula_kind = require("cv.formula").kind
local report = require "cv.report" -- write_xlsx
local KINDS = { "money", "share", "count", "rate", "number" }

-- Checks a {name = kind} table of fn's option `kinds` (did you mean ... for a misspelt kind).
local function check_kinds(fn, kinds)
   for _, k in pairs(kinds or {}) do
      local ok = false
      for _, known in ipairs(KINDS) do ok = ok or k == known end
      if not ok then errors.unknown(fn, "kind", k, KINDS) end
   end
   return kinds or {}
end

-- The Δ% columns hold percentage points (50.2 for +50.2%): plain numbers with 2 decimals.
local PERCENT_POINTS = { "number", 2 }

-- The one kind of all the metrics (nil when they differ or none is given): for the columns
-- that hold the values of every metric.
local function common_kind(kinds, metrics)
   local k = kinds[metrics[1]]
   for _, m in ipairs(metrics) do
      if kinds[m] ~= k then return nil end
   end
   return k
end

local M = {}

local FROM = { "from", "string", default = "base",
   en = "the scenario to start from (base or a variant)",
   zh = "起点情景（base 或某个变体）" }
local METRIC = { "metric", "string", en = "the metric (default: the first)",
   zh = "指标（默认：第一个）" }

local fmt = string.format

local function finite(v)
   return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

local function copy(t)
   local o = {}
   for k, v in pairs(t) do o[k] = v end
   return o
end

local function sorted_keys(t)
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
   return keys
end

-- Rounds for display: 2 decimals (the terminal table shows numbers as people read them).
local function round2(v)
   if not finite(v) then return nil end
   return math.floor(v * 100 + 0.5) / 100
end

-- A label in the current language: a string, or {en = ..., zh = ...}.
local function text(v, default)
   if type(v) == "table" then
      return v[i18n.lang()] or v.en or default
   end
   return v or default
end

-- The shown name of a scenario: "base" in the user's language (the name stays "base").
local function shown(name)
   return name == "base" and i18n.t("scenario.base") or name
end

-- The shown names of a list of scenarios.
local function shown_all(names)
   local out = {}
   for i, name in ipairs(names) do out[i] = shown(name) end
   return out
end

local Scenario = {}
Scenario.__index = Scenario
Scenario.__metatable = "cv.Scenario" -- protected: getmetatable gives the name

-- Normalizes variants: an array of {"name", k = v, ...} (kept in order), or a map
-- name -> overrides (sorted by name).
local function read_variants(v, base)
   local out, seen = {}, { base = true }
   if v == nil then
      return out
   end
   if type(v) ~= "table" then
      errors.fail("scenario.variants_table")
   end
   local list = {}
   if #v > 0 then
      for i, item in ipairs(v) do
         if type(item) ~= "table" or type(item[1]) ~= "string" then
            errors.fail("scenario.bad_variant", { n = i })
         end
         local o = copy(item)
         o[1] = nil
         list[#list + 1] = { name = item[1], overrides = o }
      end
   else
      for _, name in ipairs(sorted_keys(v)) do
         list[#list + 1] = { name = name, overrides = v[name] }
      end
   end
   for _, item in ipairs(list) do
      if seen[item.name] then
         errors.fail("scenario.duplicate", { name = item.name })
      end
      seen[item.name] = true
      for k in pairs(item.overrides) do
         if base[k] == nil then
            errors.fail("scenario.unknown_param", { name = item.name, param = tostring(k),
               hint = errors.hint(k, sorted_keys(base)) })
         end
      end
      out[#out + 1] = item
   end
   return out
end

-- Raises "fn: unknown formula 'name' (did you mean ...?)".
local function unknown_formula(fn, name)
   local names = {}
   for i, f in ipairs(formula.list()) do names[i] = f.name end
   errors.unknown(fn, "formula", name, names)
end

-- A model from a formula: its inputs are the parameters of the same names, its one metric
-- the formula's label ("clv" for clv.retention).
local function formula_model(name)
   local info = formula.info(name)
   if not info then
      unknown_formula("cv.scenario", name)
   end
   local label = info.steps[#info.steps].key
   return function(p)
      local x = {}
      for _, input in ipairs(info.inputs) do
         x[input.name] = p[input.name]
      end
      return { [label] = formula.eval(name, x) }
   end, label, info
end

-- cv.scenario{base =, variants =, model = | formula =, metrics =, labels =, units =,
-- data =, title =} -> Scenario
local check_new = declare("cv.scenario", {
   { "base", "table", required = true, en = "the parameters of the base scenario",
     zh = "基准情景的参数" },
   { "variants", "table", en = "{{\"name\", param = value, ...}, ...} or {name = {param = value}}",
     zh = "{{\"名称\", 参数 = 值, ...}, ...} 或 {名称 = {参数 = 值}}" },
   { "model", "function", en = "function(params, data) -> {metric = value, ...}",
     zh = "function(参数, 数据) -> {指标 = 值, ...}" },
   { "formula", "string", en = "a textbook formula as the model (e.g. clv.retention)",
     zh = "用作模型的教科书公式（如 clv.retention）" },
   { "metrics", "table", en = "the metrics shown, in order (default: sorted names)",
     zh = "显示的指标及顺序（默认：按名称排序）" },
   { "labels", "table", en = "shown names of the metrics: {metric = text or {en =, zh =}}",
     zh = "指标的显示名称：{指标 = 文本或 {en =, zh =}}" },
   { "param_labels", "table", en = "shown names of the parameters", zh = "参数的显示名称" },
   { "units", "table", en = "units of the metrics in charts: {metric = \"¥\"}",
     zh = "图表中指标的单位：{指标 = \"¥\"}" },
   { "kinds", "table",
     en = "kinds of the metrics and parameters in tables: {clv = \"money\", retention = \"share\"}",
     zh = "表中指标与参数的数值类别：{clv = \"money\", retention = \"share\"}" },
   { "data", "any", en = "passed to the model as its second argument",
     zh = "作为第二个参数传给模型" },
   { "title", "string|table", en = "the title: a text or {en =, zh =}",
     zh = "标题：文本或 {en =, zh =}" },
})
function M.new(spec)
   if type(spec) ~= "table" then
      errors.check_type("cv.scenario", 1, spec, "table")
   end
   check_new(spec)
   if type(spec.base) ~= "table" then
      errors.fail("scenario.no_base")
   end
   local sc = setmetatable({ title = spec.title, base = copy(spec.base), data = spec.data,
      labels = spec.labels or {}, units = spec.units or {}, metrics = spec.metrics,
      kinds = check_kinds("cv.scenario", spec.kinds),
      param_labels = spec.param_labels or {} }, Scenario)
   if spec.formula then
      local label
      sc.model, label, sc.formula_info = formula_model(spec.formula)
      sc.formula = spec.formula
      for _, input in ipairs(sc.formula_info.inputs) do -- e.g. period: required, no default
         if not input.optional and sc.base[input.name] == nil then
            errors.fail("scenario.formula_input", { param = input.name, formula = spec.formula,
               what = i18n.t("input." .. input.name) .. ": "
                  .. i18n.t("domain." .. (input.list and "list" or input.domain)) })
         end
      end
      sc.metrics = sc.metrics or { label }
      sc.kinds[label] = sc.kinds[label] or formula_kind(spec.formula)
   elseif type(spec.model) == "function" then
      sc.model = spec.model
   else
      errors.fail("scenario.no_model")
   end
   sc.variants = read_variants(spec.variants, sc.base)
   return sc
end

-- sc:params(name) -> the parameters of scenario name ("base" or a variant's).
function Scenario:params(name)
   local p = copy(self.base)
   if name == nil or name == "base" then
      return p
   end
   for _, v in ipairs(self.variants) do
      if v.name == name then
         for k, x in pairs(v.overrides) do p[k] = x end
         return p
      end
   end
   local names = { "base" }
   for i, v in ipairs(self.variants) do names[i + 1] = v.name end
   errors.fail("scenario.unknown_variant", { name = tostring(name),
      hint = errors.hint(name, names) })
end

function Scenario:names_text()
   local names = {}
   for i, v in ipairs(self.variants) do names[i] = v.name end
   return table.concat(names, ", ")
end

-- sc:eval(p) -> metrics: runs the model on parameters p; checks it returns numbers.
function Scenario:eval(p)
   local r = self.model(p, self.data)
   if type(r) == "number" then
      r = { [self.metrics and self.metrics[1] or "value"] = r }
   end
   if type(r) ~= "table" then
      errors.fail("scenario.bad_result", { got = type(r) })
   end
   if not self.metrics then
      local names = {}
      for _, k in ipairs(sorted_keys(r)) do
         if type(r[k]) == "number" then names[#names + 1] = k end
      end
      self.metrics = names
   end
   return r
end

function Scenario:label(metric)
   return text(self.labels[metric], metric)
end

-- sc:param_label(param) -> the shown name of a parameter (param_labels, else its name).
function Scenario:param_label(param)
   return text(self.param_labels[param], param)
end

-- sc:value(p, metric) -> one metric of the model at p (raises when it is not a number).
function Scenario:value(p, metric)
   local v = self:eval(p)[metric]
   if type(v) ~= "number" then
      errors.fail("scenario.no_metric", { metric = tostring(metric), got = type(v) })
   end
   return v
end

-- ---- Results side by side -------------------------------------------------------------------

local Results = {}
Results.__index = Results
Results.__metatable = "cv.Results" -- protected: getmetatable gives the name

-- Reads a selection of variants: "a,b" or {"a", "b"}.
local function read_only(only)
   if only == nil or only == "" then
      return nil
   end
   if type(only) == "string" then
      local t = {}
      for name in only:gmatch("[^,]+") do
         t[#t + 1] = name:match("^%s*(.-)%s*$")
      end
      return t
   end
   return only
end

-- sc:run([{only = "a,b"}]) -> Results: the base and the variants (all, or only those
-- named; default cv.params.only, which `cvkit scenarios FILE --only a,b` sets).
local check_run = declare("Scenario:run", {
   { "only", "string|table", en = "the variants to run: \"a,b\" or {\"a\", \"b\"} (default: all)",
     zh = "要运行的变体：\"a,b\" 或 {\"a\", \"b\"}（默认：全部）" },
})
function Scenario:run(opts)
   opts = check_run(opts)
   local only = read_only(opts.only)
   if only == nil and opts.only == nil then
      only = read_only(engine.params.only) or nil
   end
   local names = { "base" }
   if only then
      for _, name in ipairs(only) do
         if name ~= "base" then
            self:params(name) -- raises for an unknown name
            names[#names + 1] = name
         end
      end
   else
      for _, v in ipairs(self.variants) do names[#names + 1] = v.name end
   end
   local res = setmetatable({ scenario = self, names = names, values = {}, params = {} }, Results)
   for _, name in ipairs(names) do
      local p = self:params(name)
      res.params[name] = p
      res.values[name] = self:eval(p)
   end
   res.metrics = self.metrics
   return res
end

-- res:value(name, metric), res:diff(name, metric) -> absolute, relative (nil when the
-- base is 0)
function Results:value(name, metric)
   return self.values[name][metric]
end

function Results:diff(name, metric)
   local v, b = self.values[name][metric], self.values.base[metric]
   if not finite(v) or not finite(b) then
      return nil, nil
   end
   return v - b, b ~= 0 and (v - b) / math.abs(b) or nil
end

-- res:table() -> cv.Table in long form: scenario, metric, value, base, diff, diff_pct
-- (diff_pct in percent; missing when the base is 0).
function Results:table()
   local k = common_kind(self.scenario.kinds, self.metrics)
   local sc, me, val, bv, d, dp = {}, {}, {}, {}, {}, {}
   local n = 0
   for _, name in ipairs(self.names) do
      for _, m in ipairs(self.metrics) do
         n = n + 1
         sc[n], me[n], val[n], bv[n] = name, m, self.values[name][m], self.values.base[m]
         local a, r = self:diff(name, m)
         d[n], dp[n] = a, r and r * 100 or nil
      end
   end
   return with_kinds(base.table {
      { "scenario", sc, "string" }, { "metric", me, "string" },
      { "value", { n = n, table.unpack(val, 1, n) }, "float" },
      { "base", { n = n, table.unpack(bv, 1, n) }, "float" },
      { "diff", { n = n, table.unpack(d, 1, n) }, "float" },
      { "diff_pct", { n = n, table.unpack(dp, 1, n) }, "float" },
   }, { value = k, base = k, diff = k, diff_pct = PERCENT_POINTS })
end

-- res:wide() -> cv.Table side by side: scenario, then per metric its value, "Δ" and "Δ%"
-- (rounded to 2 decimals for reading; res:table() keeps full precision).
function Results:wide()
   local cols = { { i18n.t("scenario.col.scenario"), shown_all(self.names), "string" } }
   local n, kinds = #self.names, {}
   for _, m in ipairs(self.metrics) do
      local v, d, dp = {}, {}, {}
      for i, name in ipairs(self.names) do
         local a, r = self:diff(name, m)
         v[i], d[i], dp[i] = round2(self.values[name][m]), round2(a), r and round2(r * 100) or nil
      end
      local label = self.scenario:label(m)
      cols[#cols + 1] = { label, { n = n, table.unpack(v, 1, n) }, "float" }
      cols[#cols + 1] = { label .. " Δ", { n = n, table.unpack(d, 1, n) }, "float" }
      cols[#cols + 1] = { label .. " Δ%", { n = n, table.unpack(dp, 1, n) }, "float" }
      local k = self.scenario.kinds[m] or { "number", 2 } -- separators without a kind too
      kinds[label], kinds[label .. " Δ"] = k, k
      kinds[label .. " Δ%"] = PERCENT_POINTS
   end
   return with_kinds(base.table(cols), kinds)
end

-- res:params_table() -> cv.Table: one row per parameter, one column per scenario.
function Results:params_table()
   local keys = sorted_keys(self.params.base)
   local labels = {}
   for i, k in ipairs(keys) do labels[i] = self.scenario:param_label(k) end
   local cols = { { i18n.t("scenario.col.param"), labels, "string" } }
   for _, name in ipairs(self.names) do
      local v = {}
      for i, k in ipairs(keys) do
         local x = self.params[name][k]
         v[i] = type(x) == "number" and x or nil
      end
      cols[#cols + 1] = { shown(name), { n = #keys, table.unpack(v, 1, #keys) }, "float" }
   end
   return base.table(cols)
end

-- res:by_metric() -> cv.Table: metric, scenario, value, Δ, Δ% (rounded to 2 decimals),
-- one row per metric and scenario, grouped by metric: the narrow form of the side by side.
function Results:by_metric()
   local me, sc, v, d, dp = {}, {}, {}, {}, {}
   local n = 0
   for _, m in ipairs(self.metrics) do
      for _, name in ipairs(self.names) do
         n = n + 1
         local a, r = self:diff(name, m)
         me[n], sc[n], v[n], d[n], dp[n] = self.scenario:label(m), shown(name), round2(self.values[name][m]),
            round2(a), r and round2(r * 100) or nil
      end
   end
   -- metrics of different kinds share the value column: two decimals and separators then
   local k = common_kind(self.scenario.kinds, self.metrics) or { "number", 2 }
   return with_kinds(base.table {
      { i18n.t("scenario.col.metric"), me, "string" }, { i18n.t("scenario.col.scenario"), sc, "string" },
      { i18n.t("scenario.col.value"), { n = n, table.unpack(v, 1, n) }, "float" },
      { "Δ", { n = n, table.unpack(d, 1, n) }, "float" },
      { "Δ%", { n = n, table.unpack(dp, 1, n) }, "float" },
   }, { [i18n.t("scenario.col.value")] = k, ["Δ"] = k, ["Δ%"] = PERCENT_POINTS })
end

-- res:print(): the side-by-side table on the terminal: scenarios as rows and per metric its
-- value, Δ and Δ% as columns for up to two metrics; else res:by_metric() (narrower).
function Results:print()
   if self.scenario.title then
      print(text(self.scenario.title))
   end
   if #self.metrics <= 2 then
      self:wide():print(-1)
   else
      self:by_metric():print(-1)
   end
end

-- res:write(path): the long table by the path's extension (CSV, TSV, JSON, Markdown), or
-- for .xlsx a workbook with the sheets "side by side", "long" and "parameters".
function Results:write(path)
   if path:lower():match("%.xlsx$") then
      return report.write_xlsx(path, { { "side by side", self:wide() },
         { "long", self:table() }, { "parameters", self:params_table() } })
   end
   self:table():write(path)
   return path
end

-- res:chart(metric [, spec]) -> a bar chart of metric per scenario (the base in grey).
function Results:chart(metric, spec)
   metric = metric or self.metrics[1]
   local vals, colours = {}, {}
   for i, name in ipairs(self.names) do
      vals[i] = self.values[name][metric]
      colours[i] = i == 1 and "#9aa5b1" or chart.palette[1]
   end
   local o = copy(spec or {})
   o.title = o.title or self.scenario:label(metric)
   o.categories, o.values, o.colours = shown_all(self.names), vals, colours
   o.unit = o.unit or self.scenario.units[metric]
   o.y_label = o.y_label or self.scenario:label(metric)
   return chart.bar(o)
end

-- res:sections() -> report sections: the side-by-side table and a chart per metric.
function Results:sections()
   local s = { { heading = text(self.scenario.title, i18n.t("scenario.heading")) },
      { table = self:wide(), max_rows = 100 } }
   s[#s + 1] = { heading = i18n.t("scenario.params_heading"), level = 3 }
   s[#s + 1] = { table = self:params_table(), max_rows = 100 }
   for _, m in ipairs(self.metrics) do
      s[#s + 1] = { chart = self:chart(m) }
   end
   return s
end

-- ---- Sensitivity: one at a time (tornado) -------------------------------------------------------

-- The low and high values of a parameter from a range: {lo, hi}; "±20%" or "20%" (of the
-- value); a number r (±r as a fraction: 0.2 = ±20%).
local function read_range(name, r, value)
   if type(r) == "table" and #r == 2 then
      return r[1], r[2], nil
   end
   local pct
   if type(r) == "number" then
      pct = r
   elseif type(r) == "string" then
      local p = r:match("^%s*±?%+?%-?%s*([%d.]+)%s*%%%s*$")
      pct = p and tonumber(p) / 100
   end
   if not pct then
      errors.fail("scenario.bad_range", { param = name, range = tostring(r) })
   end
   if type(value) ~= "number" then
      errors.fail("scenario.not_number", { param = name })
   end
   return value * (1 - pct), value * (1 + pct), pct
end

local Tornado = {}
Tornado.__index = Tornado
Tornado.__metatable = "cv.Tornado" -- protected: getmetatable gives the name

-- sc:sensitivity{metric =, vary = {param = range, ...}, from = "base"} -> Tornado with
-- rows {param, low_input, high_input, low, high, swing} sorted by swing (largest first).
local check_sensitivity = declare("Scenario:sensitivity", {
   METRIC,
   { "vary", "table", en = "{param = {low, high} | \"±20%\" | 0.2, ...}",
     zh = "{参数 = {低, 高} | \"±20%\" | 0.2, ...}" },
   FROM,
})
function Scenario:sensitivity(o)
   o = check_sensitivity(o)
   local from = self:params(o.from)
   local metric = o.metric or (self:eval(from) and self.metrics[1])
   local base = self:value(from, metric)
   local rows = {}
   local vary = o.vary or {}
   for _, name in ipairs(sorted_keys(vary)) do
      if from[name] == nil then
         errors.fail("scenario.unknown_param", { name = "sensitivity", param = name,
            hint = errors.hint(name, sorted_keys(from)) })
      end
      local lo, hi = read_range(name, vary[name], from[name])
      local p = copy(from)
      p[name] = lo
      local vlo = self:value(p, metric)
      p[name] = hi
      local vhi = self:value(p, metric)
      rows[#rows + 1] = { param = name, low_input = lo, high_input = hi, low = vlo, high = vhi,
         swing = math.abs(vhi - vlo) }
   end
   table.sort(rows, function(a, b)
      if a.swing ~= b.swing then return a.swing > b.swing end
      return a.param < b.param
   end)
   return setmetatable({ scenario = self, metric = metric, base = base, rows = rows }, Tornado)
end

-- t:table() -> cv.Table: param, low_input, high_input, low, high, swing
function Tornado:table()
   local cols = { "param", "low_input", "high_input", "low", "high", "swing" }
   local data = {}
   for j, c in ipairs(cols) do
      data[j] = {}
      for i, r in ipairs(self.rows) do data[j][i] = r[c] end
   end
   local spec = {}
   for j, c in ipairs(cols) do
      spec[j] = { c, data[j], j == 1 and "string" or "float" }
   end
   local kinds, k = self.scenario.kinds, self.scenario.kinds[self.metric]
   local pk = common_kind(kinds, data[1])
   return with_kinds(base.table(spec), { low_input = pk, high_input = pk, low = k,
      high = k, swing = k })
end

function Tornado:chart(spec)
   local o = copy(spec or {})
   local sc = self.scenario
   o.title = o.title or i18n.t("scenario.tornado_title", { metric = sc:label(self.metric) })
   o.base = self.base
   o.unit = o.unit or sc.units[self.metric]
   o.rows = {}
   for i, r in ipairs(self.rows) do
      o.rows[i] = { name = text(sc.param_labels[r.param], r.param), low = r.low, high = r.high,
         low_label = chart.number(r.low_input), high_label = chart.number(r.high_input) }
   end
   o.height = o.height or math.max(200, 90 + 36 * #self.rows)
   return chart.tornado(o)
end

-- The shown names of table columns: {column = text} from the catalogue's scenario.col.*.
local function col_labels(names)
   local out = {}
   for _, c in ipairs(names) do out[c] = i18n.t("scenario.col." .. c) end
   return out
end

-- t:print(): the table on the terminal under the catalogue's column names (scenario.col.*),
-- the parameters by their shown names and each input by its own parameter's kind (one
-- column holds several parameters), the results by the metric's kind (plain: two
-- decimals): cv.show.
function Tornado:print()
   local sc, k = self.scenario, self.scenario.kinds[self.metric]
   local cols = { shown = {}, lo = {}, hi = {}, low = {}, high = {}, swing = {} }
   for i, r in ipairs(self.rows) do
      local pk = sc.kinds[r.param] or "number"
      cols.shown[i], cols.lo[i], cols.hi[i] = sc:param_label(r.param),
         base.format(r.low_input, pk), base.format(r.high_input, pk)
      cols.low[i], cols.high[i], cols.swing[i] = r.low, r.high, r.swing
   end
   local t = base.table { { "shown", cols.shown, "string" }, { "lo", cols.lo, "string" },
      { "hi", cols.hi, "string" }, { "low", cols.low, "float" }, { "high", cols.high, "float" },
      { "swing", cols.swing, "float" } }
   for _, c in ipairs { "low", "high", "swing" } do
      t = k and t:kind(c, k) or t:kind(c, "number", { decimals = 2 })
   end
   return base.show(t, { { "shown", i18n.t("scenario.col.param") },
      { "lo", i18n.t("scenario.col.low_input") }, { "hi", i18n.t("scenario.col.high_input") },
      { "low", i18n.t("scenario.col.low") }, { "high", i18n.t("scenario.col.high") },
      { "swing", i18n.t("scenario.col.swing") } })
end

function Tornado:sections()
   local t = self:table():add("shown", function(r) return self.scenario:param_label(r.param) end)
   t = t:select { "shown", "low_input", "high_input", "low", "high", "swing" }
   local labels = col_labels { "low_input", "high_input", "low", "high", "swing" }
   labels.shown = i18n.t("scenario.col.param")
   return { { heading = i18n.t("scenario.sensitivity_heading", { metric = self.scenario:label(self.metric) }) },
      { chart = self:chart() }, { table = t, labels = labels } }
end

-- ---- Two-way grid (heat map) -----------------------------------------------------------------------

-- Reads an axis {"param", {values...}} or {"param", from =, to =, steps =}.
local function read_axis(a, what)
   if type(a) ~= "table" or type(a[1]) ~= "string" then
      errors.fail("scenario.bad_axis", { axis = what })
   end
   local values = a[2]
   if values == nil and a.from and a.to then
      values = {}
      local steps = a.steps or 5
      for k = 0, steps - 1 do
         values[k + 1] = a.from + (a.to - a.from) * k / (steps - 1)
      end
   end
   if type(values) ~= "table" or #values == 0 then
      errors.fail("scenario.bad_axis", { axis = what })
   end
   return a[1], values
end

local Grid = {}
Grid.__index = Grid
Grid.__metatable = "cv.Grid" -- protected: getmetatable gives the name

-- sc:grid{metric =, x = {"param", {values}}, y = {"param", {values}}, from = "base"} -> Grid
-- with z[j][i] = metric at x[i], y[j].
local check_grid = declare("Scenario:grid", {
   METRIC,
   { "x", "table", required = true,
     en = "{\"param\", {values}} or {\"param\", from =, to =, steps =}",
     zh = "{\"参数\", {取值}} 或 {\"参数\", from =, to =, steps =}" },
   { "y", "table", required = true, en = "the second parameter, as x",
     zh = "第二个参数，写法同 x" },
   FROM,
})
function Scenario:grid(o)
   o = check_grid(o)
   local from = self:params(o.from)
   local metric = o.metric or (self:eval(from) and self.metrics[1])
   local xp, xs = read_axis(o.x, "x")
   local yp, ys = read_axis(o.y, "y")
   for _, p in ipairs({ xp, yp }) do
      if from[p] == nil then
         errors.fail("scenario.unknown_param", { name = "grid", param = p,
            hint = errors.hint(p, sorted_keys(from)) })
      end
   end
   local z = {}
   for j, y in ipairs(ys) do
      z[j] = {}
      for i, x in ipairs(xs) do
         local p = copy(from)
         p[xp], p[yp] = x, y
         z[j][i] = self:value(p, metric)
      end
   end
   return setmetatable({ scenario = self, metric = metric, x_param = xp, y_param = yp, xs = xs,
      ys = ys, z = z }, Grid)
end

-- g:table() -> cv.Table: <x param>, <y param>, <metric> (one row per cell)
function Grid:table()
   local a, b, v = {}, {}, {}
   for j, y in ipairs(self.ys) do
      for i, x in ipairs(self.xs) do
         a[#a + 1], b[#b + 1], v[#v + 1] = x, y, self.z[j][i]
      end
   end
   local k = self.scenario.kinds
   return with_kinds(base.table { { self.x_param, a, "float" },
      { self.y_param, b, "float" }, { self.metric, v, "float" } },
      { [self.x_param] = k[self.x_param], [self.y_param] = k[self.y_param],
        [self.metric] = k[self.metric] })
end

function Grid:chart(spec)
   local o = copy(spec or {})
   local sc = self.scenario
   o.title = o.title or i18n.t("scenario.grid_title", { metric = sc:label(self.metric) })
   o.x, o.y, o.z = self.xs, self.ys, self.z
   o.x_label = o.x_label or text(sc.param_labels[self.x_param], self.x_param)
   o.y_label = o.y_label or text(sc.param_labels[self.y_param], self.y_param)
   o.z_label = o.z_label or sc:label(self.metric)
   o.unit = o.unit or sc.units[self.metric]
   return chart.heatmap(o)
end

function Grid:sections()
   return { { heading = i18n.t("scenario.grid_title", { metric = self.scenario:label(self.metric) }) },
      { chart = self:chart() } }
end

-- ---- Break-even ------------------------------------------------------------------------------------

-- sc:breakeven{param =, metric =, target = 0, range = {lo, hi}, scan = 20, from = "base"}
--   -> value, info | nil, message
-- The value of param in range at which metric equals target (the first crossing from lo),
-- by Brent's method in C calling the model; a message when the metric does not cross the
-- target in the range.
local check_breakeven = declare("Scenario:breakeven", {
   { "param", "string", required = true, en = "the parameter to solve for", zh = "要求解的参数" },
   METRIC,
   { "target", "number", default = 0, en = "the value of the metric to reach",
     zh = "指标的目标值" },
   { "range", "table", required = true, en = "{lo, hi}: where to look",
     zh = "{下限, 上限}：搜索范围" },
   { "scan", "integer", default = 20, en = "points scanned for the first crossing",
     zh = "寻找第一个交点时扫描的点数" },
   { "tol", "number", en = "tolerance of the root", zh = "根的容差" },
   FROM,
})
function Scenario:breakeven(o)
   o = check_breakeven(o)
   local from = self:params(o.from)
   local param, metric, target = o.param, o.metric, o.target or 0
   if from[param] == nil then
      errors.fail("scenario.unknown_param", { name = "breakeven", param = tostring(param),
         hint = errors.hint(param, sorted_keys(from)) })
   end
   metric = metric or (self:eval(from) and self.metrics[1])
   local range = o.range
   if type(range) ~= "table" or #range ~= 2 then
      errors.fail("scenario.bad_range", { param = param, range = tostring(range) })
   end
   local p = copy(from)
   local x, info, ends = mc.root(function(v)
      p[param] = v
      return self:value(p, metric) - target
   end, range[1], range[2], { scan = o.scan or 20, tol = o.tol })
   if x == nil then
      local num = formula.format_number
      return nil, i18n.t("scenario.no_crossing", { param = param, lo = num(range[1]),
         hi = num(range[2]), metric = self:label(metric), fa = num(ends.fa + target),
         fb = num(ends.fb + target), target = num(target) })
   end
   info.metric, info.param, info.target = metric, param, target
   return x, info
end

-- ---- Monte Carlo ----------------------------------------------------------------------------------

local MC = {}
MC.__index = MC
MC.__metatable = "cv.MC" -- protected: getmetatable gives the name

-- Summaries of the metrics' columns of values (a cv.Table), with the probability below each
-- threshold given in below (a number for the first metric, or {metric = threshold}).
local function summarize(res, below)
   res.summaries = {}
   for k, m in ipairs(res.metrics) do
      local thr = type(below) == "table" and below[m] or (k == 1 and type(below) == "number" and below) or nil
      res.summaries[m] = mc.summary(res.values, m, { below = thr, bins = res.bins })
      res.summaries[m].threshold = thr
   end
   return res
end

-- Uncertain inputs in a fixed order (sorted by name), each a number or a spec; a column of
-- a table resamples: {"resample", t:col("x")} becomes its values.
local function read_inputs(inputs)
   local names, specs = {}, {}
   for _, name in ipairs(sorted_keys(inputs or {})) do
      local s = inputs[name]
      if type(s) == "table" and s[1] == "resample" and type(s[2]) == "userdata" then
         s = copy(s)
         s[2] = s[2]:totable()
      end
      names[#names + 1], specs[#specs + 1] = name, s
   end
   return names, specs
end

-- sc:montecarlo{inputs = {param = spec}, draws = 10000, seed = 1, below =, bins = 30,
-- from = "base", metrics =} -> MC. Draws the uncertain inputs (in name order), runs the model
-- per draw in Lua; when the scenario set was made from a formula, runs it in C instead.
local MC_OPTIONS = {
   { "inputs", "table", en = "the uncertain inputs: {name = number | {\"normal\", mean, sd, ...}}",
     zh = "不确定的输入：{名称 = 数值 | {\"normal\", 均值, 标准差, ...}}" },
   { "draws", "integer", default = 10000, en = "number of draws", zh = "抽样次数" },
   { "seed", "integer", default = 1, en = "seed of the draws", zh = "随机数种子" },
   { "below", "number|table",
     en = "threshold(s): P(metric < threshold), a number (first metric) or {metric = x}",
     zh = "阈值：P(指标 < 阈值)，数值（第一个指标）或 {指标 = 阈值}" },
   { "bins", "integer", default = 30, en = "bins of the histograms", zh = "直方图的分组数" },
}
local check_mc = declare("Scenario:montecarlo", opts.concat(MC_OPTIONS, {
   FROM,
   { "metrics", "table", en = "the metrics kept (default: the scenario's)",
     zh = "保留的指标（默认：情景的指标）" },
}))
function Scenario:montecarlo(o)
   o = check_mc(o)
   local from = self:params(o.from)
   local n, seed = o.draws or 10000, o.seed or 1
   local names, specs = read_inputs(o.inputs)
   if #names == 0 then
      errors.fail("scenario.no_inputs")
   end
   for _, name in ipairs(names) do
      if from[name] == nil then
         errors.fail("scenario.unknown_param", { name = "montecarlo", param = name,
            hint = errors.hint(name, sorted_keys(from)) })
      end
   end
   local in_c = self.formula ~= nil
   for _, name in ipairs(names) do -- the C path draws only the formula's own inputs
      local known = false
      for _, input in ipairs(self.formula_info and self.formula_info.inputs or {}) do
         if input.name == name then known = true end
      end
      in_c = in_c and known
   end
   if in_c then
      local inputs = copy(from)
      for k, name in ipairs(names) do inputs[name] = specs[k] end
      return M.montecarlo { formula = self.formula, inputs = inputs, draws = n, seed = seed,
         below = o.below, bins = o.bins, scenario = self }
   end
   self:eval(from)
   local metrics = o.metrics or self.metrics
   local draws = mc.draws(specs, n, seed)
   local cols, out = {}, {}
   for k, name in ipairs(names) do cols[k] = { name, draws[k], "float" } end
   for k = 1, #metrics do out[k] = {} end
   local p = copy(from)
   for i = 1, n do
      for k, name in ipairs(names) do p[name] = draws[k][i] end
      local r = self:eval(p)
      for k, m in ipairs(metrics) do
         local v = r[m]
         out[k][i] = finite(v) and v or nil
      end
   end
   for k, m in ipairs(metrics) do cols[#cols + 1] = { m, { n = n, table.unpack(out[k], 1, n) }, "float" } end
   local res = setmetatable({ scenario = self, metrics = metrics, draws = n, seed = seed, inputs = names,
      values = base.table(cols), bins = o.bins or 30, rejected = 0, kinds = self.kinds }, MC)
   return summarize(res, o.below)
end

-- cv.montecarlo{formula =, inputs = {input = number | spec}, draws =, seed =, below =} -> MC:
-- a textbook formula over draws, all in C (cv.core.mc.formula).
local check_formula_mc = declare("cv.montecarlo", opts.concat({
   { "formula", "string", required = true, en = "the textbook formula (cvkit explain --list)",
     zh = "教科书公式（cvkit explain --list）" },
}, MC_OPTIONS, {
   { "scenario", "table", en = "the scenario set the results belong to (set by sc:montecarlo)",
     zh = "结果所属的情景集（由 sc:montecarlo 设置）" },
   { "kind", KINDS, en = "the kind of the formula's result in tables (money, share, ...)",
     zh = "结果在表中的数值类别（money、share 等）" },
}))
function M.montecarlo(o)
   if type(o) == "table" then check_formula_mc(o) end
   if type(o) ~= "table" or type(o.formula) ~= "string" then
      errors.fail("scenario.mc_formula")
   end
   local info = formula.info(o.formula)
   if not info then
      unknown_formula("cv.montecarlo", o.formula)
   end
   local metric = info.steps[#info.steps].key
   local inputs, uncertain = {}, {}
   for k, v in pairs(o.inputs or {}) do
      if type(v) == "table" and v[1] == "resample" and type(v[2]) == "userdata" then
         v = copy(v)
         v[2] = v[2]:totable()
      end
      inputs[k] = v
      if type(v) == "table" then uncertain[#uncertain + 1] = k end
   end
   table.sort(uncertain)
   local n, seed = o.draws or 10000, o.seed or 1
   local t, rejected = mc.formula(o.formula, inputs, n, seed, metric)
   local kinds = o.scenario and o.scenario.kinds or {}
   local res = setmetatable({ scenario = o.scenario, formula = o.formula, metrics = { metric },
      draws = n, seed = seed, inputs = uncertain, values = t, bins = o.bins or 30,
      rejected = rejected,
      kinds = { [metric] = o.kind or kinds[metric] or formula_kind(o.formula) } },
      MC)
   return summarize(res, o.below)
end

-- m:summary(metric) -> {n, missing, mean, sd, min, max, p5, p25, p50, p75, p95, below, hist}
function MC:summary(metric)
   return self.summaries[metric or self.metrics[1]]
end

function MC:label(m)
   return self.scenario and self.scenario:label(m) or m
end

-- m:table() -> cv.Table: metric, mean, sd, p5, p50, p95, threshold, p_below
function MC:table()
   local cols = { metric = {}, mean = {}, sd = {}, p5 = {}, p50 = {}, p95 = {}, threshold = {}, p_below = {} }
   local n = #self.metrics
   for i, m in ipairs(self.metrics) do
      local s = self.summaries[m]
      cols.metric[i] = self:label(m)
      cols.mean[i], cols.sd[i], cols.p5[i], cols.p50[i], cols.p95[i] =
         round2(s.mean), round2(s.sd), round2(s.p5), round2(s.p50), round2(s.p95)
      cols.threshold[i], cols.p_below[i] = s.threshold, s.below
   end
   local order = { "metric", "mean", "sd", "p5", "p50", "p95", "threshold", "p_below" }
   local spec = {}
   for j, c in ipairs(order) do
      spec[j] = { c, { n = n, table.unpack(cols[c], 1, n) }, j == 1 and "string" or "float" }
   end
   local k = common_kind(self.kinds, self.metrics)
   return with_kinds(base.table(spec), { mean = k, sd = k, p5 = k, p50 = k, p95 = k,
      threshold = k, p_below = "share" })
end

-- m:chart([metric [, spec]]) -> a histogram with the P5, P50 and P95 marked.
function MC:chart(metric, spec)
   metric = metric or self.metrics[1]
   local s = self.summaries[metric]
   local o = copy(spec or {})
   o.title = o.title or i18n.t("scenario.mc_title", { metric = self:label(metric),
      n = ctable.format_kind(self.draws, "count") })
   o.hist = s.hist
   o.unit = o.unit or (self.scenario and self.scenario.units[metric])
   o.x_label = o.x_label or self:label(metric)
   o.y_label = o.y_label or i18n.t("chart.draws")
   o.markers = { { label = "P5", x = s.p5 }, { label = "P50", x = s.p50 }, { label = "P95", x = s.p95 } }
   return chart.histogram(o)
end

function MC:sections()
   local inputs = {}
   for i, name in ipairs(self.inputs) do
      inputs[i] = self.scenario and self.scenario:param_label(name)
         or (i18n.has("input." .. name) and i18n.t("input." .. name)) or name
   end
   local s = { { heading = i18n.t("scenario.mc_heading") },
      { text = i18n.t("scenario.mc_text", { n = ctable.format_kind(self.draws,
         "count"), seed = self.seed,
         inputs = table.concat(inputs, i18n.t("scenario.list_sep")) }) },
      { table = self:table(), labels = col_labels { "metric", "mean", "sd", "p5", "p50", "p95",
         "threshold", "p_below" } } }
   for _, m in ipairs(self.metrics) do
      s[#s + 1] = { chart = self:chart(m) }
   end
   return s
end

function MC:print()
   self:table():print(-1)
end

M.Scenario, M.Results, M.Tornado, M.Grid, M.MC = Scenario, Results, Tornado, Grid, MC

return M
