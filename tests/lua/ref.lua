-- Independent references for the Lua tests, written here in plain Lua so that no special
-- function is shared with the core they check:
--    local ref = require "tests.lua.ref"
--    ref.lgamma(v), ref.lbeta(a, b), ref.gg_loglik(params, t, covariates)
local M = {}

-- log Gamma(v), v > 0: shifted to v >= 10, then Stirling's series to 1/v^9 (error < 1e-15).
function M.lgamma(v)
   local acc = 0
   while v < 10 do acc = acc - math.log(v); v = v + 1 end
   local i2 = 1 / (v * v)
   return acc + (v - 0.5) * math.log(v) - v + 0.5 * math.log(2 * math.pi)
      + (1 / 12 - i2 * (1 / 360 - i2 * (1 / 1260 - i2 * (1 / 1680 - i2 / 1188)))) / v
end

-- log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b)
function M.lbeta(a, b) return M.lgamma(a) + M.lgamma(b) - M.lgamma(a + b) end

-- The Gamma-Gamma log-likelihood (Fader, Hardie & Lee 2005, eq. 3) of the mean spend
-- mean_repeat_spend of t's customers with x > 0, at the parameters p (p.p, p.q, p.gamma), each
-- customer's gamma_i = gamma exp(sum of p["spend." .. c] * t's column c) over the names cov.
function M.gg_loglik(p, t, cov)
   local X, Mn = t:col("x"):totable(), t:col("mean_repeat_spend"):totable()
   local Z = {}
   for k, c in ipairs(cov) do Z[k] = t:col(c):totable() end
   local sum = 0
   for i = 1, #X do
      local x, mm = X[i], Mn[i]
      if x > 0 then
         local e = 0
         for k, c in ipairs(cov) do e = e + p["spend." .. c] * Z[k][i] end
         local gi, a = p.gamma * math.exp(e), p.p * x
         sum = sum + M.lgamma(a + p.q) - M.lgamma(a) - M.lgamma(p.q) + p.q * math.log(gi)
            + a * math.log(x) + (a - 1) * math.log(mm) - (a + p.q) * math.log(gi + x * mm)
      end
   end
   return sum
end

return M
