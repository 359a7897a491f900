-- The fit's input computed inside PostgreSQL (conn:collapse, cv.collapse_sql): the distinct
-- (x, t_x, T[, mean_repeat_spend]) of the summary with their counts n, against the
-- in-memory summary and fit on CDNOW (the cluster of tests/pg/start.sh, as
-- tests/lua/test_sql_pg.lua; CVKIT_PG=skip skips it and says so).
local T = require "cv.testing"
local test, eq = T.test, T.eq

local DATA = require "tests.lua.data"
local URL = os.getenv("CVKIT_PG_URL") or "postgresql://cvkit:cvkit@127.0.0.1:54329/cvkit"

if os.getenv("CVKIT_PG") == "skip" then
   print("# 0 passed, 0 failed (skipped: CVKIT_PG=skip)")
   return
end
local db, why = cv.try(cv.connect, URL)
if not db then
   print("FAIL  no postgresql server: " .. why .. "; start one with sh tests/pg/start.sh " ..
         "(make test does), or set CVKIT_PG=skip")
   print("# 0 passed, 1 failed")
   os.exit(1)
end

local tx = cv.read_csv(DATA .. "CDNOW_sample.txt", {
   header = false, delim = "space", names = { "master", "customer", "date", "cds", "amount" },
   types = { customer = "int", date = "date" } })

test("collapse in PostgreSQL: the fit equals the in-memory fit exactly", function()
   for _, unit in ipairs{ "week", "month" } do
      local o = { customer = "customer", date = "date", amount = "amount", unit = unit,
                  calibration_end = "1997-09-30" }
      local s = cv.summary(tx, o)
      o.table = "cdnow"
      local d, rep = cv.collapse_sql(db, o)
      eq(d:names(), { "x", "t_x", "T", "n" })
      eq(d:col("n"):sum(), 2357, unit)
      eq(rep.customers, 2357, unit)
      eq(rep.transactions, 2357 + 2457, unit)
      -- the rows are exactly the distinct rows of the in-memory summary
      local want = s:group_by({ "x", "t_x", "T" }, { { "n", "count" } })
      eq(#d, #want, unit .. ": distinct rows")
      local m1 = cv.fit("bgnbd", s, { quiet = true })
      local m2 = cv.fit("bgnbd", d, { weight = "n", quiet = true })
      eq(m2.params, m1.params, unit)
      eq(m2.loglik, m1.loglik, unit)
   end
   eq(#cv.collapse_sql(db, { table = "cdnow", customer = "customer", date = "date",
      amount = "amount", unit = "week", calibration_end = "1997-09-30" }), 1016)
end)

test("collapse moves fewer bytes than the summary; spend adds the mean repeat spend", function()
   local o = { table = "cdnow", customer = "customer", date = "date", amount = "amount",
               unit = "week", calibration_end = "1997-09-30" }
   local a, b = cv.connect(URL), cv.connect(URL)
   a:collapse(o)
   b:summary(o)
   local ra, rb = a:traffic(), b:traffic()
   eq(ra > 0 and ra < rb / 2, true, string.format("collapse %d bytes, summary %d", ra, rb))
   a:close()
   b:close()
   o.spend = true
   local g = db:collapse(o)
   eq(g:names(), { "x", "t_x", "T", "mean_repeat_spend", "n" })
   eq(g:col("n"):sum(), 2357)
   local zero = g:filter("x", "==", 0) -- the 1,411 customers without repeats: no spend
   eq(zero:col("n"):sum(), 1411)
   eq(#zero:filter("mean_repeat_spend", "isna"), #zero)
end)

T.report()
db:close()
