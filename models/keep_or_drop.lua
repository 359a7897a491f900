-- models/keep_or_drop.lua: keep or drop the loss-making customers of a cost-to-serve study.
-- The customer P&L (as models/customer_pnl.lua: activity-based cost to serve, concessions,
-- acquisition and retention cost) plus facility-level costs allocated by revenue says which
-- customers lose money on full cost. Whether dropping one pays is another question: only the
-- avoidable costs go away with it. A costs file says, per cost line, the share that is
-- avoidable and the term of that part (avoidable, specific, out_of_pocket; or sunk, common,
-- unavoidable when nothing goes away); the rest of a line stays (unavoidable), as do the
-- allocated facility costs (common) and the acquisition cost already spent (sunk). Per
-- customer (the formula decision.keep_or_drop over every row):
--   contribution lost = revenue − variable costs (product cost, concessions)
--   profit change if dropped = avoidable fixed costs − contribution lost (> 0: drop)
-- Scenarios vary how much of the activity costs is avoidable (activity_scale multiplies the
-- file's shares, at most 1) and the facility cost. Writes OUT (one row per customer). Run:
--   cvkit run models/keep_or_drop.lua --data examples/b2b/orders.csv \
--     --set service=examples/b2b/service.csv --set customers=examples/b2b/customers.csv \
--     --set activities=examples/b2b/activities.csv --set costs=examples/b2b/keep_or_drop.csv
local i18n = require "cv.i18n"
local script = require "cv.script"

local M = { name = "keep_or_drop",
   describe = "keep or drop loss-making customers: avoidable costs against the contribution lost" }

M.params = {
   data = { "orders file (CSV; one row per order)", nil },
   customer = { "column of customer ids", "customer_id" },
   service = { "per-customer file joined on the customer (support calls, visits, rebates), or empty", "" },
   customers = { "per-customer file joined on the customer (segment, acquisition and retention cost), or empty", "" },
   activities = { "cost pools (CSV: activity, driver, cost or rate)", nil },
   sums = { "order columns summed per customer, comma separated",
      "lines,deliveries,rush,returns,revenue,product_cost,discount" },
   costs = { "cost lines (CSV: cost, avoidable share 0..1, term)", nil },
   variable = { "cost lines that vary with sales, comma separated (the rest are fixed)",
      "product_cost,discount,rebate" },
   facility_cost = { "facility-level costs allocated to customers by revenue (common)", 250000 },
   activity_scale = { "multiplies the avoidable shares of the activity costs (capped at 1)", 1 },
   top = { "loss-making customers shown", 10 },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}

-- The cost lines of the costs file: {cost, share, term, activity}.
local function read_costs(cv, path)
   local lines = {}
   for _, r in cv.read_csv(path):rows() do
      lines[#lines + 1] = { cost = r.cost, share = tonumber(r.avoidable), term = r.term,
         activity = r.cost:match("^cost_") ~= nil }
   end
   return lines
end

-- The per-customer P&L with a facility column (its revenue share of facility_cost).
local function pnl(cv, p)
   local abc = cv.costing.abc {
      data = p.data, customer = p.customer, read = p.read,
      drivers = cv.costing.transaction_drivers(p.sums),
      join = { p.service, p.customers }, activities = p.activities,
   }
   local t = abc.drivers:join(abc.customers, { on = p.customer })
   local service = {}
   for _, name in ipairs(abc.customers:names()) do
      if name:match("^cost_") and name ~= "cost_to_serve" then service[#service + 1] = name end
   end
   local r = cv.costing.pnl(t, { customer = p.customer, revenue = "revenue",
      product = { "product_cost" }, concessions = { "discount", "rebate" }, service = service,
      acquisition = { "acquisition_cost" }, retention = { "retention_cost" } }).customers
   local total = r:col("revenue"):sum()
   return r:add("facility", function(row) return p.facility_cost * row.revenue / total end)
end

-- The avoidable share of a cost line under activity_scale.
local function share(line, scale)
   return line.activity and math.min(1, line.share * scale) or line.share
end

-- decide(t, lines, variable, scale) -> t with variable_costs, avoidable_fixed, unavoidable,
-- full_profit, contribution, drop_effect and decision per customer.
local function decide(cv, t, lines, variable, scale)
   t = t:add("variable_costs", function(r)
      local s = 0
      for _, l in ipairs(lines) do
         if variable[l.cost] then s = s + share(l, scale) * r[l.cost] end
      end
      return s
   end):add("avoidable_fixed", function(r)
      local s = 0
      for _, l in ipairs(lines) do
         if not variable[l.cost] then s = s + share(l, scale) * r[l.cost] end
      end
      return s
   end):add("unavoidable", function(r)
      local s = 0
      for _, l in ipairs(lines) do s = s + (1 - share(l, scale)) * r[l.cost] end
      return s
   end)
   t = t:add("full_profit", function(r) return r.profit - r.facility end)
   t = cv.decision.keep_or_drop(t, { revenue = "revenue", variable_costs = "variable_costs",
      avoidable_fixed = "avoidable_fixed" })
   t = t:add("contribution", function(r) return r.revenue - r.variable_costs end)
   return t:add("decision", function(r) return r.drop_effect > 0 and "drop" or "keep" end)
      :kind { variable_costs = "money", avoidable_fixed = "money", unavoidable = "money",
         full_profit = "money", contribution = "money", facility = "money",
         drop_effect = "money" }
end

-- The metrics of a decision table: loss-makers on full cost, customers to drop, the profit
-- gained by dropping them, the loss-makers kept (they still cover part of the common costs).
local function metrics(t)
   local losing = t:filter("full_profit", "<", 0)
   local drop = t:filter("drop_effect", ">", 0)
   return { loss_makers = #losing, drop = #drop,
      gain = #drop > 0 and drop:col("drop_effect"):sum() or 0,
      kept_loss_makers = #losing - #drop }
end

function M.run(ctx, p)
   local cv = ctx.cv
   local lines = read_costs(cv, p.costs)
   local variable = {}
   for col in tostring(p.variable):gmatch("[^,%s]+") do variable[col] = true end
   local base = pnl(cv, p)
   local t = decide(cv, base, lines, variable, p.activity_scale)
   local losing = t:filter("full_profit", "<", 0):sort("full_profit")

   -- the cost lines of the loss-making customers, classified
   local items = {}
   for _, l in ipairs(lines) do
      local s, total = share(l, p.activity_scale), #losing > 0 and losing:col(l.cost):sum() or 0
      if s > 0 then
         items[#items + 1] = { l.cost, s * total, [l.term] = true }
      end
      if s < 1 then
         local term = s > 0 and "unavoidable" or l.term
         local name = s > 0 and l.cost .. " (" .. cv.format(1 - s, "rate") .. ")" or l.cost
         items[#items + 1] = { name, (1 - s) * total, [term] = true }
      end
   end
   cv.decision.classify(items, { decision = i18n.t("keep_or_drop.decision",
      { n = #losing }) }):explain()

   ctx.write(t:select { p.customer, "revenue", "variable_costs", "avoidable_fixed",
      "unavoidable", "facility", "full_profit", "contribution", "drop_effect", "decision" }
      :sort("full_profit"), p)
   print(i18n.t("keep_or_drop.worst", { n = math.min(p.top, #losing) }))
   local shown = losing:head(p.top) -- the decisions in the user's language
   shown = shown:add("decision_shown", function(r)
      return i18n.t("keep_or_drop.decision_" .. r.decision)
   end)
   cv.show(shown, { { p.customer, i18n.t("keep_or_drop.col.customer") },
      { "revenue", i18n.t("keep_or_drop.col.revenue") },
      { "full_profit", i18n.t("keep_or_drop.col.full_profit") },
      { "contribution", i18n.t("keep_or_drop.col.contribution") },
      { "avoidable_fixed", i18n.t("keep_or_drop.col.avoidable_fixed") },
      { "drop_effect", i18n.t("keep_or_drop.col.drop_effect") },
      { "decision_shown", i18n.t("keep_or_drop.col.decision") } })
   local m = metrics(t)
   ctx.say("keep_or_drop.say", { losing = m.loss_makers, customers = #t, drop = m.drop,
      kept = m.kept_loss_makers, gain = m.gain }, { gain = "money" })
   if #losing > 0 then
      local w = losing:row(1)
      cv.explain("decision.keep_or_drop", { revenue = w.revenue,
         variable_costs = w.variable_costs, avoidable_fixed = w.avoidable_fixed })
   end

   -- scenarios: how much of the activity costs goes away, and the facility cost
   local sc = cv.scenario {
      title = i18n.t("keep_or_drop.scenarios"),
      base = { activity_scale = p.activity_scale, facility_cost = p.facility_cost },
      variants = {
         { i18n.t("keep_or_drop.v.half"), activity_scale = p.activity_scale * 0.5 },
         { i18n.t("keep_or_drop.v.all"), activity_scale = 100 },
         { i18n.t("keep_or_drop.v.facility"), facility_cost = p.facility_cost * 2 },
      },
      metrics = { "loss_makers", "drop", "gain" },
      labels = { loss_makers = i18n.t("keep_or_drop.m.loss_makers"),
         drop = i18n.t("keep_or_drop.m.drop"), gain = i18n.t("keep_or_drop.m.gain") },
      param_labels = { activity_scale = i18n.t("model.keep_or_drop.activity_scale"),
         facility_cost = i18n.t("model.keep_or_drop.facility_cost") },
      kinds = { loss_makers = "count", drop = "count", gain = "money", activity_scale = "share",
         facility_cost = "money" },
      model = function(q)
         local b = base:add("facility", function(r)
            return r.facility * (p.facility_cost > 0 and q.facility_cost / p.facility_cost or 0)
         end)
         return metrics(decide(cv, b, lines, variable, q.activity_scale))
      end,
   }
   sc:run():print()
end

return script.main(M, ...)
