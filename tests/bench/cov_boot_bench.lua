-- Covariate bootstrap benchmark (issue 16): on CDNOW_sample (the shared data, $CVKIT_DATA or
-- ../shared/data; weeks, calibration end 1997-09-30) a BG/NBD with a made-up 0/1 covariate
-- (the row's index mod 2) on both processes, then DRAWS (argument 1, default 200) bootstrap
-- refits for the parameters' 90% intervals (seed 1), and the same for the fit without
-- covariates. Prints each one's bounds as %a (to compare bits across changes) and the CPU
-- seconds (os.clock: all threads). Run: build/cvkit run tests/bench/cov_boot_bench.lua
local draws = tonumber((...)) or 200
local dir = os.getenv("CVKIT_DATA")
if dir == nil or dir == "" then dir = "../shared/data" end
local s = cv.summary_csv(dir .. "/CDNOW_sample.txt", { header = false, delim = "space",
   types = { V3 = "date" }, customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", quiet = true })
local x, tx, T = s:col("x"):totable(), s:col("t_x"):totable(), s:col("T"):totable()
local lev = {}
for i = 1, #x do lev[i] = i % 2 end
local t = cv.table { { "x", x, "float" }, { "t_x", tx, "float" }, { "T", T, "float" },
   { "level", lev, "int" } }
local function boot(m)
   local t0 = os.clock()
   local pt = m:params_table { interval = 0.9, method = "bootstrap", draws = draws, seed = 1 }
   local cpu = os.clock() - t0
   for i = 1, #pt do
      print(string.format("%-12s %a %a", pt:col("param")[i], pt:col("lo")[i], pt:col("hi")[i]))
   end
   return cpu
end
local cov = boot(cv.fit("bgnbd", t, { trans = "level", life = "level", unit = "week",
   quiet = true }))
local plain = boot(cv.fit("bgnbd", t, { unit = "week", quiet = true }))
print(string.format("bgnbd on cdnow_sample (%d customers): %d bootstrap refits with a covariate "
   .. "on both processes %.3f s cpu; without covariates %.3f s cpu", #x, draws, cov, plain))
