-- Tests of the reading options against silent damage (docs/lua-api.md, cv.read_csv):
-- leading zeros, 8-digit dates, stray quotes and lenient_quotes, from Lua.
local T = require "cv.testing"
local test, eq = T.test, T.eq

test("ids 007 and 7 stay two customers", function()
   local t = cv.read_csv("tests/data/leading_zero.csv")
   eq(t:types(), { "string", "int", "string", "int" })
   eq(t:col("id"):totable(), { "007", "7", "-01", n = 3 })
   eq(#t:group_by("id", { { "n", "count" } }), 3)
   eq(cv.read_csv("tests/data/leading_zero.csv", { types = { id = "int" } }):col("id")[1], 7)
end)

test("8-digit numbers are dates only where the name or the type says so", function()
   local t = cv.read_csv("tests/data/yyyymmdd.csv")
   eq(t:types(), { "int", "date", "date", "date", "int", "int", "date" })
   eq(t:col("code")[1], 20240105)
   eq(t:col("order_date")[1], "2024-01-05")
   eq(cv.read_csv("tests/data/yyyymmdd.csv", { types = { code = "date" } }):col("code")[2],
      "1999-12-31")
end)

test("a stray quote is an error with its place, exit code 4", function()
   local t, msg, code = cv.try(cv.read_csv, "tests/data/quote_after.csv")
   eq(t, nil)
   eq(code, 4)
   eq(msg, "tests/data/quote_after.csv:2:3: expected a delimiter after the closing quote, "
      .. "found '\"27\" monitor' (lenient_quotes = true reads it as written)")
   t, msg, code = cv.try(cv.read_csv, "tests/data/quote_inside.csv")
   eq(code, 4)
   eq(msg:match("^[^ ]+"), "tests/data/quote_inside.csv:2:3:")
end)

test("lenient_quotes reads the field as written and counts it", function()
   local t, rep = cv.read_csv("tests/data/quote_after.csv", { lenient_quotes = true })
   eq(#t, 3)
   eq(t:row(1), { id = 1, item = '"27" monitor', amount = 300 })
   eq(rep.lenient_quotes, 1)
   t, rep = cv.read_csv("tests/data/quote_inside.csv", { lenient_quotes = true })
   eq(t:col("item")[1], '27" monitor')
   eq(rep.lenient_quotes, 1)
   local _, clean = cv.read_csv("tests/data/leading_zero.csv", { lenient_quotes = true })
   eq(clean.lenient_quotes, 0)
end)

T.report()
