-- Tests of writing tables and files: t:write by extension (.csv .tsv .json .md .xlsx) into
-- folders made as needed, the shortest exact numbers (0.1 + 0.2 is 0.30000000000000004,
-- 911.07 stays 911.07), sums of prices without float noise, and the one file layer's Lua
-- face (cv.core.file: write, mkdir, write_xlsx). Expected texts are written out by hand.
local T = require "cv.testing"
local test, eq, raises = T.test, T.eq, T.raises

local function slurp(path)
   local f = assert(io.open(path, "rb"))
   local s = f:read("a")
   f:close()
   return s
end

local base = os.tmpname()
os.remove(base)
local dir = base .. "-write"

local t = cv.table{ { "id", { 7, 12 } }, { "amount", { 911.07, 93607.3 } },
   { "x", { 0.1 + 0.2, 1 / 3 } }, { "day", { "2024-01-31", "2024-02-29" }, "date" },
   { "name", { "a,b", "c" } } }

test("t:write by extension, into folders made as needed", function()
   t:write(dir .. "/a/b/t.csv")
   eq(slurp(dir .. "/a/b/t.csv"), "id,amount,x,day,name\n"
      .. "7,911.07,0.30000000000000004,2024-01-31,\"a,b\"\n"
      .. "12,93607.3,0.3333333333333333,2024-02-29,c\n")
   t:write(dir .. "/a/t.tsv")
   eq(slurp(dir .. "/a/t.tsv"), "id\tamount\tx\tday\tname\n"
      .. "7\t911.07\t0.30000000000000004\t2024-01-31\ta,b\n"
      .. "12\t93607.3\t0.3333333333333333\t2024-02-29\tc\n")
   t:write(dir .. "/t.json")
   eq(slurp(dir .. "/t.json"), "[\n"
      .. '{"id":7,"amount":911.07,"x":0.30000000000000004,"day":"2024-01-31","name":"a,b"},\n'
      .. '{"id":12,"amount":93607.3,"x":0.3333333333333333,"day":"2024-02-29","name":"c"}\n]\n')
   t:write(dir .. "/t.xlsx")
   eq(slurp(dir .. "/t.xlsx"):sub(1, 2), "PK")
   t:write(dir .. "/book", "xlsx") -- the format argument wins over a missing extension
   eq(slurp(dir .. "/book"):sub(1, 2), "PK")
   -- every number reads back as the same double
   local back = cv.read_csv(dir .. "/a/b/t.csv")
   eq(back:col("x"):totable(), { 0.1 + 0.2, 1 / 3, n = 2 })
   eq(back:col("amount"):totable(), { 911.07, 93607.3, n = 2 })
end)

test("text formats only as text; unknown extensions named", function()
   raises("xlsx is not a text format", t.to_string, t, "xlsx")
   raises("t%.bin: unknown output format %(use %.csv, %.tsv, %.json, %.md or %.xlsx%)",
      t.write, t, dir .. "/t.bin")
end)

test("numbers: shortest exact text, integers without a point", function()
   local n = cv.table{ { "v", { 1e15, 2 ^ 53, 1e16, 5e-324, -0.0, 1.7976931348623157e308, 0.0001,
      1e-5, 123.0 } } }
   eq(n:to_string("csv"), "v\n1000000000000000\n9007199254740992\n1e+16\n5e-324\n-0\n"
      .. "1.7976931348623157e+308\n0.0001\n1e-05\n123\n")
   local inf = cv.table{ { "v", { math.huge, -math.huge, 0 / 0 } } }
   eq(inf:to_string("csv"), 'v\ninf\n-inf\n""\n') -- missing: "" in a one-column table
   eq(inf:to_string("json"), '[\n{"v":null},\n{"v":null},\n{"v":null}\n]\n')
end)

test("sums of prices are their exact decimal sums", function()
   -- 0.1 + 0.2 in doubles is 0.30000000000000004, and even the exact sum of the doubles
   -- of 186.11, 756.06 and 92.71 is 1034.8799999999999 (Python's math.fsum says so); the
   -- sums of the amounts as written are 0.3 and 1034.88
   local tx = cv.table{ { "k", { "a", "a", "b", "b", "b" } },
      { "amount", { 0.1, 0.2, 186.11, 756.06, 92.71 } } }
   local g = tx:group_by("k", { { "revenue", "sum", "amount" } }):sort("k")
   eq(g:col("revenue"):totable(), { 0.3, 1034.88, n = 2 })
   eq(g:to_string("csv"), "k,revenue\na,0.3\nb,1034.88\n")
   -- values with more decimals are summed as they are
   local odd = cv.table{ { "k", { 1, 1 } }, { "v", { 0.1, 0.2 + 1e-9 } } }
   eq(odd:group_by("k", { { "s", "sum", "v" } }):col("s"):totable(), { 0.1 + (0.2 + 1e-9), n = 1 })
end)

test("the file layer: write, mkdir, write_xlsx make their folders", function()
   local file = require "cv.core.file"
   file.write(dir .. "/r/x/page.html", "<p>hi</p>\n")
   eq(slurp(dir .. "/r/x/page.html"), "<p>hi</p>\n")
   eq(cv.mkdir(dir .. "/m/n/"), true)
   eq(cv.mkdir(dir .. "/m/n"), true) -- already there
   cv.write_xlsx(dir .. "/w/book.xlsx", { { "s", t } })
   eq(slurp(dir .. "/w/book.xlsx"):sub(1, 2), "PK")
   raises("page%.html: cannot create folder %(a file is there%)", file.write,
      dir .. "/r/x/page.html/y.html", "x")
   local r = cv.report { title = "t", sections = { { text = "hello" } } }
   eq(r:save(dir .. "/rep/deep/r.html"), dir .. "/rep/deep/r.html")
   T.ok(slurp(dir .. "/rep/deep/r.html"):find("hello", 1, true))
end)

os.execute("rm -rf '" .. dir .. "'")
T.report()
