-- cv.intervals: intervals on the models' predictions, the options the prediction methods of
-- lua/cv/fit.lua share (interval, method, draws, seed) and the call of the core
-- (cv.core.intervals: src/core/interval.c, model_interval.c). docs/models.md, "Intervals".
local core = require "cv.core.intervals"
local errors = require "cv.errors"
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)
local covariates = require "cv.covariates"

local M = {}

-- The options, declared by each method that takes them (opts.concat).
M.OPTIONS = {
   { "interval", "number",
     en = "also an interval at this level (0.9: from the 5% to the 95% quantile): columns "
        .. "<name>_lo and <name>_hi, and the totals over the customers as a second result",
     zh = "同时给出此水平的区间（0.9：5% 至 95% 分位数）：列 <名称>_lo 与 <名称>_hi，"
        .. "并以第二个结果给出全体客户的合计" },
   { "method", { "asymptotic", "bootstrap" },
     en = "how the interval is drawn: asymptotic (parameters drawn from the fit's normal "
        .. "approximation on the log scale) or bootstrap (customers resampled, the model refitted)",
     zh = "区间的抽样方法：asymptotic（按拟合的对数尺度正态近似抽取参数）或 bootstrap"
        .. "（有放回地重抽客户并重新拟合）" },
   { "draws", "integer",
     en = "parameter draws, or bootstrap refits (default 1000 asymptotic, 200 bootstrap)",
     zh = "参数抽样次数或 bootstrap 重新拟合次数（默认 asymptotic 1000 次，bootstrap 200 次）" },
   { "seed", "integer", en = "seed of the draws (default 1): the same seed, the same interval",
     zh = "抽样的随机数种子（默认 1）：种子相同，区间相同" },
}

-- asked(fn, o) -> true when o asks for an interval; raises for a level outside (0, 1),
-- fewer than 2 draws, or method, draws, seed without interval.
function M.asked(fn, o)
   if o.interval == nil then
      for _, k in ipairs { "method", "draws", "seed" } do
         if o[k] ~= nil then errors.fail("models.interval_needs", { fn = fn, option = k }) end
      end
      return false
   end
   if not (o.interval > 0 and o.interval < 1) then
      errors.fail("models.interval_level", { fn = fn, got = tostring(o.interval) })
   end
   if o.draws ~= nil and o.draws < 2 then
      errors.fail("models.interval_draws", { fn = fn, got = tostring(o.draws) })
   end
   return true
end

-- M.fit_of(fn, m, method) -> what the core reads of the fitted model m (nil for nil): a fit
-- (cv.fit) with a covariance (asymptotic) or an interior maximum and its data (bootstrap);
-- with covariates, its design (the core reads its columns in the table asked about and, for
-- the bootstrap, in the fit's data).
function M.fit_of(fn, m, method)
   if m == nil then return nil end
   if m.loglik == nil then
      errors.fail("models.interval_no_fit", { fn = fn, model = m.name })
   end
   if method == "bootstrap" then
      if covariates.penalized(m) then -- the refits would drop the penalty
         errors.fail("models.interval_penalized", { fn = fn, model = m.name })
      end
      if m.status == "boundary" then
         local names = {}
         for _, k in ipairs(m.boundary or {}) do names[#names + 1] = k end
         errors.fail("models.interval_boundary", { fn = fn, model = m.name,
            names = #names > 0 and table.concat(names, ", ") or "-" })
      end
      if m.summary == nil then
         errors.fail("models.interval_no_data", { fn = fn, model = m.name })
      end
   elseif m.cov_log == nil then
      errors.fail(m.covariates and "models.interval_cov_no_cov" or "models.interval_no_cov", { fn = fn, model = m.name,
         status = tostring(m.status) })
   end
   return { model = m.name, params = m.values, cov_log = m.cov_log, data = m.summary,
      cols = m.cols, design = m.covariates }
end

-- M.lohi_table(rows, first) -> Table first, estimate, lo, hi of the core's {name =, estimate =,
-- lo =, hi =} rows.
function M.lohi_table(rows, first)
   local name, est, lo, hi = {}, {}, {}, {}
   for i, r in ipairs(rows) do
      name[i], est[i], lo[i], hi[i] = r.name, r.estimate, r.lo, r.hi
   end
   local n = #rows
   return base.table { { first, name }, { "estimate", est, "float", n = n },
      { "lo", lo, "float", n = n }, { "hi", hi, "float", n = n } }
end

-- run(fn, s, o, a) -> s with <kind>_lo and <kind>_hi, the totals Table (prediction,
-- estimate, lo, hi), the parameters' Table (param, estimate, lo, hi), {draws =, used =}.
--   o: the checked options (interval, method, draws, seed);
--   a: tx = the transaction model (a Model or nil), spend = the Gamma-Gamma model (or nil),
--      kinds = {"p_alive", "conditional", "dert", "spend", "clv"} (a subset), horizon,
--      delta, clv_horizon, clv_rate, clv_factor, cols = the columns of s.
function M.run(fn, s, o, a)
   local method = o.method or "asymptotic"
   local opt = { kinds = a.kinds, horizon = a.horizon, delta = a.delta,
      clv_horizon = a.clv_horizon, clv_rate = a.clv_rate, clv_factor = a.clv_factor,
      method = method, level = o.interval, seed = o.seed or 1,
      draws = o.draws or (method == "bootstrap" and 200 or 1000) }
   for _, k in ipairs { "x", "t_x", "T", "m", "weight" } do opt[k] = a.cols and a.cols[k] end
   local t, totals, params, info = core.run(M.fit_of(fn, a.tx, method),
      M.fit_of(fn, a.spend, method), s, opt)
   if info.used < info.draws then
      errors.warn("models.interval_failed", { fn = fn, failed = info.draws - info.used,
         draws = info.draws })
   end
   return t, M.lohi_table(totals, "prediction"), M.lohi_table(params, "param"), info
end

return M
