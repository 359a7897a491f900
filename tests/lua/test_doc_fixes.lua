-- Regression tests of what the docs' examples found broken (tests/docs/run_docs.lua): a
-- model given by its parameters prints and compares (print(cv.model(...)) raised in
-- string.format: m.loglik was the method), and t:rows() yields i, row as documented.
local T = require "cv.testing"
local DATA = require "tests.lua.data"
local test, eq, near = T.test, T.eq, T.near

local CDNOW = { header = false, delim = "space", types = { V3 = "date" },
   customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", observation_end = "1998-06-30", quiet = true }
local s = cv.summary_csv(DATA .. "CDNOW_sample.txt", CDNOW)
local PUB = { r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 } -- FHL (2005)

test("print(cv.model(...)) shows the given parameters and no log-likelihood", function()
   local m = cv.model("bgnbd", PUB, { unit = "week" })
   eq(tostring(m), "BG/NBD (Fader, Hardie & Lee 2005), per week: r = 0.243, alpha = 4.414, a = 0.793, "
      .. "b = 2.426")
   eq(m.loglik, nil) -- given, not fitted: no log-likelihood (the method is m:loglik_on(s))
end)

test("a fitted model still prints its log-likelihood", function()
   local m = cv.fit("bgnbd", s)
   eq(tostring(m), "BG/NBD (Fader, Hardie & Lee 2005), per week: r = 0.2426, alpha = 4.414, "
      .. "a = 0.7929, b = 2.426; LL -9582.43")
end)

test("cv.compare takes a given model: its log-likelihood on s, no AIC or BIC", function()
   local given, fitted = cv.model("bgnbd", PUB, { unit = "week" }), cv.fit("bgnbd", s)
   local c = cv.compare({ given, fitted }, s, { horizon = 39 })
   eq(#c, 2)
   near(c:col("loglik")[1], given:loglik_on(s), 1e-12)
   near(c:col("loglik")[1], -9582.43, 1e-5) -- FHL (2005): -9582.4 at the published point
   eq(c:col("aic")[1], nil)
   eq(c:col("bic")[1], nil)
   near(c:col("aic")[2], 2 * 4 - 2 * fitted.loglik, 1e-12)
   eq(c:col("params"):type(), "int")
   eq(c:col("actual")[1], 1882.0) -- the holdout's repeat transactions (docs/models.md)
end)

test("t:rows() yields the index, then the row (as ipairs does)", function()
   local t = cv.table { { "id", { 7, 8, 9 } } }
   local seen = {}
   for i, row in t:rows() do seen[#seen + 1] = { i, row.id } end
   eq(seen, { { 1, 7 }, { 2, 8 }, { 3, 9 } })
end)

T.report()
