-- Customers of the Pareto/NBD with time-varying covariates, simulated for the dyncov tests
-- (test_dyncov_fit.lua, test_dyncov_predict.lua, test_dyncov_value.lua), seeded:
--    local sim = require "tests.lua.dyncov_sim"
--    local a, f, alive, holdout = sim.simulate { seed =, n =, r =, alpha =, s =, beta =,
--       g_trans =, g_life = [, g_static =], day = true|false, cal =, stop =, proc =, col = }
-- lambda ~ Gamma(r, alpha), mu ~ Gamma(s, beta); a season dummy ((k // 13) % 2: 1 in calendar
-- weeks 13-25, 39-51, 65-77) acts on the purchases (g_trans) and the dropout (g_life),
-- constant within each calendar week k; with g_static, a dummy of each customer (1 with
-- probability 1/2) on the purchases, the second covariate. Customers arrive in weeks 0-26
-- (day: on a day, floor(26 * 7 u) / 7; else anywhere, 26 u) and are observed to week cal: a
-- holds the arrays of cv.core.dyncov (their repeat purchases and weekly periods from their
-- arrival; proc and col as given). Beyond cal, to week stop: f = {nper, pstart, z} the
-- periods after cal, holdout[i] the purchases in (cal, stop], alive[i] alive at cal.
local M = {}

local function rnorm()
   return math.sqrt(-2 * math.log(1.0 - math.random())) * math.cos(2 * math.pi * math.random())
end

-- Marsaglia and Tsang (2000)
local function rgamma(shape, rate)
   if shape < 1 then return rgamma(shape + 1, rate) * (1.0 - math.random()) ^ (1 / shape) end
   local d = shape - 1 / 3
   local c = 1 / math.sqrt(9 * d)
   while true do
      local x, v
      repeat
         x = rnorm()
         v = 1 + c * x
      until v > 0
      v = v * v * v
      if math.log(1.0 - math.random()) < 0.5 * x * x + d - d * v + d * math.log(v) then
         return d * v / rate
      end
   end
end

function M.simulate(o)
   math.randomseed(o.seed)
   local r, al, sh, be, gt, gl, gs = o.r, o.alpha, o.s, o.beta, o.g_trans, o.g_life, o.g_static
   local CAL, END = o.cal, o.stop
   local ncov = gs and 2 or 1
   local a = { x = {}, t_x = {}, T = {}, ntrans = {}, ttime = {}, nper = {}, pstart = {}, z = {},
      ncov = ncov, proc = o.proc, col = o.col }
   local f = { nper = {}, pstart = {}, z = {} }
   local alive, holdout = {}, {}
   for i = 1, o.n do
      local b = o.day and math.floor(math.random() * 26 * 7) / 7 or math.random() * 26
      local g = gs and (math.random() < 0.5 and 1 or 0) or 0
      local lam, mu = rgamma(r, al), rgamma(sh, be)
      local dead, times, hold, np, nf = false, {}, 0, 0, 0
      alive[i] = true
      for k = math.floor(b), END - 1 do
         local season = (k // 13) % 2
         local into = k < CAL and a or f
         into.pstart[#into.pstart + 1] = k - b
         into.z[#into.z + 1] = season
         if gs then into.z[#into.z + 1] = g end
         if k < CAL then np = np + 1 else nf = nf + 1 end
         if k == CAL then alive[i] = not dead end
         if not dead then
            local u0 = math.max(k, b)
            local life = -math.log(1.0 - math.random()) / (mu * math.exp(gl * season))
            local stop = math.min(k + 1, u0 + life)
            local rate = lam * math.exp(gt * season + (gs or 0) * g)
            local u = u0
            while true do
               u = u - math.log(1.0 - math.random()) / rate
               if u >= stop then break end
               if k < CAL then times[#times + 1] = u - b else hold = hold + 1 end
            end
            if u0 + life < k + 1 then dead = true end
         end
      end
      a.x[i], a.t_x[i], a.T[i] = #times, times[#times] or 0, CAL - b
      a.ntrans[i], a.nper[i], f.nper[i] = #times, np, nf
      for _, v in ipairs(times) do a.ttime[#a.ttime + 1] = v end
      holdout[i] = hold
   end
   return a, f, alive, holdout
end

return M
