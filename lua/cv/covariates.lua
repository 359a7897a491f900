-- cv.covariates: time-invariant covariates for cv.fit("pareto_nbd" | "bgnbd", s, {trans =,
-- life =, constrain =}) and cv.fit("gamma_gamma", s, {spend =}) (lua/cv/fit.lua builds the
-- Model; the work is in C,
-- src/core/model_cov.c through cv.core.covariates). The design of a fit from its options,
-- the fit's fields, the parameters that the data barely identify, the likelihood-ratio
-- test between nested models. The parametrization and the walkthrough: docs/models.md,
-- "Covariates".
local core = require "cv.core.covariates"
local models = require "cv.core.models"
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local opts = require "cv.opts"

local M = {}

-- The models that take covariates (include/cvkit/covariates.h).
M.supported = { bgnbd = true, pareto_nbd = true, bgbb = true, gamma_gamma = true }
-- The options naming covariate columns each supported model takes.
local OPTIONS = { bgnbd = { "trans", "life", "constrain" },
   pareto_nbd = { "trans", "life", "constrain" }, bgbb = { "trans", "life", "constrain" },
   gamma_gamma = { "spend" } }

i18n.add {
   ["models.cov_model"] = {
      en = "{fn}: {model} takes no covariates (options trans, life, constrain, spend): pareto_nbd, "
         .. "bgnbd and bgbb do (trans, life, constrain), gamma_gamma does (spend)",
      zh = "{fn}：{model} 不支持协变量（选项 trans、life、constrain、spend）：pareto_nbd、bgnbd 和 "
         .. "bgbb 支持（trans、life、constrain），gamma_gamma 支持（spend）" },
   ["models.cov_option"] = {
      en = "{fn}: {model} takes covariates through option {want}, not '{option}'",
      zh = "{fn}：{model} 的协变量通过选项 {want} 给出，而不是“{option}”" },
   ["models.process.spend"] = { en = "spend", zh = "消费额" },
   ["models.cov_table"] = {
      en = "{fn}: covariates are columns of a summary table (cv.Table), not of {got}",
      zh = "{fn}：协变量是汇总表（cv.Table）的列，而不是 {got}" },
   ["models.cov_name"] = {
      en = "{fn}: option '{option}' takes column names (a string or an array of strings), got {got}",
      zh = "{fn}：选项“{option}”应为列名（字符串或字符串数组），实际为 {got}" },
   ["models.cov_twice"] = {
      en = "{fn}: covariate '{column}' is named twice for the {process} process (options "
         .. "trans, life, constrain: a constrained covariate acts on both processes already)",
      zh = "{fn}：协变量“{column}”在{process}过程中出现了两次（选项 trans、life、constrain："
         .. "约束的协变量已同时作用于两个过程）" },
   ["models.cov_unsupported"] = {
      en = "{fn}: not available for a model with covariates (each customer has parameters of "
         .. "its own); p_alive, conditional, dert, clv, predict, coef and lr_test are",
      zh = "{fn}：不适用于带协变量的模型（每位客户的参数各不相同）；可用 p_alive、conditional、"
         .. "dert、clv、predict、coef 和 lr_test" },
   ["models.lr_not_nested"] = {
      en = "{fn}: the models are not nested: {why}",
      zh = "{fn}：两个模型不是嵌套关系：{why}" },
   ["models.lr_why.model"] = { en = "one is {a}, the other {b}", zh = "一个是 {a}，另一个是 {b}" },
   ["models.lr_why.params"] = {
      en = "the restricted model's parameter '{name}' is not in the full model",
      zh = "受限模型的参数“{name}”不在完整模型中" },
   ["models.lr_why.size"] = {
      en = "the full model must have more parameters than the restricted one ({a} vs {b})",
      zh = "完整模型的参数必须多于受限模型（{a} 对 {b}）" },
   ["models.lr_why.data"] = {
      en = "they were fitted to different customers (N = {a} vs {b})",
      zh = "两者拟合所用的客户不同（N = {a} 对 {b}）" },
   ["models.lr_why.none"] = {
      en = "a model without covariates needs the restricted model as argument",
      zh = "不带协变量的模型需要以受限模型作为参数" },
   ["models.say.lr"] = {
      en = "likelihood-ratio test against the model without covariates: chi2 = {stat}, df = {df}, "
         .. "p = {p}",
      zh = "与不带协变量模型的似然比检验：chi2 = {stat}，自由度 = {df}，p = {p}" },
   ["models.say.weak"] = {
      en = "barely identified by the data (a flat direction of the likelihood: their standard "
         .. "errors are not to be trusted): {names}",
      zh = "数据几乎无法识别（似然函数的平坦方向：其标准误不可信）：{names}" },
   ["errors.what.parameter"] = { en = "parameter", zh = "参数" },
   ["models.profile_summary"] = {
      en = "{fn}: the profile needs the model's summary table (a fit on a cv.Table)",
      zh = "{fn}：轮廓似然需要模型的汇总表（在 cv.Table 上拟合）" },
   ["models.cov_only"] = {
      en = "{fn}: only for a model with covariates (cv.fit with trans, life or constrain)",
      zh = "{fn}：仅适用于带协变量的模型（cv.fit 使用 trans、life 或 constrain）" },
   ["models.reg_key"] = {
      en = "{fn}: option 'reg' takes the keys trans and life, not '{key}'{hint}",
      zh = "{fn}：选项“reg”只接受键 trans 和 life，而不是“{key}”{hint}" },
   ["models.reg_value"] = {
      en = "{fn}: option 'reg.{key}' must be a number >= 0, got {got}",
      zh = "{fn}：选项“reg.{key}”必须是 >= 0 的数，实际为 {got}" },
   ["models.reg_no_cov"] = {
      en = "{fn}: option 'reg' is an L2 penalty on covariate coefficients and this fit has no "
         .. "covariates (options trans, life, constrain); 'penalizer' penalizes the model's "
         .. "parameters",
      zh = "{fn}：选项“reg”是协变量系数的 L2 惩罚，而此拟合没有协变量（选项 trans、life、"
         .. "constrain）；对模型参数的惩罚请用“penalizer”" },
   ["models.penalizer_value"] = {
      en = "{fn}: option 'penalizer' must be a number >= 0, got {got}",
      zh = "{fn}：选项“penalizer”必须是 >= 0 的数，实际为 {got}" },
   ["models.lr_penalized"] = {
      en = "{fn}: the likelihood-ratio test compares maximum-likelihood fits; a penalized fit "
         .. "(options reg, penalizer) does not maximize the likelihood",
      zh = "{fn}：似然比检验比较的是最大似然拟合；带惩罚的拟合（选项 reg、penalizer）并不最大化"
         .. "似然" },
   ["models.interval_penalized"] = {
      en = "{fn}: bootstrap intervals of a penalized fit ({model}: options reg, penalizer) are "
         .. "not available; method = \"asymptotic\" draws from the penalized fit's covariance",
      zh = "{fn}：带惩罚的拟合（{model}：选项 reg、penalizer）不支持 bootstrap 区间；"
         .. "method = \"asymptotic\" 按带惩罚拟合的协方差抽样" },
   -- the core's messages of the penalties (src/core/model_core.c), in the user's language
   ["core.penalty.params"] = { en = "penalty: penalizer = %g must be a number >= 0",
      zh = "惩罚：penalizer = %g 必须是 >= 0 的数" },
   ["core.penalty.scale"] = { en = "penalty: unknown scale %d", zh = "惩罚：未知的尺度 %d" },
   ["core.penalty.trans"] = { en = "penalty: reg.trans = %g must be a number >= 0",
      zh = "惩罚：reg.trans = %g 必须是 >= 0 的数" },
   ["core.penalty.life"] = { en = "penalty: reg.life = %g must be a number >= 0",
      zh = "惩罚：reg.life = %g 必须是 >= 0 的数" },
   ["core.penalty.no_cov"] = {
      en = "penalty: reg (trans, life) is an L2 penalty on covariate coefficients: the fit has "
         .. "no covariates",
      zh = "惩罚：reg（trans、life）是协变量系数的 L2 惩罚：此拟合没有协变量" },
   ["core.model.theta"] = { en = "%s: log-parameter %s is not finite",
      zh = "%s：对数参数 %s 不是有限数" },
   ["core.model.objective"] = { en = "%s: objective not finite", zh = "%s：目标函数不是有限数" },
   ["models.say.reg"] = {
      en = "L2 penalty lambda trans {trans}, life {life}",
      zh = "L2 惩罚 lambda trans {trans}，life {life}" },
   ["models.say.penalizer.log"] = {
      en = "penalty on the parameters: {coef} x sum of (log p)^2",
      zh = "参数惩罚：{coef} x sum (log p)^2" },
   ["models.say.penalizer.natural"] = {
      en = "penalty on the parameters: {coef} x sum of p^2 (lifetimes' penalizer_coef)",
      zh = "参数惩罚：{coef} x sum p^2（lifetimes 的 penalizer_coef）" },
   ["models.process.trans"] = { en = "purchase", zh = "购买" },
   ["models.process.life"] = { en = "dropout", zh = "流失" },
}

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

-- penalty(fn, o, design) -> {params =, scale =, trans =, life =} from cv.fit's options
-- penalizer, penalizer_scale and reg = {trans =, life =} (a missing key is 0), or nil when
-- there is no penalty. Strict: a key of reg other than trans and life, a value that is not a
-- number >= 0, and reg without covariates (design nil) are errors naming the option. The
-- penalties and why: docs/models.md, "Regularised fits".
function M.penalty(fn, o, design)
   local pen = { params = 0, scale = o.penalizer_scale or "log", trans = 0, life = 0 }
   if o.penalizer ~= nil then
      local v = o.penalizer
      if type(v) ~= "number" or not (v >= 0) or v == math.huge then
         errors.fail("models.penalizer_value", { fn = fn, got = opts.shown(v) })
      end
      pen.params = v
   end
   if o.reg ~= nil then
      for k, v in pairs(o.reg) do
         if k ~= "trans" and k ~= "life" then
            errors.fail("models.reg_key", { fn = fn, key = tostring(k),
               hint = errors.hint(tostring(k), { "trans", "life" }) })
         end
         if type(v) ~= "number" or not (v >= 0) or v == math.huge then
            errors.fail("models.reg_value", { fn = fn, key = k, got = opts.shown(v) })
         end
         pen[k] = v
      end
      if not design then errors.fail("models.reg_no_cov", { fn = fn }) end
      pen.reg = true -- said in the fit's report even at 0 (reg = {trans = 0, life = 0})
   end
   if pen.params == 0 and pen.trans == 0 and pen.life == 0 and o.reg == nil then return nil end
   return pen
end

-- penalized(m) -> true when m's fit had a positive penalty (reg = {trans = 0, life = 0} is the
-- maximum-likelihood fit: not penalized, though print says the lambdas).
function M.penalized(m)
   local p = m.penalty
   return p ~= nil and (p.params > 0 or p.trans > 0 or p.life > 0)
end

-- penalty_lines(m) -> the lines that say which penalty m's fit used ({} without one):
-- "L2 penalty lambda trans 8, life 8", "penalty on the parameters: 0.01 x sum of (log p)^2".
function M.penalty_lines(m)
   local pen, out = m.penalty, {}
   if not pen then return out end
   local function num(v) return string.format("%.6g", v) end
   if m.covariates and pen.reg then
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
      reg_life = pen.life })
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
   local dev, p = {}, {}
   for i = 1, #values do
      local ll = r.ll[i]
      if ll then
         dev[i], p[i] = core.lr_test(m.loglik, ll, 1)
      end
   end
   local n = #values
   r.ll.n, dev.n, p.n = n, n, n
   return require("cv").table { { "value", values, "float" }, { "loglik", r.ll, "float" },
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
