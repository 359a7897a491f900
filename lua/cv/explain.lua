-- cv.explain: a textbook formula shown step by step (the formula in words, then with the
-- numbers substituted, then the result), in English or Chinese; also `cvkit explain`.
-- The steps and numbers come from the core descriptor (cv.core.formula), the words from
-- cv.i18n, so there is one source of truth for each.
--   cv.explain("clv.simple", {avg_purchase = 100, frequency = 4, lifetime = 5})
--   --> clv.simple: simple customer lifetime value
--         CLV = average purchase × purchase frequency × customer lifetime
--         CLV = 100.00 × 4 × 5 = 2,000.00
local core = require "cv.core.formula"
local engine = require "cv.core.engine" -- write: io does not exist in the sandbox
local errors = require "cv.errors"
local i18n = require "cv.i18n"

local M = {}

-- The language of opts.lang, else the current one; raises for an unknown language.
local function lang_of(opts, level)
   if opts and opts.lang then
      local l = i18n.normalize(opts.lang)
      if not l then
         errors.fail("i18n.unknown_lang", { lang = tostring(opts.lang) })
      end
      return l
   end
   return i18n.lang()
end

-- Raises "cv.explain: unknown formula 'clv.simpel' (did you mean 'clv.simple'?)".
local function unknown_formula(name)
   local names = {}
   for i, f in ipairs(core.list()) do names[i] = f.name end
   errors.unknown("cv.explain", "formula", name, names)
end

-- An expression with each {name} replaced by its words: an input's or a value's label.
local function in_words(expr, lang)
   return (expr:gsub("{([%w_]+)}", function(name)
      if i18n.has("input." .. name) then
         return i18n.t("input." .. name, nil, lang)
      elseif i18n.has("label." .. name) then
         return i18n.t("label." .. name, nil, lang)
      end
   end))
end

local function title(name, lang)
   return i18n.t("explain.title",
      { name = name, description = i18n.t("formula." .. name, nil, lang) }, lang)
end

-- text(name, inputs [, opts]) -> text, value: the explanation (lines ending in "\n") and
-- the formula's value. opts.lang: "en" or "zh" (default: cv.i18n's current language).
-- Raises for an unknown formula, a missing or bad input, or inputs outside the domain.
function M.text(name, inputs, opts)
   local lang = lang_of(opts, 2)
   if type(name) ~= "string" or not core.info(name) then
      unknown_formula(name)
   end
   local lines = core.explain(name, inputs)
   local out = { title(name, lang) }
   local vars, info = {}, {}
   for _, input in ipairs(core.info(name).inputs) do
      info[input.name] = input
   end
   for k, v in pairs(inputs) do
      local input = info[k] or {}
      if type(v) == "number" then
         vars[k] = core.format_value(v, input.kind)
         if input.unit then -- a count of periods: with its unit, the given one or fixed
            local unit = info[input.unit] and inputs[input.unit] or input.unit
            vars[k] = i18n.span(vars[k], unit, lang)
         end
      elseif input.choices then -- a period: its unit in words ("week", "周")
         vars[k] = i18n.t("models.unit." .. v, nil, lang)
      end
   end
   for _, l in ipairs(lines) do
      local label = i18n.t("label." .. l.key, nil, lang)
      out[#out + 1] = "  " .. label .. " = " .. in_words(l.expr, lang)
      out[#out + 1] = "  " .. label .. " = " .. l.numeric .. " = " .. l.value
      vars[l.key] = l.value
   end
   local conclusion = "explain.conclusion." .. name
   if i18n.has(conclusion) then
      out[#out + 1] = "  " .. i18n.t(conclusion, vars, lang)
   end
   return table.concat(out, "\n") .. "\n", lines[#lines].v
end

-- explain(name, inputs [, opts]) -> value: prints text(name, inputs, opts) and returns
-- the formula's value.
local check_explain = require("cv.opts").declare("cv.explain", {
   { "lang", "string", en = "the language: en or zh (default: the current one)",
     zh = "语言：en 或 zh（默认：当前语言）" },
})
function M.explain(name, inputs, opts)
   check_explain(opts)
   local text, v = M.text(name, inputs, opts)
   engine.write(text)
   return v
end

-- list_text([opts]) -> text: every formula with its one-line description.
function M.list_text(opts)
   local lang = lang_of(opts, 2)
   local list, width = core.list(), 0
   for _, f in ipairs(list) do
      width = math.max(width, #f.name)
   end
   local out = { i18n.t("explain.list_header", nil, lang) }
   for _, f in ipairs(list) do
      out[#out + 1] = string.format("  %-" .. width .. "s  %s", f.name,
         i18n.t("formula." .. f.name, nil, lang))
   end
   out[#out + 1] = i18n.t("explain.list_footer", nil, lang)
   return table.concat(out, "\n") .. "\n"
end

-- What an input expects, in words: "a number >= 0".
local function expects(input, lang)
   return i18n.t(input.list and "domain.list" or ("domain." .. input.domain), nil, lang)
end

-- inputs_text(name [, opts]) -> text: a formula's title, its formula and its inputs.
function M.inputs_text(name, opts)
   local lang = lang_of(opts, 2)
   local info = core.info(name)
   if not info then
      unknown_formula(name)
   end
   local out, width = { title(name, lang) }, 0
   for _, s in ipairs(info.steps) do
      out[#out + 1] = "  " .. i18n.t("label." .. s.key, nil, lang) .. " = " ..
         in_words(s.expr, lang)
   end
   out[#out + 1] = i18n.t("explain.inputs_header", nil, lang)
   for _, input in ipairs(info.inputs) do
      width = math.max(width, #input.name)
   end
   for _, input in ipairs(info.inputs) do
      local what = i18n.t("input." .. input.name, nil, lang) .. i18n.t("i18n.colon", nil, lang)
         .. expects(input, lang)
      if input.optional then
         what = what .. i18n.t("i18n.semicolon", nil, lang) .. i18n.t("explain.optional",
            { default = core.format_number(input.default) }, lang)
      end
      out[#out + 1] = string.format("  %-" .. width .. "s  %s", input.name, what)
   end
   return table.concat(out, "\n") .. "\n"
end

-- A number as written on a command line: decimal, optional sign and exponent; nil for
-- anything else (hex, inf, nan, thousands separators, a value too large).
local function parse_number(s)
   if not s:match("^%s*[+-]?%d*%.?%d*[eE]?[+-]?%d*%s*$") or not s:match("%d") then
      return nil
   end
   local v = tonumber(s)
   if v == nil or v ~= v or math.abs(v) == math.huge then
      return nil
   end
   return v
end

-- parse(name, args [, opts]) -> inputs | nil, message: reads "key=value" strings into an
-- inputs table for name (a list input as "100,100,100"); the message names the input
-- and what it expects.
function M.parse(name, args, opts)
   local lang = lang_of(opts, 2)
   local info = core.info(name)
   if not info then
      return nil, i18n.t("explain.unknown_formula", { name = tostring(name) }, lang)
   end
   local byname, names = {}, {}
   for _, input in ipairs(info.inputs) do
      byname[input.name] = input
      names[#names + 1] = input.name
   end
   local inputs = {}
   for _, a in ipairs(args) do
      local key, value = a:match("^([^=]*)=(.*)$")
      if not key or key == "" then
         return nil, i18n.t("explain.bad_arg", { arg = a }, lang)
      end
      local input = byname[key]
      if not input then
         return nil, i18n.t("explain.unknown_input",
            { formula = name, input = key, inputs = table.concat(names, ", ") }, lang)
      end
      if inputs[key] ~= nil then
         return nil, i18n.t("explain.duplicate", { formula = name, input = key }, lang)
      end
      local v
      if input.choices then -- a period: a unit name, the closest suggested when misspelt
         for _, c in ipairs(input.choices) do
            if c == value then v = value end
         end
         if v == nil then
            return nil, i18n.t("explain.not_number", { formula = name, input = key,
               expects = expects(input, lang), value = value }, lang)
               .. errors.hint(value, input.choices)
         end
      elseif input.list then
         v = {}
         for part in (value .. ","):gmatch("([^,]*),") do
            local n = parse_number(part)
            if n == nil then
               v = nil
               break
            end
            v[#v + 1] = n
         end
      else
         v = parse_number(value)
      end
      if v == nil then
         return nil, i18n.t("explain.not_number",
            { formula = name, input = key, expects = expects(input, lang), value = value }, lang)
      end
      inputs[key] = v
   end
   for _, input in ipairs(info.inputs) do
      if inputs[input.name] == nil and not input.optional then
         return nil, i18n.t("explain.missing", {
            formula = name, input = input.name,
            words = i18n.t("input." .. input.name, nil, lang), expects = expects(input, lang),
         }, lang)
      end
   end
   return inputs
end

-- cli(argv) -> exit status: `cvkit explain` with its arguments (argv[1..n] after the
-- command name). Output goes to stdout; problems to stderr as "cvkit: message", with
-- status 2 for a bad command line and the core's code (7) for numbers outside a domain.
function M.cli(argv)
   local opts, rest = {}, {}
   local function fail(code, msg)
      engine.warn("cvkit: ", msg)
      return code
   end
   local i = 1
   while i <= #argv do
      local a = argv[i]
      local is_lang, j, err = i18n.lang_arg(argv, i)
      if err then
         return fail(2, err)
      elseif is_lang then
         i = j
      elseif a == "--list" or a == "-l" then
         opts.list = true
      elseif a == "--help" or a == "-h" then
         opts.help = true
      elseif a:match("^%-") and not a:match("^%-[%d.]") then
         return fail(2, i18n.t("cli.unknown_option_explain", { option = a }))
      else
         rest[#rest + 1] = a
      end
      i = i + 1
   end
   if opts.list then
      engine.write(M.list_text())
      return 0
   end
   if opts.help then
      engine.write(i18n.t("explain.usage"), "\n")
      return 0
   elseif #rest == 0 then
      return fail(2, i18n.t("explain.usage"))
   end
   local name = table.remove(rest, 1)
   if not core.info(name) then
      return fail(2, i18n.t("explain.unknown_formula", { name = name }))
   end
   if #rest == 0 then
      engine.write(M.inputs_text(name))
      return 0
   end
   local inputs, msg = M.parse(name, rest)
   if not inputs then
      return fail(2, msg)
   end
   local ok, text = pcall(M.text, name, inputs)
   if not ok then
      return fail(engine.error_code(text), tostring(text))
   end
   engine.write(text)
   return 0
end

return M
