-- cv.opts: the one options layer. Every public function that takes an options table
-- declares its options once, here-style:
--
--   local check = opts.declare("cv.summary", {
--      { "customer", "string", required = true, en = "column of customer ids", zh = "客户编号列" },
--      { "unit", { "day", "week", "month", "year" }, default = "day", en = "...", zh = "..." },
--   })
--   function M.summary(tx, o) check(o) ... end
--
-- and the declaration checks every call: an unknown option, a value of the wrong type, a
-- choice that is not one of the declared ones and a missing required option are errors
-- (exit code 2) that name the function and the option, suggest the closest known name,
-- and point at the user's script line. The same declarations feed help() and the docs
-- (opts.declared, opts.describe) and a test that tries a misspelt key on every function.
--
-- Types: "string", "number", "integer", "boolean", "table", "function", "date" (a
-- "YYYY-MM-DD" string), "column" (a column name: a string), "positive" (a number > 0),
-- "Table" (a cv.Table), "Model", any of them joined with "|" ("string|number"), "any", or
-- an array of the allowed strings.
local core = require "cv.core.opts"
local date = require "cv.core.date"
local errors = require "cv.errors"
local i18n = require "cv.i18n"

local M = {}

-- name -> { name =, options = { spec, ... }, by_name = { [option] = spec } }
local declared = {}
M.declared = declared

-- ---- Suggestions --------------------------------------------------------------------------

-- suggest(word, candidates) -> the candidate closest to word (at most a third of its
-- letters off, at least one; case is ignored; a candidate that starts with word or that
-- word starts with counts too), or nil. The measure is the core's (include/cvkit/suggest.h),
-- the one the core's own messages use ("no column 'amout' (did you mean 'amount'?)").
function M.suggest(word, candidates)
   return core.suggest(word, candidates)[1]
end

-- suggestions(word, candidates [, max = 3]) -> the candidates equally closest to word, at
-- most max of them, in the candidates' order ({} when none is close).
function M.suggestions(word, candidates, max)
   return core.suggest(word, candidates, max or 3)
end

-- " (did you mean 'x'?)" or " (known: a, b, c)" for word among candidates (cv.errors).
local hint = errors.hint
local fail = errors.fail -- fail(key, vars): at the user's script line, exit code 2

-- ---- Types ----------------------------------------------------------------------------------

local checks = {
   string = function(v) return type(v) == "string" end,
   number = function(v) return type(v) == "number" and v == v end,
   integer = function(v) return math.tointeger(v) ~= nil end, -- 3 and 3.0 (2^31 - 1 is a float)
   positive = function(v) return type(v) == "number" and v > 0 end,
   boolean = function(v) return type(v) == "boolean" end,
   table = function(v) return type(v) == "table" end,
   ["function"] = function(v) return type(v) == "function" end,
   column = function(v) return type(v) == "string" end,
   date = function(v) -- a real calendar date, as the core reads it ("1997-02-30" is not)
      return type(v) == "string" and v:match("^%d%d%d%d%-%d%d%-%d%d$") ~= nil
         and date.valid(v)
   end,
   Table = function(v) return core.typename(v) == "cv.Table" end,
   Model = function(v) return core.typename(v) == "cv.Model" end,
   any = function() return true end,
}

-- The words a type is shown with in messages: "a string", "a date YYYY-MM-DD", ...
local function type_words(t)
   local out = {}
   for part in t:gmatch("[^|]+") do
      out[#out + 1] = i18n.t("opts.type." .. part)
   end
   return table.concat(out, i18n.t("opts.or"))
end

-- What a value is, for messages: "number 3", "string 'x'", "a cv.Table", "nil".
local shown = errors.shown
M.shown = shown

-- ---- Declarations ---------------------------------------------------------------------------

-- The type checks of each declared spec with a type string, split once at declare time
-- (spec -> { check, ... }), so that checking a call allocates nothing.
local parts_of = setmetatable({}, { __mode = "k" })

local function check_value(fname, spec, v)
   local t = spec[2]
   if type(t) == "table" then
      if type(v) ~= "string" then
         fail("opts.bad_type", { fn = fname, opt = spec[1],
            expected = i18n.t("opts.type.string"), got = shown(v) })
      end
      for _, c in ipairs(t) do
         if c == v then
            return
         end
      end
      fail("opts.bad_choice", { fn = fname, opt = spec[1], value = v,
         hint = hint(v, t) })
   end
   for _, ok in ipairs(parts_of[spec]) do
      if ok(v) then
         return
      end
   end
   fail("opts.bad_type", { fn = fname, opt = spec[1], expected = type_words(t),
      got = shown(v) })
end

-- declare(fname, options) -> check: declares the options of fname (an array of
-- { name, type, default = , required = , en = , zh = }); check(o) raises on the first
-- problem of the options table o (nil is no options) and returns o (or {} for nil).
function M.declare(fname, options)
   local d = { name = fname, options = options, by_name = {}, names = {} }
   local texts = {}
   for _, spec in ipairs(options) do
      local name, t = spec[1], spec[2]
      assert(type(name) == "string" and (type(t) == "table" or type(t) == "string"),
         "opts.declare: bad spec in " .. fname)
      if type(t) == "string" then
         local fns = {}
         for part in t:gmatch("[^|]+") do
            assert(checks[part], "opts.declare: unknown type '" .. part .. "' in " .. fname)
            fns[#fns + 1] = checks[part]
         end
         parts_of[spec] = fns
      end
      assert(not d.by_name[name], "opts.declare: '" .. name .. "' twice in " .. fname)
      d.by_name[name] = spec
      d.names[#d.names + 1] = name
      if spec.en then
         texts["opt." .. fname .. "." .. name] = { en = spec.en, zh = spec.zh }
      end
   end
   i18n.add(texts)
   declared[fname] = d
   local by_name, names = d.by_name, d.names
   return function(o)
      if o == nil then
         o = {}
      elseif type(o) ~= "table" or core.typename(o) ~= "table" then
         fail("opts.not_table", { fn = fname, got = shown(o) })
      end
      for k, v in next, o do
         local spec = by_name[k]
         if not spec then
            if type(k) ~= "string" then
               fail("opts.bad_key", { fn = fname, got = shown(k) })
            end
            fail("opts.unknown", { fn = fname, opt = k, hint = hint(k, names) })
         end
         check_value(fname, spec, v)
      end
      for _, spec in ipairs(options) do
         if spec.required and rawget(o, spec[1]) == nil then
            fail("opts.missing", { fn = fname, opt = spec[1],
               what = i18n.t("opt." .. fname .. "." .. spec[1]) })
         end
      end
      return o
   end
end

-- wrap(fname, f, argn, options) -> a function that checks its argument #argn against the
-- declared options, then tail-calls f with all its arguments (so that f's own errors still
-- point at the caller). For functions written in C.
function M.wrap(fname, f, argn, options)
   local check = M.declare(fname, options)
   return function(...)
      check((select(argn, ...)))
      return f(...)
   end
end

-- concat(list, ...) -> one array of the option specs of every list given, in order
-- (functions that take the options of another, as cv.summary_csv takes cv.read_csv's).
function M.concat(...)
   local out = {}
   for i = 1, select("#", ...) do
      for _, spec in ipairs((select(i, ...))) do
         out[#out + 1] = spec
      end
   end
   return out
end

-- options(fname) -> the declared option specs of fname (nil when not declared), for a
-- function that takes the options of another.
function M.options(fname)
   return declared[fname] and declared[fname].options
end

-- optional(list) -> a copy of the option specs of list with none of them required (the
-- options of another function that are optional here).
function M.optional(list)
   local out = {}
   for i, spec in ipairs(list) do
      local c = {}
      for k, v in pairs(spec) do c[k] = v end
      c.required = nil
      out[i] = c
   end
   return out
end

-- except(list, name...) -> the option specs of list without those named.
function M.except(list, ...)
   local drop, out = {}, {}
   for i = 1, select("#", ...) do drop[select(i, ...)] = true end
   for _, spec in ipairs(list) do
      if not drop[spec[1]] then out[#out + 1] = spec end
   end
   return out
end

-- pick(o, fname) -> a new table with the entries of o that fname declares (o checked
-- already: a function passing part of its options on to another one).
function M.pick(o, fname)
   local by_name, out = declared[fname].by_name, {}
   for k, v in next, o or {} do
      if by_name[k] then out[k] = v end
   end
   return out
end

-- The declared option names of fname, in declaration order (nil when not declared).
function M.names(fname)
   return declared[fname] and declared[fname].names
end

-- describe(fname [, lang]) -> text: one line per option, "name  type  (default x)  meaning",
-- for help() and the docs; nil when fname declares no options.
function M.describe(fname, lang)
   local d = declared[fname]
   if not d then
      return nil
   end
   local lines = {}
   for _, spec in ipairs(d.options) do
      local t = type(spec[2]) == "table" and ('"' .. table.concat(spec[2], '" | "') .. '"') or spec[2]
      local extra = spec.required and i18n.t("opts.required", nil, lang)
         or spec.default ~= nil and i18n.t("opts.default", { value = tostring(spec.default) }, lang)
         or ""
      if #t > 22 then -- a long list of choices: the meaning on a line of its own
         lines[#lines + 1] = string.format("  %-18s %s", spec[1], t)
         t = ""
      end
      lines[#lines + 1] = string.format("  %-18s %-22s %s%s", #t > 0 and spec[1] or "", t,
         i18n.t("opt." .. fname .. "." .. spec[1], nil, lang), extra)
   end
   return table.concat(lines, "\n") .. "\n"
end

return M
