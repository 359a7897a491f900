-- The glossary (docs/glossary.md) checked over the catalogue and the Chinese expected outputs:
-- one Chinese term per concept (no variant the glossary rejects), measure words that read
-- right, and full-width punctuation inside Chinese text (no ASCII , ; : ( ) ? ! between two
-- Chinese characters, code such as `{下限, 上限}` or `info(名称)` aside).
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, eq, ok = T.test, T.eq, T.ok

local top = os.getenv("TOP") or "."

-- Everything that adds to the catalogue: the Lua modules and the bundled models.
for _, name in ipairs((function()
   local names = {}
   for name in pairs(package.preload) do
      if name == "cv" or name:match("^cv%.") or name:match("^models%.") then
         names[#names + 1] = name
      end
   end
   table.sort(names)
   return names
end)()) do
   pcall(require, name)
end

-- The variants docs/glossary.md rejects, each with the term to use instead.
local REJECTED = {
   { "贴现", "折现" },                 -- discount (rate): 折现率
   { "留出期", "验证期" },             -- holdout period
   { "保持期", "验证期" },
   { "测试期", "验证期" },
   { "估计期", "校准期" },             -- calibration period
   { "训练期", "校准期" },
   { "发展期", "形成期" },             -- lifecycle stages: 考察期、形成期、稳定期、退化期
   { "衰退期", "退化期" },
   { "成熟期", "稳定期" },
   { "留存率", "保留率" },             -- retention rate
   { "维持率", "保留率" },
   { "客户生命周期价值", "客户终身价值" }, -- CLV
   { "顾客终身价值", "客户终身价值" },
   { "获客成本", "获取成本" },         -- acquisition cost
   { "期望消费", "预期消费" },         -- expected spend
   { "等值年成本", "等额年成本" },     -- equivalent annual cost (crm.eac)
   { "独立售价", "单独售价" },         -- stand-alone selling price (IFRS 15, loyalty points)
   { "净推荐指数", "净推荐值" },       -- NPS
   { "个周期限", "周的预测期" },       -- "52 个周期限": a count of weeks takes no 个
   { "个周的", "周的" },
   { "个年", "年" },
   { "个天", "天" },
}

-- The offences of a Chinese text: rejected variants and ASCII punctuation between Chinese
-- characters (spaces around it allowed), with code spans left out: {...}, name(...).
local HAN = "[\228-\233][\128-\191][\128-\191]"                 -- U+4E00..U+9FFF
local PUNCT = HAN .. " *[,;:%(%)%?!] *" .. HAN
local function offences(s)
   local out = {}
   for _, r in ipairs(REJECTED) do
      if s:find(r[1], 1, true) then
         out[#out + 1] = r[1] .. " (use " .. r[2] .. ")"
      end
   end
   local prose = s:gsub("%b{}", "{}"):gsub("[%w_%.:]+%b()", "f()")
   local bad = prose:match(PUNCT)
   if bad then
      out[#out + 1] = "ASCII punctuation in '" .. bad .. "'"
   end
   return out
end

test("the checks find what they look for (and pass clean text)", function()
   eq(offences("52 个周期限、年贴现率 10.0% 的 CLV"),
      { "贴现 (use 折现)", "个周期限 (use 周的预测期)" })
   eq(offences("39.00 个周的留出期"), { "留出期 (use 验证期)", "个周的 (use 周的)" })
   eq(offences("保留率: 一个数"), { "ASCII punctuation in '率: 一'" })
   eq(offences("保留率(年)"), { "ASCII punctuation in '率(年'" }) -- Chinese in ASCII ( )
   eq(offences("info(名称)"), {})                     -- a name(...) is code
   eq(offences("考察期,形成期"), { "ASCII punctuation in '期,形'" })
   eq(offences("{下限, 上限}：搜索范围；help(函数) 或 info(名称)"), {})
   eq(offences("每期折现率 = (1 + 年折现率)^t − 1，52 周、39 个月"), {})
end)

test("every Chinese text of the catalogue keeps to the glossary", function()
   local bad, n = {}, 0
   for _, e in ipairs(i18n.entries()) do
      if e.zh then
         n = n + 1
         for _, o in ipairs(offences(e.zh)) do bad[#bad + 1] = e.key .. ": " .. o end
      end
   end
   ok(n > 1000, "the catalogue is loaded (" .. n .. " Chinese texts)")
   eq(bad, {})
end)

test("the Chinese expected outputs of the examples keep to the glossary", function()
   local ls = io.popen("ls " .. top .. "/examples/*.zh.expected " .. top .. "/examples/*/*.zh.expected")
   local bad, n = {}, 0
   for path in ls:lines() do
      n = n + 1
      local lineno = 0
      for line in io.lines(path) do
         lineno = lineno + 1
         for _, o in ipairs(offences(line)) do
            bad[#bad + 1] = path:match("examples/.*$") .. ":" .. lineno .. ": " .. o
         end
      end
   end
   ls:close()
   ok(n >= 9, "the exercises and the demo have Chinese outputs (" .. n .. ")")
   eq(bad, {})
end)

test("the lifecycle stages are the textbook's four, in order", function()
   local stages = {}
   for i, k in ipairs { "exploration", "development", "stability", "decline" } do
      stages[i] = i18n.t("lifecycle.stage." .. k, nil, "zh")
   end
   eq(stages, { "考察期", "形成期", "稳定期", "退化期" })
end)

test("the glossary page lists every rejected variant and its term", function()
   local f = assert(io.open(top .. "/docs/glossary.md"))
   local page = f:read("a")
   f:close()
   for _, r in ipairs(REJECTED) do
      if not r[1]:find("个") then
         ok(page:find(r[1], 1, true) and page:find(r[2], 1, true), r[1] .. " / " .. r[2])
      end
   end
end)

T.report()
