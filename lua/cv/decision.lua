-- cv.decision: relevant costs and decisions, on top of the C core (cv.core.decision):
--   cv.decision.classify(items [, opts]) -> Classification: each cost item relevant or not
--      to the decision, with the course's term and the reason, from its properties
--   cv.decision.compare{options =, revenues =, costs =} -> Comparison: the differential
--      analysis of two or more options (profit per option, differences, decision, margin)
--   cv.decision.keep_or_drop{revenue =, variable_costs =, avoidable_fixed =} (a formula)
-- Each result has :text([opts]) and :explain([opts]) (a table of items with the verdict and
-- reason, in English or Chinese) and :table() (a cv.Table). Concepts: docs/formulas.md.
local core = require "cv.core.decision"
local engine = require "cv.core.engine"
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local opts = require "cv.opts"

local M = {}

local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)
-- the amounts of a decision are money, shown as the tables show money: 28,800.00
local format_kind = require("cv.core.table").format_kind
local function fmt(v) return format_kind(v, "money") end

-- The property names an item may carry (true), in the order the help lists them.
M.PROPERTIES = { "differs", "opportunity", "out_of_pocket", "replacement", "marginal",
   "avoidable", "deferrable", "specific", "sunk", "common", "joint", "unavoidable",
   "nondeferrable", "same" }

-- The language of o.lang, else the current one.
local function lang_of(o)
   if o and o.lang then
      local l = i18n.normalize(o.lang)
      if not l then errors.fail("i18n.unknown_lang", { lang = tostring(o.lang) }) end
      return l
   end
   return i18n.lang()
end

-- The width of s on a terminal: CJK and full-width characters take two columns.
local function width(s)
   local w = 0
   for _, c in utf8.codes(s) do
      w = w + ((c >= 0x1100 and c <= 0x115F or c >= 0x2E80 and c <= 0xA4CF
         or c >= 0xAC00 and c <= 0xD7A3 or c >= 0xF900 and c <= 0xFAFF
         or c >= 0xFE30 and c <= 0xFE4F or c >= 0xFF00 and c <= 0xFF60
         or c >= 0xFFE0 and c <= 0xFFE6) and 2 or 1)
   end
   return w
end

-- rows (arrays of strings) as aligned text, each line indented by two spaces; right[j]
-- right-aligns column j.
local function layout(rows, right)
   local w = {}
   for _, r in ipairs(rows) do
      for j, s in ipairs(r) do w[j] = math.max(w[j] or 0, width(s)) end
   end
   local out = {}
   for i, r in ipairs(rows) do
      local cells = {}
      for j, s in ipairs(r) do
         local pad = string.rep(" ", w[j] - width(s))
         cells[j] = right[j] and pad .. s or (j < #r and s .. pad or s)
      end
      out[i] = "  " .. table.concat(cells, "  ")
   end
   return out
end

-- ---- Classification -------------------------------------------------------------------------

local check_classify = opts.declare("cv.decision.classify", {
   { "decision", "string", en = "the decision, in words (shown above the table)",
     zh = "决策内容（显示在表格上方）" },
   { "options", "table", en = "the options' names, in the order of each item's amounts",
     zh = "各方案名称，与成本项目 amounts 的顺序一致" },
   { "lang", "string", en = "the language of the text: en or zh (default: the current one)",
     zh = "文本语言：en 或 zh（默认：当前语言）" },
})

local Classification = {}
Classification.__index = Classification

-- The flags, amount and name of item i: {"name", amount, avoidable = true, ...} or
-- {name =, amount =, amounts = {...}, ...}; amounts per option decide `differs` (and give
-- the amount at stake, highest minus lowest) unless differs is given.
local function read_item(i, it, nopt)
   if type(it) ~= "table" then
      errors.fail("decision.item_not_table", { i = i, got = type(it) })
   end
   local name = it.name or it[1]
   local amount = it.amount or it[2]
   local props = 0
   for k, v in pairs(it) do
      if type(k) == "string" and k ~= "name" and k ~= "amount" and k ~= "amounts" then
         if not core.PROPS[k] then
            errors.fail("decision.unknown_property", { item = tostring(name), name = k,
               hint = errors.hint(k, M.PROPERTIES) })
         end
         if v == true then props = props | core.PROPS[k] end
      end
   end
   if it.amounts ~= nil then
      local a = it.amounts
      if type(a) ~= "table" or #a < 2 or (nopt and #a ~= nopt) then
         errors.fail("decision.bad_amounts", { item = tostring(name), n = nopt or 2 })
      end
      local lo, hi = math.huge, -math.huge
      for _, v in ipairs(a) do
         lo, hi = math.min(lo, v), math.max(hi, v)
      end
      -- equal amounts: the same under every option (so an item also marked relevant, such
      -- as avoidable, is an error asking to split it)
      if it.differs == nil then
         props = props | (hi > lo and core.PROPS.differs or core.PROPS.same)
      end
      amount = amount or (hi > lo and hi - lo or hi)
   end
   if it.differs == false then props = props | core.PROPS.same end
   if type(name) ~= "string" then
      errors.fail("decision.item_no_name", { i = i })
   end
   if type(amount) ~= "number" then
      errors.fail("decision.item_no_amount", { item = name })
   end
   return name, amount, props, it.amounts
end

-- classify(items [, opts]) -> Classification {decision, options, items = {{name, amount,
-- relevant, term, terms}...}, relevant, irrelevant, nrelevant, nirrelevant}.
-- Raises naming the item for a property it cannot have with another, none at all, an
-- unknown property (with a suggestion) or a missing name or amount.
function M.classify(items, o)
   check_classify(o)
   o = o or {}
   errors.check_type("cv.decision.classify", 1, items, "table")
   local nopt = o.options and #o.options or nil
   local names, amounts, props, per = {}, {}, {}, {}
   local all = nopt ~= nil
   for i, it in ipairs(items) do
      names[i], amounts[i], props[i], per[i] = read_item(i, it, nopt)
      all = all and per[i] ~= nil
   end
   local verdicts, totals = core.classify(names, amounts, props)
   local r = setmetatable({ decision = o.decision, options = o.options, items = {},
      lang = o.lang }, Classification)
   for i, v in ipairs(verdicts) do
      r.items[i] = { name = names[i], amount = amounts[i], relevant = v.relevant,
         term = v.term, terms = v.terms, amounts = per[i] }
   end
   -- with every item's amounts per option: the relevant costs of each option
   if all and #items > 0 then
      r.by_option = {}
      for k = 1, nopt do
         local s = 0
         for i = 1, #names do
            if verdicts[i].relevant then s = s + per[i][k] end
         end
         r.by_option[k] = s
      end
   end
   for k, v in pairs(totals) do r[k] = v end
   return r
end

-- c:table() -> cv.Table: item, amount, relevant (boolean), term, reason (in the current
-- language; terms by their names: "avoidable", "sunk").
function Classification:table()
   local cols = { {}, {}, {}, {}, {} }
   for i, it in ipairs(self.items) do
      cols[1][i], cols[2][i], cols[3][i] = it.name, it.amount, it.relevant
      cols[4][i], cols[5][i] = it.term, i18n.t("decision.reason." .. it.term)
   end
   return base.table { { "item", cols[1] }, { "amount", cols[2] }, { "relevant", cols[3] },
      { "term", cols[4] }, { "reason", cols[5] } }:kind("amount", "money")
end

-- c:text([opts]) -> the explanation: the decision, a table of the items with their verdict,
-- term and reason, and the relevant and irrelevant totals. opts.lang: en or zh.
function Classification:text(o)
   local lang = lang_of(o or { lang = self.lang })
   local T = function(k, v) return i18n.t(k, v, lang) end
   local out = { T("decision.classify.title", { decision = self.decision
      or T("decision.classify.untitled") }) }
   -- the amount column, or one column per option when every item has its amounts
   local per = self.by_option ~= nil
   local head = { T("decision.col.item") }
   local right = { false }
   for _, name in ipairs(per and self.options or { T("decision.col.amount") }) do
      head[#head + 1], right[#head + 1] = name, true
   end
   for _, k in ipairs { "verdict", "term", "reason" } do head[#head + 1] = T("decision.col." .. k) end
   local rows = { head }
   for _, it in ipairs(self.items) do
      local r = { it.name }
      for _, v in ipairs(per and it.amounts or { it.amount }) do r[#r + 1] = fmt(v) end
      r[#r + 1] = T(it.relevant and "decision.relevant" or "decision.irrelevant")
      r[#r + 1] = T("decision.term." .. it.term)
      r[#r + 1] = T("decision.reason." .. it.term)
      rows[#rows + 1] = r
   end
   for _, line in ipairs(layout(rows, right)) do out[#out + 1] = line end
   if per then
      local each = {}
      for k, name in ipairs(self.options) do
         each[k] = T("decision.classify.option_total", { option = name,
            amount = fmt(self.by_option[k]) })
      end
      out[#out + 1] = "  " .. T("decision.classify.by_option", { nrelevant = self.nrelevant,
         nirrelevant = self.nirrelevant, each = table.concat(each, T("decision.sep")) })
   else
      out[#out + 1] = "  " .. T("decision.classify.totals", { nrelevant = self.nrelevant,
         relevant = fmt(self.relevant), nirrelevant = self.nirrelevant,
         irrelevant = fmt(self.irrelevant) })
   end
   return table.concat(out, "\n") .. "\n"
end

function Classification:explain(o)
   engine.write(self:text(o))
   return self
end

-- ---- Differential analysis ------------------------------------------------------------------

local check_compare = opts.declare("cv.decision.compare", {
   { "options", "table", required = true,
     en = "the options' names, at least two: {\"keep\", \"drop\"}",
     zh = "方案名称，至少两个：{\"keep\", \"drop\"}" },
   { "revenues", "table", en = "relevant revenues: {{\"name\", amount per option...}, ...}",
     zh = "相关收入：{{\"名称\", 各方案金额...}, ...}" },
   { "costs", "table", en = "relevant costs: {{\"name\", amount per option...}, ...}",
     zh = "相关成本：{{\"名称\", 各方案金额...}, ...}" },
   { "tolerance", "number", default = "0",
     en = "options whose profits differ by at most this much are equal (0: exactly)",
     zh = "利润相差不超过该值的方案视为相同（0：完全相等）" },
   { "decision", "string", en = "the decision, in words", zh = "决策内容" },
   { "lang", "string", en = "the language of the text: en or zh (default: the current one)",
     zh = "文本语言：en 或 zh（默认：当前语言）" },
})

local Comparison = {}
Comparison.__index = Comparison

-- compare{options =, revenues =, costs =, tolerance =, decision =} -> Comparison
-- {options, lines = {{name, revenue, amounts, diff, differs}...}, profit = {...}, best,
-- best_name, nbest, tie, equal = {names...}, second, margin}. Indexes are 1-based; option 1
-- is the base the differences are taken against.
function M.compare(o)
   check_compare(o)
   local nopt = #o.options
   local names, rev, amounts, lines = {}, {}, {}, {}
   for _, part in ipairs { { o.revenues or {}, true }, { o.costs or {}, false } } do
      for _, l in ipairs(part[1]) do
         local i = #names + 1
         names[i], rev[i] = tostring(l.name or l[1]), part[2]
         local a = l.amounts or { table.unpack(l, 2) }
         if #a ~= nopt then
            errors.fail("decision.line_amounts", { line = names[i], n = nopt, got = #a })
         end
         amounts[i] = a
      end
   end
   local r = core.compare(names, rev, amounts, nopt, o.tolerance or 0)
   local c = setmetatable({ options = o.options, decision = o.decision, lang = o.lang,
      profit = r.profit, best = r.best, nbest = r.nbest, second = r.second, margin = r.margin,
      tie = r.nbest > 1, lines = {}, equal = {} }, Comparison)
   c.best_name = o.options[r.best]
   for k = 1, nopt do
      if r.equal[k] then c.equal[#c.equal + 1] = o.options[k] end
   end
   for i = 1, #names do
      c.lines[i] = { name = names[i], revenue = rev[i], amounts = amounts[i], diff = r.diff[i],
         differs = r.differs[i] }
   end
   return c
end

-- c:table() -> cv.Table: line, kind (revenue or cost), one column per option, and per
-- other option its effect on profit against the first ("<option> − <first>").
function Comparison:table()
   local spec = { { "line", {} }, { "kind", {} } }
   for k, name in ipairs(self.options) do spec[#spec + 1] = { name, {}, k } end
   for k = 2, #self.options do
      spec[#spec + 1] = { self.options[k] .. " - " .. self.options[1], {}, -k }
   end
   for i, l in ipairs(self.lines) do
      spec[1][2][i], spec[2][2][i] = l.name, l.revenue and "revenue" or "cost"
      for j = 3, #spec do
         local k = spec[j][3]
         spec[j][2][i] = k > 0 and l.amounts[k] or l.diff[-k]
      end
   end
   local cols, kinds = {}, {}
   for j, s in ipairs(spec) do
      cols[j] = { s[1], s[2] }
      if j > 2 then kinds[s[1]] = "money" end
   end
   return base.table(cols):kind(kinds)
end

-- c:text([opts]) -> the explanation: per line the amounts under each option and the
-- differences against the first, the profit of each option, and the decision with its
-- margin (or the tie, naming the equal options).
function Comparison:text(o)
   local lang = lang_of(o or { lang = self.lang })
   local T = function(k, v) return i18n.t(k, v, lang) end
   local out = { T("decision.compare.title", { decision = self.decision
      or T("decision.compare.untitled") }) }
   local head = { "" }
   for _, name in ipairs(self.options) do head[#head + 1] = name end
   for k = 2, #self.options do
      head[#head + 1] = self.options[k] .. " − " .. self.options[1]
   end
   local rows, right = { head }, {}
   for j = 2, #head do right[j] = true end
   for _, l in ipairs(self.lines) do
      local r = { T(l.revenue and "decision.line.revenue" or "decision.line.cost",
         { name = l.name }) }
      for k = 1, #self.options do r[#r + 1] = fmt(l.amounts[k]) end
      for k = 2, #self.options do
         r[#r + 1] = l.differs and fmt(l.diff[k]) or T("decision.same")
      end
      rows[#rows + 1] = r
   end
   local p = { T("decision.line.profit") }
   for k = 1, #self.options do p[#p + 1] = fmt(self.profit[k]) end
   for k = 2, #self.options do p[#p + 1] = fmt(self.profit[k] - self.profit[1]) end
   rows[#rows + 1] = p
   for _, line in ipairs(layout(rows, right)) do out[#out + 1] = line end
   -- a Latin name takes a space on each side in Chinese text (docs/glossary.md)
   local function pad(name)
      return (lang == "zh" and name:match("^[%w]")) and " " .. name .. " " or name
   end
   local vars = { best = self.best_name, profit = fmt(self.profit[self.best]),
      margin = fmt(self.margin), equal = table.concat(self.equal, T("decision.and")),
      second = self.second and pad(self.options[self.second]) or "" }
   local key = not self.tie and "decision.compare.best"
      or (self.second and "decision.compare.tie" or "decision.compare.all_equal")
   out[#out + 1] = "  " .. T(key, vars)
   return table.concat(out, "\n") .. "\n"
end

function Comparison:explain(o)
   engine.write(self:text(o))
   return self
end

-- install(cv): cv.decision (the formulas of the group decision, cv.decision.keep_or_drop,
-- are added to it by cv.formula).
function M.install(cv)
   cv.decision = cv.decision or {}
   cv.decision.classify = M.classify
   cv.decision.compare = M.compare
   cv.decision.PROPERTIES = M.PROPERTIES
   return cv
end

return M
