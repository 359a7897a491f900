-- cv: the module scripts use (`local cv = require "cv"`, also the global `cv` in
-- `cvkit run`). It composes the C modules and adds the conveniences written in Lua.
local engine = require "cv.core.engine"
local tbl = require "cv.core.table"
local csv = require "cv.core.csv"
local summary = require "cv.core.summary"

local M = {}

M.version = engine.version   -- "0.1.0"
M.lang = engine.lang         -- "en", from --lang or CVKIT_LANG
M.params = engine.params     -- values given with --set name=value (numbers converted)

M.read_csv = csv.read_csv    -- cv.read_csv(path, opts) -> Table, report
M.parse_csv = csv.parse_csv  -- cv.parse_csv(text, opts, name) -> Table, report
M.mkdir = csv.mkdir          -- cv.mkdir(path): like mkdir -p
M.summary = summary.summary           -- cv.summary(tx, opts) -> Table, report (docs/summary.md)
M.summary_csv = summary.summary_csv   -- cv.summary_csv(path, opts) -> Table, report

-- cv.table builds a table from Lua arrays, in three spellings:
--   cv.table{{"id", {1, 2}}, {"name", {"a", "b"}}}     -- ordered pairs {name, values [, type]}
--   cv.table({"id", "name"}, {{1, 2}, {"a", "b"}})      -- names, then columns
--   cv.table{id = {1, 2}, name = {"a", "b"}}            -- columns in name order
-- Missing values are nil (give `n = count` in an array whose last values are nil).
function M.table(spec, cols)
   if type(spec) ~= "table" then
      error("bad argument #1 to 'table' (table expected, got " .. type(spec) .. ")", 2)
   end
   local pairs_ = {}
   if cols ~= nil then
      for i, name in ipairs(spec) do
         pairs_[i] = { name, cols[i] }
      end
   elseif #spec > 0 then
      pairs_ = spec
   else
      local names = {}
      for name in pairs(spec) do
         names[#names + 1] = name
      end
      table.sort(names)
      for i, name in ipairs(names) do
         pairs_[i] = { name, spec[name] }
      end
   end
   return tbl.from_columns(pairs_)
end

-- cv.write(path, t [, format]): writes t as CSV, TSV, JSON or Markdown (by the path's
-- extension unless format is given), through a temporary file renamed at the end.
function M.write(path, t, format)
   return t:write(path, format)
end

-- cv.show(t, columns [, decimals]) -> the table shown: prints the columns {{name, label},
-- ...} of t under their labels (the words of a lesson or a report), every row, with
-- floats rounded half up to `decimals` places (default 2) for the eye; t is unchanged.
function M.show(t, columns, decimals)
   local scale = 10 ^ (decimals or 2)
   local spec = {}
   for i, c in ipairs(columns) do
      local col = t:col(c[1])
      local v = col:totable()
      if col:type() == "float" then
         for k = 1, v.n do
            v[k] = v[k] and math.floor(v[k] * scale + 0.5) / scale
         end
      end
      spec[i] = { c[2] or c[1], v }
   end
   local shown = M.table(spec)
   shown:print(-1)
   return shown
end

-- cv.try(f, ...) -> f's results, or nil, message, code when f raises (code: the exit
-- code the error carries, e.g. 3 for a missing file, 4 for malformed input).
function M.try(f, ...)
   local r = table.pack(pcall(f, ...))
   if r[1] then
      return table.unpack(r, 2, r.n)
   end
   return nil, r[2], engine.error_code(r[2])
end

-- The textbook formulas: cv.formula, cv.clv.simple{...}, cv.cost.cac{...}, ... and
-- cv.explain(name, inputs) (lua/cv/formula.lua, lua/cv/explain.lua).
require("cv.formula").install(M)
M.explain = require("cv.explain").explain

-- Databases: cv.connect, cv.read_sql, cv.write_sql, cv.summary_sql (lua/cv/sql.lua,
-- docs/databases.md).
require("cv.sql").install(M)

-- Cost of service: cv.costing.abc{...}, .tdabc{...}, .pnl(t, ...), and cv.whale(t, ...)
-- (lua/cv/costing.lua, docs/costing.md).
M.costing = require "cv.costing"
M.whale = M.costing.whale

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
-- cv.timevalue (lua/cv/models.lua, docs/models.md).
require("cv.models").install(M)

return M
