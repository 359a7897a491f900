-- cv: the module scripts use (`local cv = require "cv"`, also the global `cv` in
-- `cvkit run`). It composes the C modules and adds the conveniences written in Lua: the
-- functions of lua/cv/base.lua (cv.table, cv.format, cv.read_csv, cv.summary, ...: the ones
-- the other modules use) and those of the modules installed below.
local base = require "cv.base"
local errors = require "cv.errors"

local M = {}
for _, k in ipairs { "version", "lang", "params", "read_csv", "parse_csv", "mkdir", "date",
   "summary", "summary_csv", "format", "table", "write", "show", "try" } do
   M[k] = base[k] -- in the order cv had them (help's names of functions depend on it)
end

-- The textbook formulas: cv.formula, cv.clv.simple{...}, cv.cost.cac{...}, ... and
-- cv.explain(name, inputs) (lua/cv/formula.lua, lua/cv/explain.lua).
require("cv.formula").install(M)
M.explain = require("cv.explain").explain
-- The CRM system's life-cycle cost and satisfaction bands: cv.crm.lcc, cv.crm.explain_lcc,
-- cv.satisfaction.bands, cv.satisfaction.explain_bands (lua/cv/crmcost.lua, issue 21).
require("cv.crmcost").install(M)

-- Databases: cv.connect, cv.read_sql, cv.write_sql, cv.summary_sql (lua/cv/sql.lua,
-- docs/databases.md).
require("cv.sql").install(M)

-- Cost of service: cv.costing.abc{...}, .tdabc{...}, .pnl(t, ...), and cv.whale(t, ...)
-- (lua/cv/costing.lua, docs/costing.md).
M.costing = require "cv.costing"
M.whale = M.costing.whale

-- Relevant costs and decisions: cv.decision.classify, .compare and the formula
-- cv.decision.keep_or_drop (lua/cv/decision.lua, docs/formulas.md).
require("cv.decision").install(M)

-- Scenarios side by side, sensitivity, break-even and Monte Carlo (lua/cv/scenario.lua,
-- docs/scenarios.md); charts as SVG and reports as one HTML page, XLSX workbooks
-- (lua/cv/chart.lua, lua/cv/report.lua, docs/reports.md).
local scenario = require "cv.scenario"
local report = require "cv.report"
M.scenario = scenario.new       -- cv.scenario{base =, variants =, model =} -> Scenario
M.montecarlo = scenario.montecarlo -- cv.montecarlo{formula =, inputs =, draws =, seed =}
M.chart = require "cv.chart"    -- cv.chart.line{...}, .bar, .histogram, .heatmap, .tornado, ...
M.report = report.new           -- cv.report{title =, sections = {...}}:save("out/report.html")
M.write_xlsx = report.write_xlsx -- cv.write_xlsx("out/t.xlsx", {{"sheet", t}, ...})

-- Segmentation: cv.rfm, cv.segment, cv.segment_coverage, cv.tiers, cv.lorenz, cv.gini,
-- cv.lifecycle, cv.migration, cv.kmeans, cv.kmeans_wss, cv.segment_summary
-- (lua/cv/segment.lua, docs/segmentation.md).
require("cv.segment").install(M)

-- Customer-base models: cv.fit, cv.model, cv.simulate, cv.simulate_transactions, cv.compare,
-- cv.timevalue (lua/cv/fit.lua, docs/models.md).
require("cv.fit").install(M)
require "cv.diagnostics" -- m:diagnostics, report:diagnostics (declares their options)

-- Unknown names in the tables of functions are errors with a suggestion: cv.chart.linee,
-- cv.clv.simpel (lua/cv/errors.lua).
errors.strict(M.chart, "cv.chart", "chart")
for _, f in ipairs(require("cv.core.formula").list()) do
   local group = f.name:match("^([^.]+)%.")
   if getmetatable(M[group]) == nil then
      errors.strict(M[group], "cv." .. group, "formula")
   end
end

return M
