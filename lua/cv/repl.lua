-- cv.repl: the Lua side of `cvkit repl` (src/cli/cmd_repl.c reads the lines and edits
-- them; this module evaluates, prints results, completes names and loads datasets).
--   feed(chunk) -> "ok" | "error" | "more" | "quit"   one chunk of input, evaluated
--   show(v)     prints a value as the prompt does: a cv.Table with its shape, column
--               types and first rows; other values as lua.c prints them
--   complete(line, word) -> {candidates} | nil         names for the Tab key
-- The prompt's globals are the script globals: `cv`, `help`, `quit`, the datasets.
local i18n = require "cv.i18n"
local cv = require "cv" -- the prompt sits above cv and cv.help (nothing below requires it)
local errors = require "cv.errors"
local help = require "cv.help"
-- a count as the tables show it: 1,990
local format_kind = require("cv.core.table").format_kind
local function tbl_count(n) return format_kind(n, "count") end

local M = {}

M.rows = 10          -- rows of a table shown after an expression
M.quit = false       -- set by quit(): the prompt loop ends after this chunk
local TABLE_MT = "cv.Table"

local keywords = {
   "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
   "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
}

-- The name of a value's metatable (cv.Table, cv.Column), or nil. cvkit's metatables are
-- protected (__metatable): the prompt, never sandboxed, reads them through debug.
local function type_name(v)
   local mt = debug.getmetatable(v)
   return type(mt) == "table" and rawget(mt, "__name") or nil
end

local function is_table(v)
   return type(v) == "userdata" and type_name(v) == TABLE_MT
end
M.is_table = is_table

-- ---- Printing results -------------------------------------------------------------------

-- A short text for a plain Lua value inside a table: strings quoted, nested tables
-- shown one level deep.
local function brief(v, depth)
   if type(v) == "string" then
      return string.format("%q", v)
   elseif type(v) ~= "table" or getmetatable(v) ~= nil then
      return tostring(v)
   elseif depth > 1 then
      return "{…}"
   end
   local parts, n = {}, #v
   for i = 1, math.min(n, 20) do
      parts[#parts + 1] = brief(v[i], depth + 1)
   end
   if n > 20 then
      parts[#parts + 1] = "…"
   end
   local keys = {}
   for k in pairs(v) do
      if math.type(k) ~= "integer" or k < 1 or k > n then
         keys[#keys + 1] = k
      end
   end
   table.sort(keys, function(a, b)
      return tostring(a) < tostring(b)
   end)
   for i, k in ipairs(keys) do
      if i > 20 then
         parts[#parts + 1] = "…"
         break
      end
      local name = type(k) == "string" and k:match("^[%a_][%w_]*$") and k
         or ("[" .. brief(k, depth + 1) .. "]")
      parts[#parts + 1] = name .. " = " .. brief(v[k], depth + 1)
   end
   return "{" .. table.concat(parts, ", ") .. "}"
end
M.brief = brief

-- table_text(t [, n]) -> text: the shape line, then the first n rows as an aligned table
-- with the column types (the core formatter), then how many rows are not shown.
function M.table_text(t, n)
   n = n or M.rows
   local rows, cols = #t, t:ncols()
   local out = { i18n.t("repl.table_shape", { rows = tbl_count(rows), cols = cols }) }
   if cols > 0 then
      out[#out + 1] = t:head(n):to_string("text"):gsub("\n$", "")
      if rows > n then
         out[#out + 1] = i18n.t("repl.more_rows", { n = tbl_count(rows - n) })
      end
   end
   return table.concat(out, "\n") .. "\n"
end

-- show(...) prints the values of an expression: tables in full form, the rest on one
-- line separated by tabs (lua.c).
function M.show(...)
   local n = select("#", ...)
   local line = {}
   local function flush()
      if #line > 0 then
         io.write(table.concat(line, "\t"), "\n")
         line = {}
      end
   end
   for i = 1, n do
      local v = select(i, ...)
      if is_table(v) then
         flush()
         io.write(M.table_text(v))
      elseif type(v) == "table" and getmetatable(v) == nil then
         line[#line + 1] = brief(v, 1)
      else
         line[#line + 1] = tostring(v)
      end
   end
   flush()
end

-- ---- Evaluating -------------------------------------------------------------------------

-- The error message and the part of the traceback that concerns the user's code (the
-- REPL's own frames removed; nothing more when the error is in the typed line itself).
local function handler(msg)
   if type(msg) ~= "string" then
      local mt = getmetatable(msg)
      if mt and mt.__tostring then
         return tostring(msg)
      end
      msg = "(error object is a " .. type(msg) .. " value)"
   end
   local tb = debug.traceback("", 2)
   local keep = {}
   for l in tb:gmatch("[^\n]+") do
      if l:find("in function 'xpcall'", 1, true) then
         break -- the frames below belong to the prompt, not to the user's code
      elseif l:find("cv/repl.lua", 1, true) or l:find("(...tail calls...)", 1, true)
         or l:find("^stack traceback:") then
         -- the prompt's own frames
      elseif not l:find("^%s*stdin:%d+: in main chunk") and not l:find("^%s*%[C%]: in %?$") then
         keep[#keep + 1] = l
      end
   end
   local own = false -- a frame of Lua code, not only C functions
   for _, l in ipairs(keep) do
      own = own or not l:find("^%s*%[C%]")
   end
   if not own then
      return msg
   end
   return msg .. "\nstack traceback:\n" .. table.concat(keep, "\n")
end

-- compile(chunk) -> function | nil, message, incomplete: as lua.c does, first as an
-- expression ("return " .. chunk) so that its values print, then as statements; a syntax
-- error at "<eof>" in either form means the chunk is not finished yet.
function M.compile(chunk)
   local f, rerr = load("return " .. chunk, "=stdin", "t")
   if f then
      return f
   end
   local err
   f, err = load(chunk, "=stdin", "t")
   if f then
      return f
   end
   -- unlike lua.c, an expression cut after an operator ("1 +") continues too
   return nil, err, err:sub(-5) == "<eof>" or rerr:sub(-5) == "<eof>"
end

-- feed(chunk) -> status: compiles and runs one chunk typed at the prompt and prints its
-- values or its error (on stderr). "more" when the chunk is incomplete (the caller reads
-- another line and feeds the whole), "error" after a failure, "quit" after quit().
function M.feed(chunk)
   local trimmed = chunk:match("^%s*(.-)%s*$")
   if trimmed == "" then
      return "ok"
   end
   if (trimmed == "quit" or trimmed == "exit") and rawget(_G, trimmed) == M.quit_fn then
      M.quit = true
      return "quit"
   end
   local f, err, incomplete = M.compile(chunk)
   if not f then
      if incomplete then
         return "more"
      end
      io.stdout:flush()
      io.stderr:write(err, "\n")
      return "error"
   end
   local r = table.pack(xpcall(f, handler))
   io.stdout:flush()
   if not r[1] then
      io.stderr:write(tostring(r[2]), "\n")
      return "error"
   end
   if r.n > 1 then
      _G._ = r[2]
      M.show(table.unpack(r, 2, r.n))
   end
   io.stdout:flush()
   return M.quit and "quit" or "ok"
end

-- quit(): ends the session after the current line (also typed as plain `quit` or `exit`).
function M.quit_fn()
   M.quit = true
end

-- ---- Datasets -----------------------------------------------------------------------------

-- load(name, path): reads the CSV file at path with cv.read_csv into the global name.
-- A spec "name=path" gives the name; a bare path takes its base name ("tx.csv" -> tx)
-- when that is a Lua name. Raises (with the core's message and exit code) when the file
-- cannot be read, with exit code 2 for a name that is not a Lua name.
function M.load(spec)
   local name, path = spec:match("^([^=/]+)=(.+)$")
   if not name then
      path = spec
      name = path:match("([^/]+)$"):gsub("%.[^.]*$", "")
   end
   if not name:match("^[%a_][%w_]*$") then
      errors.fail("repl.bad_name", { spec = spec })
   end
   local t = cv.read_csv(path)
   _G[name] = t
   return name, t
end

-- ---- Completion ---------------------------------------------------------------------------

-- 1 when v is a table of names to complete after "." (a plain table, or one made strict
-- by cv.errors: cv.chart, cv.clv), not an object.
local function namespace(v)
   if type(v) ~= "table" then return false end
   local mt = getmetatable(v)
   return mt == nil or (type(mt) == "table" and rawget(mt, "__namespace") == true)
end

-- The value at a dotted path of globals ("cv.clv"), or nil.
local function lookup(path)
   local v = _G
   for part in path:gmatch("[^.:]+") do
      if type(v) == "table" then
         v = rawget(v, part)
         if v == nil then
            return nil
         end
      else
         return nil
      end
   end
   return v
end

-- methods(v) -> table | nil: the table of methods behind a value's __index: the table
-- itself, or the first upvalue of an __index function that is a table (cv.Column's).
function M.methods(v)
   local mt = debug.getmetatable(v)
   local index = type(mt) == "table" and rawget(mt, "__index")
   if type(index) == "function" then
      local _, up = debug.getupvalue(index, 1)
      index = up
   end
   return type(index) == "table" and index or nil
end

-- The names a value offers after "." (sep) or ":" : a plain table's string keys (and
-- those of a table in its __index), a userdata's methods.
local function members(v, sep)
   local out = {}
   local function add(t, only_functions)
      for k, x in pairs(t) do
         if type(k) == "string" and k:match("^[%a_][%w_]*$") and
            (not only_functions or type(x) == "function") then
            out[k] = x
         end
      end
   end
   if type(v) == "table" and sep == "." then
      add(v)
   end
   local index = M.methods(v)
   if index then
      add(index, sep == ":")
   end
   return out
end

-- The column names of the table at a global path, or nil.
local function columns_of(path)
   local t = lookup(path)
   if is_table(t) then
      return t:names()
   end
end

local function sorted_matching(names, prefix, decorate)
   local out = {}
   for _, n in ipairs(names) do
      if n:sub(1, #prefix) == prefix then
         out[#out + 1] = decorate and decorate(n) or n
      end
   end
   table.sort(out)
   return out
end

-- complete(line, word) -> candidates | nil: what may replace word (the text being
-- completed, which ends line, the input before the cursor, earlier lines of a
-- multi-line chunk included). Inside a string after a table (tx:col("cu, tx:filter("a,
-- cv.summary(tx, {customer = "c) the table's column names; `r.` in a function given to
-- a table's method (tx:filter(function(r) return r.am) the columns as fields; a name
-- path (cv.clv.si, tx:gr, pri) the members of the table before the last dot or colon.
-- nil asks the caller for file names (inside any other string).
function M.complete(line, word)
   local before = line:sub(1, #line - #word)
   local quote = before:match("([\"'])$")
   if quote then
      -- inside a string: the nearest table before it names the columns
      local best
      for path in before:gmatch("([%a_][%w_%.]*)") do
         if is_table(lookup(path)) then
            best = path
         end
      end
      if best then
         return sorted_matching(columns_of(best), word)
      end
      return nil
   end
   -- a row's fields: the parameter of a function given to a table's method or a loop
   local var, field = word:match("^([%a_][%w_]*)%.([^.:]*)$")
   if var and lookup(var) == nil then
      local tpath -- the last such function in the input wins
      for path, param in line:gmatch("([%a_][%w_%.]*)%s*:%s*[%a_][%w_]*%s*%([^)]-function%s*%(%s*([%a_][%w_]*)") do
         if param == var and is_table(lookup(path)) then
            tpath = path
         end
      end
      for param, path in line:gmatch("for%s+[%w_,%s]-([%a_][%w_]*)%s+in%s+([%a_][%w_%.]*)%s*:%s*rows%s*%(") do
         if param == var and is_table(lookup(path)) then
            tpath = path
         end
      end
      if tpath then
         return sorted_matching(columns_of(tpath), field, function(n)
            return var .. "." .. n
         end)
      end
   end
   -- a path of names
   local base, sep, last = word:match("^(.*)([.:])([%w_]*)$")
   local out = {}
   if base then
      if not base:match("^[%a_][%w_]*[%w_.]*$") then
         return out
      end
      local v = lookup(base)
      if v == nil then
         return out
      end
      for k, x in pairs(members(v, sep)) do
         if k:sub(1, #last) == last then
            local suffix = namespace(x) and "." or ""
            out[#out + 1] = base .. sep .. k .. suffix
         end
      end
   elseif word:match("^[%a_]?[%w_]*$") then
      for k, x in pairs(_G) do
         if type(k) == "string" and k:sub(1, #word) == word and k:match("^[%a_][%w_]*$") then
            out[#out + 1] = k .. ((namespace(x) and k ~= "_G") and "." or "")
         end
      end
      for _, k in ipairs(keywords) do
         if k:sub(1, #word) == word then
            out[#out + 1] = k
         end
      end
   end
   table.sort(out)
   return out
end

-- ---- Starting ---------------------------------------------------------------------------

-- banner() -> text: the line an interactive session starts with.
function M.banner(version, lua_release)
   return i18n.t("repl.banner", { version = version, lua = lua_release })
end

-- install(): the prompt's own globals: help, quit and exit.
function M.install()
   _G.help = help.help
   _G.quit = M.quit_fn
   _G.exit = M.quit_fn
end

return M
