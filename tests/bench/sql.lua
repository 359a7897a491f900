-- The database cases of tests/bench/run.sh (case_sql), run by cvkit:
--   cvkit run tests/bench/sql.lua load URL CSV TABLE   loads CSV into TABLE once (kept)
--   cvkit run tests/bench/sql.lua read URL TABLE       reads every row into a table
--   cvkit run tests/bench/sql.lua summary_db URL TABLE the summary computed by the server
--   cvkit run tests/bench/sql.lua summary_cvkit URL TABLE   read the rows, summarize here
-- Summary options as bench_summary.c: weeks, calibration end 2022-12-31, observation end
-- 2023-12-31. Prints one line of what it did; exits non-zero when the server is absent.
local mode, url, a, b = ...
local OPTS = { customer = "customer_id", date = "date", amount = "amount", unit = "week",
               calibration_end = "2022-12-31", observation_end = "2023-12-31", quiet = true }

local db, why = cv.try(cv.connect, url)
if not db then
   io.stderr:write(why, "\n")
   os.exit(3)
end

if mode == "load" then
   local csv, name = a, b
   local have = cv.try(db.read, db, "SELECT count(*) AS n FROM " .. name)
   local want_rows = tonumber(name:match("(%d+)m$") or "0") * 1000000
   if have and have:row(1).n > 0 and (want_rows == 0 or have:row(1).n == want_rows) then
      print(string.format("%s: %d rows already loaded", name, have:row(1).n))
      return
   end
   local t0 = os.time()
   db:exec("DROP TABLE IF EXISTS " .. name)
   local tx = cv.read_csv(csv, { types = { date = "date" } })
   db:write(name, tx)
   db:exec("ANALYZE " .. name)
   print(string.format("%s: loaded %d rows with COPY in about %d s", name, #tx, os.time() - t0))
elseif mode == "read" then
   local t = db:read("SELECT customer_id, date, amount FROM " .. a)
   print(string.format("read %d rows, %d columns", #t, t:ncols()))
elseif mode == "summary_db" then
   local o = { table = a }
   for k, v in pairs(OPTS) do o[k] = v end
   local s = db:summary(o)
   print(string.format("summary in the database: %d customers", #s))
elseif mode == "summary_cvkit" then
   local t = db:read("SELECT customer_id, date, amount FROM " .. a)
   local s = cv.summary(t, OPTS)
   print(string.format("read and summarized in cvkit: %d customers", #s))
else
   error("unknown mode " .. tostring(mode))
end
db:close()
