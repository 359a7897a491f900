-- cv.diagnostics: the standard checks of a fitted customer-base model, as tables
-- (m:diagnostics(s, opts)) and as a report section of charts with their tables
-- (report:diagnostics(m, s, opts), M.sections): the calibration frequency histogram, holdout
-- transactions by calibration frequency and by recency, incremental and cumulative tracking,
-- P(alive) and conditional-expectation matrices over frequency x recency, the fitted
-- heterogeneity distributions, Gamma-Gamma's spend distribution and one customer's P(alive)
-- history. The numbers come from C (src/core/model_diagnostics.c via cv.core.diagnostics);
-- this module lays them out. docs/models.md, "Diagnostics".
local core = require "cv.core.diagnostics"
local core_models = require "cv.core.models"
local date = require "cv.core.date"
local engine = require "cv.core.engine"
local with_kinds = require("cv.core.table").with_kinds
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local opts = require "cv.opts"
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)
local chart = require "cv.chart"
local covariates = require "cv.covariates"
local fit = require "cv.fit"

local M = {}

local T = i18n.t
local fmt = string.format

-- The options of m:diagnostics and report:diagnostics, declared once.
local OPTIONS = {
   { "holdout", "string", en = "column of holdout transactions (default x_holdout; the holdout "
     .. "checks need it)", zh = "验证期交易次数列（默认 x_holdout；验证期检验需要此列）" },
   { "horizon", "number", en = "the length of the holdout period in the model's unit (default: "
     .. "the summary's, observation_end - calibration_end of t:meta())",
     zh = "验证期长度，以模型的时间单位计（默认：汇总表的 observation_end - calibration_end）" },
   { "max_x", "integer", default = 7, en = "histogram and frequency groups: 0 .. max_x - 1, "
     .. "then max_x or more", zh = "直方图与频次分组：0 .. max_x - 1，最后一组为 max_x 及以上" },
   { "recency_groups", "integer", default = 6, en = "recency groups of the holdout check (the "
     .. "first: no repeat purchase)", zh = "验证期检验的最近购买时间分组数（第一组：无重复购买）" },
   { "grid", "integer", default = 10, en = "frequencies 0 .. grid - 1 and recency bands of the "
     .. "matrices", zh = "矩阵的频次 0 .. grid - 1 与最近购买时间区间数" },
   { "age", "number", en = "the age T of the matrices (default: the largest in the summary)",
     zh = "矩阵所用的客户年龄 T（默认：汇总表中的最大值）" },
   { "transactions", "Table", en = "the transactions (adds tracking and a customer's history)",
     zh = "交易数据（用于增加跟踪曲线和单个客户的历史）" },
   { "customer_col", "string", default = "customer", en = "column of customer ids of the "
     .. "transactions", zh = "交易数据的客户编号列" },
   { "date_col", "string", default = "date", en = "column of purchase dates of the transactions",
     zh = "交易数据的购买日期列" },
   { "customer", "string|number", en = "the customer whose P(alive) history is drawn (default: "
     .. "the one with the most repeat purchases)", zh = "绘制存活概率历史的客户（默认：重复购买次数最多的客户）" },
   { "period_days", "integer", default = 7, en = "days per period of the tracking curves",
     zh = "跟踪曲线每期的天数" },
   { "spend", "Model", en = "a Gamma-Gamma model: adds the spend distribution",
     zh = "Gamma-Gamma 模型：增加消费额分布" },
   { "x", "string", en = "column of repeat purchases (default x)", zh = "重复购买次数列（默认 x）" },
   { "t_x", "string", en = "column of the time of the last purchase (default t_x)",
     zh = "最后一次购买时间列（默认 t_x）" },
   { "T", "string", en = "column of the time observed (default T)", zh = "观察期长度列（默认 T）" },
   { "m", "string", en = "column of mean repeat spend (default mean_repeat_spend)",
     zh = "平均重复消费额列（默认 mean_repeat_spend）" },
   { "weight", "string", en = "column of customer counts", zh = "客户数列" },
}
local checks = { ["Model:diagnostics"] = opts.declare("Model:diagnostics", OPTIONS),
   ["Report:diagnostics"] = opts.declare("Report:diagnostics", OPTIONS) }

-- check(fn, o) -> a copy of the checked options with the declared defaults filled in.
local function check(fn, o)
   local out = {}
   for k, v in pairs(checks[fn](o) or {}) do out[k] = v end
   for _, spec in ipairs(OPTIONS) do
      if out[spec[1]] == nil then out[spec[1]] = spec.default end
   end
   return out
end

local function is_table(v)
   return type(v) == "userdata" and tostring(v):match("^cv%.Table") ~= nil
end

local function has_col(s, name)
   for _, n in ipairs(s:names()) do
      if n == name then return true end
   end
   return false
end

local function cols_of(m, o)
   local c = {}
   for _, k in ipairs { "x", "t_x", "T", "m", "weight" } do c[k] = o[k] or (m.cols or {})[k] end
   return c
end

local function merge(a, b)
   local out = {}
   for k, v in pairs(a) do out[k] = v end
   for k, v in pairs(b) do out[k] = v end
   return out
end

-- The holdout length in the model's unit: o.horizon, else the summary's (nil when unknown).
local function holdout_length(m, s, o)
   if o.horizon then return o.horizon end
   local meta = s:meta()
   if not (meta and meta.calibration_end and meta.observation_end and m.unit) then return nil end
   local days = date.diff(meta.observation_end, meta.calibration_end)
   return fit.convert(days, "day", m.unit)
end

local function offers(m, kind)
   for _, k in ipairs(core_models.info(m.name).predicts) do
      if k == kind then return true end
   end
   return false
end

local function count_label(k, max_x)
   return k == max_x and (max_x .. "+") or tostring(k)
end

-- The histogram: x, label, actual, expected.
local function histogram(m, s, o)
   local e, a = core.histogram(m.name, m.values, s, merge(cols_of(m, o), { max_x = o.max_x }))
   local xs, labels = {}, {}
   for k = 0, o.max_x do
      xs[k + 1], labels[k + 1] = k, count_label(k, o.max_x)
   end
   return with_kinds(base.table { { "x", xs, "int" }, { "label", labels }, { "actual", a },
      { "expected", e } }, { actual = "count", expected = { "number", 1 } })
end

-- A holdout table by group: group, customers, actual, expected (per customer),
-- actual_total, expected_total.
local function holdout(m, s, o, by, groups, t)
   local r = core.holdout(m.name, m.values, s, merge(cols_of(m, o),
      { horizon = t, by = by, groups = groups, holdout = o.holdout }))
   local labels, n, am, em = {}, {}, { n = groups }, { n = groups }
   for g = 1, groups do
      n[g] = r.customers[g]
      am[g] = n[g] > 0 and r.actual[g] / n[g] or nil
      em[g] = n[g] > 0 and r.expected[g] / n[g] or nil
      if by == "frequency" then
         labels[g] = count_label(g - 1, groups - 1)
      elseif g == 1 then
         labels[g] = T("diag.axis.no_repeat")
      elseif n[g] > 0 then
         labels[g] = fmt("%.1f–%.1f", r.lo[g], r.hi[g])
      else
         labels[g] = "–"
      end
   end
   return with_kinds(base.table { { "group", labels }, { "customers", n, "int" },
      { "actual", am, "float", n = groups }, { "expected", em, "float", n = groups },
      { "actual_total", r.actual }, { "expected_total", r.expected } },
      { customers = "count", actual = { "number", 2 }, expected = { "number", 2 },
         actual_total = { "number", 0 }, expected_total = { "number", 1 } })
end

-- A matrix {x =, t_x =, z =, table =} of kind over frequency x recency.
local function matrix(m, s, o, kind, age, t)
   local bgbb = m.name == "bgbb"
   local nx = o.grid
   if bgbb then age = math.floor(age + 0.5); nx = math.min(nx, age + 1) end
   local nr = bgbb and age + 1 or o.grid
   local xs, txs, z = core.matrix(m.name, m.values, kind, age, nx, nr, t)
   local spec = { { "x", xs, "int" } }
   local kinds = {}
   for j, tx in ipairs(txs) do
      local name = bgbb and fmt("t_x %d", tx) or fmt("t_x %.1f", tx)
      local col = { n = nx }
      for i = 1, nx do
         local v = z[i][j]
         col[i] = v == v and v or nil
      end
      spec[#spec + 1] = { name, col, "float", n = nx }
      kinds[name] = kind == "p_alive" and { "share", 1 } or { "number", 2 }
   end
   return { x = xs, t_x = txs, z = z, age = age, table = with_kinds(base.table(spec), kinds) }
end

-- The grid of a mixing density: 200 points over (0, 1) or (0, mean + 4 sd].
local function mixing_curve(mx)
   local hi = mx.family == "beta" and 1 or mx.mean + 4 * mx.sd
   local xs = {}
   for i = 1, 200 do xs[i] = (i - 0.5) * hi / 200 end
   return xs, core.density(mx.family, mx.a, mx.b, xs)
end

local function mixing_label(m, name)
   if name == "p" and m.name == "bgbb" then return T("diag.mix.p_bgbb") end
   return T("diag.mix." .. name, { unit = m.unit and T("models.unit." .. m.unit) or "" })
end

local function mixings(m)
   local list = core.mixings(m.name, m.values)
   local names, fams, a, b, mean, sd = {}, {}, {}, {}, {}, {}
   for i, mx in ipairs(list) do
      mx.label = mixing_label(m, mx.name)
      mx.x, mx.density = mixing_curve(mx)
      names[i], fams[i] = mx.label, T("diag.family." .. mx.family)
      a[i], b[i], mean[i], sd[i] = mx.a, mx.b, mx.mean, mx.sd
   end
   local t = with_kinds(base.table { { "distribution", names, "string", n = #list },
      { "family", fams, "string", n = #list }, { "a", a, "float", n = #list },
      { "b", b, "float", n = #list }, { "mean", mean, "float", n = #list },
      { "sd", sd, "float", n = #list } }, { a = { "number", 4 }, b = { "number", 4 },
      mean = { "number", 4 }, sd = { "number", 4 } })
   return list, t
end

-- Gamma-Gamma: bins of mean repeat spend (10 equal bins up to the 95th percentile).
local function spend(gg, s, o)
   local mcol = o.m or (gg.cols or {}).m or "mean_repeat_spend"
   local xcol = o.x or (gg.cols or {}).x or "x"
   -- repeat buyers with a positive mean spend (Gamma-Gamma's domain: a mean of 0, when every
   -- repeat purchase cost nothing, has no density and is left out)
   local buyers = s:filter(xcol, ">", 0):filter(mcol, ">", 0)
   local vals = buyers:col(mcol):totable()
   table.sort(vals)
   if #vals < 2 then return nil end
   local p95 = vals[math.max(1, math.floor(0.95 * #vals))]
   local step = p95 / 10
   local cuts, labels = {}, {}
   for k = 1, 10 do cuts[k] = k * step end
   local e, a = core.spend(gg.values, buyers, { cuts = cuts, x = xcol, m = mcol,
      weight = o.weight })
   for k = 1, #e do
      labels[k] = k <= #cuts and fmt("%s–%s", base.format((k - 1) * step, "money"),
         base.format(cuts[k], "money")) or ("≥ " .. base.format(cuts[#cuts], "money"))
   end
   return with_kinds(base.table { { "spend", labels }, { "actual", a }, { "expected", e } },
      { actual = "count", expected = { "number", 1 } })
end

-- The transactions of customer id before the calibration end: the times since the first
-- purchase of the later distinct days, in the model's unit, and the age T at the end.
local function purchases_of(m, tx, o, id, cal_end)
   local mine = tx:filter(o.customer_col, "==", id)
   if #mine == 0 then
      errors.fail("diag.unknown_customer", { fn = "Model:diagnostics", id = tostring(id),
         col = o.customer_col })
   end
   local days = {}
   for _, d in ipairs(mine:col(o.date_col):totable()) do
      local s = tostring(d):sub(1, 10)
      if s <= cal_end then days[#days + 1] = s end
   end
   table.sort(days)
   if #days == 0 then return nil end
   local per = fit.convert(1, m.unit, "day")
   local first, times, prev = days[1], {}, days[1]
   for i = 2, #days do
      if days[i] ~= prev then times[#times + 1] = date.diff(days[i], first) / per end
      prev = days[i]
   end
   return times, date.diff(cal_end, first) / per, first
end

-- The P(alive) history of one customer: the curve (every unit and each purchase) and a
-- table of the events (first purchase, each repeat purchase, the calibration end).
local function history(m, tx, o, id, cal_end)
   local times, age, first = purchases_of(m, tx, o, id, cal_end)
   if not times then return nil end
   local grid, seen = {}, {}
   local function add(t) if not seen[t] then seen[t] = true; grid[#grid + 1] = t end end
   for k = 0, math.floor(age) do add(k) end
   for _, t in ipairs(times) do add(t) end
   add(age)
   table.sort(grid)
   local p = core.palive_path(m.name, m.values, times, grid)
   local ev_t = { 0 }
   for _, t in ipairs(times) do ev_t[#ev_t + 1] = t end
   ev_t[#ev_t + 1] = age
   local pe = core.palive_path(m.name, m.values, times, ev_t)
   local events, xs = {}, {}
   for i = 1, #ev_t do
      events[i] = i == 1 and T("diag.event.first") or i == #ev_t and T("diag.event.end")
         or T("diag.event.purchase")
      xs[i] = i == #ev_t and #times or i - 1
   end
   return { t = grid, p_alive = p, first = first, age = age,
      table = with_kinds(base.table { { "event", events }, { "time", ev_t }, { "x", xs, "int" },
         { "p_alive", pe } }, { time = { "number", 2 }, p_alive = { "share", 1 } }) }
end

-- The customer with the most repeat purchases (the first such in the summary).
local function busiest(m, s, o)
   local xcol = cols_of(m, o).x or "x"
   local top = s:sort { { xcol, "desc" } }:head(1)
   if #top == 0 or not has_col(s, "customer") then return nil end
   return top:col("customer")[1]
end

-- compute(m, s, o) -> {histogram =, by_frequency =, by_recency =, tracking =, p_alive =,
-- conditional =, mixing =, mixing_table =, spend =, history =}: each a Table (the
-- matrices and history {.. table = Table}), nil where the model or the data has none.
local function compute(m, s, o, fn)
   if not (type(m) == "table" and type(m.values) == "table") then
      errors.fail("models.not_a_model", { fn = fn })
   end
   -- the checks draw the model with one parameter vector for everyone
   if m.covariates then errors.fail("models.cov_unsupported", { fn = fn }) end
   local out = { model = m }
   local mixes, mt = mixings(m)
   out.mixing, out.mixing_table = mixes, mt
   if m.name == "gamma_gamma" then
      if is_table(s) then out.spend = spend(m, s, o) end
      return out
   end
   if m.name == "sbg" or not is_table(s) then return out end
   -- a check the model cannot compute (parameters at the edge of their range, NaN
   -- probabilities) is left out with the reason in out.failed[field]; the others stay
   out.failed = {}
   local function try(field, f, ...)
      local ok, v = pcall(f, ...)
      if ok then return v end
      if engine.error_code(v) ~= errors.DOMAIN then error(v, 0) end -- not a domain error
      out.failed[field] = (tostring(v):gsub("^[^\n]-%.lua:%d+: ", ""))
      return nil
   end
   out.histogram = try("histogram", histogram, m, s, o)
   local t = holdout_length(m, s, o)
   local hcol = o.holdout or "x_holdout"
   out.horizon = t
   if t and has_col(s, hcol) and offers(m, "conditional") then
      out.by_frequency = try("by_frequency", holdout, m, s, o, "frequency", o.max_x + 1, t)
      out.by_recency = try("by_recency", holdout, m, s, o, "recency", o.recency_groups, t)
   end
   local age = o.age or s:col(o.T or (m.cols or {}).T or "T"):max()
   if age and age > 0 then
      if offers(m, "p_alive") and m.name ~= "nbd" then
         out.p_alive = try("p_alive", matrix, m, s, o, "p_alive", age, 0)
      end
      out.cond_horizon = t or 52
      out.conditional = try("conditional", matrix, m, s, o, "conditional", age, out.cond_horizon)
   end
   local tx = o.transactions
   local meta = s:meta()
   if tx and meta and meta.calibration_end and m.name ~= "bgbb" and m.unit then
      out.tracking = try("tracking", m.tracking, m, tx, { customer = o.customer_col,
         date = o.date_col, calibration_end = meta.calibration_end, period_days = o.period_days,
         ["end"] = meta.observation_end })
      local id = o.customer or busiest(m, s, o)
      if id ~= nil then
         out.history = try("history", history, m, tx, o, id, meta.calibration_end)
      end
      out.customer = id
   end
   if o.spend then out.spend = try("spend", spend, o.spend, s, o) end
   return out
end

-- m:diagnostics(s, o) -> the tables (compute's).
function M.diagnostics(m, s, o)
   return compute(m, s, check("Model:diagnostics", o), "Model:diagnostics")
end

-- m:diagnostics(s [, opts]) -> the standard checks of the model as tables (histogram,
-- holdout by frequency and recency, tracking, matrices, heterogeneity, spend, one
-- customer's P(alive) history): a method of cv.fit's models, added here.
function fit.methods.diagnostics(self, s, o)
   return M.diagnostics(self, s, o)
end

-- ---- The report section ----------------------------------------------------------------------

local function column(t, name)
   return t:col(name):totable()
end

local function labels(names)
   local out = {}
   for k, key in pairs(names) do out[k] = T("diag.col." .. key) end
   return out
end

local function span(m, n)
   return i18n.span(base.format(n), m.unit)
end

-- sections(m, s, o) -> report sections: a heading, then each check as a chart and its table.
local function sections(m, s, o)
   local d = compute(m, s, o, "Report:diagnostics")
   local out = { { heading = T("diag.heading", { model = m.title }) }, T("diag.intro") }
   for _, line in ipairs(covariates.penalty_lines(m)) do -- a penalized fit
      out[#out + 1] = { note = line }
   end
   local names = {}
   for field in pairs(d.failed or {}) do names[#names + 1] = field end
   table.sort(names)
   for _, field in ipairs(names) do
      out[#out + 1] = { note = T("diag.failed", { check = T("diag.check." .. field),
         why = i18n.message(d.failed[field]) }) }
   end
   local function h3(text) out[#out + 1] = { heading = text, level = 3 } end
   if d.histogram then
      h3(T("diag.histogram"))
      out[#out + 1] = { chart = chart.bar { categories = column(d.histogram, "label"),
         series = { { name = T("chart.actual"), values = column(d.histogram, "actual") },
            { name = T("chart.expected"), values = column(d.histogram, "expected") } },
         x_label = T("diag.col.x"), y_label = T("diag.axis.customers") },
         caption = T("diag.histogram.note") }
      out[#out + 1] = { table = d.histogram:select { "label", "actual", "expected" },
         labels = labels { label = "x", actual = "actual", expected = "expected" } }
   end
   for _, g in ipairs { { d.by_frequency, "diag.by_frequency", "frequency" },
      { d.by_recency, "diag.by_recency", "recency" } } do
      local t = g[1]
      if t then
         h3(T(g[2]))
         out[#out + 1] = { chart = chart.line { x = column(t, "group"),
            series = { { name = T("chart.actual"), values = column(t, "actual") },
               { name = T("chart.expected"), values = column(t, "expected"), dash = "6 4" } },
            x_label = T("diag.col." .. g[3]), y_label = T("diag.axis.per_customer") },
            caption = T("diag.holdout.note", { span = span(m, d.horizon) }) }
         out[#out + 1] = { table = t, labels = labels { group = g[3], customers = "customers",
            actual = "actual", expected = "expected", actual_total = "actual_total",
            expected_total = "expected_total" } }
      end
   end
   if d.tracking then
      local tr = d.tracking
      local period = column(tr, "period")
      local ends = column(tr, "end")
      local meta = s:meta()
      local mark
      for i, e in ipairs(ends) do
         if not mark and tostring(e) >= meta.calibration_end then mark = period[i] end
      end
      local pname = o.period_days == 7 and T("models.unit.week")
         or T("models.span.day", { n = o.period_days })
      h3(T("diag.tracking.inc", { period = pname }))
      out[#out + 1] = { chart = chart.tracking { x = period, actual = column(tr, "actual"),
         expected = column(tr, "expected"), days = column(tr, "days"), mark = mark,
         x_label = T("diag.col.period"), y_label = T("diag.axis.transactions") } }
      h3(T("diag.tracking.cum"))
      out[#out + 1] = { chart = chart.tracking { x = period, actual = column(tr, "actual_cum"),
         expected = column(tr, "expected_cum"), days = column(tr, "days"), mark = mark,
         x_label = T("diag.col.period"), y_label = T("diag.axis.transactions") } }
      out[#out + 1] = { table = with_kinds(tr, { actual = { "number", 0 },
         expected = { "number", 1 }, actual_cum = { "number", 0 }, expected_cum = { "number", 1 } }),
         max_rows = 200, labels = labels { period = "period", ["end"] = "end", days = "days",
            actual = "actual", expected = "expected", actual_cum = "actual_cum",
            expected_cum = "expected_cum" } }
   end
   local unit = m.unit and T("models.unit." .. m.unit) or ""
   for _, g in ipairs { { d.p_alive, "diag.p_alive", "%" }, { d.conditional, "diag.conditional" } } do
      local mx = g[1]
      if mx then
         local z = {}
         for i, row in ipairs(mx.z) do
            z[i] = {}
            for j, v in ipairs(row) do
               z[i][j] = v == v and (g[3] and math.floor(v * 1000 + 0.5) / 10
                  or math.floor(v * 100 + 0.5) / 100) or 0 / 0
            end
         end
         local title = T(g[2], { age = span(m, mx.age), span = span(m, d.cond_horizon or 52) })
         h3(title)
         out[#out + 1] = { chart = chart.heatmap { x = mx.t_x, y = mx.x, z = z, unit = g[3],
            x_label = T("diag.col.recency") .. (unit ~= "" and (" (" .. unit .. ")") or ""),
            y_label = T("diag.col.frequency"),
            z_label = g[3] and T("diag.col.p_alive") or T("chart.expected"),
            x_format = function(v) return m.name == "bgbb" and fmt("%d", v) or fmt("%.1f", v) end,
            y_format = function(v) return fmt("%d", v) end },
            caption = T(m.name == "bgbb" and "diag.matrix.note_bgbb" or "diag.matrix.note") }
         out[#out + 1] = { table = mx.table, labels = labels { x = "frequency" } }
      end
   end
   for _, mx in ipairs(d.mixing) do
      h3(T("diag.mixing", { what = mx.label }))
      out[#out + 1] = { chart = chart.line { x = mx.x, y = mx.density, x_label = mx.label,
         y_label = T("diag.axis.density") } }
   end
   if #d.mixing > 0 then
      out[#out + 1] = { table = d.mixing_table, caption = T("diag.mixing.table"),
         labels = labels { distribution = "distribution", family = "family", a = "a", b = "b",
            mean = "mean", sd = "sd" } }
   end
   if d.spend then
      h3(T("diag.spend"))
      out[#out + 1] = { chart = chart.bar { categories = column(d.spend, "spend"),
         series = { { name = T("chart.actual"), values = column(d.spend, "actual") },
            { name = T("chart.expected"), values = column(d.spend, "expected") } },
         x_label = T("diag.col.spend"), y_label = T("diag.axis.customers"), labels = false } }
      out[#out + 1] = { table = d.spend, labels = labels { spend = "spend", actual = "actual",
         expected = "expected" } }
   end
   if d.history then
      local hi = d.history
      local pct = {}
      for i, v in ipairs(hi.p_alive) do pct[i] = v * 100 end
      h3(T("diag.history", { id = tostring(d.customer) }))
      out[#out + 1] = { chart = chart.line { x = hi.t, y = pct, unit = "%", y_min = 0,
         y_max = 100, x_label = T("diag.col.time", { unit = unit }),
         y_label = T("diag.col.p_alive") },
         caption = T("diag.history.note", { unit = unit }) }
      out[#out + 1] = { table = hi.table, labels = merge(labels { event = "event", x = "x",
         p_alive = "p_alive" }, { time = T("diag.col.time", { unit = unit }) }) }
   end
   return out
end

-- report:diagnostics(m, s, o) adds these sections (lua/cv/report.lua); M.sections for a
-- spec's sections list.
function M.sections(m, s, o)
   return sections(m, s, check("Report:diagnostics", o))
end

-- script_sections(ctx, p, models [, spend]): for a model script writing an HTML report
-- (ctx.html), adds the diagnostics of each fitted model (on its summary, m.summary), with
-- tracking and a customer's history from the transactions file p.data and the spend
-- distribution of the Gamma-Gamma model spend; nothing for other outputs.
function M.script_sections(ctx, p, models, spend)
   if not ctx.html then return end
   local tx = base.read_csv(p.data, base.read_options(p))
   for _, m in ipairs(models) do
      ctx.add(table.unpack(M.sections(m, m.summary, { transactions = tx,
         customer_col = p.customer, date_col = p.date, spend = spend })))
   end
end

return M
