-- The apparel data of the covariate tests, read once per test file (docs/models.md,
-- "Covariates"): the 40-week weekly summary of apparelTrans.csv with its holdout after
-- 2005-10-09, and the same joined with apparelStaticCov.csv (Gender, Channel):
--    local A = require "tests.lua.cov_data"
--    A.summary, A.with_cov
local DATA = require "tests.lua.data"

local s = cv.summary_csv(DATA .. "apparelTrans.csv", { customer = "Id", date = "Date",
   amount = "Price", unit = "week", calibration_end = "2005-10-09", quiet = true })
return {
   summary = s,
   with_cov = s:join(cv.read_csv(DATA .. "apparelStaticCov.csv"), { on = { customer = "Id" } }),
}
