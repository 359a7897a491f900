-- cv.chart: charts as self-contained SVG (no scripts, no external fonts or links), for
-- reports (lua/cv/report.lua) and alone (chart:save("out/x.svg")). Each function takes a
-- spec table and returns a Chart {kind, title, svg = "<svg ...>"}:
--   cv.chart.line{title =, x = {...}, series = {{name =, values = {...}}, ...}, x_label =, y_label =}
--   cv.chart.bar{categories = {...}, series = {...} | values = {...}, stacked = false}
--   cv.chart.stacked_bar{...}             (bar with stacked = true)
--   cv.chart.histogram{hist = {lo =, hi =, counts = {...}} | values = {...}, bins =, markers = {{label, x}}}
--   cv.chart.scatter{x = {...}, y = {...}, labels = {...}}
--   cv.chart.heatmap{x = {...}, y = {...}, z = {{row for y[1]}, ...}, z_label =}
--   cv.chart.tornado{base =, rows = {{name =, low =, high =, low_label =, high_label =}, ...}}
--   cv.chart.whale{values = {profit per customer}}      (cumulative profit vs customers;
--                                      measure = "CLV" names other values)
--   cv.chart.lorenz{values = {value per customer}}      (with the Gini coefficient)
--   cv.chart.tracking{x = {...}, expected = {...}, actual = {...}, mark =}
-- Common fields: title, subtitle, x_label, y_label, unit (suffix or prefix such as "%",
-- "¥"; prefix when it is one of ¥ $ € £), width (640), height (360). Built-in words
-- (legends, axis names of the whale and Lorenz curves) come from the i18n catalogue.
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local opts = require "cv.opts"
local base = require "cv.base" -- cv.table, cv.format, ... (never "cv": no cycle)
local costing = require "cv.costing" -- the whale curve
local segment = require "cv.segment" -- the Gini and Lorenz curve
local cfile = require "cv.core.file" -- Chart:save
local mc = require "cv.core.mc" -- a histogram's bins

local M = {}

M.palette = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
   "#ff9da7", "#9c755f", "#bab0ac" }
-- Fonts that render Latin and CJK text on Linux, macOS and Windows.
M.fonts = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans SC', "
   .. "'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', "
   .. "'WenQuanYi Micro Hei', sans-serif"

local floor, ceil, abs, log, max, min = math.floor, math.ceil, math.abs, math.log, math.max, math.min
local fmt = string.format

-- Escapes text for XML content and attributes.
local function esc(s)
   return (tostring(s):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
      ['"'] = "&quot;", ["'"] = "&#39;" }))
end
M.escape = esc

local function finite(v)
   return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

-- Where v lies between a and b (0 at a, 1 at b), also when b - a overflows (-1e308 to
-- 1e308: halves cannot overflow).
local function frac(v, a, b)
   local d = b - a
   if finite(d) then
      return (v - a) / d
   end
   return (v * 0.5 - a * 0.5) / (b * 0.5 - a * 0.5)
end

-- The point t of the way from a to b (t in [0, 1]), without overflow.
local function lerp(a, b, t)
   local d = b - a
   if finite(d) then
      return a + d * t
   end
   return a * (1 - t) + b * t
end

-- ---- Numbers on axes ---------------------------------------------------------------------

-- A "nice" step (1, 2, 2.5 or 5 × 10^k) that cuts range into about n parts.
local function nice_step(range, n)
   if not (range > 0) then
      return 1
   end
   local raw = range / n
   local mag = 10 ^ floor(log(raw, 10))
   local f = raw / mag
   local s = f < 1.5 and 1 or f < 2.25 and 2 or f < 3.5 and 2.5 or f < 7.5 and 5 or 10
   return s * mag
end

-- Ticks covering [lo, hi]: returns ticks, the widened lo and hi, and the step.
local function ticks(lo, hi, n, zero)
   if zero then
      lo, hi = min(lo, 0), max(hi, 0)
   end
   if lo == hi then
      local pad, big = lo == 0 and 1 or abs(lo) * 0.1, 1.7976931348623157e308
      lo, hi = max(lo - pad, -big), min(hi + pad, big)
   end
   local range = hi - lo
   local step = finite(range) and nice_step(range, n or 5) or 2 * nice_step(hi / 2 - lo / 2, n or 5)
   local a, b = floor(lo / step + 1e-9) * step, ceil(hi / step - 1e-9) * step
   if not finite(a) then a = lo end -- the nice tick beyond lo is past the largest number
   if not finite(b) then b = hi end
   local t = {}
   local k = 0
   while a + k * step <= b + step * 1e-9 and k <= 1000 do
      local v = a + k * step
      t[#t + 1] = abs(v) < step * 1e-9 and 0 or v
      k = k + 1
   end
   return t, a, b, step
end

-- The decimals a tick step needs to be shown exactly: 2.5 -> 1, 0.25 -> 2, 500 -> 0 (at most 6).
local function step_decimals(step)
   for d = 0, 6 do
      local scaled = step * 10 ^ d
      if abs(scaled - floor(scaled + 0.5)) <= 1e-9 * max(1, scaled) then
         return d
      end
   end
   return 6
end

-- v with d decimals and thousands separators (the core's one number format, cv.format).
local format_kind = require("cv.core.table").format_kind
local function grouped(v, d)
   return format_kind(v, "number", d)
end

-- Formats a number compactly for a tick or a label: 1,500; 2.5k; 1.2M; 0.25. With the axis
-- step, a tick shows as many decimals as the step needs (ticks 2.5 apart: 2.5, 5.0, 7.5),
-- so no tick is labelled with a rounded value.
function M.number(v, step)
   if not finite(v) then
      return "–"
   end
   local a = abs(v)
   local scale, suffix = 1, ""
   if a >= 1e9 then
      scale, suffix = 1e9, "B"
   elseif a >= 1e6 then
      scale, suffix = 1e6, "M"
   elseif a >= 1e4 then
      scale, suffix = 1e3, "k"
   end
   if step and step > 0 and finite(step) then
      local d = step_decimals(step / scale)
      return grouped(v / scale, d) .. suffix
   end
   if scale > 1 then
      return fmt("%.3g", v / scale) .. suffix
   end
   local d = 0
   if a > 0 and a < 1 then
      d = min(6, ceil(-log(a, 10) - 1e-9) + 2)
   elseif a < 100 and v ~= floor(v) then
      d = 2
   end
   local s = grouped(v, d)
   if d > 0 then
      s = s:gsub("0+$", ""):gsub("%.$", "")
   end
   return s
end

local prefix_units = { ["¥"] = true, ["$"] = true, ["€"] = true, ["£"] = true }
-- A number with its unit: "¥1,200", "12.5%", "3.2 months".
function M.with_unit(v, unit, step)
   local s = M.number(v, step)
   if not unit or unit == "" then
      return s
   elseif prefix_units[unit] then
      return s:sub(1, 1) == "-" and ("-" .. unit .. s:sub(2)) or (unit .. s)
   elseif unit == "%" then
      return s .. "%"
   end
   return s .. " " .. unit
end

-- The width in pixels of text at a font size: wide (CJK) characters count a full em, others
-- about 0.58 em.
function M.text_width(s, size)
   local w = 0
   for _, c in utf8.codes(tostring(s)) do
      w = w + ((c >= 0x2E80 and c <= 0xFFEF) and 1 or 0.58)
   end
   return w * (size or 12)
end

-- ---- The drawing surface -------------------------------------------------------------------

local Svg = {}
Svg.__index = Svg
Svg.__metatable = "cv.Svg" -- protected: getmetatable gives the name

local function new_svg(spec, kind)
   local w, h = spec.width or 640, spec.height or 360
   local s = setmetatable({ w = w, h = h, parts = {}, spec = spec, kind = kind }, Svg)
   s:add(fmt('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
      .. 'role="img" font-family="%s" font-size="12">', w, h, w, h, M.fonts))
   if spec.title then
      s:add(fmt("<title>%s</title>", esc(spec.title)))
   end
   s:add(fmt('<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>', w, h))
   if spec.title then
      s:text(12, 20, spec.title, { size = 15, weight = "bold" })
   end
   if spec.subtitle then
      s:text(12, 37, spec.subtitle, { size = 11, fill = "#555555" })
   end
   return s
end

function Svg:add(str)
   self.parts[#self.parts + 1] = str
end

-- text(x, y, s, {size, anchor = "start"|"middle"|"end", fill, weight, rotate})
function Svg:text(x, y, s, o)
   o = o or {}
   local attrs = fmt('x="%.1f" y="%.1f"', x, y)
   if o.anchor and o.anchor ~= "start" then
      attrs = attrs .. fmt(' text-anchor="%s"', o.anchor)
   end
   if o.size then
      attrs = attrs .. fmt(' font-size="%d"', o.size)
   end
   if o.weight then
      attrs = attrs .. fmt(' font-weight="%s"', o.weight)
   end
   attrs = attrs .. fmt(' fill="%s"', o.fill or "#222222")
   if o.rotate then
      attrs = attrs .. fmt(' transform="rotate(%d %.1f %.1f)"', o.rotate, x, y)
   end
   self:add(fmt("<text %s>%s</text>", attrs, esc(s)))
end

function Svg:line(x1, y1, x2, y2, stroke, width, dash)
   self:add(fmt('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%s"%s/>',
      x1, y1, x2, y2, stroke or "#999999", width or 1,
      dash and fmt(' stroke-dasharray="%s"', dash) or ""))
end

function Svg:rect(x, y, w, h, fill, title)
   if h < 0 then
      y, h = y + h, -h
   end
   if w < 0 then
      x, w = x + w, -w
   end
   if title then
      self:add(fmt('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>',
         x, y, w, h, fill, esc(title)))
   else
      self:add(fmt('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>', x, y, w, h, fill))
   end
end

function Svg:polyline(pts, stroke, width, dash)
   local p = {}
   for i, xy in ipairs(pts) do
      p[i] = fmt("%.1f,%.1f", xy[1], xy[2])
   end
   self:add(fmt('<polyline points="%s" fill="none" stroke="%s" stroke-width="%s"%s/>',
      table.concat(p, " "), stroke, width or 2, dash and fmt(' stroke-dasharray="%s"', dash) or ""))
end

function Svg:circle(x, y, r, fill, title)
   self:add(fmt('<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s" fill-opacity="0.8">%s</circle>',
      x, y, r, fill, title and ("<title>" .. esc(title) .. "</title>") or ""))
end

-- Legend entries {{name, colour, dash}} in a row under the title, right-aligned.
function Svg:legend(entries)
   local x = self.w - 12
   for i = #entries, 1, -1 do
      local e = entries[i]
      local tw = M.text_width(e[1], 11) + 4
      x = x - tw
      self:text(x, 20, e[1], { size = 11 })
      if e[3] then
         self:line(x - 22, 16, x - 6, 16, e[2], 2.5, e[3])
      else
         self:rect(x - 18, 10, 12, 10, e[2])
      end
      x = x - 34
   end
end

function Svg:finish()
   self:add("</svg>")
   return table.concat(self.parts, "\n")
end

-- ---- Frames: numeric or categorical axes ---------------------------------------------------

-- A plotting frame inside the canvas: o = {xmin, xmax, ymin, ymax, categories (x bands),
-- y_zero (include 0), x_zero}. Draws the grid, ticks and axis labels.
local function frame(s, o)
   local spec = s.spec
   local f = { l = o.left or 72, r = s.w - (o.right or 20), t = spec.subtitle and 52 or 44,
      b = s.h - (o.bottom or 48) }
   -- category labels wider than their band are turned 35 degrees (and get room below)
   local rotate = false
   if o.categories and #o.categories > 0 then
      local band, widest = (f.r - f.l) / #o.categories, 0
      for _, c in ipairs(o.categories) do widest = max(widest, M.text_width(c, 11)) end
      if widest > band * 0.95 and band >= 12 then
         rotate = true
         f.b = f.b - min(widest * 0.58, s.h * 0.3)
      end
   end
   f.yt, f.ymin, f.ymax, f.ystep = ticks(o.ymin, o.ymax, o.yn or 5, o.y_zero)
   function f.y(v)
      return f.b - frac(v, f.ymin, f.ymax) * (f.b - f.t)
   end
   if o.categories then
      local n = #o.categories
      f.band = (f.r - f.l) / max(n, 1)
      function f.x(i) -- centre of band i
         return f.l + (i - 0.5) * f.band
      end
   else
      f.xt, f.xmin, f.xmax, f.xstep = ticks(o.xmin, o.xmax, o.xn or 6, o.x_zero)
      if o.tight_x then
         f.xmin, f.xmax = o.xmin, o.xmax
         local t = {}
         for _, v in ipairs(f.xt) do
            if v >= f.xmin - 1e-9 and v <= f.xmax + 1e-9 then
               t[#t + 1] = v
            end
         end
         f.xt = t
      end
      function f.x(v)
         return f.l + frac(v, f.xmin, f.xmax) * (f.r - f.l)
      end
   end
   -- grid and y ticks
   for _, v in ipairs(f.yt) do
      local y = f.y(v)
      s:line(f.l, y, f.r, y, v == 0 and "#888888" or "#e3e3e3", 1)
      s:text(f.l - 8, y + 4, M.with_unit(v, o.y_unit, f.ystep), { anchor = "end", size = 11,
         fill = "#444444" })
   end
   -- x ticks
   if o.categories and rotate then
      for i, c in ipairs(o.categories) do
         s:text(f.x(i) + 4, f.b + 14, c, { anchor = "end", size = 11, fill = "#444444", rotate = -35 })
      end
   elseif o.categories then
      local every = max(1, ceil(#o.categories * 60 / (f.r - f.l)))
      for i, c in ipairs(o.categories) do
         if (i - 1) % every == 0 then
            s:text(f.x(i), f.b + 18, c, { anchor = "middle", size = 11, fill = "#444444" })
         end
      end
   else
      for _, v in ipairs(f.xt) do
         local x = f.x(v)
         s:line(x, f.b, x, f.b + 4, "#888888", 1)
         s:text(x, f.b + 18, M.with_unit(v, o.x_unit, f.xstep), { anchor = "middle", size = 11,
            fill = "#444444" })
      end
   end
   s:line(f.l, f.b, f.r, f.b, "#888888", 1)
   s:line(f.l, f.t, f.l, f.b, "#888888", 1)
   if spec.x_label then
      s:text((f.l + f.r) / 2, s.h - 10, spec.x_label, { anchor = "middle", size = 12 })
   end
   if spec.y_label then
      s:text(16, (f.t + f.b) / 2, spec.y_label, { anchor = "middle", size = 12, rotate = -90 })
   end
   return f
end

local Chart = {}
Chart.__index = Chart
Chart.__metatable = "cv.Chart" -- protected: getmetatable gives the name

-- chart:save(path): writes the SVG alone, atomically (with an XML declaration).
function Chart:save(path)
   cfile.write(path, '<?xml version="1.0" encoding="UTF-8"?>\n' .. self.svg .. "\n")
   return path
end

function Chart:__tostring()
   return "cv.Chart (" .. self.kind .. ": " .. tostring(self.title or "") .. ")"
end

local function chart(kind, spec, svg)
   return setmetatable({ kind = kind, title = spec.title, svg = svg }, Chart)
end

-- ---- The fields of each chart's spec (lua/cv/opts.lua) ---------------------------------------

local function f(name, t, en, zh, extra)
   local spec = { name, t, en = en, zh = zh }
   for k, v in pairs(extra or {}) do spec[k] = v end
   return spec
end
local F = {
   title = f("title", "string", "the title", "标题"),
   subtitle = f("subtitle", "string", "a line under the title", "标题下的副标题"),
   width = f("width", "positive", "width in pixels", "宽度（像素）", { default = 640 }),
   height = f("height", "positive", "height in pixels", "高度（像素）", { default = 360 }),
   x_label = f("x_label", "string", "name of the x axis", "x 轴名称"),
   y_label = f("y_label", "string", "name of the y axis", "y 轴名称"),
   unit = f("unit", "string",
      "unit of the values: \"%\", \"¥\" \"$\" \"€\" \"£\" (before), else after",
      "数值单位：\"%\"，\"¥\" \"$\" \"€\" \"£\"（置于数前），其他置于数后"),
   x_unit = f("x_unit", "string", "unit of the x values", "x 值的单位"),
   y_min = f("y_min", "number", "the y axis reaches at least down to this", "y 轴至少延伸到此下限"),
   y_max = f("y_max", "number", "the y axis reaches at least up to this", "y 轴至少延伸到此上限"),
   zero = f("zero", "boolean", "the y axis includes 0", "y 轴包含 0"),
   legend = f("legend", "boolean", "show the legend for a single series too", "单个系列也显示图例"),
   x = f("x", "table", "x values: numbers, or texts for categories",
      "x 值：数值，或作为类别的文本"),
   values = f("values", "table", "the values", "数值"),
   series = f("series", "table", "{{name =, values =, colour =, dash =}, ...}",
      "{{name =, values =, colour =, dash =}, ...}"),
}
local function fields(...)
   local out = { F.title, F.subtitle, F.width, F.height }
   for i = 1, select("#", ...) do
      local v = select(i, ...)
      out[#out + 1] = type(v) == "string" and assert(F[v], v) or v
   end
   return out
end
local BAR = fields("x_label", "y_label", "unit",
   f("categories", "table", "the categories (bars or groups of bars)", "类别（柱或柱组）"),
   "series", F.values,
   f("colours", "table", "a colour per category (single series)", "每个类别的颜色（单系列）"),
   f("stacked", "boolean", "stack the series", "堆叠各系列", { default = false }),
   f("labels", "boolean", "values over the bars (false: none)", "柱上显示数值（false：不显示）"))
local XY = { "x_label", "y_label", "unit", "x_unit", "y_min", "y_max", "zero", "legend", "x" }
local SPECS = {
   line = fields(table.unpack(XY)),
   tracking = fields(table.unpack(XY)),
   scatter = fields("x_label", "y_label", "unit", "x_unit", "zero",
      f("x", "table", "x values", "x 值"), f("y", "table", "y values", "y 值"),
      f("labels", "table", "a label per point", "每个点的标签"),
      f("radius", "positive", "radius of the points", "点的半径", { default = 3.5 })),
   bar = BAR,
   stacked_bar = BAR,
   histogram = fields("x_label", "y_label", "unit", F.values,
      f("hist", "table", "counts already made: {lo =, hi =, counts = {...}}",
         "已统计的频数：{lo =, hi =, counts = {...}}"),
      f("bins", "integer", "bins of values", "数值分组数", { default = 30 }),
      f("colour", "string", "colour of the bars", "柱的颜色"),
      f("markers", "table", "vertical marks {{label =, x =}, ...}",
         "竖线标记 {{label =, x =}, ...}")),
   heatmap = fields("x_label", "y_label", "unit",
      f("x", "table", "x values (columns)", "x 值（列）"), f("y", "table", "y values (rows)",
         "y 值（行）"),
      f("z", "table", "{{row for y[1]}, ...}", "{{y[1] 对应的行}, ...}"),
      f("z_label", "string", "name of the values", "数值名称"),
      f("x_format", "function", "formats an x value", "x 值的格式化函数"),
      f("y_format", "function", "formats a y value", "y 值的格式化函数")),
   tornado = fields("x_label", "unit",
      f("base", "number", "the metric at the base values", "基准取值下的指标值"),
      f("rows", "table", "{{name =, low =, high =, low_label =, high_label =}, ...}",
         "{{name =, low =, high =, low_label =, high_label =}, ...}"),
      f("label_width", "positive", "room for the row names, in pixels", "行名占用宽度（像素）",
         { default = 150 })),
   whale = fields("x_label", "y_label",
      f("values", "table", "the value per customer (profit, CLV, ...)",
         "每位客户的数值（利润、CLV 等）"),
      f("measure", "string",
         "what the values are, named in the axes and the subtitle (default: profit)",
         "数值的含义，用于坐标轴和副标题（默认：利润）")),
   lorenz = fields("x_label", "y_label", f("values", "table", "value per customer",
      "每位客户的价值")),
}
SPECS.line[#SPECS.line + 1] = F.series
SPECS.line[#SPECS.line + 1] = f("y", "table", "the values of a single series", "单个系列的数值")
for _, spec in ipairs {
   f("actual", "table", "actual values", "实际值"), f("expected", "table", "expected values",
      "预期值"),
   f("mark", "string|number", "x value marked by a dashed line (e.g. the calibration end)",
      "以虚线标记的 x 值（如校准期末）"),
   f("mark_label", "string", "the mark's label", "标记的文字"),
   f("days", "table", "days each period covers (m:tracking's column days): a shorter last "
      .. "period is shaded and labelled partial", "每期覆盖的天数（m:tracking 的 days 列）："
      .. "较短的最后一期以阴影标出为不完整期"),
} do
   SPECS.tracking[#SPECS.tracking + 1] = spec
end
local checks = {}
for name, list in pairs(SPECS) do
   checks[name] = opts.declare("cv.chart." .. name, list)
end

-- check(spec, name): spec is a table of the fields chart `name` declares.
local function check(spec, name)
   errors.check_type("cv.chart." .. name, 1, spec, "table")
   checks[name](spec)
end

-- Range of the finite values of several arrays.
local function range(...)
   local lo, hi = math.huge, -math.huge
   for _, arr in ipairs({ ... }) do
      for _, v in ipairs(arr) do
         if finite(v) then
            lo, hi = min(lo, v), max(hi, v)
         end
      end
   end
   if lo > hi then
      return 0, 1
   end
   return lo, hi
end

-- ---- Line, tracking, scatter ---------------------------------------------------------------

-- Draws series {name, values, colour, dash} over x; x numbers, or categories when strings.
local function xy_chart(kind, spec, series, extra)
   local s = new_svg(spec, kind)
   local x = spec.x or {}
   local categorical = type(x[1]) == "string"
   local all = {}
   for _, se in ipairs(series) do
      all[#all + 1] = se.values
   end
   local ylo, yhi = range(table.unpack(all))
   if spec.y_min then ylo = min(ylo, spec.y_min) end
   if spec.y_max then yhi = max(yhi, spec.y_max) end
   local xlo, xhi = 1, max(#x, 2)
   if not categorical then
      xlo, xhi = range(x)
   end
   local f = frame(s, { xmin = xlo, xmax = xhi, ymin = ylo, ymax = yhi, y_zero = spec.zero ~= false,
      y_unit = spec.unit, x_unit = spec.x_unit, categories = categorical and x or nil,
      tight_x = true })
   local function px(i)
      return categorical and f.x(i) or f.x(x[i])
   end
   if extra then
      extra(s, f)
   end
   local legend = {}
   for k, se in ipairs(series) do
      local colour = se.colour or M.palette[(k - 1) % #M.palette + 1]
      local pts = {}
      for i, v in ipairs(se.values) do
         if finite(v) and x[i] ~= nil then
            pts[#pts + 1] = { px(i), f.y(v) }
         end
      end
      s:polyline(pts, colour, se.width or 2, se.dash)
      if #pts <= 40 and not se.no_points then
         for _, p in ipairs(pts) do
            s:circle(p[1], p[2], 2.5, colour)
         end
      end
      legend[#legend + 1] = { se.name or ("series " .. k), colour, se.dash or "none" }
   end
   if #series > 1 or spec.legend then
      s:legend(legend)
   end
   return chart(kind, spec, s:finish())
end

function M.line(spec)
   check(spec, "line")
   return xy_chart("line", spec, spec.series or { { name = spec.y_label, values = spec.y } })
end

function M.tracking(spec)
   check(spec, "tracking")
   local series = {
      { name = i18n.t("chart.actual"), values = spec.actual, colour = M.palette[1] },
      { name = i18n.t("chart.expected"), values = spec.expected, colour = M.palette[2], dash = "6 4" },
   }
   local days, n = spec.days, #(spec.x or {})
   local partial = days and n >= 2 and finite(days[n]) and finite(days[1]) and days[n] < days[1]
   return xy_chart("tracking", spec, series, function(s, f)
      if partial then -- the last period is cut short: its drop is not a real one
         local function px(i) return type(spec.x[1]) == "string" and f.x(i) or f.x(spec.x[i]) end
         local x0 = (px(n - 1) + px(n)) / 2
         s:rect(x0, f.t, f.r - x0, f.b - f.t, "#ececec",
            i18n.t("chart.partial_period", { days = days[n], full = days[1] }))
         s:text(f.r - 4, f.t + 12, i18n.t("chart.partial_period", { days = days[n], full = days[1] }),
            { anchor = "end", size = 10, fill = "#555555" })
      end
      if spec.mark ~= nil then -- e.g. the calibration end
         local i = spec.mark
         if type(spec.x[1]) == "string" then
            for k, v in ipairs(spec.x) do
               if v == spec.mark then i = k end
            end
         end
         local xm = type(spec.x[1]) == "string" and f.x(i) or f.x(i)
         s:line(xm, f.t, xm, f.b, "#777777", 1, "3 3")
         s:text(xm + 4, f.t + 12, spec.mark_label or i18n.t("chart.calibration_end"),
            { size = 10, fill = "#555555" })
      end
   end)
end

function M.scatter(spec)
   check(spec, "scatter")
   local s = new_svg(spec, "scatter")
   local xlo, xhi = range(spec.x)
   local ylo, yhi = range(spec.y)
   local f = frame(s, { xmin = xlo, xmax = xhi, ymin = ylo, ymax = yhi, y_unit = spec.unit,
      x_unit = spec.x_unit, y_zero = spec.zero })
   for i = 1, #spec.x do
      local x, y = spec.x[i], spec.y[i]
      if finite(x) and finite(y) then
         local label = spec.labels and spec.labels[i]
         s:circle(f.x(x), f.y(y), spec.radius or 3.5, M.palette[1], label and
            (label .. ": " .. M.number(x) .. ", " .. M.number(y)) or nil)
         if label and #spec.x <= 20 then
            s:text(f.x(x) + 6, f.y(y) - 6, label, { size = 10, fill = "#444444" })
         end
      end
   end
   return chart("scatter", spec, s:finish())
end

-- ---- Bars ----------------------------------------------------------------------------------

function M.bar(spec)
   check(spec, "bar")
   local s = new_svg(spec, spec.stacked and "stacked_bar" or "bar")
   local cats, series = spec.categories, spec.series or { { name = spec.y_label, values = spec.values } }
   local lo, hi = 0, 0
   for i = 1, #cats do
      local pos, neg = 0, 0
      for _, se in ipairs(series) do
         local v = se.values[i]
         if finite(v) then
            if spec.stacked then
               if v >= 0 then pos = pos + v else neg = neg + v end
            else
               pos, neg = max(pos, v), min(neg, v)
            end
         end
      end
      lo, hi = min(lo, neg), max(hi, pos)
   end
   local f = frame(s, { categories = cats, ymin = lo, ymax = hi, y_zero = true, y_unit = spec.unit })
   local ns = #series
   local bw = spec.stacked and f.band * 0.6 or f.band * 0.8 / ns
   -- values over the bars only when every label fits its bar's width (narrow grouped bars
   -- would run their labels together: "0.5020.481"); the tooltips keep the values
   local labels = not spec.stacked and spec.labels ~= false and ns * #cats <= 24
   for i = 1, labels and #cats or 0 do
      for _, se in ipairs(series) do
         local v = se.values[i]
         if finite(v) and M.text_width(M.with_unit(v, spec.unit), 10) > bw - 2 then
            labels = false
         end
      end
   end
   for i = 1, #cats do
      local pos, neg = 0, 0
      for k, se in ipairs(series) do
         local v = se.values[i]
         local colour = se.colour or (spec.colours and spec.colours[i]) or M.palette[(k - 1) % #M.palette + 1]
         if finite(v) then
            local tip = cats[i] .. (ns > 1 and (" · " .. tostring(se.name)) or "") .. ": "
               .. M.with_unit(v, spec.unit)
            if spec.stacked then
               local from = v >= 0 and pos or neg
               s:rect(f.x(i) - bw / 2, f.y(from), bw, f.y(from + v) - f.y(from), colour, tip)
               if v >= 0 then pos = pos + v else neg = neg + v end
            else
               local x0 = f.x(i) - f.band * 0.4 + (k - 1) * bw
               s:rect(x0, f.y(0), bw - 1, f.y(v) - f.y(0), colour, tip)
               if labels then
                  s:text(x0 + bw / 2, f.y(v) + (v >= 0 and -4 or 12), M.with_unit(v, spec.unit),
                     { anchor = "middle", size = 10, fill = "#333333" })
               end
            end
         end
      end
   end
   if ns > 1 then
      local legend = {}
      for k, se in ipairs(series) do
         legend[k] = { se.name, se.colour or M.palette[(k - 1) % #M.palette + 1] }
      end
      s:legend(legend)
   end
   return chart(spec.stacked and "stacked_bar" or "bar", spec, s:finish())
end

function M.stacked_bar(spec)
   check(spec, "stacked_bar")
   local o = {}
   for k, v in pairs(spec) do o[k] = v end
   o.stacked = true
   return M.bar(o)
end

-- ---- Histogram -----------------------------------------------------------------------------

function M.histogram(spec)
   check(spec, "histogram")
   local h = spec.hist
   if not h then
      if type(spec.values) ~= "table" then
         error("histogram: values must be a list of numbers", 2)
      end
      for i, v in ipairs(spec.values) do
         if not finite(v) then
            error(fmt("histogram: value %d is %s (values must be finite numbers)", i,
               v ~= v and "nan" or tostring(v)), 2)
         end
      end
      h = mc.summary(spec.values, { bins = spec.bins or 30 }).hist
   elseif not (finite(h.lo) and finite(h.hi) and h.hi > h.lo and type(h.counts) == "table") then
      error(fmt("histogram: hist needs finite lo < hi and counts, got lo = %s, hi = %s",
         tostring(h.lo), tostring(h.hi)), 2)
   end
   local s = new_svg(spec, "histogram")
   local counts, n = h.counts, #h.counts
   local cmax = 0
   for _, c in ipairs(counts) do cmax = max(cmax, c) end
   local f = frame(s, { xmin = h.lo, xmax = h.hi, ymin = 0, ymax = cmax, y_zero = true,
      x_unit = spec.unit, tight_x = true })
   for i, c in ipairs(counts) do
      local a, b = lerp(h.lo, h.hi, (i - 1) / n), lerp(h.lo, h.hi, i / n)
      s:rect(f.x(a) + 0.5, f.y(c), f.x(b) - f.x(a) - 1, f.y(0) - f.y(c), spec.colour or M.palette[1],
         M.number(a) .. " – " .. M.number(b) .. ": " .. c)
   end
   for k, mk in ipairs(spec.markers or {}) do
      local x = mk.x or mk[2]
      if finite(x) and x >= h.lo and x <= h.hi then
         local px = f.x(x)
         s:line(px, f.t, px, f.b, mk.colour or "#c0392b", 1.5, "4 3")
         s:text(px + 3, f.t + 12 + ((k - 1) % 3) * 12, (mk.label or mk[1]) .. " " .. M.with_unit(x, spec.unit),
            { size = 10, fill = mk.colour or "#c0392b" })
      end
   end
   return chart("histogram", spec, s:finish())
end

-- ---- Heat map --------------------------------------------------------------------------------

-- Colour for t in [0, 1] between stops {{r, g, b}, ...}.
local function ramp(stops, t)
   t = max(0, min(1, t))
   local n = #stops - 1
   local k = min(n - 1, floor(t * n))
   local u = t * n - k
   local a, b = stops[k + 1], stops[k + 2]
   return fmt("#%02x%02x%02x", floor(a[1] + (b[1] - a[1]) * u + 0.5),
      floor(a[2] + (b[2] - a[2]) * u + 0.5), floor(a[3] + (b[3] - a[3]) * u + 0.5))
end
local SEQ = { { 247, 251, 255 }, { 158, 202, 225 }, { 33, 113, 181 }, { 8, 48, 107 } }
local DIV = { { 178, 24, 43 }, { 244, 165, 130 }, { 247, 247, 247 }, { 146, 197, 222 }, { 33, 102, 172 } }

function M.heatmap(spec)
   check(spec, "heatmap")
   local s = new_svg(spec, "heatmap")
   local xs, ys, z = spec.x, spec.y, spec.z
   local lo, hi = math.huge, -math.huge
   for _, row in ipairs(z) do
      for _, v in ipairs(row) do
         if finite(v) then lo, hi = min(lo, v), max(hi, v) end
      end
   end
   if lo > hi then lo, hi = 0, 1 end
   local diverging = lo < 0 and hi > 0
   local function colour(v)
      if not finite(v) then return "#dddddd" end
      if diverging then
         local m = max(-lo, hi)
         return ramp(DIV, frac(v, -m, m))
      end
      return ramp(SEQ, hi > lo and frac(v, lo, hi) or 0.5)
   end
   -- the left margin fits the widest y label (right-aligned 6 px from the cells) beside the
   -- rotated axis title (up to x = 30)
   local widest = 0
   for j = 1, #ys do
      local label = spec.y_format and spec.y_format(ys[j]) or M.number(ys[j])
      widest = max(widest, M.text_width(label, 11))
   end
   local l, r, t, b = max(80, ceil(widest) + 36), s.w - 90, spec.subtitle and 52 or 44, s.h - 48
   local cw, ch = (r - l) / #xs, (b - t) / #ys
   for j = 1, #ys do
      local y = b - j * ch -- y[1] at the bottom
      for i = 1, #xs do
         local v = z[j] and z[j][i]
         local c = colour(v)
         s:rect(l + (i - 1) * cw, y, cw - 1, ch - 1, c, fmt("%s = %s, %s = %s: %s",
            spec.x_label or "x", M.number(xs[i]), spec.y_label or "y", M.number(ys[j]),
            M.with_unit(v, spec.unit)))
         if #xs <= 12 and #ys <= 12 and finite(v) then
            local dark = c:match("^#(%x%x)") and tonumber(c:sub(2, 3), 16) * 0.3
               + tonumber(c:sub(4, 5), 16) * 0.59 + tonumber(c:sub(6, 7), 16) * 0.11 < 128
            s:text(l + (i - 0.5) * cw, y + ch / 2 + 4, M.with_unit(v, spec.unit), { anchor = "middle",
               size = 10, fill = dark and "#ffffff" or "#222222" })
         end
      end
      s:text(l - 6, y + ch / 2 + 4, spec.y_format and spec.y_format(ys[j]) or M.number(ys[j]),
         { anchor = "end", size = 11, fill = "#444444" })
   end
   for i = 1, #xs do
      s:text(l + (i - 0.5) * cw, b + 16, spec.x_format and spec.x_format(xs[i]) or M.number(xs[i]),
         { anchor = "middle", size = 11, fill = "#444444" })
   end
   if spec.x_label then
      s:text((l + r) / 2, s.h - 10, spec.x_label, { anchor = "middle" })
   end
   if spec.y_label then
      s:text(16, (t + b) / 2, spec.y_label, { anchor = "middle", rotate = -90 })
   end
   -- colour scale
   local sx, steps = r + 24, 20
   local sh = (b - t) / steps
   for k = 0, steps - 1 do
      local v = lerp(lo, hi, (k + 0.5) / steps)
      s:rect(sx, b - (k + 1) * sh, 14, sh + 0.5, colour(v))
   end
   s:text(sx + 18, b, M.with_unit(lo, spec.unit), { size = 10 })
   s:text(sx + 18, t + 8, M.with_unit(hi, spec.unit), { size = 10 })
   if spec.z_label then
      s:text(sx, t - 6, spec.z_label, { size = 10, fill = "#444444" })
   end
   return chart("heatmap", spec, s:finish())
end

-- ---- Tornado ----------------------------------------------------------------------------------

function M.tornado(spec)
   check(spec, "tornado")
   local rows = spec.rows
   local s = new_svg(spec, "tornado")
   local lo, hi = spec.base, spec.base
   for _, r in ipairs(rows) do
      lo, hi = min(lo, r.low, r.high), max(hi, r.low, r.high)
   end
   local f = { l = spec.label_width or 150, r = s.w - 24, t = spec.subtitle and 64 or 56, b = s.h - 40 }
   local xt, xmin, xmax, step = ticks(lo, hi, 6)
   local function X(v) return f.l + frac(v, xmin, xmax) * (f.r - f.l) end
   for _, v in ipairs(xt) do
      s:line(X(v), f.t, X(v), f.b, "#e3e3e3", 1)
      s:text(X(v), f.b + 16, M.with_unit(v, spec.unit, step), { anchor = "middle", size = 11, fill = "#444444" })
   end
   local bh = (f.b - f.t) / max(#rows, 1)
   local cl, ch = M.palette[3], M.palette[1]
   for i, r in ipairs(rows) do
      local y = f.t + (i - 1) * bh
      s:rect(X(spec.base), y + bh * 0.15, X(r.low) - X(spec.base), bh * 0.7, cl,
         fmt("%s = %s: %s", r.name, tostring(r.low_label or ""), M.with_unit(r.low, spec.unit)))
      s:rect(X(spec.base), y + bh * 0.15, X(r.high) - X(spec.base), bh * 0.7, ch,
         fmt("%s = %s: %s", r.name, tostring(r.high_label or ""), M.with_unit(r.high, spec.unit)))
      s:text(f.l - 8, y + bh / 2 + 4, r.name, { anchor = "end", size = 12 })
      if r.low_label and bh >= 18 then
         local xl, xh = X(r.low), X(r.high)
         s:text(xl + (xl < X(spec.base) and -3 or 3), y + bh / 2 + 4, r.low_label,
            { anchor = xl < X(spec.base) and "end" or "start", size = 10, fill = "#444444" })
         s:text(xh + (xh < X(spec.base) and -3 or 3), y + bh / 2 + 4, r.high_label,
            { anchor = xh < X(spec.base) and "end" or "start", size = 10, fill = "#444444" })
      end
   end
   s:line(X(spec.base), f.t - 4, X(spec.base), f.b, "#222222", 1.5)
   s:text(X(spec.base), f.t - 8, i18n.t("chart.base") .. " " .. M.with_unit(spec.base, spec.unit),
      { anchor = "middle", size = 11 })
   if spec.x_label then
      s:text((f.l + f.r) / 2, s.h - 8, spec.x_label, { anchor = "middle" })
   end
   s:legend({ { i18n.t("chart.low_input"), cl }, { i18n.t("chart.high_input"), ch } })
   return chart("tornado", spec, s:finish())
end

-- ---- Whale and Lorenz curves ------------------------------------------------------------------

-- The curves and the Gini come from the core, as cv.whale, cv.lorenz and cv.gini compute
-- them (src/core/costing_whale.c, src/core/seg_value.c): the chart only draws them.

-- A one-column table "value" of the finite values of an array.
local function values_table(values)
   local v = {}
   for _, x in ipairs(values) do
      if finite(x) then v[#v + 1] = x end
   end
   return base.table { { "value", v, "float" } }
end

-- Points {x%, y%} through at most ~200 of the rows of the columns xs, ys (shares 0..1),
-- from (0, 0).
local function curve_points(xs, ys)
   local n, pts = #xs, { { 0, 0 } }
   local every = max(1, floor(n / 200))
   for i = 1, n do
      if i % every == 0 or i == n then pts[#pts + 1] = { 100 * xs[i], 100 * ys[i] } end
   end
   return pts
end

-- cv.chart.gini(values) -> the Gini coefficient of the finite values: cv.gini's (the core's
-- cv_gini; losses allowed, docs/segmentation.md).
function M.gini(values)
   return segment.gini(values_table(values), "value")
end

local function curve_chart(kind, spec, pts, ylo, yhi, extra)
   local s = new_svg(spec, kind)
   local f = frame(s, { xmin = 0, xmax = 100, ymin = ylo, ymax = yhi, x_unit = "%", y_unit = "%",
      tight_x = true })
   extra(s, f)
   local p = {}
   for i, xy in ipairs(pts) do p[i] = { f.x(xy[1]), f.y(xy[2]) } end
   s:polyline(p, M.palette[1], 2.5)
   return chart(kind, spec, s:finish())
end

function M.whale(spec)
   check(spec, "whale")
   local curve, st = costing.whale(values_table(spec.values), { profit = "value" })
   local pts = curve_points(curve:col("customer_share"):totable(), curve:col("cum_share"):totable())
   local peak, at = 100 * st.peak_share, 100 * st.peak_rank / st.customers
   local o = {}
   for k, x in pairs(spec) do o[k] = x end
   local measure = spec.measure or i18n.t("chart.whale.profit")
   o.x_label = o.x_label or i18n.t("chart.whale.x", { measure = measure })
   o.y_label = o.y_label or i18n.t("chart.whale.y", { measure = measure })
   o.subtitle = o.subtitle or i18n.t("chart.whale.peak",
      { peak = M.number(peak, 0.1), at = M.number(at, 0.1), measure = measure })
   local ys = {}
   for i, xy in ipairs(pts) do ys[i] = xy[2] end
   local lo, hi = range({ 0, 100 }, ys)
   return curve_chart("whale", o, pts, lo, hi, function(s, f)
      s:line(f.x(0), f.y(100), f.x(100), f.y(100), "#777777", 1, "4 3")
      s:circle(f.x(at), f.y(peak), 4, M.palette[3])
   end)
end

function M.lorenz(spec)
   check(spec, "lorenz")
   local curve, gini = segment.lorenz(values_table(spec.values), "value",
      { points = 201 })
   local o = {}
   for k, x in pairs(spec) do o[k] = x end
   o.x_label = o.x_label or i18n.t("chart.lorenz.x")
   o.y_label = o.y_label or i18n.t("chart.lorenz.y")
   o.subtitle = o.subtitle or i18n.t("chart.lorenz.gini", { gini = fmt("%.3f", gini) })
   local pts = curve_points(curve:col("customers"):totable(), curve:col("value"):totable())
   local ys = {}
   for i, xy in ipairs(pts) do ys[i] = xy[2] end
   local lo, hi = range({ 0, 100 }, ys)
   return curve_chart("lorenz", o, pts, lo, hi, function(s, f)
      s:line(f.x(0), f.y(0), f.x(100), f.y(100), "#777777", 1, "4 3")
   end)
end

return M
