-- tests/docs/run_docs.lua: runs the examples of README.md and docs/*.md and compares what they
-- print with what the page shows; ends with "# N passed, M failed" (tests/run.sh counts it).
--   cvkit run tests/docs/run_docs.lua [PAGE.md ...]     from the repository root; the program
--   under test is $CVKIT (default build/cvkit); DOCS_KEEP=1 keeps the scratch folders.
--
-- How to write an example that is checked (docs/README.md says the same for writers):
--   ```lua    Lua, run by cvkit. The Lua blocks of one page run in order as one script (a
--             `local` of one block is seen by the next), from the repository root, so
--             ../shared/data/CDNOW_sample.txt (a link to $CVKIT_DATA) and examples/data/...
--             resolve; outputs go to a scratch copy, never into the repository.
--             `print(#t)  --> 6919` compares what that statement prints: words separated by
--             any blanks; a number matches when the printed one, rounded to the decimals
--             written, is equal (266.67 matches 266.66666666667); `35.27...` matches any
--             word that begins with 35.27; a word `...` stands for any words.
--   ```sh     shell commands, run by sh in the same scratch folder (`cvkit` and build/cvkit
--             are the program under test). Lines starting with `$ ` make a transcript: the
--             command (continued by a trailing \), then the output it prints (stdout and
--             stderr) up to the next `$ ` (a command with no lines after it is not
--             compared). Without `$ ` every line is a command and nothing is compared.
--             Every command must exit 0 (show a failure with `cmd || echo "exit $?"`).
--             After `$ cvkit repl ...`, lines starting with `> ` or `>> ` are typed at
--             the prompt, the others are the answers (the lines before the first prompt
--             are the banner, shown on a terminal only, and are not compared; nor is the
--             exit status, which is not 0 for a session fed from a file that met an error).
--   ```text   right after a ```lua or ```sh block (only blank lines between): everything
--             that block prints. A line `...` stands for any number of lines; the other
--             lines are compared exactly (trailing blanks ignored).
--   <!-- not run: REASON -->               on the line(s) before a block: it is not run
--                                          (a server, a long benchmark, a synopsis);
--   <!-- output not compared: REASON -->   it runs and must succeed; output not compared
--                                          (timings, machine-dependent numbers).
--   <!-- numbers to N digits: REASON -->   its ```text output is compared line by line,
--                                          words exactly except numbers, which must agree
--                                          to N significant digits (a bootstrap's refits stop
--                                          at the optimizer's tolerance, and the last digits
--                                          follow the machine's libm).
-- Other blocks (no language, ```c, ```csv) are not run; a block without a language that
-- looks like a command (`$ ...`, `cvkit ...`, `> ...`) is reported: label it ```sh or
-- ```text, or mark it. docs/topics.md and topics.zh.md are generated from lua/cv/help.lua
-- (`cvkit help --markdown`), so they are not run as pages: help.lua's examples are run once
-- instead, as typed at the prompt (see run_help below for what a session has loaded).
-- Lua blocks run first (one cvkit process per page), then the shell blocks in page order.

local CVKIT = os.getenv("CVKIT") or "build/cvkit"
local TOP = os.getenv("TOP") or os.getenv("PWD")
-- the shared datasets (tests/lua/data.lua): $CVKIT_DATA, default ../shared/data of the repo
local DATA = os.getenv("CVKIT_DATA")
if DATA == nil or DATA == "" then
   DATA = TOP .. "/../shared/data"
elseif DATA:sub(1, 1) ~= "/" then
   DATA = TOP .. "/" .. DATA
end
if CVKIT:sub(1, 1) ~= "/" then
   CVKIT = TOP .. "/" .. CVKIT
end

local passed, failed, skipped = 0, 0, 0
local skips = {}

-- ---- small helpers ----------------------------------------------------------------------

local function q(s)
   return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function read(path)
   local f = assert(io.open(path, "rb"))
   local s = f:read("a")
   f:close()
   return s
end

local function write(path, s)
   local f = assert(io.open(path, "wb"))
   f:write(s)
   f:close()
end

local function sh(cmd)
   local ok, how, code = os.execute(cmd)
   return ok == true, how == "exit" and code or 128 + (code or 0)
end

local function capture(cmd)
   local p = assert(io.popen(cmd, "r"))
   local s = p:read("a")
   p:close()
   return s
end

local function lines_of(s)
   local t = {}
   for l in (s:gsub("\r\n", "\n") .. "\n"):gmatch("([^\n]*)\n") do
      t[#t + 1] = l
   end
   return t
end

local function rtrim(s)
   return (s:gsub("%s+$", ""))
end

-- ---- matching ----------------------------------------------------------------------------

-- word_matches(want, got): one word of a --> comment against one printed word.
local function word_matches(want, got)
   if want == got then
      return true
   end
   local prefix = want:match("^(.+)%.%.%.$")
   if prefix and got:sub(1, #prefix) == prefix then
      return true
   end
   if want:match("^%-?%d+%.?%d*$") and tonumber(got) then
      local decimals = #(want:match("%.(%d*)$") or "")
      local shown = string.format("%." .. decimals .. "f", tonumber(got))
      return shown == want or (shown == "-" .. want and tonumber(want) == 0)
   end
   return false
end

-- seq_matches(want, got, eq): arrays, where an element "..." of want stands for any run.
local function seq_matches(want, got, eq)
   local function from(i, j)
      if i > #want then
         return j > #got
      end
      if want[i] == "..." then
         for k = j, #got + 1 do
            if from(i + 1, k) then
               return true
            end
         end
         return false
      end
      return j <= #got and eq(want[i], got[j]) and from(i + 1, j + 1)
   end
   return from(1, 1)
end

local function words(s)
   local t = {}
   for w in s:gmatch("%S+") do
      t[#t + 1] = w
   end
   return t
end

local function inline_matches(want, got)
   return seq_matches(words(want), words(got), word_matches)
end

-- output_lines(text): the lines printed, trailing blanks and trailing empty lines removed.
local function output_lines(text)
   local t = lines_of(text)
   for i = 1, #t do
      t[i] = rtrim(t[i])
   end
   while #t > 0 and t[#t] == "" do
      t[#t] = nil
   end
   return t
end

-- close(want, got, digits): two numbers that agree to `digits` significant digits.
local function close(want, got, digits)
   local a, b = tonumber(want), tonumber(got)
   if not (a and b) then
      return false
   end
   return math.abs(a - b) <= 10 ^ -digits * math.max(math.abs(a), math.abs(b))
end

-- block_matches(want, got, digits): the lines of a ```text block against the output; with
-- digits, a line matches when its words do, numbers to that many significant digits.
local function block_matches(want, got, digits)
   local eq = function(a, b) return a == b end
   if digits then
      eq = function(a, b)
         local wa, wb = words(a), words(b)
         if #wa ~= #wb then
            return false
         end
         for i = 1, #wa do
            if wa[i] ~= wb[i] and not close(wa[i], wb[i], digits) then
               return false
            end
         end
         return true
      end
   end
   return seq_matches(output_lines(table.concat(want, "\n")), output_lines(got), eq)
end

-- ---- reading a page ----------------------------------------------------------------------

-- parse(lines) -> blocks, problems. A block: {lang, first (line of the opening fence),
-- last, body = {lines}, marker = {kind, reason}, expect = the next ```text block's lines}.
local function parse(lines)
   local blocks, problems = {}, {}
   local marker
   local i = 1
   while i <= #lines do
      local l = lines[i]
      local info = l:match("^```%s*([%w_+-]*)%s*$")
      if info then
         local j = i + 1
         while j <= #lines and not lines[j]:match("^```%s*$") do
            j = j + 1
         end
         if j > #lines then
            problems[#problems + 1] = { i, "the block opened here is never closed" }
            break
         end
         local body = {}
         for k = i + 1, j - 1 do
            body[#body + 1] = lines[k]
         end
         blocks[#blocks + 1] = { lang = info, first = i, last = j, body = body, marker = marker }
         marker = nil
         i = j + 1
      else
         local kind, reason = l:match("^%s*<!%-%-%s*(not run):%s*(.-)%s*%-%->%s*$")
         if not kind then
            kind, reason = l:match("^%s*<!%-%-%s*(output not compared):%s*(.-)%s*%-%->%s*$")
         end
         local digits
         if not kind then
            digits, reason = l:match("^%s*<!%-%-%s*numbers to (%d+) digits:%s*(.-)%s*%-%->%s*$")
            kind = digits and "numbers to digits"
         end
         if kind then
            if reason == "" then
               problems[#problems + 1] = { i, "a marker must give its reason" }
            end
            marker = { kind = kind, reason = reason, line = i, digits = tonumber(digits) }
         elseif l:match("%S") then
            if marker then
               problems[#problems + 1] = { marker.line, "the marker is not followed by a block" }
            end
            marker = nil
         end
         i = i + 1
      end
   end
   local function adjacent(a, b)
      for k = a.last + 1, b.first - 1 do
         if lines[k]:match("%S") then
            return false
         end
      end
      return true
   end
   for k, b in ipairs(blocks) do
      local nxt = blocks[k + 1]
      local code = b.lang == "lua" or b.lang == "sh"
      if code and nxt and adjacent(b, nxt) and not nxt.marker then
         if nxt.lang == "text" then
            b.expect, nxt.output_of = nxt.body, b
         elseif nxt.lang == "" then
            problems[#problems + 1] = { nxt.first,
               "an output block right after an example: label it ```text" }
            nxt.output_of = b
         end
      end
      if b.marker and not code then
         problems[#problems + 1] = { b.marker.line, "a marker before a block that is not run" }
      end
      if b.lang == "" and not b.output_of then
         for n, l in ipairs(b.body) do
            if l:match("^%$ ") or l:match("^%s*cvkit%s") or l:match("^%s*build/cvkit%s")
               or l:match("^> ") then
               problems[#problems + 1] = { b.first + n,
                  "looks like an example: label the block ```sh (or ```text), or mark it" }
               break
            end
         end
      end
   end
   return blocks, problems
end

-- ---- Lua blocks: one script per page, lines at their places in the page ---------------

-- The script has the page's line numbers, so an error names the page's line. Each block is
-- framed by sentinels written to stdout (\1B k\2 ... \1E k\2), each --> statement too
-- (\1S n\2 ... \1F n\2).
local PRELUDE = 'io.stdout:setvbuf("no") __doc = { w = function(t, n) '
   .. 'io.stdout:write("\\1", t, " ", n, "\\2") end }'

local function complete(body, upto)
   local chunk = table.concat(body, "\n", 1, upto)
   local f, err = load(chunk, "=block", "t")
   return f ~= nil or not (err and err:find("<eof>", 1, true))
end

-- arrow(line) -> code, expected: splits `code --> expected` (the arrow outside a string).
local function arrow(line)
   local pos = 1
   while true do
      local a, b = line:find("%-%->", pos)
      if not a then
         return nil
      end
      local before = line:sub(1, a - 1)
      local _, dq = before:gsub('"', "")
      local _, sq = before:gsub("'", "")
      if dq % 2 == 0 and sq % 2 == 0 and not before:find("%-%-") then
         return before, line:sub(b + 1):match("^%s*(.-)%s*$")
      end
      pos = b + 1
   end
end

local function lua_script(nlines, blocks, problems)
   local code = {}
   for i = 1, nlines do
      code[i] = ""
   end
   code[1] = PRELUDE
   for k, b in ipairs(blocks) do
      if b.lang == "lua" and not (b.marker and b.marker.kind == "not run") then
         b.arrows = {}
         code[b.first] = "__doc.w('B', " .. k .. ")"
         code[b.last] = "__doc.w('E', " .. k .. ")"
         for n, l in ipairs(b.body) do
            code[b.first + n] = l
         end
         for n, l in ipairs(b.body) do
            local before, want = arrow(l)
            if before then
               local line = b.first + n
               if not complete(b.body, n) then
                  problems[#problems + 1] = { line, "a --> comment must end a statement" }
               else
                  local s = n
                  while s > 1 and not complete(b.body, s - 1) do
                     s = s - 1
                  end
                  code[line] = before .. " __doc.w('F', " .. line .. ")"
                  code[b.first + s] = ";__doc.w('S', " .. line .. ") " .. code[b.first + s]
                  b.arrows[#b.arrows + 1] = { line = line, want = want }
               end
            end
         end
      end
   end
   return table.concat(code, "\n") .. "\n"
end

-- sections(out) -> per block k its output, per --> line its output, the last block begun.
local function sections(out)
   local blocks, arrows, open = {}, {}, {}
   local last_block
   local pos = 1
   local function add(text)
      for key in pairs(open) do
         local t = key:sub(1, 1) == "B" and blocks or arrows
         local n = tonumber(key:sub(2))
         t[n] = (t[n] or "") .. text
      end
   end
   while true do
      local a, b, tag, n = out:find("\1(%u) (%d+)\2", pos)
      add(out:sub(pos, (a or 0) - 1))
      if not a then
         break
      end
      n = tonumber(n)
      if tag == "B" then
         open["B" .. n], blocks[n], last_block = true, "", n
      elseif tag == "E" then
         open["B" .. n] = nil
         blocks[n] = blocks[n] or ""
         blocks[-n] = true -- ended
      elseif tag == "S" then
         open["S" .. n], arrows[n] = true, ""
      elseif tag == "F" then
         open["S" .. n] = nil
         arrows[-n] = true
      elseif tag == "X" and last_block then -- an error caught in a help example
         blocks["X" .. last_block] = true
      end
      pos = b + 1
   end
   return blocks, arrows, last_block, out:sub(pos)
end

-- ---- reporting ---------------------------------------------------------------------------

local function fail(page, line, what, detail)
   failed = failed + 1
   print(string.format("FAIL  %s%s: %s", page, line > 0 and ":" .. line or "", what))
   if detail and detail ~= "" then
      for l in (detail:gsub("\n$", "") .. "\n"):gmatch("([^\n]*)\n") do
         print("      " .. l)
      end
   end
end

local function show_diff(want, got)
   local out = { "expected:" }
   for _, l in ipairs(output_lines(table.concat(want, "\n"))) do
      out[#out + 1] = "  | " .. l
   end
   out[#out + 1] = "printed:"
   for _, l in ipairs(output_lines(got)) do
      out[#out + 1] = "  | " .. l
   end
   return table.concat(out, "\n")
end

local function skip(page, b)
   skipped = skipped + 1
   skips[#skips + 1] = string.format("%s:%d: %s", page, b.first, b.marker.reason)
end

-- ---- running a page ----------------------------------------------------------------------

local function scratch(page)
   local base = rtrim(capture("mktemp -d \"${TMPDIR:-/tmp}/cvkit-docs.XXXXXX\""))
   local root = base .. "/root"
   local cmd = table.concat({
      "mkdir -p " .. q(root .. "/build") .. " " .. q(root .. "/bin") .. " "
         .. q(root .. "/" .. (page:match("^(.*)/") or ".")),
      "ln -s " .. q(CVKIT) .. " " .. q(root .. "/build/cvkit"),
      "ln -s " .. q(CVKIT) .. " " .. q(root .. "/bin/cvkit"),
      "cp -R " .. q(TOP .. "/examples") .. " " .. q(root .. "/examples"),
      "cp -R " .. q(TOP .. "/models") .. " " .. q(root .. "/models"),
      -- the pages show ../shared/data, the path a user types; it leads to $CVKIT_DATA
      "mkdir " .. q(base .. "/shared"),
      "if [ -d " .. q(DATA) .. " ]; then ln -s " .. q(DATA) .. " " .. q(base .. "/shared/data")
         .. "; fi",
   }, " && ")
   assert(sh(cmd), "cannot prepare the scratch folder " .. base)
   return base, root
end

local function run_lua(page, root, blocks, nlines, problems)
   local script = lua_script(nlines, blocks, problems)
   local any = false
   for _, b in ipairs(blocks) do
      any = any or b.arrows ~= nil
   end
   if not any then
      return
   end
   write(root .. "/" .. page, script)
   local ok, rc = sh("cd " .. q(root) .. " && HOME=" .. q(root) .. " timeout 600 " .. q(CVKIT)
      .. " run " .. q(page) .. " >" .. q(root .. "/.doc_out") .. " 2>&1")
   local out = read(root .. "/.doc_out")
   local outs, arrows, last, rest = sections(out)
   local dead = false
   for k, b in ipairs(blocks) do
      if b.arrows then
         local what = string.format("```lua block (lines %d-%d)", b.first, b.last)
         if dead then
            fail(page, b.first, what .. " not reached: an earlier block failed")
         elseif not outs[-k] then
            dead = true
            fail(page, b.first, what .. " failed (exit " .. rc .. ")",
               (last == k and rest or out):sub(-3000))
         else
            local bad = {}
            local compare = not (b.marker and b.marker.kind == "output not compared")
            for _, a in ipairs(compare and b.arrows or {}) do
               local got = arrows[a.line] or ""
               if not inline_matches(a.want, got) then
                  bad[#bad + 1] = string.format("line %d: --> %s\n  printed: %s", a.line,
                     a.want, got:gsub("%s+$", ""):gsub("\n", "\n           "))
               end
            end
            local digits = b.marker and b.marker.digits
            if compare and b.expect and not block_matches(b.expect, outs[k], digits) then
               bad[#bad + 1] = show_diff(b.expect, outs[k])
            end
            if #bad > 0 then
               fail(page, b.first, what .. ": the output differs", table.concat(bad, "\n"))
            else
               passed = passed + 1
            end
         end
      end
   end
   local _ = ok
end

-- commands(body) -> list of {cmd, want (lines or nil), repl_input}: a transcript or a script.
local function commands(body)
   local list = {}
   local transcript = false
   for _, l in ipairs(body) do
      transcript = transcript or l:match("^%$ ") ~= nil
   end
   local i = 1
   while i <= #body do
      local l = body[i]
      if transcript and not l:match("^%$ ") then
         i = i + 1 -- output before the first command: not possible in a transcript; ignored
      elseif not transcript and (l:match("^%s*$") or l:match("^%s*#")) then
         i = i + 1
      else
         local cmd = transcript and l:sub(3) or l
         while cmd:match("\\$") and i < #body do
            i = i + 1
            cmd = cmd .. "\n" .. body[i]
         end
         i = i + 1
         local c = { cmd = cmd }
         if transcript then
            c.want = {}
            local repl = cmd:match("^%S*cvkit%s+repl") ~= nil
            local seen_prompt = false
            while i <= #body and not body[i]:match("^%$ ") do
               local typed = repl and (body[i]:match("^>> ?(.*)$") or body[i]:match("^> ?(.*)$"))
               if typed then
                  c.input = c.input or {}
                  c.input[#c.input + 1] = typed
                  seen_prompt = true
               elseif not repl or seen_prompt then
                  c.want[#c.want + 1] = body[i]
               end
               i = i + 1
            end
         end
         list[#list + 1] = c
      end
   end
   return list
end

local function run_sh(page, root, k, b)
   local list = commands(b.body)
   local script = { "PATH=" .. q(root .. "/bin") .. ':"$PATH"', "HOME=" .. q(root),
      "export PATH HOME" }
   for n, c in ipairs(list) do
      script[#script + 1] = "printf '\\001C " .. n .. "\\002'"
      if c.input then
         script[#script + 1] = "{ " .. c.cmd .. " <<'__DOC_INPUT__'\n"
            .. table.concat(c.input, "\n") .. "\n__DOC_INPUT__\n}"
      else
         script[#script + 1] = "{ " .. c.cmd .. "\n}"
      end
      script[#script + 1] = "printf '\\001R %d\\002' $?"
   end
   local file = root .. "/.doc_block.sh"
   write(file, table.concat(script, "\n") .. "\n")
   sh("cd " .. q(root) .. " && timeout 600 sh " .. q(file) .. " >" .. q(root .. "/.doc_out")
      .. " 2>&1")
   local out = read(root .. "/.doc_out")
   local results = {}
   for n, text, rc in out:gmatch("\1C (%d+)\2(.-)\1R (%d+)\2") do
      results[tonumber(n)] = { text = text, rc = tonumber(rc) }
   end
   local what = string.format("```sh block (lines %d-%d)", b.first, b.last)
   local compare = not (b.marker and b.marker.kind == "output not compared")
   local bad, all = {}, {}
   for n, c in ipairs(list) do
      local r = results[n]
      if not r then
         bad[#bad + 1] = "$ " .. c.cmd .. "\n  did not run:\n" .. out:sub(-2000)
         break
      end
      all[#all + 1] = r.text
      if r.rc ~= 0 and not c.input then
         bad[#bad + 1] = "$ " .. c.cmd .. "\n  exit " .. r.rc .. ":\n" .. r.text:sub(-2000)
      elseif compare and c.want and #c.want > 0
         and not block_matches(c.want, r.text, b.marker and b.marker.digits) then
         bad[#bad + 1] = "$ " .. c.cmd .. "\n" .. show_diff(c.want, r.text)
      end
   end
   if #bad == 0 and compare and b.expect
      and not block_matches(b.expect, table.concat(all), b.marker and b.marker.digits) then
      bad[#bad + 1] = show_diff(b.expect, table.concat(all))
   end
   if #bad > 0 then
      fail(page, b.first, what .. ": " .. (#bad == 1 and "a command" or #bad .. " commands")
         .. " did not give the output shown", table.concat(bad, "\n"))
   else
      passed = passed + 1
   end
   local _ = k
end

local function run_page(page)
   local lines = lines_of(read(TOP .. "/" .. page))
   local blocks, problems = parse(lines)
   local base, root = scratch(page)
   for _, b in ipairs(blocks) do
      if (b.lang == "lua" or b.lang == "sh") and b.marker and b.marker.kind == "not run" then
         skip(page, b)
      end
   end
   run_lua(page, root, blocks, #lines, problems)
   for k, b in ipairs(blocks) do
      if b.lang == "sh" and not (b.marker and b.marker.kind == "not run") then
         run_sh(page, root, k, b)
      end
   end
   table.sort(problems, function(a, b) return a[1] < b[1] end)
   for _, p in ipairs(problems) do
      fail(page, p[1], p[2])
   end
   if os.getenv("DOCS_KEEP") == "1" then
      print("      (scratch folder kept: " .. base .. ")")
   else
      sh("rm -rf " .. q(base))
   end
end

-- ---- the examples of the help topics (lua/cv/help.lua) -----------------------------------

-- docs/topics.md and topics.zh.md are generated from lua/cv/help.lua, so its examples are run
-- once, from the source, as typed at the prompt: in catalogue order, sharing globals, an
-- expression's values printed. They may use what a session has loaded (HELP_CONTEXT).
local HELP_CONTEXT = [[
tx = cv.read_csv("examples/data/transactions.csv", {types = {date = "date"}})
orders = cv.read_csv("examples/b2b/orders.csv")
customers = cv.read_csv("examples/b2b/customers.csv")
s = cv.summary(tx, {customer = "customer_id", date = "date", amount = "amount", unit = "week"})
m = cv.fit("bgnbd", s, {quiet = true})
t = tx
cv.mkdir("out")
]]

local HELP_RUN = [[
function __doc.run(code)
   local f = load("return " .. code, "=example", "t")
   if not f then
      f = assert(load(code, "=example", "t"))
   end
   local r = table.pack(pcall(f))
   if not r[1] then
      io.stdout:write("\1X 0\2", tostring(r[2]))
   elseif r.n > 1 then
      print(table.unpack(r, 2, r.n))
   end
end
]]

local function run_help()
   local page = "lua/cv/help.lua"
   local help = require "cv.help"
   local base, root = scratch("help")
   local code = { PRELUDE, HELP_RUN, HELP_CONTEXT }
   local list = {}
   for _, name in ipairs(help.topics()) do
      local t = help.get(name)
      if t and t.example then
         local ex = t.example
         local before, want = arrow(ex:match("[^\n]*$"))
         if before then
            ex = ex:gsub("[^\n]*$", before)
         end
         list[#list + 1] = { name = name, want = want }
         code[#code + 1] = string.format("__doc.w('B', %d) __doc.run(%q) __doc.w('E', %d)",
            #list, ex, #list)
      end
   end
   write(root .. "/.help.lua", table.concat(code, "\n") .. "\n")
   local _, rc = sh("cd " .. q(root) .. " && HOME=" .. q(root) .. " timeout 600 " .. q(CVKIT)
      .. " run .help.lua >" .. q(root .. "/.doc_out") .. " 2>&1")
   local out = read(root .. "/.doc_out")
   local outs, _, last, rest = sections(out)
   local p0, f0 = passed, failed
   for k, e in ipairs(list) do
      local what = "the example of help topic '" .. e.name .. "'"
      local got = outs[k]
      if not outs[-k] then
         fail(page, 0, what .. (last == k and " failed (exit " .. rc .. ")"
            or " not reached"), (last == k and rest or out):sub(-2000))
      elseif outs["X" .. k] then
         fail(page, 0, what .. " raised an error", got)
      elseif e.want and not inline_matches(e.want, got) then
         fail(page, 0, what .. ": the output differs",
            "--> " .. e.want .. "\n  printed: " .. got:gsub("%s+$", ""))
      else
         passed = passed + 1
      end
   end
   print(string.format("  %-24s %d passed, %d failed, %d not run", page, passed - p0,
      failed - f0, 0))
   if os.getenv("DOCS_KEEP") == "1" then
      print("      (scratch folder kept: " .. base .. ")")
   else
      sh("rm -rf " .. q(base))
   end
end

-- ---- main ----------------------------------------------------------------------------------

local pages = {}
for i = 1, #arg do
   pages[#pages + 1] = arg[i]
end
if #pages == 0 then
   pages[1] = "README.md"
   for p in capture("cd " .. q(TOP) .. " && ls docs/*.md"):gmatch("[^\n]+") do
      if p ~= "docs/topics.md" and p ~= "docs/topics.zh.md" then
         pages[#pages + 1] = p
      end
   end
end
for _, page in ipairs(pages) do
   local p0, f0, s0 = passed, failed, skipped
   run_page(page)
   print(string.format("  %-24s %d passed, %d failed, %d not run", page, passed - p0,
      failed - f0, skipped - s0))
end
if #arg == 0 then
   run_help()
end
if #skips > 0 then
   print("not run (" .. #skips .. "):")
   for _, s in ipairs(skips) do
      print("  " .. s)
   end
end
print(string.format("# %d passed, %d failed (%d examples not run)", passed, failed, skipped))
os.exit(failed == 0 and 0 or 1)
