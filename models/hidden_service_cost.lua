-- models/hidden_service_cost.lua: the explicit and the hidden costs of service, and three
-- retention scenarios.
--   explicit cost = service staff + department costs (+ other): money actually spent
--   hidden cost   = margin lost with customers who leave because of poor service
--                 + margin lost with prospects who hear of it and do not buy
--     dissatisfied = customers × dissatisfied_rate;  leaving = dissatisfied × defect_rate
--     word of mouth: each dissatisfied customer tells `tell` others, of whom `not_buy` do not buy
-- Switching costs (the customer's side: time and effort, economic, emotional; formula
-- cost.switching) keep dissatisfied customers from leaving: with perceived gains from
-- switching spread evenly between 0 and `gain`, the share of would-be leavers who still
-- leave is 1 − switching cost ÷ gain (none when the cost reaches the gain). Scenarios:
-- base, better service (fewer dissatisfied, at a cost), higher switching costs.
-- With --data (one row per customer, e.g. customer_pnl's output) the customers are counted
-- and customer_value is the mean of the value column. Run:
--   cvkit run models/hidden_service_cost.lua --data out/customer_pnl.csv --set service_staff=180000
local script = require "cv.script"

local M = { name = "hidden_service_cost",
   describe = "explicit and hidden (lost-customer and word-of-mouth) costs of service, with retention scenarios" }

M.params = {
   data = { "one row per customer (CSV) to count customers and value them, or empty", "" },
   value = { "column of the yearly value (margin) of a customer, with --data", "profit" },
   customers = { "number of customers, without --data", 400 },
   customer_value = { "yearly value (margin) lost with a customer, without --data", 1000 },
   service_staff = { "explicit: service staff cost", 180000 },
   department_costs = { "explicit: other service department costs", 72000 },
   dissatisfied_rate = { "share of customers dissatisfied with service", 0.2 },
   defect_rate = { "share of the dissatisfied who leave", 0.3 },
   tell = { "people each dissatisfied customer tells", 9 },
   not_buy = { "share of those told who then do not buy", 0.05 },
   better_service = { "scenario: cut in the dissatisfied share (0.5 = halved)", 0.5 },
   better_service_cost = { "scenario: extra yearly spend on service for it", 60000 },
   setup_cost = { "scenario: switching cost added, setup (time and effort)", 0 },
   lost_benefits = { "scenario: switching cost added, loyalty benefits lost (economic)", 300 },
   relationship_loss = { "scenario: switching cost added, relationship lost (emotional)", 200 },
   gain = { "largest yearly gain a dissatisfied customer sees in switching", 1500 },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}

function M.run(ctx, p)
   local cv = ctx.cv
   local customers, value = p.customers, p.customer_value
   if p.data ~= "" then
      local t = cv.read_csv(p.data, p.read)
      customers, value = #t, t:col(p.value):mean()
   end
   local switching = cv.cost.switching { setup_cost = p.setup_cost,
      lost_benefits = p.lost_benefits, relationship_loss = p.relationship_loss }
   local stay = math.min(1, switching / p.gain)   -- share of would-be leavers kept
   local scenarios = {
      { "base", p.dissatisfied_rate, p.defect_rate, 0 },
      { "better_service", p.dissatisfied_rate * (1 - p.better_service), p.defect_rate,
        p.better_service_cost },
      { "switching_costs", p.dissatisfied_rate, p.defect_rate * (1 - stay), 0 },
   }
   local rows = { {}, {}, {}, {}, {}, {}, {}, {}, {} }
   for i, s in ipairs(scenarios) do
      local inputs = { customers = customers, dissatisfied_rate = s[2], defect_rate = s[3],
         customer_value = value, tell = p.tell, not_buy = p.not_buy }
      local steps = cv.formula.steps("cost.hidden_service", inputs)
      local hidden = steps[#steps].v
      local total = cv.cost.service_total { service_staff = p.service_staff,
         department_costs = p.department_costs, other_explicit = s[4], hidden_cost = hidden }
      local v = { s[1], s[2], s[3], steps[2].v, steps[4].v, hidden,
         p.service_staff + p.department_costs + s[4], total }
      for k = 1, #v do rows[k][i] = v[k] end
   end
   local t = cv.table({ "scenario", "dissatisfied_rate", "defect_rate", "lost_customers",
      "lost_prospects", "hidden_cost", "explicit_cost", "service_cost" },
      { rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7], rows[8] })
   ctx.write(t, p, { say = "costing.say.wrote" })
   local i18n = require "cv.i18n"
   local shown = {} -- the scenarios by their names in the user's language
   for i, s in ipairs(scenarios) do shown[i] = i18n.t("costing.hidden." .. s[1]) end
   local d = { { "scenario", shown } }
   for _, n in ipairs(t:names()) do
      if n ~= "scenario" then d[#d + 1] = { n, t:col(n):totable() } end
   end
   ctx.show(cv.table(d), { dissatisfied_rate = "share", defect_rate = "share",
      lost_customers = { "number", 1 }, lost_prospects = { "number", 1 }, hidden_cost = "money",
      explicit_cost = "money", service_cost = "money" }, "costing.col.")
   cv.explain("cost.hidden_service", { customers = customers,
      dissatisfied_rate = p.dissatisfied_rate, defect_rate = p.defect_rate,
      customer_value = value, tell = p.tell, not_buy = p.not_buy })
   local base = t:row(1)
   ctx.say("costing.say.hidden", { explicit = base.explicit_cost, hidden = base.hidden_cost,
      total = base.service_cost, times = base.hidden_cost / base.explicit_cost },
      { explicit = "money", hidden = "money", total = "money" })
   ctx.say("costing.say.switching", { switching = switching, gain = p.gain,
      percent = 100 * stay, saved = base.service_cost - t:row(3).service_cost },
      { switching = "money", gain = "money", saved = "money" })
end

return script.main(M, ...)
