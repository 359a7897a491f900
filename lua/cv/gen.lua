-- cv.gen: the `cvkit gen` command (src/cli/cmd_gen.c): a synthetic transactions CSV drawn
-- from a model with given parameters (cv.simulate_transactions), for examples, classes and
-- the benchmarks.
local core = require "cv.core.models"
local engine = require "cv.core.engine"
local errors = require "cv.errors"
local i18n = require "cv.i18n"
local base = require "cv.base"
local fit = require "cv.fit"

local M = {}

-- the options of `cvkit gen`, for the suggestion after a misspelt one
local OPTIONS = { "--customers", "--seed", "--cohort-days", "--out", "--start", "--end", "--unit",
   "--spend", "--lang" }

-- cli(argv) -> status: cvkit gen MODEL NAME=VALUE... [--customers N] [--seed S]
-- [--out FILE] [--start DATE] [--cohort-days N] [--end DATE] [--unit U]
-- [--spend p,q,gamma]
function M.cli(argv)
   local function fail(key, vars)
      engine.warn("cvkit: ", i18n.t(key, vars))
      return 2
   end
   local model, params = nil, {}
   local o = { customers = 1000, seed = 1, out = nil, unit = "week" }
   local i = 1
   while i <= #argv do
      local a = argv[i]
      local opt, val = a:match("^%-%-([%w-]+)=(.*)$")
      if not opt and a:match("^%-%-[%w-]+$") then
         opt, val = a:sub(3), argv[i + 1]
         if val == nil then
            return fail("cli.option_needs_value", { option = a })
         end
         i = i + 1
      end
      if opt then
         opt = opt:gsub("-", "_")
         if opt == "customers" or opt == "seed" or opt == "cohort_days" then
            local n = math.tointeger(tonumber(val))
            if not n or n < 0 then
               return fail("gen.bad_number", { option = "--" .. opt, value = val })
            end
            o[opt] = n
         elseif opt == "out" or opt == "start" or opt == "end" or opt == "unit" or opt == "spend"
            or opt == "lang" then
            o[opt] = val
            if opt == "lang" then i18n.set_lang(val) end
         else
            return fail("gen.unknown_option", { option = a, hint = errors.hint("--" .. opt:gsub("_", "-"),
               OPTIONS) })
         end
      elseif not model then
         model = a
      else
         local k, v = a:match("^([%w_]+)=(.*)$")
         if not k or not tonumber(v) then
            return fail("gen.bad_param", { arg = a })
         end
         params[k] = tonumber(v)
      end
      i = i + 1
   end
   if not model or not o.out then
      return fail("gen.usage")
   end
   local okm, info = pcall(core.info, model)
   if not okm then
      return fail("gen.unknown_model", { model = model })
   end
   for _, pn in ipairs(info.params) do
      if params[pn] == nil then
         return fail("gen.missing_param", { model = info.name, param = pn,
            params = table.concat(info.params, ", ") })
      end
   end
   for k in pairs(params) do
      local known = false
      for _, pn in ipairs(info.params) do known = known or pn == k end
      if not known then
         return fail("gen.bad_param", { arg = k })
      end
   end
   local spend
   if o.spend then
      local p, q, g = o.spend:match("^([^,]+),([^,]+),([^,]+)$")
      if not (tonumber(p) and tonumber(q) and tonumber(g)) then
         return fail("gen.bad_spend", { value = o.spend })
      end
      spend = { tonumber(p), tonumber(q), tonumber(g) }
   else
      spend = { 6.25, 3.74, 15.44 } -- Gamma-Gamma on CDNOW (Fader & Hardie 2013)
   end
   local ok, err = pcall(function()
      params.model = model
      local tx = fit.simulate_transactions(params, o.customers, { seed = o.seed, start = o.start,
         cohort_days = o.cohort_days, ["end"] = o["end"], unit = o.unit, spend = spend })
      do
         local dir = o.out:match("^(.*)/[^/]*$")
         if dir and dir ~= "" then base.mkdir(dir) end
         base.write(o.out, tx)
         errors.warn("gen.wrote", { path = o.out, rows = #tx,
            customers = o.customers })
      end
   end)
   if not ok then
      engine.warn("cvkit: ", tostring(err))
      return engine.error_code(err)
   end
   return 0
end

return M
