-- Tests of the Lua module graph (docs/hacking.md, "The Lua modules"): every embedded module
-- under lua/cv/ requires the others it needs at the top of its file, never inside a function
-- (no lazy `require "cv"` to break a cycle), and the graph of those requires has no cycle.
-- The C modules (cv.core.*) are leaves and not counted; the model scripts (models.<name>) are
-- loaded by name at run time by cv.script and cv.help, the one dynamic require allowed.
local T = require "cv.testing"

local top = os.getenv("TOP") or "."

-- The path of an embedded module's source: cv -> lua/cv/init.lua, cv.x -> lua/cv/x.lua.
local function path_of(name)
   if name == "cv" then return top .. "/lua/cv/init.lua" end
   return top .. "/lua/" .. name:gsub("%.", "/") .. ".lua"
end

-- requires(src) -> { {name =, line =, in_function =}, ... }: every `require "x"`,
-- `require("x")` and `pcall(require, "x")` of a Lua module, with whether it sits inside a
-- function body. A small scanner: comments and strings are skipped (a require written in a
-- help text is not one), and blocks are counted (function/do/then/repeat ... end/until).
local function requires(src)
   local out, stack, i, line, n = {}, {}, 1, 1, #src
   local last, prev -- the last two tokens: a name or a string after `require`
   local function infn()
      for _, k in ipairs(stack) do if k == "function" then return true end end
      return false
   end
   local function long_close(j)
      local eq = src:match("^%[(=*)%[", j)
      if not eq then return nil end
      local _, e = src:find("]" .. eq .. "]", j, true)
      return e or n
   end
   while i <= n do
      local c = src:sub(i, i)
      if c == "\n" then
         line = line + 1
         i = i + 1
      elseif src:sub(i, i + 1) == "--" then
         local e = long_close(i + 2)
         if not e then e = (src:find("\n", i, true) or n + 1) - 1 end
         for _ in src:sub(i, e):gmatch("\n") do line = line + 1 end
         i = e + 1
      elseif c == '"' or c == "'" then
         local j = i + 1
         while j <= n and src:sub(j, j) ~= c do
            if src:sub(j, j) == "\\" then j = j + 1 end
            j = j + 1
         end
         local s = src:sub(i + 1, j - 1)
         if (last == "require" or (last == "(" and prev == "require")
               or (last == "," and prev == "require")) and s:match("^[%w_.]+$") then
            out[#out + 1] = { name = s, line = line, in_function = infn() }
         end
         prev, last = last, "string"
         i = j + 1
      elseif c == "[" and long_close(i) then
         local e = long_close(i)
         for _ in src:sub(i, e):gmatch("\n") do line = line + 1 end
         prev, last = last, "string"
         i = e + 1
      elseif c:match("[%a_]") then
         local w = src:match("^[%w_]+", i)
         if w == "function" or w == "do" or w == "then" or w == "repeat" then
            -- `while ... do`, `for ... do`: one block; `if ... then`, `elseif ... then`: one
            if not ((w == "then" and stack[#stack] == "if") or w == "do" and stack[#stack] == "loop") then
               stack[#stack + 1] = w
            else
               stack[#stack] = w
            end
         elseif w == "if" then
            stack[#stack + 1] = "if"
         elseif w == "while" or w == "for" then
            stack[#stack + 1] = "loop"
         elseif w == "elseif" then
            stack[#stack] = "if"
         elseif w == "end" or w == "until" then
            stack[#stack] = nil
         end
         prev, last = last, w
         i = i + #w
      elseif c:match("%s") then
         i = i + 1
      elseif c:match("%d") then
         i = i + #src:match("^[%w_.]+", i)
      else
         prev, last = last, c
         i = i + 1
      end
   end
   return out
end

-- The embedded Lua modules of lua/cv/, their requires of each other (edges, wherever they
-- are) and the requires inside a function (lazy, "module:line: name").
local function graph()
   local mods, edges, lazy = {}, {}, {}
   for name in pairs(package.preload) do
      if name == "cv" or (name:match("^cv%.") and not name:match("^cv%.core%.")) then
         mods[#mods + 1] = name
      end
   end
   table.sort(mods)
   for _, name in ipairs(mods) do
      local f = assert(io.open(path_of(name), "rb"))
      local src = f:read("a")
      f:close()
      edges[name] = {}
      for _, r in ipairs(requires(src)) do
         if r.name == "cv" or (r.name:match("^cv%.") and not r.name:match("^cv%.core%.")) then
            if r.in_function then
               lazy[#lazy + 1] = name .. ":" .. r.line .. ": " .. r.name
            end
            edges[name][#edges[name] + 1] = r.name -- lazy or not: a dependency
         end
      end
   end
   return mods, edges, lazy
end

-- cycles(edges) -> every cycle a depth-first walk meets, as "a -> b -> a" (sorted start).
local function cycles(edges)
   local state, found = {}, {} -- state: nil not seen, 1 on the path, 2 done
   local function visit(m, path)
      if state[m] == 2 then return end
      if state[m] == 1 then
         found[#found + 1] = table.concat(path, " -> ") .. " -> " .. m
         return
      end
      state[m] = 1
      path[#path + 1] = m
      for _, d in ipairs(edges[m] or {}) do visit(d, path) end
      path[#path] = nil
      state[m] = 2
   end
   local names = {}
   for m in pairs(edges) do names[#names + 1] = m end
   table.sort(names)
   for _, m in ipairs(names) do visit(m, {}) end
   return found
end

T.test("the scanner sees top-level and lazy requires, not those in strings or comments", function()
   local src = 'local a = require "cv.a"\nlocal b = require("cv.b")\n'
      .. '-- require "cv.c"\nlocal s = "require \\"cv.d\\""\n'
      .. 'local function f()\n   if x then return require "cv.e" end\nend\n'
      .. 'for i = 1, 2 do local g = require("cv.g") end\nlocal h = require "cv.h"\n'
      .. 'local t = { f = function() return pcall(require, "cv.i") end }\n'
   local got = {}
   for _, r in ipairs(requires(src)) do
      got[#got + 1] = r.name .. "@" .. r.line .. (r.in_function and " lazy" or "")
   end
   T.eq(got, { "cv.a@1", "cv.b@2", "cv.e@6 lazy", "cv.g@8", "cv.h@9", "cv.i@10 lazy" })
end)

T.test("no module under lua/cv requires another inside a function", function()
   local mods, _, lazy = graph()
   T.ok(#mods >= 20, "modules found: " .. #mods)
   T.eq(lazy, {})
end)

T.test("the module graph has no cycle, and cv is required by none below it", function()
   local _, edges = graph()
   T.eq(cycles(edges), {})
   -- the modules above cv (they may require it): the prompt, help, the model scripts' frame
   local above = { ["cv.help"] = true, ["cv.repl"] = true, ["cv.script"] = true }
   local bad = {}
   for m, ds in pairs(edges) do
      for _, d in ipairs(ds) do
         if d == "cv" and not above[m] then bad[#bad + 1] = m end
      end
   end
   T.eq(bad, {})
end)

T.test("the cycle check finds a known cycle and passes a diamond", function()
   T.eq(cycles { a = { "b" }, b = { "c" }, c = { "a" }, d = { "a" } }, { "a -> b -> c -> a" })
   T.eq(cycles { a = { "b", "c" }, b = { "c" }, c = {} }, {})
end)

T.report()
