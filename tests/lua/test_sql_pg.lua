-- test: serial (it shares the test database servers with the other database tests)
-- memcheck: skip (a live server's timeouts are not memcheck's business; the client's C paths
-- run under memcheck in the ClickHouse and SQLite tests)
-- Tests of cv.connect, cv.read_sql, cv.write_sql and cv.summary_sql against a real
-- PostgreSQL server (no mock): the cluster of tests/pg/start.sh, with CDNOW loaded, at
-- $CVKIT_PG_URL (default postgresql://cvkit:cvkit@127.0.0.1:54329/cvkit; tests/with_pg.sh
-- starts it for make test). Without a server the file is one failure naming the fixes;
-- only CVKIT_PG=skip, set explicitly, skips it, and says so.
local T = require "cv.testing"
local test, eq, near, raises, raises_plain = T.test, T.eq, T.near, T.raises, T.raises_plain

local DATA = require "tests.lua.data"
local URL = os.getenv("CVKIT_PG_URL") or "postgresql://cvkit:cvkit@127.0.0.1:54329/cvkit"
local HOSTPORT = URL:match("@([^/]+)/") or "?"

if os.getenv("CVKIT_PG") == "skip" then
   print("# 0 passed, 0 failed (skipped: CVKIT_PG=skip)")
   return
end
local probe, why = cv.try(cv.connect, URL)
if not probe then
   print(string.format("FAIL  no postgresql server at %s: %s; start one with sh " ..
                       "tests/pg/start.sh (make test does), or set CVKIT_PG=skip", HOSTPORT, why))
   print("# 0 passed, 1 failed")
   os.exit(1)
end
probe:close()

local db = cv.connect(URL)
-- tables this file makes, named for this run (several runs may share one server at once)
local RUN = string.format("%08x", math.random(0, 0x7fffffff))
local NAME = {}
for _, t in ipairs{ "types", "small", "neg", "nothere" } do
   NAME[t] = "cvkit_t_" .. t .. "_" .. RUN
end
local function drop()
   for _, t in pairs(NAME) do
      db:exec("DROP TABLE IF EXISTS " .. t)
   end
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

test("read: PostgreSQL types to cvkit types, NULL as missing", function()
   local t = db:read([[
      SELECT 1::int2 AS i2, 2::int4 AS i4, 9007199254740993::int8 AS i8, 0.1::float4 AS f4,
             0.1::float8 AS f8, 12345678901.23::numeric AS num, -0.000123::numeric AS small,
             true AS b, DATE '1997-01-01' AS d, TIMESTAMP '1997-01-01 10:30:00' AS ts,
             TIMESTAMPTZ '1997-01-01 10:30:00+02' AS tz, 'é'::text AS s, 'x'::varchar(3) AS v,
             interval '1 day' AS iv, NULL::int AS ni, NULL::text AS ns]])
   eq(t:types(), { "int", "int", "int", "float", "float", "float", "float", "bool", "date",
                   "datetime", "datetime", "string", "string", "string", "int", "string" })
   local r = t:row(1)
   eq(r.i8, 9007199254740993)
   eq(r.f4, 0.10000000149011612)     -- the float4 nearest 0.1, exactly
   eq(r.f8, 0.1)
   eq(r.num, 12345678901.23)
   eq(r.small, -0.000123)
   eq(r.b, true)
   eq(r.d, "1997-01-01")
   eq(r.ts, "1997-01-01 10:30:00")
   eq(r.tz, "1997-01-01 08:30:00")   -- in UTC
   eq(r.s, "é")
   eq(r.iv, "1 day")                 -- no binary decoder: the whole row came as text
   -- the same without the interval: binary transfer
   r = db:read("SELECT 0.1::float4 AS f4, TIMESTAMPTZ '1997-01-01 10:30:00+02' AS tz, " ..
               "-0.000123::numeric AS small, 1e-30::numeric AS tiny"):row(1)
   eq(r.f4, 0.10000000149011612)
   eq(r.tz, "1997-01-01 08:30:00")
   eq(r.small, -0.000123)
   eq(r.tiny, 1e-30)
   eq(r.ni, nil)
   eq(r.ns, nil)
end)

test("read: CDNOW, and more rows than one batch stream in", function()
   local t = db:read("SELECT customer, date, amount FROM cdnow ORDER BY customer, date")
   eq(#t, 6919)
   eq(t:types(), { "int", "date", "float" })
   eq(t:row(1).amount, 29.33)
   local big = db:read("SELECT g AS i, g * 0.5 AS half FROM generate_series(1, 120001) AS g")
   eq(#big, 120001)
   local s = big:group_by({}, { { "n", "count" }, { "total", "sum", "i" } }):row(1)
   eq(s.n, 120001)
   eq(s.total, 120001 * 120002 // 2)
   eq(big:row(120001).half, 60000.5)
end)

test("parameters are bound with PQexecParams, never pasted", function()
   local t = db:read("SELECT count(*) AS n FROM cdnow WHERE customer = $1 AND amount > $2",
                     { 1, 20.5 })
   eq(t:row(1).n, 3)
   t = db:read("SELECT $1::text AS s, $2::bool AS b, $3::int AS z",
               { "x'); DROP TABLE cdnow; --", false, nil, n = 3 })
   eq(t:row(1).s, "x'); DROP TABLE cdnow; --")
   eq(t:row(1).b, false)
   eq(t:row(1).z, nil)
   eq(#db:read("SELECT 1 FROM cdnow LIMIT 1"), 1)
   t = cv.read_sql(URL, "SELECT date FROM cdnow WHERE date >= $1::date ORDER BY date LIMIT 1",
                   { "1998-06-30" })
   eq(t:row(1).date, "1998-06-30")
end)

test("errors: refused connection, failed login, bad query with line:col", function()
   local _, msg, code = cv.try(cv.connect, "postgresql://cvkit:cvkit@127.0.0.1:1/cvkit")
   eq(msg, "cannot connect to postgresql at 127.0.0.1:1: connection refused (is the server " ..
           "running?)")
   eq(code, 3)
   local bad = URL:gsub("//cvkit:cvkit@", "//cvkit:wrong@")
   _, msg, code = cv.try(cv.connect, bad)
   eq(msg, "login to postgresql at " .. HOSTPORT ..
           " failed: password authentication failed for user \"cvkit\"")
   eq(code, 3)
   _, msg, code = cv.try(db.read, db, "SELECT customer,\n       amount\n  FORM cdnow")
   eq(msg, 'sql:3:8: syntax error at or near "cdnow"')
   eq(code, 4)
   raises('^sql:1:8: column "nope" does not exist$', db.read, db, "SELECT nope FROM cdnow")
   raises('^sql:2:6: relation "nowhere" does not exist$', db.read, db, "SELECT *\nFROM nowhere")
   raises("^sql: division by zero$", db.read, db, "SELECT 1 / 0")
   -- the connection is still usable after an error
   eq(#db:read("SELECT 1 AS one"), 1)
end)

test("write: COPY round trip of every type and awkward text", function()
   local t = cv.table{
      { "i", { 1, -2, nil, n = 3 } },
      { "f", { 0.1, nil, -1e300, n = 3 } },
      { "s", { "tab\there", "new\nline \\ back", nil, n = 3 } },
      { "d", { "2024-02-29", nil, "1969-12-31", n = 3 }, "date" },
      { "b", { true, false, nil, n = 3 } },
      { "中文", { "列", "", "x", n = 3 } },
   }
   db:write(NAME.types, t)
   local back = db:read("SELECT * FROM " .. NAME.types)
   same(t, back, "round trip")
   cv.write_sql(URL, NAME.types, t, { mode = "append" })
   eq(#db:read("SELECT * FROM " .. NAME.types), 6)
   raises_plain("cannot create table '" .. NAME.types .. "': relation \"" .. NAME.types ..
                "\" already exists (mode append adds rows to it)", db.write, db, NAME.types, t)
end)

test("write: a failure leaves the database as it was", function()
   db:exec("CREATE TABLE " .. NAME.small .. " (v int CHECK (v < 3))")
   db:exec("INSERT INTO " .. NAME.small .. " VALUES (0)")
   local _, msg = cv.try(db.write, db, NAME.small, cv.table{ v = { 1, 2, 3, 4 } },
                         { mode = "append" })
   T.ok(msg:find("cannot write to table '" .. NAME.small .. "': new row for relation \"" ..
                 NAME.small .. "\" violates check constraint", 1, true) == 1, msg)
   eq(#db:read("SELECT * FROM " .. NAME.small), 1)
   raises_plain("cannot write to table '" .. NAME.nothere .. "': relation \"" .. NAME.nothere ..
                "\" does not exist", db.write, db, NAME.nothere, cv.table{ v = { 1 } },
                { mode = "append" })
end)

test("summary in the database = cv.summary on CDNOW_sample, every unit", function()
   local tx = cv.read_csv(DATA .. "CDNOW_sample.txt", {
      header = false, delim = "space", names = { "master", "customer", "date", "cds", "amount" },
      types = { customer = "int", date = "date" } }) -- the database keeps the ids as integers
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
   -- the published counts: 2,357 customers, 1,411 with x = 0, sum of x 2,457
   local s = cv.summary_sql(URL, { table = "cdnow", customer = "customer", date = "date",
                                   amount = "amount", unit = "week",
                                   calibration_end = "1997-09-30" })
   local zero, sum = 0, 0
   for _, r in s:rows() do
      zero = zero + (r.x == 0 and 1 or 0)
      sum = sum + r.x
   end
   eq(#s, 2357)
   eq(zero, 1411)
   eq(sum, 2457)
end)

test("summary in the database = cv.summary on CDNOW_master, cost and late customers", function()
   local tx = cv.read_csv(DATA .. "CDNOW_master.txt", { delim = "space",
      types = { customer_id = "int", date = "date" } }) -- integer ids, as in the database
   local o = { customer = "customer_id", date = "date", amount = "dollar_value",
               cost = "number_of_cds", unit = "month", calibration_end = "1997-02-15",
               observation_end = "1997-12-31", quiet = true }
   local want, r1 = cv.summary(tx, o)
   local got, r2 = db:summary{ table = "cdnow_master", customer = "customer", date = "date",
                               amount = "amount", cost = "cds", unit = "month",
                               calibration_end = "1997-02-15", observation_end = "1997-12-31",
                               quiet = true }
   same(want, got, "master")
   T.ok(r1.excluded_late > 0, "some customers first bought after Feb 15")
   eq(r2.excluded_late, r1.excluded_late)
   eq(r2.rows_after_end, r1.rows_after_end)
   eq(r2.merged_rows, r1.merged_rows)
end)

test("summary errors come from the database's rows", function()
   db:write(NAME.neg, cv.table{ { "id", { 1, 2, nil, n = 3 } },
                                     { "day", { "1997-01-01", "1997-01-02", "1997-01-02" },
                                       "date" },
                                     { "amount", { 1, -2, 3 } } })
   local o = { table = NAME.neg, customer = "id", date = "day", amount = "amount" }
   raises_plain("table '" .. NAME.neg .. "': 1 row with a missing customer, date or amount", db.summary, db, o)
   o.skip_missing = true
   raises_plain("table '" .. NAME.neg .. "': 1 row with a negative amount", db.summary, db, o)
   o.allow_negative = true
   local s, rep = db:summary(o)
   eq(#s, 2)
   eq(rep.skipped_missing, 1)
   local sql = db:summary_text(o)
   T.ok(sql:find('FROM "' .. NAME.neg .. '"', 1, true) and sql:find("CAST($1 AS date)", 1, true),
        "quoted table, bound dates")
end)

T.report()
drop()
db:close()
