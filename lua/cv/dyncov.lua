-- cv.dyncov: time-varying (dynamic) covariates for the Pareto/NBD, cv.fit("pareto_nbd", s,
-- {trans =, life =, constrain =, dynamic = {covariates = t, transactions = tx}}) (lua/cv/fit.lua
-- builds the Model; the likelihood and the fit are in C, src/core/model_dyncov*.c through
-- cv.core.dyncov). Here: the option, the customers' repeat purchases and covariate periods
-- in the summary's time unit, counted from each customer's first purchase, P(alive) and the
-- conditional expectation, DERT and CLV (given the covariates over the prediction period, or
-- the rule future = "last"), and the refusal of what the model cannot do yet (intervals,
-- simulation). The model and the
-- checks: docs/models.md, "Covariates that change over time".
local core = require "cv.core.dyncov"
local date = require "cv.core.date"
local errors = require "cv.errors"
local opts = require "cv.opts"
local covariates = require "cv.covariates"
local intervals = require "cv.intervals"

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
local PERIOD = { "period", "column", default = "Cov.Date",
   en = "column of the covariate table with each period's first day (YYYY-MM-DD)",
   zh = "协变量表中各周期首日所在的列（YYYY-MM-DD）" }
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
   PERIOD,
})

-- The option dynamic of cv.simulate_transactions (lua/cv/fit.lua declares it with the others)
-- and its fields, declared as "simulate_transactions{dynamic}".
M.sim_option = {
   { "dynamic", "table", en = "time-varying covariates for pareto_nbd: {covariates = Table "
     .. "(customer, period start, covariates; one period per time unit)}; one customer drawn "
     .. "per customer of the table (see simulate_transactions{dynamic})",
     zh = "pareto_nbd 的时变协变量：{covariates = 表（客户、周期起始日、协变量；每个时间单位一个"
     .. "周期）}；表中每位客户抽取一位（见 simulate_transactions{dynamic}）" },
}
local check_sim = opts.declare("simulate_transactions{dynamic}", {
   { "covariates", "Table", required = true,
     en = "one row per customer and period: the customer, the period's first day, the "
        .. "covariates (numbers); the periods must cover each customer's first purchase to the "
        .. "end",
     zh = "每位客户每个周期一行：客户、周期首日、协变量（数值）；周期须覆盖每位客户从首次购买到"
        .. "结束日" },
   { "customer", "column", default = "Id", en = "customer column of the table (the result's "
     .. "customer column, so the transactions join with it)",
     zh = "表中的客户列（即结果的客户列，使交易可与之连接）" },
   PERIOD,
})

-- The options of the predictions after T (Model:conditional, dert, clv and predict; declared
-- with theirs in lua/cv/fit.lua): the covariates over the prediction period, or a rule.
M.FUTURE = {
   { "dynamic", "Table",
     en = "a model with time-varying covariates: the covariates over the prediction period "
        .. "(customer, period start, covariates, as the fit's covariate table)",
     zh = "带时变协变量的模型：预测期内的协变量（客户、周期起始日、协变量，与拟合所用的协变量表"
        .. "相同）" },
   { "future", { "last" },
     en = "a model with time-varying covariates: \"last\" holds each customer's last covariates "
        .. "for all time (after the periods of dynamic when given); needed for DERT",
     zh = "带时变协变量的模型：\"last\" 表示每位客户最后的协变量永远沿用（给出 dynamic 时在其"
        .. "周期之后沿用）；DERT 需要此项" },
}

-- The option of a new customer's predictions (Model:pmf_new, expected_new).
M.PATH = { "path", "Table",
   en = "a model with time-varying covariates: a new customer's covariates (the fit's "
      .. "covariate columns), one row per time unit from the first purchase, covering the horizon",
   zh = "带时变协变量的模型：新客户的协变量（拟合所用的协变量列），自首次购买起每个时间单位一行，"
      .. "覆盖整个预测期" }

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

-- columns_of(d) -> the covariate columns of the design d, one index each; the column index
-- and the process of each coefficient.
local function columns_of(d)
   local cols, col_of, ccol, proc = {}, {}, {}, {}
   for k, c in ipairs(d) do
      if not col_of[c.column] then
         cols[#cols + 1] = c.column
         col_of[c.column] = #cols
      end
      ccol[k], proc[k] = col_of[c.column], c.proc
   end
   return cols, ccol, proc
end

-- add_periods(fn, a, i, per, zc, cols): customer i's periods per ({start, row of the
-- covariate table, end}) into a's nper, pstart, pend (when a has it) and z (the values of the
-- columns cols, zc[k] the k-th's), sorted by start; a value that is not a number fails naming
-- its row.
local function add_periods(fn, a, i, per, zc, cols)
   table.sort(per, function(u, v) return u[1] < v[1] end)
   a.nper[i] = #per
   for _, p in ipairs(per) do
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
   local cols, ccol, proc = columns_of(d)
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
      ncov = #cols, proc = proc, col = ccol, pend = UNITS[unit] == 2 and {} or nil,
      -- for the predictions (M.p_alive, M.conditional): the customers, their first days, the
      -- covariate columns and the unit
      keys = {}, ids = cust, f0 = f0, cols = cols, unit = unit, opt = dy }
   for i = 1, n do a.keys[key(cust[i])] = i end
   for i = 1, n do
      a.x[i], a.t_x[i], a.T[i] = X[i], TX[i], TT[i]
      table.sort(times[i])
      a.ntrans[i] = #times[i]
      for _, v in ipairs(times[i]) do a.ttime[#a.ttime + 1] = v end
      add_periods(fn, a, i, per[i], zc, cols)
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

-- rows_of(m, fn, who) -> for each row of the Table who, the row of m's fit (by its customer
-- column), after checking that who's x, t_x and T are the fit's.
local function rows_of(m, fn, who)
   local a = m.dynamic
   if not (type(who) == "userdata" and who.col) then
      errors.fail("models.dyncov_table", { fn = fn })
   end
   local has = {}
   for _, c in ipairs(who:names()) do has[c] = true end
   if not has.customer then errors.fail("models.dyncov_summary", { fn = fn }) end
   local cust = who:col("customer"):totable()
   local c = m.cols or {}
   local X = who:col(c.x or "x"):totable()
   local TX, TT = who:col(c.t_x or "t_x"):totable(), who:col(c.T or "T"):totable()
   local rows = {}
   for j = 1, #cust do
      local i = a.keys[key(cust[j])]
      if not i then errors.fail("models.dyncov_customer", { fn = fn, id = tostring(cust[j]) }) end
      if math.abs(X[j] - a.x[i]) > 1e-9 or math.abs(TX[j] - a.t_x[i]) > 1e-9
         or math.abs(TT[j] - a.T[i]) > 1e-9 then
         errors.fail("models.dyncov_differs", { fn = fn, id = tostring(cust[j]) })
      end
      rows[j] = i
   end
   return rows
end

-- subset(a, rows) -> the arrays of cv.core.dyncov for the customers rows of a (in that order).
local function subset(a, rows)
   local tb, pb = { 0 }, { 0 }
   for i = 1, #a.x do
      tb[i + 1], pb[i + 1] = tb[i] + a.ntrans[i], pb[i] + a.nper[i]
   end
   local b = { x = {}, t_x = {}, T = {}, ntrans = {}, ttime = {}, nper = {}, pstart = {}, z = {},
      ncov = a.ncov, proc = a.proc, col = a.col, pend = a.pend and {} or nil }
   for j, i in ipairs(rows) do
      b.x[j], b.t_x[j], b.T[j] = a.x[i], a.t_x[i], a.T[i]
      b.ntrans[j], b.nper[j] = a.ntrans[i], a.nper[i]
      for q = tb[i] + 1, tb[i + 1] do b.ttime[#b.ttime + 1] = a.ttime[q] end
      for q = pb[i] + 1, pb[i + 1] do
         b.pstart[#b.pstart + 1] = a.pstart[q]
         if b.pend then b.pend[#b.pend + 1] = a.pend[q] end
         for k = 1, a.ncov do b.z[#b.z + 1] = a.z[(q - 1) * a.ncov + k] end
      end
   end
   return b
end

-- theta(m) -> log r, log alpha, log s, log beta, then the coefficients
local function theta(m)
   local th = {}
   for i, v in ipairs(m.values) do th[i] = i <= 4 and math.log(v) or v end
   return th
end

-- p_alive(m, fn, who) -> who (a Table of the fit's customers, the fit's summary or some of
-- its rows) with the column p_alive: P(alive at T) with the covariates the fit remembers.
function M.p_alive(m, fn, who)
   local rows = rows_of(m, fn, who)
   local v = core.p_alive(subset(m.dynamic, rows), theta(m))
   return who:add("p_alive", v, "float")
end

-- future(m, fn, tbl, rows, t[, hold]) -> the arrays {nper, pstart, pend, z} of the periods
-- of tbl (a Table in the long format of the fit's covariate table) that overlap (T, T+t] of
-- each customer rows[j]; fails naming a customer whose periods do not cover it. hold: the
-- periods from T as far as they run without a gap (at least the one holding T), the last
-- of them extended to all time (its covariates held).
local function future(m, fn, tbl, rows, t, hold)
   if hold then t = math.huge end
   local a, dy = m.dynamic, m.dynamic.opt
   local has = {}
   for _, c in ipairs(tbl:names()) do has[c] = true end
   for _, c in ipairs { dy.customer, dy.period, table.unpack(a.cols) } do
      if not has[c] then errors.unknown(fn, "column", c, tbl:names()) end
   end
   local pc, pd = tbl:col(dy.customer):totable(), tbl:col(dy.period):totable()
   local zc = {}
   for k, c in ipairs(a.cols) do zc[k] = tbl:col(c):totable() end
   local want, per = {}, {}
   for _, i in ipairs(rows) do want[i], per[i] = true, {} end
   for j = 1, #pc do
      local i = a.keys[key(pc[j])]
      if i and want[i] then
         local d0 = days(pd[j])
         local st = core.between(a.f0[i], d0, a.unit)
         local en = UNITS[a.unit] == 1 and st + 1
            or core.between(a.f0[i], date.days(date.add(date.format(d0), 1, a.unit)), a.unit)
         if en > a.T[i] + 1e-9 and st < a.T[i] + t - 1e-9 then
            per[i][#per[i] + 1] = { st, j, en }
         end
      end
   end
   local f = { nper = {}, pstart = {}, pend = {}, z = {} }
   for j, i in ipairs(rows) do
      local p = per[i]
      table.sort(p, function(u, v) return u[1] < v[1] end)
      local u, run = a.T[i], 0
      for k, q in ipairs(p) do
         if q[1] > u + 1e-9 then break end
         u, run = math.max(u, q[3]), k
      end
      if hold and run > 0 then
         for k = #p, run + 1, -1 do p[k] = nil end -- after a gap: the held covariates rule
         p[run] = { p[run][1], p[run][2], math.huge }
         u = math.huge
      end
      if u < a.T[i] + t - 1e-9 then
         errors.fail("models.dyncov_future", { fn = fn, id = tostring(a.ids[i]),
            from = string.format("%g", a.T[i]), to = string.format("%g", a.T[i] + t) })
      end
      f.nper[j] = #p
      for _, q in ipairs(p) do
         f.pstart[#f.pstart + 1], f.pend[#f.pend + 1] = q[1], q[3]
         for k = 1, #a.cols do
            local v = zc[k][q[2]]
            if type(v) ~= "number" then
               errors.fail("models.dyncov_value", { fn = fn, column = a.cols[k], row = q[2],
                  got = opts.shown(v) })
            end
            f.z[#f.z + 1] = v
         end
      end
   end
   return f
end

-- future_of(m, fn, rows, t, o) -> the future arrays of core.dtx for the horizon t (math.huge:
-- unbounded) from the options o (dynamic, future), or false: each customer's last covariates
-- held. A missing choice is an error naming both.
local function future_of(m, fn, rows, t, o)
   if o.future == "last" then
      return o.dynamic ~= nil and future(m, fn, o.dynamic, rows, t, true)
   end
   if o.dynamic == nil then errors.fail("models.dyncov_need_future", { fn = fn }) end
   if t == math.huge then errors.fail("models.dyncov_unbounded", { fn = fn }) end
   return future(m, fn, o.dynamic, rows, t)
end

-- conditional(m, fn, who, t, o) -> who with the column conditional: the repeat purchases
-- expected in (T, T+t] (t in the model's unit) given the covariates over that period (the
-- options dynamic and future, as future_of).
function M.conditional(m, fn, who, t, o)
   local rows = rows_of(m, fn, who)
   local f, v = future_of(m, fn, rows, t, o)
   local a = subset(m.dynamic, rows)
   if f and o.future == nil then
      v = core.expected(a, theta(m), f, t)
   elseif t == 0 then
      v = {}
      for j = 1, #rows do v[j] = 0.0 end
   else
      v = core.dtx(a, theta(m), f, t, 0.0, false)
   end
   return who:add("conditional", v, "float")
end

-- dert(m, fn, who, delta, o) -> who with the column dert: the repeat purchases after T
-- discounted continuously at delta per unit (DERT), the covariates after T by o (future =
-- "last" needed: no table covers all time).
function M.dert(m, fn, who, delta, o)
   local rows = rows_of(m, fn, who)
   local f = future_of(m, fn, rows, math.huge, o)
   return who:add("dert", core.dtx(subset(m.dynamic, rows), theta(m), f, math.huge, delta,
      false), "float")
end

-- clv(m, fn, who, h, rate, o, spend) -> who with p_alive, dtx, spend, margin_share,
-- value_tx and clv as Model:clv's: dtx over the horizon h (model's unit; math.huge: DERT)
-- with the per-period rate `rate` (finite h: each unit period's purchases discounted from its
-- end, as cv_model_clv_table), the covariates after T by o (dynamic, future); spend the
-- spend per transaction of each row (numbers), the margin share from o.margin (a rate or a
-- column of margins over the column o.revenue, default "revenue").
function M.clv(m, fn, who, h, rate, o, spend)
   local rows = rows_of(m, fn, who)
   local f = future_of(m, fn, rows, h, o)
   local a, th = subset(m.dynamic, rows), theta(m)
   local delta = math.log(1 + rate)
   local dtx = core.dtx(a, th, f, h, delta, h ~= math.huge)
   local share = {}
   if type(o.margin) == "string" then
      local mg, rv = who:col(o.margin):totable(), who:col(o.revenue or "revenue"):totable()
      for j = 1, #rows do share[j] = rv[j] ~= 0 and mg[j] / rv[j] or 0.0 end
   else
      for j = 1, #rows do share[j] = o.margin or 1.0 end
   end
   local value, clv = {}, {}
   for j = 1, #rows do
      value[j] = spend[j] * share[j]
      clv[j] = dtx[j] * value[j]
   end
   return who:add("p_alive", core.p_alive(a, th), "float"):add("dtx", dtx, "float")
      :add("spend", spend, "float"):add("margin_share", share, "float")
      :add("value_tx", value, "float"):add("clv", clv, "float")
end

-- held(m, fn, rows) -> the future arrays of core.pmf holding each customer's covariates of
-- its last period before T for all time (what core.dtx does without future arrays).
local function held(m, fn, rows)
   local a = m.dynamic
   local pb = { 0 }
   for i = 1, #a.x do pb[i + 1] = pb[i] + a.nper[i] end
   local f = { nper = {}, pstart = {}, pend = {}, z = {} }
   for j, i in ipairs(rows) do
      local last
      for q = pb[i] + 1, pb[i + 1] do
         if a.pstart[q] < a.T[i] - 1e-9 then last = q end
      end
      if not last then errors.fail("models.dyncov_need_future", { fn = fn }) end
      f.nper[j], f.pstart[j], f.pend[j] = 1, a.T[i], math.huge
      for k = 1, a.ncov do f.z[#f.z + 1] = a.z[(last - 1) * a.ncov + k] end
   end
   return f
end

-- pmf(m, fn, who, t, n, o) -> who with the column pmf_<n>: P(n purchases in (T, T+t]) given
-- the covariates over that period (the options dynamic and future, as M.conditional's).
function M.pmf(m, fn, who, t, n, o)
   local rows = rows_of(m, fn, who)
   local f = future_of(m, fn, rows, t, o) or held(m, fn, rows)
   return who:add("pmf_" .. math.tointeger(n), core.pmf(subset(m.dynamic, rows), theta(m), f, t,
      n), "float")
end

-- new_path(m, fn, o) -> the arrays {pstart, z} of a new customer's covariates: o.path, a
-- Table with the fit's covariate columns, one row per time unit from the first purchase.
local function new_path(m, fn, o)
   local a, path = m.dynamic, o.path
   if path == nil then
      errors.fail("models.dyncov_path", { fn = fn, columns = table.concat(a.cols, ", ") })
   end
   local has = {}
   for _, c in ipairs(path:names()) do has[c] = true end
   local zc = {}
   for k, c in ipairs(a.cols) do
      if not has[c] then errors.unknown(fn, "column", c, path:names()) end
      zc[k] = path:col(c):totable()
   end
   local f = { pstart = {}, z = {} }
   for q = 1, #zc[1] do
      f.pstart[q] = q - 1
      for k = 1, #a.cols do
         local v = zc[k][q]
         if type(v) ~= "number" then
            errors.fail("models.dyncov_value", { fn = fn, column = a.cols[k], row = q,
               got = opts.shown(v) })
         end
         f.z[#f.z + 1] = v
      end
   end
   return f
end

-- pmf_new(m, fn, t, n, o) -> P(X(t) = n), E[X(t)] of a new customer whose covariates from its
-- first purchase are o.path (new_path's).
function M.pmf_new(m, fn, t, n, o)
   return core.pmf_new(m.dynamic, theta(m), new_path(m, fn, o), t, n)
end

-- profile(m, fn, param, values) -> the Table of Model:profile (value, loglik, deviance,
-- p_value) of the parameter or coefficient param of m, the likelihood maximized in C over
-- the others (cv_dyncov_profile).
function M.profile(m, fn, param, values)
   local j
   for i, n in ipairs(m.names) do if n == param then j = i end end
   if not j then errors.unknown(fn, "parameter", param, m.names) end
   return covariates.profile_table(m, values, core.profile(m.dynamic, m.values, j, values))
end

local ORDER = { p_alive = 1, conditional = 2, dert = 3, clv = 4 }

-- intervals(m, fn, who, o, a) -> who with <kind>_lo and <kind>_hi, the totals Table
-- (prediction, estimate, lo, hi), the parameters' Table (param, estimate, lo, hi), {draws =,
-- used =}: the asymptotic or bootstrap intervals of lua/cv/intervals.lua's options o
-- (interval, method, draws, seed) for the kinds a.kinds, the predictions as this module's point predictions
-- make them (horizon a.horizon, delta a.delta, CLV over a.clv_horizon at the per-period
-- a.clv_rate times each row's value per transaction a.value, or with a.spend a Gamma-Gamma
-- model times its expected spend at each draw of its parameters (of each row's x a.sx and
-- mean spend a.sm) and the margin share a.value; the covariates after T from
-- o.dynamic, o.future), made in C at every draw (cv_dyncov_intervals); the bootstrap refits on
-- the fit's customers with the fit's penalty (cv_dyncov_boot_refit).
function M.intervals(m, fn, who, o, a)
   local method = o.method or "asymptotic"
   if method ~= "bootstrap" and m.cov_log == nil then
      errors.fail("models.interval_cov_no_cov", { fn = fn, model = m.name,
         status = tostring(m.status) })
   end
   local rows = rows_of(m, fn, who)
   local kinds = {}
   for _, k in ipairs(a.kinds) do kinds[#kinds + 1] = k end
   table.sort(kinds, function(u, v) return ORDER[u] < ORDER[v] end)
   local sp = { kinds = kinds, horizon = a.horizon, delta = a.delta, clv_horizon = a.clv_horizon,
      clv_rate = a.clv_rate, value = a.value, method = method, level = o.interval,
      draws = o.draws or 1000, seed = o.seed or 1,
      fit = method == "bootstrap" and m.dynamic or nil }
   if a.spend then -- CLV with a Gamma-Gamma spend: its parameters drawn too (intervals.fit_of)
      if a.spend.covariates then
         errors.fail("models.dyncov_spend_cov", { fn = fn, model = a.spend.name })
      end
      sp.spend, sp.sx, sp.sm = intervals.fit_of(fn, a.spend, method), a.sx, a.sm
   end
   for _, k in ipairs(kinds) do
      if k == "conditional" then
         sp.cond, sp.cond_hold = future_of(m, fn, rows, a.horizon, o), o.future ~= nil
      elseif k == "dert" then
         sp.dert = future_of(m, fn, rows, math.huge, o)
      elseif k == "clv" then
         sp.clv = future_of(m, fn, rows, a.clv_horizon, o)
      end
   end
   local cov = m.cov_log
   if cov == nil then -- the bootstrap reads no covariance
      cov = {}
      for i = 1, #m.values * #m.values do cov[i] = 0 end
   end
   local r = core.intervals(subset(m.dynamic, rows), m.values, cov, sp)
   if r.used < r.draws then
      errors.warn("models.interval_failed", { fn = fn, failed = r.draws - r.used,
         draws = r.draws })
   end
   local n, nk, t, totals, params = #rows, #kinds, who, {}, {}
   for j, k in ipairs(kinds) do
      local lo, hi = {}, {}
      for i = 1, n do
         lo[i], hi[i] = r.lo[(j - 1) * n + i], r.hi[(j - 1) * n + i]
      end
      t = t:add(k .. "_lo", lo, "float"):add(k .. "_hi", hi, "float")
      totals[j] = { name = k, estimate = r.est[nk * n + j], lo = r.lo[nk * n + j],
         hi = r.hi[nk * n + j] }
   end
   for i, name in ipairs(m.names) do
      params[i] = { name = name, estimate = m.values[i], lo = r.p_lo[i], hi = r.p_hi[i] }
   end
   return t, intervals.lohi_table(totals, "prediction"), intervals.lohi_table(params, "param"),
      { draws = r.draws, used = r.used }
end

-- refuse(m, fn): raises for what a model with time-varying covariates cannot do yet.
-- simulate_tx(fn, name, vals, design, n, o, unit) -> Table customer (o.dynamic.customer),
-- date, amount (1): cv.simulate_transactions with time-varying covariates, one customer per
-- customer of o.dynamic.covariates (n of them, in order of first appearance), arriving on a
-- uniform day of [start, start + cohort_days) (drawn in C), with the periods of the table from
-- that day in the unit (day or week), drawn in C (cv_dyncov_simulate_tx) at vals (r, alpha, s,
-- beta, then design's coefficients).
function M.simulate_tx(fn, name, vals, design, n, o, unit)
   local dy = check_sim(o.dynamic)
   dy = { covariates = dy.covariates, customer = dy.customer or "Id",
      period = dy.period or "Cov.Date" }
   if name ~= "pareto_nbd" then errors.fail("models.dyncov_model", { fn = fn, model = name }) end
   if not design then
      errors.fail("models.sim_cov_unused", { fn = fn, model = name, option = "dynamic" })
   end
   if o.spend ~= nil then errors.fail("models.dyncov_sim_spend", { fn = fn }) end
   if not UNITS[unit] then errors.fail("models.dyncov_unit", { fn = fn, unit = tostring(unit) }) end
   local t = dy.covariates
   local names, has = t:names(), {}
   for _, c in ipairs(names) do has[c] = true end
   local cols, ccol, proc = columns_of(design)
   for _, c in ipairs { dy.customer, dy.period, table.unpack(cols) } do
      if not has[c] then errors.unknown(fn, "column", c, names) end
   end
   local pc, pd = t:col(dy.customer):totable(), t:col(dy.period):totable()
   local ids, row_of = {}, {}
   for j = 1, #pc do
      local kk = key(pc[j])
      if not row_of[kk] then
         ids[#ids + 1] = pc[j]
         row_of[kk] = #ids
      end
   end
   if #ids ~= n then
      errors.fail("models.dyncov_sim_customers", { fn = fn, n = tostring(n),
         got = tostring(#ids) })
   end
   local start = date.days(o.start or "1997-01-01")
   local stop = o["end"] and date.days(o["end"]) or start + 546 -- 78 weeks
   local cohort = o.cohort_days or 90
   if cohort < 1 or stop < start + cohort - 1 then
      errors.fail("models.dyncov_sim_window", { fn = fn, days = tostring(cohort) })
   end
   local seed = o.seed or 1
   local f0 = core.first_days(seed, n, start, cohort)
   local zc = {}
   for k, c in ipairs(cols) do zc[k] = t:col(c):totable() end
   local per = {}
   for i = 1, n do per[i] = {} end
   local TT = {}
   for i = 1, n do TT[i] = core.between(f0[i], stop, unit) end
   for j = 1, #pc do
      local i = row_of[key(pc[j])]
      local st = core.between(f0[i], days(pd[j]), unit)
      if st + 1 > 0 and st <= TT[i] then per[i][#per[i] + 1] = { st, j } end
   end
   local a = { x = {}, t_x = {}, T = TT, ntrans = {}, ttime = {}, nper = {}, pstart = {}, z = {},
      ncov = #cols, proc = proc, col = ccol }
   for i = 1, n do
      a.x[i], a.t_x[i], a.ntrans[i] = 0, 0, 0
      add_periods(fn, a, i, per[i], zc, cols)
   end
   local th = {}
   for i, v in ipairs(vals) do th[i] = i <= 4 and math.log(v) or v end
   return core.simulate_tx(a, th, seed, f0, stop, unit, ids, dy.customer)
end

function M.refuse(m, fn)
   if m.dynamic then errors.fail("models.dyncov_predict", { fn = fn }) end
end

-- M.static(m, fn, o): the options of FUTURE and PATH given to a model without time-varying
-- covariates are an error naming the option (declared with every prediction's options,
-- they would otherwise be accepted and ignored).
function M.static(m, fn, o)
   if m.dynamic then return end
   for _, name in ipairs({ "dynamic", "future", "path" }) do
      if o[name] ~= nil then errors.fail("models.dyncov_option", { fn = fn, option = name }) end
   end
end

return M
