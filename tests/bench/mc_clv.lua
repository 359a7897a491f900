-- Monte Carlo benchmark through the Lua face: cv.montecarlo of the retention CLV in C
-- (draws as argument 1, default 100000), with its summary; prints the percentiles.
local n = tonumber((...)) or 100000
local t0 = os.clock()
local m = cv.montecarlo { formula = "clv.retention", draws = n, seed = 2024,
   inputs = { margin = { "triangular", 80, 100, 130 }, retention = { "normal", 0.8, 0.05, clamp = { 0, 0.99 } },
      discount = 0.1 } }
local s = m:summary()
print(string.format("cv.montecarlo %d draws: %.3f s cpu; P5 %.2f P50 %.2f P95 %.2f", n, os.clock() - t0,
   s.p5, s.p50, s.p95))
