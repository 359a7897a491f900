-- models/rfm_segments.lua: RFM scores and named segments per customer.
--   R = days since the last purchase (lower is better), F = orders, M = total (or mean)
--   spend, each scored 1..n by quantile bins (ties share a bin), then named by a scheme:
--   rfm10 (Champions ... Lost), quartile5, or cn8 (重要价值客户 ... 一般挽留客户).
-- Run: cvkit run models/rfm_segments.lua --data tx.csv --set scheme=cn8 [--lang zh]
local script = require "cv.script"
local seg = require "cv.segment"
local i18n = require "cv.i18n"

local M = { name = "rfm_segments", describe = "RFM scores and named segments (rfm10, quartile5 or cn8)" }

M.params = script.transaction_params {
   scheme = { "segment scheme: rfm10, quartile5 or cn8", "rfm10" },
   bins = { "score bins (0: the scheme's)", 0 },
   monetary = { "monetary value: total or mean spend", "total" },
   calibration_end = { "the date RFM is measured at (YYYY-MM-DD; default the last purchase)", "" },
   migrate_from = { "also a migration matrix from this date (YYYY-MM-DD; empty: none)", "" },
}
M.params.min_years = nil

function M.run(ctx, p)
   local cv = ctx.cv
   local tx, s = seg.read(p)
   local opts = { scheme = p.scheme, monetary = p.monetary }
   if p.bins > 0 then opts.bins = p.bins end
   local r, info = cv.rfm(s, opts)
   r = r:select { "customer", "days_since_last", "orders", "revenue", "mean_spend", "r_score",
      "f_score", "m_score", "segment" }
   ctx.write(r, p)

   local sc = cv.segment_schemes[p.scheme]
   local bins = opts.bins or sc.scores.bins or 2
   ctx.say("segment.say.scheme", { customers = #r, scheme = p.scheme,
      scores = i18n.t("segment.scores." .. (sc.scores.method or "bins"), { n = bins }) })
   if not opts.bins then
      local _, cov = cv.segment_coverage(p.scheme)
      ctx.say("segment.say.coverage", cov)
   end
   seg.report_table(r, "segment", { order = seg.names(p.scheme) }):print(-1)

   if p.migrate_from ~= "" then
      local to = p.calibration_end ~= "" and p.calibration_end or cv.date.format(cv.date.days(
         tostring(tx:col(p.date):max())))
      local m = cv.migration(tx, { customer = p.customer, date = p.date, amount = p.amount,
         from = p.migrate_from, to = to, by = p.scheme, monetary = p.monetary })
      ctx.say("segment.say.migration", { from = p.migrate_from, to = to })
      m:print(-1)
   end
end

return script.main(M, ...)
