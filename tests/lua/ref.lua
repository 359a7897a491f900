-- Independent references for the Lua tests, written here in plain Lua so that no special
-- function is shared with the core they check:
--    local ref = require "tests.lua.ref"
--    ref.lgamma(v), ref.lbeta(a, b)
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

return M
