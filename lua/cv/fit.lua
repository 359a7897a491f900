-- cv.fit: the customer-base models for scripts. cv.fit(name, summary, opts) returns a
-- model object (params, loglik, se, aic, bic, converged, message; the fit's report: status,
-- boundary, se_ok, identical, tried, grad_norm; M.warnings) whose methods predict for a
-- whole summary table (the table with a column added) or for one customer given as a
-- record {x =, t_x =, T =} (a number): m:p_alive(who), m:conditional(who, horizon), ...;
-- a new customer's own methods (m:expected_new, m:pmf_new); m:clv, m:validate,
-- m:tracking; cv.compare, cv.simulate, cv.simulate_transactions, cv.timevalue. The fields
-- and methods are listed in docs/models.md. The model scripts' shared steps are in
-- cv.model_script, the `cvkit gen` command in cv.gen.
-- The work is in C (src/core/model_*.c through cv.core.models); docs/models.md.
local core = require "cv.core.models"
local date = require "cv.core.date"
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local opts = require "cv.opts"
local intervals = require "cv.intervals"
local covariates = require "cv.covariates"
local dyncov = require "cv.dyncov"
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)

local M = {}

-- ---- The Model: its fields and its methods, declared once ----------------------------------
-- A Model is a plain table of the fields below behind a metatable whose __index gives the
-- methods (the table Model) and nothing else: reading a name that is neither a method nor a
-- declared field is an error with "did you mean" (m:expected(...), m.paramz), so a typo
-- never reads nil. No field is named as a method (a test walks both lists).
local Model = {}
M.methods = Model -- for the modules that add a method: cv.diagnostics (m:diagnostics)

-- The fields a Model may carry: cv.fit's (from cv.core.models.fit, then name, unit, cols,
-- summary) and cv.model's (a subset). nil when a model has no value for one (m.loglik of a
-- model given by cv.model, m.correlation of a BG/NBD).
local FIELDS = { "model", "name", "title", "unit", "names", "values", "params", "se", "cov_log",
   "loglik", "aic", "bic", "n_obs", "n_rows", "converged", "status", "boundary", "se_ok",
   "identical", "grad_norm", "tried", "message", "method", "iterations", "evaluations",
   "correlation", "cols", "summary", "covariates", "loglik0", "eigen", "weak", "penalty",
   "objective", "dynamic" }
local is_field = {}
for _, k in ipairs(FIELDS) do is_field[k] = true end

-- Names of the old interface (issue 14) and what replaced them, for the "did you mean" of
-- the error (no alias: reading them is still an error).
local REPLACED = { expected = "conditional", loglik_of = "loglik_on" }

-- no_member(name): raises "cv.Model has no field or method 'expected' (did you mean
-- 'expected_new' or 'conditional'?)".
local function no_member(name)
   local names = {}
   for k in next, Model do names[#names + 1] = k end
   table.sort(names)
   for _, k in ipairs(FIELDS) do names[#names + 1] = k end
   local near = opts.suggest(name, names)
   local other = type(name) == "string" and REPLACED[name] or nil
   local hint
   if near and other and near ~= other then
      hint = i18n.t("models.did_you_mean2", { a = near, b = other })
   elseif near or other then
      hint = i18n.t("opts.did_you_mean", { name = near or other })
   else
      hint = i18n.t("opts.one_of", { names = table.concat(names, ", ") })
   end
   errors.fail("models.no_member", { name = tostring(name), hint = hint })
end

local model_mt = {
   __metatable = "cv.Model", -- what getmetatable gives: the methods stay out of reach
   __name = "cv.Model",      -- the type name the options layer checks ("Model")
   -- the methods first: Model is this function's first upvalue (cv.repl's completion)
   __index = function(_, k)
      local f = Model[k]
      if f ~= nil then return f end
      if is_field[k] then return nil end
      no_member(k)
   end,
}

-- The model objects made here (weak keys): is_model cannot be fooled by a look-alike.
local made = setmetatable({}, { __mode = "k" })
local function new_model(t)
   for k in next, t do
      assert(is_field[k], "cv.fit: undeclared Model field " .. tostring(k))
   end
   made[t] = true
   return setmetatable(t, model_mt)
end
local function is_model(v)
   return made[v] == true
end

local UNITS = { "day", "week", "month", "year" }

-- The column options of a model (cv.fit, and the predictions that read a summary).
local function col_options(...)
   local all = {
      x = { "x", "string", en = "column of repeat purchases (default x)",
            zh = "重复购买次数列（默认 x）" },
      t_x = { "t_x", "string", en = "column of the time of the last purchase (default t_x)",
              zh = "最后一次购买时间列（默认 t_x）" },
      T = { "T", "string", en = "column of the time observed (default T)",
            zh = "观察期长度列（默认 T）" },
      m = { "m", "string", en = "column of mean repeat spend (default mean_repeat_spend)",
            zh = "平均重复消费额列（默认 mean_repeat_spend）" },
      weight = { "weight", "string", en = "column of customer counts (a row stands for that many)",
                 zh = "客户数列（每行代表相应数量的客户）" },
   }
   local out = {}
   for i = 1, select("#", ...) do out[i] = all[select(i, ...)] end
   return out
end

-- Spend correlations above this (in absolute value) are reported by cv.fit("gammagamma").
M.correlation_warning = 0.3

local function is_table(v)
   return type(v) == "userdata" and tostring(v):match("^cv%.Table") ~= nil
end

local function cols_of(m, opts)
   local c = {}
   for _, k in ipairs { "x", "t_x", "T", "m", "weight" } do
      c[k] = (opts and opts[k]) or m.cols[k]
   end
   return c
end

-- find_model(fn, name) -> info: the model called name (a name or an alias, any case);
-- raises "fn: unknown model 'bgnbdd' (did you mean 'bgnbd'?)" (else the names and aliases).
local function find_model(fn, name)
   local names, shown, by = {}, {}, {}
   for _, info in ipairs(core.list()) do
      names[#names + 1] = info.name
      by[info.name:lower()] = info
      for _, a in ipairs(info.aliases) do
         names[#names + 1] = a
         by[a:lower()] = info
      end
      shown[#shown + 1] = #info.aliases == 0 and info.name
         or (info.name .. " = " .. table.concat(info.aliases, " = "))
   end
   local info = type(name) == "string" and by[name:lower()]
   if not info then
      errors.unknown(fn, "model", name, names, table.concat(shown, ", "))
   end
   return info
end

-- warning_items(m) -> {{key, vars}, ...}: what a fit that is not an interior maximum says,
-- as catalogue messages: the parameters at the boundary, or the optimizer's
-- non-convergence with every phase it tried (method, iterations, why it stopped) and the
-- final gradient. {} for a converged fit.
local function warning_items(m)
   if m.converged ~= false then return {} end
   local items = {}
   if m.status == "boundary" then
      if m.boundary and #m.boundary > 0 then
         items[1] = { "models.warn.boundary", { model = m.name,
            params = table.concat(m.boundary, ", ") } }
      else
         items[1] = { "models.warn.flat", { model = m.name } }
      end
      if m.identical then
         items[#items + 1] = { "models.warn.identical" }
      end
   else
      items[1] = { "models.warn.not_converged", { model = m.name, message = m.message } }
   end
   if m.tried and #m.tried > 0 and (m.status ~= "boundary" or #m.tried > 1) then
      local parts = {}
      for _, ph in ipairs(m.tried) do
         parts[#parts + 1] = i18n.t("models.warn.phase", { method = ph.method,
            iterations = ph.iterations, why = ph.stopped })
      end
      items[#items + 1] = { "models.warn.tried", { phases = table.concat(parts, ", "),
         grad = m.grad_norm and string.format("%.3g", m.grad_norm) or "-" } }
   end
   return items
end

-- warnings(m) -> lines: the warning_items of m in the current language.
function M.warnings(m)
   local lines = {}
   for i, w in ipairs(warning_items(m)) do lines[i] = i18n.t(w[1], w[2]) end
   return lines
end

-- warn(m): the warning_items of m said as warnings (a quiet fit's, when its caller speaks).
local function warn(m)
   for _, w in ipairs(warning_items(m)) do
      errors.warn(w[1], w[2])
   end
end
M.warn = warn

-- Models whose parameters have no time unit (spend per purchase).
local TIMELESS = { gamma_gamma = true }

-- convert(t, from, to) -> t units of `from` in units of `to`, by the core's mean unit
-- lengths (cv_unit_days: 1, 7, 365.2425/12, 365.2425 days; include/cvkit/timevalue.h).
local function convert(t, from, to)
   if from == to or t == math.huge then return t end
   return core.rate("unit_days", t, from) / core.rate("unit_days", 1, to)
end
M.convert = convert

-- data_unit(fn, name, data, stated) -> unit: the time unit of the data a model is fitted
-- on: the summary's (t:meta(), kept by the table operations), the stated one when the
-- table does not know it (a summary read back from CSV, a hand-built table), "year" for
-- sBG survivor counts unless stated, nil for a model without time (Gamma-Gamma). A table
-- that knows no unit, with none stated, is an error; so is a stated unit that contradicts
-- the summary's.
function M.data_unit(fn, name, data, stated)
   if TIMELESS[name] then return nil end
   local meta = is_table(data) and data:meta() or nil
   if meta then
      if stated and stated ~= meta.unit then
         errors.fail("models.unit_conflict", { fn = fn, unit = stated, data = meta.unit })
      end
      return meta.unit
   end
   if stated then return stated end
   if not is_table(data) then return "year" end -- sBG survivor counts: periods of a year
   errors.fail("models.unit_unknown", { fn = fn })
end

-- cv.fit(name, data, opts) -> model.
--   data: a summary table (cv.summary), a table of transactions or a CSV path with
--   opts.customer/date/amount (summarized first with opts: unit, calibration_end, ...),
--   or, for "sbg", the survivor counts {1000, 631, ...}.
--   opts: x, t_x, T, m, weight (column names), start = {...}, unit (the time unit of the
--   data: the summary's; required for a table without one, see M.data_unit), quiet.
--   cv.fit's options are declared in M.install (they take cv.summary_csv's).
function M.fit(name, data, o)
   local pick = opts.pick
   local opts = o or {}
   local summary_report
   name = find_model("cv.fit", name).name
   if opts.customer and type(data) == "string" then
      data, summary_report = base.summary_csv(data, pick(opts, "cv.summary_csv"))
   elseif opts.customer and is_table(data) then
      data, summary_report = base.summary(data, pick(opts, "cv.summary"))
   end
   local unit = M.data_unit("cv.fit", name, data, opts.unit)
   local design
   if opts.dynamic == nil then
      design = covariates.design("cv.fit", name, data, opts)
   else
      design = dyncov.design("cv.fit", name, opts)
   end
   local pen = covariates.penalty("cv.fit", opts, design, name) -- nil: maximum likelihood
   local r
   if opts.dynamic ~= nil then -- time-varying covariates (lua/cv/dyncov.lua)
      r = dyncov.fit(name, data, opts, design, unit, pen)
   elseif design then -- with covariates (lua/cv/covariates.lua)
      r = covariates.fit(name, data, opts, design, pen)
   else
      r = core.fit(name, data, { x = opts.x, t_x = opts.t_x, T = opts.T, m = opts.m,
         weight = opts.weight, start = opts.start, penalizer = pen and pen.params,
         penalizer_scale = pen and pen.scale })
   end
   r.penalty = pen
   local m = new_model(r)
   m.name = r.model
   m.unit = unit
   m.cols = { x = opts.x, t_x = opts.t_x, T = opts.T, m = opts.m, weight = opts.weight }
   if is_table(data) then
      m.summary = data
   end
   if not opts.quiet then
      warn(m)
      if m.correlation and math.abs(m.correlation) >= M.correlation_warning then
         errors.warn("models.spend_correlated", { r = string.format("%.2f", m.correlation) })
      end
   end
   return m
end

-- model_of(fn, v) -> name, values: a model object, or {model = "bgnbd", r = ..., ...}.
local function model_of(fn, v, params)
   if type(v) == "string" then
      v = setmetatable({ model = v, params = params }, {})
   end
   if is_model(v) then
      if v.covariates then errors.fail("models.cov_unsupported", { fn = fn }) end
      return v.name, v.values
   end
   if type(v) ~= "table" or type(v.model) ~= "string" then
      errors.fail("models.not_a_model", { fn = fn })
   end
   local info = find_model(fn, v.model)
   local vals, src = {}, v.params or v
   for i, pn in ipairs(info.params) do
      vals[i] = src[pn]
      if type(vals[i]) ~= "number" then
         errors.fail("models.param_missing", { fn = fn, param = pn, model = info.name })
      end
   end
   return info.name, vals
end

-- cv.model(name, params [, {unit =}]) -> model: a model object from known parameters (no
-- fit), e.g. cv.model("bgnbd", {r = 0.243, alpha = 4.414, a = 0.793, b = 2.426}).
local check_model = opts.declare("cv.model", {
   { "unit", UNITS, en = "the time unit of the parameters (required, except for gammagamma)",
     zh = "参数的时间单位（必填，gammagamma 除外）" },
})
function M.model(name, params, o)
   local opts = check_model(o)
   local nm, vals = model_of("cv.model", name, params)
   local info = core.info(nm)
   local named = {}
   for i, pn in ipairs(info.params) do named[pn] = vals[i] end
   if not opts.unit and not TIMELESS[info.name] then
      errors.fail("models.unit_required", { fn = "cv.model", model = info.name })
   end
   return new_model({ model = info.name, name = info.name, title = info.title,
      names = info.params, values = vals, params = named, se = {},
      unit = opts.unit,
      cols = {}, converged = true, message = "given" })
end

model_mt.__tostring = function(self)
   local parts = {}
   for i, pn in ipairs(self.names) do
      parts[#parts + 1] = string.format("%s = %.4g", pn, self.values[i])
   end
   local ll = self.loglik -- a model given by cv.model has none
   local per = self.unit and i18n.t("models.per_unit." .. self.unit) or ""
   local s = string.format("%s%s: %s%s", self.title, per, table.concat(parts, ", "),
      ll and string.format("; LL %.2f", ll) or "")
   if self.covariates then
      if not covariates.penalized(self) then -- a penalized fit does not maximize the LL
         local t = covariates.lr_test("tostring", self)
         s = s .. "\n" .. i18n.t("models.say.lr", { stat = string.format("%.2f", t.statistic),
            df = t.df, p = string.format("%.3g", t.p_value) })
      end
      if #self.weak > 0 then
         s = s .. "\n" .. i18n.t("models.say.weak", { names = table.concat(self.weak, ", ") })
      end
   end
   for _, line in ipairs(covariates.penalty_lines(self)) do s = s .. "\n" .. line end
   local w = M.warnings(self)
   if #w > 0 then
      s = s .. "\n" .. table.concat(w, "\n")
   end
   return s
end

-- no_covariates(m, fn): raises for the methods that need one parameter vector for all
-- customers when m has covariates.
local function no_covariates(m, fn)
   if m.covariates then errors.fail("models.cov_unsupported", { fn = fn }) end
end

-- m:delta(discount) -> the continuous discount rate per unit of the model from an annual
-- effective rate.
function Model:delta(annual)
   if not self.unit then errors.fail("models.no_unit", { fn = "Model:delta" }) end
   return core.rate("continuous", annual, self.unit)
end

-- ---- Who: a table of customers or one customer ---------------------------------------------

-- bad_arg(fn, n, v, what): raises "fn: argument #n must be WHAT, got ..." (what: a type
-- of the catalogue, opts.type.<what>).
local function bad_arg(fn, n, v, what)
   errors.fail("errors.bad_argument", { fn = fn, n = n, expected = i18n.t("opts.type." .. what),
      got = opts.shown(v) })
end

-- The fields of one customer's record each prediction reads.
local XTT = { "x", "t_x", "T" }
local NEED = { p_alive = XTT, conditional = XTT, dert = XTT, clv = XTT, spend = { "x", "m" },
   derl = { "x" }, pmf_conditional = XTT, p_active = XTT }

-- record_of(fn, r, need) -> r after checking that each field of need is a number in the
-- record r; raises "Model:p_alive: the customer record has no number 't_x' (did you mean
-- 'tx'?)".
local function record_of(fn, r, need)
   for _, k in ipairs(need) do
      if type(r[k]) ~= "number" then
         local keys, needed = {}, {} -- the hint: among the record's other names
         for _, n in ipairs(need) do needed[n] = true end
         for key in next, r do
            if type(key) == "string" and not needed[key] then keys[#keys + 1] = key end
         end
         table.sort(keys)
         local near = r[k] == nil and opts.suggest(k, keys) or nil
         errors.fail("models.record_field", { fn = fn, field = k,
            got = r[k] == nil and "nil" or opts.shown(r[k]),
            fields = "{" .. table.concat(need, " =, ") .. " =}",
            hint = near and i18n.t("opts.did_you_mean", { name = near }) or "" })
      end
   end
   return r
end

-- who_of(fn, who, need) -> "table" | "record": a cv.Table of customers (the method returns
-- it with a column added) or one customer as a plain Lua table (a record {x =, t_x =, T =},
-- or a row of t:row(i); the method returns a number). Anything else is an error naming
-- the method and what it takes.
local function who_of(fn, who, need)
   if is_table(who) then return "table" end
   if type(who) == "table" and getmetatable(who) == nil then
      record_of(fn, who, need)
      return "record"
   end
   errors.fail("models.bad_who", { fn = fn, got = opts.shown(who),
      fields = "{" .. table.concat(need, " =, ") .. " =}" })
end

-- predict(m, fn, kind, who, arg, arg2) shared by the prediction methods: on a table, the
-- table with the column kind added; on a record, the number (nil when not computable).
-- The kinds of the columns the models add (include/cvkit/kind.h): how tables show them.
local KINDS = { p_alive = "share", margin_share = "share", spend = "money", value_tx = "money",
   clv = "money", p_active = "share" }
local with_kinds = require("cv.core.table").with_kinds

-- column: the name of the column added to a table (default kind; its kind "share" when
-- given, a probability).
local function predict(m, fn, kind, who, arg, arg2, column)
   dyncov.refuse(m, fn)
   if who_of(fn, who, NEED[kind]) == "table" then
      if m.covariates then -- each customer with their own parameters
         return with_kinds(covariates.predict(m, kind, who, arg, arg2, column or kind,
            cols_of(m)), column and { [column] = "share" } or KINDS)
      end
      return with_kinds(core.predict(m.name, m.values, kind, who, arg, arg2, column or kind,
         cols_of(m)), column and { [column] = "share" } or KINDS)
   end
   local p = m.covariates and covariates.params1(m, who, record_of, fn) or m.values
   return core.predict1(m.name, p, kind, who.x, who.t_x or 0, who.T or 1, who.m or 0,
      arg, arg2)
end

-- with_interval(m, fn, who, v, o, a) -> v with its interval: for a table v (the table with
-- the prediction added), v with <kind>_lo and <kind>_hi and the totals Table (prediction,
-- estimate, lo, hi); for one customer, the number v, lo, hi. a: the models and predictions
-- (lua/cv/intervals.lua, M.run; tx defaults to m, cols to m's). Defined after one_row.
local with_interval

-- in_model_unit(m, fn, t, unit) -> t in the model's unit (t given in unit, default the
-- model's); a stated unit needs a model that knows its own.
local function in_model_unit(m, fn, t, unit)
   if unit == nil or unit == m.unit then return t end
   if not m.unit then errors.fail("models.no_unit", { fn = fn }) end
   return convert(t, unit, m.unit)
end

-- horizon_of(m, fn, t, unit, n) -> t in the model's unit; t (argument #n) is required.
local function horizon_of(m, fn, t, unit, n)
   if type(t) ~= "number" or t ~= t then
      errors.fail("models.horizon_missing", { fn = fn, n = n, got = opts.shown(t) })
   end
   return in_model_unit(m, fn, t, unit)
end

-- The option "unit" of a horizon, shared by the methods that take one.
local HORIZON_UNIT = { "unit", UNITS, en = "the unit of the horizon (default: the model's; "
   .. "converted exactly)", zh = "预测期的时间单位（默认：模型的单位；精确换算）" }
local DISCOUNT = { "discount", "number", default = 0.15, en = "annual effective discount rate",
   zh = "年实际折现率" }

-- m:p_alive(who [, {interval =, method =, draws =, seed =}]) -> P(alive) of each customer
-- (table: column p_alive) or of one (number); with interval, its interval too.
local check_p_alive = opts.declare("Model:p_alive", intervals.OPTIONS)
function Model:p_alive(who, o)
   if type(o) ~= "table" then who_of("Model:p_alive", who, NEED.p_alive) end -- m:p_alive(x, t_x, T)
   o = check_p_alive(o)
   local v
   if self.dynamic then -- lua/cv/dyncov.lua
      v = with_kinds(dyncov.p_alive(self, "Model:p_alive", who), KINDS)
   else
      v = predict(self, "Model:p_alive", "p_alive", who, 0, 0)
   end
   if not intervals.asked("Model:p_alive", o) then return v end
   return with_interval(self, "Model:p_alive", who, v, o, { kinds = { "p_alive" } })
end

-- m:conditional(who, horizon [, {unit =}]) -> E[Y(horizon) | x, t_x, T]: the purchases
-- expected in the next horizon (column conditional, or a number).
local check_conditional = opts.declare("Model:conditional",
   opts.concat({ HORIZON_UNIT }, dyncov.FUTURE, intervals.OPTIONS))
function Model:conditional(who, horizon, o)
   o = check_conditional(o)
   dyncov.static(self, "Model:conditional", o)
   local t = horizon_of(self, "Model:conditional", horizon, o.unit, 2)
   local v
   if self.dynamic then -- lua/cv/dyncov.lua
      v = dyncov.conditional(self, "Model:conditional", who, t, o)
   else
      v = predict(self, "Model:conditional", "conditional", who, t, 0)
   end
   if not intervals.asked("Model:conditional", o) then return v end
   return with_interval(self, "Model:conditional", who, v, o,
      { kinds = { "conditional" }, horizon = t })
end

-- m:expected_new(horizon [, {unit =}]) -> E[X(horizon)]: the purchases a new customer
-- makes in the first horizon (a number).
local check_expected_new = opts.declare("Model:expected_new", { HORIZON_UNIT, dyncov.PATH })
function Model:expected_new(horizon, o)
   o = check_expected_new(o)
   dyncov.static(self, "Model:expected_new", o)
   local t = horizon_of(self, "Model:expected_new", horizon, o.unit, 1)
   if self.dynamic then -- lua/cv/dyncov.lua: along the covariates of o.path
      local _, mean = dyncov.pmf_new(self, "Model:expected_new", t, 0, o)
      return mean
   end
   no_covariates(self, "Model:expected_new")
   return core.predict1(self.name, self.values, "expected", 0, 0, 1, 0, t, 0)
end

-- m:pmf_new(horizon, n [, {unit =}]) -> P(X(horizon) = n) of a new customer (BG/NBD,
-- MBG/NBD, Pareto/NBD, NBD; BG/BB: in horizon whole periods).
local check_pmf_new = opts.declare("Model:pmf_new", { HORIZON_UNIT, dyncov.PATH })
function Model:pmf_new(horizon, n, o)
   o = check_pmf_new(o)
   dyncov.static(self, "Model:pmf_new", o)
   local t = horizon_of(self, "Model:pmf_new", horizon, o.unit, 1)
   if self.dynamic then -- lua/cv/dyncov.lua: along the covariates of o.path
      if math.tointeger(n) == nil or n < 0 then bad_arg("Model:pmf_new", 2, n, "integer") end
      return (dyncov.pmf_new(self, "Model:pmf_new", t, n, o))
   end
   no_covariates(self, "Model:pmf_new")
   if self.name == "bgbb" and math.tointeger(t) == nil then
      bad_arg("Model:pmf_new", 1, t, "integer")
   end
   if math.tointeger(n) == nil or n < 0 then bad_arg("Model:pmf_new", 2, n, "integer") end
   return core.predict1(self.name, self.values, "pmf", 0, 0, 1, 0, t, n)
end

-- need_offer(m, fn, kind): raises "Model:p_active: gamma_gamma does not predict
-- 'p_active'" when the model does not offer kind, before the customer's record is read.
local function need_offer(m, fn, kind)
   for _, k in ipairs(core.info(m.name).predicts) do
      if k == kind then return end
   end
   errors.fail("models.no_pred", { fn = fn, model = m.name, kind = kind })
end

-- future_of(m, fn, who, horizon, unit) -> the horizon in the model's unit, after the
-- checks of a prediction about the future of who (argument #2): BG/BB counts whole
-- periods.
local function future_of(m, fn, kind, who, horizon, unit)
   need_offer(m, fn, kind)
   if type(who) == "number" and kind == "pmf_conditional" then
      errors.fail("models.pmf_who", { fn = fn, got = opts.shown(who) })
   end
   local t = horizon_of(m, fn, horizon, unit, 2)
   if m.name == "bgbb" and math.tointeger(t) == nil then bad_arg(fn, 2, t, "integer") end
   return t
end

-- m:pmf(who, horizon, k [, {unit =}]) -> P(Y(horizon) = k | x, t_x, T): the chance of
-- exactly k purchases in the next horizon (column pmf_<k>, or a number); BG/NBD,
-- MBG/NBD, Pareto/NBD, NBD, BG/BB (horizon in periods).
local check_pmf = opts.declare("Model:pmf", opts.concat({ HORIZON_UNIT }, dyncov.FUTURE))
function Model:pmf(who, horizon, k, o)
   o = check_pmf(o)
   dyncov.static(self, "Model:pmf", o)
   local t = future_of(self, "Model:pmf", "pmf_conditional", who, horizon, o.unit)
   if math.tointeger(k) == nil or k < 0 then bad_arg("Model:pmf", 3, k, "integer") end
   if self.dynamic then -- lua/cv/dyncov.lua: given the covariates over the horizon
      return with_kinds(dyncov.pmf(self, "Model:pmf", who, t, k, o), KINDS)
   end
   return predict(self, "Model:pmf", "pmf_conditional", who, t, k, "pmf_" .. math.tointeger(k))
end

-- m:p_active(who, horizon [, {unit =}]) -> P(Y(horizon) > 0 | x, t_x, T): the chance of at
-- least one purchase in the next horizon (BTYDplus' "P(active)"; column p_active, or a
-- number).
local check_p_active = opts.declare("Model:p_active", { HORIZON_UNIT })
function Model:p_active(who, horizon, o)
   o = check_p_active(o)
   local t = future_of(self, "Model:p_active", "p_active", who, horizon, o.unit)
   return predict(self, "Model:p_active", "p_active", who, t, 0)
end

-- m:dert(who [, {discount = 0.15}]) -> DERT at an annual effective discount rate,
-- continuously compounded per unit of the model (docs/models.md); BG/BB: the rate per
-- period (the model's unit), each period's transactions discounted by (1 + d)^-k.
local check_dert = opts.declare("Model:dert", opts.concat({ DISCOUNT }, dyncov.FUTURE,
   intervals.OPTIONS))
function Model:dert(who, o)
   o = check_dert(o)
   dyncov.static(self, "Model:dert", o)
   local d, v
   if self.dynamic then -- lua/cv/dyncov.lua
      d = self:delta(o.discount or 0.15)
      v = with_kinds(dyncov.dert(self, "Model:dert", who, d, o), KINDS)
   elseif self.name == "bgbb" then
      if not self.unit then errors.fail("models.no_unit", { fn = "Model:dert" }) end
      d = core.rate("per_period", o.discount or 0.15, self.unit)
   else
      d = self:delta(o.discount or 0.15)
   end
   v = v or predict(self, "Model:dert", "dert", who, d, 0)
   if not intervals.asked("Model:dert", o) then return v end
   return with_interval(self, "Model:dert", who, v, o, { kinds = { "dert" }, delta = d })
end

-- m:spend(who) -> Gamma-Gamma's E[M | x, mean spend]: column spend of a table (its x and
-- mean_repeat_spend), or the number for a record {x =, m =}.
local check_spend = opts.declare("Model:spend", intervals.OPTIONS)
function Model:spend(who, o)
   if type(o) ~= "table" then who_of("Model:spend", who, NEED.spend) end -- m:spend(x, t_x, T)
   o = check_spend(o)
   local v = predict(self, "Model:spend", "spend", who, 0, 0)
   if not intervals.asked("Model:spend", o) then return v end
   return with_interval(self, "Model:spend", who, v, o, { tx = false, spend = self,
      kinds = { "spend" } })
end

-- sBG: m:survival(t), m:retention(t) of the cohort (numbers; t in periods of the model's
-- unit), m:derl(who, {discount =}).
local function periods(fn, t)
   if type(t) ~= "number" or t ~= t then
      errors.fail("models.horizon_missing", { fn = fn, n = 1, got = opts.shown(t) })
   end
   return t
end
function Model:survival(t)
   return core.predict1(self.name, self.values, "survival", 0, 0, 1, 0,
      periods("Model:survival", t), 0)
end

function Model:retention(t)
   return core.predict1(self.name, self.values, "retention", 0, 0, 1, 0,
      periods("Model:retention", t), 0)
end

-- m:derl(who, {discount =}) -> DERL (Fader & Hardie 2010) of a customer who has renewed x
-- times (record {x =}; a table: its column x), the discount an annual effective rate,
-- applied per period of the model's unit.
local check_derl = opts.declare("Model:derl", {
   { "discount", "number", required = true, en = "annual effective discount rate",
     zh = "年实际折现率" },
})
function Model:derl(who, o)
   o = check_derl(o)
   if not self.unit then errors.fail("models.no_unit", { fn = "Model:derl" }) end
   local d = core.rate("per_period", o.discount, self.unit)
   if who_of("Model:derl", who, NEED.derl) == "table" then
      -- the fit's rows carry T (still active when x == T); DERL reads x alone
      local c = cols_of(self)
      return core.predict(self.name, self.values, "derl", who, d, 0, "derl",
         { x = c.x, T = c.T or c.x or "x" })
   end
   return core.predict1(self.name, self.values, "derl", who.x, 0, who.x, 0, d, 0)
end

-- m:predict(s, {horizon = 52, unit =, n =, discount =}) -> s with p_alive, conditional
-- (E[Y(horizon) | x, t_x, T]), and p_n (P(X(horizon) = n) of a new customer), dert and
-- spend when asked and offered. A model with time-varying covariates: the covariates after T
-- from dynamic, future (as m:conditional's), and p_n along path (as m:pmf_new's).
local check_predict = opts.declare("Model:predict", opts.concat({
   { "horizon", "number", default = 52,
     en = "the horizon of the predictions, in `unit`", zh = "预测期长度，以 unit 计" },
   HORIZON_UNIT,
   { "n", "integer", en = "also P(X(horizon) = n) of a new customer, as the column p_n "
     .. "(BG/NBD, MBG/NBD, Pareto/NBD, NBD, BG/BB)",
     zh = "同时给出新客户的 P(X(horizon) = n)，列名 p_n（BG/NBD、MBG/NBD、Pareto/NBD、NBD、BG/BB）" },
   { "discount", "number", en = "also DERT at this annual effective discount rate",
     zh = "同时按此年实际折现率给出 DERT" },
}, dyncov.FUTURE, { dyncov.PATH }, intervals.OPTIONS))
function Model:predict(s, o)
   o = check_predict(o)
   dyncov.static(self, "Model:predict", o)
   local want = intervals.asked("Model:predict", o)
   if not is_table(s) then bad_arg("Model:predict", 1, s, "Table") end
   local t = in_model_unit(self, "Model:predict", o.horizon or 52, o.unit)
   local offers = {}
   for _, k in ipairs(core.info(self.name).predicts) do offers[k] = true end
   offers.spend = offers.spend and not self.dynamic
   -- the covariates after T of a model with time-varying covariates (nil otherwise)
   local f = self.dynamic and { dynamic = o.dynamic, future = o.future } or nil
   if offers.p_alive then s = self:p_alive(s) end
   if offers.conditional then s = self:conditional(s, t, f) end
   if o.n and offers.pmf then -- BG/NBD, MBG/NBD, Pareto/NBD, NBD, BG/BB
      if self.dynamic then -- one new customer along o.path: the same for every row
         local p, v = self:pmf_new(t, o.n, { path = o.path }), {}
         for i = 1, s:nrows() do v[i] = p end
         s = s:add("p_" .. o.n, v, "float")
      elseif self.covariates then
         s = covariates.predict(self, "pmf", s, t, o.n, "p_" .. o.n, cols_of(self))
      else
         s = core.predict(self.name, self.values, "pmf", s, t, o.n, "p_" .. o.n, cols_of(self))
      end
   end
   if o.discount and offers.dert then
      s = self:dert(s, { discount = o.discount, dynamic = o.dynamic, future = o.future })
   end
   if offers.spend then s = self:spend(s) end
   if not want then return s end
   local kinds = {} -- the interval of each prediction added above but p_n
   for _, k in ipairs { "p_alive", "conditional", "dert", "spend" } do
      if offers[k] and (k ~= "dert" or o.discount) then kinds[#kinds + 1] = k end
   end
   local spend = offers.spend and self or nil
   return with_interval(self, "Model:predict", s, s, o, { kinds = kinds, horizon = t,
      delta = o.discount and offers.dert and self:delta(o.discount) or nil,
      tx = not spend and self or false, spend = spend })
end

-- m:clv(who, {spend = gg_model | column | number, margin = rate | column, horizon = 52,
-- unit =, discount = 0.15, revenue =, x =, t_x =, T =, m =}) -> a table with p_alive,
-- dtx, spend, margin_share, value_tx, clv added; for one customer (a record {x =, t_x =,
-- T =}, with m = the mean spend when spend is a Gamma-Gamma model) the number clv.
-- horizon = math.huge: the whole lifetime (DERT).
local check_clv = opts.declare("Model:clv", opts.concat({
   { "spend", "Model|string|number",
     en = "spend per transaction: a Gamma-Gamma model, a column or a number (default 1)",
     zh = "每笔交易消费额：Gamma-Gamma 模型、列名或数值（默认 1）" },
   { "margin", "number|string", en = "margin: a rate of the spend or a column of rates",
     zh = "毛利：消费额的比例或比例列" },
   { "horizon", "number", default = 52,
     en = "the time to value, in `unit` (math.huge: the whole lifetime)",
     zh = "计算价值的时长，以 unit 计（math.huge：整个生命周期）" },
   HORIZON_UNIT,
   DISCOUNT,
   { "revenue", "string", en = "name of an added column of expected revenue (before margin)",
     zh = "新增的预期收入列（扣除毛利前）的列名" },
}, col_options("x", "t_x", "T", "m"), dyncov.FUTURE, intervals.OPTIONS))

-- one_row(r) -> a cv.Table of one row: the number fields of the record r as columns.
local function one_row(r)
   local spec = {}
   for k, v in next, r do
      if type(k) == "string" and type(v) == "number" then spec[#spec + 1] = { k, { v } } end
   end
   table.sort(spec, function(a, b) return a[1] < b[1] end)
   return base.table(spec)
end

with_interval = function(m, fn, who, v, o, a)
   -- a model with covariates: the draws cover its coefficients and each customer's
   -- prediction uses the customer's own covariates (docs/models.md, "Intervals")
   if a.tx == nil then a.tx = m end
   if a.tx == false then a.tx = nil end
   local kinds = {}
   for k, kind in next, KINDS do
      kinds[k .. "_lo"], kinds[k .. "_hi"] = kind, kind
   end
   if is_table(who) then
      a.cols = a.cols or cols_of(m)
      local t, totals
      if m.dynamic then -- lua/cv/dyncov.lua: its predictions, in C at every draw
         t, totals = dyncov.intervals(m, fn, v, o, a)
      else
         t, totals = intervals.run(fn, v, o, a)
      end
      return with_kinds(with_kinds(t, KINDS), kinds), totals
   end
   a.cols = { x = "x", t_x = "t_x", T = "T", m = "m" }
   local t = intervals.run(fn, one_row(who), o, a)
   local k = a.kinds[1]
   return v, t:col(k .. "_lo")[1], t:col(k .. "_hi")[1]
end

-- clv_dyncov(m, who, o) -> Model:clv of a model with time-varying covariates (lua/cv/dyncov.lua:
-- the covariates after T from o.dynamic, o.future): a table of the fit's customers.
local function clv_dyncov(m, who, o)
   local fn = "Model:clv"
   if not m.unit then errors.fail("models.no_unit", { fn = fn }) end
   if not is_table(who) then errors.fail("models.dyncov_table", { fn = fn }) end
   local h = in_model_unit(m, fn, o.horizon or 52, o.unit)
   local rate = core.rate("per_period", o.discount or 0.15, m.unit)
   local sp, spend = o.spend, nil
   if is_model(sp) then
      spend = sp:spend(who):col("spend"):totable()
   elseif type(sp) == "string" then
      spend = who:col(sp):totable()
   elseif sp == nil or type(sp) == "number" then
      spend = {}
      for j = 1, #who:col(who:names()[1]):totable() do spend[j] = sp or 1.0 end
   else
      errors.fail("models.bad_spend", { got = opts.shown(sp) })
   end
   local out = with_kinds(dyncov.clv(m, fn, who, h, rate, o, spend), KINDS)
   local totals
   if intervals.asked(fn, o) then
      -- a Gamma-Gamma spend: its parameters drawn too, each customer's margin share fixed;
      -- else the value per transaction held fixed
      local a = { kinds = { "clv" }, clv_horizon = h, clv_rate = rate,
         value = out:col("value_tx"):totable() }
      if is_model(sp) then
         local c = cols_of(sp)
         a.spend, a.value = sp, out:col("margin_share"):totable()
         a.sx, a.sm = who:col(c.x or "x"):totable(), who:col(c.m or "mean_repeat_spend"):totable()
         for i, x in ipairs(a.sx) do -- no repeat purchase: no mean spend (unused at x = 0)
            if x == 0 and a.sm[i] == nil then a.sm[i] = 0 end
         end
      end
      out, totals = with_interval(m, fn, out, out, o, a)
   end
   return o.revenue and with_kinds(out, { [o.revenue] = "money" }) or out, totals
end

function Model:clv(who, o)
   o = check_clv(o)
   dyncov.static(self, "Model:clv", o)
   if self.dynamic then return clv_dyncov(self, who, o) end
   dyncov.refuse(self, "Model:clv")
   local record = who_of("Model:clv", who, NEED.clv) == "record"
   local s = who
   local c = cols_of(self, o)
   if record then
      s = one_row(who)
      c = { x = o.x or "x", t_x = o.t_x or "t_x", T = o.T or "T", m = o.m or "m" }
   end
   if not self.unit then errors.fail("models.no_unit", { fn = "Model:clv" }) end
   local opts = { unit = self.unit,
      horizon = in_model_unit(self, "Model:clv", o.horizon or 52, o.unit),
      discount = o.discount or 0.15, revenue = o.revenue,
      x = c.x, t_x = c.t_x, T = c.T, m = c.m }
   local sp = o.spend
   if is_model(sp) then
      opts.spend_params = sp.values -- with covariates: each row's own (covariates.clv)
      if record then
         record_of("Model:clv", who, { "x", "t_x", "T", opts.m })
      else
         opts.m = sp.cols.m or opts.m
      end
   elseif type(sp) == "string" then
      opts.spend = sp
   elseif type(sp) == "number" then
      opts.spend_value = sp
   elseif sp ~= nil then
      errors.fail("models.bad_spend", { got = opts.shown(sp) })
   end
   if type(o.margin) == "number" then
      opts.margin_rate = o.margin
   elseif type(o.margin) == "string" then
      opts.margin = o.margin
   end
   local spend_cov = is_model(sp) and sp.covariates ~= nil
   local out = (self.covariates or spend_cov) and covariates.clv(self, s, opts, is_model(sp) and sp)
      or core.clv(self.name, self.values, s, opts)
   local want = intervals.asked("Model:clv", o)
   if want then
      -- CLV = dtx x spend x margin share: the spend model's uncertainty joins the model's
      -- when spend is a Gamma-Gamma model, else the value per transaction is fixed
      local gg = is_model(sp) and sp or nil
      local a = { kinds = { "clv" }, spend = gg, clv_horizon = opts.horizon,
         clv_rate = core.rate("per_period", opts.discount, self.unit),
         clv_factor = gg and "margin_share" or "value_tx",
         cols = { x = opts.x, t_x = opts.t_x, T = opts.T, m = opts.m } }
      local t, totals = with_interval(self, "Model:clv", out, out, o, a)
      if record then return out:col("clv")[1], t:col("clv_lo")[1], t:col("clv_hi")[1] end
      return o.revenue and with_kinds(t, { [o.revenue] = "money" }) or t, totals
   end
   if record then return out:col("clv")[1] end
   out = with_kinds(out, KINDS)
   return o.revenue and with_kinds(out, { [o.revenue] = "money" }) or out
end

-- m:validate(s, {horizon =, unit =, holdout = "x_holdout", buckets = 7}) -> buckets
-- table, stats {customers, actual, expected, mae, rmse, brier, active, p_alive}. The
-- horizon is the length of the holdout period; by default the summary's (t:meta():
-- observation_end - calibration_end), an error when the summary does not know it.
-- The options a validation against the holdout shares (Model:validate, cv.compare).
local HOLDOUT = { "holdout", "string", en = "column of holdout purchases (default x_holdout)",
                  zh = "验证期购买次数列（默认 x_holdout）" }
local BUCKETS = { "buckets", "integer", default = 7,
                  en = "calibration purchases 0 .. buckets-1, then buckets+",
                  zh = "校准期购买次数分组 0 .. buckets-1，最后一组为 buckets 及以上" }

local check_validate = opts.declare("Model:validate", opts.concat({
   { "horizon", "number", en = "the length of the holdout period, in `unit` (default: the "
     .. "summary's, observation_end - calibration_end of t:meta())",
     zh = "验证期长度，以 unit 计（默认：汇总表的 observation_end - calibration_end，见 t:meta()）" },
   HORIZON_UNIT,
   HOLDOUT,
   BUCKETS,
}, col_options("x", "t_x", "T")))

-- holdout_of(m, fn, s, horizon, unit) -> the holdout length in the model's unit: horizon
-- (in unit) when given, else the summary's observation end - calibration end.
local function holdout_of(m, fn, s, horizon, unit)
   if horizon ~= nil then return in_model_unit(m, fn, horizon, unit) end
   local meta = is_table(s) and s:meta() or nil
   if not (meta and meta.calibration_end and meta.observation_end) then
      errors.fail("models.holdout_unknown", { fn = fn })
   end
   local days = date.diff(meta.observation_end, meta.calibration_end)
   return in_model_unit(m, fn, days, "day")
end

function Model:validate(s, o)
   o = check_validate(o)
   no_covariates(self, "Model:validate")
   if not is_table(s) then bad_arg("Model:validate", 1, s, "Table") end
   local c = cols_of(self, o)
   local t = holdout_of(self, "Model:validate", s, o.horizon, o.unit)
   return core.validate(self.name, self.values, s, { horizon = t,
      holdout = o.holdout, buckets = o.buckets, x = c.x, t_x = c.t_x, T = c.T })
end

-- m:tracking(tx, {customer =, date =, calibration_end =, end =, period_days = 7}) -> Table:
-- the cohort's repeat transactions per period, actual and expected by the model (in its
-- unit: a model that does not know its unit cannot track).
local check_tracking = opts.declare("Model:tracking", {
   { "customer", "string", default = "customer", en = "column of customer ids", zh = "客户编号列" },
   { "date", "string", default = "date", en = "column of purchase dates", zh = "购买日期列" },
   { "calibration_end", "date", required = true, en = "last day of the calibration period",
     zh = "校准期最后一天" },
   { "end", "date", en = "last day tracked (default: the last purchase)",
     zh = "跟踪的最后一天（默认：最后一次购买）" },
   { "period_days", "integer", default = 7, en = "days per period of the curve",
     zh = "曲线每期的天数" },
})
function Model:tracking(tx, o)
   o = check_tracking(o)
   no_covariates(self, "Model:tracking")
   if not self.unit then errors.fail("models.no_unit", { fn = "Model:tracking" }) end
   return core.tracking(self.name, self.values, tx, { customer = o.customer, date = o.date,
      unit = self.unit, calibration_end = o.calibration_end, ["end"] = o["end"],
      period_days = o.period_days })
end

-- m:diagnostics(s [, opts]): lua/cv/diagnostics.lua adds it to the methods (M.methods) with
-- its options.

-- m:loglik_on(s) -> the log-likelihood of the model's parameters on the summary s (m.loglik
-- is the fitted value, a field: m:loglik(s) is an error, calling a number); with covariates,
-- each customer at their own parameters (s needs the covariate columns), unpenalized.
function Model:loglik_on(s)
   if not is_table(s) then bad_arg("Model:loglik_on", 1, s, "Table") end
   if self.covariates then
      dyncov.refuse(self, "Model:loglik_on")
      return covariates.loglik(self, "Model:loglik_on", s, cols_of(self))
   end
   return core.loglik(self.name, self.values, s, cols_of(self))
end

-- m:params_table([{interval =, method =, draws =, seed =}]) -> Table param, estimate, se;
-- with interval, lo and hi: the parameters' interval (asymptotic draws or bootstrap refits
-- on the customers the model was fitted on).
local check_params_table = opts.declare("Model:params_table", opts.concat({
   { "interval", "number", en = "also the parameters' interval at this level (0.9: from the "
     .. "5% to the 95% quantile), as the columns lo and hi",
     zh = "同时给出参数在此水平的区间（0.9：5% 至 95% 分位数），列 lo 与 hi" },
}, opts.except(intervals.OPTIONS, "interval")))
function Model:params_table(o)
   o = check_params_table(o)
   local est, se = {}, {}
   for i, pn in ipairs(self.names) do
      est[i] = self.values[i]
      se[i] = self.se[pn]
      if se[i] ~= se[i] then se[i] = nil end
   end
   local spec = { { "param", self.names }, { "estimate", est }, { "se", se, "float", n = #est } }
   if intervals.asked("Model:params_table", o) then
      if not self.summary then
         errors.fail("models.interval_no_data", { fn = "Model:params_table", model = self.name })
      end
      local gg = core.info(self.name).name == "gamma_gamma"
      local _, _, p = intervals.run("Model:params_table", self.summary, o, { kinds = {},
         tx = not gg and self or nil, spend = gg and self or nil, cols = cols_of(self) })
      spec[4] = { "lo", p:col("lo"):totable(), "float", n = #est }
      spec[5] = { "hi", p:col("hi"):totable(), "float", n = #est }
   end
   return base.table(spec)
end

-- m:coef() -> Table param, estimate, se, lower, upper: every parameter (a model with
-- covariates: its coefficients too) with a 95% Wald interval from the standard error,
-- computed on the log scale for the positive parameters (exp(log p -+ 1.96 se / p)) and
-- on the natural scale for the coefficients; missing where the se is.
function Model:coef()
   local est, se, lo, hi, np = {}, {}, {}, {}, #self.names
   if self.covariates then np = np - #self.covariates end
   for i, pn in ipairs(self.names) do
      local v, e = self.values[i], self.se[pn]
      est[i] = v
      if e and e == e then
         se[i] = e
         if i <= np then
            lo[i], hi[i] = v * math.exp(-1.959963984540054 * e / v),
               v * math.exp(1.959963984540054 * e / v)
         else
            lo[i], hi[i] = v - 1.959963984540054 * e, v + 1.959963984540054 * e
         end
      end
   end
   local n = #est
   se.n, lo.n, hi.n = n, n, n -- missing values (nil) may end a column
   return base.table { { "param", self.names }, { "estimate", est }, { "se", se, "float" },
      { "lower", lo, "float" }, { "upper", hi, "float" } }
end

-- m:lr_test([restricted]) -> {statistic, df, p_value, loglik, loglik0}: the likelihood-ratio
-- test of the model restricted (a fit of the same model on the same customers with a subset
-- of m's parameters) against m; without an argument, m (with covariates) against the same
-- model without covariates. The p-value is the chi-square upper tail with df = the number of
-- parameters restricted.
function Model:lr_test(restricted)
   if restricted ~= nil and not is_model(restricted) then
      bad_arg("Model:lr_test", 1, restricted, "Model")
   end
   return covariates.lr_test("Model:lr_test", self, restricted)
end

-- m:profile(param, values) -> Table value, loglik, deviance, p_value: the profile
-- likelihood of one parameter of a model with covariates (the others maximized at each
-- value; deviance 2 (m.loglik - loglik) with its chi-square p-value, 1 df): how the data
-- inform a parameter where the standard error, a quadratic approximation, misleads.
function Model:profile(param, values)
   if not self.covariates then errors.fail("models.cov_only", { fn = "Model:profile" }) end
   if type(param) ~= "string" then bad_arg("Model:profile", 1, param, "string") end
   if type(values) ~= "table" then bad_arg("Model:profile", 2, values, "table") end
   if self.dynamic then return dyncov.profile(self, "Model:profile", param, values) end
   if not self.summary then errors.fail("models.profile_summary", { fn = "Model:profile" }) end
   return covariates.profile(self, "Model:profile", param, values)
end

local SIMULATE = {
   { "seed", "integer", default = 1, en = "seed of the random draws", zh = "随机数种子" },
   { "covariates", "Table", en = "the customers' covariates, one row per customer (n rows) "
     .. "with the columns the model's coefficients name (trans.Gender: Gender); copied to the "
     .. "result",
     zh = "客户的协变量，每位客户一行（共 n 行），包含模型系数所指的列（trans.Gender：Gender）；"
     .. "复制到结果中" },
   { "T", "number|table", default = 52,
     en = "time observed: one number for all, or an array per customer",
     zh = "观察期长度：统一的数值，或每位客户一个值的数组" },
   { "x", "number|table", en = "Gamma-Gamma: repeat purchases per customer (a number or an array)",
     zh = "Gamma-Gamma：每位客户的重复购买次数（数值或数组）" },
   { "id", "string", en = "a column of covariates carried into the result as its first column, "
     .. "such as the customer id",
     zh = "covariates 中的一列，作为结果的第一列带入，例如客户编号" },
}
local check_msim = opts.declare("Model:simulate", SIMULATE)
function Model:simulate(n, o)
   return M.simulate(self, n, check_msim(o))
end

-- cv.simulate(model_or_params, n, {seed = 1, T = number | array, x = array, covariates =
-- Table}) -> Table x, t_x, T (Gamma-Gamma: x, mean_repeat_spend) drawn from the model's
-- story. A model with covariates (a fit, or parameters with coefficients named as a fit's:
-- {model = "pareto_nbd", r =, ..., ["trans.Gender"] = 0.4}) draws each customer with their
-- own parameters from the row of covariates (n rows), whose columns the result carries too
-- (and first the column named by id, such as the customer id).
-- sim_model(fn, v, n, o) -> name, values, design (nil without coefficients) of the model to
-- draw from: a fit (with covariates or not) or {model =, params... [, coefficients]}; the
-- options covariates and id refused for a model without coefficients; a fit with time-varying
-- covariates only with the option dynamic (cv.simulate_transactions').
local function sim_model(fn, v, n, o)
   local name, vals, design
   if is_model(v) and v.covariates then
      if o.dynamic == nil then dyncov.refuse(v, fn) end
      name, design = v.name, v.covariates
      vals = {}
      for i, x in ipairs(v.values) do vals[i] = x end
   else
      name, vals = model_of(fn, v)
      if type(v) == "table" and not is_model(v) then
         design = covariates.params_design(fn, name, v.params or v, vals)
      end
   end
   if math.tointeger(n) == nil or n < 0 then bad_arg(fn, 2, n, "integer") end
   if not design then
      for _, k in ipairs { "covariates", "id" } do
         if o[k] ~= nil then
            errors.fail("models.sim_cov_unused", { fn = fn, model = name, option = k })
         end
      end
   end
   return name, vals, design
end

local check_sim = opts.declare("cv.simulate", SIMULATE)
function M.simulate(v, n, o)
   o = check_sim(o)
   local fn = "cv.simulate"
   local name, vals, design = sim_model(fn, v, n, o)
   if design then return covariates.simulate(fn, name, vals, design, n, o) end
   return core.simulate(name, vals, n, { seed = o.seed or 1, T = o.T or 52, x = o.x })
end

-- cv.simulate_transactions(model_or_params, n, {seed =, start = "1997-01-01", cohort_days
-- = 90, ["end"] =, unit =, spend = gg_model | {p =, q =, gamma =}}) -> Table. The unit of
-- the parameters is the model's (a stated one must agree); for {model =, params...} it
-- is required.
local check_simtx = opts.declare("cv.simulate_transactions", {
   { "seed", "integer", default = 1, en = "seed of the random draws", zh = "随机数种子" },
   { "start", "date", default = "1997-01-01", en = "first day of the first cohort",
     zh = "第一批客户的首日" },
   { "cohort_days", "integer", default = 90,
     en = "days over which customers make their first purchase",
     zh = "客户首次购买分布的天数" },
   { "end", "date", en = "last day of the data (default: 78 weeks after start)",
     zh = "数据的最后一天（默认：start 后 78 周）" },
   { "unit", UNITS, en = "the time unit of the model's parameters (default: the model's; "
     .. "required for {model =, params...})",
     zh = "模型参数的时间单位（默认：模型的单位；对 {model =, 参数...} 必须给出）" },
   { "spend", "Model|table", en = "spend per purchase: a Gamma-Gamma model or {p =, q =, gamma =}",
     zh = "每次购买金额：Gamma-Gamma 模型或 {p =, q =, gamma =}" },
   { "covariates", "Table", en = "the customers' covariates, one row per customer (n rows) "
     .. "with the columns the model's coefficients name (trans.Gender: Gender)",
     zh = "客户的协变量，每位客户一行（共 n 行），包含模型系数所指的列（trans.Gender：Gender）" },
   { "id", "string", en = "a column of covariates whose value of row i is customer i's id in the "
     .. "result (its column customer, named as in covariates), so the transactions join with "
     .. "the covariates",
     zh = "covariates 中的一列：第 i 行的值作为结果中第 i 位客户的编号（取代 customer 列，列名"
     .. "与 covariates 中相同），使交易记录可与协变量表连接" },
   dyncov.sim_option[1],
})
function M.simulate_transactions(v, n, o)
   o = check_simtx(o)
   local fn = "cv.simulate_transactions"
   local name, vals, design = sim_model(fn, v, n, o)
   local unit = o.unit
   if is_model(v) and v.unit then
      if unit and unit ~= v.unit then
         errors.fail("models.unit_model_conflict", { fn = fn, unit = unit, model = v.unit })
      end
      unit = v.unit
   elseif not unit then
      errors.fail("models.unit_required", { fn = fn, model = name })
   end
   local spend = o.spend
   if is_model(spend) then
      if spend.covariates then errors.fail("models.cov_unsupported", { fn = fn }) end
      spend = spend.values
   elseif type(spend) == "table" and spend.p then
      spend = { spend.p, spend.q, spend.gamma }
   end
   if o.dynamic ~= nil then return dyncov.simulate_tx(fn, name, vals, design, n, o, unit) end
   if design then return covariates.simulate_tx(fn, name, vals, design, n, o, unit, spend) end
   return core.simulate_tx(name, vals, n, { seed = o.seed or 1, start = o.start,
      cohort_days = o.cohort_days, ["end"] = o["end"], unit = unit, spend = spend })
end

-- cv.compare({m1, m2, ...}, s, {horizon = holdout length}) -> Table model, params, loglik,
-- aic, bic and, with a horizon, actual, expected, mae, rmse, brier (Model:validate's).
local check_compare = opts.declare("cv.compare", {
   { "horizon", "number",
     en = "the length of the holdout period, in `unit` (adds actual, expected, mae, rmse, brier)",
     zh = "验证期长度，以 unit 计（增加 actual、expected、mae、rmse、brier 列）" },
   { "unit", UNITS, en = "the unit of the horizon (default: each model's; converted exactly)",
     zh = "horizon 的时间单位（默认：各模型的单位；精确换算）" },
   HOLDOUT,
   BUCKETS,
})
function M.compare(models, s, o)
   o = check_compare(o)
   s = s or models.summary
   local cols = { "model", "params", "loglik", "aic", "bic" }
   local out = {}
   for _, k in ipairs(cols) do out[k] = {} end
   local holdout = o.horizon ~= nil
   if holdout then
      for _, k in ipairs { "actual", "expected", "mae", "rmse", "brier" } do
         cols[#cols + 1] = k
         out[k] = {}
      end
   end
   for i, m in ipairs(models) do
      out.model[i] = m.name
      out.params[i] = #m.names
      -- a model given by cv.model (no fit): its log-likelihood on s, no AIC or BIC
      out.loglik[i] = m.loglik or m:loglik_on(s)
      out.aic[i] = m.aic
      out.bic[i] = m.bic
      if holdout then
         local _, st = m:validate(s, { horizon = o.horizon, unit = o.unit,
            holdout = o.holdout, buckets = o.buckets })
         out.actual[i], out.expected[i] = st.actual, st.expected
         out.mae[i], out.rmse[i], out.brier[i] = st.mae, st.rmse, st.brier
      end
   end
   local spec = {}
   for _, k in ipairs(cols) do
      out[k].n = #models -- missing values (nil) may end a column
      spec[#spec + 1] = { k, out[k] }
   end
   return base.table(spec)
end

-- cv.timevalue: the one discounting system (include/cvkit/timevalue.h). Rates are annual
-- effective unless the name says otherwise; units "day", "week", "month", "year", required
-- (the binding raises without one: never a silent year).
M.timevalue = {
   per_period = function(annual, unit) return core.rate("per_period", annual, unit) end,
   annual = function(per_period, unit) return core.rate("annual", per_period, unit) end,
   continuous = function(annual, unit) return core.rate("continuous", annual, unit) end,
   from_continuous = function(delta, unit) return core.rate("from_continuous", delta, unit) end,
   discount_factor = function(annual, unit, t) return core.rate("discount_factor", annual, unit, t) end,
   years = function(t, unit) return core.rate("unit_years", t, unit) end,
   nominal = function(nominal, m) return core.rate("nominal", nominal, m) end,
}

-- install(cv): cv.fit, cv.model, cv.simulate, cv.simulate_transactions, cv.compare,
-- cv.timevalue, cv.model_list (the list).
-- The options of cv.fit: its own, then cv.summary_csv's (transactions are summarized
-- first), declared here since those are declared by cv (lua/cv/init.lua) before it installs
-- this module.
local function fit_options()
   local own = opts.concat({
      { "start", "table", en = "starting values of the parameters, in the model's order",
        zh = "参数初值，按模型参数顺序" },
      { "unit", UNITS,
        en = "the time unit of the data: the summary's (t:meta()); required for a table "
           .. "without one; for transactions, the unit they are summarized in (default day)",
        zh = "数据的时间单位：汇总表自带的单位（t:meta()）；无单位的表必须指明；"
           .. "对交易数据为汇总所用的单位（默认 day）" },
      { "quiet", "boolean", default = false, en = "no notes on stderr",
        zh = "不在 stderr 上输出提示" },
      { "trans", "string|table", en = "covariate columns on the purchase process (pareto_nbd, "
        .. "bgnbd: alpha_i = alpha exp(-g'z_i); bgbb: alpha_i = alpha exp(g'z_i)); coefficients "
        .. "trans.<column>",
        zh = "作用于购买过程的协变量列（pareto_nbd、bgnbd：alpha_i = alpha exp(-g'z_i)；bgbb："
        .. "alpha_i = alpha exp(g'z_i)）；系数名为 trans.<列名>" },
      { "life", "string|table", en = "covariate columns on the dropout process (pareto_nbd: "
        .. "beta_i = beta exp(-g'z_i); bgnbd: a_i, b_i = a, b exp(g'z_i); bgbb: gamma_i = "
        .. "gamma exp(g'z_i)); coefficients life.<column>",
        zh = "作用于流失过程的协变量列（pareto_nbd：beta_i = beta exp(-g'z_i)；bgnbd：a_i、b_i = "
        .. "a、b exp(g'z_i)；bgbb：gamma_i = gamma exp(g'z_i)）；系数名为 life.<列名>" },
      { "constrain", "string|table", en = "covariate columns with one coefficient for both "
        .. "processes (constr.<column>)",
        zh = "两个过程共用一个系数的协变量列（constr.<列名>）" },
      { "spend", "string|table", en = "covariate columns on the spend scale (gamma_gamma): "
        .. "gamma_i = gamma exp(g'z_i), expected spend times exp(g'z_i); coefficients "
        .. "spend.<column>",
        zh = "作用于消费额尺度的协变量列（gamma_gamma）：gamma_i = gamma exp(g'z_i)，预期消费额乘以 "
        .. "exp(g'z_i)；系数名为 spend.<列名>" },
      { "reg", "table", en = "L2 penalty on the covariate coefficients, {trans =, life =} "
        .. "(CLVTools' reg.lambdas): adds trans * sum g_trans^2 + life * sum g_life^2 to -LL/N; "
        .. "gamma_gamma: {spend =}, adds spend * sum g_spend^2",
        zh = "协变量系数的 L2 惩罚 {trans =, life =}（CLVTools 的 reg.lambdas）：在 -LL/N 上加 "
        .. "trans * sum g_trans^2 + life * sum g_life^2；gamma_gamma：{spend =}，加 "
        .. "spend * sum g_spend^2" },
      { "penalizer", "number", en = "penalty on the model's parameters (a weak prior): adds "
        .. "penalizer * sum (log p)^2 to -LL/N, pulling a fit off the boundary",
        zh = "模型参数的惩罚（弱先验）：在 -LL/N 上加 penalizer * sum (log p)^2，使拟合离开边界" },
      { "penalizer_scale", { "log", "natural" }, en = "what penalizer squares: log (log p, the "
        .. "default) or natural (p itself, lifetimes' penalizer_coef)",
        zh = "penalizer 平方的对象：log（log p，默认）或 natural（p 本身，lifetimes 的 "
        .. "penalizer_coef）" },
   }, dyncov.option, col_options("x", "t_x", "T", "m", "weight"))
   local summary = opts.except(opts.optional(opts.options("cv.summary_csv")), "unit", "quiet")
   return opts.concat(own, summary)
end

-- The Model's declared fields (an array) and its methods (name -> function), for the
-- tests and the docs: no name is in both.
M.fields = FIELDS
M.methods = Model

function M.install(cv)
   cv.fit = opts.wrap("cv.fit", M.fit, 3, fit_options())
   cv.model = M.model
   cv.simulate = M.simulate
   cv.simulate_transactions = M.simulate_transactions
   cv.compare = M.compare
   cv.lr_test = function(full, restricted)
      if not is_model(full) then bad_arg("cv.lr_test", 1, full, "Model") end
      if restricted ~= nil and not is_model(restricted) then
         bad_arg("cv.lr_test", 2, restricted, "Model")
      end
      return covariates.lr_test("cv.lr_test", full, restricted)
   end
   cv.timevalue = M.timevalue
   cv.model_list = core.list
end

return M
