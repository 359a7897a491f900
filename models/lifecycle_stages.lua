-- models/lifecycle_stages.lua: each customer's lifecycle stage (exploration 考察期,
-- development 形成期, stability 稳定期, decline 退化期) and operational state (new, active,
-- at risk, lapsed, reactivated) at a date, from tenure, purchases in the last period
-- against the period before, and days since the last purchase (rules in
-- docs/segmentation.md).
-- Run: cvkit run models/lifecycle_stages.lua --data tx.csv --set period=90
local script = require "cv.script"
local seg = require "cv.segment"

local M = { name = "lifecycle_stages", describe = "lifecycle stages (exploration, development, stability, decline) and states" }

M.params = script.transaction_params {
   period = { "period length in days (recent vs previous purchases)", 90 },
   at = { "the date of the snapshot (YYYY-MM-DD; default the last purchase)", "" },
}
M.params.min_years = nil

function M.run(ctx, p)
   local cv = ctx.cv
   local tx = cv.read_csv(p.data, script.read_options(p))
   local at = p.at ~= "" and p.at or nil
   local l = cv.lifecycle(tx, { customer = p.customer, date = p.date, amount = p.amount,
      at = at, period = p.period })
   l = l:select { "customer", "tenure", "days_since_last", "orders", "recent", "previous",
      "revenue", "stage", "state" }
   ctx.write(l, p)

   local i18n = require "cv.i18n"
   ctx.say("segment.say.lifecycle", { customers = #l, period = p.period,
      date = at or tostring(tx:col(p.date):max()) })
   local stages, states = {}, {}
   for _, k in ipairs { "exploration", "development", "stability", "decline" } do
      stages[#stages + 1] = i18n.t("lifecycle.stage." .. k)
   end
   for _, k in ipairs { "new", "active", "reactivated", "at_risk", "lapsed" } do
      states[#states + 1] = i18n.t("lifecycle.state." .. k)
   end
   seg.report_table(l, "stage", { order = stages }):print(-1)
   seg.report_table(l, "state", { order = states }):print(-1)
end

return script.main(M, ...)
