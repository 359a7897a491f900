-- cv.crm.lcc and cv.satisfaction.bands (lua/cv/crmcost.lua), and the Lua faces of the
-- chapter's formulas: values worked by hand, the options checked, the example inputs of
-- models/crm_tco.lua and models/loyalty_programme.lua.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local top = os.getenv("TOP") or "."

local A3 = 1 / 1.1 + 1 / 1.21 + 1 / 1.331 -- a(3, 10%)

local function lines()
   return cv.table { { "option", { "A", "A", "A", "B" } },
      { "phase", { "licences", "support", "retention gained", "subscription" } },
      { "kind", { "cost", "cost", "benefit", "cost" } },
      { "amount", { 1000, 10, 880, 121 } }, { "from", { 0, 1, 1, 2 } },
      { "to", { 0, 3, 3, 2 } }, { "per_user", { 0, 1, 0, 0 } } }
end

test("life-cycle cost by option: present values, EAC per user, NPV, payback", function()
   local r, l = cv.crm.lcc(lines(), { users = { A = 20, B = 4 }, discount = 0.1, years = 3 })
   eq(r:col("option"):totable(), { "A", "B", n = 2 })
   local a, b = r:row(1), r:row(2)
   near(a.cost_pv, 1000 + 200 * A3, 1e-9)
   near(a.benefit_pv, 880 * A3, 1e-9)
   near(a.npv, 680 * A3 - 1000, 1e-9)
   near(a.eac_per_user, (1000 + 200 * A3) / A3 / 20, 1e-9)
   near(a.payback, 1 + (1000 - 680 / 1.1) / (680 / 1.21), 1e-9)
   near(b.cost_pv, 100, 1e-9)
   eq(b.payback, nil) -- no benefits: no payback
   near(l:row(2).pv, 200 * A3, 1e-9)
   eq(r:col("eac"):kind(), "money")
end)

test("users from a table; kind and to default to a one-off cost", function()
   local t = cv.table { { "option", { "X" } }, { "phase", { "selection" } },
      { "amount", { 500 } }, { "from", { 0 } } }
   local users = cv.table { { "option", { "X" } }, { "users", { 5 } } }
   local r = cv.crm.lcc(t, { users = users, discount = 0, years = 2 })
   near(r:row(1).eac, 250, 1e-12)
   near(r:row(1).eac_per_user, 50, 1e-12)
end)

test("the example inputs of models/crm_tco.lua", function()
   local r = cv.crm.lcc(top .. "/examples/crm/tco_lines.csv",
      { users = top .. "/examples/crm/tco_options.csv", discount = 0.1, years = 5 })
   local a5 = (1 - 1.1 ^ -5) / 0.1
   local saas = r:row(2)
   eq(saas.option, "SaaS")
   -- 20,000 + 15,000 + 25,000 + 400 × 50 now; 900 × 50 a year for 5 years
   near(saas.cost_pv, 80000 + 45000 * a5, 1e-6)
   near(saas.benefit_pv, 95000 * a5, 1e-6)
   near(saas.eac_per_user, (80000 + 45000 * a5) / a5 / 50, 1e-9)
   -- net −80,000 now, +50,000 a year: payback 1 + (80,000 − 50,000/1.1) ÷ (50,000/1.21)
   near(saas.payback, 1 + (80000 - 50000 / 1.1) / (50000 / 1.21), 1e-9)
end)

test("bad lines and options are named", function()
   local t = lines():add("kind", { "cost", "gain", "benefit", "cost" })
   raises("line 2: kind must be cost or benefit, got 'gain'", cv.crm.lcc, t,
      { users = { A = 1, B = 1 }, discount = 0.1, years = 3 })
   raises("no users given for option 'B'", cv.crm.lcc, lines(),
      { users = { A = 1 }, discount = 0.1, years = 3 })
   raises("line 2: to must be between from %(1%) and years %(2%), got 3", cv.crm.lcc, lines(),
      { users = { A = 1, B = 1 }, discount = 0.1, years = 2 })
   raises("unknown option 'discont'", cv.crm.lcc, lines(),
      { users = { A = 1, B = 1 }, discont = 0.1, years = 3 })
end)

test("satisfaction bands: each band's CLV is clv.retention's", function()
   local t = cv.table { { "band", { "dissatisfied", "neutral", "satisfied" } },
      { "customers", { 100, 300, 600 } }, { "retention", { 0.5, 0.7, 0.9 } } }
   local r, tot = cv.satisfaction.bands(t, { margin = 100, discount = 0.1, period = "year" })
   for i, ret in ipairs { 0.5, 0.7, 0.9 } do
      near(r:row(i).clv, cv.clv.retention { margin = 100, retention = ret, discount = 0.1,
         period = "year" }, 1e-9)
   end
   near(r:row(3).clv, 90 / 0.2, 1e-9) -- 100 × 0.9 ÷ (1.1 − 0.9)
   near(tot.value, 100 * 50 / 0.6 + 300 * 70 / 0.4 + 600 * 450, 1e-6)
   near(tot.retention, (50 + 210 + 540) / 1000, 1e-12)
   raises("option 'period' is required", cv.satisfaction.bands, t, { margin = 1, discount = 0.1 })
end)

test("the chapter's formulas from Lua: IFRS 15 points and the loyalty case", function()
   near(cv.loyalty.allocation { sales = 100000, points_issued = 10000, value_per_point = 1,
      redemption_rate = 0.97 }, 100000 * 9700 / 109700, 1e-9)
   near(cv.loyalty.revenue { points_allocated = 9000, points_redeemed = 4500,
      points_expected = 9700 }, 9000 * 4500 / 9700, 1e-9)
   near(cv.loyalty.profit { members = 20000, spend = 1000, margin_rate = 0.3,
      frequency_lift = 0.05, retention_lift = 0.02, points_per_spend = 1, redemption_rate = 0.8,
      cost_per_point = 0.01, running_cost = 150000 }, 102000, 1e-6)
   near(cv.crm.eac { present_cost = 1000, discount = 0, years = 4 }, 250, 1e-12)
   near(cv.satisfaction.nps { promoters = 50, passives = 30, detractors = 20 }, 30, 1e-12)
end)

test("the modules are in the sandbox's list", function()
   local ok = pcall(require, "cv.crmcost")
   eq(ok, true)
end)

T.report()
