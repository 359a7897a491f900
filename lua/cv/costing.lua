-- cv.costing: cost of service for scripts, on top of the C core (cv.core.costing):
--   cv.costing.abc{...}     activity-based costing: pools, drivers, rates, cost per customer
--   cv.costing.tdabc{...}   time-driven ABC: capacity cost rates, time equations, unused capacity
--   cv.costing.pnl(t, ...)  the customer P&L per customer and per segment, and its waterfall
--   cv.whale(t, ...)        the whale curve of cumulative profit (also cv.costing.whale)
-- Cost definitions are Lua tables or CSV files with one row per activity
-- (cv.costing.read_activities, read_resources). Concepts and examples: docs/costing.md.
local core = require "cv.core.costing"
local errors = require "cv.errors"
local opts = require "cv.opts"
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)

local M = {}

-- The read options of a definitions file: names and numbers as text, cost columns as numbers.
local function read_rows(path)
   local t = base.read_csv(path, { header = true })
   local rows = {}
   for i, r in t:rows() do
      rows[i] = r
   end
   return rows, t:names()
end

-- A number from a definitions file's cell, or nil when empty; raises naming file:line.
local function cellnum(path, line, col, v)
   if v == nil or v == "" then
      return nil
   end
   local n = tonumber(v)
   if not n then
      errors.fail("costing.cell_number", { path = path, line = line, column = col,
         value = tostring(v) }, errors.TYPE)
   end
   return n
end

-- parse_terms(text [, where]) -> {{field =, minutes =, kind =}, ...} from a time equation's
-- terms written "0.5 per lines; 15 if rush" (MINUTES per FIELD: minutes × the field's value;
-- MINUTES if FIELD: minutes once when the field is set). Empty text: no terms.
function M.parse_terms(text, where)
   local terms = {}
   for part in tostring(text or ""):gmatch("[^;]+") do
      local m, how, field = part:match("^%s*([%d.eE+-]+)%s+(%a+)%s+([%w_]+)%s*$")
      local minutes = tonumber(m or "")
      if not minutes or (how ~= "per" and how ~= "if") then
         errors.fail("costing.bad_term", { where = where and (where .. ": ") or "",
            term = part:match("^%s*(.-)%s*$") })
      end
      terms[#terms + 1] = { field = field, minutes = minutes,
         kind = how == "per" and "per_unit" or "if_flag" }
   end
   return terms
end

-- read_activities(path) -> activities: a CSV with one row per activity. For ABC the columns
-- activity, driver, cost (and/or rate); for time-driven ABC activity, resource, base
-- (minutes per event), events (column of event counts, may be empty) and terms (see
-- parse_terms). Lines in messages count the header as line 1.
function M.read_activities(path)
   local rows = read_rows(path)
   local acts = {}
   for i, r in ipairs(rows) do
      local line = i + 1
      local name = r.activity
      if name == nil or name == "" then
         errors.fail("costing.no_activity", { path = path, line = line })
      end
      acts[i] = {
         name = tostring(name),
         driver = r.driver ~= nil and tostring(r.driver) or nil,
         cost = cellnum(path, line, "cost", r.cost),
         rate = cellnum(path, line, "rate", r.rate),
         resource = r.resource ~= nil and r.resource ~= "" and tostring(r.resource) or nil,
         base = cellnum(path, line, "base", r.base),
         events = r.events ~= nil and r.events ~= "" and tostring(r.events) or nil,
         terms = M.parse_terms(r.terms, path .. ":" .. line),
      }
   end
   return acts
end

-- read_resources(path) -> resources: a CSV with columns resource, cost, capacity (practical
-- minutes) and/or rate (cost per minute).
function M.read_resources(path)
   local rows = read_rows(path)
   local res = {}
   for i, r in ipairs(rows) do
      res[i] = { name = tostring(r.resource), cost = cellnum(path, i + 1, "cost", r.cost),
         capacity = cellnum(path, i + 1, "capacity", r.capacity),
         rate = cellnum(path, i + 1, "rate", r.rate) }
   end
   return res
end

-- definitions(v, reader) -> the list v, or the list read from v when it is a path.
local function definitions(v, reader, what)
   if type(v) == "string" then
      return reader(v)
   elseif type(v) ~= "table" then
      errors.fail("costing.bad_definitions", { what = what, got = opts.shown(v) })
   end
   return v
end

-- drivers(spec) -> Table: the per-customer driver volumes: spec.drivers computed from
-- spec.data by customer (cv.core.costing.drivers: {name = "count" | {"sum", col} | ...}),
-- or spec.data as it is, then every table of spec.join left-joined on the customer
-- (a customer missing there gets 0).
-- data and the join tables may also be CSV paths (read with cv.read_csv and the reading
-- options read, e.g. {decimal_comma = true, sheet = "Orders"}; empty paths are left out).
local function load(t, read)
   if type(t) == "string" then
      return base.read_csv(t, read)
   end
   return t
end

-- The fields of a drivers spec (cv.costing.drivers, abc, tdabc).
local DRIVERS = {
   { "data", "Table|string", required = true,
     en = "transactions or per-customer volumes: a table or a CSV path",
     zh = "交易或每位客户的数量：表或 CSV 路径" },
   { "customer", "string", en = "column of customer ids", zh = "客户编号列" },
   { "drivers", "table",
     en = "volumes computed by customer: {name = \"count\" | {\"sum\", column} | ...}",
     zh = "按客户计算的数量：{名称 = \"count\" | {\"sum\", 列} | ...}" },
   { "join", "table", en = "tables (or CSV paths) left-joined on the customer",
     zh = "按客户左连接的表（或 CSV 路径）" },
   { "read", "table",
     en = "reading options of data and join given as paths (those of cv.read_csv: "
        .. "decimal_comma, thousands, sheet, date_order, encoding, ...)",
     zh = "以路径给出的 data 与 join 的读取选项（即 cv.read_csv 的选项："
        .. "decimal_comma、thousands、sheet、date_order、encoding 等）" },
}
local check_drivers = opts.declare("cv.costing.drivers", DRIVERS)

local function drivers(spec)
   local d = load(spec.data, spec.read)
   if spec.drivers then
      d = core.drivers(d, spec.customer, spec.drivers)
   end
   for _, t in ipairs(spec.join or {}) do
      if t ~= "" then
         d = d:join(load(t, spec.read), { on = spec.customer, how = "left" })
      end
   end
   return d
end

function M.drivers(spec)
   return drivers(check_drivers(spec))
end

-- transaction_drivers(sums [, count = "orders"]) -> a drivers spec for M.drivers: a count of
-- rows named count and the sum of each column in sums ("lines,deliveries" or a list).
function M.transaction_drivers(sums, count)
   local d = { [count or "orders"] = "count" }
   if type(sums) == "string" then
      local list = {}
      for col in sums:gmatch("[^,%s]+") do
         list[#list + 1] = col
      end
      sums = list
   end
   for _, col in ipairs(sums or {}) do
      d[col] = { "sum", col }
   end
   return d
end

-- abc{data =, customer =, drivers =, join =, activities = list or CSV path}
--   -> {customers = Table (customer, cost_<activity>..., cost_to_serve),
--       activities = Table (activity, driver, cost, volume, rate, assigned, unassigned),
--       drivers = Table (the volumes used)}
local ACTIVITIES = { "activities", "table|string", required = true,
   en = "the activities: a list or a CSV path", zh = "作业：列表或 CSV 路径" }
local check_abc = opts.declare("cv.costing.abc", opts.concat(DRIVERS, { ACTIVITIES }))
-- The kinds of the money columns the costing tables have (include/cvkit/kind.h), and of
-- the per-activity cost columns (cost_<activity>); how the tables show them.
local with_kinds = require("cv.core.table").with_kinds
local MONEY = { cost = "money", assigned = "money", unassigned = "money",
   cost_to_serve = "money", used_cost = "money", unused_cost = "money",
   cost_per_event = "money", revenue = "money", gross_margin = "money",
   total_concessions = "money", pocket_margin = "money", total_cost_to_serve = "money",
   service_margin = "money", profit = "money", profit_per_customer = "money",
   customers = "count", amount = "money", start = "money", ["end"] = "money",
   cum_profit = "money", cum_share = "share", customer_share = "share", rank = "count",
   utilization = "share" }
local function kinds_of(t, extra)
   if not t then return t end
   local k = {}
   for name, v in pairs(MONEY) do k[name] = v end
   for _, name in ipairs(t:names()) do
      if name:match("^cost_") then k[name] = "money" end
   end
   for _, name in ipairs(extra or {}) do k[name] = "money" end
   return with_kinds(t, k)
end
M.kinds_of = kinds_of

function M.abc(spec)
   check_abc(spec)
   local acts = definitions(spec.activities, M.read_activities, "activities")
   local d = drivers(spec)
   local customers, activities = core.abc(d, { key = spec.customer, activities = acts })
   return { customers = kinds_of(customers), activities = kinds_of(activities), drivers = d }
end

-- tdabc{data =, customer =, drivers =, join =, resources = list or CSV path, activities = list or CSV
-- path} -> {customers, activities, resources} (see docs/costing.md for the columns). data
-- has one row per transaction (time equations are evaluated per row, then summed by
-- customer) or one row per customer with event counts.
local check_tdabc = opts.declare("cv.costing.tdabc", opts.concat(DRIVERS, {
   { "resources", "table|string", required = true,
     en = "the resources (cost, practical capacity in minutes): a list or a CSV path",
     zh = "资源（成本、实际产能分钟数）：列表或 CSV 路径" },
   ACTIVITIES,
}))
function M.tdabc(spec)
   check_tdabc(spec)
   local res = definitions(spec.resources, M.read_resources, "resources")
   local acts = definitions(spec.activities, M.read_activities, "activities")
   local d = drivers(spec)
   local customers, activities, resources = core.tdabc(d, { key = spec.customer,
      resources = res, activities = acts })
   return { customers = kinds_of(customers), activities = kinds_of(activities),
      resources = kinds_of(resources) }
end

local kinds = { "product", "concession", "service", "acquisition", "retention" }
local plural = { product = "product", concession = "concessions", service = "service",
   acquisition = "acquisition", retention = "retention" }

-- pnl_spec(spec) -> the core's spec: {key, segment, revenue, lines = {{col, kind}, ...}} from
-- spec.customer, spec.segment, spec.revenue and per kind a column or a list of columns:
-- product, concessions, service, acquisition, retention (or spec.lines as it is).
local function cost_lines(kind, en, zh)
   return { kind, "string|table", en = en .. ": a column or a list of columns",
      zh = zh .. "：列名或列名列表" }
end
local PNL = {
   { "customer", "string", en = "column of customer ids", zh = "客户编号列" },
   { "key", "string", en = "the same as customer (customer wins)",
     zh = "同 customer（以 customer 为准）" },
   { "segment", "string", en = "column of segments (adds the per-segment P&L)",
     zh = "细分列（另给出按细分的损益）" },
   { "revenue", "string", default = "revenue", en = "column of revenue", zh = "收入列" },
   cost_lines("product", "product cost", "产品成本"),
   cost_lines("concessions", "concessions (discounts, allowances)", "让利（折扣、折让）"),
   cost_lines("service", "cost to serve", "服务成本"),
   cost_lines("acquisition", "acquisition cost", "获取成本"),
   cost_lines("retention", "retention cost", "保留成本"),
   { "lines", "table", en = "the cost lines as {{column, kind}, ...} (instead of the above)",
     zh = "成本行 {{列, 类别}, ...}（代替以上各项）" },
}
local check_pnl_spec = opts.declare("cv.costing.pnl_spec", PNL)
function M.pnl_spec(spec)
   check_pnl_spec(spec)
   local lines = {}
   if spec.lines then
      lines = spec.lines
   else
      for _, k in ipairs(kinds) do
         local v = spec[plural[k]]
         if type(v) == "string" then
            v = { v }
         end
         for _, col in ipairs(v or {}) do
            lines[#lines + 1] = { col, k }
         end
      end
   end
   return { key = spec.customer or spec.key, segment = spec.segment,
      revenue = spec.revenue or "revenue", lines = lines }
end

-- pnl(t, spec) -> {customers = Table, segments = Table, waterfall = function([row]) -> Table}
-- revenue − product cost − concessions − cost to serve − acquisition − retention = profit,
-- with subtotals gross_margin, pocket_margin, service_margin; nothing is clipped.
-- waterfall() gives the chart data of the totals, waterfall(i) that of customer row i.
local check_pnl = opts.declare("cv.costing.pnl", PNL)
function M.pnl(t, spec)
   check_pnl(spec)
   local s = M.pnl_spec(spec)
   local customers, segments = core.pnl(t, s)
   local lines = { s.revenue }
   for i, l in ipairs(s.lines) do lines[i + 1] = l[1] end
   customers, segments = kinds_of(customers, lines), kinds_of(segments, lines)
   return {
      customers = customers, segments = segments, spec = s,
      waterfall = function(row)
         return kinds_of(core.waterfall(customers, s, row))
      end,
   }
end

-- whale(t [, {profit = "profit", key =}]) -> curve Table, stats {customers, total, peak,
-- peak_share, peak_rank, top20_share, bottom30_profit, loss_makers, losses}
local check_whale = opts.declare("cv.whale", {
   { "profit", "string", default = "profit", en = "column of profit per customer",
     zh = "每位客户利润列" },
   { "key", "string", en = "column of customer ids", zh = "客户编号列" },
})
function M.whale(t, o)
   local curve, stats = core.whale(t, check_whale(o))
   return kinds_of(curve, { (o or {}).profit or "profit" }), stats
end

return M
