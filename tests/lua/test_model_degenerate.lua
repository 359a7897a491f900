-- What a user sees when a model meets degenerate data (docs/models.md, "Degenerate data and
-- boundary results"): clear errors for data without information, boundary fits that say so
-- (m.status, m.boundary, missing standard errors, the warning in print(m) in English and
-- Chinese, what the optimizer tried), and CLV at boundary parameters equal to the limit
-- worked by hand.
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local function summary(x, t_x, age)
   return cv.table { { "x", x, "float" }, { "t_x", t_x, "float" }, { "T", age, "float" } }
end

test("no repeat buyers: a clear error naming what to check", function()
   local s = summary({ 0, 0, 0 }, { 0, 0, 0 }, { 10, 20, 30 })
   raises("bgnbd: no customer made a repeat purchase %(x = 0 for all 3 customers%)", cv.fit,
      "bgnbd", s, { quiet = true, unit = "week" })
   raises("check the frequency column or lengthen the calibration period", cv.fit, "pareto_nbd",
      s, { quiet = true, unit = "week" })
   raises("every customer has age T = 0", cv.fit, "mbgnbd", summary({ 0 }, { 0 }, { 0 }),
      { quiet = true, unit = "week" })
end)

test("bad values name the row, the column and the values", function()
   raises("row 2: recency t_x must lie between 0 and the age T %(x = 2, t_x = 40, T = 39%)",
      cv.fit, "bgnbd", summary({ 1, 2 }, { 3, 40 }, { 39, 39 }), { quiet = true, unit = "week" })
   raises("row 1: missing value in column 't_x'", cv.fit, "bgnbd",
      cv.table { { "x", { 1 } }, { "t_x", { n = 1 }, "float" }, { "T", { 9 } } },
      { quiet = true, unit = "week" })
end)

test("identical customers: a boundary fit, its limit, and the warning print(m) shows", function()
   local s = summary({ 3, 3, 3 }, { 20, 20, 20 }, { 30, 30, 30 })
   local m = cv.fit("bgnbd", s, { quiet = true, unit = "week" })
   eq(m.converged, false)
   eq(m.status, "boundary")
   eq(m.identical, true)
   eq(m.se_ok, false)
   T.ok(#m.boundary >= 1, "boundary parameters named")
   eq(m.se.r, nil, "no standard error, not NaN")
   -- no heterogeneity: one Poisson rate x/T = 0.1, no dropout: LL = 3 (3 ln 0.1 - 3)
   near(m.loglik, 3 * (3 * math.log(0.1) - 3), 1e-3, "LL at the supremum")
   near(m:conditional({ x = 3, t_x = 20, T = 30 }, 10), 1.0, 0.01, "E[Y(10)] = 0.1 x 10")
   local text = tostring(m)
   T.ok(text:find("\nwarning: bgnbd: [%w, ]+ ran to the boundary: the data do not identify them; "
      .. "their standard errors are missing", 1) ~= nil, text)
   T.ok(text:find("all customers are identical", 1, true) ~= nil, text)
   i18n.set_lang("zh")
   local zh = tostring(m)
   i18n.set_lang("en")
   T.ok(zh:find("警告：bgnbd：参数 ", 1, true) ~= nil and zh:find("其标准误缺失", 1, true) ~= nil, zh)
end)

test("a fit that needed the fallback says what it tried", function()
   local s = cv.table { { "x", { 2 } }, { "mean_repeat_spend", { 30.0 } } }
   local g = cv.fit("gammagamma", s, { quiet = true, unit = "week" })
   eq(g.converged, false)
   eq(g.method, "bfgs+nelder-mead")
   eq(#g.tried, 3)
   eq({ g.tried[1].method, g.tried[2].method, g.tried[3].method },
      { "bfgs", "nelder-mead", "bfgs" })
   local its = 0
   for _, ph in ipairs(g.tried) do its = its + ph.iterations end
   eq(its, g.iterations, "the phases' iterations add up")
   eq(g.tried[2].grad_norm, nil, "nelder-mead has no gradient")
   eq(g.correlation, nil, "no correlation from one customer")
   local w = require("cv.fit").warnings(g)
   T.ok(w[#w]:find("^  tried bfgs %(%d+ iterations, stopped: ") ~= nil, w[#w])
   T.ok(w[#w]:find("; final gradient ", 1, true) ~= nil, w[#w])
end)

test("clv at the boundary: the no-dropout limit, not a failure", function()
   -- every customer buys twice a week and is still buying: a -> 0 (no dropout)
   local x, tx, age = {}, {}, {}
   for i = 1, 120 do
      age[i] = 52 + i
      x[i] = 2 * age[i]
      tx[i] = age[i] - 0.1
   end
   local s = summary(x, tx, age)
   local m = cv.fit("bgnbd", s, { quiet = true, unit = "week" })
   eq(m.status, "boundary")
   local c = m:clv(s, { horizon = math.huge, discount = 0.15, spend = 1 })
   local delta = math.log(1.15) * 7 / 365.2425
   for _, i in ipairs { 1, 60, 120 } do
      local want = (m.params.r + x[i]) / ((m.params.alpha + age[i]) * delta)
      near(c:col("p_alive")[i], 1, 1e-6, "P(alive) -> 1")
      near(c:col("dtx")[i], want, 1e-6 * want, "DERT -> E[lambda] / delta")
   end
end)

T.report()
