-- models/clv_retention.lua: retention-based CLV per customer (Gupta & Lehmann),
--   CLV = m × r ÷ (1 + d − r)
-- m = the customer's yearly margin (revenue per year × margin rate), r = the yearly
-- retention rate, d = the annual effective discount rate (period = "year": the rate per
-- period is d itself); margins come at the end of each year the
-- customer stays, the current year's margin is not counted (formula clv.retention; see
-- docs/formulas.md). Without --set retention=..., r is estimated from the data period to
-- period (Berger & Nasr 1998), as examples/demo.lua does: the last 2k months of the data
-- (k = 12, or half the months the data span when they are fewer) are two periods; of the
-- customers who bought in the first, the share h who bought again in the second is the
-- retention per k months, and r = h^(12/k) per year. Not the share of repeat buyers: a
-- customer who bought twice in March and left is a repeat buyer but was not retained.
-- Also shows what 5 points more retention would do (formula retention.effect).
-- Run: cvkit run models/clv_retention.lua --data tx.csv --set margin_rate=0.3
local script = require "cv.script"
local errors = require "cv.errors"
local i18n = require "cv.i18n"

i18n.add {
   ["clv_retention.say.measured"] = {
      en = "retention measured period to period: of the {active} customers who bought from {from} "
         .. "to {mid}, {kept} bought again from {next} to {last} ({h} per {k} months); per year {r}",
      zh = "保留率按相邻两期计算：{from} 至 {mid} 购买过的 {active} 位客户中，{kept} 位在 {next} 至 "
         .. "{last} 再次购买（每 {k} 个月的保留率为 {h}）；折合每年 {r}" },
   ["clv_retention.too_short"] = {
      en = "the data span {first} to {last}, less than two months: no retention to measure from "
         .. "one period to the next (give --retention)",
      zh = "数据的时间跨度为 {first} 至 {last}，不足两个月：无法按相邻两期计算保留率（请给出 --retention）" },
   ["clv_retention.no_buyers"] = {
      en = "no customer bought from {from} to {to}: no retention to measure (give --retention)",
      zh = "{from} 至 {to} 没有客户购买：无法计算保留率（请给出 --retention）" },
}

local M = { name = "clv_retention", describe = "retention-based CLV per customer: m × r ÷ (1 + d − r)" }

M.params = script.transaction_params {
   margin_rate = { "margin as a share of revenue", 0.3 },
   discount = { "annual effective discount rate", 0.1 },
   retention = { "yearly retention rate (default: measured period to period in the data)", -1 },
   uplift = { "retention points to test, as a fraction (0.05 = 5 points)", 0.05 },
}

-- retention(cv, p) -> r per year, h per period, k months a period, the periods' ends
-- (first start, middle, last), kept, active: measured period to period (above).
local function retention(cv, p)
   local tx = cv.read_csv(p.data, script.read_options(p))
   local dates = tx:col(p.date)
   local first, last = tostring(dates:min()), tostring(dates:max())
   local months = math.floor((cv.date.diff(last, first) + 1) / (365.25 / 12)) -- days inclusive
   local k = math.min(12, months // 2)
   if k < 1 then
      errors.fail("clv_retention.too_short", { first = first, last = last }, errors.PARSE)
   end
   local mid, start = cv.date.add(last, -k, "month"), cv.date.add(last, -2 * k, "month")
   local function buyers(from, to)
      return tx:filter(p.date, ">", from):filter(p.date, "<=", to)
         :group_by({ p.customer }, { { "orders", "count" } }):select { p.customer }
   end
   local a = buyers(start, mid)
   if #a == 0 then
      errors.fail("clv_retention.no_buyers", { from = start, to = mid }, errors.PARSE)
   end
   local kept = #a:join(buyers(mid, last), { on = p.customer })
   local h = kept / #a
   return h ^ (12 / k), h, k, start, mid, last, kept, #a
end

function M.run(ctx, p)
   local cv = ctx.cv
   local s = ctx.customers(p)
   local r = p.retention
   local measured
   if r < 0 then
      local h, k, start, mid, last, kept, active
      r, h, k, start, mid, last, kept, active = retention(cv, p)
      measured = { kept = kept, active = active, h = h, k = k, from = cv.date.add(start, 1),
         mid = mid, to_first = cv.date.add(mid, 1), last = last }
   end
   -- m per customer: yearly margin
   s = s:add("margin", function(row)
      return row.revenue / row.years * p.margin_rate
   end)
   local out = cv.clv.retention(s, { margin = "margin", retention = r, discount = p.discount,
      period = "year" })
   out = out:select { "customer", "orders", "revenue", "years", "margin", "clv" }
   ctx.write(out, p)

   ctx.say("models.say.retention", { customers = #out, retention = r, discount = p.discount },
      { customers = "count", retention = "share", discount = "rate" })
   if measured then
      ctx.say("clv_retention.say.measured", { kept = measured.kept, active = measured.active,
         from = measured.from, mid = measured.mid, next = measured.to_first, last = measured.last,
         h = cv.format(measured.h, "share"), k = measured.k, r = cv.format(r, "share") },
         { kept = "count", active = "count" })
   end
   ctx.say("models.say.clv", { mean = out:col("clv"):mean(), total = out:col("clv"):sum() },
      { mean = "money", total = "money" })
   local to = math.min(r + p.uplift, 1)
   cv.explain("retention.effect", { margin = out:col("margin"):mean(), discount = p.discount,
      period = "year", retention = r, new_retention = to })
end

return script.main(M, ...)
