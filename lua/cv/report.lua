-- cv.report: one self-contained HTML page (inline CSS and SVG: no scripts, no network) from
-- sections, written atomically; and tables written as XLSX workbooks.
--   local r = cv.report{title = "CDNOW", subtitle = "...", sections = {
--      {heading = "Customers"}, "A paragraph of text.", {text = "More text."},
--      {kpis = {{"customers", 2357, "count"}, {"revenue", "¥1.2M"}}},  -- numbers by kind
--      {table = t, caption = "...", max_rows = 20},
--      {chart = cv.chart.bar{...}, caption = "..."},
--      {list = {"one", "two"}},
--      results,               -- any object with a :sections() method (scenario results, ...)
--   }}
--   r:save("out/report.html")        -- and r:save_charts("out/charts") for each chart as SVG
--   cv.write_xlsx("out/tables.xlsx", {{"scenarios", t1}, {"customers", t2}})
local engine = require "cv.core.engine"
local cfile = require "cv.core.file"
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local chart = require "cv.chart"
local diagnostics = require "cv.diagnostics"

local M = {}

local esc = chart.escape
local fmt = string.format

local CSS = [[
:root { --ink: #222; --muted: #666; --rule: #e2e2e2; --accent: #4e79a7; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); background: #fff; max-width: 1000px;
  margin: 2rem auto; padding: 0 1.25rem; line-height: 1.55; font-size: 15px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; padding-bottom: .6rem; }
h1 { font-size: 1.9rem; margin: 0 0 .2rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
.subtitle { color: var(--muted); margin: 0; }
nav.toc { font-size: .9rem; color: var(--muted); margin-bottom: 1rem; }
nav.toc ol { margin: .3rem 0; padding-left: 1.4rem; columns: 2; }
nav.toc a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .88rem;
  font-variant-numeric: tabular-nums; }
th, td { padding: .28rem .65rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { text-align: left; border-bottom: 2px solid #999; background: #f6f7f9; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
td.neg { color: #b2182b; }
caption, figcaption { caption-side: bottom; color: var(--muted); font-size: .85rem; text-align: left;
  padding-top: .3rem; }
.more { color: var(--muted); font-size: .85rem; }
figure { margin: 1rem 0 1.4rem; }
figure svg { width: 100%; max-width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 4px; }
.kpis { display: flex; flex-wrap: wrap; gap: .75rem; margin: .8rem 0 1.2rem; }
.kpi { border: 1px solid var(--rule); border-left: 4px solid var(--accent); border-radius: 4px;
  padding: .5rem .9rem; min-width: 10rem; }
.kpi .v { font-size: 1.35rem; font-weight: 600; }
.kpi .l { color: var(--muted); font-size: .82rem; }
.note { background: #fff8e1; border-left: 4px solid #edc948; padding: .5rem .8rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule);
  padding-top: .5rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  nav.toc { display: none; }
  figure, table, .kpis, .kpi { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  figure svg { border: none; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
]]

-- A number by its kind (cv_format_kind: money 1,234.50, share 21.83%, count 1,234, rate
-- 10%; no kind: separators and the decimals it needs), the one formatter of every table.
local format_kind = require("cv.core.table").format_kind

-- Formats a cell for HTML: numbers by the column's kind (with its decimals when given),
-- nil and NaN as "–".
local function cell(v, ty, kind, decimals)
   if v == nil then
      return "–", false
   end
   if type(v) == "number" then
      if v ~= v then
         return "–", true
      end
      local text = format_kind(v, kind, decimals)
      return text, true, text:sub(1, 1) == "-"
   end
   if type(v) == "boolean" then
      return i18n.t(v and "report.yes" or "report.no"), false
   end
   return esc(v), ty == "int" or ty == "float"
end

-- The HTML of a cv.Table: at most max_rows rows, numbers right-aligned, in a box that scrolls
-- sideways when the table is wider than the page (a narrow window), not the page.
local function table_html(t, o)
   local names, types, kinds = t:names(), t:types(), t:kinds()
   local decimals = {} -- the decimals a column was given (t:kind(c, k, {decimals = n}))
   for _, n in ipairs(names) do decimals[n] = select(2, t:col(n):kind()) end
   local max_rows = o.max_rows or 50
   local out = { '<div class="scroll"><table>' }
   if o.caption then
      out[#out + 1] = "<caption>" .. esc(o.caption) .. "</caption>"
   end
   out[#out + 1] = "<thead><tr>"
   for j, n in ipairs(names) do
      local num = types[j] == "int" or types[j] == "float"
      out[#out + 1] = fmt("<th%s>%s</th>", num and ' class="num"' or "", esc(o.labels and o.labels[n] or n))
   end
   out[#out + 1] = "</tr></thead><tbody>"
   for _, row in t:head(max_rows):rows() do
      out[#out + 1] = "<tr>"
      for j, n in ipairs(names) do
         local text, num, neg = cell(row[n], types[j], kinds[n], decimals[n])
         local cls = num and (neg and ' class="num neg"' or ' class="num"') or ""
         out[#out + 1] = fmt("<td%s>%s</td>", cls, text)
      end
      out[#out + 1] = "</tr>"
   end
   out[#out + 1] = "</tbody></table></div>"
   if #t > max_rows then
      out[#out + 1] = fmt('<p class="more">%s</p>',
         esc(i18n.t("report.more_rows", { n = format_kind(#t - max_rows, "count") })))
   end
   return table.concat(out, "\n")
end
M.table_html = table_html

local Report = {}
Report.__index = Report
Report.__metatable = "cv.Report" -- protected: getmetatable gives the name

-- Expands objects with :sections() and checks each section's shape.
local function flatten(sections, out)
   for i, s in ipairs(sections) do
      if type(s) == "table" and getmetatable(s) and s.sections and type(s.sections) == "function" then
         flatten(s:sections(), out)
      elseif type(s) == "table" and getmetatable(s) and s.svg then
         out[#out + 1] = { chart = s }
      elseif type(s) == "string" or type(s) == "table" then
         out[#out + 1] = s
      else
         errors.fail("report.bad_section", { n = i, got = type(s) })
      end
   end
   return out
end

-- cv.report{title =, subtitle =, sections = {...}} -> Report
local check_new = require("cv.opts").declare("cv.report", {
   { "title", "string", en = "the title of the page", zh = "页面标题" },
   { "subtitle", "string", en = "a line under the title", zh = "标题下的副标题" },
   { "sections", "table",
     en = "headings, texts, kpis, tables, charts, lists, notes, or objects with :sections()",
     zh = "标题、文字、关键指标、表、图、列表、注释，或带 :sections() 的对象" },
   { "footer", "string", en = "the footer (default: made with cvkit and its version)",
     zh = "页脚（默认：cvkit 及其版本）" },
})
function M.new(spec)
   if type(spec) ~= "table" then
      errors.check_type("cv.report", 1, spec, "table")
   end
   check_new(spec)
   local r = setmetatable({ title = spec.title or i18n.t("report.untitled"), subtitle = spec.subtitle,
      sections = flatten(spec.sections or {}, {}), footer = spec.footer }, Report)
   return r
end

-- r:add(section ...): appends sections; returns r.
function Report:add(...)
   flatten({ ... }, self.sections)
   return self
end

-- r:diagnostics(m, s [, opts]) -> r: adds the diagnostic section of the fitted model m on
-- the summary s (charts with their tables; lua/cv/diagnostics.lua declares the options).
function Report:diagnostics(m, s, o)
   return self:add(table.unpack(diagnostics.sections(m, s, o)))
end

-- r:charts() -> {Chart, ...} in order.
function Report:charts()
   local out = {}
   for _, s in ipairs(self.sections) do
      if type(s) == "table" and s.chart then
         out[#out + 1] = s.chart
      end
   end
   return out
end

-- r:html() -> the page as a string.
function Report:html()
   local lang = i18n.lang()
   local out = {}
   local function add(s) out[#out + 1] = s end
   add("<!DOCTYPE html>")
   add(fmt('<html lang="%s">', lang == "zh" and "zh-Hans" or "en"))
   add('<head><meta charset="utf-8">')
   add('<meta name="viewport" content="width=device-width, initial-scale=1">')
   add(fmt("<title>%s</title>", esc(self.title)))
   add("<style>" .. CSS:gsub("FONTS", chart.fonts) .. "</style></head><body>")
   add("<header><h1>" .. esc(self.title) .. "</h1>")
   if self.subtitle then
      add('<p class="subtitle">' .. esc(self.subtitle) .. "</p>")
   end
   add("</header>")
   -- table of contents from the headings of level 2
   local toc, id = {}, 0
   for _, s in ipairs(self.sections) do
      if type(s) == "table" and (s.heading or s.h) and (s.level or 2) == 2 then
         id = id + 1
         toc[#toc + 1] = fmt('<li><a href="#s%d">%s</a></li>', id, esc(s.heading or s.h))
      end
   end
   if #toc >= 3 then
      add('<nav class="toc">' .. esc(i18n.t("report.contents")) .. "<ol>" .. table.concat(toc) .. "</ol></nav>")
   end
   id = 0
   local nfig = 0
   for i, s in ipairs(self.sections) do
      if type(s) == "string" then
         add("<p>" .. esc(s) .. "</p>")
      elseif s.heading or s.h then
         local level = s.level or 2
         if level == 2 then
            id = id + 1
            add(fmt('<h2 id="s%d">%s</h2>', id, esc(s.heading or s.h)))
         else
            add(fmt("<h%d>%s</h%d>", level, esc(s.heading or s.h), level))
         end
      elseif s.text then
         for para in (s.text .. "\n\n"):gmatch("(.-)\n%s*\n") do
            if para:match("%S") then
               add("<p>" .. esc(para) .. "</p>")
            end
         end
      elseif s.note then
         add('<p class="note">' .. esc(s.note) .. "</p>")
      elseif s.list then
         local items = {}
         for k, v in ipairs(s.list) do items[k] = "<li>" .. esc(v) .. "</li>" end
         add("<ul>" .. table.concat(items) .. "</ul>")
      elseif s.kpis then
         local items = {}
         for k, kv in ipairs(s.kpis) do -- {label, value [, kind]}: a number shown by its kind
            local v = kv[2] or kv.value
            if type(v) == "number" then v = format_kind(v, kv[3] or kv.kind, nil, "–") end
            items[k] = fmt('<div class="kpi"><div class="v">%s</div><div class="l">%s</div></div>',
               esc(v), esc(kv[1] or kv.label))
         end
         add('<div class="kpis">' .. table.concat(items) .. "</div>")
      elseif s.table then
         add(table_html(s.table, s))
      elseif s.chart then
         nfig = nfig + 1
         add("<figure>" .. s.chart.svg .. (s.caption and ("<figcaption>" .. esc(s.caption) .. "</figcaption>") or "")
            .. "</figure>")
      else
         errors.fail("report.empty_section", { n = i })
      end
   end
   add("<footer>" .. esc(self.footer or i18n.t("report.footer", { version = engine.version }))
      .. "</footer>")
   add("</body></html>")
   return table.concat(out, "\n") .. "\n"
end

-- r:save(path) -> path: writes the page atomically (temporary file renamed; folders made).
function Report:save(path)
   cfile.write(path, self:html())
   return path
end

-- r:save_charts(dir [, prefix = "chart"]) -> {paths}: each chart alone as dir/prefix-N-kind.svg
function Report:save_charts(dir, prefix)
   local paths = {}
   for k, c in ipairs(self:charts()) do
      paths[k] = c:save(fmt("%s/%s-%02d-%s.svg", dir, prefix or "chart", k, c.kind))
   end
   return paths
end

function Report:__tostring()
   return fmt("cv.Report (%s: %d sections)", self.title, #self.sections)
end

-- cv.write_xlsx(path, sheets): sheets = {{"name", Table}, ...} or a single Table (sheet
-- "Sheet1"): one workbook, numbers as numbers, dates as dates; atomically.
function M.write_xlsx(path, sheets)
   if type(sheets) == "userdata" then
      sheets = { { "Sheet1", sheets } }
   end
   cfile.write_xlsx(path, sheets)
   return path
end

return M
