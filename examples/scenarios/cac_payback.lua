-- examples/scenarios/cac_payback.lua: acquisition cost, margin and payback.
-- A customer brings margin m a month and stays each month with probability 1 − churn c.
-- Expected margin after n months: m × (1 − (1 − c)ⁿ) ÷ c; lifetime margin m ÷ c.
--   payback months = ln(1 − CAC × c ÷ m) ÷ ln(1 − c)     (never when CAC × c ≥ m)
-- Run:  cvkit scenarios examples/scenarios/cac_payback.lua [--only "CAC doubles"]
local function payback(cac, m, c)
   if cac * c >= m then
      return math.huge -- the customer never pays back
   end
   return math.log(1 - cac * c / m) / math.log(1 - c)
end

local sc = cv.scenario {
   title = "Acquisition cost and payback",
   base = { cac = 300, arpu = 50, margin_rate = 0.5, churn = 0.03 },
   variants = {
      { "CAC doubles", cac = 600 },
      { "churn 2%", churn = 0.02 },
      { "price +10%", arpu = 55 },
   },
   metrics = { "payback_months", "ltv", "ltv_to_cac", "profit" },
   model = function(p)
      local m = p.arpu * p.margin_rate
      local ltv = m / p.churn
      return { payback_months = payback(p.cac, m, p.churn), ltv = ltv, ltv_to_cac = ltv / p.cac,
         profit = ltv - p.cac }
   end,
}

local res = sc:run()
res:print()

-- The highest CAC that still pays back within 18 months.
local cac = sc:breakeven { param = "cac", metric = "payback_months", target = 18, range = { 1, 800 } }
print(string.format("\nCAC pays back within 18 months up to %.2f", cac))
-- A break-even that does not exist in the range says so.
print(select(2, sc:breakeven { param = "churn", metric = "profit", target = 0, range = { 0.01, 0.05 } }))
