-- models/whale_curve.lua: the whale curve of customer profitability. Customers ranked by
-- profit, highest first; the curve is the cumulative profit as a share of the total. It
-- rises above 100% while profitable customers are added, peaks, and falls back to 100% as
-- the loss-makers come in: the peak says how much more profit the company would make
-- without its loss-makers (before the costs that would not go away with them).
-- Input: one row per customer with a profit column, such as customer_pnl's output:
--   cvkit run models/customer_pnl.lua ... && cvkit run models/whale_curve.lua --data out/customer_pnl.csv
local script = require "cv.script"

local M = { name = "whale_curve",
   describe = "whale curve: cumulative profit by customers ranked from most to least profitable" }

M.params = {
   data = { "one row per customer with a profit column (CSV), e.g. customer_pnl's output", nil },
   customer = { "column of customer ids", "customer_id" },
   profit = { "column of customer profit", "profit" },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}

function M.run(ctx, p)
   local cv = ctx.cv
   local t = cv.read_csv(p.data, p.read)
   local curve, st = cv.whale(t, { profit = p.profit, key = p.customer })
   ctx.write(curve, p)                 -- rank, customer, profit, cum_profit, cum_share, ...
   ctx.say("costing.say.whale_total", { customers = st.customers, total = st.total,
      losers = st.loss_makers, losses = st.losses })
   ctx.say("costing.say.whale_peak", { peak = 100 * st.peak_share, rank = st.peak_rank,
      percent = 100 * st.peak_rank / st.customers, profit = st.peak })
   ctx.say("costing.say.whale_top", { top20 = 100 * st.top20_share })
   ctx.say("costing.say.whale_bottom", { bottom30 = -st.bottom30_profit,
      share = -100 * st.bottom30_profit / st.total })
end

return script.main(M, ...)
