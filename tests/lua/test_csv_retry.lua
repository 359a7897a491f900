-- Tests of the CSV reader's retries (src/core/csv_read.c: read_retry): text that is not
-- UTF-8 only after the sample pass's first megabyte is read again as GB18030, and a column
-- that must become text on that second reading is pinned and read once more. Before the
-- retries were named, that last case returned a private sentinel as the error (an empty
-- message and no table).
local T = require "cv.testing"
local test, eq = T.test, T.eq

-- 80,000 rows of 15 bytes (1.2 MB: past the sample), then a row whose date column holds
-- a number (the column must become text) and whose name is GB18030 (B0 A1 is 啊).
local function late_gb18030()
   local rows = { "d,name" }
   for _ = 1, 80000 do rows[#rows + 1] = "2024-01-01,abc" end
   rows[#rows + 1] = "5,\xb0\xa1"
   return table.concat(rows, "\n") .. "\n"
end

test("GB18030 past the sample, with a column pinned to text on the second reading",
   function()
      local t, rep = cv.parse_csv(late_gb18030())
      eq(rep.encoding, "gb18030")
      eq(rep.rows, 80001)
      eq(t:types(), { "string", "string" })
      eq(t:row(1), { d = "2024-01-01", name = "abc" })
      eq(t:row(80001), { d = "5", name = "\xe5\x95\x8a" }) -- 啊 in UTF-8
   end)

test("the same on threads and from a file", function()
   local path = os.tmpname()
   local f = assert(io.open(path, "wb"))
   f:write(late_gb18030())
   f:close()
   local t, rep = cv.read_csv(path, { threads = 2 })
   os.remove(path)
   eq(rep.encoding, "gb18030")
   eq(t:types(), { "string", "string" })
   eq(t:row(80001), { d = "5", name = "\xe5\x95\x8a" })
end)
T.report()
