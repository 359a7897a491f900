-- cv.script: what the model scripts in models/ share (the model-script framework). A model is data plus a function
-- (docs STYLE.md): a table {name, describe, params = {name = {"what it is", default}},
-- run = function(ctx, p)}; the script ends with `return require("cv.script").main(M, ...)`
-- so that it runs under `cvkit run models/NAME.lua --data FILE --set col=name` and is
-- only described when `cvkit models` loads it. Also the per-customer table the models
-- start from, and the `cvkit models` command.
local date = require "cv.core.date"
local cfile = require "cv.core.file"
local ctable = require "cv.core.table"
local engine = require "cv.core.engine"
local cv = require "cv" -- the model scripts' framework sits above cv (nothing below requires it)
local base = require "cv.base"
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local opts = require "cv.opts"

local M = {}
local describe -- a model's or a parameter's description in the current language (below)

-- The parameters every model reading transactions shares; a model lists the ones it uses
-- with M.transaction_params{...} and adds its own.
local common = {
   data = { "transactions file (CSV; one row per purchase)", nil },
   customer = { "column of customer ids", "customer_id" },
   date = { "column of purchase dates", "date" },
   amount = { "column of purchase amounts", "amount" },
   names = { "column names for a file without a header, comma separated", "" },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
   min_years = { "shortest observation time per customer, in years (guards new customers)", 1 },
}

-- transaction_params(own) -> params: the common transaction parameters plus own.
function M.transaction_params(own)
   local p = {}
   for k, v in pairs(common) do
      p[k] = v
   end
   for k, v in pairs(own) do
      p[k] = v
   end
   return p
end

-- The parameter names of a model in the order they are shown: data first, then sorted.
local function param_names(model)
   local names = {}
   for k in pairs(model.params) do
      if k ~= "data" then
         names[#names + 1] = k
      end
   end
   table.sort(names)
   if model.params.data then
      table.insert(names, 1, "data")
   end
   return names
end

-- params(model, given) -> p: the model's parameters from given (name -> string or number)
-- with defaults filled in and numbers converted; raises naming a missing, unknown or
-- non-numeric parameter.
-- The options of cv.read_csv a model reading a file takes with --set NAME=VALUE
-- (decimal_comma=true, sheet=Orders, date_order=dmy, na=-,n/a): their declared spec.
local function read_option(model, name)
   if not model.params.data or name == "names" or name == "types" then
      return nil
   end
   local d = opts.declared["cv.read_csv"]
   return d and d.by_name[name]
end

-- The value of reading option spec from the text v of --set, or raises.
local function read_value(model, name, spec, v)
   local t, what = spec[2], nil
   if t == "boolean" then
      if v == "true" or v == true then return true end
      if v == "false" or v == false then return false end
      what = "true or false"
   elseif t == "integer" then
      local n = math.tointeger(tonumber(v))
      if n then return n end
      what = "an integer"
   elseif t == "table" then
      local out = {}
      for part in tostring(v):gmatch("[^,]+") do
         out[#out + 1] = part
      end
      return out
   elseif type(t) == "table" then
      for _, c in ipairs(t) do
         if c == v then return v end
      end
      what = table.concat(t, ", ")
   else
      return tostring(v)
   end
   errors.fail("models.bad_read_param", { model = model.name, param = name, what = what,
      value = tostring(v) })
end

function M.params(model, given)
   local p = { read = {} }
   for name, v in pairs(given) do
      local spec = model.params[name]
      local rspec = not spec and read_option(model, name)
      if rspec then
         p.read[name] = read_value(model, name, rspec, v)
         goto continue
      end
      if not spec then
         errors.fail("models.unknown_param", { model = model.name, param = name,
            hint = errors.hint(name, param_names(model)) })
      end
      if type(spec[2]) == "number" or spec[3] == "number" then
         local n = tonumber(v)
         if not n or n ~= n or math.abs(n) == math.huge then
            errors.fail("models.bad_param", { model = model.name, param = name,
               value = tostring(v) })
         end
         v = n
      end
      p[name] = v
      ::continue::
   end
   for _, name in ipairs(param_names(model)) do -- in a fixed order: the first missing named
      local spec = model.params[name]
      if p[name] == nil then
         p[name] = spec[2]
      end
      if p[name] == nil and name ~= "out" then
         errors.fail("models.missing_param", { model = model.name, param = name,
            what = describe(model, name) })
      end
   end
   if model.params.out and p.out == nil then
      p.out = "out/" .. model.name .. ".csv"
   end
   return p
end

-- Reads the script arguments: --data FILE, --out FILE, --set NAME=VALUE, --NAME VALUE for
-- a parameter or reading option of model (a '-' in NAME read as '_': --calibration-end), the
-- --opt=value spellings and bare NAME=VALUE, into given; an unknown --NAME is refused with
-- the closest option.
local function read_args(model, args, given)
   local i = 1
   while i <= #args do
      local a = args[i]
      if a == "--help" or a == "-h" then
         return true
      end
      local opt, value = a:match("^%-%-([%w_-]+)=(.*)$")
      if not opt and a:match("^%-%-[%w_-]+$") then
         opt, value = a:sub(3), args[i + 1]
         if value == nil then
            errors.fail("cli.option_needs_value", { option = a })
         end
         i = i + 1
      end
      local name = opt and opt:gsub("-", "_")
      if opt == "set" or (not opt and a:find("=", 1, true)) then
         local k, v = (value or a):match("^([%w_]+)=(.*)$")
         if not k then
            errors.fail("models.bad_set", { arg = tostring(value or a) })
         end
         given[k] = v
      elseif opt == "data" or opt == "out" then
         given[opt] = value
      elseif name and (model.params[name] or read_option(model, name)) then
         given[name] = value
      elseif opt then
         local known = { "--set" }
         for _, n in ipairs(param_names(model)) do
            known[#known + 1] = "--" .. n:gsub("_", "-")
         end
         errors.fail("models.unknown_option", { option = a:match("^[^=]*"),
            hint = errors.hint("--" .. opt, known) })
      else
         errors.fail("models.unknown_arg", { arg = a })
      end
      i = i + 1
   end
end

-- The extensions --out takes: tables by t:write, and .html/.htm for a report.
local OUT_FORMATS = { csv = true, tsv = true, json = true, md = true, markdown = true,
   xlsx = true, html = true, htm = true }

-- The text of an error raised by a file function, without a "file.lua:12: " prefix.
local function message(err)
   return (tostring(err):gsub("^[^:\n]*%.lua:%d+: ", ""))
end

-- check_out(p) -> "html" or "table": the output file p.out checked before any work starts:
-- a known extension, its folder made, a path the sandbox lets the program write; else
-- raises naming --out (exit 2).
function M.check_out(p)
   local path = tostring(p.out)
   local ext = path:match("%.(%w+)$")
   if not ext or not OUT_FORMATS[ext:lower()] then
      errors.fail("models.bad_out", { path = path, why = i18n.t("models.out_formats") })
   end
   local ok, err = pcall(function()
      local dir = path:match("^(.*)/[^/]*$")
      if dir and dir ~= "" then
         cfile.mkdir(dir)
      end
      cfile.check_output(path)
   end)
   if not ok then
      errors.fail("models.bad_out", { path = path, why = message(err) })
   end
   return ext:lower():match("^html?$") and "html" or "table"
end

-- capture(into) -> restore: while a model runs for an HTML report, what it prints (print,
-- t:print, engine.write) still goes to stdout and is also kept as report sections in into:
-- printed lines as texts, printed tables as tables. restore() puts the printers back.
local function capture(into)
   local tbl = ctable.methods
   local old_print, old_tprint, old_write = print, tbl.print, engine.write
   local lines = {}
   local function flush()
      if #lines > 0 then
         into[#into + 1] = { text = table.concat(lines, "\n\n") }
         lines = {}
      end
   end
   local function keep(text)
      for line in (text .. "\n"):gmatch("([^\n]*)\n") do
         if line:match("%S") then
            lines[#lines + 1] = line
         end
      end
   end
   _G.print = function(...)
      local parts = table.pack(...)
      for i = 1, parts.n do
         parts[i] = tostring(parts[i])
      end
      keep(table.concat(parts, "\t", 1, parts.n))
      return old_print(...)
   end
   engine.write = function(...)
      keep(table.concat({ ... }))
      return old_write(...)
   end
   tbl.print = function(t, n, ...)
      flush()
      into[#into + 1] = { table = t, max_rows = (n == nil and 10) or (n < 0 and 1000) or n }
      return old_tprint(t, n, ...)
   end
   return function()
      flush()
      _G.print, tbl.print, engine.write = old_print, old_tprint, old_write
   end
end

-- The HTML report of a model run: its title (the model's description), the result table
-- given to ctx.write (or the model's own sections) and what the run printed.
local function save_report(ctx, p, printed)
   local r, sections = ctx.result or {}, {}
   if r.o and r.o.sections then
      sections = r.o.sections
   else
      if r.t then
         sections[#sections + 1] = { heading = i18n.t("models.report.result") }
         sections[#sections + 1] = { table = r.t, max_rows = 1000 }
      end
      if #printed > 0 then
         sections[#sections + 1] = { heading = i18n.t("models.report.printed") }
         for _, s in ipairs(printed) do
            sections[#sections + 1] = s
         end
      end
   end
   for _, s in ipairs(ctx.sections) do -- ctx.add's (the diagnostics of the model scripts)
      sections[#sections + 1] = s
   end
   local o = r.o or {}
   cv.report { title = o.title or describe(ctx.model), subtitle = o.subtitle
      or (p.data and p.data ~= "" and i18n.t("models.report.data", { model = ctx.model.name,
         path = p.data })) or ctx.model.name, sections = sections }:save(p.out)
   ctx.say(o.say or "models.wrote", { path = p.out, rows = r.t and #r.t or 0 })
end

-- main(model, ...) -> model: run as a script (`...` are its arguments), parses the
-- parameters (cv.params from `cvkit run --set`, then the script's own arguments), checks
-- --out (M.check_out; model.check_out(p) for a model whose out is a folder), runs
-- model.run(ctx, p) and returns the model; for an HTML --out
-- writes the report of the run at the end. Loaded with require (`...` is then the module
-- name), only returns the model.
function M.main(model, ...)
   local first = ...
   if first == "models." .. model.name then
      return model
   end
   local given = {}
   for k, v in pairs(engine.params) do
      given[k] = v
   end
   if read_args(model, { ... }, given) then -- --help: what `cvkit models NAME` says
      engine.write(i18n.t("models.header"), "\n", M.describe_text(model),
         i18n.t("models.footer"), "\n")
      return model
   end
   local p = M.params(model, given)
   local kind = model.params.out and (model.check_out or M.check_out)(p)
   local ctx = M.context(model)
   if kind ~= "html" then
      model.run(ctx, p)
      return model
   end
   ctx.html = true
   local printed = {}
   do -- the printers are put back however the run ends (an error keeps its place)
      local _ <close> = setmetatable({}, { __close = capture(printed) })
      model.run(ctx, p)
   end
   save_report(ctx, p, printed)
   return model
end

-- context(model) -> ctx: what run(ctx, p) gets: ctx.cv, ctx.customers(p), ctx.write(t, p)
-- and ctx.say(key, vars) (a line on stdout, in the user's language).
function M.context(model)
   local ctx = { cv = cv, model = model, sections = {} }
   -- add(section, ...): report sections after the result and the printed lines, for an
   -- HTML p.out (ctx.html); nothing otherwise.
   function ctx.add(...)
      if not ctx.html then return end
      for _, s in ipairs { ... } do ctx.sections[#ctx.sections + 1] = s end
   end
   function ctx.customers(p)
      return M.customers(p)
   end
   -- write(t, p [, o]): the model's result table t to p.out by its extension (CSV, TSV,
   -- JSON, Markdown, XLSX), saying so (o.say: the catalogue key of that line, vars path
   -- and rows; default models.wrote); for an HTML p.out, t is kept for the report written
   -- when the run ends, with o.title, o.subtitle and o.sections (the model's own sections
   -- instead of the table and what it printed) when given.
   function ctx.write(t, p, o)
      if ctx.html then
         ctx.result = { t = t, o = o }
         return
      end
      local dir = p.out:match("^(.*)/[^/]*$")
      if dir and dir ~= "" then
         cv.mkdir(dir)
      end
      cv.write(p.out, t)
      ctx.say(o and o.say or "models.wrote", { path = p.out, rows = #t })
   end
   -- show(t [, kinds [, prefix [, keys]]]): prints every row of t on the console, each
   -- column under its label in the language of the run (the catalogue's prefix .. name, or
   -- prefix .. keys[name], default prefix "clv.col."; the name itself when there is none),
   -- its numbers by kind (kinds: M.kinds; a plain float with two decimals): cv.show, the
   -- one way a model prints a table.
   function ctx.show(t, kinds, prefix, keys)
      local all = {}
      for i, n in ipairs(t:names()) do -- plain floats with two decimals, 190,744.87
         all[n] = (kinds or {})[n] or (t:types()[i] == "float" and not t:col(n):kind()
            and { "number", 2 }) or nil
      end
      t = M.kinds(t, all)
      local cols = {}
      for i, n in ipairs(t:names()) do
         local key = (prefix or "clv.col.") .. (keys and keys[n] or n)
         cols[i] = { n, i18n.has(key) and i18n.t(key) or n }
      end
      return cv.show(t, cols)
   end
   -- say(key, vars [, kinds]): prints the catalogue message key (cv.i18n) with vars,
   -- numbers formatted for people by their kind (kinds = {var = "money" | "share" |
   -- "count" | "rate" | {kind, decimals}}: cv.format; else "2,000", "266.67"); say(text)
   -- prints text as it is.
   function ctx.say(key, vars, kinds)
      if not i18n.has(key) then
         print(key)
         return
      end
      local shown = {}
      for k, v in pairs(vars or {}) do
         local kind = kinds and kinds[k]
         if type(kind) == "table" then
            shown[k] = type(v) == "number" and cv.format(v, kind[1], kind[2]) or v
         else
            shown[k] = type(v) == "number" and cv.format(v, kind) or v
         end
      end
      print(i18n.t(key, shown))
   end
   return ctx
end

-- The kinds of the columns of the model scripts' tables (lua/cv/base.lua).
M.MODEL_KINDS = base.MODEL_KINDS

-- kinds(t, kinds) -> t with the kinds of the columns named in kinds ({column = "money" |
-- "share" | "count" | "rate" | "number" | {kind, decimals}}; names t lacks passed over):
-- what the numbers mean, for the console, reports and workbooks (include/cvkit/kind.h).
function M.kinds(t, kinds)
   for _, n in ipairs(t:names()) do
      local k = kinds[n]
      if type(k) == "table" then
         t = t:kind(n, k[1], { decimals = k[2] })
      elseif k then
         t = t:kind(n, k)
      end
   end
   return t
end

-- retention(p) -> {r =, h =, k =, from =, mid =, next =, last =, kept =, active =}: the
-- yearly retention of the transactions file p.data measured period to period (Berger &
-- Nasr 1998), as examples/demo.lua does: the last 2k months of the data (k = 12, or half
-- the months the data span when fewer) are two periods, from..mid and next..last; of the
-- `active` customers who bought in the first, the share h = kept ÷ active bought again in
-- the second, and r = h^(12/k) per year. Not the share of repeat buyers (a customer who
-- bought twice in March and left is a repeat buyer but was not retained). Raises (exit 4)
-- when the data span less than two months or nobody bought in the first period.
function M.retention(p)
   local tx = cv.read_csv(p.data, M.read_options(p))
   local dates = tx:col(p.date)
   local first, last = tostring(dates:min()), tostring(dates:max())
   local months = math.floor((cv.date.diff(last, first) + 1) / (365.25 / 12)) -- days inclusive
   local k = math.min(12, months // 2)
   if k < 1 then
      errors.fail("models.retention.too_short", { first = first, last = last }, errors.PARSE)
   end
   local mid, start = cv.date.add(last, -k, "month"), cv.date.add(last, -2 * k, "month")
   local function buyers(from, to)
      return tx:filter(p.date, ">", from):filter(p.date, "<=", to)
         :group_by({ p.customer }, { { "orders", "count" } }):select { p.customer }
   end
   local a = buyers(start, mid)
   if #a == 0 then
      errors.fail("models.retention.no_buyers", { from = cv.date.add(start, 1), to = mid },
         errors.PARSE)
   end
   local kept = #a:join(buyers(mid, last), { on = p.customer })
   return { r = (kept / #a) ^ (12 / k), h = kept / #a, k = k, from = cv.date.add(start, 1),
      mid = mid, next = cv.date.add(mid, 1), last = last, kept = kept, active = #a }
end

-- say_retention(ctx, m): the line saying how retention m (M.retention) was measured.
function M.say_retention(ctx, m)
   ctx.say("models.retention.measured", { kept = m.kept, active = m.active, from = m.from,
      mid = m.mid, next = m.next, last = m.last, h = cv.format(m.h, "share"), k = m.k,
      r = cv.format(m.r, "share") }, { kept = "count", active = "count" })
end

-- Splits "a,b,c" into {"a", "b", "c"}.
-- read_options(p) -> options for cv.read_csv: the date column typed, names for a file
-- without a header, and every reading option given with --set (p.read) (lua/cv/base.lua).
M.read_options = base.read_options

-- with_read(p, o) -> o: the options table o with the reading options given with --set
-- (p.read) added, for a model that calls cv.summary_csv or cv.read_csv itself.
function M.with_read(p, o)
   for k, v in pairs(p.read or {}) do
      o[k] = v
   end
   return o
end

-- customers(p) -> Table: one row per customer from the transactions file p.data, with
-- the columns of cv.summary (customer, orders, revenue, mean_spend, T in years, ...) and
--   years     = max(T, p.min_years): the time observed, in years
--   per_year  = orders / years: purchases per year
-- Uses cv.summary_csv when cvkit has it (same-day purchases count once), else a group-by
-- (every row counts as a purchase).
function M.customers(p)
   local opts = { customer = p.customer, date = p.date, amount = p.amount, unit = "year",
      quiet = true }
   local s
   if cv.summary_csv then
      for k, v in pairs(M.read_options(p)) do
         opts[k] = v
      end
      s = cv.summary_csv(p.data, opts)
   else
      local tx = cv.read_csv(p.data, M.read_options(p))
      s = M.group_summary(tx, p)
   end
   local min_years = p.min_years or 0
   s = s:add("years", function(r)
      return math.max(r.T, min_years)
   end)
   return s:add("per_year", function(r)
      return r.orders / r.years
   end)
end

-- group_summary(tx, p) -> Table: the per-customer columns the models use, by group-by
-- (for a cvkit without cv.summary): customer, orders, revenue, mean_spend, first, T
-- (years from the first purchase to the last date in the data).
function M.group_summary(tx, p)
   local g = tx:group_by({ p.customer }, {
      orders = "count", revenue = { "sum", p.amount }, mean_spend = { "mean", p.amount },
      first = { "min", p.date },
   })
   local last = tostring(tx:col(p.date):max())
   g = g:add("T", function(r)
      return date.diff(last, r.first) / 365.25
   end)
   if p.customer ~= "customer" then
      g = g:add("customer", g:col(p.customer):totable())
   end
   return g
end

-- ---- `cvkit models` ------------------------------------------------------------------------

-- The names of the bundled models (models/*.lua built into cvkit), sorted.
function M.list()
   local names = {}
   for i, key in ipairs(engine.modules("models.")) do
      names[i] = key:sub(#"models." + 1)
   end
   return names
end

-- A model's description, or a parameter's, in the current language when the catalogue
-- has it (keys model.<name>, model.<name>.<param>, then model.param.<param> for the
-- parameters models share), else the model's own English.
function describe(model, param)
   local key = "model." .. model.name .. (param and ("." .. param) or "")
   if i18n.has(key) then
      return i18n.t(key)
   elseif param and i18n.has("model.param." .. param) then
      return i18n.t("model.param." .. param)
   end
   return param and model.params[param][1] or model.describe
end

-- describe_text(model) -> text: the model, how to run it and its parameters.
function M.describe_text(model)
   local out = { "  " .. model.name .. "  " .. describe(model) }
   local names, width = param_names(model), 0
   for _, n in ipairs(names) do
      width = math.max(width, #n)
   end
   for _, n in ipairs(names) do
      local spec, how = model.params[n], nil
      if spec[2] == nil and n ~= "out" then
         how = i18n.t("opts.required") -- " (required)", "（必需）"
      elseif n == "out" then
         how = i18n.t("opts.default", { value = "out/" .. model.name .. ".csv" })
      elseif spec[2] == "" then
         how = nil
      else
         how = i18n.t("opts.default", { value = tostring(spec[2]) })
      end
      local text = describe(model, n)
      if text:find("default", 1, true) or text:find("默认", 1, true) then
         how = nil -- the description says it
      end
      out[#out + 1] = string.format("      %-" .. width .. "s  %s%s", n, text, how or "")
   end
   return table.concat(out, "\n") .. "\n"
end

-- where_text(name, files, places) -> text: the line saying which file `cvkit run NAME` runs
-- (files: name -> path, found by the program in C, src/cli/script_path.c), or that none is
-- in the places searched.
local function where_text(name, files, places)
   if files and files[name] then
      return "      " .. i18n.t("models.file", { path = files[name] })
   end
   return "      " .. i18n.t("models.no_file", { places = places or "./models" })
end

-- cli(argv) -> status: `cvkit models [--lang LANG] [NAME]`: every bundled model with its
-- description and file, or one model with its parameters too. argv.model_files and
-- argv.model_places come from the program (src/cli/cmd_models.c).
function M.cli(argv)
   local want
   local i = 1
   while i <= #argv do
      local a = argv[i]
      local is_lang, j, err = i18n.lang_arg(argv, i)
      if err then
         engine.warn("cvkit: ", err)
         return 2
      elseif is_lang then
         i = j
      elseif a:match("^%-") then
         engine.warn("cvkit: ", i18n.t("cli.unknown_option_models", { option = a }))
         return 2
      else
         want = a:gsub("%.lua$", "")
      end
      i = i + 1
   end
   local out = { i18n.t("models.header") }
   local found = false
   for _, name in ipairs(M.list()) do
      if not want or want == name then
         local model = require("models." .. name)
         local text = want and M.describe_text(model) or ("  " .. name .. "  " .. describe(model))
         local first, rest = text:gsub("\n$", ""):match("^([^\n]*)(.*)$")
         out[#out + 1] = first
         out[#out + 1] = where_text(name, argv.model_files, argv.model_places)
         if rest ~= "" then
            out[#out + 1] = rest:sub(2)
         end
         found = true
      end
   end
   if want and not found then
      engine.warn("cvkit: ", i18n.t("cli.unknown_model", { model = want }))
      return 2
   end
   out[#out + 1] = i18n.t(want and "models.footer" or "models.footer_list")
   engine.write(table.concat(out, "\n"), "\n")
   return 0
end

return M
