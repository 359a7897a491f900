-- Tests of the predictions of issue 16 through the one model interface: m:pmf(who, horizon,
-- k) (the conditional PMF), m:p_active(who, horizon), m:pmf_new of the MBG/NBD and BG/BB,
-- and m:dert of the BG/BB. The BG/NBD conditional PMF is checked against the note's
-- formula written out here in plain Lua (ratios of gamma and beta functions as products
-- over whole-number shifts: no special function shared with the core); the rest against
-- sums and the published figures of Hardie's BG/BB spreadsheet (FHS 2010 donations).
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local DATA = require "tests.lua.data"
local CDNOW = { header = false, delim = "space", types = { V3 = "date" },
   customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", observation_end = "1998-06-30", quiet = true }
local s = cv.summary_csv(DATA .. "CDNOW_sample.txt", CDNOW)

local P = { r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 } -- FHL (2005) on CDNOW
local bg = cv.model("bgnbd", P, { unit = "week" })
local one = { x = 2, t_x = 30.43, T = 38.86 }

-- prod(f, n) -> f(0) f(1) ... f(n-1)
local function prod(f, n)
   local v = 1
   for j = 0, n - 1 do v = v * f(j) end
   return v
end

-- The BG/NBD conditional PMF P(Y(t) = y | x, t_x, T) as the ratio of the joint
-- probability of the history and y future purchases to the likelihood of the history
-- (Fader, Hardie & Lee, "Deriving the conditional PMF of the BG/NBD model"), both without
-- the common factor Gamma(r+x)/Gamma(r) alpha^r. B(a, b+k)/B(a, b) = prod (b+j)/(a+b+j).
local function bg_cond_pmf(p, x, tx, big_t, t, y)
   local r, al, a, b = p.r, p.alpha, p.a, p.b
   local function bk(k) return prod(function(j) return (b + j) / (a + b + j) end, k) end
   local function bk1(k) return bk(k) * a / (b + k - 1) end -- B(a+1, b+k-1)/B(a,b)
   local R = r + x
   local function nb(j) -- Gamma(R+j)/(Gamma(R) j!) t^j (alpha+T+t)^-(R+j)
      return prod(function(i) return (R + i) / (i + 1) end, j) * t ^ j * (al + big_t + t) ^ -(R + j)
   end
   local dead = x > 0 and bk1(x) * (al + tx) ^ -R or 0
   local like = bk(x) * (al + big_t) ^ -R + dead
   local v = bk(x + y) * nb(y)
   if y > 0 then
      local s0 = 0
      for j = 0, y - 1 do s0 = s0 + nb(j) end
      v = v + bk1(x + y) * ((al + big_t) ^ -R - s0)
   else
      v = v + dead
   end
   return v / like
end

test("bgnbd: m:pmf equals the note's formula written out in Lua", function()
   for _, h in ipairs { { 2, 30.43, 38.86 }, { 0, 0, 38.86 }, { 7, 30, 35 }, { 1, 2, 20 } } do
      local who = { x = h[1], t_x = h[2], T = h[3] }
      for _, t in ipairs { 4, 39, 78 } do
         for y = 0, 6 do
            local want = bg_cond_pmf(P, h[1], h[2], h[3], t, y)
            near(bg:pmf(who, t, y), want, 1e-12 + 1e-9 * want,
               string.format("P(Y(%g) = %d | %g, %g, %g)", t, y, h[1], h[2], h[3]))
         end
      end
   end
end)

test("a table: each customer's PMF sums to 1 with the conditional expectation as mean", function()
   local m = cv.fit("bgnbd", s, { quiet = true })
   local c = m:conditional(s, 39)
   local cond = c:col("conditional"):totable()
   local sum, mean = {}, {}
   for i = 1, #cond do sum[i], mean[i] = 0, 0 end
   for k = 0, 90 do
      local col = m:pmf(s, 39, k):col("pmf_" .. k):totable()
      for i = 1, #cond do
         sum[i] = sum[i] + col[i]
         mean[i] = mean[i] + k * col[i]
      end
   end
   for i = 1, #cond, 97 do
      near(sum[i], 1, 1e-9, "sum, row " .. i)
      near(mean[i], cond[i], 1e-7 * (1 + cond[i]), "mean, row " .. i)
   end
   -- P(active) is the complement of P(Y = 0), row by row
   local pa = m:p_active(s, 39):col("p_active"):totable()
   local p0 = m:pmf(s, 39, 0):col("pmf_0"):totable()
   for i = 1, #pa, 31 do near(pa[i], 1 - p0[i], 1e-12, "p_active, row " .. i) end
end)

test("pareto/nbd, mbg/nbd and nbd: the same identities, one customer", function()
   local pn = cv.model("pnbd", { r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669 },
      { unit = "week" })
   local mbg = cv.model("mbgnbd", { r = 0.5, alpha = 6, a = 0.9, b = 3 }, { unit = "week" })
   local nbd = cv.model("nbd", { r = 0.85, alpha = 4.45 }, { unit = "week" })
   -- the NBD's P(active) in closed form: 1 - ((alpha+T)/(alpha+T+t))^(r+x)
   near(nbd:p_active(one, 39), 1 - ((4.45 + 38.86) / (4.45 + 38.86 + 39)) ^ (0.85 + 2), 1e-12,
      "nbd p_active")
   for _, m in ipairs { pn, mbg, nbd } do
      local sum, mean = 0, 0
      for k = 0, 300 do
         local v = m:pmf(one, 39, k)
         sum, mean = sum + v, mean + k * v
      end
      near(sum, 1, 1e-10, m.name .. " sum")
      near(mean, m:conditional(one, 39), 1e-8, m.name .. " mean")
      near(m:p_active(one, 39), 1 - m:pmf(one, 39, 0), 1e-12, m.name .. " p_active")
   end
   -- the MBG/NBD new customer: sums to 1 with mean E[X(t)]
   local sum, mean = 0, 0
   for k = 0, 300 do
      local v = mbg:pmf_new(39, k)
      sum, mean = sum + v, mean + k * v
   end
   near(sum, 1, 1e-10, "mbgnbd pmf_new sum")
   near(mean, mbg:expected_new(39), 1e-9, "mbgnbd pmf_new mean")
end)

test("a horizon in another unit is converted exactly", function()
   eq(bg:pmf(one, 364, 1, { unit = "day" }), bg:pmf(one, 52, 1))
   eq(bg:p_active(one, 364, { unit = "day" }), bg:p_active(one, 52))
end)

local d = cv.read_csv(DATA .. "donations.csv")
local bb = cv.fit("bgbb", d, { x = "frequency", t_x = "recency", T = "periods",
   weight = "weights", unit = "year", quiet = true })

test("bgbb: pmf_new against Hardie's spreadsheet; dert against the discounted sum", function()
   -- Hardie's BG/BB sheet ("In-sample fit", cells C18 and C24, as quoted by lifetimes'
   -- tests): 3454.9 of 11,104 supporters with no repeat donation in 6 years, 1253.1 with six
   near(11104 * bb:pmf_new(6, 0), 3454.9, 0.5, "X(6) = 0")
   near(11104 * bb:pmf_new(6, 6), 1253.1, 0.5, "X(6) = 6")
   local sum, mean = 0, 0
   for x = 0, 6 do
      sum, mean = sum + bb:pmf_new(6, x), mean + x * bb:pmf_new(6, x)
   end
   near(sum, 1, 1e-12, "sum")
   near(mean, bb:expected_new(6), 1e-12, "mean")
   -- DERT at 10% a year: the direct sum of the discounted yearly expected donations
   local rate = 0.10
   for _, h in ipairs { { 6, 6, 6 }, { 2, 4, 6 }, { 0, 0, 6 } } do
      local who = { x = h[1], t_x = h[2], T = h[3] }
      local direct, prev = 0, 0
      for k = 1, 4000 do
         local c = bb:conditional(who, k)
         direct = direct + (c - prev) / (1 + rate) ^ k
         prev = c
      end
      near(bb:dert(who, { discount = rate }), direct, 1e-9 * direct, "dert " .. h[1])
   end
   -- the table form, and the conditional PMF summing to 1 per pattern
   local t = bb:dert(d, { discount = rate })
   eq(#t:col("dert"):totable(), 22)
   local tot = {}
   for k = 0, 5 do
      for i, v in ipairs(bb:pmf(d, 5, k):col("pmf_" .. k):totable()) do
         tot[i] = (tot[i] or 0) + v
      end
   end
   for i = 1, #tot do near(tot[i], 1, 1e-12, "bgbb conditional pmf sum " .. i) end
end)

test("mistakes: a model that does not offer it, a new customer, whole numbers", function()
   local gg = cv.model("gammagamma", { p = 6.25, q = 3.74, gamma = 15.44 })
   raises("Model:p_active: gamma_gamma does not predict 'p_active'", gg.p_active, gg,
      { x = 1, m = 3 }, 4)
   raises("Model:pmf: gamma_gamma does not predict 'pmf_conditional'", gg.pmf, gg,
      { x = 1, m = 3 }, 4, 1)
   raises("Model:pmf: argument #3 must be an integer, got number 0.5", bg.pmf, bg, one, 39, 0.5)
   raises("Model:pmf: argument #2 .* got nil", bg.pmf, bg, one)
   raises("Model:pmf: argument #2 must be an integer, got number 2.5", bb.pmf, bb,
      { x = 1, t_x = 1, T = 6 }, 2.5, 0)
   raises("Model:pmf_new: argument #1 must be an integer, got number 2.5", bb.pmf_new, bb, 2.5, 1)
   raises("Model:p_active: unknown option 'units' %(did you mean 'unit'%?%)", bg.p_active, bg,
      one, 39, { units = "day" })
end)

T.report()
