-- test: serial (it shares the test database servers with the other database tests)
-- The fit's input computed inside PostgreSQL (conn:collapse, cv.collapse_sql): the distinct
-- (x, t_x, T[, mean_repeat_spend]) of the summary with their counts n, against the
-- in-memory summary and fit on CDNOW, and cv.score_sql's view of every customer's scores
-- against m:clv in memory (the cluster of tests/pg/start.sh, as tests/lua/test_sql_pg.lua;
-- CVKIT_PG=skip skips it and says so).
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

test("score_sql in PostgreSQL: one view of every customer's scores", function()
   local o = { customer = "customer", date = "date", amount = "amount", unit = "week",
               calibration_end = "1997-09-30" }
   local s = cv.summary(tx, o)
   local m = cv.fit("pareto_nbd", s, { quiet = true })
   local want = m:conditional(m:clv(s, { spend = "mean_spend", horizon = 26, discount = 0.1 }),
                              26)
   local view = string.format("cvkit_t_sc_%08x", math.random(0, 0x7fffffff))
   o.table, o.into, o.model, o.horizon, o.discount, o.spend, o.quiet =
      "cdnow", view, "pareto_nbd", 26, 0.1, false, true
   local rep = cv.score_sql(db, o)
   eq(rep.rows, 1016)
   eq(rep.model.params, m.params)
   eq(rep.spend, nil)
   local v = db:read("SELECT * FROM " .. view .. " ORDER BY customer")
   eq(#v, 2357)
   for i = 1, #v do
      local a, b = v:row(i), want:row(i)
      for _, k in ipairs{ "p_alive", "dtx", "spend", "clv" } do
         T.near(a[k], b[k], 1e-9, string.format("row %d, %s", i, k))
      end
      T.near(a.expected, b.conditional, 1e-9, string.format("row %d, expected", i))
   end
   db:exec("DROP VIEW " .. view)
   db:exec("DROP TABLE " .. view .. "_rows")
   -- the view cannot be made (a table has its name): the table of rows written goes again
   db:exec("CREATE TABLE " .. view .. " (a int)")
   T.raises_plain("sql: relation \"" .. view .. "\" already exists", cv.score_sql, db, o)
   eq(#db:read("SELECT 1 FROM pg_tables WHERE tablename = $1", { view .. "_rows" }), 0)
   db:exec("DROP TABLE " .. view)
end)

T.report()
db:close()
