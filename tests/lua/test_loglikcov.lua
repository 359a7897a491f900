-- Tests of m:loglik_on(s) for models with covariates (each customer at their own
-- parameters, unpenalized): on the apparel fits it gives the fitted m.loglik (which the
-- optimizer computed on the collapsed rows), the Gamma-Gamma's equals the density summed
-- here in plain Lua, it adds over a split of the customers, a penalized fit's is its
-- unpenalized m.loglik; a missing covariate column is named; m.loglik stays a number (the
-- documented field), so m:loglik(s) is Lua's error for calling a number.
local T = require "cv.testing"
local test, eq, near, ok, raises = T.test, T.eq, T.near, T.ok, T.raises

local A = require "tests.lua.cov_data"
local s, sc = A.summary, A.with_cov
local ref = require "tests.lua.ref"

test("bgnbd with covariates: loglik_on(s) = m.loglik, and adds over a split", function()
   local m = cv.fit("bgnbd", sc, { trans = { "Gender", "Channel" }, life = "Gender",
      quiet = true })
   near(m:loglik_on(sc), m.loglik, 1e-9 * math.abs(m.loglik))
   local a = sc:filter(function(r) return r.customer % 2 == 0 end)
   local b = sc:filter(function(r) return r.customer % 2 == 1 end)
   eq(a:nrows() + b:nrows(), sc:nrows())
   near(m:loglik_on(a) + m:loglik_on(b), m.loglik, 1e-9 * math.abs(m.loglik))
   raises("Model:loglik_on: unknown column 'Gender'", m.loglik_on, m, s)
   eq(type(m.loglik), "number")
   raises("attempt to call a number value %(method 'loglik'%)", function() return m:loglik(sc) end)
end)

test("gamma_gamma with covariates: loglik_on(s) = the density summed in plain Lua", function()
   local g = cv.fit("gamma_gamma", sc, { spend = { "Gender", "Channel" }, quiet = true })
   local sum = ref.gg_loglik(g.params, sc, { "Gender", "Channel" })
   near(g:loglik_on(sc), sum, 1e-9 * math.abs(sum))
   -- a penalized fit: its LL without the penalty, at its estimates
   local gp = cv.fit("gamma_gamma", sc, { spend = { "Gender", "Channel" }, quiet = true,
      reg = { spend = 1 } })
   near(gp:loglik_on(sc), gp.loglik, 1e-9 * math.abs(gp.loglik))
   ok(gp:loglik_on(sc) < g:loglik_on(sc))
end)

T.report()
