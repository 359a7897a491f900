-- examples/make_clv_data.lua: writes examples/data/cohort.csv, a synthetic transaction log
-- (customer, date, amount) of one cohort of 3,000 new customers with a customer-base
-- story: many buy once or twice and drop out, a few keep buying, so `cvkit clv` on it
-- shows dropout (P(alive) well below 100%) and a holdout check worth reading.
--   cvkit run examples/make_clv_data.lua [OUT.csv]
-- Drawn by cvkit's own simulator, cv.simulate_transactions (docs/models.md, "cvkit gen"),
-- with seed 1 from published parameters, not from any data set's rows:
--   purchases: BG/NBD r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (per week), the
--     estimates of Fader, Hardie & Lee (2005, "Counting your customers the easy way")
--     on the CDNOW sample (docs/models.md, "The models, their sources");
--   spend: Gamma-Gamma p = 6.25, q = 3.74, gamma = 15.44, Fader & Hardie's (2013) on the
--     same customers.
-- First purchases uniform over the 12 weeks from 2024-01-01, repeat purchases to 78 weeks
-- after it (the last day 2025-06-29): split at 2024-09-30 it has 39 weeks of calibration
-- and 39 of holdout, as the literature's CDNOW split. The same seed gives the same file
-- (tests/cli/test_cli.sh regenerates it and compares byte for byte).

local here = (arg and arg[0] and arg[0]:match("^(.*)/")) or "."
local out_path = (arg and arg[1]) or (here .. "/data/cohort.csv")

local m = cv.model("bgnbd", { r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 }, { unit = "week" })
local tx = cv.simulate_transactions(m, 3000, { seed = 1, start = "2024-01-01", cohort_days = 84,
   spend = { p = 6.25, q = 3.74, gamma = 15.44 } })
tx:write(out_path)
print(string.format("%s: %d rows", out_path, #tx))
