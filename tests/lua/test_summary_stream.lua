-- cv.summary_csv (streamed; the fast path of src/core/summary_fast.c for plain files of
-- int ids, ISO dates and decimal amounts) against cv.summary on the same file loaded in
-- memory, and against the general streamed reader (forced by giving the na option, which
-- the fast path leaves to it): generated files of 80,000 rows (more than one batch of
-- 65,536) with sorted, shuffled, text and sparse ids, a holdout, rows after its end and
-- same-day rows; the same messages for the files the fast path gives up on.
local T = require "cv.testing"
local test, eq, ok = T.test, T.eq, T.ok

local dir = os.tmpname()
os.remove(dir)
cv.mkdir(dir)

local OPTS = { customer = "customer_id", date = "date", amount = "amount", unit = "week",
               calibration_end = "2021-12-31", observation_end = "2022-06-30", quiet = true }
local NA = { "", "NA", "NULL" } -- the default missing texts: the general path, same reading

local function with(extra)
   local o = {}
   for k, v in pairs(OPTS) do o[k] = v end
   for k, v in pairs(extra or {}) do o[k] = v end
   return o
end

-- a deterministic generator (an LCG; the numbers matter only through the files)
local state = 12345
local function rnd(n)
   state = (state * 1103515245 + 12345) % 2147483648
   return state % n
end

local DAY0 = 18262 -- 2020-01-01
local function iso(day)
   return os.date("!%Y-%m-%d", day * 86400)
end

-- rows {id, day, amount text} in date order: 3,000 customers, about 73 rows a day over
-- 1,095 days (2020-01-01 .. 2022-12-30: rows after the observation end too), every 50th
-- row the previous row's customer again (mostly the same day), amounts with cents, a few
-- whole
local function gen_rows(n)
   local rows = {}
   for i = 1, n do
      local id = (i % 50 == 0) and rows[i - 1][1] or 1000 + rnd(3000)
      local day = DAY0 + (i - 1) * 1095 // n
      local cents = 100 + rnd(20000)
      local amt = (i % 17 == 0) and tostring(cents // 100)
         or string.format("%d.%02d", cents // 100, cents % 100)
      rows[i] = { id, day, amt }
   end
   return rows
end

local function write(name, rows, opts)
   opts = opts or {}
   local path = dir .. "/" .. name
   local f = assert(io.open(path, "wb"))
   local eol = opts.crlf and "\r\n" or "\n"
   local idf = opts.id or tostring
   local out = { opts.header or "customer_id,date,amount" }
   for i, r in ipairs(rows) do
      if opts.order == "amount_first" then
         out[#out + 1] = r[3] .. "," .. idf(r[1], i) .. "," .. iso(r[2])
      else
         out[#out + 1] = idf(r[1], i) .. "," .. iso(r[2]) .. "," .. r[3]
      end
   end
   f:write(table.concat(out, eol), eol)
   f:close()
   return path
end

local function same_table(a, b, what)
   eq(a:names(), b:names(), what .. ": names")
   eq(#a, #b, what .. ": rows")
   for _, name in ipairs(a:names()) do
      eq(a:col(name):totable(), b:col(name):totable(), what .. ": " .. name)
   end
end

local function same_report(a, b, what)
   for k, v in pairs(b) do
      eq(a[k], v, what .. ": report " .. k)
   end
   for k in pairs(a) do
      ok(b[k] ~= nil, what .. ": report " .. k .. " only on one side")
   end
end

-- streamed (fast path when it applies), general streamed, and in memory: all equal
local function check(path, what, extra)
   local o = with(extra)
   local s, rep = cv.summary_csv(path, o)
   local og = with(extra)
   og.na = NA
   local g, grep = cv.summary_csv(path, og)
   same_table(s, g, what .. " (fast vs general stream)")
   same_report(rep, grep, what .. " (fast vs general stream)")
   local tx = cv.read_csv(path, { types = { date = "date" } })
   local m = cv.summary(tx, with(extra))
   same_table(s, m, what .. " (stream vs in memory)")
   return s, rep
end

local ROWS = gen_rows(80000)

test("sorted int ids: equal to the in-memory summary, one pass", function()
   local s, rep = check(write("sorted.csv", ROWS), "sorted")
   eq(rep.rows, 80000)
   eq(rep.passes, 1)
   eq(rep.unsorted_customers, 0)
   ok(rep.rows_after_end > 0, "rows after the observation end")
   ok(rep.merged_rows > 0, "same-day rows merged")
   ok(#s > 2900, "customers")
   local ids = s:col("customer"):totable()
   for i = 2, #ids do
      if ids[i] <= ids[i - 1] then
         ok(false, "customers sorted")
         break
      end
   end
end)

test("shuffled rows: days kept from the start, one pass", function()
   local sh = {}
   for i, r in ipairs(ROWS) do sh[i] = r end
   for i = #sh, 2, -1 do
      local j = 1 + rnd(i)
      sh[i], sh[j] = sh[j], sh[i]
   end
   local _, rep = check(write("shuffled.csv", sh), "shuffled")
   eq(rep.passes, 1)
   ok(rep.unsorted_customers > 1000, "unsorted customers")
end)

test("disorder only after the first batch: a second pass", function()
   local late = {}
   for i, r in ipairs(ROWS) do late[i] = r end
   for k = 1, 40 do -- early purchases of 40 customers, at the end of the file
      late[#late + 1] = { 1000 + k * 7, DAY0 + k, "5.25" }
   end
   local _, rep = check(write("late.csv", late), "late disorder")
   eq(rep.passes, 2)
   eq(rep.unsorted_customers, 40)
end)

test("text ids, sparse ids, CRLF and another column order", function()
   local _, rep = check(write("text.csv", ROWS, { id = function(id) return "c" .. id end }),
                        "text ids")
   eq(rep.rows, 80000)
   -- the first 20,000 rows' ids dense, then spread over 10^10: the direct map gives way
   -- to the hash map half way
   check(write("sparse.csv", ROWS, { id = function(id, i)
      return tostring(i <= 20000 and id or id * 1000003)
   end }), "sparse ids")
   check(write("crlf.csv", ROWS, { crlf = true }), "CRLF")
   check(write("order.csv", ROWS, { order = "amount_first", header = "amount,customer_id,date" }),
         "amount first")
end)

test("files the fast path leaves to the general reader: the same messages", function()
   local function same_error(path, what)
      local _, msg, code = cv.try(cv.summary_csv, path, with())
      local _, gmsg, gcode = cv.try(cv.summary_csv, path, with { na = NA })
      ok(msg ~= nil, what .. ": an error")
      ok(code ~= nil and code ~= 0, what .. ": an error code")
      eq(msg, gmsg, what .. ": message")
      eq(code, gcode, what .. ": code")
      return msg
   end
   -- whole amounts in the first 65,536 rows make the column int: a later decimal is an error
   local ints = {}
   for i, r in ipairs(ROWS) do ints[i] = { r[1], r[2], i <= 70000 and "12" or r[3] } end
   same_error(write("ints_first.csv", ints), "int amounts first")
   local neg = {}
   for i, r in ipairs(ROWS) do neg[i] = { r[1], r[2], i == 30001 and "-3.50" or r[3] } end
   local msg = same_error(write("negative.csv", neg), "negative amount")
   ok(tostring(msg):find("data row 30001: negative amount", 1, true), "the row and the fault")
   local missing = {}
   for i, r in ipairs(ROWS) do missing[i] = { r[1], r[2], i == 123 and "" or r[3] } end
   same_error(write("missing.csv", missing), "missing amount")
   -- skip_missing: read on, the same summary
   check(dir .. "/missing.csv", "skip_missing", { skip_missing = true })
   -- ids with a leading zero are text for the reader
   check(write("zeros.csv", ROWS, { id = function(id) return "0" .. id end }), "leading zeros")
end)

test("the files are removed", function() -- (tests run in order, at T.report)
   for _, name in ipairs { "sorted", "shuffled", "late", "text", "sparse", "crlf", "order",
                           "ints_first", "negative", "missing", "zeros" } do
      os.remove(dir .. "/" .. name .. ".csv")
   end
   ok(os.remove(dir), "the folder is empty")
end)
T.report()
