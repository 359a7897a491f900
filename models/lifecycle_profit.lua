-- models/lifecycle_profit.lua: customer lifecycle profit, the NPV of each customer's
-- profit per period since their first purchase,
--   NPV = Σ profit(t) ÷ (1 + i)^t,   i = (1 + discount)^(the period in years) − 1
-- (discount: the annual effective rate; period: day, week, month or year; the rate per
-- period is derived by the core, cv.timevalue.per_period)
-- profit(t) = margin_rate × revenue in period t of the relationship (period 1 starts at the
-- first purchase). timing = "end": each period's profit arrives at its end (t = 1..n,
-- formula profit.lifecycle_npv); "start": at its start, the first undiscounted (t = 0..n−1,
-- profit.lifecycle_npv_start). This values the profits observed so far: not a forecast.
-- Run: cvkit run models/lifecycle_profit.lua --data tx.csv --set period=week
local script = require "cv.script"

local M = { name = "lifecycle_profit", describe = "NPV of each customer's observed profit per period" }

M.params = script.transaction_params {
   discount = { "annual effective discount rate", 0.1 },
   period = { "the period of the profits: day, week, month or year", "month" },
   margin_rate = { "margin as a share of revenue", 0.3 },
   timing = { "when a period's profit arrives: end or start", "end" },
}
M.params.min_years = nil -- not used here

function M.run(ctx, p)
   local cv = ctx.cv
   if p.timing ~= "end" and p.timing ~= "start" then
      require("cv.errors").fail("models.bad_timing",
         { model = "lifecycle_profit", value = tostring(p.timing) })
   end
   local units -- the periods the formula takes: the core's unit names
   for _, input in ipairs(cv.formula.info("profit.lifecycle_npv").inputs) do
      units = input.choices or units
   end
   local errors = require "cv.errors"
   local known = false
   for _, u in ipairs(units) do known = known or u == p.period end
   if not known then
      errors.fail("opts.bad_choice", { fn = "lifecycle_profit", opt = "period",
         value = tostring(p.period), hint = errors.hint(tostring(p.period), units) })
   end
   local tx = cv.read_csv(p.data, script.read_options(p))
   -- the period of each purchase: 1 + whole periods since the customer's first purchase
   local first = tx:group_by({ p.customer }, { first = { "min", p.date } })
   tx = tx:join(first, { on = p.customer })
   -- periods of the unit's mean length in days (30.436875 for a month: the core's, through
   -- cv.timevalue; rounded so that a week is exactly 7 days)
   local len = cv.timevalue.years(1, p.period) / cv.timevalue.years(1, "day")
   len = math.floor(len * 1e6 + 0.5) / 1e6
   tx = tx:add("period", function(row)
      return cv.date.diff(row[p.date], row.first) // len + 1
   end, "int")
   local by = tx:group_by({ p.customer, "period" }, { revenue = { "sum", p.amount } })
   -- one row per customer, one column per period (0 when nothing was bought)
   local ids, index, flows, n = {}, {}, {}, 0
   for _, row in by:rows() do
      local id = row[p.customer]
      if not index[id] then
         ids[#ids + 1] = id
         index[id] = #ids
         flows[#ids] = {}
      end
      flows[index[id]][row.period] = row.revenue * p.margin_rate
      n = math.max(n, row.period)
   end
   local cols, names = { { "customer", ids } }, {}
   for t = 1, n do
      local col = {}
      for k = 1, #ids do
         col[k] = flows[k][t] or 0.0
      end
      names[t] = "p" .. t
      cols[#cols + 1] = { names[t], col, "float" }
   end
   local wide = cv.table(cols)
   local formula = p.timing == "end" and "profit.lifecycle_npv" or "profit.lifecycle_npv_start"
   local out = cv.formula.apply(wide, formula, { discount = p.discount, period = p.period,
      profits = names }, "lifecycle_profit")
   out = out:add("profit", function(row)
      local sum = 0
      for _, name in ipairs(names) do
         sum = sum + row[name]
      end
      return sum
   end)
   out = out:select { "customer", "profit", "lifecycle_profit" }
   ctx.write(out, p)

   local i18n = require "cv.i18n"
   local word = function(key) return i18n.has(key) and i18n.t(key) or nil end
   ctx.say("models.say.periods", { customers = #out, periods = n,
      period = word("models.unit." .. p.period) or p.period,
      timing = word("models.timing." .. p.timing) or p.timing }, { customers = "count" })
   ctx.say("models.say.npv", { profit = out:col("profit"):sum(),
      npv = out:col("lifecycle_profit"):sum(), discount = p.discount },
      { profit = "money", npv = "money", discount = "rate" })
end

return script.main(M, ...)
