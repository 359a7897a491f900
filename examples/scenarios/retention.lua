-- examples/scenarios/retention.lua: is a retention programme worth its cost?
-- Customer value with yearly retention r, yearly margin m, annual discount rate d (Gupta &
-- Lehmann; period = "year": the rate per period is d itself):
--   CLV = m × r ÷ (1 + d − r)      net CLV = (m − programme cost) × r ÷ (1 + d − r)
-- Run:  cvkit scenarios examples/scenarios/retention.lua [--only "retention +5 pts"] [--out out]
local sc = cv.scenario {
   title = "Retention programme, value per customer",
   base = { margin = 120, retention = 0.75, discount = 0.10, cost = 0 },
   variants = {
      { "retention +5 pts", retention = 0.80, cost = 8 },
      { "retention +10 pts", retention = 0.85, cost = 20 },
      { "margin -10%", margin = 108 },
   },
   metrics = { "clv", "net_clv" },
   model = function(p)
      local clv = cv.clv.retention { margin = p.margin, retention = p.retention,
         discount = p.discount, period = "year" }
      local net = clv * (p.margin - p.cost) / p.margin
      return { clv = clv, net_clv = net }
   end,
}

local res = sc:run() -- every variant, or those named by --only
res:print()

-- Which input moves net CLV most? (one at a time, sorted by swing)
print("\nsensitivity of net_clv")
sc:sensitivity { metric = "net_clv", vary = { retention = { 0.70, 0.80 }, margin = "±10%",
   discount = { 0.05, 0.15 } } }:table():print()

-- The highest programme cost at which +5 points still beats the base.
local cost = sc:breakeven { from = "retention +5 pts", param = "cost", metric = "net_clv",
   target = res:value("base", "net_clv"), range = { 0, 120 } }
print(string.format("\n+5 pts pays while the programme costs less than %.2f per customer-year", cost))

-- Retention is uncertain: 20,000 draws around 80%.
print("\nnet_clv of +5 pts with retention ~ normal(0.80, 0.03)")
sc:montecarlo { from = "retention +5 pts", inputs = { retention = { "normal", 0.80, 0.03,
   clamp = { 0, 0.99 } } }, draws = 20000, seed = 7, metrics = { "net_clv" },
   below = 257.14 }:print()

if cv.params.out then
   cv.mkdir(cv.params.out)
   res:write(cv.params.out .. "/scenarios_retention.csv")
   res:write(cv.params.out .. "/scenarios_retention.xlsx")
   cv.report { title = "Retention programme", sections = { res,
      sc:sensitivity { metric = "net_clv", vary = { retention = { 0.70, 0.80 }, margin = "±10%",
         discount = { 0.05, 0.15 } } } } }:save(cv.params.out .. "/scenarios_retention.html")
   print("\nwrote " .. cv.params.out .. "/scenarios_retention.{csv,xlsx,html}")
end
