-- cv.model_script: the steps the transaction-based model scripts share (models/clv.lua,
-- clv_bgnbd.lua, clv_pareto_nbd.lua, compare_models.lua): their parameters, the summary of
-- the transactions file with its calibration and observation ends, the fit's line, the
-- holdout check and the whole CLV run. The models themselves are cv.fit's.
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)
local fit = require "cv.fit"

local M = {}

-- The parameters the transaction-based model scripts share (with cv.script's own).
M.script_params = {
   unit = { "time unit of the model: day, week, month or year", "week" },
   calibration_end = { "last day of the calibration period (YYYY-MM-DD; empty: the last purchase)", "" },
   observation_end = { "last day of the holdout period (YYYY-MM-DD; empty: no holdout)", "" },
}

-- script_summary(p) -> summary, report: the transactions file p.data summarized in p.unit
-- with the calibration and observation ends of p; a calibration end without an observation
-- end is allowed (a fit on the data to a date) but warned about: the rest is left out.
function M.script_summary(p)
   local o = base.read_options(p)
   o.customer, o.date, o.amount, o.unit, o.quiet = p.customer, p.date, p.amount, p.unit, true
   if p.calibration_end ~= "" then o.calibration_end = p.calibration_end end
   if p.observation_end ~= "" then o.observation_end = p.observation_end end
   if p.calibration_end ~= "" and p.observation_end == "" then -- said, never silent
      errors.warn("models.no_holdout", { calibration_end = p.calibration_end })
   end
   return base.summary_csv(p.data, o)
end

local function fmt(v, d)
   return string.format("%." .. (d or 4) .. "f", v)
end

-- say_fit(ctx, m): the fitted parameters and log-likelihood, one line.
function M.say_fit(ctx, m)
   local parts = {}
   for i, pn in ipairs(m.names) do
      parts[#parts + 1] = pn .. " = " .. string.format("%.4g", m.values[i])
   end
   ctx.say("models.say.fit", { model = m.title, params = table.concat(parts, ", "),
      loglik = m.loglik, customers = math.floor(m.n_obs) }, { loglik = { "number", 2 } })
end

local function unit_name(u)
   return i18n.t("models.unit." .. u)
end

-- say_validation(ctx, m, s, rep): the holdout check (buckets and totals) when s has one.
function M.say_validation(ctx, m, s, rep)
   if not rep.holdout_length then return end
   local b, st = m:validate(s) -- the holdout of the summary (t:meta())
   ctx.say("models.say.buckets")
   ctx.show(b, { customers = "count", actual_total = "count", x = "count" })
   ctx.say("models.say.validation", { t = base.format(rep.holdout_length, "number"),
      unit = unit_name(m.unit),
      span = i18n.span(base.format(rep.holdout_length, "number"), m.unit),
      actual = math.floor(st.actual), expected = base.format(st.expected, "number", 2),
      mae = fmt(st.mae), rmse = fmt(st.rmse), brier = fmt(st.brier) })
end

-- run_clv(ctx, p, name): fit the model and Gamma-Gamma on the summary of p.data, predict
-- and value every customer, write the table, print the fit, the CLV totals, the top
-- customers and the holdout validation.
function M.run_clv(ctx, p, name)
   local s, rep = M.script_summary(p)
   local m = fit.fit(name, s, { unit = p.unit })
   M.say_fit(ctx, m)
   local gg = fit.fit("gammagamma", s, { quiet = true })
   ctx.say("models.say.spend", { params = string.format("p = %.4g, q = %.4g, gamma = %.4g",
      gg.values[1], gg.values[2], gg.values[3]),
      r = gg.correlation and fmt(gg.correlation, 3) or "-" })
   fit.warn(gg)
   if gg.correlation and math.abs(gg.correlation) >= fit.correlation_warning then
      errors.warn("models.spend_correlated", { r = fmt(gg.correlation, 2) })
   end
   local horizon = tonumber(p.horizon) or 0
   if horizon <= 0 then horizon = math.huge end
   local c = m:clv(s, { spend = gg, margin = p.margin, horizon = horizon,
      discount = p.discount, unit = p.unit })
   c = m:conditional(c, horizon < math.huge and horizon or 52)
   local keep = { "customer", "x", "t_x", "T", "p_alive", "conditional", "dtx", "spend",
      "value_tx", "clv" }
   if name == "pareto_nbd" then
      c = m:dert(c, { discount = p.discount })
      table.insert(keep, 7, "dert")
   end
   if rep.holdout_length then keep[#keep + 1] = "x_holdout" end
   c = c:select(keep)
   ctx.write(c, p)
   local clv = c:col("clv")
   local negative = #c:filter("clv", "<", 0)
   local pct = base.format(p.discount, "rate") -- 15%, 12.5%
   if horizon < math.huge then
      ctx.say("models.say.clv_total", { horizon = horizon, unit = unit_name(m.unit), discount = pct,
         span = i18n.span(horizon, m.unit),
         total = clv:sum(), mean = clv:mean(), negative = negative })
   else
      ctx.say("models.say.clv_lifetime", { discount = pct, total = clv:sum(), mean = clv:mean(),
         negative = negative })
   end
   ctx.say("models.say.top", { n = 5 })
   local top = {} -- the value per transaction (spend × margin) stays in the file only
   for _, n in ipairs(keep) do if n ~= "value_tx" then top[#top + 1] = n end end
   ctx.show(c:sort { { "clv", "desc" } }:head(5):select(top), base.MODEL_KINDS)
   M.say_validation(ctx, m, s, rep)
   return c, m
end

return M
