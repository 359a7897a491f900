-- test: serial (it shares the test database servers with the other database tests)
-- Tests of the ClickHouse driver against the real two-shard cluster of tests/ch/start.sh
-- (tests/with_ch.sh starts it for make test; CDNOW_sample split across the shards, read
-- through the Distributed table cdnow): typed reads, parameters written as escaped
-- literals (an injection attempt stays a string), errors without passwords, writes that
-- leave nothing behind when they fail, the summary in the engine equal to cv.summary row
-- for row, and the fit from the engine's distinct rows equal to the in-memory fit.
-- Without a server the file is one failure naming the fixes; CVKIT_CH=skip (set by
-- tests/with_ch.sh when ClickHouse is not installed) skips it and says so.
local T = require "cv.testing"
local test, eq, near, raises_plain = T.test, T.eq, T.near, T.raises_plain

local DATA = require "tests.lua.data"
local URL = os.getenv("CVKIT_CH_URL") or "clickhouse://cvkit:cvkit@127.0.0.1:58123/cvkit"
local HOSTPORT = URL:match("@([^/]+)/") or "?"

if os.getenv("CVKIT_CH") == "skip" then
   print("# 0 passed, 0 failed (SKIP: ClickHouse not installed or CVKIT_CH=skip)")
   return
end
local probe, why = cv.try(cv.connect, URL)
if not probe then
   print(string.format("FAIL  no clickhouse server at %s: %s; start the cluster with sh " ..
                       "tests/ch/start.sh (make test does), or set CVKIT_CH=skip", HOSTPORT, why))
   print("# 0 passed, 1 failed")
   os.exit(1)
end
probe:close()

local db = cv.connect(URL)
local RUN = string.format("%08x", math.random(0, 0x7fffffff))
local NAME = {}
for _, t in ipairs{ "w", "bad", "app" } do
   NAME[t] = "cvkit_t_" .. t .. "_" .. RUN
end
local function tables()
   local out = {}
   local t = db:read("SELECT name FROM system.tables WHERE database = currentDatabase() " ..
                     "AND name LIKE $1 ORDER BY name", { "cvkit_t_%_" .. RUN .. "%" })
   for i = 1, #t do out[#out + 1] = t:row(i).name end
   return out
end

local function same(a, b, what)
   eq(b:names(), a:names(), what .. ": names")
   eq(b:types(), a:types(), what .. ": types")
   eq(#b, #a, what .. ": rows")
   local names = a:names()
   for i = 1, #a do
      local x, y = a:row(i), b:row(i)
      for _, n in ipairs(names) do
         if math.type(x[n]) == "float" then
            near(y[n], x[n], 1e-9, string.format("%s: row %d, %s", what, i, n))
         else
            eq(y[n], x[n], string.format("%s: row %d, %s", what, i, n))
         end
      end
   end
end

test("connect: description without the password, kind", function()
   eq(tostring(db), "cv.Connection (clickhouse://cvkit@" .. HOSTPORT .. "/cvkit)")
   eq(db:kind(), "clickhouse")
end)

test("read: ClickHouse types to cvkit types, NULL as missing, the Distributed table", function()
   local t = db:read([[SELECT toInt8(-3) AS i8, toUInt32(4000000000) AS u32,
      toInt64(9007199254740993) AS i64, toFloat32(0.1) AS f32, 0.1 AS f64, nan AS fnan,
      -inf AS fneg, toDate('1997-01-01') AS d, toDate('1970-01-01') AS d0,
      toDateTime('1997-01-01 10:30:00') AS dt, 'a\tb\\c\nd' AS s, toNullable(NULL) AS n,
      CAST(NULL AS Nullable(Int32)) AS ni, [1, 2] AS arr, toDecimal64(12.34, 2) AS dec]])
   eq(t:types(), { "int", "int", "int", "float", "float", "float", "float", "date", "date",
                   "datetime", "string", "float", "int", "string", "float" })
   local r = t:row(1)
   eq(r.i8, -3)
   eq(r.u32, 4000000000)
   eq(r.i64, 9007199254740993)
   eq(r.f32, 0.10000000149011612) -- the float32 nearest 0.1, exactly
   eq(r.f64, 0.1)
   eq(r.fneg, -math.huge)
   eq(r.d, "1997-01-01")
   eq(r.d0, "1970-01-01")          -- ClickHouse writes day 0 as 0000-00-00
   eq(r.dt, "1997-01-01 10:30:00")
   eq(r.s, "a\tb\\c\nd")
   eq(r.n, nil)
   eq(r.ni, nil)
   eq(r.arr, "[1,2]")
   eq(r.dec, 12.34)
   local tx = db:read("SELECT customer, date, amount FROM cdnow ORDER BY customer, date")
   eq(#tx, 6919)                   -- both shards' rows
   eq(tx:types(), { "int", "date", "float" })
   eq(tx:row(1).amount, 29.33)
   local shards = db:read("SELECT count() AS n FROM cdnow_local"):row(1).n
   eq(shards > 0 and shards < 6919, true, "this shard holds part of the rows")
   local big = db:read("SELECT number AS i FROM system.numbers LIMIT 300001")
   eq(#big, 300001)
   eq(big:row(300001).i, 300000)
end)

test("parameters: escaped literals, an injection stays a string", function()
   local t = db:read("SELECT count() AS n FROM cdnow WHERE customer = $1 AND amount > $2",
                     { 1, 20.5 })
   eq(t:row(1).n, 3)
   local evil = "x'); DROP TABLE cdnow; --\\' \"`$1\n"
   t = db:read("SELECT $1 AS s, $2 AS b, $3 AS z, -$4 AS neg, '$1' AS lit -- $9\n", {
      evil, false, nil, -5, n = 4 })
   local r = t:row(1)
   eq(r.s, evil)
   eq(r.b, 0)
   eq(r.z, nil)
   eq(r.neg, 5)                    -- "-(-5)", not a comment
   eq(r.lit, "$1")                 -- inside a literal: not a placeholder
   eq(#db:read("SELECT 1 AS one FROM cdnow LIMIT 1"), 1)
   raises_plain("sql: parameter $2 is not given (1 given)", db.read, db, "SELECT $1, $2", { 1 })
end)

test("errors: refused, failed login, bad query, no password in any message", function()
   local _, msg, code = cv.try(cv.connect, "clickhouse://cvkit:cvkit@127.0.0.1:1/cvkit")
   eq(msg, "cannot connect to clickhouse at 127.0.0.1:1: connection refused (is the server " ..
           "running?)")
   eq(code, 3)
   local bad = URL:gsub("cvkit:cvkit@", "cvkit:S3cr%%40t-pw@")
   _, msg, code = cv.try(cv.connect, bad)
   eq(msg, "login to clickhouse at " .. HOSTPORT .. " failed: wrong password for user cvkit")
   eq(code, 3)
   _, msg = cv.try(cv.connect, "clickhouse://cvkit:S3cr%zz@127.0.0.1:1/cvkit")
   eq(msg:find("S3cr", 1, true), nil, msg)
   _, msg, code = cv.try(db.read, db, "SELECT 1 FROM nothere_" .. RUN)
   eq(msg, "sql: table cvkit.nothere_" .. RUN .. " doesn't exist")
   eq(code, 4)
   _, msg = cv.try(db.read, db, "SELECT 1\nFROM cdnow WHER x")
   eq(msg:match("^sql:2:17: syntax error"), "sql:2:17: syntax error", msg) -- WHER is an alias
   _, msg = cv.try(db.read, db, "SELECT throwIf(number = 3) FROM system.numbers LIMIT 10")
   eq(msg:match("^sql: value passed to 'throwIf' function is non zero"),
      "sql: value passed to 'throwIf' function is non zero", msg)
   eq(#db:read("SELECT 1 AS x"), 1) -- the connection still works
end)

test("write: create, append by name, a failed write leaves nothing behind", function()
   local t = cv.table{ { "id", { 1, 2, 3 } }, { "s", { "a\tb", "c\\d", "é" } },
                       { "f", { 0.1, 1 / 0, 0 / 0 } }, { "b", { true, false, true } },
                       { "day", { "1997-01-01", "1997-01-02", "1997-01-03" }, "date" } }
   db:write(NAME.w, t)
   local back = db:read("SELECT id, s, f, b, day FROM " .. NAME.w .. " ORDER BY id")
   eq(back:types(), { "int", "string", "float", "int", "date" })
   eq(back:row(1).s, "a\tb")
   eq(back:row(2).s, "c\\d")
   eq(back:row(3).s, "é")
   eq(back:row(2).f, math.huge)
   eq(back:row(3).f, nil)          -- NaN is written as NULL
   eq(back:row(1).b, 1)
   eq(back:row(3).day, "1997-01-03")
   raises_plain("cannot create table '" .. NAME.w .. "': table already exists", db.write, db,
                NAME.w, t)
   db:write(NAME.w, cv.table{ { "s", { "z" } }, { "id", { 4 } } }, { mode = "append" })
   eq(#db:read("SELECT * FROM " .. NAME.w), 4)
   eq(db:read("SELECT s FROM " .. NAME.w .. " WHERE id = 4"):row(1).s, "z")
   -- a failed append (no such column) and a failed create (a bad name) leave nothing
   raises_plain("cannot write to table '" .. NAME.w .. "': no such column nocol", db.write, db,
                NAME.w, cv.table{ { "id", { 5 } }, { "nocol", { 1 } } }, { mode = "append" })
   eq(#db:read("SELECT * FROM " .. NAME.w), 4)
   raises_plain("cannot write to table '" .. NAME.app .. "': it does not exist", db.write, db,
                NAME.app, t, { mode = "append" })
   local ok = cv.try(db.write, db, "nodb_" .. RUN .. "." .. NAME.bad, t)
   eq(ok, nil)
   eq(tables(), { NAME.w })
   db:exec("DROP TABLE " .. NAME.w)
   eq(tables(), {})
end)

local tx = cv.read_csv(DATA .. "CDNOW_sample.txt", {
   header = false, delim = "space", names = { "master", "customer", "date", "cds", "amount" },
   types = { customer = "int", date = "date" } })

test("summary in the engine = cv.summary on CDNOW_sample (Distributed table, holdout)", function()
   for _, unit in ipairs{ "day", "week", "month", "year" } do
      local o = { customer = "customer", date = "date", amount = "amount", unit = unit,
                  calibration_end = "1997-09-30", observation_end = "1998-06-30" }
      local want, r1 = cv.summary(tx, o)
      o.table = "cdnow"
      local got, r2 = cv.summary_sql(db, o)
      same(want, got, unit)
      for _, k in ipairs{ "rows", "customers", "excluded_late", "transactions", "merged_rows",
                          "rows_after_end", "first_date", "last_date", "calibration_end",
                          "holdout_length" } do
         eq(r2[k], r1[k], unit .. ": report " .. k)
      end
   end
   -- without ends (the last purchase), with a margin rate; and the published counts
   local o = { customer = "customer", date = "date", amount = "amount", margin = 0.3 }
   local want = cv.summary(tx, o)
   o.table = "cdnow"
   same(want, cv.summary_sql(db, o), "no ends, margin")
   local s = cv.summary_sql(URL, { table = "cdnow", customer = "customer", date = "date",
      amount = "amount", unit = "week", calibration_end = "1997-09-30" })
   eq(#s, 2357)
   eq(#s:filter("x", "==", 0), 1411)
   eq(s:col("x"):sum(), 2457)
end)

test("fit from the engine's distinct rows = the in-memory fit, exactly (weeks, months)", function()
   local om = { customer = "customer", date = "date", amount = "amount", unit = "month",
                calibration_end = "1997-09-30" }
   local sm = cv.summary(tx, om)
   om.table = "cdnow"
   local dm = db:collapse(om)
   eq(cv.fit("bgnbd", dm, { weight = "n", quiet = true }).params,
      cv.fit("bgnbd", sm, { quiet = true }).params)
   local o = { customer = "customer", date = "date", amount = "amount", unit = "week",
               calibration_end = "1997-09-30" }
   local s = cv.summary(tx, o)
   o.table = "cdnow"
   local c = cv.connect(URL)
   local d, rep = c:collapse(o)
   local rx = c:traffic()
   eq(#d, 1016)                    -- distinct (x, t_x, T) of CDNOW_sample, weeks
   eq(d:names(), { "x", "t_x", "T", "n" })
   eq(d:col("n"):sum(), 2357)
   eq(rep.customers, 2357)
   eq(rep.transactions, 2357 + 2457)
   local m1 = cv.fit("bgnbd", s, { quiet = true })
   local m2 = cv.fit("bgnbd", d, { weight = "n", quiet = true })
   eq(m2.params, m1.params)        -- the same doubles
   eq(m2.loglik, m1.loglik)
   local p1 = cv.fit("pareto_nbd", s, { quiet = true })
   local p2 = cv.fit("pareto_nbd", d, { weight = "n", quiet = true })
   eq(p2.params, p1.params)
   -- fewer bytes than the per-customer summary
   local c2 = cv.connect(URL)
   c2:summary(o)
   local rx2 = c2:traffic()
   eq(rx < rx2 / 2, true, string.format("collapse %d bytes, summary %d bytes", rx, rx2))
   c:close()
   c2:close()
   -- with the mean repeat spend: one more column, rows of x = 0 have none
   local g = db:collapse{ table = "cdnow", customer = "customer", date = "date",
      amount = "amount", unit = "week", calibration_end = "1997-09-30", spend = true }
   eq(g:names(), { "x", "t_x", "T", "mean_repeat_spend", "n" })
   eq(g:col("n"):sum(), 2357)
   -- a calibration end inside the first purchases (customers after it are late): the
   -- collapse's own counts (its customer-days and its customers, which it carries in place
   -- of the checks' uniqExact) give cv.summary's report, and its rows are the summary's
   for _, unit in ipairs{ "week", "month" } do
      for _, spend in ipairs{ false, true } do
         local ol = { customer = "customer", date = "date", amount = "amount", unit = unit,
                      calibration_end = "1997-02-15", quiet = true }
         local sl, r1 = cv.summary(tx, ol)
         ol.table, ol.spend = "cdnow", spend
         local dl, r2 = db:collapse(ol)
         local what = unit .. (spend and ", spend" or "")
         eq(r1.excluded_late > 0, true, what .. ": late customers")
         for _, k in ipairs{ "rows", "customers", "excluded_late", "transactions", "merged_rows",
                             "rows_after_end", "first_date", "last_date", "calibration_end" } do
            eq(r2[k], r1[k], what .. ": report " .. k)
         end
         eq(dl:col("n"):sum(), #sl, what)
         eq(dl:col("x"):min(), 0, what)
         eq(cv.fit("bgnbd", dl, { weight = "n", quiet = true }).params,
            cv.fit("bgnbd", sl, { quiet = true }).params, what)
      end
   end
end)

-- The Gamma-Gamma fit sums its groups in long double (src/core/model_gg.c), so the engine's
-- collapsed rows and the in-memory ones give the same fit to 1e-9; under valgrind long double
-- is computed in double (memcheck has no 80-bit x87) and they agree to about 1e-8 (run.sh sets
-- CVKIT_VALGRIND there)
local GG_TOL = os.getenv("CVKIT_VALGRIND") == "1" and 1e-7 or 1e-9

test("score_sql: summary, collapse, fit, score, write back, one view of every customer", function()
   local o = { customer = "customer", date = "date", amount = "amount", unit = "week",
               calibration_end = "1997-09-30" }
   local s = cv.summary(tx, o)
   local m = cv.fit("bgnbd", s, { quiet = true })
   local gg = cv.fit("gamma_gamma", s, { quiet = true })
   local want = m:conditional(m:clv(s, { spend = gg, horizon = 52, margin = 0.3 }), 52)
   o.table, o.into, o.margin_rate, o.quiet = "cdnow", "cvkit_t_sc_" .. RUN, 0.3, true
   local rep = cv.score_sql(URL, o)
   eq(rep.rows, 1016)
   eq(rep.customers, 2357)
   eq(rep.model.params, m.params)     -- the fit from the distinct rows is the in-memory one
   -- one collapse (with spend: 1,946 distinct rows, 46 KB with the checks), not two (82 KB)
   eq(rep.received < 60000, true, "bytes received " .. rep.received)
   local v = db:read("SELECT * FROM " .. o.into .. " ORDER BY customer")
   eq(v:names(), { "customer", "x", "t_x", "T", "p_alive", "expected", "dtx", "spend", "clv" })
   eq(#v, 2357)
   for i = 1, #v do
      local a, b = v:row(i), want:row(i)
      eq(a.customer, b.customer)
      for _, k in ipairs{ "p_alive", "dtx", "spend", "clv" } do
         near(a[k], b[k], (k == "spend" or k == "clv") and GG_TOL * (1 + math.abs(b[k])) or 1e-9,
            string.format("row %d, %s", i, k))
      end
      near(a.expected, b.conditional, 1e-9, string.format("row %d, expected", i))
   end
   eq(tables(), { o.into, o.into .. "_rows" })
   -- a second run fails and leaves nothing more behind: on the table of rows (before
   -- anything is written), on the view (its table of rows, written, is dropped again)
   raises_plain("cannot create table '" .. o.into .. "_rows': table already exists",
                cv.score_sql, URL, o)
   eq(tables(), { o.into, o.into .. "_rows" })
   db:exec("DROP TABLE " .. o.into .. "_rows")
   raises_plain("sql: table cvkit." .. o.into .. " already exists", cv.score_sql, URL, o)
   eq(tables(), { o.into })
   db:exec("DROP TABLE " .. o.into)
   eq(tables(), {})
   raises_plain("cv.score_sql: bad name 'a;b' for into", cv.score_sql, URL,
                { table = "cdnow", customer = "customer", date = "date", amount = "amount",
                  into = "a;b" })
end)

T.report()
db:close()
