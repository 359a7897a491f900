-- Tests of cv.scenario (side by side, sensitivity, grid, break-even, Monte Carlo), cv.chart
-- and cv.report. Expected values are worked out by hand in the comments; Monte Carlo
-- percentiles are checked against closed-form quantiles within 5 standard errors.
local T = require "cv.testing"
local test, eq, near, raises, ok = T.test, T.eq, T.near, T.raises, T.ok
local i18n = require "cv.i18n"

-- Retention CLV m r / (1 + d - r): base 100 × 0.8 / 0.3 = 266.667.
local function retention_sc(extra)
   local spec = {
      base = { margin = 100, retention = 0.8, discount = 0.1, period = "year" },
      variants = { { "up", retention = 0.85 }, { "cheap", margin = 90 } },
      formula = "clv.retention",
   }
   for k, v in pairs(extra or {}) do spec[k] = v end
   return cv.scenario(spec)
end

-- The same model written in Lua.
local function lua_model(p)
   return { clv = p.margin * p.retention / (1 + p.discount - p.retention) }
end

test("side by side: values, absolute and relative differences by hand", function()
   local res = retention_sc():run()
   eq(res.names, { "base", "up", "cheap" })
   near(res:value("base", "clv"), 800 / 3)
   near(res:value("up", "clv"), 340)                  -- 85 / 0.25
   near(res:value("cheap", "clv"), 240)               -- 72 / 0.3
   local d, r = res:diff("up", "clv")
   near(d, 340 - 800 / 3)                            -- 73.333
   near(r, 0.275)                                    -- 73.333 / 266.667
   d, r = res:diff("cheap", "clv")
   near(d, -80 / 3)
   near(r, -0.1)
   local t = res:table()
   eq(t:names(), { "scenario", "metric", "value", "base", "diff", "diff_pct" })
   eq(#t, 3)
   near(t:row(2).diff_pct, 27.5)
   local w = res:wide()
   eq(w:names(), { "scenario", "clv", "clv Δ", "clv Δ%" })
   eq(w:row(2)["clv Δ"], 73.33)
   eq(w:row(3)["clv Δ%"], -10.0)
end)

test("variants by name map, selection with only, several metrics", function()
   local sc = cv.scenario {
      base = { a = 2, b = 3 },
      variants = { zeta = { a = 4 }, alpha = { b = 0 } },
      model = function(p) return { sum = p.a + p.b, product = p.a * p.b } end,
   }
   local res = sc:run()
   eq(res.names, { "base", "alpha", "zeta" })
   eq(res.metrics, { "product", "sum" })            -- sorted when not given
   eq(res:value("alpha", "product"), 0)
   eq(res:value("zeta", "sum"), 7)
   local _, rel = res:diff("alpha", "product")
   near(rel, -1)
   res = sc:run { only = "zeta" }
   eq(res.names, { "base", "zeta" })
   local narrow = res:by_metric()
   eq(narrow:names(), { "metric", "scenario", "value", "Δ", "Δ%" })
   eq(#narrow, 4)
   eq(narrow:row(2).value, 12.0)                      -- product in zeta: 4 × 3
   eq(narrow:row(2)["Δ%"], 100.0)                     -- (12 - 6) / 6
   eq(narrow:row(4)["Δ%"], 40.0)                      -- sum: (7 - 5) / 5
   raises("no scenario 'nope' %(known: base, alpha, zeta%)", sc.run, sc, { only = "zeta,nope" })
end)

test("a relative difference against a zero base is missing", function()
   local sc = cv.scenario { base = { x = 0 }, variants = { { "one", x = 1 } },
      model = function(p) return { y = p.x } end }
   local res = sc:run()
   local d, r = res:diff("one", "y")
   eq(d, 1)
   eq(r, nil)
   eq(res:table():row(2).diff_pct, nil)
end)

test("mistakes are named", function()
   raises("typo: unknown parameter 'retension' %(did you mean 'retention'%?%)", cv.scenario, {
      base = { margin = 1, retention = 0.5, discount = 0.1, period = "year" },
      variants = { { "typo", retension = 0.9 } }, formula = "clv.retention" })
   raises("cv.scenario: option .base. is required", cv.scenario, { model = lua_model })
   raises("model function", cv.scenario, { base = { a = 1 } })
   raises("variant 'x' is given twice", cv.scenario, { base = { a = 1 }, model = lua_model,
      variants = { { "x", a = 2 }, { "x", a = 3 } } })
   local sc = cv.scenario { base = { a = 1 }, model = function() return "nope" end }
   raises("the model must return a table of metrics, got string", sc.run, sc)
end)

test("one at a time sensitivity: ranges and percentages, sorted by swing", function()
   local t = retention_sc():sensitivity { vary = { retention = { 0.75, 0.85 }, margin = "±20%",
      discount = 0.5 } }
   eq(t.metric, "clv")
   near(t.base, 800 / 3)
   -- retention 0.75: 75 / 0.35 = 214.286; 0.85: 340; swing 125.714
   -- margin 80 / 120: 213.333 / 320; swing 106.667
   -- discount 0.05 / 0.15: 80 / 0.25 = 320 / 80 / 0.35 = 228.571; swing 91.429
   eq(t.rows[1].param, "retention")
   eq(t.rows[2].param, "margin")
   eq(t.rows[3].param, "discount")
   near(t.rows[1].low, 75 / 0.35)
   near(t.rows[1].high, 340)
   near(t.rows[2].low_input, 80)
   near(t.rows[2].high_input, 120)
   near(t.rows[3].low, 320)
   near(t.rows[3].swing, 320 - 80 / 0.35)
   local tab = t:table()
   eq(tab:names(), { "param", "low_input", "high_input", "low", "high", "swing" })
   raises("bad range for 'margin'", retention_sc().sensitivity, retention_sc(), { vary = { margin = "lots" } })
end)

test("two-way grid", function()
   local g = retention_sc():grid { x = { "retention", { 0.7, 0.9 } }, y = { "margin", from = 80, to = 120, steps = 3 } }
   eq(g.ys, { 80.0, 100.0, 120.0 })
   near(g.z[1][1], 80 * 0.7 / 0.4)     -- 140
   near(g.z[3][2], 120 * 0.9 / 0.2)    -- 540
   eq(#g:table(), 6)
   ok(g:chart().svg:find("<svg", 1, true))
end)

test("break-even by Brent's method, and a clear message without a crossing", function()
   local sc = retention_sc()
   -- margin for CLV 500: 500 × 0.3 / 0.8 = 187.5
   local m, info = sc:breakeven { param = "margin", metric = "clv", target = 500, range = { 0, 1000 } }
   near(m, 187.5, 1e-9)
   ok(info.evals < 60, "evaluations")
   -- retention for CLV 500 with margin 100: r / (1.1 - r) = 5 -> r = 5.5 / 6
   local r = sc:breakeven { param = "retention", metric = "clv", target = 500, range = { 0.5, 0.99 } }
   near(r, 5.5 / 6, 1e-9)
   local none, msg = sc:breakeven { param = "margin", metric = "clv", target = 5000, range = { 0, 100 } }
   eq(none, nil)
   eq(msg, "no break-even for margin between 0 and 100: clv goes from 0 to 266.67 and does not reach 5,000")
   -- an error inside the model reaches the caller with its message
   local bad = cv.scenario { base = { x = 1 }, model = function(p)
      if p.x > 5 then error("model broke at " .. p.x, 0) end
      return { y = p.x }
   end }
   raises("model broke at", bad.breakeven, bad, { param = "x", metric = "y", target = 100, range = { 0, 10 } })
end)

-- y = 3x + 2 with x ~ U(0, 10): y is uniform on [2, 32]: P5 = 3.5, P50 = 17, P95 = 30.5.
test("Monte Carlo of a Lua model against the closed form", function()
   local sc = cv.scenario { base = { x = 5 }, model = function(p) return { y = 3 * p.x + 2 } end }
   local n = 40000
   local m = sc:montecarlo { inputs = { x = { "uniform", 0, 10 } }, draws = n, seed = 3, below = 17 }
   local s = m:summary("y")
   local se = function(q) return 5 * math.sqrt(q * (1 - q) / n) * 30 end -- density 1/30
   near(s.p5, 3.5, se(0.05) / 3.5)
   near(s.p50, 17, se(0.5) / 17)
   near(s.p95, 30.5, se(0.95) / 30.5)
   near(s.below, 0.5, 5 * math.sqrt(0.25 / n) / 0.5)
   eq(s.n, n)
   eq(#m.values, n)
   eq(m.values:names(), { "x", "y" })
   -- the same seed, the same draws
   local again = sc:montecarlo { inputs = { x = { "uniform", 0, 10 } }, draws = n, seed = 3 }
   eq(again:summary("y").p50, s.p50)
end)

test("Monte Carlo in C for a formula equals the Lua model on the same draws", function()
   local inputs = { retention = { "uniform", 0.6, 0.9 } }
   local c = retention_sc():montecarlo { inputs = inputs, draws = 20000, seed = 11 }
   local l = cv.scenario { base = { margin = 100, retention = 0.8, discount = 0.1 }, model = lua_model }
      :montecarlo { inputs = inputs, draws = 20000, seed = 11 }
   eq(c.formula, "clv.retention")
   eq(l.formula, nil)
   local a, b = c:summary("clv"), l:summary("clv")
   near(a.p5, b.p5, 1e-12)
   near(a.p50, b.p50, 1e-12)
   near(a.p95, b.p95, 1e-12)
   -- and the median is the CLV at the median retention 0.75: 75 / 0.35
   near(a.p50, 75 / 0.35, 0.01)
   -- an uncertain parameter that is not an input of the formula: the model runs in Lua
   local other = cv.scenario { base = { margin = 100, retention = 0.8, discount = 0.1,
      period = "year", n = 1 },
      formula = "clv.retention" }:montecarlo { inputs = { n = { "uniform", 1, 2 } }, draws = 100 }
   eq(other.formula, nil)
   eq(other:summary("clv").sd, 0.0)
end)

test("cv.montecarlo: a normal input through a linear formula", function()
   -- CLV = purchase × 4 × 5, purchase ~ N(100, 10): N(2000, 200); P95 = 2000 + 1.6449 × 200
   local m = cv.montecarlo { formula = "clv.simple", inputs = { avg_purchase = { "normal", 100, 10 },
      frequency = 4, lifetime = 5 }, draws = 100000, seed = 5, below = 2000 }
   local s = m:summary()
   local dens = math.exp(-0.5 * 1.6449 ^ 2) / math.sqrt(2 * math.pi) / 200
   near(s.p95, 2000 + 1.6448536 * 200, 5 * math.sqrt(0.05 * 0.95 / 100000) / dens / 2329)
   near(s.mean, 2000, 0.002)
   near(s.below, 0.5, 0.01)
   eq(m.rejected, 0)
   raises("unknown distribution 'gauss'", cv.montecarlo, { formula = "clv.simple",
      inputs = { avg_purchase = { "gauss", 1, 2 }, frequency = 1, lifetime = 1 } })
   -- resampling a column of data
   local t = cv.table { v = { 10, 20, 30 } }
   local r = cv.montecarlo { formula = "clv.simple", inputs = { avg_purchase = { "resample", t:col("v") },
      frequency = 1, lifetime = 1 }, draws = 3000, seed = 1 }
   local rs = r:summary()
   eq(rs.min, 10.0)
   eq(rs.max, 30.0)
   eq(rs.p50, 20.0)
end)

test("charts are SVG with escaped text; each saves alone", function()
   local c = cv.chart.bar { title = "a < b & c", categories = { "x", "y" }, values = { 1, 2 } }
   ok(c.svg:find("a &lt; b &amp; c", 1, true), "escaped title")
   ok(c.svg:match("^<svg xmlns=\"http://www.w3.org/2000/svg\""), "svg root")
   for _, kind in ipairs { "line", "bar", "stacked_bar", "histogram", "scatter", "heatmap",
      "tornado", "whale", "lorenz", "tracking" } do
      ok(type(cv.chart[kind]) == "function", kind)
   end
   near(cv.chart.gini { 1, 1, 1, 1 }, 0)
   near(cv.chart.gini { 0, 0, 0, 1 }, 0.75)  -- 2 × 4 / 4 - 5 / 4
   eq(cv.chart.number(1500), "1,500")
   eq(cv.chart.number(25000), "25k")
   eq(cv.chart.with_unit(12.5, "%"), "12.5%")
   eq(cv.chart.with_unit(-3, "¥"), "-¥3")
end)

test("reports: one HTML page with headings, tables and charts; XLSX and CSV read back", function()
   local dir = os.tmpname()
   os.remove(dir)
   cv.mkdir(dir)
   local res = retention_sc():run()
   local r = cv.report { title = "Test <report>", sections = { { heading = "One" }, "plain text",
      { kpis = { { "customers", "1,000" } } }, res, { chart = cv.chart.lorenz { values = { 1, 2, 3 } } } } }
   local html = r:html()
   ok(html:find("<title>Test &lt;report&gt;</title>", 1, true), "title")
   ok(html:find("<h2 id=\"s1\">One</h2>", 1, true), "heading")
   ok(html:find("<td class=\"num\">340.00</td>", 1, true), "a number cell (money: a CLV)")
   ok(html:find("@media print", 1, true), "print css")
   ok(not html:find("<script", 1, true), "no scripts")
   ok(not html:find("https?://[^\"]*\"", 1) or not html:find("src=\"http", 1, true), "no network")
   eq(#r:charts(), 2)
   r:save(dir .. "/r.html")
   local f = assert(io.open(dir .. "/r.html"))
   eq(f:read("a"), html)
   f:close()
   local paths = r:save_charts(dir)
   eq(#paths, 2)
   ok(paths[1]:match("chart%-01%-bar%.svg$"), paths[1])
   res:write(dir .. "/s.csv")
   local back = cv.read_csv(dir .. "/s.csv")
   near(back:row(2).value, 340)
   res:write(dir .. "/s.xlsx")
   local x = assert(io.open(dir .. "/s.xlsx", "rb"))
   eq(x:read(2), "PK")
   x:close()
   eq(r:save(dir .. "/new/r.html"), dir .. "/new/r.html") -- the folder is made
   raises("r.html: cannot create folder %(a file is there%)", r.save, r,
      dir .. "/new/r.html/x.html")
   os.remove(dir .. "/new/r.html")
   os.remove(dir .. "/new")
   for _, p in ipairs(paths) do os.remove(p) end
   for _, p in ipairs { "r.html", "s.csv", "s.xlsx" } do os.remove(dir .. "/" .. p) end
   os.remove(dir)
end)

test("labels follow the language", function()
   i18n.set_lang("zh")
   local w = retention_sc():run():wide()
   i18n.set_lang(nil)
   eq(w:names()[1], "情景")
   local c = cv.chart.tracking { x = { 1, 2 }, actual = { 1, 2 }, expected = { 1, 1 } }
   ok(c.svg:find(">actual<", 1, true) and c.svg:find(">expected<", 1, true), "legend")
end)

test("distribution specs from Lua: every kind, clamps and mistakes", function()
   local mc = require "cv.core.mc"
   local d = mc.draws({ { "triangular", 0, 2, 10 }, { "beta", 2, 6 }, { "lognormal", 0, 0.5 },
      { "normal", 0, 1, clamp = { -0.5, 0.5 } }, { "resample", { 7, 9 } }, 3 }, 2000, 9)
   eq(#d, 6)
   eq(#d[1], 2000)
   local lo, hi = math.huge, -math.huge
   for i = 1, 2000 do
      ok(d[1][i] >= 0 and d[1][i] <= 10, "triangular in range")
      ok(d[2][i] > 0 and d[2][i] < 1, "beta in (0, 1)")
      ok(d[3][i] > 0, "lognormal positive")
      lo, hi = math.min(lo, d[4][i]), math.max(hi, d[4][i])
      ok(d[5][i] == 7 or d[5][i] == 9, "resampled value")
      eq(d[6][i], 3.0, "a number is fixed")
   end
   eq(lo, -0.5)   -- N(0, 1) falls below -0.5 about 31% of the time: clamped there
   eq(hi, 0.5)
   raises("input 1: triangular expects 3 numbers", mc.draws, { { "triangular", 0, 1 } }, 10, 1)
   raises("input 1: uniform: min 2 must not exceed max 1", mc.draws, { { "uniform", 2, 1 } }, 10, 1)
   raises("input 2: resample expects a list of values", mc.draws, { 1, { "resample", 5 } }, 10, 1)
   raises("draws must be between 1 and 1e8", mc.draws, { 1 }, 0, 1)
end)

test("results written as JSON and Markdown; workbook mistakes are named", function()
   local dir = os.tmpname()
   os.remove(dir)
   cv.mkdir(dir)
   local res = retention_sc():run()
   res:write(dir .. "/s.json")
   res:write(dir .. "/s.md")
   local f = assert(io.open(dir .. "/s.json"))
   local json = f:read("a")
   f:close()
   near(tonumber(json:match('"scenario":"up","metric":"clv","value":([%d.]+)')), 340, 1e-12)
   f = assert(io.open(dir .. "/s.md"))
   near(tonumber(f:read("a"):match("| up | clv | ([%d.]+) |")), 340, 1e-12)
   f:close()
   raises("bad sheet name 'a/b'", cv.write_xlsx, dir .. "/x.xlsx", { { "a/b", res:table() } })
   raises("sheet name 'x' is given twice", cv.write_xlsx, dir .. "/x.xlsx",
      { { "x", res:table() }, { "x", res:wide() } })
   os.remove(dir .. "/s.json")
   os.remove(dir .. "/s.md")
   os.remove(dir)
end)

T.report()
