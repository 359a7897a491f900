-- Tests of the CSV bindings (cv.read_csv, cv.parse_csv, writing) with hand-made inputs and
-- the real CDNOW files (counts checked independently with awk: see each test).
local T = require "cv.testing"
local raises_plain = T.raises_plain
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local DATA = require "tests.lua.data"

test("parse_csv: header, inferred types, values, report", function()
   local t, rep = cv.parse_csv("id,amount,name,day\n1,2.5,a,1997-01-01\n2,3,b,1997-01-02\n")
   eq(t:names(), { "id", "amount", "name", "day" })
   eq(t:types(), { "int", "float", "string", "date" })
   eq(t:row(2), { id = 2, amount = 3.0, name = "b", day = "1997-01-02" })
   eq(rep.rows, 2)
   eq(rep.header, true)
   eq(rep.delim, ",")
   eq(rep.skipped_rows, 0)
end)

test("delimiters: given and detected", function()
   eq(cv.parse_csv("a;b\n1;2\n", { delim = ";" }):row(1), { a = 1, b = 2 })
   local t, rep = cv.parse_csv("a\tb\n1\t2\n")
   eq(rep.delim, "\t")
   eq(t:row(1), { a = 1, b = 2 })
   eq(cv.parse_csv("a|b\n1|x\n", { delim = "|" }):row(1), { a = 1, b = "x" })
   local s = cv.parse_csv("  1   2.5\n 3 4\n", { delim = "space", header = false,
      names = { "x", "y" } })
   eq(s:col("x"):totable(), { 1, 3, n = 2 })
   eq(s:col("y"):totable(), { 2.5, 4.0, n = 2 })
end)

test("decimal comma", function()
   local t = cv.parse_csv("a;b\n1;2,5\n2;1234,75\n", { delim = ";", decimal_comma = true })
   eq(t:col("b"):totable(), { 2.5, 1234.75, n = 2 })
end)

test("types given per column", function()
   local t = cv.parse_csv("id,when\n001,1997-01-01 10:30:00\n002,1997-01-02 00:00:05\n",
      { types = { id = "string", when = "datetime" } })
   eq(t:types(), { "string", "datetime" })
   eq(t:col("id")[1], "001")
   eq(t:col("when")[1], "1997-01-01 10:30:00")
end)

test("day-first and month-first dates only when asked", function()
   eq(cv.parse_csv("d\n31/12/1997\n01/02/1998\n", { types = { d = "date" }, date_order = "dmy" })
      :col("d"):totable(), { "1997-12-31", "1998-02-01", n = 2 })
   eq(cv.parse_csv("d\n12/31/1997\n01/02/1998\n", { types = { d = "date" }, date_order = "mdy" })
      :col("d"):totable(), { "1997-12-31", "1998-01-02", n = 2 })
   eq(cv.parse_csv("d\n19970101\n1997/01/02\n", { types = { d = "date" } }):col("d"):totable(),
      { "1997-01-01", "1997-01-02", n = 2 })
end)

test("missing values: empty and the na texts", function()
   local t = cv.parse_csv("a,b\n1,x\n-,\n3,z\n", { na = { "-", "" } })
   eq(t:types(), { "int", "string" })
   eq(t:col("a"):totable(), { 1, nil, 3, n = 3 })
   eq(t:col("b")[2], nil)
end)

test("forgiving modes: skip_bad_rows and bad_as_missing", function()
   local t, rep = cv.parse_csv("a,b\n1,2\n3\n4,5\n", { skip_bad_rows = true }, "r.csv")
   eq(t:col("a"):totable(), { 1, 4, n = 2 })
   eq(rep.skipped_rows, 1)
   T.ok(rep.examples[1]:find("^r%.csv:3:"), rep.examples[1])
   local u, rep2 = cv.parse_csv("a\n1\nx\n3\n", { types = { a = "int" }, bad_as_missing = true })
   eq(u:col("a"):totable(), { 1, nil, 3, n = 3 })
   eq(rep2.bad_values, 1)
end)

test("errors carry file:line:col and their code", function()
   local t, msg, code = cv.try(cv.parse_csv, "a,b\n1,2\n3\n", nil, "ragged.csv")
   eq(t, nil)
   T.ok(msg:find("^ragged%.csv:3:%d+: "), msg)
   eq(code, 4)
   t, msg, code = cv.try(cv.parse_csv, "a\n1\nx\n", { types = { a = "int" } }, "typed.csv")
   T.ok(msg:find("^typed%.csv:3:1: "), msg)
   eq(code, 5)
   t, msg, code = cv.try(cv.read_csv, "no/such/file.csv")
   T.ok(msg:find("^no/such/file%.csv: "), msg)
   eq(code, 3)
   t, msg, code = cv.try(cv.read_csv, "tests")
   T.ok(msg:find("^tests: "), msg)
   eq(code, 3)
end)

test("bad options are named", function()
   raises_plain("cv.read_csv: option 'delim' cannot be ':' (did you mean ','?)",
      cv.read_csv, "x.csv", { delim = ":" })
   raises_plain("cv.parse_csv: option 'encoding' cannot be 'latin1' (known: auto, utf-8, utf8, gbk, gb18030)",
      cv.parse_csv, "a\n1\n", { encoding = "latin1" })
   raises_plain("cv.read_csv: unknown option 'encodng' (did you mean 'encoding'?)",
      cv.read_csv, "x.csv", { encodng = "gbk" })
   raises_plain("cv.read_csv: bad option 'types'", cv.read_csv, "x.csv", { types = { a = "money" } })
   raises_plain("cv.read_csv: bad option 'names' (array of strings expected)", cv.read_csv,
      "x.csv", { names = { 1, 2 } })
   raises_plain("cv.read_csv: option 'header' must be true or false, got number 1", cv.read_csv,
      "x.csv", { header = 1 })
end)

test("UTF-8 with a byte-order mark; Chinese names", function()
   eq(cv.parse_csv("\xEF\xBB\xBFa,b\n1,2\n"):names(), { "a", "b" })
   local t = cv.parse_csv("渠道,金额\n线上,10\n门店,5.5\n线上,2\n")
   eq(t:names(), { "渠道", "金额" })
   local g = t:group_by("渠道", { { "合计", "sum", "金额" } })
   eq(g:col("渠道"):totable(), { "线上", "门店", n = 2 })
   eq(g:col("合计"):totable(), { 12.0, 5.5, n = 2 })
end)

test("GBK input is converted to UTF-8", function()
   local gbk = "\xC7\xFE\xB5\xC0,\xBD\xF0\xB6\xEE\n\xCF\xDF\xC9\xCF,10\n\xC3\xC5\xB5\xEA,5.5\n"
   local t, rep = cv.parse_csv(gbk, { encoding = "gbk" })
   eq(t:names(), { "渠道", "金额" })
   eq(t:col("渠道"):totable(), { "线上", "门店", n = 2 })
   local u, rep2 = cv.parse_csv(gbk)
   eq(u:names(), { "渠道", "金额" })
   eq(rep2.encoding, "gb18030")
   eq(rep.encoding, "gb18030")
end)

-- CDNOW_sample.txt: counts by awk: 6919 lines, 2357 distinct sample ids, $5 sums to
-- 244091.94, $4 to 16479; customer 0001 has 4 lines summing to 100.50; max $5 is 506.97.
test("CDNOW sample: 6,919 rows, 2,357 customers", function()
   local t = cv.read_csv(DATA .. "CDNOW_sample.txt", {
      delim = "space", header = false,
      names = { "master_id", "id", "date", "cds", "amount" },
      types = { master_id = "string", id = "int", date = "date" },
   })
   eq(tostring(t), "cv.Table (6919 rows × 5 columns)")
   eq(t:types(), { "string", "int", "date", "int", "float" })
   eq(t:col("master_id")[1], "00004")
   local g = t:group_by("id", { { "orders", "count" }, { "revenue", "sum", "amount" } })
   eq(#g, 2357)
   eq(g:row(1), { id = 1, orders = 4, revenue = g:row(1).revenue })
   near(g:row(1).revenue, 100.50, 1e-12)
   near(t:col("amount"):sum(), 244091.94, 1e-12)
   eq(t:col("cds"):sum(), 16479)
   eq(t:col("amount"):max(), 506.97)
   eq(t:col("date"):min(), "1997-01-01")
   eq(t:col("date"):max(), "1998-06-30")
   eq(t:filter("date", "<=", "1997-09-30"):nrows(), 4960)
end)

test("CDNOW sample with everything detected", function()
   local t, rep = cv.read_csv(DATA .. "CDNOW_sample.txt")
   eq(#t, 6919)
   eq(t:ncols(), 5)
   eq(rep.header, false)
   eq(rep.delim, "space")
end)

-- CDNOW_master.txt (CRLF lines, a header): awk counts 69659 lines after the header, 23570
-- distinct customers, and $4 sums to 2500315.63.
test("CDNOW master: header, CRLF, 69,659 rows and 23,570 customers", function()
   local t = cv.read_csv(DATA .. "CDNOW_master.txt", { types = { date = "date" } })
   eq(t:names(), { "customer_id", "date", "number_of_cds", "dollar_value" })
   eq(#t, 69659)
   eq(#t:group_by("customer_id", { n = "count" }), 23570)
   near(t:col("dollar_value"):sum(), 2500315.63, 1e-12)
end)

test("writing: CSV text, quoting, missing values, shortest floats", function()
   local t = cv.table{ { "id", { 1, 2, 3 } }, { "name", { "a", "b,c", nil, n = 3 } },
      { "x", { 0.1, 2.5, 1e21 } } }
   eq(t:to_string("csv"), 'id,name,x\n1,a,0.1\n2,"b,c",2.5\n3,,1e+21\n')
   eq(t:to_string("tsv"), "id\tname\tx\n1\ta\t0.1\n2\tb,c\t2.5\n3\t\t1e+21\n")
   local json = t:to_string("json")
   T.ok(json:find('"name":%s*"b,c"') and json:find('"name":%s*null'), json)
   T.ok(t:to_string("md"):find("| id", 1, true), t:to_string("md"))
end)

test("write and read back", function()
   local base = os.tmpname()
   local path = base .. ".csv"
   local t = cv.table{ { "id", { 1, 2 } }, { "day", { "2024-01-31", "2024-02-29" }, "date" },
      { "名", { "张三", "李四" } } }
   t:write(path)
   local u = cv.read_csv(path, { types = { day = "date" } })
   eq(u:names(), t:names())
   eq(u:row(2), { id = 2, day = "2024-02-29", ["名"] = "李四" })
   os.remove(path)
   local _, msg, code = cv.try(t.write, t, base .. "/dir/t.csv") -- a file where a folder goes
   eq(msg, base .. ": cannot create folder (a file is there)")
   eq(code, 3)
   os.remove(base)
end)

T.report()
