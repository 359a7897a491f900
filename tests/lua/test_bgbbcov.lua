-- Tests of the BG/BB with covariates (cv.fit("bgbb", s, {trans =, life =}): alpha_i = alpha
-- exp(g_trans'z_i), gamma_i = gamma exp(g_life'z_i); docs/models.md, "BG/BB with
-- covariates") on the donations data (collapsed rows with weights) and a covariate made
-- here: the fit's LL against the BG/BB likelihood summed in plain Lua (Fader, Hardie & Shang
-- 2010, eq. 5, with its own log-gamma), the nested fit, P(alive) of each row against
-- cv.model at the row's own parameters. The gradient and the recovery of simulated
-- coefficients: tests/unit/test_bgbbcov.c.
local T = require "cv.testing"
local test, eq, near, ok = T.test, T.eq, T.near, T.ok

local DATA = require "tests.lua.data"
local d = cv.read_csv(DATA .. "donations.csv")
-- z: 1 on every third row (a made-up segment: the test is of the machinery). On collapsed
-- rows z is a function of (x, t_x), so the fit explains the data too well: life.z runs to
-- -28.9 and is named in m.weak; the likelihood and predictions are checked there all the same.
local k = 0
d = d:add("z", function() k = k + 1; return k % 3 == 0 and 1 or 0 end, "int")
local COLS = { x = "frequency", t_x = "recency", T = "periods", weight = "weights",
   unit = "year", quiet = true }
local function with(t) for kk, v in pairs(COLS) do t[kk] = v end return t end
local bb = cv.fit("bgbb", d, with { trans = "z", life = "z" })
local bb0 = cv.fit("bgbb", d, with {})

-- log Gamma and log Beta: the plain-Lua references (tests/lua/ref.lua)
local lbeta = require("tests.lua.ref").lbeta

local function bgbb_ll(m, t)
   local p = m.params
   local X, TX, N = t:col("frequency"):totable(), t:col("recency"):totable(),
      t:col("periods"):totable()
   local W, Z = t:col("weights"):totable(), t:col("z"):totable()
   local sum = 0
   for i = 1, #X do
      local al = p.alpha * math.exp(p["trans.z"] * Z[i])
      local ga = p.gamma * math.exp(p["life.z"] * Z[i])
      local be, de, x, tx, n = p.beta, p.delta, X[i], TX[i], N[i]
      local l = math.exp(lbeta(al + x, be + n - x) - lbeta(al, be)
         + lbeta(ga, de + n) - lbeta(ga, de))
      for j = 0, n - tx - 1 do
         l = l + math.exp(lbeta(al + x, be + tx - x + j) - lbeta(al, be)
            + lbeta(ga + 1, de + tx + j) - lbeta(ga, de))
      end
      sum = sum + W[i] * math.log(l)
   end
   return sum
end

test("bgbb + covariates: names, LL against the sum here, the nested fit", function()
   eq(bb.names, { "alpha", "beta", "gamma", "delta", "trans.z", "life.z" })
   near(bb.n_obs, 11104, 0)
   near(bb.loglik, bgbb_ll(bb, d), 1e-10)
   near(bb.loglik0, bb0.loglik, 0)
   ok(bb.loglik >= bb0.loglik)
   local t = bb:lr_test()
   eq(t.df, 2)
   near(t.p_value, math.exp(-t.statistic / 2), 1e-12)
end)

test("bgbb + covariates: each row's P(alive) is cv.model's at its own parameters", function()
   local pa = bb:p_alive(d):col("p_alive"):totable()
   local Z = d:col("z"):totable()
   local X, TX, N = d:col("frequency"):totable(), d:col("recency"):totable(),
      d:col("periods"):totable()
   local p = bb.params
   for i = 1, #pa do
      local m = cv.model("bgbb", { alpha = p.alpha * math.exp(p["trans.z"] * Z[i]), beta = p.beta,
         gamma = p.gamma * math.exp(p["life.z"] * Z[i]), delta = p.delta }, { unit = "year" })
      near(pa[i], m:p_alive({ x = X[i], t_x = TX[i], T = N[i] }), 1e-13, "row " .. i)
   end
end)

T.report()
