-- Tests of cv.connect, cv.read_sql, cv.write_sql and cv.summary_sql on SQLite (temporary
-- files, no mock): round trips, parameters, errors with positions, and the summary computed
-- in the database against cv.summary on CDNOW (sample and master), row for row.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local DATA = require "tests.lua.data"
local files = {}
local function tmpdb()
   local path = os.tmpname()
   files[#files + 1] = path
   return "sqlite:" .. path
end

-- a and b have the same names, types and values (floats within 1e-9 relative)
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

local function cdnow_sample()
   return cv.read_csv(DATA .. "CDNOW_sample.txt", {
      header = false, delim = "space", names = { "master", "customer", "date", "cds", "amount" },
      types = { date = "date" } })
end

test("write and read back a table of every type", function()
   local url = tmpdb()
   local t = cv.table{
      { "i", { 1, -2, nil, n = 3 } },
      { "f", { 0.1, nil, 1e300, n = 3 } },
      { "s", { "a\tb", "中文", nil, n = 3 } },
      { "d", { "2024-02-29", nil, "1970-01-01", n = 3 }, "date" },
      { "b", { true, false, nil, n = 3 } },
   }
   eq(cv.write_sql(url, "t", t), true)
   local back = cv.read_sql(url, "SELECT * FROM t")
   same(t, back, "round trip")
   local db <close> = cv.connect(url)
   db:write("t", t, { mode = "append" })
   eq(#db:read("SELECT * FROM t"), 6)
   eq(tostring(db), "cv.Connection (" .. url .. ")")
   eq(db:kind(), "sqlite")
end)

test("parameters are bound, by number or position", function()
   local db <close> = cv.connect(tmpdb())
   eq(db:exec("CREATE TABLE p (id INTEGER, name TEXT)"), 0)
   eq(db:exec("INSERT INTO p VALUES (?, ?), (?, ?)", { 1, "it's", 2, "x'); DROP TABLE p; --" }), 2)
   local t = db:read("SELECT name FROM p WHERE id = $1", { 2 })
   eq(t:row(1).name, "x'); DROP TABLE p; --")
   t = db:read("SELECT ?1 AS a, ?2 AS b, ?3 AS c", { 1.5, true, nil, n = 3 })
   eq(t:row(1).a, 1.5)
   eq(t:row(1).b, 1)
   eq(t:row(1).c, nil)
   raises("the query uses parameter %?2 but 1 was given", db.read, db, "SELECT ?1, ?2", { 1 })
end)

test("errors: a bad query with its line and column, a closed connection", function()
   local db = cv.connect(tmpdb())
   raises('^sql:2:10: near "t": syntax error$', db.read, db, "SELECT a,\n  b FORM t")
   raises("^sql: no such table: nowhere$", db.read, db, "SELECT * FROM nowhere")
   raises("connection is closed", function() db:close(); db:read("SELECT 1") end)
   eq(tostring(db), "cv.Connection (closed)")
   raises("unknown database 'oracle://x'", cv.connect, "oracle://x")
   local _, msg, code = cv.try(cv.read_sql, "sqlite:/nonexistent-dir/x.db", "SELECT 1")
   eq(code, 3)
   eq(msg, "cannot open sqlite database '/nonexistent-dir/x.db': unable to open database file")
   _, _, code = cv.try(cv.read_sql, "sqlite::memory:", "SELEC 1")
   eq(code, 4)
end)

test("create refuses an existing table; a failed append changes nothing", function()
   local db <close> = cv.connect(tmpdb())
   db:exec("CREATE TABLE small (v INTEGER CHECK (v < 3))")
   db:exec("INSERT INTO small VALUES (0)")
   raises("cannot create table 'small': table \"small\" already exists", db.write, db, "small",
          cv.table{ v = { 1 } })
   raises("cannot write row 3 to table 'small': CHECK constraint failed: v < 3", db.write, db,
          "small", cv.table{ v = { 1, 2, 3, 4 } }, { mode = "append" })
   eq(#db:read("SELECT * FROM small"), 1)
   raises("Connection:write: option 'mode' cannot be 'replace' %(known: create, append%)", db.write,
          db, "small", cv.table{ v = { 1 } }, { mode = "replace" })
end)

test("summary in the database = cv.summary on CDNOW_sample, every unit, with a holdout", function()
   local tx = cdnow_sample()
   local db <close> = cv.connect(tmpdb())
   db:write("cdnow", tx)
   for _, unit in ipairs{ "day", "week", "month", "year" } do
      local o = { customer = "customer", date = "date", amount = "amount", unit = unit,
                  calibration_end = "1997-09-30", observation_end = "1998-06-30" }
      local want, r1 = cv.summary(tx, o)
      o.table = "cdnow"
      local got, r2 = cv.summary_sql(db, o)
      same(want, got, unit)
      eq(got:meta(), { unit = unit, calibration_end = "1997-09-30",
                       observation_end = "1998-06-30" }, unit .. ": meta")
      eq(got:meta(), want:meta(), unit .. ": meta as cv.summary's")
      for _, k in ipairs{ "rows", "customers", "excluded_late", "transactions", "merged_rows",
                          "rows_after_end", "first_date", "last_date", "calibration_end",
                          "observation_end", "holdout_length", "unit" } do
         eq(r2[k], r1[k], unit .. ": report " .. k)
      end
   end
   -- customer 1 by hand (docs/summary.md)
   local s = cv.summary_sql(db, { table = "cdnow", customer = "customer", date = "date",
                                  amount = "amount", unit = "week",
                                  calibration_end = "1997-09-30" })
   local r = s:row(1)
   eq(r.x, 2)
   near(r.t_x, 213 / 7)
   near(r.T, 272 / 7)
   near(r.mean_repeat_spend, (29.73 + 14.96) / 2)
end)

test("summary in the database = cv.summary on CDNOW_master, margins, no ends", function()
   local tx = cv.read_csv(DATA .. "CDNOW_master.txt", { delim = "space",
                                                         types = { date = "date" } })
   local url = tmpdb()
   cv.write_sql(url, "master", tx)
   local o = { customer = "customer_id", date = "date", amount = "dollar_value", unit = "week",
               calibration_end = "1997-09-30", margin = 0.25, quiet = true }
   local want = cv.summary(tx, o)
   o.table = "master"
   same(want, cv.summary_sql(url, o), "master, margin rate")
   o = { customer = "customer_id", date = "date", amount = "dollar_value", cost = "number_of_cds" }
   want = cv.summary(tx, o)
   o.table = "master"
   same(want, cv.summary_sql(url, o), "master, cost, no ends")
end)

test("summary errors and the generated SQL", function()
   local db <close> = cv.connect(tmpdb())
   db:write("tx", cv.table{ { "id", { 1, 2, 2 } },
                            { "day", { "1997-01-01", "1997-01-02", "1997-01-05" }, "date" },
                            { "amount", { 1, -2, 3 } } })
   local o = { table = "tx", customer = "id", date = "day", amount = "amount" }
   raises("table 'tx': 1 row with a negative amount in column 'amount'", db.summary, db, o)
   o.allow_negative = true
   local s = db:summary(o)
   near(s:row(2).revenue, 1)
   o.merge_same_day = false
   raises("merge_same_day = false is not supported in the database", db.summary, db, o)
   o.merge_same_day, o.table = nil, nil
   raises("Connection:summary: option 'table' is required", db.summary, db, o)
   o.table = "tx"
   o.calibration_end = "1997-01-03"
   local sql = db:summary_text(o)
   T.ok(sql:find('FROM "tx"', 1, true) and sql:find("?1", 1, true), "quoted name, parameter")
   T.ok(not sql:find("1997-01-03", 1, true), "the date is not pasted")
end)

T.report()
for _, f in ipairs(files) do
   os.remove(f)
end
