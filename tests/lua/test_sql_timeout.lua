-- test: serial (it shares the test database servers with the other database tests)
-- cv.connect(url, {timeout = s}): a query that runs past the limit is stopped and fails with
-- the one message naming the limit (exit code 9), and the connection stays usable:
-- SQLite (a runaway recursive query, stopped by the progress handler), PostgreSQL
-- (pg_sleep, statement_timeout; skipped with CVKIT_PG=skip) and ClickHouse (sleep() that
-- only libcurl's timeout stops, and a long scan that max_execution_time stops; skipped with
-- CVKIT_CH=skip). The option is checked like every other (tests/cli/test_sql_timeout.sh: the
-- sandbox's --timeout inside a ClickHouse query).
local T = require "cv.testing"
local test, eq = T.test, T.eq

-- err(f, ...) -> the message and the exit code of the error f(...) raises
local function err(f, ...)
   local ok, msg = pcall(f, ...)
   assert(not ok, "expected an error, none raised")
   return msg
end

-- The URL as messages show it: the password left out.
local function shown(url)
   return (url:gsub("^(%a+://[^:@/]+):[^@]*@", "%1@"))
end

local RUNAWAY = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) " ..
   "SELECT count(*) AS n FROM r"

test("sqlite: a runaway query stops at the timeout with the limit named", function()
   local db <close> = cv.connect("sqlite::memory:", { timeout = 0.2 })
   eq(err(db.read, db, RUNAWAY),
      "sqlite::memory:: the query ran past the connection's timeout of 0.2 s and was stopped")
   eq(db:read("SELECT 40 + 2 AS a"):row(1).a, 42) -- the connection still works
end)

test("sqlite: the exit code of a timeout is 9 (a limit)", function()
   local r, _, code = cv.try(function()
      local db <close> = cv.connect("sqlite::memory:", { timeout = 0.1 })
      return db:read(RUNAWAY)
   end)
   eq(r, nil)
   eq(code, 9)
end)

test("the timeout option is checked", function()
   T.raises_plain("cv.connect: option 'timeout' must be a positive number, got number -1",
                  cv.connect, "sqlite::memory:", { timeout = -1 })
   T.raises_plain("cv.connect: unknown option 'timeot' (did you mean 'timeout'?)",
                  cv.connect, "sqlite::memory:", { timeot = 1 })
   T.raises_plain("a timeout is a number of seconds from 0 to 1000000, got 2e+06",
                  cv.connect, "sqlite::memory:", { timeout = 2e6 })
end)

local PG = os.getenv("CVKIT_PG_URL") or "postgresql://cvkit:cvkit@127.0.0.1:54329/cvkit"
if os.getenv("CVKIT_PG") ~= "skip" then
   test("postgresql: pg_sleep past statement_timeout stops with the limit named", function()
      local db <close> = cv.connect(PG, { timeout = 0.3 })
      eq(err(db.read, db, "SELECT pg_sleep(5) AS s"),
         shown(PG) .. ": the query ran past the connection's timeout of 0.3 s and was stopped")
      eq(db:read("SELECT 40 + 2 AS a"):row(1).a, 42)
   end)
end

local CH = os.getenv("CVKIT_CH_URL") or "clickhouse://cvkit:cvkit@127.0.0.1:58123/cvkit"
if os.getenv("CVKIT_CH") ~= "skip" then
   local WANT = shown(CH) .. ": the query ran past the connection's timeout of 0.5 s and was stopped"
   test("clickhouse: sleep() past the timeout is stopped by the client", function()
      local db <close> = cv.connect(CH, { timeout = 0.5 })
      eq(err(db.read, db, "SELECT sleep(3) AS s"), WANT)
      eq(db:read("SELECT 40 + 2 AS a"):row(1).a, 42) -- a new request on the same connection
   end)
   test("clickhouse: a long scan past the timeout is stopped", function()
      local db <close> = cv.connect(CH, { timeout = 0.5 })
      eq(err(db.read, db, "SELECT count() AS n FROM numbers(100000000000) " ..
                          "WHERE intHash64(number) % 7 = 1"), WANT)
   end)
   test("clickhouse: a query's own shorter max_execution_time keeps the server's message", function()
      local db <close> = cv.connect(CH, { timeout = 30 })
      local msg = err(db.read, db, "SELECT count() AS n FROM numbers(100000000000) " ..
                                   "WHERE intHash64(number) % 7 = 1 SETTINGS max_execution_time = 1")
      local at = CH:match("@([^/]+)/")
      T.ok(msg:find("clickhouse at " .. at .. ": timeout exceeded: elapsed [%d.]+ seconds, " ..
                    "maximum: 1$"), msg)
   end)
end

T.report()
