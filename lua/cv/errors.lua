-- cv.errors: the one way cvkit's Lua code raises an error and the one way it warns. An
-- error is a catalogue message (cv.i18n) raised at the user's script line (never at a
-- line of lua/cv/) carrying an exit code of docs/errors.md; a warning is a catalogue
-- message written to stderr in the current language.
--
--   local errors = require "cv.errors"
--   errors.fail("scenario.no_base")                                  -- exit 2
--   errors.fail("segment.bad_test", { rule = k, column = c }, errors.TYPE)
--   errors.unknown("cv.fit", "model", name, names)   -- "... (did you mean 'bgnbd'?)"
--   errors.warn("summary.excluded_late", { n = 3, date = "1997-09-30" })
local core = require "cv.core.opts"
local engine = require "cv.core.engine"
local i18n = require "cv.i18n"

local M = {}

-- The exit codes (include/cvkit/error.h, docs/errors.md).
M.USAGE = 2  -- a bad argument, option, name or column
M.IO = 3     -- a file that cannot be read or written
M.PARSE = 4  -- malformed input
M.TYPE = 5   -- a column or value of the wrong type
M.DOMAIN = 7 -- numbers outside a formula's or model's domain

-- fail(key [, vars [, code]]): raises the catalogue message key with vars, in the current
-- language, prefixed with the user's script line ("clv.lua:12: "), as an error carrying
-- exit code code (default USAGE). Never returns.
function M.fail(key, vars, code)
   core.fail(code or M.USAGE, i18n.t(key, vars))
end

-- hint(word, candidates [, shown]) -> " (did you mean 'x'?)" when a candidate is close to
-- word, else " (known: ...)" listing shown (default: the candidates, comma separated).
function M.hint(word, candidates, shown)
   local s = core.suggest(word, candidates)[1] -- cv.opts.suggest: the core's measure
   if s then
      return i18n.t("opts.did_you_mean", { name = s })
   end
   return i18n.t("opts.one_of", { names = shown or table.concat(candidates, ", ") })
end

-- unknown(fn, what, name, candidates [, shown [, code]]): raises "fn: unknown WHAT 'name'
-- (did you mean 'x'?)" (or the known names, shown) at the user's line; what is a kind of
-- name with its words in the catalogue (errors.what.<what>: model, chart, scheme,
-- formula, scenario, column, ...).
function M.unknown(fn, what, name, candidates, shown, code)
   M.fail("errors.unknown", { fn = fn, what = i18n.t("errors.what." .. what),
      name = tostring(name), hint = M.hint(name, candidates, shown) }, code)
end

-- shown(v) -> what a value is, for messages: "number 3", "string 'x'", "a cv.Table", "nil"
-- (also cv.opts.shown).
function M.shown(v)
   local t = core.typename(v)
   if t == "string" then
      return "'" .. v .. "'"
   elseif t == "number" and v ~= v then
      return "number nan"
   elseif t == "number" or t == "boolean" then
      return t .. " " .. tostring(v)
   end
   return t
end

-- check_type(fn, n, v, expected): raises "fn: argument #n must be a table, got number 3"
-- unless type(v) is expected ("table", "string", "number", "function").
function M.check_type(fn, n, v, expected)
   if type(v) ~= expected then
      M.fail("errors.bad_argument", { fn = fn, n = n,
         expected = i18n.t("opts.type." .. expected), got = M.shown(v) })
   end
   return v
end

-- strict(t, fn, what) -> t: a table of functions (cv.chart, cv.clv, ...) whose unknown
-- names raise "fn: unknown WHAT 'linee' (did you mean 'line'?)" instead of giving nil
-- ("attempt to call a nil value"); rawget still gives nil. The metatable says
-- __namespace = true (for completion: a table of functions, not an object).
function M.strict(t, fn, what)
   return setmetatable(t, { __namespace = true, __index = function(self, name)
      local names = {}
      for k, v in next, self do
         if type(k) == "string" and type(v) == "function" then names[#names + 1] = k end
      end
      table.sort(names)
      M.unknown(fn, what, name, names)
   end })
end

-- warn(key [, vars]): writes the catalogue message key with vars, in the current language,
-- and a newline to stderr.
function M.warn(key, vars)
   engine.warn(i18n.t(key, vars))
end

return M
