-- models/crm_tco.lua: the CRM system's life-cycle cost (TCO) by option, against the value
-- it is expected to create. Each cost or benefit line (selection, licences or subscription,
-- custom development, deployment, data migration, training, support, upgrades; retention
-- gained, cost to serve saved, transaction costs lowered) has its years (0 = now) and may be
-- per user; every option is discounted at the annual rate over the system's life:
--   present value of the costs   PV = Σ amount × users? × (1 + d)^−t
--   equivalent annual cost       EAC = PV ÷ a(N, d),  a(N, d) = (1 − (1 + d)^−N) ÷ d
--   per user and year            EAC ÷ users;  NPV = PV(benefits) − PV(costs)
--   discounted payback           when the cumulative discounted net value turns >= 0
-- (cv.crm.explain_lcc, docs/formulas.md). Then scenarios a consultant varies (--set
-- discount, years, users_scale, cost_scale, benefit_scale): the discount rate up and down,
-- 50% more users, costs +20%, benefits −30%; the sensitivity of the best option's NPV; and
-- the benefit scale at which it breaks even.
-- Run: cvkit run models/crm_tco.lua --data examples/crm/tco_lines.csv \
--        --set options=examples/crm/tco_options.csv [--set discount=0.08] [--lang zh]
local script = require "cv.script"

local M = { name = "crm_tco",
   describe = "CRM system life-cycle cost (TCO) by option: discounted, per user and year, "
      .. "NPV and payback, with scenarios" }

M.params = {
   data = { "cost and benefit lines (CSV: option, phase, kind, amount, from, to, per_user)",
      "examples/crm/tco_lines.csv" },
   options = { "options (CSV: option, users)", "examples/crm/tco_options.csv" },
   discount = { "annual discount rate", 0.1 },
   years = { "the system's life in years", 5 },
   users_scale = { "scenario: users × this factor", 1 },
   cost_scale = { "scenario: every cost × this factor", 1 },
   benefit_scale = { "scenario: every benefit × this factor", 1 },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}

-- The metric name of an option: "npv_on_premises".
local function key(prefix, option)
   return prefix .. "_" .. option:gsub("[^%w]+", "_")
end

function M.run(ctx, p)
   local cv = ctx.cv
   local T = require("cv.i18n").t
   local lines, options = cv.read_csv(p.data, p.read), cv.read_csv(p.options, p.read)
   -- the lines and users of a scenario q (scales applied)
   local function inputs(q)
      local l = lines:add("amount", function(r)
         return r.amount * ((r.kind or "cost") == "benefit" and q.benefit_scale or q.cost_scale)
      end, "float")
      local u = options:add("users", function(r) return r.users * q.users_scale end, "float")
      return l, u
   end
   local base = { discount = p.discount, years = p.years, users_scale = p.users_scale,
      cost_scale = p.cost_scale, benefit_scale = p.benefit_scale }
   local l, u = inputs(base)
   local res = cv.crm.explain_lcc(l, { users = u, discount = p.discount, years = p.years })
   local names, metrics = res:col("option"):totable(), {}
   local labels, kinds = {}, { discount = "rate", years = "count" } -- shown names, kinds
   local function shown(name) -- a known option in the user's language (crmcost.option.*)
      local k = "crmcost.option." .. tostring(name):lower():gsub("[^%w]+", "_")
      return require("cv.i18n").has(k) and T(k) or name
   end
   for i = 1, names.n do
      metrics[#metrics + 1] = key("npv", names[i])
      metrics[#metrics + 1] = key("eac_per_user", names[i])
      labels[key("npv", names[i])] = T("model.crm_tco.m.npv", { option = shown(names[i]) })
      labels[key("eac_per_user", names[i])] = T("model.crm_tco.m.eac_per_user",
         { option = shown(names[i]) })
      kinds[key("npv", names[i])], kinds[key("eac_per_user", names[i])] = "money", "money"
   end
   local param_labels = {}
   for _, q in ipairs { "discount", "years", "users_scale", "cost_scale", "benefit_scale" } do
      param_labels[q] = T("model.crm_tco.p." .. q)
   end
   local function model(q)
      local ql, qu = inputs(q)
      local r = cv.crm.lcc(ql, { users = qu, discount = q.discount, years = q.years })
      local out = {}
      for _, row in r:rows() do
         out[key("npv", row.option)] = row.npv
         out[key("eac_per_user", row.option)] = row.eac_per_user
      end
      return out
   end
   local sc = cv.scenario {
      title = T("model.crm_tco"),
      base = base,
      variants = {
         { T("model.crm_tco.v.discount_low"), discount = math.max(p.discount - 0.04, 0) },
         { T("model.crm_tco.v.discount_high"), discount = p.discount + 0.04 },
         { T("model.crm_tco.v.users"), users_scale = 1.5 * p.users_scale },
         { T("model.crm_tco.v.costs"), cost_scale = 1.2 * p.cost_scale },
         { T("model.crm_tco.v.benefits"), benefit_scale = 0.7 * p.benefit_scale },
      },
      metrics = metrics,
      labels = labels, param_labels = param_labels, kinds = kinds,
      model = model,
   }
   local sres = sc:run()
   print()
   sres:by_metric():print(-1)
   -- the option with the highest NPV: its sensitivity and the benefit scale where NPV = 0
   local best, best_npv = nil, -math.huge
   for _, row in res:rows() do
      if row.npv > best_npv then best, best_npv = row.option, row.npv end
   end
   local metric = key("npv", best)
   local tornado = sc:sensitivity { metric = metric, vary = { discount = { math.max(p.discount
      - 0.04, 0), p.discount + 0.04 }, cost_scale = "±20%", benefit_scale = "±30%",
      users_scale = "±50%" } }
   print()
   tornado:print()
   local scale = sc:breakeven { param = "benefit_scale", metric = metric, target = 0,
      range = { 0, 2 * p.benefit_scale } }
   print()
   ctx.say("model.crm_tco.say.breakeven", { option = best,
      scale = scale and cv.formula.format_number(scale) or "-" })
   ctx.write(res, p, { say = "models.say.wrote_table", title = T("model.crm_tco"),
      sections = { sres, tornado } })
end

return script.main(M, ...)
