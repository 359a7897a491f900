-- cv.base: the functions of `cv` every other module may use (cv.table, cv.format, cv.show,
-- cv.read_csv, cv.summary, cv.write, ...): the C core's handles and the conveniences written
-- in Lua, below every lua/cv module but cv.i18n, cv.errors and cv.opts. lua/cv/init.lua
-- (`require "cv"`) copies them into cv and adds the rest; a module under lua/cv requires
-- this one, never "cv", so that the module graph has no cycle (tests/lua/test_module_graph.lua).
-- Sandbox-safe: no io, os or load (files through the core's cv.core.file).
local engine = require "cv.core.engine"
local tbl = require "cv.core.table"
local csv = require "cv.core.csv"
local summary = require "cv.core.summary"
local errors = require "cv.errors"
local opts = require "cv.opts"

local M = {}

M.version = engine.version   -- "0.1.0"
M.lang = engine.lang         -- "en", from --lang or CVKIT_LANG
M.params = engine.params     -- values given with --set name=value (numbers converted)

-- The options of reading delimited text and workbooks (cv.read_csv, cv.parse_csv,
-- cv.summary_csv, cv.fit's path form and the model scripts' --set).
local READ_CSV = {
   { "header", "boolean", en = "the first line names the columns (detected when not given)",
     zh = "首行为列名（未给出时自动识别）" },
   { "delim", { ",", ";", "\t", "|", "space", "whitespace", " ", "tab" },
     en = "the delimiter (detected when not given); \"space\" is runs of spaces",
     zh = "分隔符（未给出时自动识别）；\"space\" 表示连续空格" },
   { "names", "table", en = "column names, for a file without a header",
     zh = "列名（用于无表头的文件）" },
   { "types", "table", en = "column types {column = \"int\"|\"float\"|\"string\"|\"date\"|\"datetime\"|\"bool\"}",
     zh = "列类型 {列 = \"int\"|\"float\"|\"string\"|\"date\"|\"datetime\"|\"bool\"}" },
   { "date_order", { "iso", "dmy", "mdy" }, default = "iso",
     en = "the order of day, month and year in dates", zh = "日期中日、月、年的顺序" },
   { "na", "table", en = "texts that mean a missing value", zh = "表示缺失值的文本" },
   { "encoding", { "auto", "utf-8", "utf8", "gbk", "gb18030" }, default = "auto",
     en = "the text encoding", zh = "文本编码" },
   { "skip_bad_rows", "boolean", default = false, en = "skip rows that do not read, counting them",
     zh = "跳过无法读取的行并计数" },
   { "bad_as_missing", "boolean", default = false,
     en = "read values that do not fit their column's type as missing",
     zh = "不符合列类型的值读作缺失" },
   { "decimal_comma", "boolean",
     en = "true: numbers use a decimal comma (1.234,50); false: a decimal point (1,234.50); "
        .. "not given: detected per column where its values read only one way",
     zh = "true：数字使用小数逗号（1.234,50）；false：使用小数点（1,234.50）；"
        .. "未给出：按列检测（仅当该列的值只有一种读法时）" },
   { "thousands", { ",", ".", " ", "'", "none" },
     en = "the thousands separator (\" \" also means the no-break spaces); default: \",\" or "
        .. "a space with a decimal point, \".\" or a space with a decimal comma",
     zh = "千位分隔符（\" \" 也包括不换行空格）；默认：小数点时为 \",\" 或空格，"
        .. "小数逗号时为 \".\" 或空格" },
   { "sheet", "string|integer", en = "workbooks (.xlsx, .xls): the sheet, by name or number "
        .. "from 1 (default: the first)",
     zh = "工作簿（.xlsx、.xls）：工作表名称或从 1 起的序号（默认：第一个）" },
   { "lenient_quotes", "boolean", default = false,
     en = "read a stray quote (1,\"27\" monitor,300) as written, counting it, instead of failing",
     zh = "将不规范的引号（1,\"27\" monitor,300）按原文读取并计数，而不报错" },
   { "threads", "integer",
     en = "threads to parse with (default: cvkit's thread count: the machine's cores, at most 8, "
        .. "or CVKIT_THREADS)",
     zh = "解析所用线程数（默认：cvkit 的线程数，即机器的核数，至多 8，或 CVKIT_THREADS）" },
}

-- The options of the per-customer summary (cv.summary, cv.summary_csv; docs/summary.md).
local SUMMARY = {
   { "customer", "string", required = true, en = "column of customer ids", zh = "客户编号列" },
   { "date", "string", required = true, en = "column of purchase dates", zh = "购买日期列" },
   { "amount", "string", required = true, en = "column of purchase amounts", zh = "购买金额列" },
   { "cost", "string", en = "column of costs (margin = amount - cost)", zh = "成本列（毛利 = 金额 - 成本）" },
   { "margin", "string|number", en = "column of margins, or a margin rate", zh = "毛利列或毛利率" },
   { "unit", { "day", "week", "month", "year" }, default = "day",
     en = "the time unit of t_x and T", zh = "t_x 与 T 的时间单位" },
   { "calibration_end", "date", en = "last day of the calibration period (default: the last purchase)",
     zh = "校准期最后一天（默认：最后一次购买）" },
   { "observation_end", "date", en = "last day of the holdout period", zh = "验证期最后一天" },
   { "merge_same_day", "boolean", default = true,
     en = "purchases of one customer on one day count once", zh = "同一客户同一天的多次购买计为一次" },
   { "skip_missing", "boolean", default = false, en = "skip rows with a missing value, counting them",
     zh = "跳过含缺失值的行并计数" },
   { "allow_negative", "boolean", default = false, en = "accept negative amounts (returns)",
     zh = "允许负金额（退货）" },
   { "quiet", "boolean", default = false, en = "no notes on stderr", zh = "不在 stderr 上输出提示" },
}

M.read_csv = opts.wrap("cv.read_csv", csv.read_csv, 2, READ_CSV)     -- (path, opts) -> Table, report
M.parse_csv = opts.wrap("cv.parse_csv", csv.parse_csv, 2, READ_CSV)  -- (text, opts, name)
M.mkdir = require("cv.core.file").mkdir -- cv.mkdir(path): like mkdir -p
-- cv.date.days(d), .format(days), .add(d, n [, unit]), .diff(a, b), .valid(d): the core's
-- calendar on "YYYY-MM-DD" dates (src/lua/l_date.c; docs/lua-api.md)
M.date = require "cv.core.date"
-- warn_late(report, o): the line on stderr about customers first seen after the
-- calibration end (left out of the summary), unless o.quiet; returns report.
local function warn_late(rep, o)
   if rep.excluded_late > 0 and not (o and o.quiet) then
      errors.warn("summary.excluded_late", { n = rep.excluded_late,
         date = rep.calibration_end })
   end
   return rep
end

-- cv.summary(tx, opts) -> Table, report; cv.summary_csv(path, opts) (docs/summary.md)
local check_summary = opts.declare("cv.summary", SUMMARY)
function M.summary(tx, o)
   check_summary(o)
   local s, rep = summary.summary(tx, o)
   return s, warn_late(rep, o)
end
local check_summary_csv = opts.declare("cv.summary_csv", opts.concat(READ_CSV, SUMMARY))
function M.summary_csv(path, o)
   check_summary_csv(o)
   local s, rep = summary.summary_csv(path, o)
   return s, warn_late(rep, o)
end

-- t:join(other, {on =, how =}): the C method behind its declared options.
tbl.methods.join = opts.wrap("Table:join", tbl.methods.join, 3, {
   { "on", "string|table", required = true,
     en = "the key: a column, {\"a\", \"b\"} (same names) or {left = right}",
     zh = "连接键：列名、{\"a\", \"b\"}（同名列）或 {左列 = 右列}" },
   { "how", { "inner", "left" }, default = "inner",
     en = "inner: matched rows only; left: every row of t",
     zh = "inner：仅匹配的行；left：保留 t 的每一行" },
})

-- t:kind(column, kind [, {decimals = n}]) -> Table and t:kind{column = kind, ...}: what the
-- numbers of a column mean, for display only (include/cvkit/kind.h; docs/lua-api.md).
local KINDS = { "money", "share", "count", "rate", "number" }
local KIND_OK = { money = true, share = true, count = true, rate = true, number = true }
local check_kind = opts.declare("Table:kind", {
   { "kind", KINDS, required = true,
     en = "money (1,234.50), share (21.83%), count (1,234), rate (10%) or number",
     zh = "金额（1,234.50）、占比（21.83%）、计数（1,234）、比率（10%）或普通数字" },
   { "decimals", "integer", en = "decimals shown (default: the kind's)",
     zh = "显示的小数位数（默认按类别）" },
})
local set_kind = tbl.methods.kind
function tbl.methods.kind(t, col, kind, o)
   if type(col) == "table" and kind == nil and o == nil then -- {column = kind, ...}
      local names = {}
      for c in pairs(col) do names[#names + 1] = c end
      table.sort(names, function(a, b) return tostring(a) < tostring(b) end)
      for _, c in ipairs(names) do t = tbl.methods.kind(t, c, col[c]) end
      return t
   end
   local spec = { kind = kind }
   if o ~= nil then
      errors.check_type("Table:kind", 3, o, "table")
      for k, v in next, o do spec[k] = v end
      spec.kind = kind
   end
   if kind ~= nil or o ~= nil then check_kind(spec) end
   errors.check_type("Table:kind", 1, col, "string")
   return set_kind(t, col, kind, spec.decimals)
end

-- cv.format(value, kind [, decimals]) -> text: a number as the tables show a column of that
-- kind (cv_format_kind): cv.format(-83223.8, "money") --> -83,223.80
function M.format(v, kind, decimals)
   errors.check_type("cv.format", 1, v, "number")
   if kind ~= nil and not KIND_OK[kind] then errors.unknown("cv.format", "kind", kind, KINDS) end
   if decimals ~= nil and not (math.tointeger(decimals) and decimals >= 0 and decimals <= 15) then
      errors.fail("errors.bad_argument", { fn = "cv.format", n = 3,
         expected = "0 .. 15", got = opts.shown(decimals) })
   end
   return tbl.format_kind(v, kind, decimals)
end

-- cv.table builds a table from Lua arrays, in three spellings:
--   cv.table{{"id", {1, 2}}, {"name", {"a", "b"}}}     -- ordered pairs {name, values [, type]}
--   cv.table({"id", "name"}, {{1, 2}, {"a", "b"}})      -- names, then columns
--   cv.table{id = {1, 2}, name = {"a", "b"}}            -- columns in name order
-- Missing values are nil (give `n = count` in an array whose last values are nil).
function M.table(spec, cols)
   errors.check_type("cv.table", 1, spec, "table")
   local pairs_ = {}
   if cols ~= nil then
      for i, name in ipairs(spec) do
         pairs_[i] = { name, cols[i] }
      end
   elseif #spec > 0 then
      pairs_ = spec
   else
      local names = {}
      for name in pairs(spec) do
         names[#names + 1] = name
      end
      table.sort(names)
      for i, name in ipairs(names) do
         pairs_[i] = { name, spec[name] }
      end
   end
   return tbl.from_columns(pairs_)
end

-- cv.write(path, t [, format]): writes t as CSV, TSV, JSON or Markdown (by the path's
-- extension unless format is given), through a temporary file renamed at the end.
function M.write(path, t, format)
   return t:write(path, format)
end

-- cv.show(t, columns [, decimals]) -> the table shown: prints the columns {{name, label},
-- ...} of t under their labels (the words of a lesson or a report), every row, with
-- floats rounded half up to `decimals` places (default 2) for the eye; t is unchanged.
function M.show(t, columns, decimals)
   local scale = 10 ^ (decimals or 2)
   local spec, kinds = {}, {}
   for i, c in ipairs(columns) do
      local col = t:col(c[1])
      local v = col:totable()
      local kind, dec = col:kind()
      -- a money, share, count or rate column is rounded by its kind when shown (0.9994 as
      -- 99.94%, not 1.00 as 100.00%); a plain float here, to its own decimals if given
      if col:type() == "float" and (kind == nil or kind == "number") then
         local sc = dec and 10 ^ dec or scale
         for k = 1, v.n do
            v[k] = v[k] and math.floor(v[k] * sc + 0.5) / sc
         end
         if dec then kind = { "number", dec } end -- shown with the decimals it was given
      end
      spec[i] = { c[2] or c[1], v }
      kinds[c[2] or c[1]] = kind -- shown by its kind, as t:print() shows it
   end
   local shown = tbl.with_kinds(M.table(spec), kinds)
   shown:print(-1)
   return shown
end

-- cv.try(f, ...) -> f's results, or nil, message, code when f raises (code: the exit
-- code the error carries, e.g. 3 for a missing file, 4 for malformed input).
function M.try(f, ...)
   local r = table.pack(pcall(f, ...))
   if r[1] then
      return table.unpack(r, 2, r.n)
   end
   return nil, r[2], engine.error_code(r[2])
end

-- ---- What the model scripts share (lua/cv/script.lua, lua/cv/fit.lua, models/) ---------------

-- read_options(p) -> options for cv.read_csv: the date column typed, names for a file
-- without a header, and every reading option given with --set (p.read).
function M.read_options(p)
   local o = { types = { [p.date] = "date" } }
   for k, v in pairs(p.read or {}) do -- the reading options given with --set
      o[k] = v
   end
   if p.names and p.names ~= "" then
      local names = {}
      for part in p.names:gmatch("[^,]+") do
         names[#names + 1] = part
      end
      o.names = names
      o.header = false
   end
   return o
end

-- The kinds of the columns of the model scripts' tables (cv.compare, Model:clv, the
-- holdout checks): counts as integers, shares as percentages, money with two decimals,
-- the errors of a holdout check with four decimals, times, expectations and fit measures
-- with two.
local two = { "number", 2 }
M.MODEL_KINDS = { params = "count", x = "count", x_holdout = "count", actual = "count",
   customers = "count", p_alive = "share", spend = "money", clv = "money", value_tx = "money",
   mae = { "number", 4 }, rmse = { "number", 4 }, brier = { "number", 4 }, t_x = two, T = two,
   conditional = two, dtx = two, dert = two, expected = two, loglik = two, aic = two, bic = two }

return M
