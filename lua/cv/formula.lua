-- cv.formula: the textbook formulas (src/core/formulas.c) for scripts, in two faces:
--   cv.formula.eval("clv.simple", {avg_purchase = 100, frequency = 4, lifetime = 5}) --> 2000
--   cv.clv.simple{avg_purchase = 100, frequency = 4, lifetime = 5}                   --> 2000
--   cv.clv.retention{margin = 100, retention = 0.9, discount = 0.1268250301, period = "month"}
--   --> 818.18 (discount is always the annual effective rate; period names the unit of the
--   margins and retention, and the rate per period is derived: 1% a month here)
-- and a column form over every row of a table (inputs: column names or constants):
--   cv.formula.apply(t, "clv.simple", {avg_purchase = "aov", frequency = "orders",
--                                      lifetime = 5}, "clv")                     --> Table
--   cv.clv.simple(t, {avg_purchase = "aov", frequency = "orders", lifetime = 5})  -- column "clv"
-- Names, inputs and conventions: docs/formulas.md, or `cvkit explain --list`.
local core = require "cv.core.formula"
local with_kinds = require("cv.core.table").with_kinds
local i18n = require "cv.i18n"
local opts = require "cv.opts"

local M = {}

M.list = core.list                   -- {{name, inputs = {...}, steps = {...}}, ...}
M.info = core.info                   -- info(name) -> descriptor or nil
M.eval = core.eval                   -- eval(name, inputs) -> number
M.steps = core.explain               -- steps(name, inputs) -> {{key, expr, numeric, value}...}
M.format_number = core.format_number -- "2,000", "266.67", "0.085"

-- format_value(x [, kind [, unit [, lang]]]) -> text: x by kind as explain shows it
-- ((2000, "money") -> "2,000.00"); with a time unit, a count of periods with its unit
-- ((52, "count", "week") -> "52 weeks", "52 周" in Chinese; i18n.span). No unit: the
-- number alone, as for a count whose unit is not known.
function M.format_value(x, kind, unit, lang)
   local text = core.format_value(x, kind)
   if unit == nil then return text end
   return i18n.span(text, unit, lang)
end

-- kind(name) -> the kind of a formula's result as the catalogue declares it
-- (include/cvkit/kind.h): "money" for CLV, costs and profits, "share" for a relative change
-- ("retention.effect"), "number" for a score ("satisfaction.nps"); nil for an unknown formula.
function M.kind(name)
   local info = core.info(name)
   if not info then return nil end
   return info.steps[#info.steps].kind
end

-- The column form's result with the kind of its output column.
local function kinded(t, name, out)
   return with_kinds(t, { [out] = M.kind(name) })
end

-- apply(t, name, mapping [, out]): a new table with column out holding the formula per
-- row (default out: the formula's label, "clv" for "clv.simple", "cac" for "cost.cac").
function M.apply(t, name, mapping, out)
   if out == nil then
      local info = core.info(name)
      out = info and info.steps[#info.steps].key or name
   end
   return kinded(core.apply(t, name, mapping, out), name, out)
end

-- declare(f) -> the options check of cv.<f.name>: the formula's inputs as the C catalogue
-- lists them (a number, or a column name in the column form; a list input is a table; a
-- period is one of the unit names the core gives as its choices), required unless
-- optional, with their meaning from the explain texts.
local function declare(f)
   local inputs = {}
   for i, input in ipairs(f.inputs) do
      local what = {}
      for _, lang in ipairs { "en", "zh" } do
         what[lang] = i18n.t("input." .. input.name, nil, lang) .. i18n.t("i18n.colon", nil, lang)
            .. i18n.t(input.list and "domain.list" or ("domain." .. input.domain), nil, lang)
      end
      inputs[i] = { input.name, input.choices or (input.list and "table" or "number|column"),
         required = not input.optional or nil,
         default = input.optional and core.format_number(input.default) or nil,
         en = what.en, zh = what.zh }
   end
   return opts.declare("cv." .. f.name, inputs)
end

-- The function behind cv.<group>.<name>: a scalar call with an inputs table, or the
-- column form when the first argument is a table of data (cv.Table); the inputs are
-- checked against the declaration first.
local function face(name, default_out, check)
   return function(a, mapping, out)
      check(type(a) == "userdata" and mapping or a)
      if type(a) == "userdata" then
         return kinded(core.apply(a, name, mapping, out or default_out), name,
            out or default_out)
      end
      return core.eval(name, a)
   end
end

-- fn(name) -> the function cv.<name> ("clv.retention": cv.clv.retention), made and its
-- options declared once, for install and for the modules that call a formula (cv.crmcost).
local faces = {}
function M.fn(name)
   if not faces[name] then
      local f = core.info(name)
      faces[name] = face(name, f.steps[#f.steps].key, declare(f))
   end
   return faces[name]
end

-- install(cv): adds cv.formula and one function per formula in its group table
-- (cv.clv.simple, cv.cost.cac, cv.profit.customer, ...; the column form's default output
-- column is the formula's label: "clv", "cac", "customer_profit"), merging into group
-- tables that other modules may already have made.
function M.install(cv)
   cv.formula = M
   for _, f in ipairs(core.list()) do
      local group, short = f.name:match("^([^.]+)%.(.+)$")
      if cv[group] == nil then
         cv[group] = {}
      end
      cv[group][short] = M.fn(f.name)
   end
   return cv
end

return M
