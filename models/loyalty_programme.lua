-- models/loyalty_programme.lua: the economics of a points programme for a year.
--   incremental margin = members × spend × margin rate × (frequency lift + retention lift)
--   points issued      = members × spend × (1 + frequency lift) × points per unit of spend
--   reward cost        = points issued × redemption rate × cost per point (breakage: the
--                        points never redeemed, 1 − redemption rate, cost nothing)
--   programme profit   = incremental margin − reward cost − running cost   (loyalty.profit)
--   break-even lift    = the frequency lift at which the profit is 0 (loyalty.breakeven_lift,
--                        checked here by the scenario engine's root finder)
--   points liability   = outstanding points × redemption rate × cost per point
--                        (loyalty.liability: what the points still owed are expected to cost)
-- Then the sensitivity of the profit (tornado) to the lifts, the redemption rate, the cost
-- per point and the running cost. The case's numbers come from a file (parameter,value);
-- --set NAME=VALUE overrides any of them, so a consultant varies the inputs from the
-- command line.
-- Run: cvkit run models/loyalty_programme.lua [--data examples/crm/loyalty_case.csv]
--        [--set frequency_lift=0.03] [--lang zh]
local script = require "cv.script"

local M = { name = "loyalty_programme",
   describe = "loyalty programme economics: points, breakage, liability, profit, break-even "
      .. "lift and sensitivity" }

local NAMES = { "members", "spend", "margin_rate", "frequency_lift", "retention_lift",
   "points_per_spend", "redemption_rate", "cost_per_point", "running_cost",
   "outstanding_points" }

M.params = {
   data = { "case file (CSV: parameter, value)", "examples/crm/loyalty_case.csv" },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}
for _, n in ipairs(NAMES) do -- "" = the case file's value
   M.params[n] = { n:gsub("_", " ") .. " (default: the case file's)", "", "number" }
end

function M.run(ctx, p)
   local cv = ctx.cv
   local T = require("cv.i18n").t
   local known, q = {}, {}
   for _, n in ipairs(NAMES) do known[n] = true end
   for _, r in cv.read_csv(p.data, p.read):rows() do
      if not known[r.parameter] then
         require("cv.errors").fail("model.loyalty_programme.bad_case",
            { path = p.data, name = tostring(r.parameter) })
      end
      q[r.parameter] = r.value
   end
   for _, n in ipairs(NAMES) do
      if p[n] ~= "" then q[n] = p[n] end
   end
   local function profit_inputs(v)
      return { members = v.members, spend = v.spend, margin_rate = v.margin_rate,
         frequency_lift = v.frequency_lift, retention_lift = v.retention_lift,
         points_per_spend = v.points_per_spend, redemption_rate = v.redemption_rate,
         cost_per_point = v.cost_per_point, running_cost = v.running_cost }
   end
   local profit = cv.explain("loyalty.profit", profit_inputs(q))
   local b = profit_inputs(q)
   b.frequency_lift = nil
   local lift = cv.explain("loyalty.breakeven_lift", b)
   local liability = cv.explain("loyalty.liability", { outstanding_points = q.outstanding_points,
      redemption_rate = q.redemption_rate, cost_per_point = q.cost_per_point })
   ctx.say("model.loyalty_programme.say.profit", { profit = profit,
      lift = cv.format(lift, "share"), liability = liability },
      { profit = "money", liability = "money" })
   local sc = cv.scenario {
      title = T("model.loyalty_programme"),
      base = profit_inputs(q),
      metrics = { "programme_profit" },
      labels = { programme_profit = T("model.loyalty_programme.m.profit") },
      param_labels = (function()
         local out = {}
         for k in pairs(profit_inputs(q)) do out[k] = T("input." .. k) end
         return out
      end)(),
      kinds = { programme_profit = "money", spend = "money", running_cost = "money",
         cost_per_point = "money", members = "count", margin_rate = "share",
         frequency_lift = "share", retention_lift = "share", redemption_rate = "share" },
      model = function(v)
         return { programme_profit = cv.loyalty.profit(v) }
      end,
   }
   local root = sc:breakeven { param = "frequency_lift", metric = "programme_profit",
      target = 0, range = { 0, 1 } }
   ctx.say("model.loyalty_programme.say.check", { lift = root and cv.format(root, "share")
      or "-" })
   local tornado = sc:sensitivity { metric = "programme_profit", vary = {
      frequency_lift = "±50%", retention_lift = "±50%", redemption_rate = { math.max(
      q.redemption_rate - 0.1, 0), math.min(q.redemption_rate + 0.1, 1) },
      cost_per_point = "±20%", running_cost = "±20%" } }
   local t = tornado:table()
   tornado:print()
   ctx.write(t, p, { say = "models.say.wrote_table", title = T("model.loyalty_programme"),
      sections = { tornado } })
end

return script.main(M, ...)
