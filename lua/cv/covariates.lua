-- cv.covariates: time-invariant covariates for cv.fit("pareto_nbd" | "bgnbd", s, {trans =,
-- life =, constrain =}) and cv.fit("gamma_gamma", s, {spend =}) (lua/cv/fit.lua builds the
-- Model; the work is in C,
-- src/core/model_cov*.c through cv.core.covariates). The design of a fit from its options,
-- the fit's fields, the parameters that the data barely identify, the likelihood-ratio
-- test between nested models. The parametrization and the walkthrough: docs/models.md,
-- "Covariates".
local core = require "cv.core.covariates"
local models = require "cv.core.models"
local date = require "cv.core.date"
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local opts = require "cv.opts"
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)

local M = {}

-- The models that take covariates (include/cvkit/covariates.h).
M.supported = { bgnbd = true, pareto_nbd = true, bgbb = true, gamma_gamma = true }
-- The options naming covariate columns each supported model takes.
local OPTIONS = { bgnbd = { "trans", "life", "constrain" },
   pareto_nbd = { "trans", "life", "constrain" }, bgbb = { "trans", "life", "constrain" },
   gamma_gamma = { "spend" } }

local function is_table(v)
   return type(v) == "userdata" and tostring(v):match("^cv%.Table") ~= nil
end

-- design(fn, name, s, o) -> {{column =, proc = "trans" | "life" | "both" | "spend", name =},
-- ...} from the options trans, life and constrain (Pareto/NBD, BG/NBD) or spend
-- (Gamma-Gamma), each a column name or an array of them, or nil when none is given. The
-- coefficients are named trans.<column>, life.<column>, constr.<column> and spend.<column>,
-- in that order. Unknown columns and another model's options are refused.
function M.design(fn, name, s, o)
   if o.trans == nil and o.life == nil and o.constrain == nil and o.spend == nil then
      return nil
   end
   if not M.supported[name] then errors.fail("models.cov_model", { fn = fn, model = name }) end
   local takes = {}
   for _, k in ipairs(OPTIONS[name]) do takes[k] = true end
   for _, k in ipairs { "trans", "life", "constrain", "spend" } do
      if o[k] ~= nil and not takes[k] then
         errors.fail("models.cov_option", { fn = fn, model = name, option = k,
            want = table.concat(OPTIONS[name], ", ") })
      end
   end
   if not is_table(s) then errors.fail("models.cov_table", { fn = fn, got = opts.shown(s) }) end
   local cols, has = s:names(), {}
   for _, c in ipairs(cols) do has[c] = true end
   local d, on = {}, { trans = {}, life = {}, spend = {} }
   local function add(option, proc, prefix)
      local list = o[option]
      if list == nil then return end
      if type(list) == "string" then list = { list } end
      for _, c in ipairs(list) do
         if type(c) ~= "string" then
            errors.fail("models.cov_name", { fn = fn, option = option, got = opts.shown(c) })
         end
         if not has[c] then errors.unknown(fn, "column", c, cols) end
         for _, p in ipairs(proc == "both" and { "trans", "life" } or { proc }) do
            if on[p][c] then
               errors.fail("models.cov_twice", { fn = fn, column = c,
                  process = i18n.t("models.process." .. p) })
            end
            on[p][c] = true
         end
         d[#d + 1] = { column = c, proc = proc, name = prefix .. "." .. c }
      end
   end
   add("trans", "trans", "trans")
   add("life", "life", "life")
   add("constrain", "both", "constr")
   add("spend", "spend", "spend")
   return d
end

-- The prefixes of the coefficient names each model takes (M.design's names), in its order.
local PREFIXES = { bgnbd = { "trans", "life", "constr" },
   pareto_nbd = { "trans", "life", "constr" }, bgbb = { "trans", "life", "constr" },
   gamma_gamma = { "spend" } }
local PROC_OF = { trans = "trans", life = "life", constr = "both", spend = "spend" }

-- params_design(fn, name, src, vals) -> the design of the coefficients named in the parameter
-- table src (keys "trans.Gender", "life.Channel", "constr.Age", "spend.Gender": prefix, a dot,
-- the covariate column), nil when there is none; their values appended to vals (the model's
-- parameters) in the design's order: by prefix as M.design, then by column name. A dotted key
-- with another prefix, or on a model without covariates, and a value that is not a number
-- are errors naming the key.
function M.params_design(fn, name, src, vals)
   local found, list = {}, {}
   for k, v in pairs(src) do
      local pre, col
      if type(k) == "string" then pre, col = k:match("^([^.]+)%.(.+)$") end
      if pre then
         local ok = false
         for _, p in ipairs(PREFIXES[name] or {}) do ok = ok or p == pre end
         if not ok then
            errors.fail("models.sim_coef", { fn = fn, key = k, model = name,
               want = PREFIXES[name] and table.concat(PREFIXES[name], ", ") or "-" })
         end
         if type(v) ~= "number" or v ~= v then
            errors.fail("models.sim_coef_value", { fn = fn, key = k, got = opts.shown(v) })
         end
         found[#found + 1] = { pre = pre, column = col, value = v }
      end
   end
   if #found == 0 then return nil end
   local rank = {}
   for i, p in ipairs(PREFIXES[name]) do rank[p] = i end
   table.sort(found, function(a, b)
      if a.pre ~= b.pre then return rank[a.pre] < rank[b.pre] end
      return a.column < b.column
   end)
   for _, f in ipairs(found) do
      list[#list + 1] = { column = f.column, proc = PROC_OF[f.pre],
         name = f.pre .. "." .. f.column }
      vals[#vals + 1] = f.value
   end
   return list
end

-- simulate(fn, name, vals, design, n, o) -> Table: n customers drawn with their own
-- parameters, customer i with the covariates of row i of o.covariates (a cv.Table of n rows
-- holding the design's columns, copied to the result): x, t_x, T (T = o.T, 52 by default) or,
-- for the Gamma-Gamma, x, mean_repeat_spend (x = o.x), after the column o.id when given;
-- seed o.seed. The draws are made in C
-- (cv_cov_simulate_table).
-- who(fn, name, design, n, o) -> o.covariates, checked: n rows holding the design's columns
-- and the column o.id when given (a missing one refused with the closest name).
local function who(fn, name, design, n, o)
   local s = o.covariates
   local need, seen = {}, {}
   for _, c in ipairs(design) do
      if not seen[c.column] then need[#need + 1], seen[c.column] = c.column, true end
   end
   if s == nil then
      errors.fail("models.sim_cov_needed", { fn = fn, model = name,
         columns = table.concat(need, ", ") })
   end
   if s:nrows() ~= n then
      errors.fail("models.sim_rows", { fn = fn, n = tostring(n), rows = tostring(s:nrows()) })
   end
   local cols, has = s:names(), {}
   for _, c in ipairs(cols) do has[c] = true end
   for _, c in ipairs(need) do
      if not has[c] then errors.unknown(fn, "column", c, cols) end
   end
   if o.id ~= nil and not has[o.id] then errors.unknown(fn, "column", o.id, cols) end
   return s
end

local function plain(design)
   local d = {}
   for i, c in ipairs(design) do d[i] = { column = c.column, proc = c.proc } end
   return d
end

function M.simulate(fn, name, vals, design, n, o)
   local s = who(fn, name, design, n, o)
   local gg = name == "gamma_gamma"
   local input = o.T or 52
   if gg then input = o.x end
   if input == nil then errors.fail("models.sim_x", { fn = fn }) end
   if type(input) == "table" and #input ~= n then
      errors.fail("models.sim_len", { fn = fn, option = gg and "x" or "T", n = tostring(n),
         got = tostring(#input) })
   end
   local t = core.simulate(name, vals, plain(design), s, o.seed or 1, input, o.id)
   if o.id == nil then return t end
   local order = { o.id }
   for _, c in ipairs(t:names()) do
      if c ~= o.id then order[#order + 1] = c end
   end
   return t:select(order)
end

-- simulate_tx(fn, name, vals, design, n, o, unit, spend) -> Table customer (or the column
-- o.id of o.covariates), date, amount: cv.simulate_transactions with customer i drawn at the
-- parameters of row i of o.covariates (checked as M.simulate's); the draws in C
-- (cv_cov_simulate_tx).
function M.simulate_tx(fn, name, vals, design, n, o, unit, spend)
   local s = who(fn, name, design, n, o)
   local start = date.days(o.start or "1997-01-01")
   local stop = o["end"] and date.days(o["end"]) or start + 546 -- 78 weeks
   return core.simulate_tx(name, vals, plain(design), s, { seed = o.seed or 1, start = start,
      ["end"] = stop, cohort_days = o.cohort_days or 90, unit = unit, spend = spend }, o.id)
end

-- loglik(m, fn, s, cols) -> the log-likelihood of m's estimates on the summary s, each
-- customer with the covariates of their row (a missing covariate column is refused with the
-- closest name).
function M.loglik(m, fn, s, cols)
   local names, has = s:names(), {}
   for _, c in ipairs(names) do has[c] = true end
   for _, c in ipairs(m.covariates) do
      if not has[c.column] then errors.unknown(fn, "column", c.column, names) end
   end
   return core.loglik(m.name, m.values, m.covariates, s, cols)
end

-- The keys of reg each model takes: the processes its coefficients act on.
local REG_KEYS = { bgnbd = { "trans", "life" }, pareto_nbd = { "trans", "life" },
   bgbb = { "trans", "life" }, gamma_gamma = { "spend" } }

-- penalty(fn, o, design, name) -> {params =, scale =, trans =, life =, spend =} from cv.fit's
-- options penalizer, penalizer_scale and reg = {trans =, life =} (Pareto/NBD, BG/NBD, BG/BB)
-- or {spend =} (Gamma-Gamma) (a missing key is 0), or nil when there is no penalty. Strict: a
-- key of reg the model has no coefficients for, a value that is not a number >= 0, and reg
-- without covariates (design nil) are errors naming the option. The penalties and why:
-- docs/models.md, "Regularised fits".
function M.penalty(fn, o, design, name)
   local pen = { params = 0, scale = o.penalizer_scale or "log", trans = 0, life = 0, spend = 0 }
   if o.penalizer ~= nil then
      local v = o.penalizer
      if type(v) ~= "number" or not (v >= 0) or v == math.huge then
         errors.fail("models.penalizer_value", { fn = fn, got = opts.shown(v) })
      end
      pen.params = v
   end
   if o.reg ~= nil then
      local keys, ok = REG_KEYS[name] or { "trans", "life" }, {}
      for _, k in ipairs(keys) do ok[k] = true end
      for k, v in pairs(o.reg) do
         if not ok[k] then
            errors.fail("models.reg_key", { fn = fn, key = tostring(k),
               keys = table.concat(keys, ", "), hint = errors.hint(tostring(k), keys) })
         end
         if type(v) ~= "number" or not (v >= 0) or v == math.huge then
            errors.fail("models.reg_value", { fn = fn, key = k, got = opts.shown(v) })
         end
         pen[k] = v
      end
      if not design then errors.fail("models.reg_no_cov", { fn = fn }) end
      pen.reg = true -- said in the fit's report even at 0 (reg = {trans = 0, life = 0})
   end
   if pen.params == 0 and pen.trans == 0 and pen.life == 0 and pen.spend == 0
      and o.reg == nil then
      return nil
   end
   return pen
end

-- penalized(m) -> true when m's fit had a positive penalty (reg = {trans = 0, life = 0} is the
-- maximum-likelihood fit: not penalized, though print says the lambdas).
function M.penalized(m)
   local p = m.penalty
   return p ~= nil and (p.params > 0 or p.trans > 0 or p.life > 0 or (p.spend or 0) > 0)
end

-- penalty_lines(m) -> the lines that say which penalty m's fit used ({} without one):
-- "L2 penalty lambda trans 8, life 8" ("L2 penalty lambda spend 2" for the Gamma-Gamma),
-- "penalty on the parameters: 0.01 x sum of (log p)^2".
function M.penalty_lines(m)
   local pen, out = m.penalty, {}
   if not pen then return out end
   local function num(v) return string.format("%.6g", v) end
   if m.covariates and pen.reg and m.name == "gamma_gamma" then
      out[#out + 1] = i18n.t("models.say.reg_spend", { spend = num(pen.spend) })
   elseif m.covariates and pen.reg then
      out[#out + 1] = i18n.t("models.say.reg", { trans = num(pen.trans), life = num(pen.life) })
   end
   if pen.params > 0 then
      out[#out + 1] = i18n.t("models.say.penalizer." .. pen.scale, { coef = num(pen.params) })
   end
   return out
end

-- weak(names, eig, eigvec) -> the parameters the data barely identify: those with a weight
-- of at least 0.3 in an eigenvector of the observed information (in log-parameters and
-- coefficients) whose eigenvalue is below 1 (a standard deviation above 1 along that
-- direction: a factor e^2 either way at 95%) or not positive.
function M.weak(names, eig, eigvec)
   local k, out, seen = #names, {}, {}
   for j = 1, k do
      local e = eig[j]
      if e == nil or e < 1 then
         for i = 1, k do
            local v = eigvec[(i - 1) * k + j]
            if (v == nil or math.abs(v) >= 0.3) and not seen[i] then
               seen[i] = true
               out[#out + 1] = names[i]
            end
         end
      end
   end
   table.sort(out, function(a, b)
      local ia, ib
      for i, n in ipairs(names) do
         if n == a then ia = i end
         if n == b then ib = i end
      end
      return ia < ib
   end)
   return out
end

-- fit(name, s, o, d) -> the fields of a Model with covariates: names and values hold the
-- model's parameters then the coefficients (trans.Gender, ...), params and se by name,
-- covariates = the design with each coefficient's estimate and se, loglik0 (the same model
-- without covariates), eigen (the information's eigenvalues), weak (M.weak).
function M.fit(name, s, o, d, pen)
   pen = pen or {}
   local r = core.fit(name, s, d, { x = o.x, t_x = o.t_x, T = o.T, m = o.m, weight = o.weight,
      penalizer = pen.params, penalizer_scale = pen.scale, reg_trans = pen.trans,
      reg_life = pen.life, reg_spend = pen.spend })
   return M.record(name, r, d)
end

-- record(name, r, d) -> the fields of a Model of name with the covariates d from the core's
-- fit r (of cv.core.covariates or cv.core.dyncov): names and values, the parameters then the
-- coefficients; each coefficient's estimate and se also set in d. M.fit's and dyncov's.
function M.record(name, r, d)
   local info = models.info(name)
   local names = {}
   for i, pn in ipairs(info.params) do names[i] = pn end
   for _, c in ipairs(d) do names[#names + 1] = c.name end
   local params, se = {}, {}
   for i, pn in ipairs(names) do
      params[pn], se[pn] = r.est[i], r.se[i]
   end
   for i, c in ipairs(d) do
      c.estimate, c.se = r.est[#info.params + i], r.se[#info.params + i]
   end
   return { model = name, name = name, title = info.title, names = names, values = r.est,
      params = params, se = se, cov_log = r.cov, loglik = r.loglik, loglik0 = r.loglik0,
      aic = r.aic, bic = r.bic, n_obs = r.n_obs, n_rows = r.n_rows, converged = r.converged,
      status = r.status, boundary = r.boundary, se_ok = r.se_ok, grad_norm = r.grad_norm,
      message = r.message, method = r.method, iterations = r.iterations,
      evaluations = r.evaluations, covariates = d, eigen = r.eig,
      weak = M.weak(names, r.eig, r.eigvec), objective = r.objective }
end

-- params1(m, record) -> the model parameters of one customer given as a record with a number
-- for each covariate column (raises through check(fn, record, fields) when one is missing).
function M.params1(m, record, check, fn)
   local need, procs, z = {}, {}, {}
   for i, c in ipairs(m.covariates) do
      need[#need + 1] = c.column
      procs[i] = c.proc
   end
   check(fn, record, need)
   for i, c in ipairs(m.covariates) do z[i] = record[c.column] end
   return core.params1(m.name, m.values, procs, z)
end

-- predict(m, kind, s, arg, arg2, column, cols) -> s with the column of kind, every customer
-- with their own parameters.
function M.predict(m, kind, s, arg, arg2, column, cols)
   return core.predict(m.name, m.values, m.covariates, kind, s, arg, arg2, column, cols)
end

-- clv(m, s, o, spend) -> the CLV table of core.clv with every customer's own parameters: of
-- the transaction model m (with or without covariates) and, when spend is a Gamma-Gamma with
-- covariates, of the spend model too (o.spend_params is then not used).
function M.clv(m, s, o, spend)
   if spend and spend.covariates then
      o.spend_est, o.spend_design, o.spend_params = spend.values, spend.covariates, nil
   end
   return core.clv(m.name, m.values, m.covariates or {}, s, o)
end

-- profile(m, param, values) -> Table value, loglik, deviance (2 (LL - loglik), chi-square
-- with 1 df under the hypothesis param = value), p_value: the profile likelihood of the
-- parameter param of m (a fit with covariates on a summary table) at each value.
function M.profile(m, fn, param, values)
   local j
   for i, n in ipairs(m.names) do if n == param then j = i end end
   if not j then errors.unknown(fn, "parameter", param, m.names) end
   local r = core.profile(m.name, m.summary, m.covariates, { x = m.cols.x, t_x = m.cols.t_x,
      T = m.cols.T, m = m.cols.m, weight = m.cols.weight }, m.values, j, values)
   return M.profile_table(m, values, r.ll)
end

-- profile_table(m, values, ll) -> the Table of M.profile from the profile log-likelihoods ll
-- (nil or NaN where not computed) of m's parameter at values (lua/cv/dyncov.lua's too).
function M.profile_table(m, values, ll)
   local dev, p, l = {}, {}, {}
   for i = 1, #values do
      if ll[i] and ll[i] == ll[i] then
         l[i] = ll[i]
         dev[i], p[i] = core.lr_test(m.loglik, ll[i], 1)
      end
   end
   local n = #values
   l.n, dev.n, p.n = n, n, n
   return base.table { { "value", values, "float" }, { "loglik", l, "float" },
      { "deviance", dev, "float" }, { "p_value", p, "float" } }
end

-- lr_test(fn, full, restricted) -> {statistic, df, p_value, loglik, loglik0}: the
-- likelihood-ratio test of restricted nested in full (same model, same customers, its
-- parameters a subset of full's); restricted nil: full against the same model without
-- covariates (its loglik0).
function M.lr_test(fn, full, restricted)
   local ll0, df
   for _, m in ipairs { full, restricted or full } do
      if M.penalized(m) then errors.fail("models.lr_penalized", { fn = fn }) end
   end
   if restricted == nil then
      if not full.covariates then
         errors.fail("models.lr_not_nested", { fn = fn, why = i18n.t("models.lr_why.none") })
      end
      ll0, df = full.loglik0, #full.covariates
   else
      local function why(key, vars)
         errors.fail("models.lr_not_nested", { fn = fn, why = i18n.t("models.lr_why." .. key,
            vars) })
      end
      if full.name ~= restricted.name then why("model", { a = full.name, b = restricted.name }) end
      if #restricted.names >= #full.names then
         why("size", { a = #full.names, b = #restricted.names })
      end
      local has = {}
      for _, n in ipairs(full.names) do has[n] = true end
      for _, n in ipairs(restricted.names) do
         if not has[n] then why("params", { name = n }) end
      end
      if math.abs(full.n_obs - restricted.n_obs) > 1e-9 * full.n_obs then
         why("data", { a = full.n_obs, b = restricted.n_obs })
      end
      ll0, df = restricted.loglik, #full.names - #restricted.names
   end
   local stat, p = core.lr_test(full.loglik, ll0, df)
   return { statistic = stat, df = df, p_value = p, loglik = full.loglik, loglik0 = ll0 }
end

return M
