-- models/clv.lua: customer lifetime value in one run, what `cvkit clv FILE` runs. From a
-- transactions file (columns detected by name when not given): BG/NBD and Pareto/NBD fitted
-- and compared (cv.compare; the winner by the holdout MAE when there is a holdout, else by
-- BIC), Gamma-Gamma for spend, and per customer the winner's P(alive), expected
-- transactions over the horizon, expected spend and CLV, written to OUT/customers.csv and
-- OUT/customers.xlsx, with OUT/report.html: the comparison, the totals, the top customers
-- and each model's diagnostics. Without --calibration-end every transaction calibrates and
-- there is no holdout check (said on the console); --calibration-end and --observation-end
-- go together: one without the other is refused (the error suggests the file's last
-- transaction date as --observation-end), never a calibration with a silent no-holdout.
-- Run: cvkit clv tx.csv --calibration-end 1997-09-30 --observation-end 1998-06-30 --out out/clv
--      (the same as cvkit run clv --data tx.csv ...)
local script = require "cv.script"
local fit = require "cv.fit"
local steps = require "cv.model_script"
local errors = require "cv.errors"
local i18n = require "cv.i18n"

local M = { name = "clv", describe = "CLV in one run: BG/NBD and Pareto/NBD compared, Gamma-Gamma spend, every customer's P(alive), expected transactions, spend and CLV (CSV, XLSX) and a report with diagnostics" }

M.params = script.transaction_params {
   unit = steps.script_params.unit,
   calibration_end = steps.script_params.calibration_end,
   observation_end = { "last day of the holdout period (YYYY-MM-DD; required with calibration_end)", "" },
   horizon = { "CLV horizon in units (0: the whole lifetime, by DERT)", 52 },
   discount = { "annual effective discount rate", 0.15 },
   margin = { "margin share of spend (1: revenue)", 1 },
}
M.params.min_years = nil
M.params.customer = { "column of customer ids (empty: the one column named like customer or id)", "" }
M.params.date = { "column of purchase dates (empty: the one column named like date)", "" }
M.params.amount = { "column of purchase amounts (empty: the one column named like amount, price or value)", "" }
M.params.out = { "output folder: customers.csv, customers.xlsx and report.html", "out/clv" }

local FILES = { "customers.csv", "customers.xlsx", "report.html" }

-- check_out(p): the folder p.out made and each file the run writes there checked (the
-- sandbox's output folder) before any work starts; raises naming --out (exit 2).
function M.check_out(p)
   local file = require "cv.core.file"
   local dir = tostring(p.out):gsub("/+$", "")
   local ext = dir:match("%.(%w+)$")
   if ext and ({ csv = 1, tsv = 1, json = 1, md = 1, xlsx = 1, html = 1, htm = 1 })[ext:lower()] then
      errors.fail("clv.out_folder", { path = dir })
   end
   local ok, err = pcall(function()
      file.mkdir(dir)
      for _, f in ipairs(FILES) do
         file.check_output(dir .. "/" .. f)
      end
   end)
   if not ok then
      errors.fail("models.bad_out", { path = dir,
         why = (tostring(err):gsub("^[^:\n]*%.lua:%d+: ", "")) })
   end
   p.out = dir
   return "folder"
end

-- What a column's name says it holds: the name lowercased with only its letters.
local WORDS = {
   customer = { exact = { "customer", "customerid", "custid", "cust", "id", "client", "clientid",
      "userid", "user", "buyer", "buyerid" }, part = { "customer", "client" } },
   date = { exact = { "date", "day", "time", "timestamp", "datetime" }, part = { "date" } },
   amount = { exact = { "amount", "price", "spend", "sales", "revenue", "value", "total",
      "monetary" }, part = { "amount", "value", "price", "revenue", "sales" } },
}

local function matches(name, words)
   local n = name:lower():gsub("[^%a]", "")
   for _, w in ipairs(words.exact) do
      if n == w then return true end
   end
   for _, w in ipairs(words.part) do
      if n:find(w, 1, true) then return true end
   end
   return false
end

-- detect(p): fills p.customer, p.date and p.amount not given from the file's column names:
-- the one column whose name says so; raises naming the option to give when none or several.
local function detect(cv, p)
   if p.customer ~= "" and p.date ~= "" and p.amount ~= "" then return end
   local o = script.read_options(p)
   o.types = nil
   local cols = cv.read_csv(p.data, o):names()
   for _, what in ipairs { "customer", "date", "amount" } do
      if p[what] == "" then
         local found = {}
         for _, c in ipairs(cols) do
            if matches(c, WORDS[what]) then found[#found + 1] = c end
         end
         if #found ~= 1 then
            errors.fail(#found == 0 and "clv.no_column" or "clv.many_columns", { what = what,
               option = "--" .. what, found = table.concat(found, ", "),
               columns = table.concat(cols, ", ") })
         end
         p[what] = found[1]
      end
   end
end

-- The column labels of the tables of the report in the language of the run.
local function labels(names)
   local out = {}
   for _, n in ipairs(names) do
      out[n] = i18n.t("clv.col." .. n)
   end
   return out
end

-- ids(t): t with a numeric customer column as text, an identifier (1974), not a count (1,974).
local function ids(t)
   local ty = t:types()[1] -- keep's first column
   if ty ~= "int" and ty ~= "float" then return t end
   return t:add("customer", function(r)
      return r.customer and tostring(math.tointeger(r.customer) or r.customer)
   end, "string")
end

-- What the numbers of the tables' columns are (include/cvkit/kind.h).
local KINDS = script.MODEL_KINDS

function M.run(ctx, p)
   local cv = ctx.cv
   local given = { customer = p.customer ~= "", date = p.date ~= "", amount = p.amount ~= "" }
   detect(cv, p)
   if p.calibration_end == "" and p.observation_end ~= "" then
      errors.fail("clv.needs_calibration_end")
   end
   if p.calibration_end ~= "" and p.observation_end == "" then
      local last = cv.read_csv(p.data, script.read_options(p)):col(p.date):max()
      errors.fail("clv.needs_observation_end", { calibration_end = p.calibration_end,
         last = tostring(last) })
   end
   ctx.say("clv.say.columns", { customer = p.customer, date = p.date, amount = p.amount,
      how = i18n.t((given.customer and given.date and given.amount) and "clv.given"
         or "clv.detected") })
   local s, rep = steps.script_summary(p)
   if p.calibration_end == "" then
      ctx.say("clv.say.no_holdout")
   else
      ctx.say("clv.say.periods", { calibration_end = p.calibration_end,
         holdout = i18n.t("models.span." .. p.unit,
            { n = cv.format(rep.holdout_length, "number") }) })
   end
   local fits, names = {}, {}
   for i, name in ipairs { "bgnbd", "pareto_nbd" } do
      fits[i] = cv.fit(name, s, { unit = p.unit })
      steps.say_fit(ctx, fits[i])
      names[i] = fits[i].title:match("^%S+") -- BG/NBD, without the reference
   end
   -- Gamma-Gamma's likelihood needs a positive mean repeat spend: customers whose repeat
   -- purchases all cost 0 (CDNOW_master has one) are left out of its fit, said on the
   -- console, and valued by its formula (E[M | x, m = 0]) like everyone else
   local zero = s:filter(function(r) return r.x > 0 and not (r.mean_repeat_spend > 0) end)
   local gs = s
   if #zero > 0 then
      gs = s:filter(function(r) return r.x == 0 or r.mean_repeat_spend > 0 end)
      errors.warn(#zero == 1 and "clv.zero_spend_one" or "clv.zero_spend",
         { n = #zero, first = tostring(zero:col("customer")[1]) })
   end
   local gg = fit.fit("gammagamma", gs, { quiet = true })
   ctx.say("models.say.spend", { params = string.format("p = %.4g, q = %.4g, gamma = %.4g",
      gg.values[1], gg.values[2], gg.values[3]),
      r = gg.correlation and string.format("%.3f", gg.correlation) or "-" })
   local cmp = cv.compare(fits, s, { horizon = rep.holdout_length })
   do -- the models by their names (BG/NBD), as the report shows them
      local spec = { { "model", names } }
      for _, k in ipairs(cmp:names()) do
         if k ~= "model" then spec[#spec + 1] = { k, cmp:col(k):totable() } end
      end
      cmp = script.kinds(cv.table(spec), KINDS)
   end
   ctx.say("models.say.compare", { customers = #s })
   ctx.show(cmp)
   local by = rep.holdout_length and "mae" or "bic"
   local best = 1
   for i = 2, #fits do
      if cmp:col(by)[i] < cmp:col(by)[best] then best = i end
   end
   local m = fits[best]
   ctx.say("clv.say.winner", { model = names[best], criterion = by:upper(),
      value = cv.format(cmp:col(by)[best], "number"), other = names[3 - best],
      other_value = cv.format(cmp:col(by)[3 - best], "number") })

   local horizon = tonumber(p.horizon) or 0
   if horizon <= 0 then horizon = math.huge end
   local c = m:clv(s, { spend = gg, margin = p.margin, horizon = horizon,
      discount = p.discount, unit = p.unit })
   c = m:conditional(c, horizon < math.huge and horizon or 52)
   local keep = { "customer", "x", "t_x", "T", "p_alive", "conditional", "dtx", "spend", "clv" }
   if rep.holdout_length then keep[#keep + 1] = "x_holdout" end
   c = script.kinds(c:select(keep), KINDS)
   local paths = {}
   for i, f in ipairs(FILES) do paths[i] = p.out .. "/" .. f end
   cv.write(paths[1], c)
   cv.write(paths[2], c)

   local clv = c:col("clv")
   local totals = { customers = #c, total = clv:sum(), mean = clv:mean(),
      alive = c:col("p_alive"):sum(), expected = c:col("conditional"):sum(),
      span = horizon < math.huge and i18n.t("models.span." .. p.unit, { n = horizon })
         or i18n.t("clv.lifetime"), discount = cv.format(p.discount, "rate") }
   local kinds = { total = "money", mean = "money", alive = { "number", 2 },
      expected = { "number", 2 } }
   ctx.say("clv.say.totals", totals, kinds)
   local top = c:sort { { "clv", "desc" } }:head(10)
   ctx.say("models.say.top", { n = 10 })
   ctx.show(top)

   local sections = {
      { heading = i18n.t("clv.report.summary") },
      { kpis = { { i18n.t("clv.kpi.customers"), #c, "count" },
         { i18n.t("clv.kpi.total"), totals.total, "money" },
         { i18n.t("clv.kpi.mean"), totals.mean, "money" },
         { i18n.t("clv.kpi.alive"), totals.alive, "number" } } },
      { text = i18n.t("clv.report.text", { model = names[best], criterion = by:upper(),
         span = totals.span, discount = totals.discount, margin = cv.format(p.margin, "share"),
         calibration = p.calibration_end ~= "" and i18n.t("clv.report.calibrated",
            { date = p.calibration_end }) or i18n.t("clv.report.all") }) },
      { heading = i18n.t("clv.report.compare") },
      { table = cmp, labels = labels(cmp:names()) },
      { heading = i18n.t("clv.report.top", { n = 10 }) },
      { table = ids(top), labels = labels(keep) },
   }
   local tx = cv.read_csv(p.data, script.read_options(p))
   local diag = require "cv.diagnostics"
   for _, f in ipairs(fits) do
      for _, sec in ipairs(diag.sections(f, s, { transactions = tx, customer_col = p.customer,
         date_col = p.date, spend = gg })) do
         sections[#sections + 1] = sec
      end
   end
   cv.report { title = i18n.t("clv.report.title"), subtitle = i18n.t("clv.report.subtitle",
      { path = p.data, model = names[best] }), sections = sections }:save(paths[3])
   ctx.say("clv.say.wrote", { files = table.concat(paths, i18n.t("clv.comma")), rows = #c })
end

return script.main(M, ...)
