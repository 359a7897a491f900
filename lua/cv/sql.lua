-- cv.sql: databases as sources and sinks (docs/databases.md). The connection object is
-- the C module's (cv.core.sql); this file adds the one-call forms that open a
-- connection, use it and close it.
local sql = require "cv.core.sql"
local i18n = require "cv.i18n"
local engine = require "cv.core.engine"

local M = {}

-- cv.connect(url) -> Connection: "sqlite:path.db", "postgresql://user@host:port/db",
-- "postgresql:" (PG* environment variables).
M.connect = sql.connect

-- conn:summary(opts) -> Table, report: the C method, plus a line on stderr about customers
-- first seen after the calibration end (left out), unless opts.quiet (as cv.summary does).
local c_summary = sql.methods.summary
function sql.methods.summary(conn, opts)
   local s, rep = c_summary(conn, opts)
   if rep.excluded_late > 0 and not opts.quiet then
      engine.warn(i18n.t("sql.excluded_late", { n = rep.excluded_late,
                                                date = rep.calibration_end }))
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

-- cv.write_sql(db, name, t [, {mode = "create" | "append"}]) -> true
function M.write_sql(db, name, t, opts)
   with(db, function(c) c:write(name, t, opts) end)
   return true
end

-- cv.summary_sql(db, {table =, customer =, date =, amount =, unit =, calibration_end =,
-- observation_end =, ...}) -> Table, report: cv.summary computed inside the database.
function M.summary_sql(db, opts)
   return with(db, function(c) return c:summary(opts) end)
end

-- Adds the functions above to the cv module table.
function M.install(cv)
   cv.connect = M.connect
   cv.read_sql = M.read_sql
   cv.write_sql = M.write_sql
   cv.summary_sql = M.summary_sql
end

return M
