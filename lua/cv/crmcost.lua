-- cv.crmcost: the CRM system's life-cycle cost (TCO) per option, and satisfaction bands to
-- customer value, with their explanations in English and Chinese. The life-cycle sums are
-- the core's (cv_lcc, src/core/crmcost.c, through cv.core.crmcost); the CLV of a band is
-- the catalogue's clv.retention in its column form. Installed as cv.crm.lcc,
-- cv.crm.explain_lcc, cv.satisfaction.bands and cv.satisfaction.explain_bands.
--   local res = cv.crm.lcc("lines.csv", {users = "options.csv", discount = 0.1, years = 5})
--   res:print()   -- option, users, cost_pv, eac, eac_per_user, benefit_pv, npv, payback
local core = require "cv.core.crmcost"
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local opts = require "cv.opts"

local M = {}

local fmt = require("cv.core.formula").format_number
local base = require "cv.base" -- cv.table, cv.show, ... (never "cv": no cycle)
local formula = require "cv.formula"
-- amounts of money and counts as the tables show them (the kinds: 20,000.00; 50; 10%)
local format_kind = require("cv.core.table").format_kind
local function money(v) return format_kind(v, "money") end
local function count(v) return format_kind(v, "count") end

-- A table given as a cv.Table or a CSV path.
local function load(t)
   if type(t) == "string" then
      return base.read_csv(t)
   end
   return t
end

-- The values of column name of t (a Lua array with .n), or nil when t has no such column.
local function column(t, name)
   for _, n in ipairs(t:names()) do
      if n == name then
         return t:col(name):totable()
      end
   end
end

local LANG = { "lang", "string", en = i18n.t("crmcost.opt.lang", nil, "en"),
   zh = i18n.t("crmcost.opt.lang", nil, "zh") }
local function spec(name, ty, required)
   return { name, ty, required = required or nil, en = i18n.t("crmcost.opt." .. name, nil, "en"),
      zh = i18n.t("crmcost.opt." .. name, nil, "zh") }
end

local check_lcc = opts.declare("cv.crm.lcc", {
   spec("users", "table|Table|string", true), spec("discount", "number", true),
   spec("years", "integer", true), LANG })

-- The users of each option: names in order and counts, from a map {name = n} or a table
-- (or CSV path) with columns option and users; options only in the lines come after.
local function options_of(users, names_in_lines)
   local names, count, seen = {}, {}, {}
   if type(users) == "table" and getmetatable(users) == nil then
      local keys = {}
      for k, v in pairs(users) do
         keys[#keys + 1] = k
         count[k] = v
      end
      table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
      for _, k in ipairs(names_in_lines) do
         if not seen[k] then seen[k] = true; names[#names + 1] = k end
      end
      for _, k in ipairs(keys) do
         if not seen[k] then seen[k] = true; names[#names + 1] = k end
      end
   else
      local t = load(users)
      local o, u = t:col("option"):totable(), t:col("users"):totable()
      for i = 1, o.n do
         if not seen[o[i]] then seen[o[i]] = true; names[#names + 1] = o[i] end
         count[o[i]] = u[i]
      end
      for _, k in ipairs(names_in_lines) do
         if not seen[k] then seen[k] = true; names[#names + 1] = k end
      end
   end
   for _, k in ipairs(names) do
      if count[k] == nil then
         errors.fail("crmcost.no_users", { option = tostring(k) })
      end
   end
   return names, count
end

-- lcc(lines, o) -> results, lines: the life-cycle cost of each option. lines: a table (or
-- CSV path) with columns option, phase, amount, from, and optionally kind (cost or
-- benefit; default cost), to (default from: a one-off) and per_user (1 or true: amount ×
-- the option's users). o.users: users per option; o.discount: the annual rate; o.years:
-- the life. results: one row per option (option, users, cost_nominal, cost_pv, annuity,
-- eac, eac_per_user, benefit_pv, npv, payback; payback missing when never); lines: the
-- lines with their present value (pv).
function M.lcc(lines, o)
   check_lcc(o)
   local t = load(lines)
   local opt, phase, amount = t:col("option"):totable(), t:col("phase"):totable(),
      t:col("amount"):totable()
   local from = t:col("from"):totable()
   local to, kind, per_user = column(t, "to") or {}, column(t, "kind") or {},
      column(t, "per_user") or {}
   local in_lines = {}
   for i = 1, opt.n do in_lines[i] = opt[i] end
   local names, count = options_of(o.users, in_lines)
   local index, users = {}, {}
   for i, k in ipairs(names) do index[k], users[i] = i, count[k] end
   local ls, kinds, pu = {}, {}, {}
   for i = 1, opt.n do
      local k = kind[i] or "cost"
      if k ~= "cost" and k ~= "benefit" then
         errors.fail("crmcost.bad_kind", { line = i, kind = tostring(k) })
      end
      local p = per_user[i]
      p = p == true or p == 1 or p == "1" or p == "yes"
      ls[i] = { option = index[opt[i]], kind = k, amount = amount[i], from = from[i],
         to = to[i] or from[i], per_user = p }
      kinds[i], pu[i] = k, p and 1 or 0
   end
   local res, pv = core.lcc(ls, users, o.discount, o.years)
   local cols = { "cost_nominal", "cost_pv", "annuity", "eac", "eac_per_user", "benefit_pv",
      "npv", "payback" }
   local spec_ = { { "option", names }, { "users", users } }
   for _, c in ipairs(cols) do
      local v = { n = #names }
      for i = 1, #names do v[i] = res[i][c] end
      spec_[#spec_ + 1] = { c, v, "float" }
   end
   local froms, tos = {}, {}
   for i = 1, opt.n do froms[i], tos[i] = ls[i].from, ls[i].to end
   local lt = base.table { { "option", in_lines }, { "phase", phase }, { "kind", kinds },
      { "amount", amount, "float" }, { "from", froms }, { "to", tos }, { "per_user", pu },
      { "pv", pv, "float" } }
   local money = { cost_nominal = "money", cost_pv = "money", eac = "money",
      eac_per_user = "money", benefit_pv = "money", npv = "money" }
   return base.table(spec_):kind(money), lt:kind { amount = "money", pv = "money" }
end

-- The present value terms of one option's costs: "1,000 + 4,545.45 + ...".
local function terms(lt, option)
   local out = {}
   for _, r in lt:rows() do
      if r.option == option and r.kind == "cost" then
         local v = money(r.pv)
         out[#out + 1] = (#out > 0 and r.pv < 0) and "(" .. v .. ")" or v
      end
   end
   return #out > 0 and table.concat(out, " + ") or "0"
end

-- The words of a known phase or option name in lang ("data migration" -> 数据迁移), else
-- the name as the data has it.
local function word(what, name, lang)
   local key = "crmcost." .. what .. "." .. tostring(name):lower():gsub("[^%w]+", "_")
   return i18n.has(key) and i18n.t(key, nil, lang) or name
end

-- explain_lcc(lines, o) -> results, lines: lcc(lines, o), shown: the lines with their
-- present values as a table, then for each option its present value of costs, equivalent
-- annual cost, cost per user and year, NPV and discounted payback, and which option costs
-- least and which creates the most value. o.lang: en or zh (default: the current one).
function M.explain_lcc(lines, o)
   check_lcc(o)
   local lang = o.lang and i18n.normalize(o.lang) or i18n.lang()
   local function T(k, v) return i18n.t(k, v, lang) end
   local res, lt = M.lcc(lines, { users = o.users, discount = o.discount, years = o.years })
   print(T("crmcost.lcc.title", { years = i18n.span(o.years, "year", lang),
      discount = format_kind(o.discount, "rate") }))
   local yrs, kinds, amounts = {}, {}, {}
   local users_of = {}
   for _, r in res:rows() do users_of[r.option] = r.users end
   for i, r in lt:rows() do
      yrs[i] = r.from == r.to and tostring(r.from) or (r.from .. "-" .. r.to)
      kinds[i] = T("crmcost.kind." .. r.kind)
      amounts[i] = money(r.amount) .. (r.per_user == 1 and
         T("crmcost.per_user", { users = count(users_of[r.option]) }) or "")
   end
   local opts_, phases = {}, {}
   for i, r in lt:rows() do
      opts_[i], phases[i] = word("option", r.option, lang), word("phase", r.phase, lang)
   end
   local shown = base.table { { "option", opts_ }, { "phase", phases }, { "kind", kinds },
      { "years", yrs },
      { "amount", amounts }, { "pv", lt:col("pv"):totable(), "float" } }:kind("pv", "money")
   base.show(shown, { { "option", T("crmcost.col.option") }, { "phase", T("crmcost.col.phase") },
      { "kind", T("crmcost.col.kind") }, { "years", T("crmcost.col.years") },
      { "amount", T("crmcost.col.amount") }, { "pv", T("crmcost.col.pv") } })
   local cheapest, best
   for i, r in res:rows() do
      print(((word("option", r.option, lang) .. i18n.t("i18n.colon", nil, lang)):gsub("%s+$",
         "")))
      print(T("crmcost.lcc.cost_pv", { terms = terms(lt, r.option), value = money(r.cost_pv) }))
      print(T("crmcost.lcc.nominal", { value = money(r.cost_nominal) }))
      if i == 1 then
         print(T("crmcost.lcc.annuity", { discount = fmt(o.discount), years = o.years,
            value = string.format("%.4f", r.annuity) }))
      end
      print(T("crmcost.lcc.eac", { pv = money(r.cost_pv),
         annuity = string.format("%.4f", r.annuity), value = money(r.eac) }))
      print(T("crmcost.lcc.per_user", { eac = money(r.eac), users = count(r.users),
         value = money(r.eac_per_user) }))
      if r.benefit_pv > 0 then
         print(T("crmcost.lcc.npv", { benefit = money(r.benefit_pv), cost = money(r.cost_pv),
            value = money(r.npv) }))
         if r.payback then
            print(T("crmcost.lcc.payback", { value = i18n.span(fmt(r.payback), "year", lang) }))
         else
            print(T("crmcost.lcc.no_payback", { years = i18n.span(o.years, "year", lang) }))
         end
         if not best or r.npv > best.npv then best = r end
      end
      if not cheapest or r.eac < cheapest.eac then cheapest = r end
   end
   print(T("crmcost.lcc.cheapest", { option = word("option", cheapest.option, lang),
      eac = money(cheapest.eac),
      per_user = money(cheapest.eac_per_user) }))
   if best then
      print(T("crmcost.lcc.best", { option = word("option", best.option, lang),
         npv = money(best.npv) }))
   end
   return res, lt
end

local check_bands = opts.declare("cv.satisfaction.bands", {
   spec("margin", "number", true), spec("discount", "number", true),
   { "period", { "day", "week", "month", "year" }, required = true,
     en = i18n.t("crmcost.opt.period", nil, "en"), zh = i18n.t("crmcost.opt.period", nil, "zh") },
   LANG })

-- bands(t, o) -> Table, totals: satisfaction to value. t (a table or CSV path) has one row
-- per satisfaction band with columns band, customers and retention (the retention the
-- user states for customers of that band, per o.period); each band's CLV is
-- clv.retention{margin = o.margin, retention, discount = o.discount, period = o.period},
-- its value customers × CLV. totals = {customers, value, retention (customer-weighted)}.
function M.bands(t, o)
   check_bands(o)
   t = load(t)
   local r = formula.fn("clv.retention")(t, { margin = o.margin, retention = "retention",
      discount = o.discount, period = o.period }, "clv")
   local c, v = r:col("customers"):totable(), r:col("clv"):totable()
   local value, n, ret = {}, 0, 0
   local rr = r:col("retention"):totable()
   local total = 0
   for i = 1, c.n do
      value[i] = c[i] * v[i]
      total, n, ret = total + value[i], n + c[i], ret + c[i] * rr[i]
   end
   r = r:add("value", value, "float"):kind { clv = "money", value = "money", retention = "share" }
   return r, { customers = n, value = total, retention = n > 0 and ret / n or 0 }
end

-- explain_bands(t, o) -> Table, totals: bands(t, o) shown: the bands with their CLV and
-- value, the customer base's value, and what moving one customer up each band adds.
function M.explain_bands(t, o)
   check_bands(o)
   local lang = o.lang and i18n.normalize(o.lang) or i18n.lang()
   local function T(k, v) return i18n.t(k, v, lang) end
   local r, tot = M.bands(t, { margin = o.margin, discount = o.discount, period = o.period })
   print(T("crmcost.bands.title", { margin = money(o.margin), period = o.period,
      discount = format_kind(o.discount, "rate") }))
   base.show(r, { { "band", T("crmcost.col.band") }, { "customers", T("crmcost.col.customers") },
      { "retention", T("crmcost.col.retention") }, { "clv", T("crmcost.col.clv") },
      { "value", T("crmcost.col.value") } })
   print(T("crmcost.bands.total", { value = money(tot.value),
      retention = format_kind(tot.retention, "share") }))
   local b, clv = r:col("band"):totable(), r:col("clv"):totable()
   for i = 1, b.n - 1 do
      print(T("crmcost.bands.move", { from = b[i], to = b[i + 1],
         gain = money(clv[i + 1] - clv[i]) }))
   end
   return r, tot
end

-- install(cv): cv.crm.lcc, cv.crm.explain_lcc, cv.satisfaction.bands and
-- cv.satisfaction.explain_bands, beside the formulas of those groups.
function M.install(cv)
   cv.crm = cv.crm or {}
   cv.satisfaction = cv.satisfaction or {}
   cv.crm.lcc, cv.crm.explain_lcc = M.lcc, M.explain_lcc
   cv.satisfaction.bands, cv.satisfaction.explain_bands = M.bands, M.explain_bands
   return cv
end

return M
