-- The core's messages of reading, writing, tables, costing, RFM, segments, databases,
-- workbooks, covariates and diagnostics, and the bindings' own, in the user's language (tests/lua/test_core_messages.lua does the formulas,
-- summaries and models): every format of these C files has a core.* entry whose English is
-- the C text exactly, with the Chinese keeping its conversions in order, and a message a
-- user meets (a missing file, a missing column, a short row) reads in Chinese.
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, eq, ok = T.test, T.eq, T.ok

local top = os.getenv("TOP") or "."

-- The C string literal s (without its quotes) as the program prints it: \" \\ \n \t.
local function unescape(s)
   return (s:gsub("\\(.)", { ['"'] = '"', ["\\"] = "\\", n = "\n", t = "\t" }))
end

-- The formats given to cv_error_set / cv_error_at in a C file: the first run of string
-- literals of each call, joined as the compiler joins them.
local function formats(path)
   local f = assert(io.open(path))
   local src = f:read("a")
   f:close()
   local out = {}
   for call in src:gmatch("cv_error_[sa][et]t?%s*(%b())") do
      local rest = call:match('^%([^"]-(".*)')
      local parts = {}
      while rest and rest:sub(1, 1) == '"' do
         -- a literal ends at the first quote not escaped
         local i, buf = 2, {}
         while i <= #rest do
            local c = rest:sub(i, i)
            if c == "\\" then
               buf[#buf + 1] = rest:sub(i, i + 1)
               i = i + 2
            elseif c == '"' then
               break
            else
               buf[#buf + 1] = c
               i = i + 1
            end
         end
         parts[#parts + 1] = unescape(table.concat(buf))
         rest = rest:sub(i + 1):match("^%s*(.*)$")
      end
      if #parts > 0 then out[#out + 1] = table.concat(parts) end
   end
   return out
end

local FILES = { "csv_read", "csv_sample", "csv_chunks", "csv_report", "csv_source",
   "csv_write", "book_text", "book_xlsx", "book_xls", "text_utf16", "fileio", "guard", "xlsx",
   "table", "table_select", "table_cast", "table_join", "table_group", "costing_columns", "costing_abc",
   "costing_tdabc", "costing_pnl", "costing_whale", "rfm",
   "seg_rules", "seg_sort", "seg_value", "kmeans", "decision", "sql", "sql_pg", "sql_sqlite",
   "sql_ch", "sql_ch_text", "sql_summary", "model_cov", "model_cov_rows", "model_cov_loglik",
   "model_cov_fit", "model_cov_predict", "model_cov_simulate", "model_diagnostics", "model_dyncov",
   "model_dyncov_loglik", "model_dyncov_fit", "model_dyncov_predict", "model_dyncov_sim",
   "../lua/lbind", "../lua/l_table" }
local GENERIC = { ["%s"] = true, ["%s: %s"] = true, ["%s: %s%s"] = true }

test("every message of reading, writing, tables, costing, RFM, segments, SQL, XLSX, "
   .. "covariates, diagnostics and the bindings has en and zh",
   function()
      local known = {}
      for _, e in ipairs(i18n.entries()) do
         if e.key:sub(1, 5) == "core." then known[e.en] = e end
      end
      local missing, bad, n = {}, {}, 0
      for _, name in ipairs(FILES) do
         for _, fmt in ipairs(formats(top .. "/src/core/" .. name .. ".c")) do
            n = n + 1
            local e = known[fmt]
            if not GENERIC[fmt] and not e then
               missing[#missing + 1] = name .. ".c: " .. fmt
            elseif e and (not e.zh or i18n.conversions(e.zh) ~= i18n.conversions(e.en)) then
               bad[#bad + 1] = e.key
            end
         end
      end
      ok(n > 250, "the formats are found (" .. n .. ")")
      eq(missing, {})
      eq(bad, {})
   end)

test("every reason a model gives for a row it cannot use has en and zh", function()
   local known, missing, n = {}, {}, 0
   for _, e in ipairs(i18n.entries()) do
      if e.key:sub(1, 5) == "core." and e.zh then known[e.en] = true end
   end
   for _, name in ipairs { "model_bgbb", "model_bgnbd", "model_gg", "model_nbd", "model_sbg",
      "model_pnbd", "model_core", "model_check" } do
      local f = io.open(top .. "/src/core/" .. name .. ".c")
      if f then
         for why in f:read("a"):gmatch('%*why = "([^"]+)"') do
            n = n + 1
            if not known[why] then missing[#missing + 1] = name .. ".c: " .. why end
         end
         f:close()
      end
   end
   ok(n >= 10, "the reasons are found (" .. n .. ")")
   eq(missing, {})
   eq(i18n.message("row 10244: mean spend m must be positive when x > 0 (x = 1, m = 0)", "zh"),
      "第 10244 行：x > 0 时平均消费额 m 必须为正（x = 1, m = 0）")
end)

test("the messages a user meets first read in Chinese, values and places kept", function()
   eq(i18n.message("tx.csv: cannot open the file: no such file or directory", "zh"),
      "tx.csv: 无法打开文件：没有该文件或目录")
   eq(i18n.message("no column 'amount' (columns: customer_id, date)", "zh"),
      "没有列 'amount'（现有的列：customer_id, date）")
   eq(i18n.message("tx.csv:2:5: expected 2 fields, found 3", "zh"), "tx.csv:2:5: 应有 2 个字段，实际为 3 个")
   -- the English plural's "s" is not said in Chinese ("%.0s")
   eq(i18n.message("tx.csv: no column 'date' to give a type to (the file has 1 column)", "zh"),
      "tx.csv: 没有可指定类型的列 'date'（文件共有 1 列）")
   eq(i18n.message("whale: total profit is -20, not > 0, so shares of it are undefined", "zh"),
      "鲸鱼曲线：利润合计为 -20，不大于 0，无法计算各客户所占比例")
   eq(i18n.message("bins must be between 2 and 1000, got 1", "zh"), "bins 必须在 2 与 1000 之间，实际为 1")
   eq(i18n.message("cannot create table 'tx': relation exists", "zh"), "无法创建表 'tx'：relation exists")
   eq(i18n.message("sheet name 'a' is given twice", "zh"), "工作表名 'a' 重复")
   eq(i18n.message("bad sheet name 'a/b' (at most 31 characters, none of []:*?/\\)", "zh"),
      "工作表名 'a/b' 无效（最多 31 个字符，不能含 []:*?/\\）")
   eq(i18n.message("no column 'amount' (columns: a)", "en"), "no column 'amount' (columns: a)")
end)

test("a %.0s conversion stands for the %s it takes", function()
   eq(i18n.conversions("%d 行%.0s"), i18n.conversions("%d row%s"))
end)

T.report()
