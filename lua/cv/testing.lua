-- cv.testing: a small test registry for tests/lua/*.lua (as Lua's own testes do):
--   local T = require "cv.testing"
--   T.test("sums", function() T.eq(1 + 1, 2) end)
--   T.report()   -- prints "# N passed, M failed" and exits non-zero on failure
local M = {}

local tests = {}

-- Shows a value in messages: strings quoted, tables by their contents (one level).
local function show(v)
   if type(v) == "string" then
      return string.format("%q", v)
   elseif type(v) == "table" and getmetatable(v) == nil then
      local parts = {}
      for i = 1, #v do
         parts[#parts + 1] = show(v[i])
      end
      for k, x in pairs(v) do
         if math.type(k) ~= "integer" or k < 1 or k > #v then
            parts[#parts + 1] = tostring(k) .. " = " .. show(x)
         end
      end
      return "{" .. table.concat(parts, ", ") .. "}"
   end
   return tostring(v)
end
M.show = show

-- Deep equality: tables without metatables compare by contents, the rest with ==.
local function equal(a, b)
   if type(a) ~= "table" or type(b) ~= "table" or getmetatable(a) or getmetatable(b) then
      return a == b and math.type(a) == math.type(b)
   end
   for k, v in pairs(a) do
      if not equal(v, b[k]) then
         return false
      end
   end
   for k in pairs(b) do
      if a[k] == nil then
         return false
      end
   end
   return true
end

-- eq(got, want [, what]): deep equality (integers and floats differ: 1 ~= 1.0 here).
function M.eq(got, want, what)
   if not equal(got, want) then
      error(string.format("%sexpected %s, got %s", what and (what .. ": ") or "",
         show(want), show(got)), 2)
   end
end

-- near(got, want [, eps = 1e-9 relative to max(1, |want|)]): floating point closeness.
function M.near(got, want, eps, what)
   eps = eps or 1e-9
   if type(got) ~= "number" or math.abs(got - want) > eps * math.max(1, math.abs(want)) then
      error(string.format("%sexpected %.17g (within %g), got %s", what and (what .. ": ") or "",
         want, eps, show(got)), 2)
   end
end

-- near_all(got, want [, eps = 1e-9 [, what]]): two columns (or arrays) of the same length,
-- every element within eps relative to max(1, |want|) as near's; the message gives the worst.
function M.near_all(got, want, eps, what)
   eps = eps or 1e-9
   if type(got) ~= "table" then got = got:totable() end -- a column
   if type(want) ~= "table" then want = want:totable() end
   M.eq(#got, #want, what)
   local worst = 0
   for i = 1, #want do
      worst = math.max(worst, math.abs(got[i] - want[i]) / math.max(math.abs(want[i]), 1))
   end
   if not (worst <= eps) then
      error(string.format("%sworst relative difference %.3g (within %g)",
         what and (what .. ": ") or "", worst, eps), 2)
   end
end

-- ok(cond [, what]): truthiness.
function M.ok(cond, what)
   if not cond then
      error(what or "expected a true value", 2)
   end
end

-- raises(pattern, f, ...): f(...) must raise an error whose message matches the Lua
-- pattern (plain text when plain is true: raises_plain). Returns the message.
local function raises(pattern, plain, f, ...)
   local ok, msg = pcall(f, ...)
   if ok then
      error("expected an error matching " .. show(pattern) .. ", none raised", 3)
   end
   msg = tostring(msg)
   if not msg:find(pattern, 1, plain) then
      error("expected an error matching " .. show(pattern) .. ", got " .. show(msg), 3)
   end
   return msg
end
function M.raises(pattern, f, ...)
   return raises(pattern, false, f, ...)
end
function M.raises_plain(text, f, ...)
   return raises(text, true, f, ...)
end

-- test(name, fn): registers a test; they run in order at report().
function M.test(name, fn)
   tests[#tests + 1] = { name = name, fn = fn }
end

-- report(): runs the registered tests, prints "ok"/"FAIL" lines and the summary line
-- "# N passed, M failed", and exits with 1 when one failed.
function M.report()
   local passed, failed = 0, 0
   for _, t in ipairs(tests) do
      local ok, msg = xpcall(t.fn, debug.traceback)
      if ok then
         passed = passed + 1
         print("ok    " .. t.name)
      else
         failed = failed + 1
         print("FAIL  " .. t.name .. ": " .. tostring(msg))
      end
   end
   tests = {}
   print(string.format("# %d passed, %d failed", passed, failed))
   io.stdout:flush()
   if failed > 0 then
      os.exit(1)
   end
end

return M
