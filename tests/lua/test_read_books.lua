-- Tests of reading what analysts have, from Lua (docs/lua-api.md, "Reading files"):
-- workbooks by sheet name or number, UTF-16 exports, European numbers and dates, the
-- options through cv.read_csv, cv.summary_csv and cv.fit's path form.
local T = require "cv.testing"
local test, eq = T.test, T.eq

test("an .xlsx sheet reads like its CSV export", function()
   local t, rep = cv.read_csv("tests/data/books/book.xlsx")
   eq(t:types(), { "string", "date", "float", "bool", "string" })
   eq(t:col("customer_id"):totable(), { "007", "7", "007", "12", n = 4 })
   eq(t:col("order_date")[1], "2024-03-05")
   eq(rep.rows, 4)
   local c = cv.read_csv("tests/data/books/book.xlsx", { sheet = 2, na = { "#DIV/0!" } })
   eq(c:names(), { "activity", "cost" })
   eq(c:col("cost"):totable(), { 2.5, nil, 4.0, n = 3 })
end)

test("an error cell and a missing sheet name their place", function()
   local t, msg, code = cv.try(cv.read_csv, "tests/data/books/book.xlsx", { sheet = "Costs" })
   eq(t, nil)
   eq(code, 4)
   eq(msg, "tests/data/books/book.xlsx:Costs!C4: expected a value, found the error #DIV/0! "
      .. "(na = {\"#DIV/0!\"} reads it as missing)")
   t, msg, code = cv.try(cv.read_csv, "tests/data/books/book.xls", { sheet = "Sales" })
   eq(code, 2)
   eq(msg, "tests/data/books/book.xls: no sheet 'Sales' (the workbook has Orders, Empty)")
end)

test("a UTF-16 export and a European export", function()
   local u, rep = cv.read_csv("tests/data/books/unicode_text.txt")
   eq(rep.encoding, "utf-16le")
   eq(u:col("amount"):totable(), { 1234.5, 80.25, 12345.0, n = 3 })
   local e = cv.read_csv("tests/data/books/tx_european.csv")
   eq(e:types(), { "string", "date", "float" })
   eq(e:col("amount"):totable(), { 1234.56, 12.5, 1000.0, 0.99, n = 4 })
   eq(e:col("date")[3], "2024-04-01")
   local _, msg = cv.try(cv.read_csv, "tests/data/books/european.csv")
   eq(msg, "tests/data/books/european.csv:5:20: '1.000' in column 'Menge' reads as 1 or as "
      .. "1000: decimal_comma = false reads 1, decimal_comma = true reads 1000")
   eq(cv.read_csv("tests/data/books/european.csv", { decimal_comma = true }):col("Menge")[4],
      1000)
   eq(cv.read_csv("tests/data/books/european.csv", { thousands = "." }):col("Menge")[4], 1000)
end)

test("summary_csv and fit's path form take the reading options", function()
   local s = cv.summary_csv("tests/data/books/book.xlsx", { sheet = "Orders",
      customer = "customer_id", date = "order_date", amount = "amount", quiet = true })
   eq(#s, 3)
   local e = cv.summary_csv("tests/data/books/tx_european.csv", { decimal_comma = true,
      customer = "customer_id", date = "date", amount = "amount", quiet = true })
   eq(e:filter("customer", "==", "007"):col("revenue")[1], 2234.56)
   T.raises("unknown option 'sheets'", cv.summary_csv, "tests/data/books/book.xlsx",
      { sheets = 1, customer = "customer_id", date = "order_date", amount = "amount" })
end)
T.report()
