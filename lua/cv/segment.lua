-- cv.segment: segmentation for scripts: RFM scores (cv.rfm), named segment schemes as
-- ordered rules written as Lua tables (cv.segment, with the presets rfm10, quartile5 and
-- cn8 and their coverage), value tiers and concentration (cv.tiers, cv.lorenz, cv.gini),
-- lifecycle stages and states (cv.lifecycle), migration between two dates (cv.migration),
-- k-means (cv.kmeans, cv.kmeans_wss) and segment summaries by any attribute
-- (cv.segment_summary). The work runs in C (cv.core.segment); this file turns friendly
-- tables into the core's arguments. Conventions and sources: docs/segmentation.md.
local core = require "cv.core.segment"
local date_core = require "cv.core.date" -- the core's calendar: Lua does no date arithmetic
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local declare = require("cv.opts").declare
local pick = require("cv.opts").pick
local concat = require("cv.opts").concat
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)

local M = {}

-- ---- Schemes ---------------------------------------------------------------------------
-- A scheme: how to score (scores = options of cv.rfm) and ordered rules, the first that
-- holds naming the segment; `other` names customers no rule holds for. A rule is
-- {key, r = ..., f = ..., m = ..., column = ...}: r, f, m test r_score, f_score, m_score,
-- other keys test those columns. A test is a number (equal), {lo, hi} (lo <= v <= hi) or
-- {op, x} with op one of < <= > >= == and x a number, "mean" or "median" (of the column
-- over the customers segmented). Names are shown through the catalogue key
-- segment.<scheme>.<key> when it exists, else the key itself.
M.schemes = {}

-- The 10 segments of RFM practice, on 5 quantile scores. R, F and M score ranges as in
-- the rfm package for R (Hebbali, rfm_segment example, versions 0.2.x; docs cite it).
M.schemes.rfm10 = {
   name = "rfm10",
   scores = { bins = 5 },
   other = "others",
   { "champions",          r = { 4, 5 }, f = { 4, 5 }, m = { 4, 5 } },
   { "loyal_customers",    r = { 2, 5 }, f = { 3, 5 }, m = { 3, 5 } },
   { "potential_loyalist", r = { 3, 5 }, f = { 1, 3 }, m = { 1, 3 } },
   { "new_customers",      r = { 4, 5 }, f = { 1, 1 }, m = { 1, 1 } },
   { "promising",          r = { 3, 4 }, f = { 1, 1 }, m = { 1, 1 } },
   { "need_attention",     r = { 2, 3 }, f = { 2, 3 }, m = { 2, 3 } },
   { "about_to_sleep",     r = { 2, 3 }, f = { 1, 2 }, m = { 1, 2 } },
   { "at_risk",            r = { 1, 2 }, f = { 2, 5 }, m = { 2, 5 } },
   { "cant_lose_them",     r = { 1, 1 }, f = { 4, 5 }, m = { 4, 5 } },
   { "lost",               r = { 1, 2 }, f = { 1, 2 }, m = { 1, 2 } },
}

-- Five segments on quartile scores (this project's scheme, documented in
-- docs/segmentation.md): every one of the 64 cells gets exactly one first match.
M.schemes.quartile5 = {
   name = "quartile5",
   scores = { bins = 4 },
   other = "others",
   { "best",      r = { 3, 4 }, f = { 3, 4 }, m = { 3, 4 } },
   { "promising", r = { 3, 4 } },
   { "slipping",  r = { 1, 2 }, f = { 3, 4 }, m = { 3, 4 } },
   { "dormant",   r = 2 },
   { "lost",      r = 1 },
}

-- The 8 classes of Chinese CRM courses: R, F and M each high (2) or low (1) against the
-- mean (R high = more recent than the mean; a value equal to the mean counts low).
M.schemes.cn8 = {
   name = "cn8",
   scores = { method = "mean" },
   other = "others",
   { "important_value",     r = 2, f = 2, m = 2 }, -- 重要价值客户
   { "important_develop",   r = 2, f = 1, m = 2 }, -- 重要发展客户
   { "important_keep",      r = 1, f = 2, m = 2 }, -- 重要保持客户
   { "important_retain",    r = 1, f = 1, m = 2 }, -- 重要挽留客户
   { "general_value",       r = 2, f = 2, m = 1 }, -- 一般价值客户
   { "general_develop",     r = 2, f = 1, m = 1 }, -- 一般发展客户
   { "general_keep",        r = 1, f = 2, m = 1 }, -- 一般保持客户
   { "general_retain",      r = 1, f = 1, m = 1 }, -- 一般挽留客户
}

local SCORE_COLS = { r = "r_score", f = "f_score", m = "m_score" }
local STATS = { mean = 1, median = 2 }

-- The scheme named or given; raises for an unknown name.
local function scheme_of(s, level)
   if type(s) == "table" then
      return s
   end
   local sc = M.schemes[s or "rfm10"]
   if not sc then
      local names = {}
      for k in pairs(M.schemes) do names[#names + 1] = k end
      table.sort(names)
      errors.fail("segment.unknown_scheme", { scheme = tostring(s),
         hint = errors.hint(s, names) })
   end
   return sc
end

-- The shown name of a segment key of a scheme, in lang (default: the current language).
function M.label(scheme, key, lang)
   local k = "segment." .. (scheme.name or "custom") .. "." .. key
   if i18n.has(k) then
      return i18n.t(k, nil, lang)
   end
   return key
end

-- One test of a rule as the core's condition {col, lo, hi, lo_open, hi_open, lo_stat, hi_stat}.
local function condition(scheme, key, col, test)
   local function bound(x)
      if type(x) == "number" then return x, 0 end
      if STATS[x] then return 0, STATS[x] end
      errors.fail("segment.bad_test", { rule = key, column = col })
   end
   if type(test) == "number" then
      return { col, test, test, false, false, 0, 0 }
   end
   if type(test) ~= "table" then
      errors.fail("segment.bad_test", { rule = key, column = col })
   end
   local op = test[1]
   if type(op) == "number" and type(test[2]) == "number" then
      return { col, op, test[2], false, false, 0, 0 }
   end
   local x, stat = bound(test[2])
   if op == "<" or op == "<=" then
      return { col, -math.huge, x, false, op == "<", 0, stat }
   elseif op == ">" or op == ">=" then
      return { col, x, math.huge, op == ">", false, stat, 0 }
   elseif op == "==" then
      return { col, x, x, false, false, stat, stat }
   end
   errors.fail("segment.bad_test", { rule = key, column = col })
end

-- compile(scheme, lang) -> the core's rule spec: {other = name, {name =, conds = {...}}...}
-- with the names shown in lang.
function M.compile(scheme, lang)
   scheme = scheme_of(scheme, 2)
   local spec = { other = M.label(scheme, scheme.other or "others", lang) }
   for i, rule in ipairs(scheme) do
      local key = rule[1] or rule.name
      if type(key) ~= "string" then
         errors.fail("segment.rule_name", { n = i })
      end
      local cols = {}
      for k in pairs(rule) do
         if type(k) == "string" and k ~= "name" then cols[#cols + 1] = k end
      end
      table.sort(cols)
      local conds = {}
      for _, k in ipairs(cols) do
         conds[#conds + 1] = condition(scheme, key, SCORE_COLS[k] or k, rule[k])
      end
      spec[i] = { name = M.label(scheme, key, lang), conds = conds }
   end
   return spec
end

-- ---- RFM ---------------------------------------------------------------------------------

-- The scoring options of opts, over a scheme's defaults.
local function score_options(opts, scheme)
   local o = {}
   for k, v in pairs(scheme and scheme.scores or {}) do o[k] = v end
   for k, v in pairs(opts or {}) do o[k] = v end
   return o
end

-- The scoring options of cv.rfm, cv.segment and cv.migration.
local SCORING = {
   { "recency", "string", default = "days_since_last", en = "column of recency (smaller is better)",
     zh = "最近购买间隔列（越小越好）" },
   { "frequency", "string", default = "orders", en = "column of frequency", zh = "购买频次列" },
   { "monetary", "string", default = "revenue",
     en = "column of monetary value (\"mean\": mean_spend, \"total\": revenue)",
     zh = "消费金额列（\"mean\"：mean_spend，\"total\"：revenue）" },
   { "bins", "integer", en = "scores 1..bins (default 5; 2 for mean and median)",
     zh = "得分 1..bins（默认 5；mean 与 median 为 2）" },
   { "method", { "quantile", "cuts", "mean", "median" },
     en = "how scores are cut (default quantile; cuts when cuts are given)",
     zh = "得分的划分方法（默认 quantile；给出 cuts 时为 cuts）" },
   { "cuts", "table", en = "ascending cut points {r = {...}, f = {...}, m = {...}}",
     zh = "升序切点 {r = {...}, f = {...}, m = {...}}" },
   { "nested", "boolean", default = false, en = "score f and m within each r score",
     zh = "在每个 r 得分内再对 f、m 评分" },
}
local LANG = { "lang", "string", en = "language of the segment names (default: the current one)",
   zh = "细分名称的语言（默认：当前语言）" }

-- cv.rfm(t [, opts]) -> Table with r_score, f_score, m_score, rfm (and segment when
-- opts.scheme is given), info {cuts = Table, counts = Table, scheme =}.
--   recency = "days_since_last", frequency = "orders", monetary = "revenue" (or "mean"
--   for mean_spend, or any column), bins = 5, method = "quantile" | "cuts" | "mean" |
--   "median", cuts = {r = {...}, f = {...}, m = {...}} (ascending), nested = false,
--   scheme = "rfm10" | "quartile5" | "cn8" | a scheme table (its scores are the defaults)
local check_rfm = declare("cv.rfm", concat(SCORING, {
   { "scheme", "string|table", en = "name the segments: rfm10, quartile5, cn8 or a scheme table",
     zh = "给出细分：rfm10、quartile5、cn8 或自定义方案表" },
   LANG,
   { "out", "string", default = "segment", en = "name of the segment column",
     zh = "细分列的列名" },
}))
-- The kinds of the columns the segment tables add (include/cvkit/kind.h).
local with_kinds = require("cv.core.table").with_kinds
local SHARES = { customers = "count", share = "share", customer_share = "share",
   value_share = "share", revenue_share = "share" }

function M.rfm(t, opts)
   opts = check_rfm(opts)
   local scheme = opts.scheme and scheme_of(opts.scheme, 2)
   local o = score_options(opts, scheme)
   local method = o.method or (o.cuts and "cuts") or "quantile"
   local bins = o.bins or ((method == "mean" or method == "median") and 2 or 5)
   local monetary = o.monetary or "revenue"
   if monetary == "mean" then monetary = "mean_spend" elseif monetary == "total" then monetary = "revenue" end
   local cuts = o.cuts or {}
   local r, c = core.rfm_score(t, o.recency or "days_since_last", o.frequency or "orders",
      monetary, bins, method, o.nested, cuts.r, cuts.f, cuts.m)
   local info = { cuts = c }
   if scheme then
      r, info.counts = core.rules_apply(r, M.compile(scheme, opts.lang), opts.out or "segment")
      info.counts = with_kinds(info.counts, SHARES)
      info.scheme = scheme.name
   end
   return r, info
end

-- cv.segment(t, scheme [, opts]) -> Table with the column segment (opts.out), counts
-- Table (segment, customers, share; every segment in the scheme's order, Others last).
-- Scores t first (with the scheme's scoring) unless it has r_score, f_score, m_score.
local check_segment = declare("cv.segment", concat(SCORING, {
   LANG,
   { "out", "string", default = "segment", en = "name of the segment column",
     zh = "细分列的列名" },
}))
function M.segment(t, scheme, opts)
   opts = check_segment(opts)
   scheme = scheme_of(scheme, 2)
   local names = {}
   for _, n in ipairs(t:names()) do names[n] = true end
   local needs_scores = false
   for _, rule in ipairs(scheme) do
      for k in pairs(rule) do
         if SCORE_COLS[k] and not names[SCORE_COLS[k]] then needs_scores = true end
      end
   end
   if needs_scores then
      t = M.rfm(t, score_options(opts, scheme))
   end
   return core.rules_apply(t, M.compile(scheme, opts.lang), opts.out or "segment")
end

-- cv.segment_coverage(scheme [, lang]) -> Table (r_score, f_score, m_score, segment,
-- matches: one row per score cell), report {cells, unmatched, overlapping, counts =
-- {segment name = cells}}. The grid is 1..bins of each score the rules test.
function M.coverage(scheme, lang)
   scheme = scheme_of(scheme, 2)
   local o = scheme.scores or {}
   local bins = o.bins or ((o.method == "mean" or o.method == "median") and 2 or 5)
   local cols, lo, hi = {}, {}, {}
   for _, k in ipairs { "r", "f", "m" } do
      cols[#cols + 1], lo[#lo + 1], hi[#hi + 1] = SCORE_COLS[k], 1, bins
   end
   local grid, unmatched, overlapping = core.rules_coverage(M.compile(scheme, lang), cols, lo, hi)
   local counts = {}
   for _, s in ipairs(grid:col("segment"):totable()) do
      counts[s] = (counts[s] or 0) + 1
   end
   return grid, { cells = #grid, unmatched = unmatched, overlapping = overlapping, counts = counts }
end

-- ---- Value --------------------------------------------------------------------------------

-- A one-column table from a Lua array of numbers (for cv.gini{...} and cv.lorenz{...}).
local function as_table(x, col)
   if type(x) == "table" and getmetatable(x) == nil then
      return base.table { { "value", x, "float" } }, "value"
   end
   return x, col
end

-- cv.gini(t, col) or cv.gini{1, 2, 3} -> the Gini coefficient (no n/(n-1) factor)
function M.gini(t, col)
   t, col = as_table(t, col)
   return core.gini(t, col)
end

-- cv.lorenz(t, col [, {points = 101}]) or cv.lorenz{...} -> Table (customers, value:
-- shares, smallest customers first), gini
local check_lorenz = declare("cv.lorenz", {
   { "points", "integer", default = 101, en = "points of the curve", zh = "曲线的点数" },
})
function M.lorenz(t, col, opts)
   if type(col) == "table" then opts, col = col, nil end
   opts = check_lorenz(opts)
   t, col = as_table(t, col)
   local p, l, g = core.lorenz(t, col, (opts and opts.points) or 101)
   return base.table { { "customers", p }, { "value", l } }, g
end

-- cv.tiers(t [, opts]) -> Table with the column tier (opts.out), info: the concentration
-- figures {n, total, top20, top_for_80, bottom30, peak, peak_at, gini} and counts (a
-- Table: tier, customers, value, share of customers, share of value).
--   value = "revenue", shares = {0.2, 0.3, 0.5}, by = "customers" | "value",
--   names = {...} (default: top, middle, bottom for three tiers; tier 1, 2, ... otherwise)
local check_tiers = declare("cv.tiers", {
   { "value", "string", default = "revenue", en = "column of value to rank customers by",
     zh = "用于给客户排序的价值列" },
   { "shares", "table", en = "shares of the tiers, best first (default {0.2, 0.3, 0.5})",
     zh = "各层份额，从高到低（默认 {0.2, 0.3, 0.5}）" },
   { "names", "table", en = "names of the tiers (default top, middle, bottom)",
     zh = "各层名称（默认 top、middle、bottom 的本地化名称）" },
   { "by", { "customers", "value" }, default = "customers",
     en = "shares of customers or of value", zh = "按客户数份额或价值份额分层" },
   { "out", "string", default = "tier", en = "name of the tier column", zh = "分层列的列名" },
})
function M.tiers(t, opts)
   opts = check_tiers(opts)
   local value = opts.value or "revenue"
   local shares = opts.shares or { 0.2, 0.3, 0.5 }
   local names = opts.names
   if not names then
      names = {}
      for i = 1, #shares do
         names[i] = #shares == 3 and i18n.t(({ "tier.top", "tier.middle", "tier.bottom" })[i])
            or i18n.t("tier.n", { n = i })
      end
   end
   local by = opts.by or "customers"
   if by ~= "customers" and by ~= "value" then
      errors.fail("segment.bad_by", { by = tostring(by) })
   end
   local out = opts.out or "tier"
   local r = core.tiers(t, value, shares, names, by == "value", out)
   local info = core.concentration(t, value)
   local g = r:group_by({ out }, { { "customers", "count" }, { "value", "sum", value } })
   local order = {}
   for i, n in ipairs(names) do order[n] = i end
   g = g:add("rank", function(row) return order[row[out]] or #names + 1 end):sort("rank")
   local nc, total = #t, info.total
   g = g:add("customer_share", function(row) return row.customers / nc end)
   g = g:add("value_share", function(row) return row.value / total end)
   info.counts = with_kinds(g:select { out, "customers", "value", "customer_share", "value_share" },
      SHARES)
   return r, info
end

-- ---- Dates (for lifecycle and migration) --------------------------------------------------

-- The per-customer summary of tx at date; with may_be_empty, nil when nobody had bought
-- by then (other errors, such as a missing column, are raised).
local function summary_at(tx, o, date, may_be_empty)
   local opts = { customer = o.customer or "customer_id", date = o.date or "date",
      amount = o.amount or "amount", calibration_end = date, quiet = true }
   if not may_be_empty then
      return base.summary(tx, opts)
   end
   local first = tostring(tx:col(opts.date):min())
   if date_core.diff(date, first) < 0 then
      return nil
   end
   return base.summary(tx, opts)
end

-- The last purchase date of tx.
local function last_date(tx, o)
   return tostring(tx:col(o.date or "date"):max())
end

-- cv.lifecycle(tx [, opts]) -> Table: the summary at opts.at with tenure, recent,
-- previous, stage and state (labels in the current language). tx is a transactions table.
--   customer = "customer_id", date = "date", amount = "amount", at = last purchase date,
--   period = 90 (days), p_alive = a Table with customer and p_alive columns (from a
--   fitted model), p_alive_min = 0.5
local LIFECYCLE = {
   { "customer", "string", default = "customer_id", en = "column of customer ids",
     zh = "客户编号列" },
   { "date", "string", default = "date", en = "column of purchase dates", zh = "购买日期列" },
   { "amount", "string", default = "amount", en = "column of purchase amounts", zh = "购买金额列" },
   { "period", "integer", default = 90, en = "days per period", zh = "每期天数" },
}
local check_lifecycle = declare("cv.lifecycle", concat(LIFECYCLE, {
   { "at", "date", en = "the date of the stages (default: the last purchase)",
     zh = "判断阶段的日期（默认：最后一次购买）" },
   { "p_alive", "Table", en = "a table with customer and p_alive (from a fitted model)",
     zh = "含 customer 与 p_alive 列的表（来自已拟合模型）" },
   { "p_alive_min", "number", default = 0.5, en = "P(alive) under which a customer is lapsed",
     zh = "低于此存活概率的客户视为流失" },
}))
function M.lifecycle(tx, opts)
   opts = check_lifecycle(opts)
   local at = opts.at or last_date(tx, opts)
   local period = opts.period or 90
   local s = summary_at(tx, opts, at)
   s = s:add("tenure", s:col("T"):totable()) -- days (the summary's unit is day)
   local t = s
   for i, name in ipairs { "orders_mid", "orders_old" } do
      local si = summary_at(tx, opts, date_core.add(at, -i * period), true)
      if si then
         si = si:add(name, si:col("orders"):totable()):select { "customer", name }
         t = t:join(si, { on = "customer", how = "left" })
      else
         t = t:add(name, { n = #t }, "int")
      end
   end
   local cols = { "tenure", "days_since_last", "orders", "orders_mid", "orders_old" }
   if opts.p_alive then
      local pa = opts.p_alive:select { "customer", "p_alive" }
      t = t:join(pa, { on = "customer", how = "left" })
      cols[6] = "p_alive"
   end
   local stages, states = {}, {}
   for i, k in ipairs { "exploration", "development", "stability", "decline" } do
      stages[i] = i18n.t("lifecycle.stage." .. k)
   end
   for i, k in ipairs { "new", "active", "at_risk", "lapsed", "reactivated" } do
      states[i] = i18n.t("lifecycle.state." .. k)
   end
   return core.lifecycle(t, cols, period, opts.p_alive_min or 0.5, stages, states)
end

-- cv.migration(tx, {from = date, to = date, by = "rfm10" | scheme | "stage" | "state" |
-- function(tx, date) -> Table with customer and segment, customer =, date =, amount =})
-- -> matrix Table (from, then one column per segment at `to`, then total), long Table
-- (from, to, customers). Customers not yet there at `from` come from the row "(new)".
-- Every customer at `to` is counted once: the matrix adds up to the customers at `to`.
local check_migration = declare("cv.migration", concat({
   { "from", "date", required = true, en = "the first date", zh = "起始日期" },
   { "to", "date", required = true, en = "the second date", zh = "结束日期" },
   { "by", "string|table|function", default = "rfm10",
     en = "a scheme (name or table), \"stage\", \"state\" or function(tx, date) -> Table",
     zh = "细分方案（名称或表）、\"stage\"、\"state\" 或 function(tx, date) -> 表" },
   LANG,
}, LIFECYCLE, SCORING))
function M.migration(tx, opts)
   opts = check_migration(opts)
   local by = opts.by or "rfm10"
   local function segs(date)
      if type(by) == "function" then
         return by(tx, date)
      elseif by == "stage" or by == "state" then
         local l = M.lifecycle(tx, { customer = opts.customer, date = opts.date,
            amount = opts.amount, at = date, period = opts.period })
         return l:add("segment", l:col(by):totable(), "string"), nil
      end
      local s = summary_at(tx, opts, date, true)
      if not s then return nil end
      local seg = M.segment(s, by, pick(opts, "cv.segment"))
      return seg, scheme_of(by)
   end
   local a = segs(opts.from)
   local b, scheme = segs(opts.to)
   if not b then
      errors.fail("segment.no_customers", { date = tostring(opts.to) })
   end
   local new = i18n.t("migration.new")
   local t = b:select { "customer", "segment" }:add("to", b:col("segment"):totable())
   if a then
      local fa = a:select { "customer", "segment" }
      fa = fa:add("from", fa:col("segment"):totable()):select { "customer", "from" }
      t = t:join(fa, { on = "customer", how = "left" })
   else
      t = t:add("from", { n = #t }, "string")
   end
   local long = t:group_by({ "from", "to" }, { { "customers", "count" } })
   -- the order of segments: the scheme's, else first appearance
   local order, names = {}, {}
   local function see(n)
      if n and not order[n] then
         names[#names + 1] = n
         order[n] = #names
      end
   end
   if scheme then
      local spec = M.compile(scheme, opts.lang)
      for _, r in ipairs(spec) do see(r.name) end
      see(spec.other)
   end
   for _, row in long:rows() do see(row.to); see(row.from) end
   local cells, froms = {}, {}
   for _, row in long:rows() do
      local f = row.from or new
      cells[f] = cells[f] or {}
      cells[f][row.to] = (cells[f][row.to] or 0) + row.customers
      froms[f] = true
   end
   local rows = {}
   for _, n in ipairs(names) do if froms[n] then rows[#rows + 1] = n end end
   if froms[new] then rows[#rows + 1] = new end
   local used = {}
   for _, n in ipairs(names) do
      for _, f in ipairs(rows) do
         if cells[f][n] then used[#used + 1] = n; break end
      end
   end
   local spec = { { i18n.t("migration.from"), rows } }
   local totals = {}
   for _, n in ipairs(used) do
      local col = {}
      for i, f in ipairs(rows) do
         col[i] = cells[f][n] or 0
         totals[i] = (totals[i] or 0) + col[i]
      end
      spec[#spec + 1] = { n, col, "int" }
   end
   spec[#spec + 1] = { i18n.t("migration.total"), totals, "int" }
   local long_named = long:add("from", function(row) return row.from or new end, "string")
   return base.table(spec), long_named
end

-- ---- Clustering ---------------------------------------------------------------------------

-- cv.kmeans(t, cols [, opts]) -> Table with the column cluster (1..k, largest first),
-- info {k, centers, sizes, wss, tss, iterations, converged, description = Table (cluster,
-- customers, share, the mean of each column in its own units, rounded to 2 decimals),
-- silhouette}.
--   k = 4, restarts = 5, max_iter = 100, seed = 1, standardize = true, sample = 0 (see
--   docs), out = "cluster", silhouette = 2000 (sample size; 0: skip)
local KMEANS = {
   { "restarts", "integer", default = 5, en = "starts from different centres; the best is kept",
     zh = "从不同初始中心开始的次数；保留最优" },
   { "max_iter", "integer", default = 100, en = "iterations per start at most",
     zh = "每次最多迭代次数" },
   { "seed", "integer", default = 1, en = "seed of the random starts", zh = "随机初值种子" },
   { "standardize", "boolean", default = true, en = "cluster on z-scores of the columns",
     zh = "对列的标准分聚类" },
   { "sample", "integer", default = 0, en = "cluster a sample of this many rows (0: all; see docs)",
     zh = "只对此数量的抽样行聚类（0：全部；见文档）" },
   { "out", "string", default = "cluster", en = "name of the cluster column", zh = "簇列的列名" },
   { "silhouette", "integer", default = 2000, en = "sample size of the silhouette (0: skip)",
     zh = "计算轮廓系数的样本量（0：不计算）" },
}
local check_kmeans = declare("cv.kmeans", concat({
   { "k", "integer", default = 4, en = "number of clusters", zh = "簇数" },
}, KMEANS))
function M.kmeans(t, cols, opts)
   opts = check_kmeans(opts)
   local std = opts.standardize ~= false
   local out = opts.out or "cluster"
   local r, info = core.kmeans(t, cols, opts.k or 4, opts.restarts or 5, opts.max_iter or 100,
      opts.seed or 1, std, opts.sample or 0, out)
   local spec = { { out, {} }, { "customers", {} }, { "share", {} } }
   for j, c in ipairs(cols) do spec[3 + j] = { c, {} } end
   for c = 1, info.k do
      spec[1][2][c] = c
      spec[2][2][c] = info.sizes[c]
      spec[3][2][c] = math.floor(10000 * info.sizes[c] / #t + 0.5) / 10000
      for j = 1, #cols do -- for reading: 2 decimals (info.centers has them all)
         spec[3 + j][2][c] = math.floor(100 * info.centers[c][j] + 0.5) / 100
      end
   end
   info.description = base.table(spec)
   local sample = opts.silhouette or 2000
   if sample > 0 and info.k > 1 then
      info.silhouette = core.silhouette(r, cols, out, sample, opts.seed or 1, std)
   end
   return r, info
end

-- cv.kmeans_wss(t, cols [, {ks = {1, ..., 8}, ...kmeans options}]) -> Table (k, wss,
-- explained = 1 - wss/tss, silhouette) for choosing k (the elbow)
local check_wss = declare("cv.kmeans_wss", concat({
   { "ks", "table", en = "the numbers of clusters to try (default 1..8)",
     zh = "要尝试的簇数（默认 1..8）" },
}, KMEANS))
function M.kmeans_wss(t, cols, opts)
   opts = check_wss(opts)
   local ks = opts.ks or { 1, 2, 3, 4, 5, 6, 7, 8 }
   local K, W, E, S = {}, {}, {}, {}
   for i, k in ipairs(ks) do
      local o = pick(opts, "cv.kmeans")
      o.k = k
      o.silhouette = k > 1 and (opts.silhouette or 2000) or 0
      local _, info = M.kmeans(t, cols, o)
      K[i], W[i], E[i] = k, info.wss, 1 - info.wss / info.tss
      S[i] = info.silhouette
   end
   S.n = #ks
   return base.table { { "k", K }, { "wss", W }, { "explained", E },
      { "silhouette", S, "float" } }
end

-- ---- Summaries by attribute -----------------------------------------------------------

-- cv.segment_summary(t [, opts]) -> Table: per group of opts.by (e.g. {"region",
-- "segment"}): customers, orders, revenue, and value_mean, value_total of opts.value
-- (a CLV or profit column) when given, with customer_share and revenue_share of the
-- whole table (and value_share). Built from t:group_by.
--   by = {"segment"}, orders = "orders", revenue = "revenue", value = nil
local check_summary = declare("cv.segment_summary", {
   { "by", "string|table", en = "the column(s) to group by (default {\"segment\"})",
     zh = "分组列（默认 {\"segment\"}）" },
   { "orders", "string", default = "orders", en = "column of orders", zh = "订单数列" },
   { "revenue", "string", default = "revenue", en = "column of revenue", zh = "收入列" },
   { "value", "string", en = "a column of value (CLV, profit) to add up and average",
     zh = "需汇总与平均的价值列（CLV、利润）" },
})
function M.segment_summary(t, opts)
   opts = check_summary(opts)
   local by = opts.by or { "segment" }
   if type(by) == "string" then by = { by } end
   local orders, revenue = opts.orders or "orders", opts.revenue or "revenue"
   local aggs = { { "customers", "count" }, { "orders", "sum", orders },
      { "revenue", "sum", revenue } }
   if opts.value then
      aggs[#aggs + 1] = { "value_mean", "mean", opts.value }
      aggs[#aggs + 1] = { "value_total", "sum", opts.value }
   end
   local g = t:group_by(by, aggs)
   local all = t:group_by({}, aggs):row(1)
   g = g:add("customer_share", function(r) return r.customers / all.customers end)
   g = g:add("revenue_share", function(r) return all.revenue ~= 0 and r.revenue / all.revenue or nil end, "float")
   if opts.value then
      g = g:add("value_share", function(r)
         return all.value_total ~= 0 and r.value_total / all.value_total or nil
      end, "float")
   end
   return with_kinds(g, SHARES)
end

-- ---- For the model scripts --------------------------------------------------------------

-- read(p) -> transactions Table, summary Table (days) at p.calibration_end (or the last
-- purchase): the model parameters data, customer, date, amount, names.
function M.read(p)
   local tx = base.read_csv(p.data, base.read_options(p))
   local at = p.calibration_end
   if at == nil or at == "" then at = nil end
   local s = base.summary(tx, { customer = p.customer, date = p.date, amount = p.amount,
      calibration_end = at, quiet = true })
   return tx, s
end

-- Rounds x to d decimals (nil stays nil).
local function round(x, d)
   if x == nil then return nil end
   local f = 10 ^ (d or 1)
   return math.floor(x * f + 0.5) / f
end

-- report_table(t, by [, {order = {names...}, recency =, orders =, revenue =}]) -> a Table
-- for people: one row per group of the column by (those of opts.order first, listed even
-- when empty, then the rest),
-- customers, customer %, orders, revenue, revenue %, mean recency, mean orders, mean
-- revenue, with headers in the current language. Built on t:group_by.
function M.report_table(t, by, opts)
   opts = opts or {}
   local rec, ord, rev = opts.recency or "days_since_last", opts.orders or "orders",
      opts.revenue or "revenue"
   local g = t:group_by({ by }, { { "customers", "count" }, { "orders", "sum", ord },
      { "revenue", "sum", rev }, { "recency", "mean", rec } })
   local rows = {}
   for _, row in g:rows() do rows[row[by] == nil and "" or row[by]] = row end
   local names, seen = {}, {}
   for _, n in ipairs(opts.order or {}) do -- every listed group, empty ones too
      if not seen[n] then names[#names + 1], seen[n] = n, true end
      rows[n] = rows[n] or { customers = 0, orders = 0, revenue = 0 }
   end
   for _, row in g:rows() do
      local n = row[by] == nil and "" or row[by]
      if not seen[n] then names[#names + 1], seen[n] = n, true end
   end
   local nc, total = #t, t:col(rev):sum() or 0
   local c = {}
   for i = 1, 9 do c[i] = {} end
   for i, n in ipairs(names) do
      local r = rows[n]
      c[1][i], c[2][i], c[3][i] = n, r.customers, round(100 * r.customers / nc, 1)
      c[4][i], c[5][i] = r.orders, round(r.revenue, 2)
      c[6][i] = total ~= 0 and round(100 * r.revenue / total, 1) or nil
      c[7][i] = round(r.recency, 1)
      if r.customers > 0 then
         c[8][i], c[9][i] = round(r.orders / r.customers, 2), round(r.revenue / r.customers, 2)
      end
   end
   local h = function(k) return i18n.t("segment.col." .. k) end
   for i = 1, 9 do c[i].n = #names end
   local out = base.table {
      { i18n.has("segment.col." .. by) and h(by) or by, c[1], "string" },
      { h("customers"), c[2], "int" }, { h("customer_pct"), c[3], "float" },
      { h("orders"), c[4], "int" }, { h("revenue"), c[5], "float" },
      { h("revenue_pct"), c[6], "float" }, { h("recency"), c[7], "float" },
      { h("mean_orders"), c[8], "float" }, { h("mean_revenue"), c[9], "float" },
   }
   -- numbers by kind (include/cvkit/kind.h): counts, money, percentages (of 100) and
   -- days with one decimal, mean orders with two
   for _, k in ipairs { { "customers", "count" }, { "orders", "count" }, { "revenue", "money" },
      { "mean_revenue", "money" }, { "customer_pct", "number", 1 }, { "revenue_pct", "number", 1 },
      { "recency", "number", 1 }, { "mean_orders", "number", 2 } } do
      out = out:kind(h(k[1]), k[2], k[3] and { decimals = k[3] } or nil)
   end
   return out
end

-- display(t) -> a copy of t with its column names in the current language where the
-- catalogue has segment.col.<name> (for printing small tables).
function M.display(t)
   local spec = {}
   for i, name in ipairs(t:names()) do
      local key = "segment.col." .. name
      spec[i] = { i18n.has(key) and i18n.t(key) or name, t:col(name):totable(), t:types()[i] }
   end
   return base.table(spec)
end

-- The shown names of a scheme's segments, in order, others last.
function M.names(scheme, lang)
   local spec = M.compile(scheme, lang)
   local out, seen = {}, {}
   for _, r in ipairs(spec) do
      if not seen[r.name] then out[#out + 1], seen[r.name] = r.name, true end
   end
   out[#out + 1] = spec.other
   return out
end

-- install(cv): the faces in cv.
function M.install(cv)
   cv.rfm = M.rfm
   cv.segment = M.segment
   cv.segment_coverage = M.coverage
   cv.segment_schemes = M.schemes
   cv.tiers = M.tiers
   cv.lorenz = M.lorenz
   cv.gini = M.gini
   cv.lifecycle = M.lifecycle
   cv.migration = M.migration
   cv.kmeans = M.kmeans
   cv.kmeans_wss = M.kmeans_wss
   cv.segment_summary = M.segment_summary
end

return M
