-- models/clv_pareto_nbd.lua: customer lifetime value with the Pareto/NBD model (Schmittlein,
-- Morrison & Colombo 1987) for purchases and Gamma-Gamma for spend. From a transactions
-- file: the summary (x, t_x, T per customer), the fits, and per customer P(alive), the
-- expected purchases over the horizon, DERT, the expected spend, the discounted expected
-- transactions (dtx) and CLV = dtx × spend × margin share; with an observation end, the
-- holdout validation.
-- Run: cvkit run models/clv_pareto_nbd.lua --data tx.csv --set calibration_end=1997-09-30 \
--        --set observation_end=1998-06-30 --set horizon=52 --set discount=0.15
local script = require "cv.script"
local fit = require "cv.fit"
local steps = require "cv.model_script"

local M = { name = "clv_pareto_nbd", describe = "Pareto/NBD: P(alive), expected purchases, DERT, spend (Gamma-Gamma) and CLV per customer, with holdout validation" }

M.params = script.transaction_params {
   unit = steps.script_params.unit,
   calibration_end = steps.script_params.calibration_end,
   observation_end = steps.script_params.observation_end,
   horizon = { "CLV horizon in units (0: the whole lifetime, by DERT)", 52 },
   discount = { "annual effective discount rate", 0.15 },
   margin = { "margin share of spend (1: revenue)", 1 },
}
M.params.min_years = nil

function M.run(ctx, p)
   local _, m = steps.run_clv(ctx, p, "pareto_nbd")
   -- an HTML report (--out x.html) gets the model's diagnostics, spend included
   require("cv.diagnostics").script_sections(ctx, p, { m },
      ctx.html and fit.fit("gammagamma", m.summary, { quiet = true }) or nil)
end

return script.main(M, ...)
