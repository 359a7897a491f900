-- Intervals benchmark (make bench, case intervals): on CDNOW_sample (the shared data,
-- $CVKIT_DATA or ../shared/data; weeks, calibration end 1997-09-30) the BG/NBD fit, then
-- DRAWS (argument 1, default 200) bootstrap refits for the 90% intervals of the parameters
-- and of every customer's E[Y(39)] and their total, then the same from 1000 asymptotic
-- draws. Prints the CPU seconds (os.clock: all threads) of each.
local draws = tonumber((...)) or 200
local dir = os.getenv("CVKIT_DATA")
if dir == nil or dir == "" then dir = "../shared/data" end
local s = cv.summary_csv(dir .. "/CDNOW_sample.txt", { header = false, delim = "space",
   types = { V3 = "date" }, customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", quiet = true })
local m = cv.fit("bgnbd", s)
local t0 = os.clock()
local _, tot = m:conditional(s, 39, { interval = 0.9, method = "bootstrap", draws = draws })
local boot = os.clock() - t0
t0 = os.clock()
m:conditional(s, 39, { interval = 0.9, draws = 1000 })
local asym = os.clock() - t0
print(string.format("bgnbd on cdnow (%d customers): %d bootstrap refits %.2f s cpu "
   .. "(total E[Y(39)] %.1f, 90%% %.1f..%.1f); 1000 asymptotic draws %.2f s cpu",
   #s, draws, boot, tot:col("estimate")[1], tot:col("lo")[1], tot:col("hi")[1], asym))
