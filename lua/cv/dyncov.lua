-- cv.dyncov: time-varying (dynamic) covariates for the Pareto/NBD, cv.fit("pareto_nbd", s,
-- {trans =, life =, constrain =, dynamic = {covariates = t, transactions = tx}}) (lua/cv/fit.lua
-- builds the Model; the likelihood and the fit are in C, src/core/model_dyncov.c through
-- cv.core.dyncov). Here: the option, the customers' repeat purchases and covariate periods
-- in the summary's time unit, counted from each customer's first purchase, and the refusal
-- of what the model cannot do yet (predictions need the covariates over the prediction
-- period). The model and the checks: docs/models.md, "Covariates that change over time".
local core = require "cv.core.dyncov"
local date = require "cv.core.date"
local errors = require "cv.errors"
local opts = require "cv.opts"
local covariates = require "cv.covariates"

local M = {}

-- The option of cv.fit (lua/cv/fit.lua concatenates it with the others) and the fields of its
-- table, declared as "fit{dynamic}" (strict: a misspelt field is refused).
M.option = {
   { "dynamic", "table", en = "time-varying covariates for pareto_nbd: {covariates = Table "
     .. "(customer, period start, covariates; one period per time unit), transactions = "
     .. "Table}; trans, life and constrain then name its columns (see fit{dynamic})",
     zh = "pareto_nbd 的时变协变量：{covariates = 表（客户、周期起始日、协变量；每个时间单位一个"
     .. "周期），transactions = 表}；trans、life 和 constrain 此时指该表的列（见 fit{dynamic}）" },
}
local check = opts.declare("fit{dynamic}", {
   { "covariates", "Table", required = true,
     en = "one row per customer and period: the customer, the period's first day, the "
        .. "covariates (numbers)",
     zh = "每位客户每个周期一行：客户、周期首日、协变量（数值）" },
   { "transactions", "Table", required = true,
     en = "the transactions the summary was made from (customer and date columns)",
     zh = "生成汇总表所用的交易（客户列和日期列）" },
   { "customer", "column", default = "Id", en = "customer column of both tables",
     zh = "两张表中的客户列" },
   { "date", "column", default = "Date", en = "date column of the transactions",
     zh = "交易的日期列" },
   { "period", "column", default = "Cov.Date",
     en = "column of the covariate table with each period's first day (YYYY-MM-DD)",
     zh = "协变量表中各周期首日所在的列（YYYY-MM-DD）" },
})

-- the units: 1 a fixed number of days (a period is one unit long), 2 calendar months and years
local UNITS = { day = 1, week = 1, month = 2, year = 2 }

-- A customer id as a key: 1, 1.0 and "1" alike.
local function key(v)
   if math.type(v) == "float" and v == math.floor(v) then return string.format("%d", v) end
   return tostring(v)
end

local function days(v)
   if math.type(v) == "integer" then return v end
   return date.days(tostring(v))
end

-- data(fn, s, o, d, unit) -> the arrays of cv.core.dyncov for the summary s, the option
-- table o.dynamic and the design d (lua/cv/covariates.lua's, on the covariate table).
local function data(fn, s, o, d, unit)
   local dy = o.dynamic
   dy = { covariates = dy.covariates, transactions = dy.transactions,
      customer = dy.customer or "Id", date = dy.date or "Date", period = dy.period or "Cov.Date" }
   if not UNITS[unit] then errors.fail("models.dyncov_unit", { fn = fn, unit = tostring(unit) }) end
   -- the time from day a to day b in the unit, as the summary measures t_x and T
   local function between(a, b) return core.between(a, b, unit) end
   local has = {}
   for _, c in ipairs(s:names()) do has[c] = true end
   if not (has.customer and has.first) then errors.fail("models.dyncov_summary", { fn = fn }) end
   local cust, first = s:col("customer"):totable(), s:col("first"):totable()
   local X = s:col(o.x or "x"):totable()
   local TX, TT = s:col(o.t_x or "t_x"):totable(), s:col(o.T or "T"):totable()
   local n = #cust
   local row_of, f0, tend = {}, {}, {}
   for i = 1, n do
      row_of[key(cust[i])] = i
      f0[i] = days(first[i])
      tend[i] = TT[i] + 1e-9
   end
   -- the repeat purchases: distinct days after the first, up to the end of the calibration
   local tx = dy.transactions
   local tc, td = tx:col(dy.customer):totable(), tx:col(dy.date):totable()
   local seen, times = {}, {}
   for i = 1, n do seen[i], times[i] = {}, {} end
   for j = 1, #tc do
      local i = row_of[key(tc[j])]
      if i then
         local dd = days(td[j])
         if dd > f0[i] and not seen[i][dd] then
            local t = between(f0[i], dd)
            if t <= tend[i] then
               seen[i][dd] = true
               times[i][#times[i] + 1] = t
            end
         end
      end
   end
   -- the covariate columns, one index each
   local cols, col_of, ccol, proc = {}, {}, {}, {}
   for k, c in ipairs(d) do
      if not col_of[c.column] then
         cols[#cols + 1] = c.column
         col_of[c.column] = #cols
      end
      ccol[k], proc[k] = col_of[c.column], c.proc
   end
   local t = dy.covariates
   local pc, pd = t:col(dy.customer):totable(), t:col(dy.period):totable()
   local zc = {}
   for k, c in ipairs(cols) do zc[k] = t:col(c):totable() end
   local per = {}
   for i = 1, n do per[i] = {} end
   for j = 1, #pc do
      local i = row_of[key(pc[j])]
      if i then
         local d0 = days(pd[j])
         local st = between(f0[i], d0)
         -- a calendar month (year) from a customer's first purchase is not always one unit
         local en = UNITS[unit] == 1 and st + 1
            or between(f0[i], date.days(date.add(date.format(d0), 1, unit)))
         if en > 0 and st <= TT[i] then per[i][#per[i] + 1] = { st, j, en } end
      end
   end
   local a = { x = {}, t_x = {}, T = {}, ntrans = {}, ttime = {}, nper = {}, pstart = {}, z = {},
      ncov = #cols, proc = proc, col = ccol, pend = UNITS[unit] == 2 and {} or nil }
   for i = 1, n do
      a.x[i], a.t_x[i], a.T[i] = X[i], TX[i], TT[i]
      table.sort(times[i])
      a.ntrans[i] = #times[i]
      for _, v in ipairs(times[i]) do a.ttime[#a.ttime + 1] = v end
      table.sort(per[i], function(u, v) return u[1] < v[1] end)
      a.nper[i] = #per[i]
      for _, p in ipairs(per[i]) do
         a.pstart[#a.pstart + 1] = p[1]
         if a.pend then a.pend[#a.pend + 1] = p[3] end
         for k = 1, #cols do
            local v = zc[k][p[2]]
            if type(v) ~= "number" then
               errors.fail("models.dyncov_value", { fn = fn, column = cols[k], row = p[2],
                  got = opts.shown(v) })
            end
            a.z[#a.z + 1] = v
         end
      end
   end
   return a
end

-- design(fn, name, o) -> the design of lua/cv/covariates.lua on the covariate table of
-- o.dynamic (checked: its fields, the model, at least one covariate named).
function M.design(fn, name, o)
   check(o.dynamic)
   if name ~= "pareto_nbd" then errors.fail("models.dyncov_model", { fn = fn, model = name }) end
   local d = covariates.design(fn, name, o.dynamic.covariates, o)
   if not d then errors.fail("models.dyncov_none", { fn = fn }) end
   return d
end

-- fit(name, s, o, d, unit[, pen]) -> the fields of a Model with time-varying covariates (those
-- of lua/cv/covariates.lua's fit, dynamic = true); pen the penalty of covariates.penalty (reg
-- on the coefficients as CLVTools' reg.lambdas, penalizer on the four parameters), nil for
-- maximum likelihood.
function M.fit(name, s, o, d, unit, pen)
   local fn = "cv.fit"
   local a = data(fn, s, o, d, unit)
   if pen then
      a.reg_trans, a.reg_life = pen.trans, pen.life
      a.penalizer, a.penalizer_scale = pen.params, pen.scale
   end
   local r = core.fit(a)
   local m = covariates.record(name, r, d) -- the fields of any fit with covariates
   m.dynamic = a
   return m
end

-- loglik(s, o, values) -> LL, {LL of each customer}: the log-likelihood of the Pareto/NBD
-- with the time-varying covariates of o (cv.fit's options trans, life, constrain, dynamic)
-- on the summary s at values (r, alpha, s, beta, then the coefficients in cv.fit's order),
-- without fitting: for checks against other implementations.
function M.loglik(s, o, values)
   local a = M.arrays(s, o, "cv.dyncov.loglik")
   local th = {}
   for i = 1, #values do th[i] = i <= 4 and math.log(values[i]) or values[i] end
   return core.loglik(a, th)
end

-- arrays(s, o[, fn]) -> the arrays of cv.core.dyncov (its loglik, objective and fit) for the
-- summary s and cv.fit's options o (trans, life, constrain, dynamic), in the summary's unit:
-- for checks of the likelihood and its gradient.
function M.arrays(s, o, fn)
   fn = fn or "cv.dyncov.arrays"
   local d = M.design(fn, "pareto_nbd", o)
   return data(fn, s, o, d, s:meta() and s:meta().unit)
end

-- refuse(m, fn): raises for what a model with time-varying covariates cannot do yet.
function M.refuse(m, fn)
   if m.dynamic then errors.fail("models.dyncov_predict", { fn = fn }) end
end

return M
