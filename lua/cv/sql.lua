-- cv.sql: databases as sources and sinks (docs/databases.md). The connection object is
-- the C module's (cv.core.sql); this file adds the one-call forms that open a
-- connection, use it and close it.
local sql = require "cv.core.sql"
local ctable = require "cv.core.table"
local errors = require "cv.errors"
local opts = require "cv.opts"
local fit = require "cv.fit"

local M = {}

-- The options of a connection (cv.connect).
local check_connect = opts.declare("cv.connect", {
   { "timeout", "positive",
     en = "seconds each query or write may run; past it the query is stopped and fails "
        .. "(PostgreSQL statement_timeout, ClickHouse max_execution_time and the HTTP "
        .. "request's timeout, SQLite's progress handler)",
     zh = "每个查询或写入可运行的秒数；超过时查询被停止并报错（PostgreSQL 的 "
        .. "statement_timeout，ClickHouse 的 max_execution_time 与 HTTP 请求超时，SQLite 的进度回调）" },
})

-- cv.connect(url [, {timeout =}]) -> Connection: "sqlite:path.db",
-- "postgresql://user@host:port/db", "postgresql:" (PG* environment variables),
-- "clickhouse://user:pw@host:port/db".
function M.connect(url, o)
   check_connect(o)
   return sql.connect(url, o and o.timeout)
end

-- conn:summary(opts) -> Table, report: the C method, plus a line on stderr about customers
-- first seen after the calibration end (left out), unless opts.quiet (as cv.summary does).
local c_summary = sql.methods.summary
-- The kinds of a summary's columns, as cv.summary gives them (src/core/summary_result.c).
local SUMMARY_KINDS = { orders = "count", x = "count", x_holdout = "count",
   mean_repeat_spend = "money", mean_spend = "money", revenue = "money", margin = "money",
   spend_holdout = "money" }
function sql.methods.summary(conn, opts)
   local s, rep = c_summary(conn, opts)
   s = ctable.with_kinds(s, SUMMARY_KINDS)
   if rep.excluded_late > 0 and not opts.quiet then -- as cv.summary does (lua/cv/base.lua)
      errors.warn("summary.excluded_late", { n = rep.excluded_late, date = rep.calibration_end })
   end
   return s, rep
end

-- Calls f(conn, ...) on db: a Connection as it is, or a URL opened and closed around f.
local function with(db, f, ...)
   if type(db) == "string" then
      local conn <close> = sql.connect(db)
      return f(conn, ...)
   end
   return f(db, ...)
end

-- cv.read_sql(db, sql [, params]) -> Table
function M.read_sql(db, query, params)
   return with(db, function(c) return c:read(query, params) end)
end

-- The options of writing a table (cv.write_sql, conn:write).
local WRITE = {
   { "mode", { "create", "append" }, default = "create",
     en = "create the table (an error when it exists) or append to it",
     zh = "新建表（已存在时报错）或追加到表中" },
}
local check_write = opts.declare("cv.write_sql", WRITE)

-- cv.write_sql(db, name, t [, {mode = "create" | "append"}]) -> true
function M.write_sql(db, name, t, o)
   check_write(o)
   with(db, function(c) c:write(name, t, o) end)
   return true
end

-- cv.summary_sql(db, {table =, customer =, date =, amount =, unit =, calibration_end =,
-- observation_end =, ...}) -> Table, report: cv.summary computed inside the database.
local check_summary -- declared by M.install, with the options of cv.summary
function M.summary_sql(db, o)
   check_summary(o)
   return with(db, function(c) return c:summary(o) end)
end

-- conn:collapse(opts) -> Table, report: the C method, with the same line on stderr about
-- customers left out as conn:summary.
local c_collapse = sql.methods.collapse
function sql.methods.collapse(conn, opts)
   local t, rep = c_collapse(conn, opts)
   if rep.excluded_late > 0 and not opts.quiet then
      errors.warn("summary.excluded_late", { n = rep.excluded_late, date = rep.calibration_end })
   end
   return t, rep
end

-- cv.collapse_sql(db, {table =, customer =, ..., spend =}) -> Table, report: the distinct
-- (x, t_x, T[, mean_repeat_spend]) with their counts n, computed inside the database; fit
-- them with cv.fit(model, t, {weight = "n"}).
local check_collapse -- declared by M.install
function M.collapse_sql(db, o)
   check_collapse(o)
   return with(db, function(c) return c:collapse(o) end)
end

-- The summary options cv.score_sql passes on (the customer rows it scores).
local SCORE_SUMMARY = { "table", "customer", "date", "amount", "unit", "calibration_end",
   "merge_same_day", "skip_missing", "allow_negative" }

-- cv.score_sql(db, {<summary options>, into =, model = "bgnbd", horizon = 52, discount = 0.15,
-- margin_rate = 1, spend = true, quiet =}) -> report: the whole job inside the database.
-- summary -> collapse (conn:collapse: only the distinct (x, t_x, T[, m]) travel, one
-- statement over the transactions) -> fit (and Gamma-Gamma on the distinct (x, t_x, T, m)
-- when spend) -> P(alive), expected purchases
-- in the horizon (conditional) and discounted ones (dtx) for each distinct row, written
-- as table into_rows -> the view `into` (conn:score_view_text) that attaches them, the
-- spend and clv = dtx x spend x margin_rate to every customer. A failure leaves neither
-- behind. The report: the models, customers, rows (distinct rows scored), bytes received
-- and sent.
local check_score -- declared by M.install
function M.score_sql(db, o)
   check_score(o)
   local id = "[%a_][%w_]*"
   if not (o.into:match("^" .. id .. "$") or o.into:match("^" .. id .. "%." .. id .. "$")) then
      errors.fail("sql.bad_view_name", { name = o.into })
   end
   return with(db, function(c)
      local rx0, tx0 = c:traffic()
      local so = { quiet = true }
      for _, k in ipairs(SCORE_SUMMARY) do so[k] = o[k] end
      -- one pass over the transactions: with spend, the engine's distinct (x, t_x, T, m)
      -- (sorted so) give both fits' inputs; the distinct (x, t_x, T) are their counts
      -- summed here, in order of first appearance: sorted as the engine's own collapse
      so.spend = o.spend ~= false or nil
      local d, rep = c:collapse(so)
      so.spend = nil
      local fit = fit.fit
      local gg, unit = nil, d:meta().unit -- (group_by's table does not know the unit)
      if o.spend ~= false then
         gg = fit("gamma_gamma", d, { weight = "n", quiet = o.quiet })
         d = d:group_by({ "x", "t_x", "T" }, { { "n", "sum", "n" } })
      end
      local m = fit(o.model or "bgnbd", d, { weight = "n", unit = unit, quiet = o.quiet })
      local horizon = o.horizon or 52
      local scored = m:conditional(m:clv(d, { spend = 1, horizon = horizon,
                                              discount = o.discount or 0.15 }), horizon)
      local rows = scored:select{ "x", "t_x", "T", "p_alive", "conditional", "dtx" }
      local rows_name = o.into .. "_rows"
      c:write(rows_name, rows)
      so.rows, so.view, so.margin_rate = rows_name, o.into, o.margin_rate or 1
      so.gg = gg and gg.values or nil
      local ok, err = pcall(function() c:exec(c:score_view_text(so)) end)
      if not ok then
         pcall(c.exec, c, "DROP TABLE " .. rows_name)
         error(err, 0)
      end
      local rx1, tx1 = c:traffic()
      return { model = m, spend = gg, customers = rep.customers, rows = #d,
               received = rx1 - rx0, sent = tx1 - tx0, view = o.into, table = rows_name }
   end)
end

-- Adds the functions above to the cv module table and declares the options of the
-- connection's methods write, summary and summary_text (those of cv.summary with the
-- name of the table: cv.summary is declared before this runs).
function M.install(cv)
   local summary = opts.concat({
      { "table", "string", required = true, en = "the table (or view) of transactions",
        zh = "交易表（或视图）" },
   }, opts.options("cv.summary"))
   check_summary = opts.declare("cv.summary_sql", summary)
   local collapse = opts.concat(summary, {
      { "spend", "boolean", default = false,
        en = "also group by the mean repeat spend (for Gamma-Gamma)",
        zh = "同时按平均复购金额分组（用于 Gamma-Gamma）" },
   })
   check_collapse = opts.declare("cv.collapse_sql", collapse)
   local score = {}
   for _, spec in ipairs(summary) do
      for _, k in ipairs(SCORE_SUMMARY) do
         if spec[1] == k then score[#score + 1] = spec end
      end
   end
   check_score = opts.declare("cv.score_sql", opts.concat(score, {
      { "quiet", "boolean", default = false, en = "no notes on stderr",
        zh = "不在 stderr 输出提示" },
      { "into", "string", required = true,
        en = "the view of scores to create (and its table of distinct rows, into_rows)",
        zh = "要创建的评分视图（及其不同行的表 into_rows）" },
      { "model", { "bgnbd", "pareto_nbd", "mbgnbd" }, default = "bgnbd",
        en = "the transaction model fitted", zh = "拟合的交易模型" },
      { "horizon", "number", default = 52,
        en = "periods (of unit) of the expected purchases and of the CLV",
        zh = "预期购买次数与 CLV 的期数（以 unit 计）" },
      { "discount", "number", default = 0.15, en = "annual effective discount rate",
        zh = "年实际折现率" },
      { "margin_rate", "number", default = 1, en = "margin as a share of the spend",
        zh = "毛利占消费金额的比例" },
      { "spend", "boolean", default = true,
        en = "spend from Gamma-Gamma fitted in the database's distinct rows (false: each "
           .. "customer's mean spend)",
        zh = "消费金额由 Gamma-Gamma 模型给出（false：每位客户的平均消费）" },
   }))
   local m = sql.methods
   m.write = opts.wrap("Connection:write", m.write, 4, WRITE)
   m.summary = opts.wrap("Connection:summary", m.summary, 2, summary)
   m.collapse = opts.wrap("Connection:collapse", m.collapse, 2, collapse)
   m.summary_text = opts.wrap("Connection:summary_text", m.summary_text, 2, summary)
   cv.connect = M.connect
   cv.read_sql = M.read_sql
   cv.write_sql = M.write_sql
   cv.summary_sql = M.summary_sql
   cv.collapse_sql = M.collapse_sql
   cv.score_sql = M.score_sql
end

return M
