-- An independent Pareto/NBD with covariates, for checking cvkit's fit on apparel (docs/models.md,
-- "Covariates"): the likelihood in its integral form (Fader & Hardie 2005, eq. before the 2F1)
--   L = Gamma(r+x)/Gamma(r) alpha^r beta^s [ (alpha+T)^-(r+x) (beta+T)^-s
--       + s int_{t_x}^{T} (alpha+u)^-(r+x) (beta+u)^-(s+1) du ]
-- with alpha_i = alpha e^(-g_t'z), beta_i = beta e^(-g_l'z) (CLVTools), by Simpson's rule in
-- w = log(min(alpha, beta) + u), plain Lua, no cvkit code; maximized by a Nelder-Mead written
-- here, from CLVTools' default start, within cvkit's fence (|log-parameter| <= 20).
-- Usage: cvkit run tools/pnbd_cov_check.lua [evaluations]
local cv = require "cv"
local D = os.getenv("CVKIT_DATA") or "../shared/data"
local s = cv.summary_csv(D .. "/apparelTrans.csv", { customer = "Id", date = "Date",
   amount = "Price", unit = "week", calibration_end = "2005-10-09", quiet = true })
s = s:join(cv.read_csv(D .. "/apparelStaticCov.csv"), { on = { customer = "Id" } })
local X, TX, T, G, C = s:col("x"):totable(), s:col("t_x"):totable(), s:col("T"):totable(),
   s:col("Gender"):totable(), s:col("Channel"):totable()
local n = #X

local function lgamma(z) -- Lanczos (g = 7, 9 terms)
   local c = { 0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
      -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7 }
   z = z - 1
   local a, t = c[1], z + 7.5
   for i = 1, 8 do a = a + c[i + 1] / (z + i) end
   return 0.5 * math.log(2 * math.pi) + (z + 0.5) * math.log(t) - t + math.log(a)
end
local function log1p(v) return math.abs(v) < 1e-4 and v - v * v / 2 + v * v * v / 3 or math.log(1 + v) end

-- th = {log r, log alpha, log s, log beta, gT, gC, lG, lC}; the same fence as cvkit's fit:
-- log-parameters within +-20 (coefficients within +-30 here)
local function ll(th)
   for j = 1, 8 do
      if math.abs(th[j]) > (j <= 4 and 20 or 30) then return -math.huge end
   end
   local r, a0, sh, b0 = math.exp(th[1]), math.exp(th[2]), math.exp(th[3]), math.exp(th[4])
   local sum = 0
   for i = 1, n do
      local al = a0 * math.exp(-(th[5] * G[i] + th[6] * C[i]))
      local be = b0 * math.exp(-(th[7] * G[i] + th[8] * C[i]))
      local x, tx, Ti = X[i], TX[i], T[i]
      -- log of alpha^r beta^s (alpha+u)^-(r+x) (beta+u)^-(s+1), relative to u = t_x terms
      local function lf(u, extra)
         return -r * log1p(u / al) - x * math.log(al + u) - (sh + extra) * log1p(u / be)
            - extra * math.log(be)
      end
      local l1 = lf(Ti, 0) -- alpha^r beta^s (alpha+T)^-(r+x) (beta+T)^-s
      -- the integral in w = log(c + u), c = min(alpha, beta), du = (c + u) dw: both factors
      -- are smooth in w however small alpha or beta (a peak at t_x of width c otherwise)
      local c, m = math.min(al, be), 400
      local w0, w1 = math.log(c + tx), math.log(c + Ti)
      local h, acc, ref = (w1 - w0) / m, 0, lf(tx, 1) + w0
      local l2 = -math.huge
      if Ti > tx then
         for k = 0, m do
            local w = w0 + k * h
            local wt = (k == 0 or k == m) and 1 or (k % 2 == 1 and 4 or 2)
            acc = acc + wt * math.exp(lf(math.max(tx, math.exp(w) - c), 1) + w - ref)
         end
         l2 = math.log(sh) + ref + math.log(acc * h / 3)
      end
      local mx = math.max(l1, l2)
      sum = sum + lgamma(r + x) - lgamma(r) + mx + math.log(math.exp(l1 - mx) + math.exp(l2 - mx))
   end
   return sum
end

local function nelder_mead(f, x0, step, maxev)
   local k, pts, vals, ev = #x0, {}, {}, 0
   local function F(p) ev = ev + 1; local v = f(p); return v == v and v or math.huge end
   for i = 0, k do
      local p = { table.unpack(x0) }
      if i > 0 then p[i] = p[i] + step end
      pts[i + 1], vals[i + 1] = p, F(p)
   end
   while ev < maxev do
      local idx = {}
      for i = 1, k + 1 do idx[i] = i end
      table.sort(idx, function(a, b) return vals[a] < vals[b] end)
      local P, V = {}, {}
      for i, j in ipairs(idx) do P[i], V[i] = pts[j], vals[j] end
      pts, vals = P, V
      local cen = {}
      for j = 1, k do
         cen[j] = 0
         for i = 1, k do cen[j] = cen[j] + pts[i][j] / k end
      end
      local function at(t)
         local p = {}
         for j = 1, k do p[j] = cen[j] + t * (pts[k + 1][j] - cen[j]) end
         return p
      end
      local xr = at(-1); local fr = F(xr)
      if fr < vals[1] then
         local xe = at(-2); local fe = F(xe)
         if fe < fr then pts[k + 1], vals[k + 1] = xe, fe else pts[k + 1], vals[k + 1] = xr, fr end
      elseif fr < vals[k] then
         pts[k + 1], vals[k + 1] = xr, fr
      else
         local xc = at(0.5); local fc = F(xc)
         if fc < vals[k + 1] then
            pts[k + 1], vals[k + 1] = xc, fc
         else
            for i = 2, k + 1 do
               for j = 1, k do pts[i][j] = pts[1][j] + 0.5 * (pts[i][j] - pts[1][j]) end
               vals[i] = F(pts[i])
            end
         end
      end
   end
   local b = 1
   for i = 2, k + 1 do if vals[i] < vals[b] then b = i end end
   return pts[b], vals[b]
end

local m = cv.fit("pareto_nbd", s, { trans = { "Gender", "Channel" }, life = { "Gender", "Channel" },
   quiet = true })
local th = {}
for i = 1, 8 do th[i] = i <= 4 and math.log(m.values[i]) or m.values[i] end
print(string.format("cvkit LL %.6f; independent LL at cvkit's estimates %.6f", m.loglik, ll(th)))
-- an independent fit: from CLVTools' default start (all model parameters 1, coefficients 0.1),
-- in restarts of Nelder-Mead
local p = { 0, 0, 0, 0, 0.1, 0.1, 0.1, 0.1 }
local best
for _ = 1, tonumber(arg and arg[1]) or 6 do
   p, best = nelder_mead(function(q) return -ll(q) end, p, 0.5, 1500)
end
print(string.format("independent Nelder-Mead: LL %.6f at r %.4g alpha %.4g s %.4g beta %.4g "
   .. "trans %.4f %.4f life %.4f %.4f", -best, math.exp(p[1]), math.exp(p[2]), math.exp(p[3]),
   math.exp(p[4]), p[5], p[6], p[7], p[8]))
