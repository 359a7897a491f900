-- A heat map's left margin fits its widest y label (the demo marks the base case as
-- "63.65 (base)"): short labels keep the 80 px margin, a long one moves the cells right so
-- the label ends 6 px before them and clears the rotated axis title (x <= 30).
local T = require "cv.testing"
local test, eq, ok = T.test, T.eq, T.ok

local function first_cell_x(svg) return tonumber(svg:match('<rect x="([%d.]+)"[^>]*><title>')) end

test("short y labels keep the 80 px margin", function()
   local c = cv.chart.heatmap { x = { 1, 2 }, y = { 10, 20 }, z = { { 1, 2 }, { 3, 4 } },
      y_label = "margin" }
   eq(first_cell_x(c.svg), 80.0)
end)

test("a long y label widens the margin to its width + 36", function()
   local long = "63.65 (base) and then some"
   local c = cv.chart.heatmap { x = { 1, 2 }, y = { 10, 20 }, z = { { 1, 2 }, { 3, 4 } },
      y_label = "margin", y_format = function(v) return v == 20 and long or tostring(v) end }
   local w = cv.chart.text_width(long, 11)
   ok(w > 44, "the label is wider than the default margin allows (" .. w .. ")")
   eq(first_cell_x(c.svg), math.ceil(w) + 36.0)
end)

T.report()
