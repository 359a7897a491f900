-- cv.i18n: the one catalogue of user-facing text in cvkit, English ("en") and simplified
-- Chinese ("zh"). Messages are keyed; {name} placeholders take values at lookup; a missing
-- translation falls back to English, a missing key shows the key itself.
--
--   local i18n = require "cv.i18n"
--   i18n.t("explain.missing", { input = "frequency" })            -- current language
--   i18n.t("formula.clv.simple", nil, "zh")                         -- a given language
--
-- Adding text: put a block for your module at the end of the catalogue below, one entry
-- per key, `key = { en = "...", zh = "..." }`. Keys are dotted, starting with the module
-- ("explain.", "summary.", "report."). Keep messages lowercase without a trailing period
-- where they are error messages (house style); the Chinese text may be left out at first:
-- i18n.untranslated("zh") lists what still needs it (tests/lua/test_explain.lua checks
-- that the formula texts have both).
-- cv.i18n is the lowest Lua module: it requires none of lua/cv (cv.errors requires it), and
-- no C module at load either (the program's messages load it alone: src/cli/cli_i18n.c).

local M = {}

-- The languages we ship, and the names people use for them.
M.languages = { "en", "zh" }
local aliases = {
   en = "en", english = "en", c = "en", posix = "en",
   zh = "zh", cn = "zh", chinese = "zh", ["zh-cn"] = "zh", ["zh-hans"] = "zh",
   ["zh-sg"] = "zh", ["zh_cn"] = "zh", ["zh_sg"] = "zh", ["zh_hans"] = "zh",
}

-- Normalizes a language name: "zh_CN.UTF-8" -> "zh", "en_US" -> "en", unknown -> nil.
function M.normalize(lang)
   if type(lang) ~= "string" or lang == "" then
      return nil
   end
   local l = lang:lower():gsub("%..*$", ""):gsub("@.*$", "")
   return aliases[l] or aliases[l:match("^[a-z]+")]
end

local current -- set by set_lang, else read from the engine once

-- The current language: set_lang's, else the engine's (--lang or CVKIT_LANG), else "en".
function M.lang()
   if current then
      return current
   end
   local ok, engine = pcall(require, "cv.core.engine") -- its lang: --lang, else CVKIT_LANG
   return M.normalize(ok and engine.lang) or "en"
end

-- Sets the current language ("en", "zh", or an alias); nil goes back to the default.
-- Raises for a language we do not have.
function M.set_lang(lang)
   if lang == nil then
      current = nil
      return
   end
   local l = M.normalize(lang)
   if not l then
      -- as errors.fail does (exit code 2, at the user's line); the C module only when needed
      require("cv.core.opts").fail(2, M.t("i18n.unknown_lang", { lang = tostring(lang) }))
   end
   current = l
end

-- lang_arg(argv, i) -> found, i, err: the language option of a command line (`cvkit help`,
-- `cvkit models`, `cvkit explain`) at argv[i]: `--lang LANG` or `--lang=LANG`. Not that
-- option: false, i. Else it sets the language and gives true and the index of its last
-- word; a missing or unknown language gives true, i and the message (in the current
-- language) for the command to warn with before exiting with status 2.
function M.lang_arg(argv, i)
   local a = argv[i]
   local lang = a:match("^%-%-lang=(.*)$")
   if a == "--lang" then
      lang, i = argv[i + 1], i + 1
      if lang == nil then
         return true, i, M.t("cli.option_needs_value", { option = "--lang" })
      end
   elseif not lang then
      return false, i
   end
   if not M.normalize(lang) then
      return true, i, M.t("i18n.unknown_lang", { lang = lang })
   end
   M.set_lang(lang)
   return true, i
end

local catalog = {}
local by_english -- English text -> entry (translate), built on first use
local core_patterns -- the core.* formats as patterns (message), built on first use

-- Adds entries { key = { en = ..., zh = ... }, ... } (later modules may call this too).
function M.add(entries)
   for key, texts in pairs(entries) do
      catalog[key] = texts
   end
   by_english, core_patterns = nil, nil
end

-- 1 when the key exists (in English at least).
function M.has(key)
   return catalog[key] ~= nil
end

-- A Chinese character in UTF-8 (U+4E00..U+9FFF and the blocks beside it: lead byte E4..E9).
local HAN = "[\228-\233][\128-\191][\128-\191]"

-- The message for key in lang (default: the current language) with {name} replaced by
-- tostring(vars[name]); placeholders without a value stay as they are. The half-width space
-- a template keeps beside a placeholder (for a number or a Latin name: "{metric} 的敏感性")
-- is dropped where the value put a Chinese character on its other side ("客户终身价值的").
function M.t(key, vars, lang)
   local texts = catalog[key]
   local s = texts and (texts[lang or M.lang()] or texts.en) or key
   if not vars then
      return s
   end
   local function fill(l, r)
      return (s:gsub("{([%w_]+)}", function(name)
         local v = vars[name]
         if v ~= nil then
            return l .. tostring(v) .. r
         end
      end))
   end
   local plain = fill("", "")
   if not plain:find(HAN) or plain:find("[\1\2]") then
      return plain
   end
   -- the values marked by \1 ... \2 (bytes no text holds, checked above)
   local m = fill("\1", "\2")
   m = m:gsub("(" .. HAN .. ") \1(" .. HAN .. ")", "%1\1%2")
   m = m:gsub("(" .. HAN .. ")\2 (" .. HAN .. ")", "%1\2%2")
   return (m:gsub("[\1\2]", ""))
end

-- span(n, unit [, lang]) -> text: a count of periods with its time unit, as a count of
-- that unit reads: span(52, "week") --> "52 weeks", span(1, "year") --> "1 year",
-- span("3", "year", "zh") --> "3 年" (docs/glossary.md). n: a number or the count already
-- formatted ("1,000"); unit: "day", "week", "month" or "year". Without a unit (nil: not
-- known) the count alone, never a guessed unit.
function M.span(n, unit, lang)
   local text = type(n) == "number" and string.format("%.10g", n) or tostring(n)
   if unit == nil then return text end
   local one = tonumber((text:gsub(",", ""))) == 1
   return M.t((one and "models.span_one." or "models.span.") .. unit, { n = text }, lang)
end

-- The printf conversions of a text, in order ("%s%d"); "%%" is not one.
local function conversions(s)
   local out = {}
   for c in s:gsub("%%%%", ""):gmatch("%%[-+#0]*%d*%.?[%d*]*[hlLqjzt]*[diouxXeEfgGcspn]") do
      out[#out + 1] = c == "%.0s" and "%s" or c -- "%.0s" takes a %s and shows none of it
   end
   return table.concat(out)
end
M.conversions = conversions

-- translate(text [, lang]) -> text: gettext-style, the translation of an English text
-- (the en of a catalogue entry; the program's C messages are looked up so) into lang
-- (default: the current language); the text itself when there is none, or when the
-- translation would not keep its printf conversions (%s, %d, ...) in the same order.
function M.translate(text, lang)
   if not by_english then
      by_english = {}
      for _, texts in pairs(catalog) do
         if texts.en then
            by_english[texts.en] = texts
         end
      end
   end
   local texts = by_english[text]
   local s = texts and texts[lang or M.lang()]
   if not s or conversions(s) ~= conversions(text) then
      return text
   end
   return s
end

-- ---- The core's messages (cv_error texts of src/core), in the user's language ----------
-- A "core.*" entry's en is the C format exactly as the core writes it ("%s must be between
-- 0 and 1, got %g"); its zh keeps the same conversions in the same order. message(text)
-- matches the text against those formats (the most specific first), translates each %s
-- value the same way (a core message wrapping another: "row %lld: %s"), and fills the
-- values into the translation. A location prefix ("tx.csv:14:3: ") is kept. The core
-- itself stays in English and knows nothing of this (the bindings call it: lbind_error).
local CONV = "%%[-+#0]*%d*%.?[%d*]*[hlLqjzt]*[diouxXeEfgGcspn]"

-- core_patterns = {{pattern =, zh =, strings = {true where a conversion is %s}}, ...},
-- the most literal text first.
local function build_core_patterns()
   core_patterns = {}
   for key, texts in pairs(catalog) do
      if key:sub(1, 5) == "core." and texts.en and texts.zh
         and conversions(texts.zh) == conversions(texts.en) then
         local strings, literal = {}, 0
         local pat = texts.en:gsub("%%%%", "\1"):gsub(CONV, function(c)
            local k = c:sub(-1)
            strings[#strings + 1] = k == "s"
            -- a %c is one byte (thousands = ","), a %x or %02x hexadecimal digits (0xff)
            return k == "s" and "\2" or k:match("[eEfgG]") and "\3" or k == "c" and "\5"
               or k:match("[xX]") and "\6" or "\4"
         end)
         literal = #pat:gsub("[\2-\6]", "")
         pat = pat:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"):gsub("\1", "%%%%")
            :gsub("\2", "(.-)"):gsub("\3", "([-+%%w.]+)"):gsub("\4", "(-?%%d+)")
            :gsub("\5", "(.)"):gsub("\6", "(%%x+)")
         core_patterns[#core_patterns + 1] = { pattern = "^" .. pat .. "$", zh = texts.zh,
            strings = strings, literal = literal, key = key, whole = texts.whole }
      end
   end
   table.sort(core_patterns, function(a, b)
      if a.literal ~= b.literal then return a.literal > b.literal end
      return a.key < b.key
   end)
end

local function core_message(text, lang, depth)
   if depth > 4 then
      return text
   end
   for _, p in ipairs(core_patterns) do
      -- a whole-text entry (a table's "true") is never a value inside another message
      local caps = (depth == 0 or not p.whole) and table.pack(text:match(p.pattern)) or {}
      if caps[1] ~= nil then
         local k = 0
         local s = p.zh:gsub("%%%%", "\1"):gsub(CONV, function(c)
            k = k + 1
            if c == "%.0s" then return "" end -- an English plural's "s", not said in Chinese
            local v = caps[k] or ""
            if p.strings[k] then v = core_message(v, lang, depth + 1) end
            return (v:gsub("%%", "\3"))
         end)
         return (s:gsub("\1", "%%"):gsub("\3", "%%"))
      end
   end
   return text
end

-- message(text [, lang]) -> text: a core message in lang (default: the current language);
-- the text itself when no core.* entry matches it.
function M.message(text, lang)
   lang = lang or M.lang()
   if lang == "en" or type(text) ~= "string" then
      return text
   end
   if not core_patterns then
      build_core_patterns()
   end
   local where, rest = text:match("^([^%s:]+:%d+:%d*:? )(.*)$") -- file:line:col:
   if not where then
      where, rest = text:match("^([^%s:]+%.%a+: )(.*)$")           -- file.ext:
   end
   if where then
      local t = core_message(rest, lang, 0)
      if t ~= rest then
         return where .. t
      end
   end
   local t = core_message(text, lang, 0)
   if t == text then -- "folder: ..." (a path without an extension, written by cv_error_at)
      where, rest = text:match("^([^%s:]+: )(.*)$")
      if where then
         local r = core_message(rest, lang, 0)
         if r ~= rest then return where .. r end
      end
   end
   return t
end

-- entries() -> {{key =, en =, zh =}, ...} sorted by key: the whole catalogue (what is
-- loaded so far), for checks over it (tests/lua/test_glossary.lua).
function M.entries()
   local out = {}
   for key, texts in pairs(catalog) do
      out[#out + 1] = { key = key, en = texts.en, zh = texts.zh }
   end
   table.sort(out, function(a, b) return a.key < b.key end)
   return out
end

-- The keys that have no text in lang, sorted (prefix: only keys starting with it).
function M.untranslated(lang, prefix)
   local out = {}
   for key, texts in pairs(catalog) do
      if not texts[lang] and (not prefix or key:sub(1, #prefix) == prefix) then
         out[#out + 1] = key
      end
   end
   table.sort(out)
   return out
end

-- ---- The catalogue ------------------------------------------------------------------------

M.add {
   ["i18n.unknown_lang"] = {
      en = "unknown language '{lang}' (languages: en, zh)",
      zh = "未知语言 '{lang}'（可用语言：en、zh）",
   },
}

-- Textbook formulas (src/core/formulas.c, lua/cv/formula.lua, lua/cv/explain.lua):
-- formula.<name> is the one-line description, input.<name> the words for an input,
-- label.<key> the name of a computed value, domain.<kind> what an input expects.
M.add {
   ["formula.clv.simple"] = {
      en = "simple customer lifetime value",
      zh = "简单客户终身价值",
   },
   ["formula.clv.retention"] = {
      en = "retention-based CLV, infinite horizon, margin at each period end (first not counted)",
      zh = "基于保留率的客户终身价值，无限期，每期期末获得毛利（不计首期毛利）",
   },
   ["formula.clv.retention_now"] = {
      en = "retention-based CLV, infinite horizon, first margin counted now",
      zh = "基于保留率的客户终身价值，无限期，首期毛利当期计入",
   },
   ["formula.clv.retention_finite"] = {
      en = "retention-based CLV over a finite number of periods, margins at period ends",
      zh = "有限期的基于保留率的客户终身价值，每期期末获得毛利",
   },
   ["formula.clv.retention_finite_now"] = {
      en = "retention-based CLV over a finite number of periods, first margin counted now",
      zh = "有限期的基于保留率的客户终身价值，首期毛利当期计入",
   },
   ["formula.cost.retention_per_customer"] = {
      en = "retention cost per retained customer",
      zh = "每位保留客户的保留成本",
   },
   ["formula.cost.cac"] = {
      en = "customer acquisition cost (CAC) per new paying customer",
      zh = "每位新增付费客户的客户获取成本（CAC）",
   },
   ["formula.profit.customer"] = {
      en = "customer profitability over the lifetime",
      zh = "客户生命周期盈利能力",
   },
   ["formula.profit.crm_gross"] = {
      en = "customer value as CRM gross profit",
      zh = "客户价值（CRM 毛利）",
   },
   ["formula.profit.lifecycle_npv"] = {
      en = "customer lifecycle profit as the NPV of profits at period ends",
      zh = "客户生命周期利润（各期期末利润的净现值）",
   },
   ["formula.profit.lifecycle_npv_start"] = {
      en = "customer lifecycle profit as the NPV of profits at period starts (first undiscounted)",
      zh = "客户生命周期利润（各期期初利润的净现值，首期不折现）",
   },
   ["formula.value.delivered"] = {
      en = "customer delivered value (Kotler)",
      zh = "顾客让渡价值（科特勒）",
   },
   ["formula.cost.switching"] = {
      en = "switching cost of three kinds: time and effort, economic, emotional",
      zh = "转换成本（时间和精力、经济、情感三类）",
   },
   ["formula.retention.effect"] = {
      en = "effect of a retention change on retention-based CLV",
      zh = "保留率变化对基于保留率的客户终身价值的影响",
   },

   ["input.avg_purchase"] = { en = "average purchase", zh = "平均购买额" },
   ["input.frequency"] = { en = "purchase frequency", zh = "购买频率" },
   ["input.lifetime"] = { en = "customer lifetime", zh = "客户生命周期" },
   ["input.margin"] = { en = "margin", zh = "每期毛利" },
   ["input.retention"] = { en = "retention rate", zh = "保留率" },
   ["input.new_retention"] = { en = "new retention rate", zh = "新保留率" },
   ["input.discount"] = { en = "annual discount rate", zh = "年折现率" },
   ["input.period"] = {
      en = "the period of the margins, retention and profits", zh = "毛利、保留率与利润的计算期",
   },
   ["input.periods"] = { en = "periods", zh = "期数" },
   ["input.retention_spend"] = { en = "retention spend", zh = "保留总支出" },
   ["input.customers_retained"] = { en = "customers retained", zh = "保留的客户数" },
   ["input.acquisition_spend"] = { en = "acquisition spend", zh = "获取总支出" },
   ["input.new_customers"] = { en = "new paying customers", zh = "新增付费客户数" },
   ["input.lifetime_revenue"] = { en = "lifetime revenue", zh = "生命周期收入" },
   ["input.acquisition_cost"] = { en = "acquisition cost", zh = "获取成本" },
   ["input.retention_cost"] = { en = "retention cost", zh = "保留成本" },
   ["input.purchases"] = { en = "purchases", zh = "购买额" },
   ["input.product_cost"] = { en = "product cost", zh = "产品成本" },
   ["input.marketing_cost"] = { en = "relationship-marketing cost", zh = "关系营销成本" },
   ["input.profits"] = { en = "profit", zh = "利润" },
   ["input.product_value"] = { en = "product value", zh = "产品价值" },
   ["input.service_value"] = { en = "service value", zh = "服务价值" },
   ["input.personnel_value"] = { en = "personnel value", zh = "人员价值" },
   ["input.image_value"] = { en = "image value", zh = "形象价值" },
   ["input.monetary_cost"] = { en = "monetary cost", zh = "货币成本" },
   ["input.time_cost"] = { en = "time cost", zh = "时间成本" },
   ["input.energy_cost"] = { en = "energy cost", zh = "体力成本" },
   ["input.psychic_cost"] = { en = "psychic cost", zh = "精神成本" },
   ["input.search_cost"] = { en = "search cost", zh = "搜寻成本" },
   ["input.learning_cost"] = { en = "learning cost", zh = "学习成本" },
   ["input.setup_cost"] = { en = "setup cost", zh = "设置成本" },
   ["input.exit_fees"] = { en = "exit fees", zh = "退出费用" },
   ["input.lost_benefits"] = { en = "lost benefits", zh = "损失的优惠" },
   ["input.new_purchase_cost"] = { en = "new purchase cost", zh = "新购置成本" },
   ["input.relationship_loss"] = { en = "relationship loss", zh = "人际关系损失" },
   ["input.brand_loss"] = { en = "brand relationship loss", zh = "品牌关系损失" },
   ["input.uncertainty_cost"] = { en = "uncertainty cost", zh = "不确定性成本" },

   ["label.clv"] = { en = "CLV", zh = "客户终身价值" },
   ["label.retention_cost_per_customer"] = {
      en = "retention cost per customer", zh = "每位客户保留成本",
   },
   ["label.cac"] = { en = "CAC", zh = "客户获取成本" },
   ["label.customer_profit"] = { en = "customer profit", zh = "客户利润" },
   ["label.crm_gross_profit"] = { en = "CRM gross profit", zh = "CRM 毛利" },
   ["label.period_rate"] = { en = "discount rate per period", zh = "每期折现率" },
   ["label.period_years"] = { en = "(the period in years)", zh = "（以年计的期长）" },
   ["label.lifecycle_profit"] = { en = "lifecycle profit", zh = "生命周期利润" },
   ["label.total_value"] = { en = "total customer value", zh = "顾客总价值" },
   ["label.total_cost"] = { en = "total customer cost", zh = "顾客总成本" },
   ["label.delivered_value"] = { en = "delivered value", zh = "顾客让渡价值" },
   ["label.time_effort_cost"] = { en = "time and effort cost", zh = "时间和精力成本" },
   ["label.economic_cost"] = { en = "economic cost", zh = "经济成本" },
   ["label.emotional_cost"] = { en = "emotional cost", zh = "情感成本" },
   ["label.switching_cost"] = { en = "switching cost", zh = "转换成本" },
   ["label.clv_before"] = { en = "CLV before", zh = "变化前客户终身价值" },
   ["label.clv_after"] = { en = "CLV after", zh = "变化后客户终身价值" },
   ["label.clv_change"] = { en = "change in CLV", zh = "客户终身价值变化" },

   ["domain.any"] = { en = "a number", zh = "一个数" },
   ["domain.nonneg"] = { en = "a number >= 0", zh = "一个 >= 0 的数" },
   ["domain.positive"] = { en = "a number > 0", zh = "一个 > 0 的数" },
   ["domain.unit"] = { en = "a number between 0 and 1", zh = "一个 0 到 1 之间的数" },
   ["domain.rate"] = { en = "a rate > -1, such as 0.1", zh = "一个 > -1 的比率，例如 0.1" },
   ["domain.count"] = { en = "a whole number >= 1", zh = "一个 >= 1 的整数" },
   ["domain.period"] = {
      en = "a time unit: day, week, month or year", zh = "时间单位：day、week、month 或 year",
   },
   ["domain.list"] = {
      en = "numbers separated by commas, such as 100,100,100",
      zh = "用逗号分隔的数，例如 100,100,100",
   },
}

-- explain (lua/cv/explain.lua, `cvkit explain`)
M.add {
   ["explain.title"] = { en = "{name}: {description}", zh = "{name}：{description}" },
   ["explain.conclusion.retention.effect"] = {
      en = "moving retention from {retention} to {new_retention} changes customer value by {clv_change}",
      zh = "保留率从 {retention} 变为 {new_retention}，客户价值变化 {clv_change}",
   },
   -- the horizon with its unit ({periods}: "52 weeks", "52 周"; i18n.span)
   ["explain.conclusion.clv.retention_finite"] = {
      en = "a customer retained at {retention} a {period} is worth {clv} over {periods}",
      zh = "每{period}保留率为 {retention} 的客户在 {periods}内的价值为 {clv}",
   },
   ["explain.conclusion.clv.retention_finite_now"] = {
      en = "a customer retained at {retention} a {period} is worth {clv} over {periods}",
      zh = "每{period}保留率为 {retention} 的客户在 {periods}内的价值为 {clv}",
   },
   ["explain.conclusion.crm.eac"] = {
      en = "a present cost of {present_cost} spread over {years} is {eac} a year",
      zh = "成本现值 {present_cost} 在 {years}内均摊，每年 {eac}",
   },
   ["explain.list_header"] = { en = "formulas:", zh = "公式：" },
   ["explain.list_footer"] = {
      en = "use: cvkit explain NAME key=value ... (cvkit explain NAME shows its inputs)",
      zh = "用法：cvkit explain 名称 键=值 ...（cvkit explain 名称 显示所需输入）",
   },
   ["explain.inputs_header"] = { en = "inputs:", zh = "输入：" },
   ["explain.optional"] = { en = "optional, default {default}", zh = "可选，默认 {default}" },
   ["explain.usage"] = {
      en = "usage: cvkit explain [--lang en|zh] NAME key=value ... | cvkit explain --list",
      zh = "用法：cvkit explain [--lang en|zh] 名称 键=值 ... | cvkit explain --list",
   },
   ["explain.unknown_formula"] = {
      en = "unknown formula '{name}' (cvkit explain --list shows them)",
      zh = "未知公式 '{name}'（cvkit explain --list 列出所有公式）",
   },
   ["explain.missing"] = {
      en = "{formula}: missing input '{input}' ({words}: {expects})",
      zh = "{formula}：缺少输入 '{input}'（{words}：{expects}）",
   },
   ["explain.not_number"] = {
      en = "{formula}: input '{input}' expects {expects}, got '{value}'",
      zh = "{formula}：输入 '{input}' 应为{expects}，实际为 '{value}'",
   },
   ["explain.unknown_input"] = {
      en = "{formula}: unknown input '{input}' (inputs: {inputs})",
      zh = "{formula}：未知输入 '{input}'（可用输入：{inputs}）",
   },
   ["explain.bad_arg"] = {
      en = "bad argument '{arg}' (expected key=value)",
      zh = "参数 '{arg}' 有误（应为 键=值）",
   },
   ["explain.duplicate"] = {
      en = "{formula}: input '{input}' given twice",
      zh = "{formula}：输入 '{input}' 重复给出",
   },
}

-- models (models/*.lua, `cvkit models`)
M.add {
   ["models.header"] = { en = "models:", zh = "模型：" },
   ["models.footer"] = {
      en = "run one: cvkit run NAME --data FILE [--set name=value ...]",
      zh = "运行：cvkit run 名称 --data 文件 [--set 名称=值 ...]",
   },
   ["models.footer_list"] = {
      en = "run one: cvkit run NAME --data FILE [--set name=value ...]; "
         .. "its parameters: cvkit models NAME",
      zh = "运行：cvkit run 名称 --data 文件 [--set 名称=值 ...]；其参数：cvkit models 名称",
   },
   ["models.file"] = { en = "file: {path}", zh = "文件：{path}" },
   ["models.no_file"] = {
      en = "file: none in {places} (built into cvkit; `make install` puts the files there)",
      zh = "文件：{places} 中没有（已内置于 cvkit；`make install` 会安装这些文件）",
   },
   ["models.params"] = { en = "parameters:", zh = "参数：" },
   ["models.required"] = { en = "required", zh = "必需" },
   ["models.default"] = { en = "default {value}", zh = "默认 {value}" },
   ["models.missing_param"] = {
      en = "{model}: missing parameter '{param}' ({what}); give it with --set {param}=...",
      zh = "{model}：缺少参数 '{param}'（{what}）；用 --set {param}=... 给出",
   },
   ["models.bad_param"] = {
      en = "{model}: parameter '{param}' expects a number, got '{value}'",
      zh = "{model}：参数 '{param}' 应为数字，实际为 '{value}'",
   },
   ["models.bad_read_param"] = {
      en = "{model}: reading option '{param}' expects {what}, got '{value}'",
      zh = "{model}：读取选项 '{param}' 应为 {what}，实际为 '{value}'",
   },
   ["models.unknown_param"] = {
      en = "{model}: unknown parameter '{param}'{hint}",
      zh = "{model}：未知参数 '{param}'{hint}",
   },
   ["models.wrote"] = { en = "wrote {path} ({rows} customers)", zh = "已写入 {path}（{rows} 位客户）" },
   -- the summary lines the models print (ctx.say)
   ["models.say.lifetime"] = {
      en = "customers: {customers}   lifetime: {lifetime}",
      zh = "客户数：{customers}   生命周期：{lifetime}",
   },
   ["models.say.clv"] = {
      en = "clv: mean {mean}, total {total}",
      zh = "客户终身价值：平均 {mean}，合计 {total}",
   },
   ["models.say.retention"] = {
      en = "customers: {customers}   retention: {retention}   discount: {discount}",
      zh = "客户数：{customers}   保留率：{retention}   折现率：{discount}",
   },
   ["models.say.cac"] = {
      en = "customers: {customers}   CAC: {cac}",
      zh = "客户数：{customers}   客户获取成本：{cac}",
   },
   ["models.say.profit"] = {
      en = "customer profit: total {profit}; CRM gross profit: total {gross}",
      zh = "客户利润合计 {profit}；CRM 毛利合计 {gross}",
   },
   ["models.say.losing"] = {
      en = "customers with a negative CRM gross profit: {n} ({percent}%)",
      zh = "CRM 毛利为负的客户：{n}（{percent}%）",
   },
   ["models.say.periods"] = {
      en = "customers: {customers}   periods: {periods} (period: {period})   timing: {timing}",
      zh = "客户数：{customers}   期数：{periods}（每期：{period}）   时点：{timing}",
   },
   ["models.say.npv"] = {
      en = "profit: total {profit} undiscounted, {npv} as NPV at {discount} a year",
      zh = "利润合计 {profit}（未折现），按年折现率 {discount} 计算的净现值 {npv}",
   },
   ["models.say.delivered"] = {
      en = "customers: {customers}   delivered value: mean {mean}",
      zh = "客户数：{customers}   顾客让渡价值：平均 {mean}",
   },
   ["models.say.negative"] = {
      en = "customers with a negative delivered value (likely to leave): {n}",
      zh = "顾客让渡价值为负（可能流失）的客户：{n}",
   },
}

-- The bundled models (models/*.lua): model.<name> describes one, model.<name>.<param>
-- one of its parameters, model.param.<param> a parameter several models share. The
-- English text lives in the model file itself (its describe and params); only the
-- translations need to be here (an English entry overrides the file's).
M.add {
   ["model.param.data"] = { en = "transactions file (CSV; one row per purchase)",
      zh = "交易文件（CSV，每行一次购买）" },
   ["model.param.customer"] = { en = "column of customer ids", zh = "客户编号所在列" },
   ["model.param.date"] = { en = "column of purchase dates", zh = "购买日期所在列" },
   ["model.param.amount"] = { en = "column of purchase amounts", zh = "购买金额所在列" },
   ["model.param.names"] = {
      en = "column names for a file without a header, comma separated",
      zh = "无表头文件的列名，用逗号分隔",
   },
   ["model.param.out"] = {
      en = "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)",
      zh = "输出文件（按扩展名写成 CSV、TSV、JSON、Markdown、XLSX 或 HTML 报告）",
   },
   ["model.param.min_years"] = {
      en = "shortest observation time per customer, in years (guards new customers)",
      zh = "每位客户的最短观察时间（年），避免新客户的频率虚高",
   },
   ["model.param.margin_rate"] = { en = "margin as a share of revenue", zh = "毛利占收入的比例" },
   ["model.clv_simple"] = {
      en = "simple CLV per customer: average purchase × purchases per year × lifetime",
      zh = "每位客户的简单客户终身价值：平均购买额 × 每年购买次数 × 生命周期",
   },
   ["model.clv_simple.lifetime"] = { en = "expected customer lifetime in years",
      zh = "预期客户生命周期（年）" },
   ["model.clv_retention"] = {
      en = "retention-based CLV per customer: m × r ÷ (1 + d − r)",
      zh = "每位客户基于保留率的客户终身价值：m × r ÷ (1 + d − r)",
   },
   ["model.clv_retention.retention"] = {
      en = "yearly retention rate (default: measured period to period in the data)",
      zh = "年保留率（默认：按数据中相邻两期计算）",
   },
   ["model.clv_retention.uplift"] = {
      en = "retention points to test, as a fraction (0.05 = 5 points)",
      zh = "要测试的保留率提升（0.05 即 5 个百分点）",
   },
   ["model.customer_profitability"] = {
      en = "profit per customer after acquisition and retention costs",
      zh = "扣除获取成本和保留成本后的每位客户利润",
   },
   ["model.customer_profitability.acquisition_spend"] = {
      en = "total acquisition spend (0: use cac)", zh = "获取总支出（0：使用 cac）" },
   ["model.customer_profitability.cac"] = {
      en = "acquisition cost per customer, when no spend is given",
      zh = "未给出总支出时的每位客户获取成本",
   },
   ["model.customer_profitability.retention_per_year"] = {
      en = "retention spend per customer per year", zh = "每位客户每年的保留支出" },
   ["model.customer_profitability.margin_rate"] = {
      en = "margin as a share of revenue (for the CRM gross profit)",
      zh = "毛利占收入的比例（用于 CRM 毛利）",
   },
   ["model.lifecycle_profit"] = {
      en = "NPV of each customer's observed profit per period",
      zh = "每位客户各期已观察利润的净现值",
   },
   ["model.lifecycle_profit.period"] = {
      en = "the period of the profits: day, week, month or year",
      zh = "利润的计算期：day、week、month 或 year",
   },
   ["model.lifecycle_profit.timing"] = {
      en = "when a period's profit arrives: end or start", zh = "每期利润到账时间：end（期末）或 start（期初）" },
   ["model.delivered_value"] = {
      en = "customer delivered value from perceived values and costs",
      zh = "由感知价值与成本计算顾客让渡价值",
   },
   ["model.delivered_value.data"] = {
      en = "one row per customer with the eight value and cost columns (CSV)",
      zh = "每行一位客户、含八个价值与成本列的文件（CSV）",
   },
}

-- the prompt and the help (lua/cv/repl.lua, lua/cv/help.lua, `cvkit repl`, `cvkit help`)
M.add {
   ["repl.banner"] = {
      en = "cvkit {version} ({lua}): help() for help, quit() or Ctrl-D to leave",
      zh = "cvkit {version}（{lua}）：help() 查看帮助，quit() 或 Ctrl-D 退出",
   },
   ["repl.loaded"] = { en = "{name}: {rows} rows × {cols} columns from {path}",
      zh = "{name}：{rows} 行 × {cols} 列，来自 {path}" },
   ["repl.table_shape"] = { en = "cv.Table ({rows} rows × {cols} columns)",
      zh = "cv.Table（{rows} 行 × {cols} 列）" },
   ["repl.more_rows"] = { en = "… {n} more rows", zh = "… 另有 {n} 行" },
   ["repl.bad_name"] = {
      en = "bad dataset '{spec}' (expected name=file.csv with a lua name)",
      zh = "数据集参数 '{spec}' 有误（应为 名称=文件.csv，名称须为合法的 Lua 名称）",
   },
   ["help.params_heading"] = { en = "parameters:", zh = "参数：" },
   ["help.options_heading"] = { en = "options:", zh = "选项：" },
   ["help.options_of"] = { en = "options of {fn}:", zh = "{fn} 的选项：" },
   ["help.assume_heading"] = { en = "assumptions:", zh = "假设：" },
   ["help.ref_heading"] = { en = "reference:", zh = "参考文献：" },
   ["help.example_heading"] = { en = "example:", zh = "示例：" },
   ["help.see_heading"] = { en = "see also:", zh = "另见：" },
   ["help.index"] = {
      en = "help(f) or help \"topic\" shows one topic (cvkit help TOPIC on the command line); topics:",
      zh = "help(函数) 或 help \"主题\" 显示一个主题（命令行：cvkit help 主题）；主题：",
   },
   ["help.group_cv"] = { en = "functions and formulas:", zh = "函数与公式：" },
   ["help.group_table"] = { en = "tables and columns:", zh = "表与列：" },
   ["help.group_models"] = { en = "models and the prompt:", zh = "模型与提示符：" },
   ["help.unknown"] = {
      en = "no help on '{topic}' (help() lists the topics)",
      zh = "没有关于 '{topic}' 的帮助（help() 列出所有主题）",
   },
   ["help.unknown_cli"] = {
      en = "no command or topic '{topic}' (see 'cvkit help topics')",
      zh = "没有名为 '{topic}' 的命令或主题（见 'cvkit help topics'）",
   },
   -- The program's own messages (src/cli/*.c), looked up by their English (cli_tr,
   -- gettext-style): en must be exactly the C text, printf conversions kept in order.
   ["cli.usage.head"] = {
      en = "NAME\n    cvkit - customer-value modeling: tables, CSV and models in embedded Lua\n\n"
         .. "SYNOPSIS\n",
      zh = "名称\n    cvkit - 客户价值建模：表、CSV 与嵌入式 Lua 中的模型\n\n概要\n",
   },
   ["cli.usage.commands"] = { en = "    cvkit --version\n\nCOMMANDS\n",
      zh = "    cvkit --version\n\n命令\n" },
   ["cli.usage.options"] = { en = "\nOPTIONS\n", zh = "\n选项\n" },
   ["cli.usage.env"] = {
      en = "  cvkit:\n"
         .. "    --version          print the version and exit\n"
         .. "    --help, -h         print this text and exit\n\n"
         .. "ENVIRONMENT\n"
         .. "    CVKIT_LUA_PATH     a source folder holding lua/cv/ (and models/): require \"cv.x\"\n"
         .. "                       reads lua/cv/x.lua from it instead of the copy built into\n"
         .. "                       cvkit (for developing the Lua modules without rebuilding)\n"
         .. "    CVKIT_LANG         the default of --lang: en or zh (else the locale: LC_ALL,\n"
         .. "                       LC_MESSAGES or LANG starting with zh gives zh)\n"
         .. "    CVKIT_HISTORY      the REPL's history file (default ~/.cvkit_history)\n\n"
         .. "FILES\n"
         .. "    PREFIX/share/cvkit/models/    the bundled models run by name (PREFIX: the\n"
         .. "                                  folder above the one holding cvkit)\n"
         .. "    PREFIX/share/cvkit/examples/  example data; PREFIX/share/doc/cvkit: the docs\n\n",
      zh = "  cvkit:\n"
         .. "    --version          显示版本并退出\n"
         .. "    --help, -h         显示本说明并退出\n\n"
         .. "环境变量\n"
         .. "    CVKIT_LUA_PATH     含 lua/cv/（及 models/）的源码目录：require \"cv.x\" 从该目录\n"
         .. "                       读取 lua/cv/x.lua，而非 cvkit 内置的副本（开发 Lua 模块时\n"
         .. "                       无需重新编译）\n"
         .. "    CVKIT_LANG         --lang 的默认值：en 或 zh（未设置时按区域设置：LC_ALL、\n"
         .. "                       LC_MESSAGES 或 LANG 以 zh 开头即为 zh）\n"
         .. "    CVKIT_HISTORY      REPL 的历史记录文件（默认 ~/.cvkit_history）\n\n"
         .. "文件\n"
         .. "    PREFIX/share/cvkit/models/    按名称运行的内置模型（PREFIX：cvkit 所在\n"
         .. "                                  文件夹的上一级）\n"
         .. "    PREFIX/share/cvkit/examples/  示例数据；PREFIX/share/doc/cvkit：文档\n\n",
   },
   ["cli.usage.exit_status"] = {
      en = "EXIT STATUS\n"
         .. "    0   success\n"
         .. "    2   usage: a bad command line, or a bad argument to a function\n"
         .. "    3   input/output: a missing file, a folder given, a read or write failure\n"
         .. "    4   parse: malformed input (a ragged row, a bad quote, a bad value or encoding)\n"
         .. "    5   type: a column of the wrong type, or a value that does not fit one\n"
         .. "    6   out of memory\n"
         .. "    7   domain: numbers outside a formula's domain\n"
         .. "    8   script: a Lua script failed (message and traceback on stderr)\n"
         .. "    9   limit: a time or memory limit was exceeded\n"
         .. "    An error raised in a script by cvkit itself keeps its own code: cv.read_csv of a\n"
         .. "    missing file exits with 3, of a malformed file with 4; errors caught with pcall\n"
         .. "    or cv.try do not end the script.\n\n",
      zh = "退出状态\n"
         .. "    0   成功\n"
         .. "    2   用法：命令行有误，或函数参数有误\n"
         .. "    3   输入/输出：文件不存在、给出的是文件夹、读写失败\n"
         .. "    4   解析：输入格式错误（行长度不一、引号错误、值或编码错误）\n"
         .. "    5   类型：列的类型不对，或值不符合类型\n"
         .. "    6   内存不足\n"
         .. "    7   定义域：数值超出公式的定义域\n"
         .. "    8   脚本：Lua 脚本失败（错误信息和调用栈在标准错误输出）\n"
         .. "    9   限制：超出时间或内存限制\n"
         .. "    脚本中由 cvkit 自身引发的错误保留其退出码：cv.read_csv 读取不存在的文件退出码为 3，\n"
         .. "    格式错误的文件为 4；用 pcall 或 cv.try 捕获的错误不会终止脚本。\n\n",
   },
   ["cli.usage.examples"] = {
      en = "EXAMPLES\n"
         .. "    cvkit run examples/demo.lua\n"
         .. "    cvkit run clv_bgnbd --data tx.csv --set horizon=26\n"
         .. "    cvkit run --set discount=0.1 --set unit=week model.lua data/tx.csv\n"
         .. "    cvkit repl tx=examples/data/transactions.csv\n"
         .. "    cvkit help clv.simple\n"
         .. "    CVKIT_LUA_PATH=. cvkit run tests/lua/test_table.lua\n",
      zh = "示例\n"
         .. "    cvkit run examples/demo.lua\n"
         .. "    cvkit run clv_bgnbd --data tx.csv --set horizon=26\n"
         .. "    cvkit run --set discount=0.1 --set unit=week model.lua data/tx.csv\n"
         .. "    cvkit repl tx=examples/data/transactions.csv\n"
         .. "    cvkit help clv.simple\n"
         .. "    CVKIT_LUA_PATH=. cvkit run tests/lua/test_table.lua\n",
   },
   ["cli.usage.usage"] = { en = "usage: cvkit %s\n", zh = "用法：cvkit %s\n" },
   ["cli.usage.options_heading"] = { en = "options:\n", zh = "选项：\n" },
   ["cli.cmd.clv"] = {
      en = "customer lifetime value in one command: models fitted and compared, every customer's value, a report with diagnostics",
      zh = "一条命令得出客户终身价值：拟合并比较模型，计算每位客户的价值，写出含模型诊断的报告",
   },
   ["cli.cmd.clv.options"] = {
      en = "    FILE               the transactions: one row per purchase (CSV; the reading options\n"
         .. "                       of cvkit run models, e.g. --delim space --header false)\n"
         .. "    --customer COL     the customer id column (default: the one column named like\n"
         .. "                       customer or id); --date COL and --amount COL likewise\n"
         .. "    --calibration-end DATE  last day of the calibration period (default: every\n"
         .. "                       transaction, no holdout check)\n"
         .. "    --observation-end DATE  last day of the holdout period (goes with\n"
         .. "                       --calibration-end: one without the other is an error)\n"
         .. "    --unit U           day, week (default), month or year\n"
         .. "    --horizon N        CLV horizon in units (default 52; 0: the whole lifetime)\n"
         .. "    --discount R       annual discount rate (default 0.15); --margin M share of spend (1)\n"
         .. "    --out DIR          writes DIR/customers.csv, customers.xlsx, report.html (default\n"
         .. "                       out/clv)\n"
         .. "    (and the options of run; the same job as cvkit run clv --data FILE ...)\n",
      zh = "    FILE               交易文件：每次购买一行（CSV；可用运行模型时的读取选项，\n"
         .. "                       如 --delim space --header false）\n"
         .. "    --customer COL     客户编号所在列（默认：名称像 customer 或 id 的唯一一列）；\n"
         .. "                       --date COL 与 --amount COL 同理\n"
         .. "    --calibration-end DATE  校准期结束日（默认：全部交易都用于校准，\n"
         .. "                       没有验证期检验）\n"
         .. "    --observation-end DATE  验证期结束日（与 --calibration-end 同时给出，\n"
         .. "                       只给其中一个即报错）\n"
         .. "    --unit U           day、week（默认）、month 或 year\n"
         .. "    --horizon N        CLV 的预测期，以 unit 计（默认 52；0 表示整个生命周期）\n"
         .. "    --discount R       年折现率（默认 0.15）；--margin M 毛利占消费额的比例（1）\n"
         .. "    --out DIR          写出 DIR/customers.csv、customers.xlsx、report.html（默认\n"
         .. "                       out/clv）\n"
         .. "    （以及 run 的选项；与 cvkit run clv --data FILE ... 相同）\n",
   },
   ["cli.cmd.run"] = {
      en = "run a Lua script with the cv module loaded, or a bundled model by name",
      zh = "运行已加载 cv 模块的 Lua 脚本，或按名称运行内置模型",
   },
   ["cli.cmd.run.options"] = {
      en = "    --set NAME=VALUE   set cv.params.NAME (numbers are converted); repeatable\n"
         .. "    --lang LANG        language of messages and reports (cv.lang; default $CVKIT_LANG\n"
         .. "                       or en)\n"
         .. "    --sandbox          run an untrusted script: no io, os only time/clock/date, no\n"
         .. "                       C modules or bytecode, writes only inside the output folder;\n"
         .. "                       limits default to 1G of memory and 600 s (docs/safety.md)\n"
         .. "    --out-dir DIR      the sandbox's output folder (default out, created if missing)\n"
         .. "    --allow-read DIR   the sandbox may also read DIR (besides the script's folder, the\n"
         .. "                       files its arguments name and the output folder); repeatable\n"
         .. "    --max-memory N     cap the heap at N bytes (suffix k, M or G): exit 9 past it\n"
         .. "    --timeout S        stop the script after S seconds of wall time: exit 9\n"
         .. "    --quiet            no progress line (shown on a terminal for steps past a second)\n"
         .. "    --                 end of options: the next argument is the script\n"
         .. "    MODEL              a name from 'cvkit models': ./models/MODEL.lua, else the\n"
         .. "                       installed PREFIX/share/cvkit/models/MODEL.lua, else (a\n"
         .. "                       build run from its source tree) TREE/models/MODEL.lua\n",
      zh = "    --set 名称=值      设置 cv.params.名称（数字自动转换）；可重复\n"
         .. "    --lang 语言        消息和报告的语言（cv.lang；默认 $CVKIT_LANG\n"
         .. "                       或 en）\n"
         .. "    --sandbox          运行不受信任的脚本：无 io，os 仅有 time/clock/date，无 C\n"
         .. "                       模块和字节码，只能写入输出文件夹；\n"
         .. "                       默认限制为 1G 内存和 600 秒（docs/safety.md）\n"
         .. "    --out-dir 目录     沙箱的输出文件夹（默认 out，不存在时创建）\n"
         .. "    --allow-read 目录  沙箱还可读取该目录（此外可读脚本所在文件夹、参数指定的\n"
         .. "                       文件和输出文件夹）；可重复\n"
         .. "    --max-memory N     堆内存上限 N 字节（后缀 k、M 或 G）：超出时退出码 9\n"
         .. "    --timeout S        脚本运行超过 S 秒（实际时间）后停止：退出码 9\n"
         .. "    --quiet            不显示进度行（在终端上，超过一秒的步骤会显示）\n"
         .. "    --                 选项结束：下一个参数为脚本\n"
         .. "    MODEL              'cvkit models' 列出的名称：./models/MODEL.lua，否则为\n"
         .. "                       已安装的 PREFIX/share/cvkit/models/MODEL.lua，再否则\n"
         .. "                       （在源码树中运行的未安装构建）为 TREE/models/MODEL.lua\n",
   },
   ["cli.cmd.explain"] = {
      en = "show a textbook formula step by step with the numbers substituted",
      zh = "逐步显示教科书公式并代入数字",
   },
   ["cli.cmd.explain.options"] = {
      en = "    --list             list the formulas with a one-line description\n"
         .. "    --lang LANG        en or zh (default $CVKIT_LANG or en)\n",
      zh = "    --list             列出所有公式及一行说明\n"
         .. "    --lang 语言        en 或 zh（默认 $CVKIT_LANG 或 en）\n",
   },
   ["cli.cmd.models"] = {
      en = "list the bundled models and the file each runs from; with NAME, its parameters",
      zh = "列出内置模型及各自运行的文件；给出 NAME 时列出其参数",
   },
   ["cli.cmd.repl"] = {
      en = "an interactive Lua prompt with cv loaded and each FILE read as the table NAME",
      zh = "交互式 Lua 提示符，已加载 cv，并将每个 FILE 读为名为 NAME 的表",
   },
   ["cli.cmd.repl.options"] = {
      en = "    --lang LANG        language of messages and help (en or zh)\n"
         .. "    --quiet            no progress line while a statement runs\n"
         .. "    NAME=FILE.csv      read FILE with cv.read_csv into the global NAME\n",
      zh = "    --lang 语言        消息和帮助的语言（en 或 zh）\n"
         .. "    --quiet            语句运行时不显示进度行\n"
         .. "    NAME=FILE.csv      用 cv.read_csv 将 FILE 读入全局变量 NAME\n",
   },
   ["cli.cmd.help"] = {
      en = "show this text, one command's usage, or help on a function, formula or model",
      zh = "显示本说明、单个命令的用法，或函数、公式、模型的帮助",
   },
   ["cli.cmd.scenarios"] = {
      en = "run a scenario file: the base and its variants side by side (docs/scenarios.md)",
      zh = "运行情景文件：基准情景与各变体并列对比（docs/scenarios.md）",
   },
   ["cli.cmd.scenarios.options"] = {
      en = "    --only NAME,...    run only these variants (and the base): cv.params.only; may\n"
         .. "                       also follow FILE\n"
         .. "    --out DIR          the folder for the file's tables and report: cv.params.out\n"
         .. "    (and the options of run)\n",
      zh = "    --only 名称,...    只运行这些变体（及基准）：cv.params.only；也可写在\n"
         .. "                       FILE 之后\n"
         .. "    --out 目录         该文件的表和报告的输出文件夹：cv.params.out\n"
         .. "    （以及 run 的选项）\n",
   },
   ["cli.unknown_command"] = {
      en = "unknown command '%s' (see 'cvkit help')",
      zh = "未知命令 '%s'（见 'cvkit help'）",
   },
   ["cli.unknown_option"] = {
      en = "unknown option '%s' (see 'cvkit help')",
      zh = "未知选项 '%s'（见 'cvkit help'）",
   },
   ["cli.unknown_option_run"] = {
      en = "unknown option '%s' (see 'cvkit help run')",
      zh = "未知选项 '%s'（见 'cvkit help run'）",
   },
   ["cli.threads_env"] = {
      en = "CVKIT_THREADS must be a whole number from 0 to %d, got '%s'",
      zh = "CVKIT_THREADS 必须是 0 到 %d 之间的整数，实际为 '%s'",
   },
   ["cli.needs_value"] = { en = "option '%s' needs a value", zh = "选项 '%s' 需要一个值" },
   ["cli.needs_sandbox"] = {
      en = "option '%s' needs --sandbox (outside it a script may read and write any file)",
      zh = "选项 '%s' 需与 --sandbox 同用（沙箱之外脚本可读写任意文件）" },
   ["cli.repl_sandbox"] = {
      en = "repl: --sandbox is for 'cvkit run' (the prompt runs your own code)",
      zh = "repl：--sandbox 只用于 'cvkit run'（提示符运行的是你自己的代码）",
   },
   ["cli.no_model"] = {
      en = "%s: cannot open script (no such file, nor a bundled model of that name in %s: "
         .. "see 'cvkit models')",
      zh = "%s：无法打开脚本（没有该文件，%s 中也没有同名的内置模型：见 'cvkit models'）",
   },
   ["cli.no_script"] = {
      en = "run: no script given (usage: cvkit %s)",
      zh = "run：未给出脚本（用法：cvkit %s）",
   },
   ["cli.clv_no_file"] = {
      en = "clv: no transactions file given (usage: cvkit %s)",
      zh = "clv：未给出交易文件（用法：cvkit %s）",
   },
   ["cli.bad_positive"] = {
      en = "bad value '%s' for %.*s (expected a positive number)",
      zh = "'%s' 不是 %.*s 的有效值（应为正数）",
   },
   ["cli.bad_timeout"] = {
      en = "bad value '%s' for --timeout (expected seconds)",
      zh = "'%s' 不是 --timeout 的有效值（应为秒数）",
   },
   ["cli.bad_max_memory"] = {
      en = "bad value '%s' for --max-memory (expected bytes, or N with k, M or G)",
      zh = "'%s' 不是 --max-memory 的有效值（应为字节数，或带 k、M、G 后缀的数）",
   },
   ["cli.out_of_memory"] = { en = "out of memory", zh = "内存不足" },
   ["cli.cannot_write"] = { en = "cannot write the output", zh = "无法写出输出" },
   ["cli.unknown_option_explain"] = {
      en = "unknown option '{option}' (see 'cvkit help explain')",
      zh = "未知选项 '{option}'（见 'cvkit help explain'）",
   },
   ["cli.unknown_option_models"] = {
      en = "unknown option '{option}' (see 'cvkit help models')",
      zh = "未知选项 '{option}'（见 'cvkit help models'）",
   },
   ["cli.option_needs_value"] = {
      en = "option '{option}' needs a value", zh = "选项 '{option}' 需要一个值",
   },
   ["cli.unknown_model"] = {
      en = "unknown model '{model}' (see 'cvkit models')",
      zh = "未知模型 '{model}'（见 'cvkit models'）",
   },
   ["models.bad_set"] = {
      en = "bad --set '{arg}' (expected name=value)", zh = "--set '{arg}' 有误（应为 名称=值）",
   },
   ["models.bad_out"] = {
      en = "--out '{path}': {why}", zh = "--out '{path}'：{why}",
   },
   ["models.out_formats"] = {
      en = "unknown output format (use .csv, .tsv, .json, .md, .xlsx or .html)",
      zh = "未知的输出格式（请用 .csv、.tsv、.json、.md、.xlsx 或 .html）",
   },
   ["models.report.result"] = { en = "Result", zh = "结果" },
   ["models.report.printed"] = { en = "Output of the run", zh = "运行输出" },
   ["models.report.data"] = { en = "{model} on {path}", zh = "{model}，数据：{path}" },
   ["models.unknown_arg"] = {
      en = "unknown argument '{arg}' (expected --data FILE, --out FILE or --set name=value)",
      zh = "未知参数 '{arg}'（应为 --data 文件、--out 文件或 --set 名称=值）",
   },
   ["models.bad_timing"] = {
      en = "{model}: timing must be end or start, got '{value}'",
      zh = "{model}：timing 应为 end（期末）或 start（期初），实际为 '{value}'",
   },
   -- parameters of models that had no text in the catalogue yet
   ["model.delivered_value.product_value"] = { en = "column of product value", zh = "产品价值所在列" },
   ["model.delivered_value.service_value"] = { en = "column of service value", zh = "服务价值所在列" },
   ["model.delivered_value.personnel_value"] = { en = "column of personnel value", zh = "人员价值所在列" },
   ["model.delivered_value.image_value"] = { en = "column of image value", zh = "形象价值所在列" },
   ["model.delivered_value.monetary_cost"] = { en = "column of monetary cost", zh = "货币成本所在列" },
   ["model.delivered_value.time_cost"] = { en = "column of time cost", zh = "时间成本所在列" },
   ["model.delivered_value.energy_cost"] = { en = "column of energy cost", zh = "体力成本所在列" },
   ["model.delivered_value.psychic_cost"] = { en = "column of psychic cost", zh = "精神成本所在列" },
   ["model.kmeans_segments.calibration_end"] = {
      en = "the date the summary is taken at (YYYY-MM-DD; default the last purchase)",
      zh = "计算汇总的截止日期（YYYY-MM-DD；默认最后一次购买日期）",
   },
   ["model.value_tiers.calibration_end"] = {
      en = "the date values are summed to (YYYY-MM-DD; default the last purchase)",
      zh = "价值累计的截止日期（YYYY-MM-DD；默认最后一次购买日期）",
   },
   ["help.md_title"] = { en = "# cvkit help topics", zh = "# cvkit 帮助主题" },
   ["help.md_intro"] = {
      en = "Generated by `cvkit help --markdown` from lua/cv/help.lua: the same text as "
         .. "`help(...)` at the prompt and `cvkit help TOPIC`. Do not edit by hand.",
      zh = "由 `cvkit help --markdown` 从 lua/cv/help.lua 生成：与提示符中的 `help(...)` 和 "
         .. "`cvkit help 主题` 的文字相同。请勿手工编辑。",
   },
}


-- scenarios, sensitivity, Monte Carlo, charts and reports (lua/cv/scenario.lua, chart.lua,
-- report.lua), the scenario models and the demo
M.add {
   ["scenario.no_base"] = { en = "scenario: a base table of parameters is required (base = {...})",
      zh = "scenario：需要基准参数表（base = {...}）" },
   ["scenario.no_model"] = { en = "scenario: a model function (model = function(p) ... end) or a formula is required",
      zh = "scenario：需要模型函数（model = function(p) ... end）或公式" },
   ["scenario.formula_input"] = {
      en = "cv.scenario: the base lacks '{param}', an input of {formula} ({what})",
      zh = "cv.scenario：基准情景缺少参数“{param}”，它是 {formula} 的输入（{what}）" },
   ["scenario.duplicate"] = { en = "scenario: variant '{name}' is given twice",
      zh = "scenario：情景 '{name}' 重复" },
   ["scenario.unknown_param"] = { en = "{name}: unknown parameter '{param}'{hint}",
      zh = "{name}：未知参数 '{param}'{hint}" },
   ["scenario.unknown_variant"] = { en = "no scenario '{name}'{hint}",
      zh = "没有情景 '{name}'{hint}" },
   ["scenario.bad_result"] = { en = "scenario: the model must return a table of metrics, got {got}",
      zh = "scenario：模型必须返回指标表，得到的是 {got}" },
   ["scenario.no_metric"] = { en = "scenario: the model returned no number for metric '{metric}' (got {got})",
      zh = "scenario：模型没有返回指标 '{metric}' 的数值（得到 {got}）" },
   ["scenario.bad_range"] = { en = "bad range for '{param}': {range} (expected {lo, hi}, \"±20%\" or a fraction such as 0.2)",
      zh = "'{param}' 的范围无效：{range}（应为 {lo, hi}、\"±20%\" 或 0.2 这样的比例）" },
   ["scenario.not_number"] = { en = "parameter '{param}' is not a number: give its range as {lo, hi}",
      zh = "参数 '{param}' 不是数值：请以 {lo, hi} 给出范围" },
   ["scenario.bad_axis"] = { en = "grid: axis {axis} must be {\"param\", {values}} or {\"param\", from =, to =, steps =}",
      zh = "grid：{axis} 轴应为 {\"参数\", {取值}} 或 {\"参数\", from =, to =, steps =}" },
   ["scenario.no_inputs"] = { en = "montecarlo: no uncertain inputs (inputs = {param = {\"normal\", mean, sd}, ...})",
      zh = "montecarlo：没有不确定输入（inputs = {参数 = {\"normal\", 均值, 标准差}, ...}）" },
   ["scenario.no_crossing"] = {
      en = "no break-even for {param} between {lo} and {hi}: {metric} goes from {fa} to {fb} and does not reach {target}",
      zh = "{param} 在 {lo} 与 {hi} 之间没有盈亏平衡点：{metric} 从 {fa} 变到 {fb}，达不到 {target}",
   },
   ["scenario.col.scenario"] = { en = "scenario", zh = "情景" },
   ["scenario.col.param"] = { en = "parameter", zh = "参数" },
   ["scenario.col.metric"] = { en = "metric", zh = "指标" },
   ["scenario.col.value"] = { en = "value", zh = "数值" },
   ["scenario.heading"] = { en = "Scenarios side by side", zh = "情景对比" },
   ["scenario.params_heading"] = { en = "Parameters of each scenario", zh = "各情景的参数" },
   ["scenario.tornado_title"] = { en = "Sensitivity of {metric} (one at a time)", zh = "{metric} 的敏感性（单因素）" },
   ["scenario.sensitivity_heading"] = { en = "Sensitivity of {metric}", zh = "{metric} 的敏感性分析" },
   ["scenario.grid_title"] = { en = "{metric} over two parameters", zh = "{metric} 随两个参数的变化" },
   ["scenario.mc_title"] = { en = "{metric}: {n} simulated draws", zh = "{metric}：{n} 次模拟抽样" },
   ["scenario.mc_heading"] = { en = "Uncertainty (Monte Carlo)", zh = "不确定性（蒙特卡洛模拟）" },
   ["scenario.mc_text"] = {
      en = "{n} draws (seed {seed}) of the uncertain inputs: {inputs}. P5 and P95 bound the middle 90% of outcomes.",
      zh = "对不确定输入 {inputs} 抽样 {n} 次（种子 {seed}）。P5 与 P95 之间是中间 90% 的结果。",
   },
   ["chart.actual"] = { en = "actual", zh = "实际" },
   ["chart.expected"] = { en = "expected", zh = "预期" },
   ["chart.calibration_end"] = { en = "calibration end", zh = "校准期末" },
   ["chart.base"] = { en = "base", zh = "基准" },
   ["chart.low_input"] = { en = "low input", zh = "参数取低值" },
   ["chart.high_input"] = { en = "high input", zh = "参数取高值" },
   ["chart.draws"] = { en = "draws", zh = "抽样次数" },
   ["chart.partial_period"] = { en = "last period partial: {days} of {full} days",
      zh = "最后一期不完整：{full} 天中的 {days} 天" },
   ["chart.whale.profit"] = { en = "profit", zh = "利润" },
   ["chart.whale.x"] = { en = "customers, highest {measure} first (%)",
      zh = "客户（按{measure}从高到低，%）" },
   ["chart.whale.y"] = { en = "cumulative {measure} (% of total)",
      zh = "累计{measure}（占总{measure}的 %）" },
   ["chart.whale.peak"] = {
      en = "{measure} peaks at {peak}% of the total with the top {at}% of customers",
      zh = "前 {at}% 的客户贡献了总{measure}的 {peak}%（峰值）" },
   ["chart.lorenz.x"] = { en = "customers, smallest first (%)", zh = "客户（从小到大，%）" },
   ["chart.lorenz.y"] = { en = "cumulative share of value (%)", zh = "累计价值占比（%）" },
   ["chart.lorenz.gini"] = { en = "Gini coefficient {gini}", zh = "基尼系数 {gini}" },
   ["report.untitled"] = { en = "Report", zh = "报告" },
   ["report.contents"] = { en = "Contents", zh = "目录" },
   ["report.more_rows"] = { en = "… {n} more rows", zh = "… 另有 {n} 行" },
   ["report.footer"] = { en = "Made with cvkit {version}: one self-contained page, no network needed.",
      zh = "由 cvkit {version} 生成：单个自包含页面，无需联网。" },
   ["report.yes"] = { en = "yes", zh = "是" },
   ["report.no"] = { en = "no", zh = "否" },
   ["model.scenario_retention"] = {
      en = "retention scenarios: customer value and profit when retention changes",
      zh = "保留率情景：保留率变化时的客户价值与利润",
   },
   ["model.scenario_retention.data"] = {
      en = "transactions file (optional: estimates margin, retention and customers)",
      zh = "交易文件（可选：据此估计毛利、保留率和客户数）" },
   ["model.scenario_retention.margin"] = { en = "yearly margin per customer (without data)",
      zh = "每位客户的年毛利（无数据时）" },
   ["model.scenario_retention.margin_rate"] = { en = "margin as a share of revenue (with data)",
      zh = "毛利占收入的比例（有数据时）" },
   ["model.scenario_retention.retention"] = { en = "yearly retention rate (without data)",
      zh = "年保留率（无数据时）" },
   ["model.scenario_retention.customers"] = { en = "number of customers (without data)",
      zh = "客户数（无数据时）" },
   ["model.scenario_retention.uplift"] = {
      en = "retention change to test, as a fraction (0.05 = 5 points)",
      zh = "要测试的保留率变化（0.05 即 5 个百分点）" },
   ["model.scenario_retention.cost"] = {
      en = "programme cost per customer and year for the first uplift",
      zh = "第一档提升的保留计划成本（每位客户每年）" },
   ["model.scenario_retention.draws"] = { en = "Monte Carlo draws", zh = "蒙特卡洛抽样次数" },
   ["model.scenario_retention.seed"] = { en = "Monte Carlo seed", zh = "蒙特卡洛随机种子" },
   ["model.scenario_retention.out"] = {
      en = "report file (HTML; the table goes beside it as .csv), or the table (CSV, TSV, "
         .. "JSON, Markdown, XLSX)",
      zh = "报告文件（HTML；表格以 .csv 写在旁边），或表格（CSV、TSV、JSON、Markdown、XLSX）" },
   ["model.scenario_cac_payback"] = {
      en = "acquisition cost scenarios: payback months, LTV ÷ CAC and profit",
      zh = "获取成本情景：回本月数、LTV ÷ CAC 与利润",
   },
   ["model.scenario_cac_payback.data"] = {
      en = "transactions file (optional: ARPU = revenue per customer-month observed)",
      zh = "交易文件（可选：ARPU = 观察到的每位客户每月收入）" },
   ["model.scenario_cac_payback.cac"] = { en = "acquisition cost per new customer",
      zh = "每位新客户的获取成本" },
   ["model.scenario_cac_payback.arpu"] = { en = "revenue per customer and month (without data)",
      zh = "每位客户每月收入（无数据时）" },
   ["model.scenario_cac_payback.churn"] = { en = "monthly churn rate (0 < churn < 1)",
      zh = "月流失率（0 < 流失率 < 1）" },
   ["model.scenario_cac_payback.target"] = { en = "payback target in months",
      zh = "回本目标（月）" },
   ["model.scenario_cac_payback.draws"] = { en = "Monte Carlo draws", zh = "蒙特卡洛抽样次数" },
   ["model.scenario_cac_payback.seed"] = { en = "Monte Carlo seed", zh = "蒙特卡洛随机种子" },
   ["model.scenario_cac_payback.out"] = {
      en = "report file (HTML; the table goes beside it as .csv), or the table (CSV, TSV, "
         .. "JSON, Markdown, XLSX)",
      zh = "报告文件（HTML；表格以 .csv 写在旁边），或表格（CSV、TSV、JSON、Markdown、XLSX）" },
}

-- segmentation (lua/cv/segment.lua, models/rfm_segments.lua, value_tiers.lua,
-- lifecycle_stages.lua, kmeans_segments.lua)
M.add {
   ["segment.rfm10.champions"] = { en = "Champions", zh = "冠军客户" },
   ["segment.rfm10.loyal_customers"] = { en = "Loyal Customers", zh = "忠诚客户" },
   ["segment.rfm10.potential_loyalist"] = { en = "Potential Loyalist", zh = "潜在忠诚客户" },
   ["segment.rfm10.new_customers"] = { en = "New Customers", zh = "新客户" },
   ["segment.rfm10.promising"] = { en = "Promising", zh = "有潜力客户" },
   ["segment.rfm10.need_attention"] = { en = "Need Attention", zh = "需要关注客户" },
   ["segment.rfm10.about_to_sleep"] = { en = "About To Sleep", zh = "即将沉睡客户" },
   ["segment.rfm10.at_risk"] = { en = "At Risk", zh = "有流失风险客户" },
   ["segment.rfm10.cant_lose_them"] = { en = "Can't Lose Them", zh = "不能失去的客户" },
   ["segment.rfm10.lost"] = { en = "Lost", zh = "已流失客户" },
   ["segment.rfm10.others"] = { en = "Others", zh = "其他" },
   ["segment.quartile5.best"] = { en = "Best", zh = "最佳客户" },
   ["segment.quartile5.promising"] = { en = "Promising", zh = "潜力客户" },
   ["segment.quartile5.slipping"] = { en = "Slipping Away", zh = "流失预警客户" },
   ["segment.quartile5.dormant"] = { en = "Dormant", zh = "沉睡客户" },
   ["segment.quartile5.lost"] = { en = "Lost", zh = "流失客户" },
   ["segment.quartile5.others"] = { en = "Others", zh = "其他" },
   ["segment.cn8.important_value"] = { en = "Important value", zh = "重要价值客户" },
   ["segment.cn8.important_develop"] = { en = "Important to develop", zh = "重要发展客户" },
   ["segment.cn8.important_keep"] = { en = "Important to keep", zh = "重要保持客户" },
   ["segment.cn8.important_retain"] = { en = "Important to win back", zh = "重要挽留客户" },
   ["segment.cn8.general_value"] = { en = "General value", zh = "一般价值客户" },
   ["segment.cn8.general_develop"] = { en = "General to develop", zh = "一般发展客户" },
   ["segment.cn8.general_keep"] = { en = "General to keep", zh = "一般保持客户" },
   ["segment.cn8.general_retain"] = { en = "General to win back", zh = "一般挽留客户" },
   ["segment.cn8.others"] = { en = "Others", zh = "其他" },
   ["segment.unknown_scheme"] = {
      en = "unknown segment scheme '{scheme}'{hint}",
      zh = "未知的分群方案 '{scheme}'{hint}",
   },
   ["segment.bad_test"] = {
      en = "rule '{rule}': bad test of '{column}' (expected a number, {lo, hi} or {op, x} with op < <= > >= == and x a number, \"mean\" or \"median\")",
      zh = "规则 '{rule}'：'{column}' 的条件有误（应为数字、{lo, hi} 或 {op, x}，op 为 < <= > >= ==，x 为数字、\"mean\" 或 \"median\"）",
   },
   ["segment.rule_name"] = {
      en = "rule #{n} has no name (write {\"name\", r = ..., ...})",
      zh = "第 {n} 条规则没有名称（写作 {\"名称\", r = ..., ...}）",
   },
   ["segment.bad_by"] = {
      en = "tiers by '{by}': expected \"customers\" or \"value\"",
      zh = "分层依据 '{by}' 有误：应为 \"customers\" 或 \"value\"",
   },
   ["segment.no_customers"] = {
      en = "no customers had bought by {date}",
      zh = "截至 {date} 没有任何客户购买",
   },
   ["tier.top"] = { en = "top", zh = "头部" },
   ["tier.middle"] = { en = "middle", zh = "腰部" },
   ["tier.bottom"] = { en = "bottom", zh = "尾部" },
   ["tier.n"] = { en = "tier {n}", zh = "第 {n} 层" },
   ["lifecycle.stage.exploration"] = { en = "exploration", zh = "考察期" },
   ["lifecycle.stage.development"] = { en = "development", zh = "形成期" },
   ["lifecycle.stage.stability"] = { en = "stability", zh = "稳定期" },
   ["lifecycle.stage.decline"] = { en = "decline", zh = "退化期" },
   ["lifecycle.state.new"] = { en = "new", zh = "新客户" },
   ["lifecycle.state.active"] = { en = "active", zh = "活跃" },
   ["lifecycle.state.at_risk"] = { en = "at risk", zh = "有流失风险" },
   ["lifecycle.state.lapsed"] = { en = "lapsed", zh = "已流失" },
   ["lifecycle.state.reactivated"] = { en = "reactivated", zh = "已召回" },
   ["migration.new"] = { en = "(new)", zh = "（新增）" },
   ["migration.from"] = { en = "from", zh = "原分群" },
   ["migration.total"] = { en = "total", zh = "合计" },
   -- the columns of the segment tables the models print
   ["segment.col.segment"] = { en = "segment", zh = "客户分群" },
   ["segment.col.tier"] = { en = "tier", zh = "层级" },
   ["segment.col.stage"] = { en = "stage", zh = "生命周期阶段" },
   ["segment.col.state"] = { en = "state", zh = "状态" },
   ["segment.col.cluster"] = { en = "cluster", zh = "类别" },
   ["segment.col.customers"] = { en = "customers", zh = "客户数" },
   ["segment.col.share"] = { en = "share", zh = "占比" },
   ["segment.col.days_since_last"] = { en = "days_since_last", zh = "距最近购买天数" },
   ["segment.col.wss"] = { en = "within-cluster SS", zh = "类内平方和" },
   ["segment.col.explained"] = { en = "explained", zh = "解释比例" },
   ["segment.col.silhouette"] = { en = "silhouette", zh = "轮廓系数" },
   ["segment.col.customer_pct"] = { en = "customers %", zh = "客户占比%" },
   ["segment.col.orders"] = { en = "orders", zh = "订单数" },
   ["segment.col.revenue"] = { en = "revenue", zh = "收入" },
   ["segment.col.revenue_pct"] = { en = "revenue %", zh = "收入占比%" },
   ["segment.col.recency"] = { en = "mean recency (days)", zh = "平均最近购买间隔（天）" },
   ["segment.col.mean_orders"] = { en = "mean orders", zh = "平均订单数" },
   ["segment.col.mean_revenue"] = { en = "mean revenue", zh = "平均收入" },
   ["segment.col.value"] = { en = "value", zh = "价值" },
   ["segment.col.value_pct"] = { en = "value %", zh = "价值占比%" },
   ["segment.scores.bins"] = { en = "R, F, M scored 1..{n}", zh = "R、F、M 各分 1..{n} 档" },
   ["segment.scores.mean"] = { en = "R, F, M high or low against the mean",
      zh = "R、F、M 与均值比较分高低" },
   ["segment.scores.median"] = { en = "R, F, M high or low against the median",
      zh = "R、F、M 与中位数比较分高低" },
   ["segment.say.scheme"] = {
      en = "customers: {customers}   scheme: {scheme}   scores: {scores}",
      zh = "客户数：{customers}   分群方案：{scheme}   评分：{scores}",
   },
   ["segment.say.coverage"] = {
      en = "rule coverage: {cells} score cells, {unmatched} matched by no rule, {overlapping} by several (first wins)",
      zh = "规则覆盖：共 {cells} 个评分格，{unmatched} 个无规则匹配，{overlapping} 个被多条规则匹配（取第一条）",
   },
   ["segment.say.concentration"] = {
      en = "top 20% of customers hold {top20}% of {value}; 80% comes from the top {top_for_80}%; the bottom 30% hold {bottom30}%; Gini {gini}",
      zh = "前 20% 的客户贡献{value}的 {top20}%；80% 来自前 {top_for_80}% 的客户；后 30% 的客户贡献 {bottom30}%；基尼系数 {gini}",
   },
   ["segment.say.lifecycle"] = {
      en = "customers: {customers}   at {date}   period: {period} days",
      zh = "客户数：{customers}   截至 {date}   周期：{period} 天",
   },
   ["segment.say.kmeans"] = {
      en = "k-means: k = {k} on {columns} (standardized), {restarts} restarts, within-cluster SS {wss} of {tss} ({explained}% explained), silhouette {silhouette}",
      zh = "k 均值聚类：k = {k}，变量 {columns}（已标准化），{restarts} 次重启，类内平方和 {wss} / 总平方和 {tss}（解释 {explained}%），轮廓系数 {silhouette}",
   },
   ["segment.say.lorenz"] = {
      en = "Lorenz curve (customers ranked from the smallest value):",
      zh = "洛伦兹曲线（客户按价值从小到大排列）：",
   },
   ["segment.col.customer_share"] = { en = "share of customers", zh = "客户累计占比" },
   ["segment.col.value_share"] = { en = "share of value", zh = "价值累计占比" },
   ["segment.say.wss"] = { en = "within-cluster SS by k (choose k at the elbow):", zh = "各 k 值的类内平方和（在拐点处选 k）：" },
   ["segment.say.migration"] = {
      en = "migration from {from} to {to} (rows: segment at {from}; columns: at {to})",
      zh = "从 {from} 到 {to} 的迁移（行：{from} 的分群；列：{to} 的分群）",
   },
   ["model.rfm_segments"] = {
      en = "RFM scores and named segments (rfm10, quartile5 or cn8)",
      zh = "RFM 评分与命名客户分群（rfm10、quartile5 或 cn8）",
   },
   ["model.rfm_segments.scheme"] = {
      en = "segment scheme: rfm10, quartile5 or cn8", zh = "分群方案：rfm10、quartile5 或 cn8" },
   ["model.rfm_segments.bins"] = {
      en = "score bins (0: the scheme's)", zh = "评分分箱数（0：按方案默认）" },
   ["model.rfm_segments.monetary"] = {
      en = "monetary value: total or mean spend", zh = "消费金额口径：total（总额）或 mean（平均）" },
   ["model.rfm_segments.calibration_end"] = {
      en = "the date RFM is measured at (YYYY-MM-DD; default the last purchase)",
      zh = "计算 RFM 的日期（YYYY-MM-DD；默认最后一次购买日期）" },
   ["model.rfm_segments.migrate_from"] = {
      en = "also a migration matrix from this date (YYYY-MM-DD; empty: none)",
      zh = "同时计算从该日期起的迁移矩阵（YYYY-MM-DD；留空则不计算）" },
   ["model.value_tiers"] = {
      en = "value tiers (top 20 / next 30 / bottom 50), concentration, Lorenz curve and Gini",
      zh = "客户价值分层（前 20% / 中间 30% / 后 50%）、集中度、洛伦兹曲线与基尼系数",
   },
   ["model.value_tiers.value"] = {
      en = "the value column of the summary (revenue, mean_spend, orders, ...)",
      zh = "客户汇总表中的价值列（revenue、mean_spend、orders 等）" },
   ["model.value_tiers.shares"] = {
      en = "tier shares, top first, comma separated", zh = "各层占比（从高到低，用逗号分隔）" },
   ["model.value_tiers.by"] = {
      en = "shares of customers or of value", zh = "按客户数（customers）或价值（value）分层" },
   ["model.lifecycle_stages"] = {
      en = "lifecycle stages (exploration, development, stability, decline) and states",
      zh = "客户生命周期阶段（考察期、形成期、稳定期、退化期）与运营状态",
   },
   ["model.lifecycle_stages.period"] = {
      en = "period length in days (recent vs previous purchases)",
      zh = "周期长度（天），用于比较最近一期与上一期的购买" },
   ["model.lifecycle_stages.at"] = {
      en = "the date of the snapshot (YYYY-MM-DD; default the last purchase)",
      zh = "快照日期（YYYY-MM-DD；默认最后一次购买日期）" },
   ["model.kmeans_segments"] = {
      en = "k-means clusters of customers on standardized recency, frequency, monetary",
      zh = "基于标准化 R、F、M 的客户 k 均值聚类",
   },
   ["model.kmeans_segments.k"] = { en = "number of clusters", zh = "聚类数" },
   ["model.kmeans_segments.calibration_end"] = {
      en = "the date the summary is taken at (YYYY-MM-DD; default the last purchase)",
      zh = "计算客户汇总的日期（YYYY-MM-DD；默认最后一次购买日期）" },
   ["model.value_tiers.calibration_end"] = {
      en = "the date values are summed to (YYYY-MM-DD; default the last purchase)",
      zh = "价值累计截至的日期（YYYY-MM-DD；默认最后一次购买日期）" },
   ["model.kmeans_segments.columns"] = {
      en = "summary columns to cluster on, comma separated", zh = "用于聚类的汇总列（用逗号分隔）" },
   ["model.kmeans_segments.seed"] = { en = "random seed", zh = "随机种子" },
   ["model.kmeans_segments.max_k"] = {
      en = "also the within-cluster SS for k = 1..max_k (0: skip)",
      zh = "同时计算 k = 1..max_k 的类内平方和（0：不计算）" },
}

-- Cost of service (lua/cv/costing.lua, models/cost_to_serve_*.lua, customer_pnl.lua,
-- whale_curve.lua, hidden_service_cost.lua; the formulas cost.hidden_service and
-- cost.service_total in src/core/formulas.c)
M.add {
   ["formula.cost.hidden_service"] = {
      en = "hidden cost of poor service: margin lost with leaving customers and by word of mouth",
      zh = "服务不佳的隐性成本：流失客户及口碑传播造成的毛利损失",
   },
   ["formula.cost.service_total"] = {
      en = "total cost of service: explicit spend plus hidden cost",
      zh = "服务总成本：显性支出加隐性成本",
   },
   ["input.customers"] = { en = "customers", zh = "客户数" },
   ["input.dissatisfied_rate"] = { en = "share dissatisfied", zh = "不满意客户比例" },
   ["input.defect_rate"] = { en = "share of the dissatisfied who leave", zh = "不满意客户中流失的比例" },
   ["input.customer_value"] = { en = "value of a customer", zh = "每位客户的价值" },
   ["input.tell"] = { en = "people told by each", zh = "每人告知的人数" },
   ["input.not_buy"] = { en = "share of them who do not buy", zh = "其中不再购买的比例" },
   ["input.service_staff"] = { en = "service staff cost", zh = "服务人员成本" },
   ["input.department_costs"] = { en = "department costs", zh = "部门费用" },
   ["input.other_explicit"] = { en = "other explicit costs", zh = "其他显性成本" },
   ["input.hidden_cost"] = { en = "hidden cost", zh = "隐性成本" },
   ["label.dissatisfied"] = { en = "dissatisfied customers", zh = "不满意客户数" },
   ["label.lost_customers"] = { en = "customers lost", zh = "流失客户数" },
   ["label.lost_margin"] = { en = "margin lost with them", zh = "流失客户带走的毛利" },
   ["label.lost_prospects"] = { en = "prospects lost by word of mouth", zh = "因口碑流失的潜在客户数" },
   ["label.word_of_mouth_cost"] = { en = "word-of-mouth cost", zh = "口碑损失" },
   ["label.hidden_cost"] = { en = "hidden cost", zh = "隐性成本" },
   ["label.explicit_cost"] = { en = "explicit cost", zh = "显性成本" },
   ["label.service_cost"] = { en = "total cost of service", zh = "服务总成本" },

   ["costing.say.abc"] = {
      en = "cost to serve {total} for {customers} customers: {mean} per customer on average, from {least} to {most}",
      zh = "{customers} 位客户的服务成本共 {total}：平均每位 {mean}，最低 {least}，最高 {most}",
   },
   ["costing.say.abc_top"] = {
      en = "most expensive to serve: {customer} ({cost})",
      zh = "服务成本最高的客户：{customer}（{cost}）",
   },
   ["costing.say.wrote"] = { en = "wrote {path} ({rows} rows)", zh = "已写入 {path}（{rows} 行）" },
   ["costing.say.resource"] = {
      en = "{resource}: {rate} per minute; {used} of {capacity} minutes used ({percent}%), unused {unused} minutes = {unused_cost}",
      zh = "{resource}：每分钟 {rate}；已用 {used} / {capacity} 分钟（{percent}%），未用产能 {unused} 分钟 = {unused_cost}",
   },
   ["costing.say.pnl"] = {
      en = "revenue {revenue} − product cost {product} − concessions {concessions} − cost to serve {service} − acquisition {acquisition} − retention {retention} = profit {profit}",
      zh = "收入 {revenue} − 产品成本 {product} − 价格让步 {concessions} − 服务成本 {service} − 获取成本 {acquisition} − 保留成本 {retention} = 利润 {profit}",
   },
   ["costing.say.losing"] = {
      en = "{n} of {customers} customers lose money ({percent}%), together {losses}",
      zh = "{customers} 位客户中有 {n} 位亏损（{percent}%），合计 {losses}",
   },
   ["costing.say.whale_total"] = {
      en = "{customers} customers, total profit {total}; {losers} of them lose money, together {losses}",
      zh = "{customers} 位客户，总利润 {total}；其中 {losers} 位亏损，合计 {losses}",
   },
   ["costing.say.whale_peak"] = {
      en = "the whale curve peaks at {peak}% of total profit ({profit}) after the {rank} most profitable customers ({percent}%)",
      zh = "鲸鱼曲线在最盈利的 {rank} 位客户（{percent}%）处达到峰值，为总利润的 {peak}%（{profit}）",
   },
   ["costing.say.whale_top"] = {
      en = "the top 20% of customers earn {top20}% of the profit",
      zh = "前 20% 的客户贡献了 {top20}% 的利润",
   },
   ["costing.say.whale_bottom"] = {
      en = "the bottom 30% of customers destroy {bottom30} ({share}% of the profit)",
      zh = "末尾 30% 的客户损耗了 {bottom30}（相当于利润的 {share}%）",
   },
   ["costing.say.hidden"] = {
      en = "service costs {explicit} explicitly and {hidden} hidden: {total} in all (hidden = {times} × explicit)",
      zh = "服务的显性成本 {explicit}，隐性成本 {hidden}，合计 {total}（隐性成本为显性成本的 {times} 倍）",
   },
   ["costing.say.switching"] = {
      en = "switching costs of {switching} against gains up to {gain} keep {percent}% of would-be leavers, saving {saved}",
      zh = "转换成本 {switching}（对比最高 {gain} 的转换收益）留住了 {percent}% 的潜在流失客户，节省 {saved}",
   },

   ["model.cost_to_serve_abc"] = {
      en = "cost to serve per customer by activity-based costing (pools, drivers, rates)",
      zh = "按作业成本法（成本池、成本动因、分配率）计算每位客户的服务成本",
   },
   ["model.cost_to_serve_tdabc"] = {
      en = "cost to serve per customer by time-driven ABC, with the unused capacity of each resource",
      zh = "按时间驱动作业成本法计算每位客户的服务成本，并给出各资源的未用产能",
   },
   ["model.customer_pnl"] = {
      en = "customer P&L: revenue, product cost, concessions, cost to serve, acquisition, retention, profit",
      zh = "客户损益表：收入、产品成本、价格让步、服务成本、获取成本、保留成本、利润",
   },
   ["model.whale_curve"] = {
      en = "whale curve: cumulative profit by customers ranked from most to least profitable",
      zh = "鲸鱼曲线：按盈利能力从高到低排列客户的累计利润",
   },
   ["model.hidden_service_cost"] = {
      en = "explicit and hidden (lost-customer and word-of-mouth) costs of service, with retention scenarios",
      zh = "服务的显性与隐性成本（客户流失与口碑损失），附保留情景",
   },
   ["model.param.service"] = {
      en = "per-customer file joined on the customer (support calls, visits, rebates), or empty",
      zh = "按客户连接的每客户文件（支持电话、拜访、返利），可为空",
   },
   ["model.param.activities"] = {
      en = "cost definitions (CSV, one row per activity)", zh = "成本定义（CSV，每行一个作业）" },
   ["model.param.resources"] = {
      en = "resources (CSV: resource, cost, capacity in minutes or rate)",
      zh = "资源（CSV：资源、成本、以分钟计的产能或分配率）",
   },
   ["model.param.sums"] = {
      en = "order columns summed per customer, comma separated", zh = "按客户求和的订单列，逗号分隔" },
   ["model.param.profit"] = { en = "column of customer profit", zh = "客户利润列" },
   ["model.cost_to_serve_abc.data"] = { en = "orders file (CSV; one row per order)", zh = "订单文件（CSV，每行一笔订单）" },
   ["model.cost_to_serve_tdabc.data"] = { en = "orders file (CSV; one row per order)", zh = "订单文件（CSV，每行一笔订单）" },
   ["model.customer_pnl.data"] = { en = "orders file (CSV; one row per order)", zh = "订单文件（CSV，每行一笔订单）" },
   ["model.whale_curve.data"] = {
      en = "one row per customer with a profit column (CSV), e.g. customer_pnl's output",
      zh = "每行一位客户、含利润列的文件（CSV），例如 customer_pnl 的输出",
   },
   ["model.hidden_service_cost.data"] = {
      en = "one row per customer (CSV) to count customers and value them, or empty",
      zh = "每行一位客户的文件（CSV），用于统计客户数和客户价值，可为空",
   },
   ["model.customer_pnl.customers"] = {
      en = "per-customer file joined on the customer (segment, acquisition and retention cost), or empty",
      zh = "按客户连接的每客户文件（细分、获取成本与保留成本），可为空",
   },
   ["model.cost_to_serve_tdabc.customers"] = {
      en = "per-customer file joined on the customer (flags such as key_account), or empty",
      zh = "按客户连接的每客户文件（如 key_account 等标志），可为空",
   },
   ["model.cost_to_serve_tdabc.activities"] = {
      en = "time equations (CSV: activity, resource, base, events, terms)",
      zh = "时间方程（CSV：作业、资源、基础时间、事件数列、附加项）",
   },
   ["model.customer_pnl.sums"] = {
      en = "order columns summed per customer, comma separated", zh = "按客户求和的订单列，逗号分隔" },
   ["model.customer_pnl.revenue"] = { en = "column of revenue", zh = "收入列" },
   ["model.customer_pnl.product"] = { en = "columns of product cost, comma separated", zh = "产品成本列，逗号分隔" },
   ["model.customer_pnl.concessions"] = {
      en = "columns of price concessions, comma separated", zh = "价格让步（折扣、返利）列，逗号分隔" },
   ["model.customer_pnl.acquisition"] = {
      en = "columns of allocated acquisition cost, comma separated (may be empty)",
      zh = "分摊的获取成本列，逗号分隔（可为空）",
   },
   ["model.customer_pnl.retention"] = {
      en = "columns of retention cost, comma separated (may be empty)", zh = "保留成本列，逗号分隔（可为空）" },
   ["model.customer_pnl.segment"] = {
      en = "column of the segment (empty: one segment)", zh = "细分列（为空则只有一个细分）" },
   ["model.hidden_service_cost.value"] = {
      en = "column of the yearly value (margin) of a customer, with --data", zh = "客户年价值（毛利）列（配合 --data）" },
   ["model.hidden_service_cost.customers"] = {
      en = "number of customers, without --data", zh = "客户数（不使用 --data 时）" },
   ["model.hidden_service_cost.customer_value"] = {
      en = "yearly value (margin) lost with a customer, without --data", zh = "每流失一位客户损失的年价值（不使用 --data 时）" },
   ["model.hidden_service_cost.service_staff"] = { en = "explicit: service staff cost", zh = "显性：服务人员成本" },
   ["model.hidden_service_cost.department_costs"] = {
      en = "explicit: other service department costs", zh = "显性：服务部门其他费用" },
   ["model.hidden_service_cost.dissatisfied_rate"] = {
      en = "share of customers dissatisfied with service", zh = "对服务不满意的客户比例" },
   ["model.hidden_service_cost.defect_rate"] = { en = "share of the dissatisfied who leave", zh = "不满意客户中流失的比例" },
   ["model.hidden_service_cost.tell"] = { en = "people each dissatisfied customer tells", zh = "每位不满意客户告知的人数" },
   ["model.hidden_service_cost.not_buy"] = {
      en = "share of those told who then do not buy", zh = "被告知者中因此不购买的比例" },
   ["model.hidden_service_cost.better_service"] = {
      en = "scenario: cut in the dissatisfied share (0.5 = halved)", zh = "情景：不满意比例的降幅（0.5 即减半）" },
   ["model.hidden_service_cost.better_service_cost"] = {
      en = "scenario: extra yearly spend on service for it", zh = "情景：为此每年增加的服务支出" },
   ["model.hidden_service_cost.setup_cost"] = {
      en = "scenario: switching cost added, setup (time and effort)", zh = "情景：增加的转换成本——设置成本（时间和精力）" },
   ["model.hidden_service_cost.lost_benefits"] = {
      en = "scenario: switching cost added, loyalty benefits lost (economic)", zh = "情景：增加的转换成本——损失的忠诚优惠（经济）" },
   ["model.hidden_service_cost.relationship_loss"] = {
      en = "scenario: switching cost added, relationship lost (emotional)", zh = "情景：增加的转换成本——人际关系损失（情感）" },
   ["model.hidden_service_cost.gain"] = {
      en = "largest yearly gain a dissatisfied customer sees in switching", zh = "不满意客户认为转换可获得的最大年收益" },
}

-- Customer-base models: fits, CLV, validation, cvkit gen and the model scripts
-- (lua/cv/fit.lua, models/clv_*.lua, retention_sbg.lua, compare_models.lua).
M.add{
   ["models.no_holdout"] = {
      en = "calibration_end {calibration_end} without observation_end: the transactions after it "
         .. "are left out and nothing checks the fit on them (set observation_end, e.g. to the "
         .. "data's last day, for a holdout check)",
      zh = "给出了 calibration_end {calibration_end} 而未给出 observation_end：此后的交易不参与计算，"
         .. "也没有用它们检验拟合（给出 observation_end，例如数据的最后一天，即可做验证期检验）" },
   ["models.spend_correlated"] = {
      en = "gamma-gamma: frequency and mean spend are correlated (r = {r}); the model assumes they are independent",
      zh = "gamma-gamma：购买频次与平均消费相关（r = {r}）；该模型假设两者相互独立" },
   ["cli.cmd.gen"] = {
      en = "write a synthetic transactions CSV drawn from a model (bgnbd, pareto_nbd, mbgnbd)",
      zh = "按模型（bgnbd、pareto_nbd、mbgnbd）抽样生成模拟交易 CSV" },
   ["cli.cmd.gen.options"] = {
      en = "    --customers N      customers to draw (default 1000), ids 1..N\n"
         .. "    --seed S           the random seed: the same seed gives the same file (default 1)\n"
         .. "    --start DATE       first day of the acquisition window (default 1997-01-01)\n"
         .. "    --cohort-days N    first purchases spread uniformly over N days (default 90)\n"
         .. "    --end DATE         last day of the data (default 546 days after the start)\n"
         .. "    --unit U           the time unit of the parameters: day, week, month, year\n"
         .. "                       (default week)\n"
         .. "    --spend P,Q,GAMMA  Gamma-Gamma parameters of the amounts (default 6.25,3.74,15.44)\n",
      zh = "    --customers N      抽取的客户数（默认 1000），编号 1..N\n"
         .. "    --seed S           随机种子：同一种子生成同一文件（默认 1）\n"
         .. "    --start DATE       获客窗口的第一天（默认 1997-01-01）\n"
         .. "    --cohort-days N    首次购买均匀分布在 N 天内（默认 90）\n"
         .. "    --end DATE         数据的最后一天（默认开始后 546 天）\n"
         .. "    --unit U           参数的时间单位：day、week、month、year\n"
         .. "                       （默认 week）\n"
         .. "    --spend P,Q,GAMMA  金额的 Gamma-Gamma 参数（默认 6.25,3.74,15.44）\n" },
   ["gen.usage"] = {
      en = "usage: cvkit gen MODEL NAME=VALUE... --out FILE [--customers N] [--seed S] (cvkit help gen)",
      zh = "用法：cvkit gen 模型 名称=值... --out 文件 [--customers N] [--seed S]（cvkit help gen）" },
   ["gen.bad_number"] = { en = "{option} needs a whole number >= 0, got '{value}'",
      zh = "{option} 需要大于等于 0 的整数，得到 '{value}'" },
   ["gen.unknown_option"] = { en = "unknown option '{option}' to gen{hint}",
      zh = "gen 不认识选项 '{option}'{hint}" },
   ["gen.bad_param"] = { en = "bad parameter '{arg}' (expected NAME=NUMBER)",
      zh = "参数 '{arg}' 有误（应为 名称=数字）" },
   ["gen.unknown_model"] = { en = "unknown model '{model}' (gen draws from bgnbd, pareto_nbd, mbgnbd)",
      zh = "未知模型 '{model}'（gen 可用 bgnbd、pareto_nbd、mbgnbd）" },
   ["gen.missing_param"] = { en = "{model} needs the parameter {param} (parameters: {params})",
      zh = "{model} 需要参数 {param}（参数：{params}）" },
   ["gen.bad_spend"] = { en = "--spend needs three numbers P,Q,GAMMA, got '{value}'",
      zh = "--spend 需要三个数字 P,Q,GAMMA，得到 '{value}'" },
   ["gen.wrote"] = { en = "wrote {path} ({rows} transactions of {customers} customers)",
      zh = "已写入 {path}（{customers} 位客户的 {rows} 笔交易）" },

   ["model.clv_bgnbd"] = {
      en = "BG/NBD: P(alive), expected purchases, spend (Gamma-Gamma) and CLV per customer, with holdout validation",
      zh = "BG/NBD：每位客户的存活概率、预期购买次数、消费（Gamma-Gamma）与 CLV，并做验证期验证" },
   ["model.clv_pareto_nbd"] = {
      en = "Pareto/NBD: P(alive), expected purchases, DERT, spend (Gamma-Gamma) and CLV per customer, with holdout validation",
      zh = "Pareto/NBD：每位客户的存活概率、预期购买次数、DERT、消费（Gamma-Gamma）与 CLV，并做验证期验证" },
   ["model.retention_sbg"] = {
      en = "shifted-beta-geometric retention: fit a cohort's survival, project it, and DERL",
      zh = "移位贝塔几何保留模型：拟合客户群的存活曲线、外推并计算 DERL" },
   ["model.compare_models"] = {
      en = "fit BG/NBD, Pareto/NBD and MBG/NBD on one summary and compare them (LL, AIC, BIC, holdout error)",
      zh = "在同一汇总上拟合 BG/NBD、Pareto/NBD 与 MBG/NBD 并比较（对数似然、AIC、BIC、验证期误差）" },
   ["model.param.unit"] = { en = "time unit of the model: day, week, month or year", zh = "模型的时间单位：day、week、month 或 year" },
   ["model.param.calibration_end"] = { en = "last day of the calibration period (YYYY-MM-DD; empty: the last purchase)",
      zh = "校准期最后一天（YYYY-MM-DD；为空则为最后一次购买）" },
   ["model.param.observation_end"] = { en = "last day of the holdout period (YYYY-MM-DD; empty: no holdout)",
      zh = "验证期最后一天（YYYY-MM-DD；为空则无验证期）" },
   ["model.param.horizon"] = { en = "CLV horizon in units (0: the whole lifetime, by DERT)", zh = "CLV 的预测期（以模型的时间单位计；0 表示整个生命周期，按 DERT 计算）" },
   ["models.say.wrote_table"] = { en = "wrote {path}", zh = "已写入 {path}" },
   ["model.param.discount"] = { en = "annual effective discount rate", zh = "年实际折现率" },
   ["model.param.margin"] = { en = "margin share of spend (1: revenue)", zh = "毛利占消费的比例（1 表示收入）" },
   ["model.retention_sbg.data"] = { en = "cohort survival file (CSV; one row per period)",
      zh = "同期群存活文件（CSV，每行一期）" },
   ["model.retention_sbg.active"] = { en = "column of customers still active at each period's start", zh = "各期初仍活跃客户数所在列" },
   ["model.retention_sbg.periods"] = { en = "periods to project", zh = "外推的期数" },

   ["models.say.fit"] = { en = "{model}: {params}; log-likelihood {loglik} ({customers} customers)",
      zh = "{model}：{params}；对数似然 {loglik}（{customers} 位客户）" },
   ["models.say.spend"] = { en = "Gamma-Gamma: {params}; frequency-spend correlation {r}",
      zh = "Gamma-Gamma：{params}；频次与消费额的相关系数 {r}" },
   ["models.say.clv_total"] = {
      en = "clv over {span} at {discount} a year: total {total}, mean {mean}; {negative} customers below zero",
      zh = "预测期 {span}、年折现率 {discount} 的客户终身价值：合计 {total}，平均 {mean}；{negative} 位客户为负值" },
   ["models.say.clv_lifetime"] = {
      en = "lifetime clv at {discount} a year: total {total}, mean {mean}; {negative} customers below zero",
      zh = "年折现率 {discount}、不限预测期的客户终身价值：合计 {total}，平均 {mean}；{negative} 位客户为负值" },
   ["models.say.validation"] = {
      en = "holdout of {span}: actual {actual} repeat transactions, expected {expected}; per customer MAE {mae}, RMSE {rmse}; Brier score of P(alive) {brier}",
      zh = "{span}的验证期：实际重复交易 {actual} 笔，预期 {expected} 笔；每位客户 MAE {mae}、RMSE {rmse}；存活概率的 Brier 分数 {brier}" },
   ["models.say.buckets"] = { en = "calibration vs holdout by repeat transactions x (means per customer):",
      zh = "按校准期重复交易次数 x 对比验证期（每位客户的平均值）：" },
   ["models.say.top"] = { en = "the {n} most valuable customers:", zh = "价值最高的 {n} 位客户：" },
   ["models.say.compare"] = { en = "models compared on {customers} customers:", zh = "在 {customers} 位客户上比较的模型：" },
   ["models.say.best"] = { en = "lowest BIC: {model}", zh = "BIC 最低：{model}" },
   ["models.say.sbg"] = { en = "sBG: alpha {alpha}, beta {beta}; log-likelihood {loglik}; mean churn probability {churn}",
      zh = "sBG：alpha {alpha}，beta {beta}；对数似然 {loglik}；平均流失概率 {churn}" },
   ["models.say.derl"] = {
      en = "DERL at {discount} a period (the next renewal undiscounted): {new} for a customer who has just joined, {renewed} after {n} renewals",
      zh = "每期折现率 {discount} 的 DERL（下一次续约不折现）：刚加入的客户 {new}，续约 {n} 次后 {renewed}" },
   -- models/clv.lua (cvkit clv)
   ["model.clv"] = { en = "CLV in one run: BG/NBD and Pareto/NBD compared, Gamma-Gamma spend, "
      .. "every customer's P(alive), expected transactions, spend and CLV (CSV, XLSX) and a "
      .. "report with diagnostics",
      zh = "一次运行得出客户终身价值：比较 BG/NBD 与 Pareto/NBD，用 Gamma-Gamma 估计消费额，"
      .. "写出每位客户的存活概率、预期交易次数、预期消费额和 CLV（CSV、XLSX），以及含模型诊断的报告" },
   ["model.clv.customer"] = { en = "column of customer ids (empty: the one column named like customer or id)",
      zh = "客户编号所在列（留空：名称像 customer 或 id 的唯一一列）" },
   ["model.clv.date"] = { en = "column of purchase dates (empty: the one column named like date)",
      zh = "购买日期所在列（留空：名称像 date 的唯一一列）" },
   ["model.clv.amount"] = {
      en = "column of purchase amounts (empty: the one column named like amount, price or value)",
      zh = "购买金额所在列（留空：名称像 amount、price 或 value 的唯一一列）" },
   ["model.clv.observation_end"] = {
      en = "last day of the holdout period (YYYY-MM-DD; required with calibration_end)",
      zh = "验证期最后一天（YYYY-MM-DD；给出 calibration_end 时必须给出）" },
   ["model.clv.out"] = { en = "output folder: customers.csv, customers.xlsx and report.html",
      zh = "输出文件夹：customers.csv、customers.xlsx 和 report.html" },
   ["models.unknown_option"] = { en = "unknown option '{option}'{hint}",
      zh = "未知选项 '{option}'{hint}" },
   ["clv.no_column"] = {
      en = "no column is named like a {what} column: give {option} COLUMN (columns: {columns})",
      zh = "没有名称像 {what} 的列：请用 {option} 列名 指定（各列：{columns}）" },
   ["clv.many_columns"] = {
      en = "several columns are named like a {what} column ({found}): give {option} COLUMN",
      zh = "有多列名称像 {what}（{found}）：请用 {option} 列名 指定" },
   ["clv.needs_calibration_end"] = {
      en = "--observation-end needs --calibration-end (the last day of the calibration period)",
      zh = "--observation-end 需要同时给出 --calibration-end（校准期结束日）" },
   ["clv.needs_observation_end"] = {
      en = "--calibration-end {calibration_end} needs --observation-end (the last day of the holdout "
         .. "period), such as --observation-end {last}, the file's last transaction date",
      zh = "--calibration-end {calibration_end} 需要同时给出 --observation-end（验证期结束日），"
         .. "例如 --observation-end {last}，即文件中最后一笔交易的日期" },
   ["clv.zero_spend"] = {
      en = "warning: {n} customers with repeat transactions whose mean repeat spend is 0 (the first: "
         .. "{first}) are left out of the Gamma-Gamma fit; their expected spend is its formula's",
      zh = "警告：{n} 位客户有重复交易但平均重复消费额为 0（第一位：{first}），不参与 Gamma-Gamma "
         .. "拟合；其预期消费额仍按该模型的公式计算" },
   ["clv.zero_spend_one"] = {
      en = "warning: 1 customer with repeat transactions whose mean repeat spend is 0 ({first}) is "
         .. "left out of the Gamma-Gamma fit; its expected spend is the model's formula's",
      zh = "警告：1 位客户（{first}）有重复交易但平均重复消费额为 0，不参与 Gamma-Gamma 拟合；"
         .. "其预期消费额仍按该模型的公式计算" },
   ["clv.out_folder"] = {
      en = "--out '{path}' is a folder for customers.csv, customers.xlsx and report.html, not a file",
      zh = "--out '{path}' 应为文件夹（写入 customers.csv、customers.xlsx 和 report.html），而不是文件" },
   ["clv.given"] = { en = "as given", zh = "按所给" },
   ["clv.detected"] = { en = "detected by name where not given", zh = "未给出的按列名识别" },
   ["clv.say.columns"] = { en = "columns ({how}): customer {customer}, date {date}, amount {amount}",
      zh = "所用列（{how}）：客户 {customer}，日期 {date}，金额 {amount}" },
   ["clv.say.no_holdout"] = {
      en = "calibration: every transaction (no --calibration-end), so no holdout check; "
         .. "models compared by BIC",
      zh = "校准期：全部交易（未给出 --calibration-end），因此没有验证期检验；按 BIC 比较模型" },
   ["clv.say.periods"] = { en = "calibration period ends {calibration_end}; holdout period: {holdout}",
      zh = "校准期结束日 {calibration_end}；验证期：{holdout}" },
   ["clv.say.winner"] = {
      en = "chosen: {model} by the lowest {criterion} ({value}; {other}: {other_value})",
      zh = "选用 {model}：{criterion} 最低（{value}；{other}：{other_value}）" },
   ["clv.lifetime"] = { en = "the whole lifetime", zh = "整个生命周期" },
   ["clv.say.totals"] = {
      en = "{customers} customers, CLV over {span} at {discount} a year: total {total}, "
         .. "mean {mean}; expected alive {alive}; expected transactions {expected}",
      zh = "{customers} 位客户，预测期 {span}、年折现率 {discount} 的客户终身价值：合计 {total}，"
         .. "平均 {mean}；预期存活人数 {alive}；预期交易次数 {expected}" },
   ["clv.say.wrote"] = { en = "wrote {files} ({rows} customers)",
      zh = "已写入 {files}（{rows} 位客户）" },
   ["clv.comma"] = { en = ", ", zh = "、" },
   ["clv.report.title"] = { en = "Customer lifetime value", zh = "客户终身价值" },
   ["clv.report.subtitle"] = { en = "{path}: {model}, Gamma-Gamma spend",
      zh = "{path}：{model}，Gamma-Gamma 消费额模型" },
   ["clv.report.summary"] = { en = "Summary", zh = "概要" },
   ["clv.report.text"] = {
      en = "{calibration} Transactions by {model}, chosen by the lowest {criterion}; spend by "
         .. "Gamma-Gamma. CLV over {span}, at an annual discount rate of {discount} and a "
         .. "margin of {margin} of spend.",
      zh = "{calibration}交易次数采用 {model}（{criterion} 最低）；消费额采用 Gamma-Gamma。"
         .. "CLV 的预测期为 {span}，年折现率 {discount}，毛利为消费额的 {margin}。" },
   ["clv.report.calibrated"] = { en = "The calibration period ends {date}.",
      zh = "校准期结束日为 {date}。" },
   ["clv.report.all"] = { en = "Every transaction is in the calibration period (no holdout).",
      zh = "全部交易都在校准期内（没有验证期）。" },
   ["clv.report.compare"] = { en = "Models compared", zh = "模型比较" },
   ["clv.report.top"] = { en = "The {n} customers of highest CLV", zh = "CLV 最高的 {n} 位客户" },
   ["clv.kpi.customers"] = { en = "customers", zh = "客户数" },
   ["clv.kpi.total"] = { en = "total CLV", zh = "CLV 合计" },
   ["clv.kpi.mean"] = { en = "mean CLV", zh = "平均 CLV" },
   ["clv.kpi.alive"] = { en = "expected alive", zh = "预期存活人数" },
   ["clv.col.model"] = { en = "model", zh = "模型" },
   ["clv.col.params"] = { en = "parameters", zh = "参数个数" },
   ["clv.col.loglik"] = { en = "log-likelihood", zh = "对数似然" },
   ["clv.col.aic"] = { en = "AIC", zh = "AIC" },
   ["clv.col.bic"] = { en = "BIC", zh = "BIC" },
   ["clv.col.actual"] = { en = "actual", zh = "实际" },
   ["clv.col.expected"] = { en = "expected", zh = "预期" },
   ["clv.col.mae"] = { en = "MAE", zh = "MAE" },
   ["clv.col.rmse"] = { en = "RMSE", zh = "RMSE" },
   ["clv.col.brier"] = { en = "Brier", zh = "Brier" },
   ["clv.col.customer"] = { en = "customer", zh = "客户" },
   ["clv.col.x"] = { en = "frequency x", zh = "频次" },
   ["clv.col.t_x"] = { en = "recency t_x", zh = "最近购买时间" },
   ["clv.col.T"] = { en = "age T", zh = "客户年龄" },
   ["clv.col.p_alive"] = { en = "P(alive)", zh = "存活概率" },
   ["clv.col.conditional"] = { en = "expected transactions", zh = "预期交易次数" },
   ["clv.col.dtx"] = { en = "discounted expected transactions", zh = "折现的预期交易次数" },
   ["clv.col.spend"] = { en = "expected spend", zh = "预期消费额" },
   ["clv.col.clv"] = { en = "CLV", zh = "CLV" },
   ["clv.col.x_holdout"] = { en = "holdout transactions", zh = "验证期交易次数" },
   ["models.unit.day"] = { en = "day", zh = "天" },
   ["models.unit.week"] = { en = "week", zh = "周" },
   ["models.unit.month"] = { en = "month", zh = "月" },
   ["models.unit.year"] = { en = "year", zh = "年" },
   -- a length in a unit, as a count reads ({n} weeks, 52 周, 39 个月)
   ["models.span.day"] = { en = "{n} days", zh = "{n} 天" },
   ["models.span.week"] = { en = "{n} weeks", zh = "{n} 周" },
   ["models.span.month"] = { en = "{n} months", zh = "{n} 个月" },
   ["models.span.year"] = { en = "{n} years", zh = "{n} 年" },
   -- the same for a count of one (i18n.span): English takes the singular
   ["models.span_one.day"] = { en = "{n} day", zh = "{n} 天" },
   ["models.span_one.week"] = { en = "{n} week", zh = "{n} 周" },
   ["models.span_one.month"] = { en = "{n} month", zh = "{n} 个月" },
   ["models.span_one.year"] = { en = "{n} year", zh = "{n} 年" },
}

-- Fits that are not an interior maximum (lua/cv/fit.lua M.warnings; docs/models.md,
-- "Degenerate data and boundary results").
M.add{
   ["models.warn.boundary"] = {
      en = "warning: {model}: {params} ran to the boundary: the data do not identify them; their standard errors are missing",
      zh = "警告：{model}：参数 {params} 趋向边界，数据无法识别它们；其标准误缺失" },
   ["models.warn.flat"] = {
      en = "warning: {model}: the likelihood is flat at the optimum: the data do not identify the parameters; standard errors are missing",
      zh = "警告：{model}：似然在最优点处平坦，数据无法识别参数；标准误缺失" },
   ["models.warn.identical"] = {
      en = "  all customers are identical: the model cannot tell how they differ",
      zh = "  所有客户完全相同：模型无法估计客户之间的差异" },
   ["models.warn.not_converged"] = {
      en = "warning: {model}: the fit did not converge: {message}",
      zh = "警告：{model}：拟合未收敛：{message}" },
   ["models.warn.tried"] = {
      en = "  tried {phases}; final gradient {grad}",
      zh = "  已尝试 {phases}；最终梯度 {grad}" },
   ["models.warn.phase"] = {
      en = "{method} ({iterations} iterations, stopped: {why})",
      zh = "{method}（{iterations} 次迭代，停止原因：{why}）" },
}

-- The options layer (lua/cv/opts.lua): every bad call of a public function.
M.add{
   ["opts.unknown"] = { en = "{fn}: unknown option '{opt}'{hint}", zh = "{fn}：未知选项“{opt}”{hint}" },
   ["opts.bad_type"] = { en = "{fn}: option '{opt}' must be {expected}, got {got}",
      zh = "{fn}：选项“{opt}”应为{expected}，实际为 {got}" },
   ["opts.bad_choice"] = { en = "{fn}: option '{opt}' cannot be '{value}'{hint}",
      zh = "{fn}：选项“{opt}”不能取“{value}”{hint}" },
   ["opts.missing"] = { en = "{fn}: option '{opt}' is required ({what})",
      zh = "{fn}：缺少必需的选项“{opt}”（{what}）" },
   ["opts.not_table"] = { en = "{fn}: options must be a table, got {got}",
      zh = "{fn}：选项应为表，实际为 {got}" },
   ["opts.bad_key"] = { en = "{fn}: option names are strings, got {got}",
      zh = "{fn}：选项名应为字符串，实际为 {got}" },
   ["opts.did_you_mean"] = { en = " (did you mean '{name}'?)", zh = "（是否想用“{name}”？）" },
   ["opts.one_of"] = { en = " (known: {names})", zh = "（可用：{names}）" },
   ["opts.or"] = { en = " or ", zh = "或" },
   ["opts.required"] = { en = " (required)", zh = "（必需）" },
   ["opts.default"] = { en = " (default {value})", zh = "（默认 {value}）" },
   ["opts.type.string"] = { en = "a string", zh = "字符串" },
   ["opts.type.number"] = { en = "a number", zh = "数值" },
   ["opts.type.integer"] = { en = "an integer", zh = "整数" },
   ["opts.type.positive"] = { en = "a positive number", zh = "正数" },
   ["opts.type.boolean"] = { en = "true or false", zh = "布尔值（true 或 false）" },
   ["opts.type.table"] = { en = "a table", zh = "表" },
   ["opts.type.function"] = { en = "a function", zh = "函数" },
   ["opts.type.column"] = { en = "a column name", zh = "列名" },
   ["opts.type.date"] = { en = "a date YYYY-MM-DD", zh = "日期 YYYY-MM-DD" },
   ["opts.type.Table"] = { en = "a cv.Table", zh = "cv.Table 表" },
   ["opts.type.Model"] = { en = "a fitted model", zh = "已拟合的模型" },
   ["opts.type.any"] = { en = "any value", zh = "任意值" },
}

-- The one convention for errors and warnings (lua/cv/errors.lua): the errors and warnings
-- cvkit's Lua modules raise and print, each in English and Chinese.
M.add{
   ["errors.unknown"] = { en = "{fn}: unknown {what} '{name}'{hint}", zh = "{fn}：未知{what}“{name}”{hint}" },
   ["errors.what.model"] = { en = "model", zh = "模型" },
   ["errors.what.formula"] = { en = "formula", zh = "公式" },
   ["errors.what.chart"] = { en = "chart", zh = "图表" },
   ["errors.what.column"] = { en = "column", zh = "列" },
   ["errors.what.function"] = { en = "function", zh = "函数" },
   ["errors.what.kind"] = { en = "kind", zh = "数值类别" },
   ["errors.bad_argument"] = { en = "{fn}: argument #{n} must be {expected}, got {got}",
      zh = "{fn}：第 {n} 个参数应为{expected}，实际为 {got}" },
   -- cv.summary, cv.summary_csv, cv.summary_sql (lua/cv/init.lua, lua/cv/sql.lua)
   ["sql.bad_view_name"] = {
      en = "cv.score_sql: bad name '{name}' for into (letters, digits and _, or database.name)",
      zh = "cv.score_sql：into 的名称 '{name}' 无效（字母、数字和 _，或 database.name）" },
   ["summary.excluded_late"] = {
      en = "summary: {n} customer(s) first seen after the calibration end {date} left out",
      zh = "汇总：{n} 位在校准期结束日 {date} 之后才首次购买的客户未计入" },
   ["scenario.variants_table"] = { en = "cv.scenario: variants must be a table",
      zh = "cv.scenario：variants 应为表" },
   ["scenario.bad_variant"] = { en = "cv.scenario: variant {n} must be {\"name\", param = value, ...}",
      zh = "cv.scenario：第 {n} 个变体应写作 {\"名称\", 参数 = 值, ...}" },
   ["scenario.mc_formula"] = { en = "cv.montecarlo: a table with formula = name expected",
      zh = "cv.montecarlo：应为带 formula = 名称 的表" },
   ["costing.cell_number"] = { en = "{path}:{line}: column '{column}': a number expected, got '{value}'",
      zh = "{path}:{line}：列“{column}”应为数字，实际为“{value}”" },
   ["costing.bad_term"] = {
      en = "{where}bad time term '{term}' (expected 'MINUTES per FIELD' or 'MINUTES if FIELD')",
      zh = "{where}时间项“{term}”有误（应为“分钟数 per 字段”或“分钟数 if 字段”）" },
   ["costing.no_activity"] = { en = "{path}:{line}: column 'activity' is empty",
      zh = "{path}:{line}：activity 列为空" },
   ["costing.bad_definitions"] = { en = "cv.costing: {what}: a list or a CSV path expected, got {got}",
      zh = "cv.costing：{what} 应为列表或 CSV 路径，实际为 {got}" },
   ["report.bad_section"] = { en = "cv.report: section {n} must be a string or a table, got {got}",
      zh = "cv.report：第 {n} 节应为字符串或表，实际为 {got}" },
   ["report.empty_section"] = {
      en = "cv.report: section {n} has none of heading, text, note, list, kpis, table, chart",
      zh = "cv.report：第 {n} 节没有 heading、text、note、list、kpis、table、chart 中的任何一项" },
   ["models.per_unit.day"] = { en = ", per day", zh = "，每天" },
   ["models.per_unit.week"] = { en = ", per week", zh = "，每周" },
   ["models.per_unit.month"] = { en = ", per month", zh = "，每月" },
   ["models.per_unit.year"] = { en = ", per year", zh = "，每年" },
   ["models.unit_unknown"] = {
      en = "{fn}: the table does not say its time unit (a summary read back from a file or "
         .. "built by hand): state it, e.g. {unit = \"week\"}",
      zh = "{fn}：该表没有时间单位（从文件读回或手工构建的汇总表）：请指明，例如 {unit = \"week\"}" },
   ["models.unit_conflict"] = {
      en = "{fn}: unit = \"{unit}\" but the summary is in {data}s (t:meta().unit)",
      zh = "{fn}：unit = \"{unit}\"，但汇总表的时间单位是 {data}（t:meta().unit）" },
   ["models.unit_required"] = {
      en = "{fn}: the time unit of the parameters of {model} is required: {unit = \"week\"} "
         .. "(or day, month, year)",
      zh = "{fn}：必须指明 {model} 参数的时间单位：{unit = \"week\"}（或 day、month、year）" },
   ["models.not_a_model"] = { en = "{fn}: a model (cv.fit) or {model = name, params...} expected",
      zh = "{fn}：应为模型（cv.fit）或 {model = 名称, 参数...}" },
   ["models.param_missing"] = { en = "{fn}: parameter '{param}' of {model} missing",
      zh = "{fn}：缺少 {model} 的参数“{param}”" },
   ["models.bad_spend"] = {
      en = "m:clv: option 'spend' must be a Gamma-Gamma model, a column or a number, got {got}",
      zh = "m:clv：选项“spend”应为 Gamma-Gamma 模型、列名或数字，实际为 {got}" },
   ["models.bad_churn"] = { en = "{model}: churn must lie between 0 and 1, got {value}",
      zh = "{model}：churn 应在 0 与 1 之间，实际为 {value}" },
}

-- The one model interface (lua/cv/fit.lua, issue 14 item 3): a Model's unknown names, a
-- customer given as a record, the horizon a prediction needs, units a model must know.
M.add{
   ["models.no_member"] = { en = "cv.Model has no field or method '{name}'{hint}",
      zh = "cv.Model 没有字段或方法“{name}”{hint}" },
   ["models.did_you_mean2"] = { en = " (did you mean '{a}' or '{b}'?)",
      zh = "（是否想用“{a}”或“{b}”？）" },
   ["models.bad_who"] = {
      en = "{fn}: argument #1 must be a cv.Table of customers or one customer {fields}, got {got}",
      zh = "{fn}：第 1 个参数应为客户表（cv.Table）或单个客户 {fields}，实际为 {got}" },
   ["models.no_pred"] = { en = "{fn}: {model} does not predict '{kind}'",
      zh = "{fn}：{model} 不能预测“{kind}”" },
   ["models.pmf_who"] = {
      en = "{fn}: argument #1 must be a cv.Table of customers or one customer {x =, t_x =, T =}, "
         .. "got {got} (a new customer's P(X(t) = n) is m:pmf_new(horizon, n))",
      zh = "{fn}：第 1 个参数应为客户表（cv.Table）或单个客户 {x =, t_x =, T =}，实际为 {got}"
         .. "（新客户的 P(X(t) = n) 用 m:pmf_new(horizon, n)）" },
   ["models.record_field"] = {
      en = "{fn}: the customer's record needs a number '{field}', got {got}{hint} "
         .. "(one customer is {fields})",
      zh = "{fn}：客户记录需要数值字段“{field}”，实际为 {got}{hint}（单个客户写作 {fields}）" },
   ["models.horizon_missing"] = {
      en = "{fn}: argument #{n} (the horizon, in the model's unit) must be a number, got {got}",
      zh = "{fn}：第 {n} 个参数（预测期长度，以模型的时间单位计）应为数值，实际为 {got}" },
   ["models.holdout_unknown"] = {
      en = "{fn}: the holdout length is not known (the summary has no observation end, "
         .. "t:meta()): give it, e.g. {horizon = 39}",
      zh = "{fn}：验证期长度未知（汇总表没有 observation_end，见 t:meta()）：请给出，例如 "
         .. "{horizon = 39}" },
   ["models.no_unit"] = {
      en = "{fn}: the model does not know its time unit (a Gamma-Gamma model has none)",
      zh = "{fn}：模型没有时间单位（Gamma-Gamma 模型没有时间单位）" },
   ["models.unit_model_conflict"] = {
      en = "{fn}: unit = \"{unit}\" but the model's parameters are per {model}",
      zh = "{fn}：unit = \"{unit}\"，但模型参数的时间单位是 {model}" },
}

-- What reports show of scenarios (lua/cv/scenario.lua): the base's shown name, the
-- sensitivity and Monte Carlo tables' column names, the separator of a list in a text.
M.add{
   ["i18n.colon"] = { en = ": ", zh = "：" },      -- between a name and what follows
   ["i18n.semicolon"] = { en = "; ", zh = "；" },
   ["scenario.base"] = { en = "base", zh = "基准" },
   ["scenario.list_sep"] = { en = ", ", zh = "、" },
   ["scenario.col.low_input"] = { en = "low_input", zh = "参数低值" },
   ["scenario.col.high_input"] = { en = "high_input", zh = "参数高值" },
   ["scenario.col.low"] = { en = "low", zh = "低值结果" },
   ["scenario.col.high"] = { en = "high", zh = "高值结果" },
   ["scenario.col.swing"] = { en = "swing", zh = "波动幅度" },
   ["scenario.col.mean"] = { en = "mean", zh = "均值" },
   ["scenario.col.sd"] = { en = "sd", zh = "标准差" },
   ["scenario.col.p5"] = { en = "p5", zh = "P5" },
   ["scenario.col.p50"] = { en = "p50", zh = "P50" },
   ["scenario.col.p95"] = { en = "p95", zh = "P95" },
   ["scenario.col.threshold"] = { en = "threshold", zh = "阈值" },
   ["scenario.col.p_below"] = { en = "p_below", zh = "低于阈值的概率" },
}

-- The core's messages (src/core, cv_error): en is the C format exactly, zh keeps its
-- conversions in order; i18n.message translates them (see there). Code names (columns,
-- options, model names) in the values stay as they are.
M.add{
   -- formulas.c
   ["core.formula.converge"] = {
      en = "retention must be < 1 + the discount rate per period for the sum to converge, "
         .. "got retention %g and %g a %s",
      zh = "保留率须小于 1 + 每期折现率，求和才收敛；实际保留率为 %g，每期折现率为 %g（period = %s）" },
   ["core.formula.converge2"] = {
      en = "%s must be < 1 + the discount rate per period for the sum to converge, got %s %g "
         .. "and %g a %s",
      zh = "%s 须小于 1 + 每期折现率，求和才收敛；实际 %s 为 %g，每期折现率为 %g（period = %s）" },
   ["core.formula.undefined_change"] = {
      en = "the clv before the change is 0 (margin or retention is 0), so its relative change "
         .. "is undefined",
      zh = "变化前的客户终身价值为 0（毛利或保留率为 0），相对变化无定义" },
   ["core.formula.nan"] = { en = "%s must be a number, got nan", zh = "%s 必须是数值，实际为 nan" },
   ["core.formula.finite"] = { en = "%s must be finite, got %s", zh = "%s 必须是有限数，实际为 %s" },
   ["core.formula.nonneg"] = { en = "%s must be >= 0, got %g", zh = "%s 必须 >= 0，实际为 %g" },
   ["core.formula.positive"] = { en = "%s must be > 0, got %g", zh = "%s 必须 > 0，实际为 %g" },
   ["core.formula.unit"] = { en = "%s must be between 0 and 1, got %g",
      zh = "%s 必须在 0 与 1 之间，实际为 %g" },
   ["core.formula.rate"] = { en = "%s must be > -1, got %g", zh = "%s 必须 > -1，实际为 %g" },
   ["core.formula.count"] = { en = "%s must be a whole number >= 1, got %g",
      zh = "%s 必须是 >= 1 的整数，实际为 %g" },
   ["core.formula.period"] = { en = "%s must be a time unit, got %g",
      zh = "%s 必须是时间单位，实际为 %g" },
   ["core.formula.unknown_unit_hint"] = { en = "%s: unknown unit '%s' (did you mean %s?; units: %s)",
      zh = "%s：未知时间单位“%s”（是否想用 %s？可用单位：%s）" },
   ["core.formula.unknown_unit"] = { en = "%s: unknown unit '%s' (units: %s)",
      zh = "%s：未知时间单位“%s”（可用单位：%s）" },
   ["core.formula.list_empty"] = { en = "%s must have at least one value",
      zh = "%s 至少需要一个值" },
   ["core.formula.list_long"] = { en = "%s has %d values, at most %d allowed",
      zh = "%s 有 %d 个值，最多允许 %d 个" },
   ["core.formula.list_item"] = { en = "%s[%d] must be a finite number, got %g",
      zh = "%s[%d] 必须是有限数，实际为 %g" },
   ["core.formula.overflow"] = { en = "%s: the result is too large to represent (overflow)",
      zh = "%s：结果太大，无法表示（溢出）" },
   ["core.formula.nargs_list"] = { en = "%s takes %d inputs (the last a list), got %d",
      zh = "%s 需要 %d 个输入（最后一个为列表），实际为 %d 个" },
   ["core.formula.nargs1"] = { en = "%s takes 1 input, got %d", zh = "%s 需要 1 个输入，实际为 %d 个" },
   ["core.formula.nargs"] = { en = "%s takes %d inputs, got %d", zh = "%s 需要 %d 个输入，实际为 %d 个" },
   ["core.formula.column_type"] = { en = "input %s: column '%s' is %s, not a number",
      zh = "输入 %s：列“%s”的类型为 %s，不是数值" },
   ["core.row_lld"] = { en = "row %lld: %s", zh = "第 %lld 行：%s" },
   ["core.row_zu"] = { en = "row %zu: %s", zh = "第 %zu 行：%s" },
   ["core.row_zu_why"] = { en = "row %zu: %s (%s)", zh = "第 %zu 行：%s（%s）" },
   ["core.nomem"] = { en = "out of memory", zh = "内存不足" },
   -- lifecycle.c
   ["core.lifecycle.period"] = { en = "the lifecycle period must be > 0 days, got %g",
      zh = "生命周期的期长必须大于 0 天，实际为 %g" },
   ["core.lifecycle.column"] = { en = "lifecycle: a column name is missing",
      zh = "lifecycle：缺少列名" },
   -- model_core.c, model_check.c, model_fit.c, model_stderr.c, model_collapse.c,
   -- model_predict.c, model_clv.c, model_validate.c, model_tracking.c, model_simulate.c
   ["core.model.need_x"] = { en = "%s needs the frequency column x", zh = "%s 需要频次列 x" },
   ["core.model.need_tx"] = { en = "%s needs the recency column t_x", zh = "%s 需要最近购买时间列 t_x" },
   ["core.model.need_T"] = { en = "%s needs the age column T", zh = "%s 需要客户年龄列 T" },
   ["core.model.need_m"] = { en = "%s needs the mean spend column m", zh = "%s 需要平均消费额列 m" },
   ["core.model.weight"] = { en = "row %zu: weight %g is not a count",
      zh = "第 %zu 行：权重 %g 不是计数" },
   ["core.model.cell"] = { en = "row %zu: %s is %s, a finite number is needed",
      zh = "第 %zu 行：%s 为 %s，需要有限数" },
   ["core.model.param_positive"] = { en = "%s: parameter %s = %g must be positive",
      zh = "%s：参数 %s = %g 必须为正" },
   ["core.model.ll"] = { en = "%s: log-likelihood not finite", zh = "%s：对数似然不是有限数" },
   ["core.model.no_customers"] = { en = "%s: no customers to fit (%zu rows, total weight 0)",
      zh = "%s：没有可拟合的客户（%zu 行，总权重为 0）" },
   ["core.model.gg_no_repeat"] = {
      en = "gamma_gamma: no customer has a repeat transaction (x > 0), so there is no repeat "
         .. "spend to fit",
      zh = "gamma_gamma：没有客户有重复交易（x > 0），没有可拟合的重复消费额" },
   ["core.model.age0"] = {
      en = "%s: every customer has age T = 0 (first purchase at the end of the calibration "
         .. "period): nothing to fit; check the calibration end",
      zh = "%s：所有客户的年龄 T = 0（首次购买在校准期末）：无可拟合；请检查校准期结束日" },
   ["core.model.no_repeat"] = {
      en = "%s: no customer made a repeat purchase (x = 0 for all %.15g customers): the "
         .. "likelihood is highest as the purchase rate r/alpha goes to 0; check the frequency "
         .. "column or lengthen the calibration period",
      zh = "%s：没有客户重复购买（全部 %.15g 个客户 x = 0）：购买率 r/alpha 趋于 0 时似然最大；"
         .. "请检查频次列或延长校准期" },
   ["core.model.bgbb_none"] = {
      en = "bgbb: no customer made a transaction (x = 0 for all %.15g customers): the "
         .. "likelihood is highest as the transaction probability goes to 0; check the "
         .. "frequency column",
      zh = "bgbb：没有客户有交易（全部 %.15g 个客户 x = 0）：交易概率趋于 0 时似然最大；"
         .. "请检查频次列" },
   ["core.model.start"] = { en = "%s: start value %s = %g must be positive",
      zh = "%s：初始值 %s = %g 必须为正" },
   ["core.model.ll_start"] = { en = "%s: log-likelihood not finite at the start values",
      zh = "%s：初始值处的对数似然不是有限数" },
   ["core.model.fit_end"] = { en = "%s: the fit ended at %s = %g, not a positive number",
      zh = "%s：拟合结束于 %s = %g，不是正数" },
   ["core.model.ll_fit"] = { en = "%s: the log-likelihood at the fitted parameters is not finite",
      zh = "%s：拟合参数处的对数似然不是有限数" },
   ["core.model.no_pred"] = { en = "%s does not predict '%s'", zh = "%s 不能预测“%s”" },
   ["core.model.not_computable"] = {
      en = "%s: %s not computable for %zu row(s), first row %zu%s",
      zh = "%s：%s 无法计算，共 %zu 行，第一行为第 %zu 行%s" },
   ["core.model.why_q"] = {
      en = "; q = %g <= 1 makes the mean spend of the population infinite, so a customer "
         .. "without repeat purchases (x = 0) has no expected spend",
      zh = "；q = %g <= 1 使总体平均消费额为无穷大，没有重复购买（x = 0）的客户没有预期消费额" },
   ["core.model.why_edge"] = {
      en = "; the parameters are at the edge of their range (a fit that ran to the boundary), "
         .. "where this prediction has no finite form",
      zh = "；参数位于取值范围的边界（拟合跑到了边界），此处该预测没有有限形式" },
   ["core.model.collapse_nomem"] = { en = "out of memory collapsing %zu rows",
      zh = "合并 %zu 行时内存不足" },
   ["core.model.sim_arrays"] = { en = "%s: simulation output arrays missing",
      zh = "%s：缺少模拟输出数组" },
   ["core.model.sbg_periods"] = { en = "sbg needs survivor counts for at least 2 periods",
      zh = "sbg 至少需要 2 期的存活人数" },
   ["core.model.sbg_count"] = { en = "survivor count %zu (%g) is not a count",
      zh = "第 %zu 期存活人数（%g）不是计数" },
   ["core.model.sbg_increase"] = { en = "survivor count %zu (%g) exceeds the one before (%g)",
      zh = "第 %zu 期存活人数（%g）超过上一期（%g）" },
   ["core.model.column_type"] = { en = "column '%s' is %s, expected a number",
      zh = "列“%s”的类型为 %s，应为数值" },
   ["core.model.missing"] = { en = "row %zu: missing value in column '%s'",
      zh = "第 %zu 行：列“%s”有缺失值" },
   ["core.model.clv_model"] = {
      en = "clv needs a model of purchases over time (bgnbd, mbgnbd, pareto_nbd), not %s",
      zh = "clv 需要随时间购买的模型（bgnbd、mbgnbd、pareto_nbd），而不是 %s" },
   ["core.model.clv_horizon"] = { en = "clv horizon must be positive, got %g",
      zh = "clv 的预测期长度必须为正，实际为 %g" },
   ["core.model.clv_discount"] = {
      en = "clv discount rate %g must be above -1 (above 0 for an unlimited horizon)",
      zh = "clv 的折现率 %g 必须大于 -1（预测期无限时须大于 0）" },
   ["core.model.clv_spend"] = {
      en = "clv: expected spend not computable for %zu row(s), first row %zu%s",
      zh = "clv：有 %zu 行无法计算预期消费额，第一行为第 %zu 行%s" },
   ["core.model.clv_rows"] = {
      en = "%s: clv not computable for %zu row(s), first row %zu (x = %g, t_x = %g, T = %g)%s",
      zh = "%s：有 %zu 行无法计算 clv，第一行为第 %zu 行（x = %g，t_x = %g，T = %g）%s" },
   ["core.model.buckets"] = { en = "validation buckets: max x %d must lie in 0..1000",
      zh = "验证分组：x 的上限 %d 必须在 0..1000 之内" },
   ["core.model.holdout"] = { en = "holdout length must be positive, got %g",
      zh = "验证期长度必须为正，实际为 %g" },
   ["core.model.holdout_count"] = { en = "row %zu: holdout transactions must be a count >= 0",
      zh = "第 %zu 行：验证期交易次数必须是 >= 0 的计数" },
   ["core.model.tracking_model"] = { en = "tracking needs a model of purchases over time, not %s",
      zh = "跟踪需要随时间购买的模型，而不是 %s" },
   ["core.model.date_type"] = { en = "date column '%s' is %s, expected a date",
      zh = "日期列“%s”的类型为 %s，应为日期" },
   ["core.model.id_type"] = { en = "customer column '%s' is %s, expected ids",
      zh = "客户列“%s”的类型为 %s，应为客户编号" },
   ["core.model.missing_row"] = { en = "row %lld: missing customer or date",
      zh = "第 %lld 行：缺少客户或日期" },
   ["core.model.no_calib"] = { en = "no customer first bought on or before the calibration end",
      zh = "没有客户在校准期结束日或之前首次购买" },
   ["core.model.tracking_end"] = { en = "the tracking end is before the first purchase",
      zh = "跟踪结束日早于首次购买" },
   ["core.model.gen_model"] = { en = "gen draws transactions from bgnbd, mbgnbd or pareto_nbd, not %s",
      zh = "gen 只能从 bgnbd、mbgnbd 或 pareto_nbd 抽取交易，而不是 %s" },
   ["core.model.gen_window"] = {
      en = "gen: the acquisition window (%d days) must end on or before the end date",
      zh = "gen：获客窗口（%d 天）必须在结束日或之前结束" },
   ["core.model.boundary"] = { en = "%s ran to the boundary: the data do not identify them%s",
      zh = "%s 跑到了边界：数据无法识别这些参数%s" },
   ["core.model.all_same"] = { en = " (all customers are identical)", zh = "（所有客户都相同）" },
   ["core.model.flat"] = {
      en = "the likelihood is flat at the optimum (Hessian not positive definite): the data do "
         .. "not identify the parameters",
      zh = "似然在最优点处是平的（Hessian 矩阵非正定）：数据无法识别参数" },
   -- montecarlo.c, optim.c
   ["core.mc.input"] = { en = "input %d: %s", zh = "第 %d 个输入：%s" },
   ["core.mc.list"] = { en = "%s takes a list of values: monte carlo runs formulas without one",
      zh = "%s 需要一列数值：蒙特卡洛模拟只能运行不带列表的公式" },
   ["core.mc.draws"] = { en = "monte carlo needs at least 1 draw, got %lld",
      zh = "蒙特卡洛模拟至少需要 1 次抽样，实际为 %lld" },
   ["core.mc.no_values"] = { en = "no finite values to summarize", zh = "没有可汇总的有限数值" },
   ["core.mc.hist_bounds"] = { en = "histogram bounds must be finite numbers, got %g",
      zh = "直方图的边界必须是有限数，实际为 %g" },
   ["core.mc.hist_bins"] = {
      en = "histogram needs at least 1 bin and lo < hi, got %d bins over [%g, %g]",
      zh = "直方图至少需要 1 个分组且 lo < hi，实际为 %d 个分组，区间 [%g, %g]" },
   ["core.mc.f_nan"] = { en = "f is not a number at x = %.10g", zh = "f 在 x = %.10g 处不是数值" },
   ["core.mc.root_range"] = { en = "root finding needs a range lo < hi, got [%g, %g]",
      zh = "求根需要 lo < hi 的区间，实际为 [%g, %g]" },
   ["core.mc.no_crossing"] = {
      en = "no crossing between %.10g and %.10g: f goes from %.10g to %.10g",
      zh = "%.10g 与 %.10g 之间没有交点：f 从 %.10g 变到 %.10g" },
   ["core.mc.dist"] = { en = "unknown distribution %d", zh = "未知分布 %d" },
   ["core.mc.param"] = { en = "%s: parameter %d must be a finite number",
      zh = "%s：第 %d 个参数必须是有限数" },
   ["core.mc.clamp"] = { en = "%s: clamp min %g must not exceed max %g",
      zh = "%s：clamp 下限 %g 不得超过上限 %g" },
   ["core.mc.uniform"] = { en = "uniform: min %g must not exceed max %g",
      zh = "uniform：下限 %g 不得超过上限 %g" },
   ["core.mc.sd"] = { en = "%s: sd must be >= 0, got %g", zh = "%s：sd 必须 >= 0，实际为 %g" },
   ["core.mc.triangular"] = {
      en = "triangular: expected min <= mode <= max with min < max, got %g, %g, %g",
      zh = "triangular：应满足 min <= mode <= max 且 min < max，实际为 %g、%g、%g" },
   ["core.mc.beta"] = { en = "beta: shapes must be > 0, got %g and %g",
      zh = "beta：形状参数必须 > 0，实际为 %g 和 %g" },
   ["core.mc.resample_empty"] = { en = "resample: no values", zh = "resample：没有数值" },
   ["core.mc.resample_bad"] = { en = "resample: value %lld is missing or not finite",
      zh = "resample：第 %lld 个值缺失或不是有限数" },
   ["core.optim.dim"] = { en = "optimizer dimension %d outside 1..%d",
      zh = "优化器维数 %d 不在 1..%d 之内" },
   ["core.optim.start"] = { en = "objective not finite at the starting point",
      zh = "目标函数在起点处不是有限数" },
   ["core.optim.optimum"] = { en = "objective not finite near the optimum",
      zh = "目标函数在最优点附近不是有限数" },
   -- summary.c
   ["core.summary.none"] = { en = "no transactions to summarize", zh = "没有可汇总的交易" },
   ["core.sql.timeout"] = {
      en = "%s: the query ran past the connection's timeout of %.14g s and was stopped",
      zh = "%s：查询超过了连接的超时时间 %.14g 秒，已被停止" },
   ["core.sql.timeout_value"] = {
      en = "a timeout is a number of seconds from 0 to 1000000, got %g",
      zh = "超时时间应为 0 到 1000000 之间的秒数，实际为 %g" },
   ["core.summary.nomem"] = { en = "out of memory while summarizing transactions",
      zh = "汇总交易时内存不足" },
   ["core.summary.id_type"] = { en = "customer column '%s' is %s, expected int or string ids",
      zh = "客户列“%s”的类型为 %s，应为整数或字符串编号" },
   ["core.summary.date_type"] = {
      en = "date column '%s' is %s, expected a date or datetime (read it with the type date)",
      zh = "日期列“%s”的类型为 %s，应为日期或日期时间（读取时指定类型 date）" },
   ["core.summary.amount_type"] = { en = "amount column '%s' is %s, expected a number",
      zh = "金额列“%s”的类型为 %s，应为数值" },
   ["core.summary.col_type"] = { en = "%s column '%s' is %s, expected a number",
      zh = "%s 列“%s”的类型为 %s，应为数值" },
   ["core.summary.batches"] = { en = "column types changed between batches",
      zh = "各批数据之间列类型发生了变化" },
   ["core.summary.missing"] = { en = "%s: missing value in column '%s' (skip_missing drops such rows)",
      zh = "%s：列“%s”有缺失值（skip_missing 可丢弃这样的行）" },
   ["core.summary.amount_nan"] = { en = "%s: amount is not a number in column '%s'",
      zh = "%s：列“%s”中的金额不是数值" },
   ["core.summary.negative"] = {
      en = "%s: negative amount %g in column '%s' (allow_negative accepts returns)",
      zh = "%s：负金额 %g（列“%s”；allow_negative 可接受退货）" },
   ["core.summary.span"] = {
      en = "purchase dates from %s to %s span more than 65535 days: sort the rows by customer "
         .. "and date",
      zh = "购买日期从 %s 到 %s，跨度超过 65535 天：请按客户和日期排序" },
   ["core.summary.columns"] = { en = "the customer, date and amount columns must be given",
      zh = "必须给出客户、日期和金额列" },
   ["core.summary.unit"] = { en = "unknown time unit %d", zh = "未知时间单位 %d" },
   ["core.summary.margin"] = { en = "give one of cost, margin and margin_rate, not several",
      zh = "cost、margin 和 margin_rate 只能给出其中一个" },
   ["core.summary.margin_rate"] = { en = "margin rate must be a finite number",
      zh = "毛利率必须是有限数" },
   ["core.summary.obs_end"] = { en = "an observation end needs a calibration end",
      zh = "给出观察期结束日时也须给出校准期结束日" },
   ["core.summary.obs_before"] = { en = "observation end %s is before the calibration end %s",
      zh = "观察期结束日 %s 早于校准期结束日 %s" },
   ["core.summary.none_skipped"] = {
      en = "%s%sno transactions to summarize (%lld rows skipped for missing values)",
      zh = "%s%s没有可汇总的交易（因缺失值跳过了 %lld 行）" },
   ["core.summary.none2"] = { en = "%s%sno transactions to summarize",
      zh = "%s%s没有可汇总的交易" },
   ["core.summary.calib_before"] = {
      en = "%s%scalibration end %s is before the first purchase %s",
      zh = "%s%s校准期结束日 %s 早于首次购买日 %s" },
}

-- The core's messages of reading, writing, tables, costing, RFM, segments, databases and
-- workbooks (src/core: csv_*.c, book_*.c, text_utf16.c, csv_write.c, fileio.c,
-- guard.c, table*.c, costing_*.c, rfm.c, seg_*.c, kmeans.c, sql*.c, xlsx.c), as the block
-- above: en is the C format exactly, zh keeps its conversions in order. An English plural
-- ending ("row%s") is taken in Chinese by "%.0s" (printf: none of its characters).
-- Checked by tests/lua/test_core_messages_io.lua.
M.add {
   -- the system's reasons (strerror, lowercased by the core) inside a message
   ["core.errno.noent"] = { en = "no such file or directory", zh = "没有该文件或目录" },
   ["core.errno.acces"] = { en = "permission denied", zh = "没有访问权限" },
   ["core.errno.isdir"] = { en = "is a directory", zh = "这是一个文件夹" },
   ["core.errno.nospc"] = { en = "no space left on device", zh = "磁盘空间不足" },
   ["core.errno.rofs"] = { en = "read-only file system", zh = "文件系统为只读" },
   -- csv_*.c, text_utf16.c
   ["core.csv.fields"] = { en = "expected %d field%s, found %d",
      zh = "应有 %d 个字段%.0s，实际为 %d 个" },
   ["core.csv.value"] = { en = "expected %s in column '%s', found '%s' (%s)",
      zh = "应为%s（列 '%s'），实际为 '%s'（%s）" },
   ["core.csv.decimal_comma"] = {
      en = "'%s' in column '%s' reads as %.15g or as %.15g: decimal_comma = false reads %.15g, "
         .. "decimal_comma = true reads %.15g",
      zh = "'%s'（列 '%s'）可读作 %.15g 或 %.15g：decimal_comma = false 读作 %.15g，"
         .. "decimal_comma = true 读作 %.15g" },
   ["core.csv.unterminated"] = {
      en = "unterminated quote: expected a closing '\"' for the field opened here, found the end of the file",
      zh = "引号未闭合：此处开始的字段应有结束的 '\"'，却已到文件末尾" },
   ["core.csv.after_quote"] = {
      en = "expected a delimiter after the closing quote, found '%s' (lenient_quotes = true reads it as written)",
      zh = "结束引号之后应为分隔符，实际为 '%s'（lenient_quotes = true 可按原样读取）" },
   ["core.csv.quote_inside"] = {
      en = "expected no quote in an unquoted field, found '%s' (quote the field and double its quotes, or lenient_quotes = true)",
      zh = "未加引号的字段中不应出现引号，实际为 '%s'（请给该字段加引号并把其中的引号写两遍，或用 lenient_quotes = true）" },
   ["core.csv.nul"] = { en = "expected text, found a NUL byte (a binary or UTF-16 file?)",
      zh = "应为文本，实际遇到 NUL 字节（是二进制文件或 UTF-16 文件吗？）" },
   ["core.csv.bad_byte"] = { en = "expected %s text, found the invalid byte 0x%02x",
      zh = "应为 %s 文本，实际遇到无效字节 0x%02x" },
   ["core.csv.read_failed"] = { en = "read failed: %s", zh = "读取失败：%s" },
   ["core.csv.cancelled"] = { en = "cancelled", zh = "已取消" },
   ["core.csv.nomem"] = { en = "out of memory reading %s", zh = "读取 %s 时内存不足" },
   ["core.csv.empty"] = { en = "expected a header or data rows, found an empty file",
      zh = "应有表头或数据行，实际为空文件" },
   ["core.csv.max_columns"] = { en = "expected at most %d columns, found %d",
      zh = "最多应有 %d 列，实际为 %d 列" },
   ["core.csv.names"] = { en = "expected %d column names, found %d",
      zh = "应有 %d 个列名，实际为 %d 个" },
   ["core.csv.type_column"] = { en = "no column '%s' to give a type to (the file has %d column%s)",
      zh = "没有可指定类型的列 '%s'（文件共有 %d 列%.0s）" },
   ["core.csv.marks"] = { en = "thousands = \"%c\" with decimal_comma = %s: the two marks are the same",
      zh = "thousands = \"%c\" 与 decimal_comma = %s：两个符号相同" },
   ["core.csv.invalid"] = { en = "invalid text", zh = "无效的文本" },
   ["core.csv.settle"] = { en = "the column types do not settle", zh = "无法确定各列的类型" },
   ["core.csv.xls_file"] = { en = "%s: an .xls workbook is read from a file",
      zh = "%s：.xls 工作簿只能从文件读取" },
   ["core.csv.open"] = { en = "cannot open the file: %s", zh = "无法打开文件：%s" },
   ["core.csv.directory"] = { en = "expected a file, found a directory",
      zh = "应为文件，实际为文件夹" },
   ["core.csv.special"] = { en = "expected a regular file, found a special file",
      zh = "应为普通文件，实际为特殊文件" },
   ["core.csv.batch"] = { en = "cv_csv_stream: batch_rows must be positive",
      zh = "cv_csv_stream：batch_rows 必须为正" },
   ["core.utf16.found"] = { en = "expected UTF-16 text, found %s", zh = "应为 UTF-16 文本，实际为 %s" },
   ["core.utf16.odd"] = { en = "expected UTF-16 text, found an odd number of bytes",
      zh = "应为 UTF-16 文本，实际字节数为奇数" },
   -- book_text.c, book_xlsx.c, book_xls.c (.xlsx and .xls workbooks)
   ["core.book.serial"] = {
      en = "%s:%s!%s: expected a date, found the serial number %s, which is no calendar date (1900-02-29 or 0)",
      zh = "%s:%s!%s：应为日期，实际为序列号 %s，它不是日历上的日期（1900-02-29 或 0）" },
   ["core.book.error_cell"] = {
      en = "%s:%s!%s: expected a value, found the error %.40s (na = {\"%.40s\"} reads it as missing)",
      zh = "%s:%s!%s：应为数值，实际为错误值 %.40s（na = {\"%.40s\"} 可将其读作缺失值）" },
   ["core.book.cell"] = { en = "%s!%s: %s", zh = "%s!%s：%s" },
   ["core.book.no_part"] = { en = "%s: expected an .xlsx workbook, found no part '%s'",
      zh = "%s：应为 .xlsx 工作簿，但缺少部件 '%s'" },
   ["core.book.part_read"] = { en = "%s: cannot read part '%s': %s",
      zh = "%s：无法读取部件 '%s'：%s" },
   ["core.book.part_line"] = { en = "%s: part '%s' line %lu: %s",
      zh = "%s：部件 '%s' 第 %lu 行：%s" },
   ["core.book.not_zip"] = { en = "%s: expected an .xlsx workbook (a zip archive), found %s",
      zh = "%s：应为 .xlsx 工作簿（zip 压缩包），实际为 %s" },
   ["core.book.no_sheet"] = { en = "%s: no sheet '%s' (the workbook has %s)",
      zh = "%s：没有工作表 '%s'（工作簿中有 %s）" },
   ["core.book.value"] = { en = "%s:%s!%s: expected a value, found %s",
      zh = "%s:%s!%s：应为数值，实际为 %s" },
   ["core.book.xls"] = {
      en = "%s: expected an .xls workbook, found a file FreeXL cannot read (encrypted, or not BIFF)",
      zh = "%s：应为 .xls 工作簿，实际为 FreeXL 无法读取的文件（已加密或不是 BIFF 格式）" },
   ["core.book.sheet"] = { en = "%s:%s: cannot read the sheet", zh = "%s:%s：无法读取该工作表" },
   -- csv_write.c, fileio.c, guard.c, xlsx.c
   ["core.write.not_text"] = { en = "%s is not a text format", zh = "%s 不是文本格式" },
   ["core.write.format"] = { en = "unknown output format %d", zh = "未知的输出格式 %d" },
   ["core.file.too_long"] = { en = "cannot create folder (name too long)",
      zh = "无法创建文件夹（名称过长）" },
   ["core.file.a_file"] = { en = "cannot create folder (a file is there)",
      zh = "无法创建文件夹（该位置已有同名文件）" },
   -- sandbox.c: what the sandbox refuses (docs/safety.md)
   ["core.sandbox.write"] = {
      en = "cannot write '%s': outside the output folder '%s' (sandbox)",
      zh = "无法写入 '%s'：不在输出文件夹 '%s' 之内（沙箱）" },
   ["core.sandbox.read"] = {
      en = "cannot read '%s': outside the folders this sandbox may read (%s) (sandbox)",
      zh = "无法读取 '%s'：不在此沙箱可读的文件夹（%s）之内（沙箱）" },
   ["core.sandbox.regular"] = { en = "cannot read '%s': not a regular file (sandbox)",
      zh = "无法读取 '%s'：不是普通文件（沙箱）" },
   ["core.sandbox.module"] = { en = "module '%s' is not available in the sandbox",
      zh = "沙箱中没有模块 '%s'" },
   ["core.sandbox.what"] = { en = "'%s' is not available in the sandbox", zh = "沙箱中不能使用 '%s'" },
   -- engine.c: a script that cannot be opened ("x.lua: cannot open script (...)")
   ["core.engine.open_script"] = { en = "cannot open script (%s)", zh = "无法打开脚本（%s）" },
   -- fileio.c's io_error: "<what>: <the system's reason>" (core.errno.*)
   ["core.file.mkdir_errno"] = { en = "cannot create folder: %s", zh = "无法创建文件夹：%s" },
   ["core.file.write_errno"] = { en = "cannot write: %s", zh = "无法写出：%s" },
   ["core.file.too_many"] = { en = "cannot write: too many files being written at once (%d)",
      zh = "无法写出：同时写出的文件过多（%d 个）" },
   ["core.file.guard"] = {
      en = "refusing to replace a file this run read (write the output elsewhere)",
      zh = "拒绝覆盖本次运行读取过的文件（请把输出写到别处）" },
   ["core.xlsx.no_sheet"] = { en = "a workbook needs at least one sheet",
      zh = "工作簿至少需要一个工作表" },
   ["core.xlsx.too_large"] = { en = "sheet '%s' is too large for xlsx: %lld rows, %d columns",
      zh = "工作表 '%s' 超出 xlsx 的容量：%lld 行，%d 列" },
   ["core.xlsx.twice"] = { en = "sheet name '%s' is given twice", zh = "工作表名 '%s' 重复" },
   ["core.xlsx.start"] = { en = "cannot start a workbook", zh = "无法创建工作簿" },
   ["core.xlsx.name"] = { en = "bad sheet name '%s' (at most 31 characters, none of []:*?/\\)",
      zh = "工作表名 '%s' 无效（最多 31 个字符，不能含 []:*?/\\）" },
   ["core.xlsx.sheet_failed"] = { en = "write failed: sheet '%s': %s",
      zh = "写出失败：工作表 '%s'：%s" },
   ["core.xlsx.failed"] = { en = "write failed: %s", zh = "写出失败：%s" },
   ["core.xlsx.incomplete"] = {
      en = "write failed: a sheet came out incomplete (is the temporary folder full?)",
      zh = "写出失败：有工作表未完整写出（临时文件夹已满吗？）" },
   -- table.c, table_select.c, table_cast.c, table_join.c, table_group.c
   ["core.table.duplicate"] = { en = "duplicate column name '%s'", zh = "列名 '%s' 重复" },
   ["core.table.length"] = { en = "column '%s' has %lld values, the table has %lld rows",
      zh = "列 '%s' 有 %lld 个值，而表有 %lld 行" },
   ["core.table.no_column_hint"] = { en = "no column '%s' (did you mean %s?)",
      zh = "没有列 '%s'（是否要用 %s？）" },
   ["core.table.no_column"] = { en = "no column '%s' (columns: %s)",
      zh = "没有列 '%s'（现有的列：%s）" },
   ["core.table.row_range"] = { en = "row index %lld out of range (the table has %lld rows)",
      zh = "行号 %lld 超出范围（表共有 %lld 行）" },
   ["core.table.filter_like"] = { en = "filter on column '%s': expected a %s like %s, found '%.*s'",
      zh = "按列 '%s' 筛选：应为形如 %.0s%s 的值，实际为 '%.*s'" },
   ["core.table.filter_type"] = { en = "filter on column '%s' (%s): expected %s, found %s%s",
      zh = "按列 '%s'（%s）筛选：应为 %s，实际为 %s%s" },
   ["core.table.filter_op"] = { en = "unknown filter operator %d", zh = "未知的筛选运算符 %d" },
   ["core.table.filter_na"] = {
      en = "filter on column '%s': cannot order against missing, use isna or notna",
      zh = "按列 '%s' 筛选：不能与缺失值比较大小，请用 isna 或 notna" },
   ["core.table.cast"] = { en = "cannot cast column '%s' from %s to %s",
      zh = "无法把列 '%s' 从 %s 转换为 %s" },
   ["core.table.cast_value"] = { en = "cannot cast '%s' in row %lld of column '%s' to %s",
      zh = "无法把 '%s'（第 %lld 行，列 '%s'）转换为 %s" },
   ["core.table.kind"] = { en = "column '%s' is %s: only numbers have a kind",
      zh = "列 '%s' 是 %s：只有数值列才有数值类别" },
   ["core.table.join_keys"] = { en = "join needs 1 to 64 key columns, got %d",
      zh = "连接需要 1 至 64 个键列，实际为 %d 个" },
   ["core.table.join_kind"] = { en = "unknown join kind %d", zh = "未知的连接方式 %d" },
   ["core.table.join_type"] = {
      en = "join key '%s' is %s on the left: expected %s for '%s' on the right, found %s",
      zh = "连接键 '%s' 在左表中是 %s：应为 %s（右表的 '%s'），实际为 %s" },
   ["core.table.agg_column"] = { en = "aggregate '%s' needs a column", zh = "聚合 '%s' 需要一列" },
   ["core.table.agg_number"] = { en = "%s of column '%s': expected a number column, found %s",
      zh = "%s（列 '%s'）：应为数值列，实际为 %s" },
   ["core.table.agg_date"] = {
      en = "%s of column '%s': expected a number or date column, found string",
      zh = "%s（列 '%s'）：应为数值列或日期列，实际为字符串列" },
   ["core.table.quantile"] = { en = "quantile of column '%s': q must be in [0, 1], found %g",
      zh = "列 '%s' 的分位数：q 必须在 [0, 1] 之内，实际为 %g" },
   ["core.table.overflow"] = {
      en = "sum of column '%s' overflows a 64-bit integer (cast it to float first)",
      zh = "列 '%s' 的合计超出 64 位整数范围（请先转换为 float）" },
   ["core.table.group_keys"] = { en = "group_by takes 0 to 64 key columns, got %d",
      zh = "group_by 接受 0 至 64 个键列，实际为 %d 个" },
}

-- costing_*.c, rfm.c, seg_rules.c, seg_value.c, kmeans.c (the same conventions as above)
M.add {
   ["core.costing.field"] = { en = "activity '%s': time equation names an unknown field '%s' (%s)",
      zh = "作业 '%s'：时间方程引用了未知字段 '%s'（%s）" },
   ["core.costing.no_column"] = { en = "activity '%s': no %s '%s' (%s)",
      zh = "作业 '%s'：没有 %s '%s'（%s）" },
   ["core.costing.not_number"] = { en = "activity '%s': %s '%s' is %s, a number is expected",
      zh = "作业 '%s'：%s '%s' 是 %s，应为数值" },
   ["core.costing.no_name"] = { en = "%s %d has no name", zh = "%s 第 %d 项没有名称" },
   ["core.costing.twice"] = { en = "%s '%s' is defined twice", zh = "%s '%s' 定义了两次" },
   ["core.costing.nonneg"] = { en = "%s '%s': %s must be a finite number >= 0, got %g",
      zh = "%s '%s'：%s 必须是 >= 0 的有限数，实际为 %g" },
   ["core.costing.customer"] = { en = "drivers: a customer column is required",
      zh = "成本动因表：必须有客户列" },
   ["core.costing.driver_type"] = { en = "driver '%s' is %s, a number is expected",
      zh = "成本动因 '%s' 是 %s，应为数值" },
   ["core.costing.abc_none"] = { en = "abc: no activities", zh = "作业成本法：没有作业" },
   ["core.costing.driver_negative"] = {
      en = "activity '%s': driver '%s' is negative (%g) in row %lld",
      zh = "作业 '%s'：成本动因 '%s' 为负数（%g），在第 %lld 行" },
   ["core.costing.zero_volume"] = {
      en = "activity '%s': driver '%s' has zero total volume, so its rate cost ÷ volume is undefined (give the rate)",
      zh = "作业 '%s'：成本动因 '%s' 的总量为 0，动因分配率（成本 ÷ 总量）无定义（请直接给出分配率）" },
   ["core.costing.resource"] = { en = "activity '%s': unknown resource '%s' (resources: %s)",
      zh = "作业 '%s'：未知资源 '%s'（现有资源：%s）" },
   ["core.costing.minutes"] = {
      en = "activity '%s': the minutes of field '%s' must be a finite number >= 0, got %g",
      zh = "作业 '%s'：字段 '%s' 的分钟数必须是 >= 0 的有限数，实际为 %g" },
   ["core.costing.field_kind"] = { en = "activity '%s': field '%s' has an unknown kind",
      zh = "作业 '%s'：字段 '%s' 的类型未知" },
   ["core.costing.events_negative"] = {
      en = "activity '%s': events column '%s' is negative (%g) in row %lld",
      zh = "作业 '%s'：事件数列 '%s' 为负数（%g），在第 %lld 行" },
   ["core.costing.field_negative"] = {
      en = "activity '%s': field '%s' is negative (%g) in row %lld",
      zh = "作业 '%s'：字段 '%s' 为负数（%g），在第 %lld 行" },
   ["core.costing.tdabc_resources"] = { en = "tdabc: no resources", zh = "时间驱动作业成本法：没有资源" },
   ["core.costing.tdabc_activities"] = { en = "tdabc: no activities",
      zh = "时间驱动作业成本法：没有作业" },
   ["core.costing.capacity"] = {
      en = "resource '%s': practical capacity must be > 0 minutes, got %g",
      zh = "资源 '%s'：实际产能必须 > 0 分钟，实际为 %g" },
   ["core.costing.revenue"] = { en = "pnl: a revenue column is required",
      zh = "客户损益表：必须有收入列" },
   ["core.costing.revenue_type"] = { en = "pnl: revenue column '%s' is %s, a number is expected",
      zh = "客户损益表：收入列 '%s' 是 %s，应为数值" },
   ["core.costing.pnl_column"] = { en = "pnl: no %s column '%s' (%s)",
      zh = "客户损益表：没有 %s 列 '%s'（%s）" },
   ["core.costing.pnl_type"] = { en = "pnl: %s column '%s' is %s, a number is expected",
      zh = "客户损益表：%s 列 '%s' 是 %s，应为数值" },
   ["core.costing.pnl_name"] = { en = "pnl: column '%s' has the name of a P&L result; rename it",
      zh = "客户损益表：列 '%s' 与损益结果列同名，请改名" },
   ["core.costing.waterfall"] = { en = "waterfall: row %lld is past the last row (%lld)",
      zh = "瀑布图：第 %lld 行超出最后一行（%lld）" },
   ["core.costing.whale_type"] = { en = "whale: profit column '%s' is %s, a number is expected",
      zh = "鲸鱼曲线：利润列 '%s' 是 %s，应为数值" },
   ["core.costing.whale_none"] = { en = "whale: the table has no customers",
      zh = "鲸鱼曲线：表中没有客户" },
   ["core.costing.whale_missing"] = { en = "whale: profit is missing in row %lld",
      zh = "鲸鱼曲线：第 %lld 行缺少利润" },
   ["core.costing.whale_total"] = {
      en = "whale: total profit is %g, not > 0, so shares of it are undefined",
      zh = "鲸鱼曲线：利润合计为 %g，不大于 0，无法计算各客户所占比例" },
   ["core.rfm.bins"] = { en = "bins must be between 2 and 1000, got %d",
      zh = "bins 必须在 2 与 1000 之间，实际为 %d" },
   ["core.rfm.split"] = { en = "a %s split has 2 bins, got %d", zh = "%s 划分只有 2 档，实际为 %d" },
   ["core.rfm.cuts"] = { en = "cut points must be ascending (cut %d is %g, cut %d is %g)",
      zh = "分割点必须递增（第 %d 个分割点为 %g，第 %d 个为 %g）" },
   ["core.rfm.nested"] = { en = "nested scores use quantile bins", zh = "嵌套评分须按分位数分档" },
   ["core.rfm.cuts_missing"] = { en = "cut points for %s are missing", zh = "缺少 %s 的分割点" },
   ["core.seg.condition"] = { en = "a condition needs a rule first", zh = "条件之前须先有规则" },
   ["core.seg.range"] = { en = "rule '%s': bad range %g..%g for '%s'",
      zh = "规则 '%s'：范围 %g..%g 无效（'%s'）" },
   ["core.seg.grid_columns"] = { en = "a grid needs 1 to 64 columns", zh = "评分格需要 1 至 64 列" },
   ["core.seg.grid_empty"] = { en = "grid column '%s': %d..%d is empty",
      zh = "评分格列 '%s'：%d..%d 为空" },
   ["core.seg.grid_large"] = { en = "a grid of more than 1,000,000 cells",
      zh = "评分格超过 1,000,000 个" },
   ["core.seg.grid_test"] = { en = "the rules test '%s', which is not a grid column",
      zh = "规则检验了 '%s'，但它不是评分格的列" },
   ["core.seg.grid_stat"] = {
      en = "a rule on '%s' compares with a statistic of the data: no grid coverage",
      zh = "关于 '%s' 的规则与数据的统计量比较：无法计算评分格覆盖" },
   ["core.seg.no_values"] = { en = "no values", zh = "没有数值" },
   ["core.seg.sum_shares"] = {
      en = "the values sum to %g, not > 0: shares of the total are undefined",
      zh = "数值合计为 %g，不大于 0：无法计算占合计的比例" },
   ["core.seg.lorenz"] = { en = "a lorenz curve needs 2 points or more",
      zh = "洛伦兹曲线至少需要 2 个点" },
   ["core.seg.sum_positive"] = { en = "the values sum to %g, expected more than 0",
      zh = "数值合计为 %g，应大于 0" },
   ["core.seg.tier_none"] = { en = "tiers need at least one share", zh = "分层至少需要一个比例" },
   ["core.seg.tier_negative"] = { en = "tier shares must be >= 0", zh = "各层比例必须 >= 0" },
   ["core.seg.tier_sum"] = { en = "tier shares sum to %g, expected 1",
      zh = "各层比例合计为 %g，应为 1" },
   ["core.seg.tier_value"] = { en = "column '%s' sums to %g: no tiers by value",
      zh = "列 '%s' 合计为 %g：无法按价值分层" },
   ["core.kmeans.missing"] = {
      en = "column '%s' has a missing value at row %lld: k-means needs every value (filter or fill them first)",
      zh = "列 '%s' 在第 %lld 行有缺失值：k 均值聚类需要全部数值（请先筛除或填补）" },
   ["core.kmeans.columns"] = { en = "k-means needs at least one column",
      zh = "k 均值聚类至少需要一列" },
   ["core.kmeans.k"] = { en = "k must be between 1 and the %lld rows, got %d",
      zh = "k 必须在 1 与行数 %lld 之间，实际为 %d" },
   ["core.kmeans.silhouette"] = { en = "silhouette needs at least one column",
      zh = "轮廓系数至少需要一列" },
   ["core.kmeans.label"] = { en = "label column '%s' has a missing value",
      zh = "类别列 '%s' 有缺失值" },
   ["core.kmeans.clusters"] = { en = "more than 1024 clusters in '%s'",
      zh = "'%s' 中的类别超过 1024 个" },
}

-- sql.c, sql_pg.c, sql_sqlite.c, sql_ch.c, sql_ch_text.c, sql_summary*.c, sql_score.c (the
-- same conventions; a database's own reason, the last %s, stays as the server wrote it)
M.add {
   ["core.sql.error"] = { en = "sql: %s", zh = "SQL 错误：%s" },
   ["core.sql.plain"] = { en = "sql", zh = "SQL 错误" },
   ["core.sql.nomem_query"] = { en = "out of memory while reading a query",
      zh = "读取查询结果时内存不足" },
   ["core.sql.nomem_connect"] = { en = "out of memory while connecting", zh = "连接时内存不足" },
   ["core.sql.nomem_statement"] = { en = "out of memory while running a statement",
      zh = "执行语句时内存不足" },
   ["core.sql.nomem_write"] = { en = "out of memory while writing a table", zh = "写表时内存不足" },
   ["core.sql.nomem_send"] = { en = "out of memory while sending a query", zh = "发送查询时内存不足" },
   ["core.sql.nomem_bind"] = { en = "out of memory while binding parameters",
      zh = "绑定参数时内存不足" },
   ["core.sql.no_file"] = { en = "no file in '%s' (write sqlite:path.db)",
      zh = "'%s' 中没有文件名（请写 sqlite:path.db）" },
   ["core.sql.unknown"] = {
      en = "unknown database '%s' (expected sqlite:path.db, postgresql://user@host:port/db or clickhouse://user@host:port/db)",
      zh = "未知的数据库 '%s'（应为 sqlite:path.db、postgresql://user@host:port/db 或 clickhouse://user@host:port/db）" },
   ["core.sql.no_query"] = { en = "no connection or no query", zh = "没有连接或没有查询" },
   ["core.sql.no_statement"] = { en = "no connection or no statement", zh = "没有连接或没有语句" },
   ["core.sql.no_table"] = { en = "no connection or no table", zh = "没有连接或没有表" },
   ["core.sql.no_name"] = { en = "no table name to write to", zh = "没有要写入的表名" },
   ["core.sql.no_columns"] = { en = "a table without columns cannot be written",
      zh = "没有列的表无法写入" },
   ["core.sql.no_connection"] = { en = "no connection", zh = "没有连接" },
   ["core.pg.refused"] = {
      en = "cannot connect to postgresql%s: connection refused (is the server running?)",
      zh = "无法连接 postgresql%s：连接被拒绝（服务器在运行吗？）" },
   ["core.pg.login"] = { en = "login to postgresql%s failed: %s", zh = "登录 postgresql%s 失败：%s" },
   ["core.pg.connect"] = { en = "cannot connect to postgresql%s: %s",
      zh = "无法连接 postgresql%s：%s" },
   ["core.pg.password"] = {
      en = "bad password in '%s': a '%%' not followed by two hexadecimal digits (write %%25 for '%%', %%40 for '@')",
      zh = "'%s' 中的密码无效：'%%' 后面不是两位十六进制数字（'%%' 写作 %%25，'@' 写作 %%40）" },
   ["core.pg.session"] = { en = "cannot set up the postgresql session: %s",
      zh = "无法建立 postgresql 会话：%s" },
   ["core.pg.error"] = { en = "postgresql: %s", zh = "postgresql 错误：%s" },
   ["core.pg.copy"] = { en = "postgresql: unexpected copy data", zh = "postgresql：意外的 COPY 数据" },
   ["core.pg.table"] = { en = "cannot %s table '%s': %s%s", zh = "无法%s表 '%s'：%s%s" },
   ["core.pg.table_create"] = { en = "cannot create table '%s': %s%s",
      zh = "无法创建表 '%s'：%s%s" },
   ["core.pg.table_write"] = { en = "cannot write to table '%s': %s%s",
      zh = "无法写入表 '%s'：%s%s" },
   ["core.sqlite.open"] = { en = "cannot open sqlite database '%s': %s",
      zh = "无法打开 sqlite 数据库 '%s'：%s" },
   ["core.sqlite.param"] = { en = "the query uses parameter %s but %d %s given",
      zh = "查询用到参数 %s，但只给出了 %d 个%.0s" },
   ["core.sqlite.params"] = { en = "%d parameters given but the query uses %d",
      zh = "给出了 %d 个参数，但查询只用到 %d 个" },
   ["core.sqlite.none"] = { en = "sql: no statement in the query", zh = "SQL 错误：查询中没有语句" },
   ["core.sqlite.more"] = { en = "sql: one statement expected, found more",
      zh = "SQL 错误：应只有一条语句，实际有多条" },
   ["core.sqlite.create"] = { en = "cannot create table '%s': %s (mode append adds rows to it)",
      zh = "无法创建表 '%s'：%s（mode append 可向其追加行）" },
   ["core.sqlite.write"] = { en = "cannot write to table '%s': %s", zh = "无法写入表 '%s'：%s" },
   ["core.sqlite.row"] = { en = "cannot write row %lld to table '%s': %s",
      zh = "无法把第 %lld 行写入表 '%s'：%s" },
   ["core.ch.url"] = { en = "bad clickhouse url '%s' (write clickhouse://user@host:port/db)",
      zh = "clickhouse 地址 '%s' 无效（请写 clickhouse://user@host:port/db）" },
   ["core.ch.password"] = {
      en = "bad user or password in '%s': a '%%' not followed by two hexadecimal digits (write %%25 for '%%', %%40 for '@')",
      zh = "'%s' 中的用户名或密码无效：'%%' 后面不是两位十六进制数字（'%%' 写作 %%25，'@' 写作 %%40）" },
   ["core.ch.host"] = { en = "bad host in '%s'", zh = "'%s' 中的主机名无效" },
   ["core.ch.port"] = { en = "bad port in '%s'", zh = "'%s' 中的端口无效" },
   ["core.ch.no_host"] = { en = "no host in '%s' (write clickhouse://user@host:port/db)",
      zh = "'%s' 中没有主机名（请写 clickhouse://user@host:port/db）" },
   ["core.ch.options"] = {
      en = "options in '%s' are not supported (write clickhouse://user@host:port/db)",
      zh = "不支持 '%s' 中的选项（请写 clickhouse://user@host:port/db）" },
   ["core.ch.database"] = { en = "bad database name in '%s'", zh = "'%s' 中的数据库名无效" },
   ["core.ch.database_chars"] = { en = "bad database name in '%s' (letters, digits and _)",
      zh = "'%s' 中的数据库名无效（只能用字母、数字和 _）" },
   ["core.ch.refused"] = {
      en = "cannot connect to clickhouse at %s: connection refused (is the server running?)",
      zh = "无法连接位于 %s 的 clickhouse：连接被拒绝（服务器在运行吗？）" },
   ["core.ch.error"] = { en = "clickhouse at %s: %s", zh = "位于 %s 的 clickhouse：%s" },
   ["core.ch.login"] = { en = "login to clickhouse at %s failed: %s",
      zh = "登录位于 %s 的 clickhouse 失败：%s" },
   ["core.ch.connect"] = { en = "cannot connect to clickhouse at %s: %s",
      zh = "无法连接位于 %s 的 clickhouse：%s" },
   ["core.ch.exists"] = {
      en = "cannot create table '%s': table already exists (mode append adds rows to it)",
      zh = "无法创建表 '%s'：该表已存在（mode append 可向其追加行）" },
   ["core.ch.missing"] = { en = "cannot write to table '%s': it does not exist",
      zh = "无法写入表 '%s'：该表不存在" },
   ["core.ch.types"] = { en = "clickhouse: unexpected response (%d types for %d columns)",
      zh = "clickhouse：意外的响应（%d 个类型对应 %d 列）" },
   ["core.ch.timed_out"] = { en = "clickhouse at %s: timed out", zh = "位于 %s 的 clickhouse：超时" },
   ["core.sqlite.interrupted"] = { en = "sqlite: interrupted", zh = "sqlite：已中断" },
   ["core.ch.value"] = { en = "clickhouse: row %ld, column '%s': '%.*s' is not a%s %s",
      zh = "clickhouse：第 %ld 行，列 '%s'：'%.*s' 不是%.0s %s" },
   ["core.ch.fields"] = {
      en = "clickhouse: unexpected response (row %ld has %s fields than the %d columns)",
      zh = "clickhouse：意外的响应（第 %ld 行的字段数%.0s与 %d 列不符）" },
   ["core.ch.fewer"] = {
      en = "clickhouse: unexpected response (row %ld has fewer fields than the %d columns)",
      zh = "clickhouse：意外的响应（第 %ld 行的字段少于 %d 列）" },
   ["core.ch.more"] = {
      en = "clickhouse: unexpected response (row %ld has more fields than the %d columns)",
      zh = "clickhouse：意外的响应（第 %ld 行的字段多于 %d 列）" },
   ["core.ch.bad"] = { en = "clickhouse: the response was already bad",
      zh = "clickhouse：响应此前已经出错" },
   ["core.ch.mid_row"] = { en = "clickhouse: the response ends in the middle of a row",
      zh = "clickhouse：响应在一行的中间结束" },
   ["core.ch.no_names"] = { en = "clickhouse: the response has no column names and types",
      zh = "clickhouse：响应中没有列名和类型" },
   ["core.ch.param"] = { en = "sql: parameter $%ld is not given (%d given)",
      zh = "SQL 错误：没有给出参数 $%ld（只给出了 %d 个）" },
   ["core.sqlsum.table"] = { en = "the table of transactions must be given",
      zh = "必须给出交易表" },
   ["core.sqlsum.merge"] = {
      en = "merge_same_day = false is not supported in the database (rows of one day have no order there): summarize a loaded table instead",
      zh = "数据库中不支持 merge_same_day = false（库中同一天的行没有先后顺序）：请改为汇总已读入的表" },
   ["core.sqlsum.nomem"] = { en = "out of memory while writing the summary's sql",
      zh = "生成汇总的 SQL 时内存不足" },
   ["core.sqlsum.scores"] = { en = "the table of scores and the view must be named",
      zh = "必须给出评分表和视图的名称" },
   ["core.sqlsum.nomem_scores"] = { en = "out of memory while writing the scores' sql",
      zh = "生成评分的 SQL 时内存不足" },
   ["core.sqlsum.checks"] = { en = "clickhouse: the summary's checks gave %lld rows",
      zh = "clickhouse：汇总的检查返回了 %lld 行" },
   ["core.sqlsum.collapse_x"] = { en = "clickhouse: the collapse's x is not an integer",
      zh = "clickhouse：合并结果中的 x 不是整数" },
   ["core.sqlsum.columns"] = { en = "the summary query gave %d columns, expected %d",
      zh = "汇总查询返回了 %d 列，应为 %d 列" },
   ["core.sqlsum.none_skipped"] = {
      en = "table '%s': no transactions to summarize (%lld rows skipped for missing values)",
      zh = "表 '%s'：没有可汇总的交易（因缺失值跳过了 %lld 行）" },
   ["core.sqlsum.none"] = { en = "table '%s': no transactions to summarize",
      zh = "表 '%s'：没有可汇总的交易" },
   ["core.sqlsum.missing"] = {
      en = "table '%s': %lld row%s with a missing customer, date or amount%s (skip_missing drops such rows)",
      zh = "表 '%s'：%lld 行%.0s缺少客户、日期或金额%s（skip_missing 会丢弃这些行）" },
   ["core.sqlsum.negative"] = {
      en = "table '%s': %lld row%s with a negative amount in column '%s' (allow_negative accepts returns)",
      zh = "表 '%s'：%lld 行%.0s在列 '%s' 中金额为负（allow_negative 可接受退货）" },
   ["core.sqlsum.calib"] = { en = "table '%s': calibration end %s is before the first purchase %s",
      zh = "表 '%s'：校准期结束日 %s 早于首次购买日 %s" },
}

-- The progress line of long steps on a terminal (src/lua/progress.c copies these when an
-- engine starts): the step's name, the units of its rate, seconds.
M.add {
   ["progress.read"] = { en = "reading", zh = "读取" },
   ["progress.summary"] = { en = "summarizing", zh = "汇总" },
   ["progress.fit"] = { en = "fitting", zh = "拟合" },
   ["progress.predict"] = { en = "predicting", zh = "预测" },
   ["progress.write"] = { en = "writing", zh = "写出" },
   ["progress.rows"] = { en = "rows/s", zh = "行/秒" },
   ["progress.bytes"] = { en = "MB/s", zh = "MB/秒" },
   ["progress.evals"] = { en = "evaluations", zh = "次求值" },
   ["progress.seconds"] = { en = "s", zh = "秒" },
}


-- Relevant costs and decisions (lua/cv/decision.lua, src/core/decision.c, the formula
-- decision.keep_or_drop, models/keep_or_drop.lua; the terms: docs/glossary.md)
M.add {
   ["formula.decision.keep_or_drop"] = {
      en = "keep or drop a customer or segment: contribution lost against avoidable fixed costs",
      zh = "保留还是放弃客户（或细分市场）：损失的贡献毛益与可避免固定成本之比较" },
   ["input.revenue"] = { en = "revenue lost if dropped", zh = "放弃后损失的收入" },
   ["input.variable_costs"] = { en = "variable costs saved", zh = "节省的变动成本" },
   ["input.avoidable_fixed"] = { en = "avoidable fixed costs", zh = "可避免固定成本" },
   ["label.contribution"] = { en = "contribution lost", zh = "损失的贡献毛益" },
   ["label.drop_effect"] = { en = "profit change if dropped", zh = "放弃后的利润变化" },
   ["explain.conclusion.decision.keep_or_drop"] = {
      en = "dropping changes profit by {drop_effect}: above 0 drop, below 0 keep "
         .. "(unavoidable costs stay either way and do not count)",
      zh = "放弃后利润变化 {drop_effect}：大于 0 则放弃，小于 0 则保留（不可避免成本无论如何都会发生，不予考虑）" },
   -- the course's terms
   ["decision.term.opportunity"] = { en = "opportunity cost", zh = "机会成本" },
   ["decision.term.out_of_pocket"] = { en = "out-of-pocket cost", zh = "付现成本" },
   ["decision.term.replacement"] = { en = "replacement cost", zh = "重置成本" },
   ["decision.term.differential"] = { en = "differential cost", zh = "差量成本" },
   ["decision.term.marginal"] = { en = "marginal cost", zh = "边际成本" },
   ["decision.term.avoidable"] = { en = "avoidable cost", zh = "可避免成本" },
   ["decision.term.deferrable"] = { en = "deferrable cost", zh = "可延缓成本" },
   ["decision.term.specific"] = { en = "specific cost", zh = "专属成本" },
   ["decision.term.sunk"] = { en = "sunk cost", zh = "沉没成本" },
   ["decision.term.common"] = { en = "common cost", zh = "共同成本" },
   ["decision.term.joint"] = { en = "joint cost", zh = "联合成本" },
   ["decision.term.unavoidable"] = { en = "unavoidable cost", zh = "不可避免成本" },
   ["decision.term.nondeferrable"] = { en = "non-deferrable cost", zh = "不可延缓成本" },
   ["decision.term.same"] = { en = "no difference", zh = "无差别" },
   -- the reasons, one per term
   ["decision.reason.opportunity"] = { en = "a benefit given up by the choice",
      zh = "选择某一方案而放弃的收益" },
   ["decision.reason.out_of_pocket"] = { en = "a future cash outlay the choice causes",
      zh = "决策引起的未来现金支出" },
   ["decision.reason.replacement"] = { en = "valued at what replacing the resource costs today",
      zh = "按现在重新购置该资源的价格计量" },
   ["decision.reason.differential"] = { en = "differs between the options",
      zh = "在各方案之间有差别" },
   ["decision.reason.marginal"] = { en = "the cost of one more unit, which the choice changes",
      zh = "每增加一个单位所增加的成本，随决策而变" },
   ["decision.reason.avoidable"] = { en = "goes away when the activity or customer is given up",
      zh = "放弃该业务或客户后即可免除" },
   ["decision.reason.deferrable"] = { en = "can be put off without harm, so the choice moves it",
      zh = "推迟也不影响当前经营，决策可改变其发生时间" },
   ["decision.reason.specific"] = { en = "belongs to one option alone and goes with it",
      zh = "专为某一方案发生，随方案取舍而增减" },
   ["decision.reason.sunk"] = { en = "already incurred: no option can change it",
      zh = "已经发生，任何方案都无法改变" },
   ["decision.reason.common"] = { en = "shared with others: stays whatever is chosen",
      zh = "由多个产品或客户共同负担，无论选择哪个方案都会发生" },
   ["decision.reason.joint"] = { en = "shared by joint products up to the split-off point",
      zh = "联产品分离前共同发生，不随决策改变" },
   ["decision.reason.unavoidable"] = { en = "stays when the activity or customer is given up",
      zh = "即使放弃该业务或客户也仍会发生" },
   ["decision.reason.nondeferrable"] = { en = "must be spent now, whatever is chosen",
      zh = "无论选择哪个方案都必须立即支出" },
   ["decision.reason.same"] = { en = "the same under every option", zh = "各方案金额相同" },
   -- the explain tables
   ["decision.relevant"] = { en = "relevant", zh = "相关" },
   ["decision.irrelevant"] = { en = "irrelevant", zh = "无关" },
   ["decision.col.item"] = { en = "item", zh = "项目" },
   ["decision.col.amount"] = { en = "amount", zh = "金额" },
   ["decision.col.verdict"] = { en = "verdict", zh = "判断" },
   ["decision.col.term"] = { en = "term", zh = "成本概念" },
   ["decision.col.reason"] = { en = "reason", zh = "理由" },
   ["decision.classify.title"] = { en = "relevant costs: {decision}", zh = "相关成本：{decision}" },
   ["decision.classify.untitled"] = { en = "the decision", zh = "本项决策" },
   ["decision.classify.totals"] = {
      en = "relevant: {nrelevant} items, {relevant}; irrelevant: {nirrelevant} items, {irrelevant}",
      zh = "相关：{nrelevant} 项，合计 {relevant}；无关：{nirrelevant} 项，合计 {irrelevant}" },
   ["decision.classify.by_option"] = {
      en = "relevant: {nrelevant} items; irrelevant: {nirrelevant} items (the same under every option); relevant costs: {each}",
      zh = "相关：{nrelevant} 项；无关：{nirrelevant} 项（各方案相同）；相关成本：{each}" },
   ["decision.classify.option_total"] = { en = "{option} {amount}", zh = "{option} {amount}" },
   ["decision.sep"] = { en = ", ", zh = "，" },
   ["decision.compare.title"] = { en = "differential analysis: {decision}",
      zh = "差量分析：{decision}" },
   ["decision.compare.untitled"] = { en = "the options", zh = "各方案" },
   ["decision.line.revenue"] = { en = "{name} (revenue)", zh = "{name}（收入）" },
   ["decision.line.cost"] = { en = "{name} (cost)", zh = "{name}（成本）" },
   ["decision.line.profit"] = { en = "profit", zh = "利润" },
   ["decision.same"] = { en = "same", zh = "相同" },
   ["decision.and"] = { en = " and ", zh = " 与 " },
   ["decision.compare.best"] = {
      en = "decision: {best} (profit {profit}), better than {second} by {margin}",
      zh = "决策：{best}（利润 {profit}），比{second}多 {margin}" },
   ["decision.compare.tie"] = {
      en = "decision: a tie: {equal} give the same profit {profit}, better than {second} by "
         .. "{margin}; choose on other grounds",
      zh = "决策：{equal} 利润相同（{profit}），比{second}多 {margin}；须依据其他因素选择" },
   ["decision.compare.all_equal"] = {
      en = "decision: a tie: every option gives the same profit {profit}; choose on other grounds",
      zh = "决策：各方案利润相同（{profit}），须依据其他因素选择" },
   -- models/keep_or_drop.lua
   ["model.keep_or_drop"] = {
      en = "keep or drop loss-making customers: avoidable costs against the contribution lost",
      zh = "保留还是放弃亏损客户：可避免成本与损失的贡献毛益之比较" },
   ["model.keep_or_drop.data"] = { en = "orders file (CSV; one row per order)",
      zh = "订单文件（CSV，每行一笔订单）" },
   ["model.keep_or_drop.costs"] = { en = "cost lines (CSV: cost, avoidable share 0..1, term)",
      zh = "成本项目（CSV：成本列、可避免比例 0..1、成本概念）" },
   ["model.keep_or_drop.variable"] = {
      en = "cost lines that vary with sales, comma separated (the rest are fixed)",
      zh = "随销售变动的成本项目，逗号分隔（其余为固定成本）" },
   ["model.keep_or_drop.facility_cost"] = {
      en = "facility-level costs allocated to customers by revenue (common)",
      zh = "按收入分摊给客户的设施级成本（共同成本）" },
   ["model.keep_or_drop.activity_scale"] = {
      en = "multiplies the avoidable shares of the activity costs (capped at 1)",
      zh = "作业成本可避免比例的乘数（最高为 1）" },
   ["model.keep_or_drop.customers"] = {
      en = "per-customer file joined on the customer (segment, acquisition and retention cost), or empty",
      zh = "按客户连接的每客户文件（细分、获取成本与保留成本），可为空" },
   ["model.keep_or_drop.top"] = { en = "loss-making customers shown", zh = "显示的亏损客户数" },
   ["keep_or_drop.decision"] = {
      en = "drop the {n} customers that lose money on full cost? (their costs summed)",
      zh = "是否放弃按全部成本计算亏损的 {n} 位客户？（其成本合计）" },
   ["keep_or_drop.worst"] = { en = "the {n} largest losses on full cost:",
      zh = "按全部成本计算亏损最多的 {n} 位客户：" },
   ["keep_or_drop.col.customer"] = { en = "customer", zh = "客户" },
   ["keep_or_drop.col.revenue"] = { en = "revenue", zh = "收入" },
   ["keep_or_drop.col.full_profit"] = { en = "full-cost profit", zh = "全部成本利润" },
   ["keep_or_drop.col.contribution"] = { en = "contribution lost", zh = "损失的贡献毛益" },
   ["keep_or_drop.col.avoidable_fixed"] = { en = "avoidable fixed", zh = "可避免固定成本" },
   ["keep_or_drop.col.drop_effect"] = { en = "profit change if dropped", zh = "放弃后的利润变化" },
   ["keep_or_drop.col.decision"] = { en = "decision", zh = "决策" },
   ["keep_or_drop.say"] = {
      en = "{losing} of {customers} customers lose money on full cost; dropping pays for {drop} of "
         .. "them (profit +{gain}); the other {kept} cover part of the common costs: keep them",
      zh = "{customers} 位客户中有 {losing} 位按全部成本计算亏损；其中放弃 {drop} 位才合算（利润增加 "
         .. "{gain}）；其余 {kept} 位仍分担部分共同成本，应予保留" },
   ["keep_or_drop.scenarios"] = { en = "keep or drop: what is avoidable",
      zh = "保留还是放弃：哪些成本可避免" },
   -- errors of cv.decision
   ["decision.item_not_table"] = { en = "cv.decision.classify: item #{i} must be a table, got {got}",
      zh = "cv.decision.classify：第 {i} 个项目必须是表，实际为 {got}" },
   ["decision.item_no_name"] = { en = "cv.decision.classify: item #{i} has no name",
      zh = "cv.decision.classify：第 {i} 个项目没有名称" },
   ["decision.item_no_amount"] = { en = "cv.decision.classify: item '{item}' has no amount",
      zh = "cv.decision.classify：项目 '{item}' 没有金额" },
   ["decision.unknown_property"] = {
      en = "cv.decision.classify: item '{item}': unknown property '{name}'{hint}",
      zh = "cv.decision.classify：项目 '{item}'：未知属性 '{name}'{hint}" },
   ["decision.bad_amounts"] = {
      en = "cv.decision.classify: item '{item}': amounts must be a list of {n} numbers, one per option",
      zh = "cv.decision.classify：项目 '{item}'：amounts 必须是 {n} 个数的列表，每个方案一个" },
   ["decision.line_amounts"] = {
      en = "cv.decision.compare: '{line}' has {got} amounts, one per option ({n}) expected",
      zh = "cv.decision.compare：'{line}' 有 {got} 个金额，应为每个方案一个（{n} 个）" },
}

-- The core's messages of src/core/decision.c (as the core.* entries above)
M.add {
   ["core.decision.finite_item"] = { en = "cost item '%s': amount must be finite, got %g",
      zh = "成本项目 '%s'：金额必须是有限数，实际为 %g" },
   ["core.decision.both"] = {
      en = "cost item '%s' is marked %s (relevant) and %s (irrelevant): split it into the part "
         .. "that changes with the decision and the part that does not",
      zh = "成本项目 '%s' 同时标为 %s（相关）和 %s（无关）：请拆分为随决策变化的部分与不变的部分" },
   ["core.decision.none"] = {
      en = "cost item '%s' has no property: say whether it differs between the options, or why "
         .. "it does not (sunk, common, joint, unavoidable, non-deferrable)",
      zh = "成本项目 '%s' 没有属性：请说明它在各方案之间是否有差别，或没有差别的原因"
         .. "（sunk、common、joint、unavoidable、nondeferrable）" },
   ["core.decision.two_options"] = { en = "a decision needs at least two options, got %d",
      zh = "决策至少需要两个方案，实际为 %d 个" },
   ["core.decision.no_line"] = { en = "a decision needs at least one revenue or cost",
      zh = "决策至少需要一项收入或成本" },
   ["core.decision.tolerance"] = { en = "tolerance must be >= 0, got %g",
      zh = "tolerance 必须 >= 0，实际为 %g" },
   ["core.decision.finite_line"] = { en = "'%s', option %d: amount must be finite, got %g",
      zh = "'%s'，第 %d 个方案：金额必须是有限数，实际为 %g" },
}

-- The CRM system's life-cycle cost, loyalty programmes and satisfaction to value (issue 21):
-- the formulas' words (crm.eac, loyalty.*, satisfaction.*), cv.crmcost's tables and
-- explanations, the models crm_tco and loyalty_programme, the core's messages of
-- src/core/crmcost.c
M.add {
   -- formulas
   ["formula.crm.eac"] = {
      en = "equivalent annual cost: a present cost spread evenly over the years of a life",
      zh = "等额年成本：把现值成本均摊到使用年限的每一年" },
   ["formula.loyalty.liability"] = {
      en = "loyalty points liability: outstanding points expected to be redeemed × cost per point",
      zh = "积分负债：预计兑换的未兑换积分 × 每积分成本" },
   ["formula.loyalty.allocation"] = {
      en = "price allocated to loyalty points (IFRS 15: relative stand-alone selling prices)",
      zh = "分摊至积分的交易价格（IFRS 15：按相对单独售价分摊）" },
   ["formula.loyalty.revenue"] = {
      en = "revenue from loyalty points as they are redeemed, and the contract liability left",
      zh = "积分兑换时确认的收入，及剩余合同负债" },
   ["formula.loyalty.profit"] = {
      en = "yearly profit of a loyalty programme: incremental margin − reward and running costs",
      zh = "忠诚计划年利润：增量毛利 − 奖励成本与运营成本" },
   ["formula.loyalty.breakeven_lift"] = {
      en = "purchase frequency lift at which a loyalty programme breaks even",
      zh = "忠诚计划盈亏平衡所需的购买频率提升" },
   ["formula.satisfaction.nps"] = {
      en = "net promoter score: share of promoters − share of detractors, in points",
      zh = "净推荐值：推荐者比例 − 贬损者比例（以分计）" },
   ["formula.satisfaction.word_of_mouth"] = {
      en = "value of word of mouth: promoters' referrals − detractors' lost prospects",
      zh = "口碑价值：推荐者带来的推荐 − 贬损者造成的潜在客户流失" },
   ["formula.satisfaction.complaint_cost"] = {
      en = "cost of complaints: handling + customers lost + prospects lost by word of mouth",
      zh = "投诉成本：处理成本 + 流失客户 + 因口碑流失的潜在客户" },

   ["input.present_cost"] = { en = "present value of the costs", zh = "成本现值" },
   ["input.years"] = { en = "life in years", zh = "使用年限（年）" },
   ["input.outstanding_points"] = { en = "outstanding points", zh = "未兑换积分" },
   ["input.redemption_rate"] = { en = "expected redemption rate", zh = "预计兑换率" },
   ["input.cost_per_point"] = { en = "cost per point", zh = "每积分成本" },
   ["input.sales"] = { en = "sales", zh = "销售额" },
   ["input.points_issued"] = { en = "points issued", zh = "发放积分" },
   ["input.value_per_point"] = { en = "value of a point to the customer", zh = "每积分对客户的价值" },
   ["input.points_allocated"] = { en = "price allocated to the points", zh = "分摊至积分的价格" },
   ["input.points_redeemed"] = { en = "points redeemed to date", zh = "累计已兑换积分" },
   ["input.points_expected"] = { en = "points expected to be redeemed in all",
      zh = "预计兑换积分总数" },
   ["input.recognised_before"] = { en = "revenue recognised before", zh = "此前已确认收入" },
   ["input.members"] = { en = "members", zh = "会员数" },
   ["input.spend"] = { en = "yearly spend per member", zh = "每位会员年消费额" },
   ["input.margin_rate"] = { en = "margin rate", zh = "毛利率" },
   ["input.frequency_lift"] = { en = "purchase frequency lift", zh = "购买频率提升" },
   ["input.retention_lift"] = { en = "retention lift", zh = "保留率提升" },
   ["input.points_per_spend"] = { en = "points per unit of spend", zh = "每单位消费积分" },
   ["input.running_cost"] = { en = "running cost", zh = "运营成本" },
   ["input.promoters"] = { en = "promoters (9-10)", zh = "推荐者（9-10 分）" },
   ["input.passives"] = { en = "passives (7-8)", zh = "被动者（7-8 分）" },
   ["input.detractors"] = { en = "detractors (0-6)", zh = "贬损者（0-6 分）" },
   ["input.promoter_rate"] = { en = "share of promoters", zh = "推荐者比例" },
   ["input.detractor_rate"] = { en = "share of detractors", zh = "贬损者比例" },
   ["input.referrals_per_promoter"] = { en = "new customers referred per promoter",
      zh = "每位推荐者推荐的新客户数" },
   ["input.lost_per_detractor"] = { en = "prospects lost per detractor",
      zh = "每位贬损者造成流失的潜在客户数" },
   ["input.complaints"] = { en = "complaints", zh = "投诉数" },
   ["input.handling_cost"] = { en = "handling cost per complaint", zh = "每件投诉的处理成本" },
   ["input.resolved_rate"] = { en = "share of complaints handled well", zh = "妥善处理的投诉比例" },
   ["input.stay_resolved"] = { en = "share who stay after good handling",
      zh = "妥善处理后留下的比例" },
   ["input.stay_unresolved"] = { en = "share who stay after bad handling",
      zh = "处理不当后留下的比例" },

   ["label.annuity_factor"] = { en = "annuity factor", zh = "年金现值系数" },
   ["label.eac"] = { en = "equivalent annual cost", zh = "等额年成本" },
   ["label.breakage_points"] = { en = "breakage (points never redeemed)", zh = "沉淀积分（不会兑换的积分）" },
   ["label.points_to_redeem"] = { en = "points expected to be redeemed", zh = "预计兑换积分" },
   ["label.points_liability"] = { en = "points liability", zh = "积分负债" },
   ["label.points_ssp"] = { en = "stand-alone selling price of the points", zh = "积分的单独售价" },
   ["label.points_allocated"] = { en = "price allocated to the points", zh = "分摊至积分的价格" },
   ["label.cumulative_revenue"] = { en = "revenue recognised to date", zh = "累计确认收入" },
   ["label.contract_liability"] = { en = "contract liability", zh = "合同负债" },
   ["label.points_revenue"] = { en = "revenue recognised in the period", zh = "本期确认收入" },
   ["label.incremental_margin"] = { en = "incremental margin", zh = "增量毛利" },
   ["label.points_issued"] = { en = "points issued", zh = "发放积分" },
   ["label.reward_cost"] = { en = "reward cost", zh = "奖励成本" },
   ["label.programme_cost"] = { en = "programme cost", zh = "计划成本" },
   ["label.programme_profit"] = { en = "programme profit", zh = "计划利润" },
   ["label.reward_rate"] = { en = "reward cost per unit of spend", zh = "每单位消费的奖励成本" },
   ["label.breakeven_lift"] = { en = "break-even frequency lift", zh = "盈亏平衡频率提升" },
   ["label.respondents"] = { en = "respondents", zh = "受访者" },
   ["label.nps"] = { en = "NPS", zh = "净推荐值" },
   ["label.promoter_count"] = { en = "promoters", zh = "推荐者人数" },
   ["label.detractor_count"] = { en = "detractors", zh = "贬损者人数" },
   ["label.referral_value"] = { en = "value of referrals", zh = "推荐价值" },
   ["label.negative_value"] = { en = "value lost by negative word of mouth", zh = "负面口碑损失" },
   ["label.word_of_mouth_value"] = { en = "net value of word of mouth", zh = "口碑净价值" },
   ["label.handling_total"] = { en = "handling cost", zh = "处理成本" },
   ["label.lost_value"] = { en = "value lost", zh = "损失的价值" },
   ["label.complaint_cost"] = { en = "cost of complaints", zh = "投诉成本" },

   -- the core's messages (src/core/crmcost.c)
   ["core.crmcost.allocation"] = {
      en = "sales and the points' stand-alone selling price are both 0: nothing to allocate",
      zh = "销售额与积分单独售价均为 0：无可分摊" },
   ["core.crmcost.redeemed"] = { en = "points_redeemed must be <= points_expected, got %g and %g",
      zh = "points_redeemed 必须 <= points_expected，实际为 %g 和 %g" },
   ["core.crmcost.breakeven"] = {
      en = "margin_rate must be > the reward cost per unit of spend (points_per_spend × "
         .. "redemption_rate × cost_per_point = %g) for more purchases to pay, got %g",
      zh = "margin_rate 必须大于每单位消费的奖励成本（points_per_spend × redemption_rate × "
         .. "cost_per_point = %g），多买才有利可图，实际为 %g" },
   ["core.crmcost.respondents"] = { en = "there are no respondents (all counts are 0)",
      zh = "没有受访者（各项人数均为 0）" },
   ["core.crmcost.shares"] = { en = "promoter_rate + detractor_rate must be <= 1, got %g + %g",
      zh = "promoter_rate + detractor_rate 必须 <= 1，实际为 %g + %g" },
   ["core.crmcost.line_option"] = { en = "line %d: option must be between 1 and %d, got %d",
      zh = "第 %d 行：option 必须在 1 与 %d 之间，实际为 %d" },
   ["core.crmcost.line_kind"] = { en = "line %d: unknown kind %d", zh = "第 %d 行：未知类型 %d" },
   ["core.crmcost.line_amount"] = { en = "line %d: amount must be a finite number, got %g",
      zh = "第 %d 行：amount 必须是有限数，实际为 %g" },
   ["core.crmcost.line_from"] = { en = "line %d: from must be between 0 and years (%d), got %d",
      zh = "第 %d 行：from 必须在 0 与年限（%d）之间，实际为 %d" },
   ["core.crmcost.line_to"] = {
      en = "line %d: to must be between from (%d) and years (%d), got %d",
      zh = "第 %d 行：to 必须在 from（%d）与年限（%d）之间，实际为 %d" },
   ["core.crmcost.no_option"] = { en = "there must be at least one option",
      zh = "至少需要一个方案" },
   ["core.crmcost.discount"] = { en = "discount must be > -1, got %g",
      zh = "discount 必须 > -1，实际为 %g" },
   ["core.crmcost.years"] = { en = "years must be between 1 and 1000, got %d",
      zh = "years 必须在 1 与 1000 之间，实际为 %d" },
   ["core.crmcost.users"] = { en = "option %d: users must be > 0, got %g",
      zh = "第 %d 个方案：users 必须 > 0，实际为 %g" },
   ["core.crmcost.overflow"] = { en = "option %d: the result is too large to represent (overflow)",
      zh = "第 %d 个方案：结果太大，无法表示（溢出）" },

   -- cv.crmcost: the life-cycle cost table and its explanation
   ["crmcost.lcc.title"] = {
      en = "CRM system life-cycle cost over {years} at {discount} a year",
      zh = "CRM 系统生命周期成本：{years}，年折现率 {discount}" },
   ["crmcost.col.option"] = { en = "option", zh = "方案" },
   ["crmcost.col.phase"] = { en = "phase", zh = "阶段" },
   ["crmcost.col.kind"] = { en = "kind", zh = "类别" },
   ["crmcost.col.years"] = { en = "years", zh = "年份" },
   ["crmcost.col.amount"] = { en = "a year", zh = "每年金额" },
   ["crmcost.col.pv"] = { en = "present value", zh = "现值" },
   ["crmcost.kind.cost"] = { en = "cost", zh = "成本" },
   ["crmcost.kind.benefit"] = { en = "benefit", zh = "收益" },
   ["crmcost.phase.selection"] = { en = "selection", zh = "选型" },
   ["crmcost.phase.licences"] = { en = "licences", zh = "软件许可" },
   ["crmcost.phase.subscription"] = { en = "subscription", zh = "订阅费" },
   ["crmcost.phase.custom_development"] = { en = "custom development", zh = "定制开发" },
   ["crmcost.phase.deployment"] = { en = "deployment", zh = "部署实施" },
   ["crmcost.phase.data_migration"] = { en = "data migration", zh = "数据迁移" },
   ["crmcost.phase.training"] = { en = "training", zh = "培训" },
   ["crmcost.phase.support"] = { en = "support", zh = "运维支持" },
   ["crmcost.phase.upgrades"] = { en = "upgrades", zh = "升级" },
   ["crmcost.phase.retention_gained"] = { en = "retention gained", zh = "保留带来的收益" },
   ["crmcost.phase.cost_to_serve_saved"] = { en = "cost to serve saved", zh = "节省的服务成本" },
   ["crmcost.phase.transaction_costs_lowered"] = { en = "transaction costs lowered",
      zh = "降低的交易成本" },
   ["crmcost.option.on_premises"] = { en = "on premises", zh = "本地部署" },
   ["crmcost.option.saas"] = { en = "SaaS", zh = "SaaS 托管" },
   ["crmcost.option.custom_built"] = { en = "custom-built", zh = "自行定制开发" },
   ["crmcost.per_user"] = { en = " per user × {users}", zh = " 每用户 × {users}" },
   ["crmcost.lcc.cost_pv"] = { en = "  present value of the costs = {terms} = {value}",
      zh = "  成本现值 = {terms} = {value}" },
   ["crmcost.lcc.nominal"] = { en = "  costs undiscounted = {value}", zh = "  不折现成本合计 = {value}" },
   ["crmcost.lcc.eac"] = {
      en = "  equivalent annual cost = present value of the costs ÷ annuity factor = {pv} ÷ {annuity} = {value}",
      zh = "  等额年成本 = 成本现值 ÷ 年金现值系数 = {pv} ÷ {annuity} = {value}" },
   ["crmcost.lcc.annuity"] = {
      en = "  annuity factor = (1 − (1 + {discount})^−{years}) ÷ {discount} = {value}",
      zh = "  年金现值系数 = (1 − (1 + {discount})^−{years}) ÷ {discount} = {value}" },
   ["crmcost.lcc.per_user"] = {
      en = "  per user and year = equivalent annual cost ÷ users = {eac} ÷ {users} = {value}",
      zh = "  每用户每年 = 等额年成本 ÷ 用户数 = {eac} ÷ {users} = {value}" },
   ["crmcost.lcc.npv"] = {
      en = "  NPV = present value of the benefits − present value of the costs = {benefit} − {cost} = {value}",
      zh = "  净现值 = 收益现值 − 成本现值 = {benefit} − {cost} = {value}" },
   ["crmcost.lcc.payback"] = { en = "  discounted payback = {value}",
      zh = "  折现回收期 = {value}" },
   ["crmcost.lcc.no_payback"] = { en = "  discounted payback: not within the {years}",
      zh = "  折现回收期：{years}内无法收回" },
   ["crmcost.lcc.cheapest"] = {
      en = "lowest life-cycle cost: {option} ({eac} a year, {per_user} per user and year)",
      zh = "生命周期成本最低：{option}（每年 {eac}，每用户每年 {per_user}）" },
   ["crmcost.lcc.best"] = { en = "highest NPV: {option} ({npv})",
      zh = "净现值最高：{option}（{npv}）" },
   ["crmcost.bad_kind"] = {
      en = "cv.crmcost.lcc: line {line}: kind must be cost or benefit, got '{kind}'",
      zh = "cv.crmcost.lcc：第 {line} 行：kind 必须是 cost 或 benefit，实际为“{kind}”" },
   ["crmcost.no_users"] = {
      en = "cv.crmcost.lcc: no users given for option '{option}' (users = {{option = n}})",
      zh = "cv.crmcost.lcc：未给出方案“{option}”的用户数（users = {{方案 = 人数}}）" },
   ["crmcost.opt.users"] = {
      en = "users per option: {name = n} or a table with columns option and users",
      zh = "各方案的用户数：{名称 = 人数}，或含 option 与 users 列的表" },
   ["crmcost.opt.discount"] = { en = "annual discount rate", zh = "年折现率" },
   ["crmcost.opt.years"] = { en = "the system's life in years", zh = "系统使用年限（年）" },
   ["crmcost.opt.lang"] = { en = "the language: en or zh (default: the current one)",
      zh = "语言：en 或 zh（默认：当前语言）" },
   ["crmcost.opt.margin"] = { en = "margin per customer and period", zh = "每位客户每期毛利" },
   ["crmcost.opt.period"] = { en = "the period of margin and retention (day, week, month, year)",
      zh = "毛利与保留率的期间（day、week、month、year）" },

   -- cv.crmcost: satisfaction bands to customer value
   ["crmcost.bands.title"] = {
      en = "satisfaction to value: retention by satisfaction band, CLV by clv.retention (margin {margin} a {period}, {discount} a year)",
      zh = "满意度到价值：按满意度等级的保留率，客户终身价值按 clv.retention 计算（每期毛利 {margin}，期间 {period}，年折现率 {discount}）" },
   ["crmcost.col.band"] = { en = "band", zh = "满意度等级" },
   ["crmcost.col.customers"] = { en = "customers", zh = "客户数" },
   ["crmcost.col.retention"] = { en = "retention", zh = "保留率" },
   ["crmcost.col.clv"] = { en = "CLV", zh = "客户终身价值" },
   ["crmcost.col.value"] = { en = "value", zh = "价值" },
   ["crmcost.bands.total"] = {
      en = "customer base value = Σ customers × CLV = {value}; mean retention {retention}",
      zh = "客户群价值 = Σ 客户数 × 客户终身价值 = {value}；平均保留率 {retention}" },
   ["crmcost.bands.move"] = {
      en = "moving one customer from '{from}' to '{to}' adds {gain} of value",
      zh = "每把一位客户从“{from}”提升到“{to}”，价值增加 {gain}" },

   -- the models
   ["model.crm_tco"] = {
      en = "CRM system life-cycle cost (TCO) by option: discounted, per user and year, NPV and payback, with scenarios",
      zh = "CRM 系统生命周期成本（TCO）方案比较：折现、每用户每年、净现值与回收期，含情景" },
   ["model.crm_tco.data"] = { en = "cost and benefit lines (CSV: option, phase, kind, amount, from, to, per_user)",
      zh = "成本与收益明细（CSV：option、phase、kind、amount、from、to、per_user）" },
   ["model.crm_tco.options"] = { en = "options (CSV: option, users)", zh = "方案（CSV：option、users）" },
   ["model.crm_tco.discount"] = { en = "annual discount rate", zh = "年折现率" },
   ["model.crm_tco.years"] = { en = "the system's life in years", zh = "系统使用年限（年）" },
   ["model.crm_tco.users_scale"] = { en = "scenario: users × this factor", zh = "情景：用户数 × 此系数" },
   ["model.crm_tco.cost_scale"] = { en = "scenario: every cost × this factor", zh = "情景：所有成本 × 此系数" },
   ["model.crm_tco.benefit_scale"] = { en = "scenario: every benefit × this factor",
      zh = "情景：所有收益 × 此系数" },
   ["model.crm_tco.v.discount_low"] = { en = "discount -4 pts", zh = "折现率 -4 个百分点" },
   ["model.crm_tco.v.discount_high"] = { en = "discount +4 pts", zh = "折现率 +4 个百分点" },
   ["model.crm_tco.v.users"] = { en = "users +50%", zh = "用户数 +50%" },
   ["model.crm_tco.v.costs"] = { en = "costs +20%", zh = "成本 +20%" },
   ["model.crm_tco.v.benefits"] = { en = "benefits -30%", zh = "收益 -30%" },
   ["model.crm_tco.say.breakeven"] = {
      en = "{option}: NPV is 0 when the benefits are {scale} × those planned",
      zh = "{option}：收益为计划值的 {scale} 倍时净现值为 0" },
   ["model.loyalty_programme"] = {
      en = "loyalty programme economics: points, breakage, liability, profit, break-even lift and sensitivity",
      zh = "忠诚计划经济性：积分、沉淀、负债、利润、盈亏平衡提升与敏感性" },
   ["model.loyalty_programme.data"] = { en = "case file (CSV: parameter, value)",
      zh = "案例文件（CSV：parameter、value）" },
   ["model.loyalty_programme.members"] = { en = "members", zh = "会员数" },
   ["model.loyalty_programme.spend"] = { en = "yearly spend per member before the programme",
      zh = "计划前每位会员年消费额" },
   ["model.loyalty_programme.margin_rate"] = { en = "margin rate", zh = "毛利率" },
   ["model.loyalty_programme.frequency_lift"] = { en = "purchase frequency lift (0.05 = +5%)",
      zh = "购买频率提升（0.05 = +5%）" },
   ["model.loyalty_programme.retention_lift"] = { en = "retention lift (0.02 = +2 points)",
      zh = "保留率提升（0.02 = +2 个百分点）" },
   ["model.loyalty_programme.points_per_spend"] = { en = "points per unit of spend",
      zh = "每单位消费积分" },
   ["model.loyalty_programme.redemption_rate"] = { en = "expected redemption rate",
      zh = "预计兑换率" },
   ["model.loyalty_programme.cost_per_point"] = { en = "cost of a redeemed point",
      zh = "每兑换积分成本" },
   ["model.loyalty_programme.running_cost"] = { en = "yearly running cost", zh = "每年运营成本" },
   ["model.loyalty_programme.outstanding_points"] = { en = "points outstanding at year end",
      zh = "年末未兑换积分" },
   ["model.loyalty_programme.say.profit"] = {
      en = "programme profit {profit} a year; break-even frequency lift {lift}; points liability {liability}",
      zh = "计划年利润 {profit}；盈亏平衡频率提升 {lift}；积分负债 {liability}" },
   ["model.loyalty_programme.say.check"] = {
      en = "the root finder on the profit agrees: break-even at a frequency lift of {lift}",
      zh = "对利润求根的结果一致：频率提升 {lift} 时盈亏平衡" },
   ["model.loyalty_programme.bad_case"] = {
      en = "loyalty_programme: {path}: unknown parameter '{name}'",
      zh = "loyalty_programme：{path}：未知参数“{name}”" },
}

-- Intervals on the predictions (lua/cv/intervals.lua; the core's src/core/interval.c and
-- model_interval.c).
M.add{
   ["models.interval_needs"] = { en = "{fn}: option '{option}' needs option 'interval' (the level, e.g. 0.9)",
      zh = "{fn}：选项“{option}”需要同时给出选项“interval”（区间水平，例如 0.9）" },
   ["models.interval_level"] = {
      en = "{fn}: interval must lie strictly between 0 and 1 (the level, e.g. 0.9), got {got}",
      zh = "{fn}：interval 必须严格介于 0 与 1 之间（区间水平，例如 0.9），实际为 {got}" },
   ["models.interval_draws"] = { en = "{fn}: draws must be at least 2, got {got}",
      zh = "{fn}：draws 至少为 2，实际为 {got}" },
   ["models.interval_no_fit"] = {
      en = "{fn}: an interval needs a fitted model (cv.fit); {model} given by its parameters "
         .. "has no uncertainty",
      zh = "{fn}：区间需要拟合得到的模型（cv.fit）；仅给出参数的 {model} 模型没有不确定性" },
   ["models.interval_boundary"] = {
      en = "{fn}: no bootstrap interval for the {model} fit: it ran to the boundary ({names}), "
         .. "so the refits would too; use method = \"asymptotic\" on a fit with standard "
         .. "errors, or fit data that identify the parameters",
      zh = "{fn}：{model} 的拟合落在边界上（{names}），重新拟合也会如此，无法给出 bootstrap 区间；"
         .. "请对有标准误的拟合使用 method = \"asymptotic\"，或使用能识别参数的数据" },
   ["models.interval_no_data"] = {
      en = "{fn}: the bootstrap refits {model} on the customers it was fitted on, and this "
         .. "model does not keep them (fit it on a summary table)",
      zh = "{fn}：bootstrap 需在原拟合客户上重新拟合 {model}，而该模型未保留这些数据"
         .. "（请在汇总表上拟合）" },
   ["models.interval_cov_no_cov"] = {
      en = "{fn}: no asymptotic interval for {model}: the fit has no covariance of its "
         .. "parameters and coefficients (status {status}); a penalty (penalizer =, reg =) may "
         .. "keep the fit inside",
      zh = "{fn}：{model} 无法给出渐近区间：拟合没有参数与系数的协方差（状态 {status}）；"
         .. "可用惩罚项（penalizer =、reg =）使拟合留在内部" },
   ["models.interval_no_cov"] = {
      en = "{fn}: no asymptotic interval for {model}: the fit has no covariance of its "
         .. "parameters (status {status}); try method = \"bootstrap\"",
      zh = "{fn}：{model} 无法给出渐近区间：拟合没有参数协方差（状态 {status}）；"
         .. "可尝试 method = \"bootstrap\"" },
   ["models.interval_failed"] = {
      en = "{fn}: {failed} of {draws} draws failed; the interval is widened to hold any value "
         .. "they could have taken",
      zh = "{fn}：{draws} 次抽样中有 {failed} 次失败；区间已放宽，无论失败抽样取何值都能容纳" },
   ["core.interval.level"] = { en = "interval level must lie between 0 and 1, got %g",
      zh = "区间水平必须介于 0 与 1 之间，实际为 %g" },
   ["core.interval.draws"] = { en = "intervals need at least 2 draws, got %zu",
      zh = "区间至少需要 2 次抽样，实际为 %zu" },
   ["core.interval.np"] = { en = "intervals: %d parameters (1 to %d)",
      zh = "区间：%d 个参数（应为 1 至 %d 个）" },
   ["core.interval.param"] = { en = "intervals: parameter %d = %g must be positive",
      zh = "区间：第 %d 个参数 = %g 必须为正" },
   ["core.interval.cov"] = {
      en = "the covariance of the parameters is not positive definite: no asymptotic "
         .. "interval (try method = \"bootstrap\")",
      zh = "参数协方差矩阵不是正定的：无法给出渐近区间（可尝试 method = \"bootstrap\"）" },
   ["core.interval.boot_data"] = { en = "intervals: the bootstrap needs the fit's data",
      zh = "区间：bootstrap 需要拟合所用的数据" },
   ["core.interval.method"] = { en = "unknown interval method %d", zh = "未知的区间方法 %d" },
   ["core.interval.nomem"] = { en = "out of memory (%zu draws of %zu predictions)",
      zh = "内存不足（%zu 次抽样，每次 %zu 个预测）" },
   ["core.interval.at_est"] = { en = "intervals: the predictions at the estimates failed",
      zh = "区间：在估计值处的预测失败" },
   ["core.interval.few"] = {
      en = "intervals: %zu of %zu bootstrap refits failed (not converged or at the fence); a "
         .. "%g%% interval of %zu draws holds at most %zu: refits fail where the data say "
         .. "least, so the rest give too narrow an interval (try method = \"asymptotic\" or a "
         .. "penalty)",
      zh = "区间：%zu 次（共 %zu 次）bootstrap 重新拟合失败（未收敛或停在边界）；%g%% 区间在 "
         .. "%zu 次抽样中至多容纳 %zu 次失败：重新拟合恰在数据信息最少处失败，只用其余抽样的区间"
         .. "会过窄（可尝试 method = \"asymptotic\" 或惩罚项）" },
   ["core.interval.few_draws"] = {
      en = "intervals: the predictions failed at %zu of %zu parameter draws; a %g%% interval "
         .. "of %zu draws holds at most %zu: the failed draws are the extreme ones, so the rest "
         .. "give too narrow an interval",
      zh = "区间：%zu 次参数抽样（共 %zu 次）无法计算预测；%g%% 区间在 %zu 次抽样中至多容纳 "
         .. "%zu 次失败：失败的恰是极端的抽样，只用其余抽样的区间会过窄" },
   ["core.interval.dyn_spend"] = {
      en = "intervals: the spend model of a model with time-varying covariates must be a "
         .. "gamma_gamma without covariates",
      zh = "区间：带时变协变量的模型所用的消费额模型必须是不带协变量的 gamma_gamma" },
   ["core.interval.cov_none"] = { en = "intervals: %s takes no covariates",
      zh = "区间：%s 不接受协变量" },
   ["core.interval.kind"] = { en = "intervals: unknown prediction asked",
      zh = "区间：未知的预测种类" },
   ["core.interval.predicts"] = { en = "intervals: %s does not predict %s",
      zh = "区间：%s 不提供 %s 预测" },
   ["core.interval.spend"] = { en = "intervals: spend needs a gamma_gamma model",
      zh = "区间：spend 需要 gamma_gamma 模型" },
   ["core.interval.spend_model"] = { en = "intervals: the spend model must be gamma_gamma",
      zh = "区间：消费额模型必须是 gamma_gamma" },
   ["core.interval.many"] = { en = "intervals: too many parameters", zh = "区间：参数过多" },
   ["core.interval.fit_data"] = { en = "%s: the bootstrap needs the data the model was fitted on",
      zh = "%s：bootstrap 需要模型拟合所用的数据" },
}

-- The columns the model scripts print besides the report's (clv.col.* above): the value of
-- the discounted transactions, DERT, and the holdout check by frequency (models/clv_*.lua,
-- cv.model_script's say_validation); ctx.show prints a table under these labels.
M.add {
   ["clv.col.value_tx"] = { en = "value per transaction", zh = "每笔交易价值" },
   ["clv.col.dert"] = { en = "DERT", zh = "DERT" },
   ["clv.col.customers"] = { en = "customers", zh = "客户数" },
   ["clv.col.actual_total"] = { en = "actual total", zh = "实际合计" },
   ["clv.col.expected_total"] = { en = "expected total", zh = "预期合计" },
}

-- The columns of the cost-of-service models' console tables (models/cost_to_serve_abc.lua,
-- cost_to_serve_tdabc.lua, customer_pnl.lua; ctx.show); the terms as exercise 5 uses them.
M.add {
   ["costing.col.activity"] = { en = "activity", zh = "作业" },
   ["costing.col.driver"] = { en = "driver", zh = "成本动因" },
   ["costing.col.cost"] = { en = "cost", zh = "成本" },
   ["costing.col.volume"] = { en = "volume", zh = "动因量" },
   ["costing.col.rate"] = { en = "rate", zh = "成本率" },
   ["costing.col.assigned"] = { en = "assigned", zh = "已分配成本" },
   ["costing.col.unassigned"] = { en = "unassigned", zh = "未分配成本" },
   ["costing.col.resource"] = { en = "resource", zh = "资源" },
   ["costing.col.events"] = { en = "events", zh = "事件数" },
   ["costing.col.minutes"] = { en = "minutes", zh = "分钟数" },
   ["costing.col.rate_per_minute"] = { en = "rate per minute", zh = "每分钟成本" },
   ["costing.col.cost_per_event"] = { en = "cost per event", zh = "每次事件成本" },
   ["costing.col.segment"] = { en = "segment", zh = "客户群" },
   ["costing.col.customers"] = { en = "customers", zh = "客户数" },
   ["costing.col.revenue"] = { en = "revenue", zh = "收入" },
   ["costing.col.gross_margin"] = { en = "gross margin", zh = "毛利" },
   ["costing.col.total_cost_to_serve"] = { en = "cost to serve", zh = "服务成本" },
   ["costing.col.profit"] = { en = "profit", zh = "利润" },
   ["costing.col.profit_per_customer"] = { en = "profit per customer", zh = "每位客户利润" },
}

-- Retention measured period to period from a transactions file (cv.script.retention: the
-- models clv_retention and scenario_retention, as the demo measures it).
M.add {
   ["models.retention.measured"] = {
      en = "retention measured period to period: of the {active} customers who bought from {from} "
         .. "to {mid}, {kept} bought again from {next} to {last} ({h} per {k} months); per year {r}",
      zh = "保留率按相邻两期计算：{from} 至 {mid} 购买过的 {active} 位客户中，{kept} 位在 {next} 至 "
         .. "{last} 再次购买（每 {k} 个月的保留率为 {h}）；折合每年 {r}" },
   ["models.retention.too_short"] = {
      en = "the data span {first} to {last}, less than two months: no retention to measure from "
         .. "one period to the next (give --retention)",
      zh = "数据的时间跨度为 {first} 至 {last}，不足两个月：无法按相邻两期计算保留率（请给出 --retention）" },
   ["models.retention.no_buyers"] = {
      en = "no customer bought from {from} to {to}: no retention to measure (give --retention)",
      zh = "{from} 至 {to} 没有客户购买：无法计算保留率（请给出 --retention）" },
}

-- When in a period a lifecycle profit counts (models/lifecycle_profit.lua --set timing=).
M.add {
   ["models.timing.end"] = { en = "end", zh = "期末" },
   ["models.timing.start"] = { en = "start", zh = "期初" },
}

-- The scenario labels of models/crm_tco.lua and models/loyalty_programme.lua (their
-- sensitivity tables on the console, Tornado:print).
M.add {
   ["model.crm_tco.m.npv"] = { en = "NPV of {option}", zh = "{option}的净现值" },
   ["model.crm_tco.m.eac_per_user"] = { en = "EAC per user of {option}",
      zh = "{option}的每用户每年等额年成本" },
   ["model.crm_tco.p.discount"] = { en = "discount", zh = "折现率" },
   ["model.crm_tco.p.years"] = { en = "years", zh = "年数" },
   ["model.crm_tco.p.users_scale"] = { en = "users (scale)", zh = "用户数（倍数）" },
   ["model.crm_tco.p.cost_scale"] = { en = "costs (scale)", zh = "成本（倍数）" },
   ["model.crm_tco.p.benefit_scale"] = { en = "benefits (scale)", zh = "收益（倍数）" },
   ["model.loyalty_programme.m.profit"] = { en = "programme profit", zh = "计划利润" },
}

-- The hidden cost of service table (models/hidden_service_cost.lua): its scenarios and
-- columns (the terms of cost.hidden_service's explanation).
M.add {
   ["costing.hidden.base"] = { en = "base", zh = "基准" },
   ["costing.hidden.better_service"] = { en = "better service", zh = "改善服务" },
   ["costing.hidden.switching_costs"] = { en = "switching costs", zh = "提高转换成本" },
   ["costing.col.scenario"] = { en = "scenario", zh = "情景" },
   ["costing.col.dissatisfied_rate"] = { en = "dissatisfied", zh = "不满意客户比例" },
   ["costing.col.defect_rate"] = { en = "of them leaving", zh = "不满意客户中流失的比例" },
   ["costing.col.lost_customers"] = { en = "customers lost", zh = "流失客户数" },
   ["costing.col.lost_prospects"] = { en = "prospects lost", zh = "因口碑流失的潜在客户数" },
   ["costing.col.hidden_cost"] = { en = "hidden cost", zh = "隐性成本" },
   ["costing.col.explicit_cost"] = { en = "explicit cost", zh = "显性成本" },
   ["costing.col.service_cost"] = { en = "cost of service", zh = "服务总成本" },
}

-- The survival table of models/retention_sbg.lua.
M.add {
   ["sbg.col.period"] = { en = "period", zh = "期" },
   ["sbg.col.active"] = { en = "active", zh = "存续客户数" },
   ["sbg.col.fitted"] = { en = "fitted", zh = "拟合值" },
   ["sbg.col.retention"] = { en = "retention", zh = "保留率" },
   ["sbg.col.retention_model"] = { en = "retention (model)", zh = "保留率（模型）" },
}

-- models/keep_or_drop.lua on the console: the decisions and the scenarios by their names.
M.add {
   ["keep_or_drop.decision_drop"] = { en = "drop", zh = "放弃" },
   ["keep_or_drop.decision_keep"] = { en = "keep", zh = "保留" },
   ["keep_or_drop.v.half"] = { en = "activities -50%", zh = "作业成本可避免部分 -50%" },
   ["keep_or_drop.v.all"] = { en = "activities all", zh = "作业成本全部可避免" },
   ["keep_or_drop.v.facility"] = { en = "facility x2", zh = "设施级成本 ×2" },
   ["keep_or_drop.m.loss_makers"] = { en = "loss_makers", zh = "按全部成本亏损的客户数" },
   ["keep_or_drop.m.drop"] = { en = "drop", zh = "应放弃的客户数" },
   ["keep_or_drop.m.gain"] = { en = "gain", zh = "放弃后的利润增加" },
}

-- The reasons a model gives for a row it cannot use (the `why` of the models' data checks,
-- src/core/model_*.c), inside "row %zu: %s (%s)"; checked by test_core_messages_io.
M.add {
   ["core.why.bgbb_n"] = { en = "the number of periods n must be a whole number >= 1",
      zh = "期数 n 必须是 >= 1 的整数" },
   ["core.why.bgbb_x"] = { en = "frequency x and recency t_x must be whole numbers >= 0",
      zh = "频次 x 和最近购买时间 t_x 必须是 >= 0 的整数" },
   ["core.why.bgbb_order"] = { en = "need x <= t_x <= n, and t_x = 0 exactly when x = 0",
      zh = "须满足 x <= t_x <= n，且仅当 x = 0 时 t_x = 0" },
   ["core.why.x"] = { en = "frequency x must be a whole number >= 0",
      zh = "频次 x 必须是 >= 0 的整数" },
   ["core.why.T"] = { en = "age T must be >= 0", zh = "客户年龄 T 必须 >= 0" },
   ["core.why.tx_range"] = { en = "recency t_x must lie between 0 and the age T",
      zh = "最近购买时间 t_x 必须在 0 与客户年龄 T 之间" },
   ["core.why.tx_zero"] = { en = "recency t_x must be 0 when x = 0",
      zh = "x = 0 时最近购买时间 t_x 必须为 0" },
   ["core.why.tx_positive"] = { en = "recency t_x must be above 0 when x > 0",
      zh = "x > 0 时最近购买时间 t_x 必须大于 0" },
   ["core.why.m"] = { en = "mean spend m must be positive when x > 0",
      zh = "x > 0 时平均消费额 m 必须为正" },
   ["core.why.T_positive"] = { en = "age T must be above 0 when x > 0",
      zh = "x > 0 时客户年龄 T 必须大于 0" },
   ["core.why.sbg"] = {
      en = "need whole numbers 0 <= x (renewals) <= T (periods observed), T >= 1",
      zh = "须为整数且 0 <= x（续约次数）<= T（观察期数），T >= 1" },
}

-- Covariates (lua/cv/covariates.lua): its messages, moved here from the module (one catalogue).
M.add {
   ["models.cov_model"] = {
      en = "{fn}: {model} takes no covariates (options trans, life, constrain, spend): pareto_nbd, "
         .. "bgnbd and bgbb do (trans, life, constrain), gamma_gamma does (spend)",
      zh = "{fn}：{model} 不支持协变量（选项 trans、life、constrain、spend）：pareto_nbd、bgnbd 和 "
         .. "bgbb 支持（trans、life、constrain），gamma_gamma 支持（spend）" },
   ["models.cov_option"] = {
      en = "{fn}: {model} takes covariates through option {want}, not '{option}'",
      zh = "{fn}：{model} 的协变量通过选项 {want} 给出，而不是“{option}”" },
   ["models.process.spend"] = { en = "spend", zh = "消费额" },
   ["models.cov_table"] = {
      en = "{fn}: covariates are columns of a summary table (cv.Table), not of {got}",
      zh = "{fn}：协变量是汇总表（cv.Table）的列，而不是 {got}" },
   ["models.cov_name"] = {
      en = "{fn}: option '{option}' takes column names (a string or an array of strings), got {got}",
      zh = "{fn}：选项“{option}”应为列名（字符串或字符串数组），实际为 {got}" },
   ["models.cov_twice"] = {
      en = "{fn}: covariate '{column}' is named twice for the {process} process (options "
         .. "trans, life, constrain: a constrained covariate acts on both processes already)",
      zh = "{fn}：协变量“{column}”在{process}过程中出现了两次（选项 trans、life、constrain："
         .. "约束的协变量已同时作用于两个过程）" },
   ["models.cov_unsupported"] = {
      en = "{fn}: not available for a model with covariates (each customer has parameters of "
         .. "its own); p_alive, conditional, dert, clv, predict, coef and lr_test are",
      zh = "{fn}：不适用于带协变量的模型（每位客户的参数各不相同）；可用 p_alive、conditional、"
         .. "dert、clv、predict、coef 和 lr_test" },
   ["models.lr_not_nested"] = {
      en = "{fn}: the models are not nested: {why}",
      zh = "{fn}：两个模型不是嵌套关系：{why}" },
   ["models.lr_why.model"] = { en = "one is {a}, the other {b}", zh = "一个是 {a}，另一个是 {b}" },
   ["models.lr_why.params"] = {
      en = "the restricted model's parameter '{name}' is not in the full model",
      zh = "受限模型的参数“{name}”不在完整模型中" },
   ["models.lr_why.size"] = {
      en = "the full model must have more parameters than the restricted one ({a} vs {b})",
      zh = "完整模型的参数必须多于受限模型（{a} 对 {b}）" },
   ["models.lr_why.data"] = {
      en = "they were fitted to different customers (N = {a} vs {b})",
      zh = "两者拟合所用的客户不同（N = {a} 对 {b}）" },
   ["models.lr_why.none"] = {
      en = "a model without covariates needs the restricted model as argument",
      zh = "不带协变量的模型需要以受限模型作为参数" },
   ["models.say.lr"] = {
      en = "likelihood-ratio test against the model without covariates: chi2 = {stat}, df = {df}, "
         .. "p = {p}",
      zh = "与不带协变量模型的似然比检验：chi2 = {stat}，自由度 = {df}，p = {p}" },
   ["models.say.weak"] = {
      en = "barely identified by the data (a flat direction of the likelihood: their standard "
         .. "errors are not to be trusted): {names}",
      zh = "数据几乎无法识别（似然函数的平坦方向：其标准误不可信）：{names}" },
   ["errors.what.parameter"] = { en = "parameter", zh = "参数" },
   ["models.profile_summary"] = {
      en = "{fn}: the profile needs the model's summary table (a fit on a cv.Table)",
      zh = "{fn}：轮廓似然需要模型的汇总表（在 cv.Table 上拟合）" },
   ["models.cov_only"] = {
      en = "{fn}: only for a model with covariates (cv.fit with trans, life or constrain)",
      zh = "{fn}：仅适用于带协变量的模型（cv.fit 使用 trans、life 或 constrain）" },
   ["models.reg_key"] = {
      en = "{fn}: option 'reg' takes the keys {keys} for this model, not '{key}'{hint}",
      zh = "{fn}：此模型的选项“reg”只接受键 {keys}，而不是“{key}”{hint}" },
   ["models.reg_value"] = {
      en = "{fn}: option 'reg.{key}' must be a number >= 0, got {got}",
      zh = "{fn}：选项“reg.{key}”必须是 >= 0 的数，实际为 {got}" },
   ["models.reg_no_cov"] = {
      en = "{fn}: option 'reg' is an L2 penalty on covariate coefficients and this fit has no "
         .. "covariates (options trans, life, constrain, spend); 'penalizer' penalizes the "
         .. "model's parameters",
      zh = "{fn}：选项“reg”是协变量系数的 L2 惩罚，而此拟合没有协变量（选项 trans、life、"
         .. "constrain、spend）；对模型参数的惩罚请用“penalizer”" },
   ["models.penalizer_value"] = {
      en = "{fn}: option 'penalizer' must be a number >= 0, got {got}",
      zh = "{fn}：选项“penalizer”必须是 >= 0 的数，实际为 {got}" },
   ["models.lr_penalized"] = {
      en = "{fn}: the likelihood-ratio test compares maximum-likelihood fits; a penalized fit "
         .. "(options reg, penalizer) does not maximize the likelihood",
      zh = "{fn}：似然比检验比较的是最大似然拟合；带惩罚的拟合（选项 reg、penalizer）并不最大化"
         .. "似然" },
   ["models.interval_penalized"] = {
      en = "{fn}: bootstrap intervals of a penalized fit ({model}: options reg, penalizer) are "
         .. "not available; method = \"asymptotic\" draws from the penalized fit's covariance",
      zh = "{fn}：带惩罚的拟合（{model}：选项 reg、penalizer）不支持 bootstrap 区间；"
         .. "method = \"asymptotic\" 按带惩罚拟合的协方差抽样" },
   -- the core's messages of the penalties (src/core/model_fit.c), in the user's language
   ["core.penalty.params"] = { en = "penalty: penalizer = %g must be a number >= 0",
      zh = "惩罚：penalizer = %g 必须是 >= 0 的数" },
   ["core.penalty.scale"] = { en = "penalty: unknown scale %d", zh = "惩罚：未知的尺度 %d" },
   ["core.penalty.trans"] = { en = "penalty: reg.trans = %g must be a number >= 0",
      zh = "惩罚：reg.trans = %g 必须是 >= 0 的数" },
   ["core.penalty.life"] = { en = "penalty: reg.life = %g must be a number >= 0",
      zh = "惩罚：reg.life = %g 必须是 >= 0 的数" },
   ["core.penalty.spend"] = { en = "penalty: reg.spend = %g must be a number >= 0",
      zh = "惩罚：reg.spend = %g 必须是 >= 0 的数" },
   ["core.penalty.no_cov"] = {
      en = "penalty: reg (trans, life, spend) is an L2 penalty on covariate coefficients: the "
         .. "fit has no covariates",
      zh = "惩罚：reg（trans、life、spend）是协变量系数的 L2 惩罚：此拟合没有协变量" },
   ["core.model.theta"] = { en = "%s: log-parameter %s is not finite",
      zh = "%s：对数参数 %s 不是有限数" },
   ["core.model.objective"] = { en = "%s: objective not finite", zh = "%s：目标函数不是有限数" },
   ["models.say.reg"] = {
      en = "L2 penalty lambda trans {trans}, life {life}",
      zh = "L2 惩罚 lambda trans {trans}，life {life}" },
   ["models.sim_coef"] = {
      en = "{fn}: '{key}' is no coefficient of {model} (coefficient names: a prefix of {want}, "
         .. "a dot, the covariate column)",
      zh = "{fn}：“{key}”不是 {model} 的系数（系数名：前缀 {want}、一个点、协变量列名）" },
   ["models.sim_coef_value"] = {
      en = "{fn}: coefficient '{key}' must be a number, got {got}",
      zh = "{fn}：系数“{key}”必须是数值，实际为 {got}" },
   ["models.sim_cov_needed"] = {
      en = "{fn}: {model} has covariates ({columns}): give each customer's values with option "
         .. "covariates = a table of n rows",
      zh = "{fn}：{model} 带协变量（{columns}）：请用选项 covariates = 一张 n 行的表给出每位客户的值" },
   ["models.sim_cov_unused"] = {
      en = "{fn}: option '{option}' needs a model with covariate coefficients; {model} has none",
      zh = "{fn}：选项“{option}”需要带协变量系数的模型；{model} 没有" },
   ["models.sim_rows"] = {
      en = "{fn}: {n} customers asked and the covariates table has {rows} rows (one row per "
         .. "customer)",
      zh = "{fn}：要求 {n} 位客户，而协变量表有 {rows} 行（每位客户一行）" },
   ["models.sim_x"] = {
      en = "{fn}: gamma_gamma draws spends for given repeat purchases: option x (a number or an "
         .. "array) is needed",
      zh = "{fn}：gamma_gamma 按给定的重复购买次数抽取消费额：需要选项 x（数值或数组）" },
   ["models.sim_len"] = {
      en = "{fn}: option '{option}' has {got} values for {n} customers",
      zh = "{fn}：选项“{option}”有 {got} 个值，而客户有 {n} 位" },
   ["models.say.reg_spend"] = {
      en = "L2 penalty lambda spend {spend}",
      zh = "L2 惩罚 lambda spend {spend}" },
   ["models.say.penalizer.log"] = {
      en = "penalty on the parameters: {coef} x sum of (log p)^2",
      zh = "参数惩罚：{coef} x sum (log p)^2" },
   ["models.say.penalizer.natural"] = {
      en = "penalty on the parameters: {coef} x sum of p^2 (lifetimes' penalizer_coef)",
      zh = "参数惩罚：{coef} x sum p^2（lifetimes 的 penalizer_coef）" },
   ["models.process.trans"] = { en = "purchase", zh = "购买" },
   ["models.process.life"] = { en = "dropout", zh = "流失" },
}

-- Model diagnostics (lua/cv/diagnostics.lua): its messages, moved here from the module (one catalogue).
M.add {
   ["diag.heading"] = { en = "Diagnostics: {model}", zh = "模型诊断：{model}" },
   ["diag.intro"] = { en = "The standard checks of the fitted model: what it expects against "
      .. "what the customers did, in the calibration period and, where the data has one, in the "
      .. "holdout period.", zh = "拟合模型的标准检验：将模型的预期与客户的实际行为对比，"
      .. "包括校准期，以及数据含验证期时的验证期。" },
   ["diag.histogram"] = { en = "Calibration period: customers by repeat transactions",
      zh = "校准期：按重复交易次数统计的客户数" },
   ["diag.histogram.note"] = { en = "Expected: the sum over customers of P(X(T) = x) at each "
      .. "customer's own age T.", zh = "预期值：按每位客户自身的客户年龄 T 计算 P(X(T) = x)，"
      .. "再对全部客户求和。" },
   ["diag.by_frequency"] = { en = "Holdout period: transactions per customer by calibration "
      .. "frequency", zh = "验证期：按校准期频次分组的人均交易次数" },
   ["diag.by_recency"] = { en = "Holdout period: transactions per customer by recency",
      zh = "验证期：按最近购买时间分组的人均交易次数" },
   ["diag.holdout.note"] = { en = "Expected: the conditional expectation of each customer's "
      .. "transactions in the {span} of the holdout period, averaged over the group.",
      zh = "预期值：每位客户在 {span}验证期内的条件预期交易次数，按组取平均。" },
   ["diag.tracking.inc"] = { en = "Repeat transactions per {period}: actual and expected",
      zh = "每{period}重复交易次数：实际与预期" },
   ["diag.tracking.cum"] = { en = "Cumulative repeat transactions: actual and expected",
      zh = "累计重复交易次数：实际与预期" },
   ["diag.p_alive"] = { en = "P(alive) by frequency and recency (age {age})",
      zh = "按频次与最近购买时间的存活概率（客户年龄 {age}）" },
   ["diag.conditional"] = { en = "Expected transactions in the next {span} by frequency and "
      .. "recency (age {age})", zh = "按频次与最近购买时间的未来 {span}的预期交易次数（客户年龄 {age}）" },
   ["diag.matrix.note"] = { en = "Recency: the middle of each band of the age; a customer "
      .. "without a repeat purchase has no recency, so the row x = 0 repeats one value.",
      zh = "最近购买时间取客户年龄各区间的中点；没有重复购买的客户没有最近购买时间，"
      .. "因此 x = 0 一行各列取值相同。" },
   ["diag.matrix.note_bgbb"] = { en = "Recency: the period of the last transaction; cells "
      .. "that cannot occur are left blank.", zh = "最近购买时间为最后一次交易所在的期数；"
      .. "不可能出现的组合留空。" },
   ["diag.mixing"] = { en = "Heterogeneity across customers: {what}",
      zh = "客户间的异质性：{what}" },
   ["diag.mixing.table"] = { en = "The fitted heterogeneity distributions",
      zh = "拟合的异质性分布" },
   ["diag.mix.lambda"] = { en = "purchase rate λ per {unit}", zh = "每{unit}购买率 λ" },
   ["diag.mix.mu"] = { en = "dropout rate μ per {unit}", zh = "每{unit}流失率 μ" },
   ["diag.mix.p"] = { en = "dropout probability p after each purchase",
      zh = "每次购买后的流失概率 p" },
   ["diag.mix.p_bgbb"] = { en = "transaction probability p per period",
      zh = "每期交易概率 p" },
   ["diag.mix.theta"] = { en = "dropout probability θ per period", zh = "每期流失概率 θ" },
   ["diag.mix.nu"] = { en = "spend scale ν", zh = "消费额尺度参数 ν" },
   ["diag.family.gamma"] = { en = "gamma", zh = "伽马分布" },
   ["diag.family.beta"] = { en = "beta", zh = "贝塔分布" },
   ["diag.spend"] = { en = "Mean repeat spend per customer: actual and expected (Gamma-Gamma)",
      zh = "客户平均重复消费额：实际与预期（Gamma-Gamma）" },
   ["diag.history"] = { en = "P(alive) of customer {id} over the calibration period",
      zh = "客户 {id} 在校准期内的存活概率" },
   ["diag.history.note"] = { en = "P(alive) as it was known at each time: the purchases up to "
      .. "then, recomputed each {unit} and at each purchase.",
      zh = "每个时点按当时已知的购买记录计算的存活概率，每{unit}及每次购买时重新计算。" },
   ["diag.history.none"] = { en = "customer {id} has no purchase on or before the calibration end",
      zh = "客户 {id} 在校准期结束日及之前没有购买" },
   ["diag.col.x"] = { en = "repeat transactions", zh = "重复交易次数" },
   ["diag.col.group"] = { en = "group", zh = "分组" },
   ["diag.col.customers"] = { en = "customers", zh = "客户数" },
   ["diag.col.actual"] = { en = "actual", zh = "实际" },
   ["diag.col.expected"] = { en = "expected", zh = "预期" },
   ["diag.col.actual_total"] = { en = "actual total", zh = "实际合计" },
   ["diag.col.expected_total"] = { en = "expected total", zh = "预期合计" },
   ["diag.col.frequency"] = { en = "frequency x", zh = "频次 x" },
   ["diag.col.recency"] = { en = "recency t_x", zh = "最近购买时间 t_x" },
   ["diag.col.period"] = { en = "period", zh = "期" },
   ["diag.col.end"] = { en = "end", zh = "截止日" },
   ["diag.col.days"] = { en = "days", zh = "天数" },
   ["diag.col.actual_cum"] = { en = "actual, cumulative", zh = "实际累计" },
   ["diag.col.expected_cum"] = { en = "expected, cumulative", zh = "预期累计" },
   ["diag.col.distribution"] = { en = "varies across customers", zh = "在客户间变化的量" },
   ["diag.col.family"] = { en = "distribution", zh = "分布" },
   ["diag.col.a"] = { en = "shape a", zh = "形状参数 a" },
   ["diag.col.b"] = { en = "b (rate or shape)", zh = "b（率参数或形状参数）" },
   ["diag.col.mean"] = { en = "mean", zh = "均值" },
   ["diag.col.sd"] = { en = "standard deviation", zh = "标准差" },
   ["diag.col.spend"] = { en = "mean repeat spend", zh = "平均重复消费额" },
   ["diag.col.time"] = { en = "time ({unit}s)", zh = "时间（{unit}）" },
   ["diag.col.p_alive"] = { en = "P(alive)", zh = "存活概率" },
   ["diag.col.event"] = { en = "event", zh = "事件" },
   ["diag.event.purchase"] = { en = "purchase", zh = "购买" },
   ["diag.event.first"] = { en = "first purchase", zh = "首次购买" },
   ["diag.event.end"] = { en = "calibration end", zh = "校准期结束日" },
   ["diag.axis.customers"] = { en = "customers", zh = "客户数" },
   ["diag.axis.per_customer"] = { en = "holdout transactions per customer",
      zh = "验证期人均交易次数" },
   ["diag.axis.transactions"] = { en = "repeat transactions", zh = "重复交易次数" },
   ["diag.axis.density"] = { en = "density", zh = "密度" },
   ["diag.axis.no_repeat"] = { en = "none", zh = "无" },
   ["diag.failed"] = { en = "{check}: left out, the model cannot compute it ({why})",
      zh = "{check}：模型无法计算，已略去（{why}）" },
   ["diag.check.histogram"] = { en = "calibration histogram", zh = "校准期直方图" },
   ["diag.check.by_frequency"] = { en = "holdout by frequency", zh = "按频次的验证期检验" },
   ["diag.check.by_recency"] = { en = "holdout by recency", zh = "按最近购买时间的验证期检验" },
   ["diag.check.p_alive"] = { en = "P(alive) matrix", zh = "存活概率矩阵" },
   ["diag.check.conditional"] = { en = "conditional expectation matrix",
      zh = "条件预期交易次数矩阵" },
   ["diag.check.tracking"] = { en = "tracking", zh = "跟踪曲线" },
   ["diag.check.history"] = { en = "P(alive) history", zh = "存活概率历史" },
   ["diag.check.spend"] = { en = "spend distribution", zh = "消费额分布" },
   ["diag.unknown_customer"] = { en = "{fn}: no transactions of customer {id} in column '{col}'",
      zh = "{fn}：列 '{col}' 中没有客户 {id} 的交易" },
}

-- Covariates that change over time (lua/cv/dyncov.lua): its messages, moved here from the module (one catalogue).
M.add {
   ["models.dyncov_model"] = {
      en = "{fn}: option 'dynamic' (time-varying covariates) is for pareto_nbd, not {model}",
      zh = "{fn}：选项“dynamic”（时变协变量）仅适用于 pareto_nbd，不适用于 {model}" },
   ["models.dyncov_sim_spend"] = {
      en = "{fn}: option spend is not drawn with time-varying covariates (every amount is 1); "
         .. "draw the spends with cv.simulate on a Gamma-Gamma model",
      zh = "{fn}：带时变协变量时不抽取 spend（每笔金额为 1）；请用 cv.simulate 对 Gamma-Gamma 模型"
         .. "抽取消费额" },
   ["models.dyncov_sim_customers"] = {
      en = "{fn}: {n} customers asked and the covariate table of option dynamic has {got} "
         .. "customers (one customer drawn per customer of the table)",
      zh = "{fn}：要求 {n} 位客户，而选项 dynamic 的协变量表有 {got} 位客户（表中每位客户抽取一位）" },
   ["models.dyncov_sim_window"] = {
      en = "{fn}: the acquisition window ({days} days) must be at least 1 day and end on or "
         .. "before the end date",
      zh = "{fn}：获客窗口（{days} 天）至少 1 天，且须在结束日当天或之前结束" },
   ["models.dyncov_none"] = {
      en = "{fn}: option 'dynamic' needs the covariates to fit: name columns of its table with "
         .. "trans, life or constrain",
      zh = "{fn}：选项“dynamic”需要指明要拟合的协变量：用 trans、life 或 constrain 指定其表中的列" },
   ["models.dyncov_unit"] = {
      en = "{fn}: time-varying covariates need the summary's time unit (day, week, month or "
         .. "year: one covariate period per unit), got {unit}",
      zh = "{fn}：时变协变量需要汇总表的时间单位（day、week、month 或 year：每个单位一个协变量周期），"
         .. "实际为 {unit}" },
   ["models.dyncov_summary"] = {
      en = "{fn}: time-varying covariates need the summary's columns customer and first "
         .. "(a summary made by cv.summary or cv.summary_csv)",
      zh = "{fn}：时变协变量需要汇总表的 customer 和 first 列（由 cv.summary 或 cv.summary_csv 生成）" },
   ["models.dyncov_value"] = {
      en = "{fn}: covariate '{column}' is not a number in row {row} of the covariate table "
         .. "({got})",
      zh = "{fn}：协变量“{column}”在协变量表第 {row} 行不是数值（{got}）" },
   ["models.dyncov_option"] = {
      en = "{fn}: option {option} is for a model fitted with time-varying covariates "
         .. "(cv.fit with option dynamic); this model has none, so it would be ignored",
      zh = "{fn}：选项 {option} 仅用于以时变协变量拟合的模型（cv.fit 给出 dynamic 选项）；"
         .. "此模型没有时变协变量，该选项将被忽略，故不接受" },
   ["models.dyncov_predict"] = {
      en = "{fn}: not available for a model with time-varying covariates: m:simulate, and "
         .. "predictions for one record (available: the fit, coef, lr_test, loglik, m:profile, "
         .. "m:pmf_new and m:expected_new with a path, and on a Table of the fit's customers "
         .. "m:p_alive, m:conditional, m:dert, m:clv and m:predict, each with an asymptotic or "
         .. "bootstrap interval, and m:pmf; cv.simulate_transactions with option dynamic)",
      zh = "{fn}：不适用于带时变协变量的模型：m:simulate，以及对单条记录的预测"
         .. "（可用：拟合、coef、lr_test、loglik、m:profile、给出 path 的 m:pmf_new 和 "
         .. "m:expected_new，以及对拟合客户的表使用 m:p_alive、m:conditional、m:dert、m:clv "
         .. "和 m:predict（各自可带渐近区间或 bootstrap 区间）与 m:pmf；"
         .. "带 dynamic 选项的 cv.simulate_transactions）" },
   ["models.dyncov_spend_cov"] = {
      en = "{fn}: the CLV interval of a model with time-varying covariates draws a Gamma-Gamma "
         .. "spend model without covariates; {model} has covariates (give spend as a column or "
         .. "a number to hold it fixed)",
      zh = "{fn}：带时变协变量的模型的 CLV 区间只能同时抽样不带协变量的 Gamma-Gamma 消费额模型；"
         .. "{model} 带有协变量（可把 spend 设为列名或数值，使其固定）" },
   ["models.dyncov_table"] = {
      en = "{fn}: a model with time-varying covariates predicts for a Table of its customers "
         .. "(the fit's summary or some of its rows), not for one record",
      zh = "{fn}：带时变协变量的模型只为其客户的表（拟合所用的汇总表或其中若干行）预测，不为单条记录预测" },
   ["models.dyncov_customer"] = {
      en = "{fn}: customer {id} is not a customer of the fit with time-varying covariates",
      zh = "{fn}：客户 {id} 不在带时变协变量的拟合的客户之中" },
   ["models.dyncov_differs"] = {
      en = "{fn}: customer {id}: x, t_x or T differ from the fit's (pass the summary the model "
         .. "was fitted on)",
      zh = "{fn}：客户 {id}：x、t_x 或 T 与拟合时不同（请传入拟合所用的汇总表）" },
   ["models.dyncov_need_future"] = {
      en = "{fn}: a model with time-varying covariates needs the covariates over the prediction "
         .. "period: either option dynamic = Table covering it (customer, period start, "
         .. "covariates, as the fit's covariate table), or future = \"last\" (each customer's "
         .. "last covariates held for all time)",
      zh = "{fn}：带时变协变量的模型需要预测期内的协变量：或者用选项 dynamic = 覆盖预测期的表"
         .. "（客户、周期起始日、协变量，与拟合所用的协变量表相同），或者用 future = \"last\""
         .. "（每位客户最后的协变量永远沿用）" },
   ["models.dyncov_unbounded"] = {
      en = "{fn}: DERT and an unlimited horizon run over all future time, which no covariate "
         .. "table covers: add future = \"last\" (the last covariates of dynamic's periods "
         .. "held after them; without dynamic, each customer's last covariates before T)",
      zh = "{fn}：DERT 和无限预测期涵盖全部未来时间，任何协变量表都无法覆盖：请加上 future = "
         .. "\"last\"（dynamic 各周期之后沿用其最后的协变量；不给 dynamic 时沿用每位客户 T 之前"
         .. "最后的协变量）" },
   ["models.dyncov_path"] = {
      en = "{fn}: a model with time-varying covariates needs a new customer's covariates: option "
         .. "path = Table with the columns {columns}, one row per time unit from the first "
         .. "purchase, covering the horizon",
      zh = "{fn}：带时变协变量的模型需要新客户的协变量：选项 path = 表，含列 {columns}，"
         .. "自首次购买起每个时间单位一行，覆盖整个预测期" },
   ["models.dyncov_future"] = {
      en = "{fn}: customer {id}: the covariate periods do not cover T = {from} to T + t = {to} "
         .. "(in the model's unit) without gaps",
      zh = "{fn}：客户 {id}：协变量的时期没有无间断地覆盖 T = {from} 到 T + t = {to}（模型的时间单位）" },
}

-- The words of a table printed on the console (t:print, to_string("text"), cv.show): the
-- type line under the header and the last line when rows are left out
-- (src/core/table_format.c, cv_table_type_label and cv_table_more_text, translated by
-- the binding); checked by tests/lua/test_zh_more.lua.
M.add {
   ["core.table.type_int"] = { en = "<int>", zh = "<整数>" },
   ["core.table.type_float"] = { en = "<float>", zh = "<浮点数>" },
   ["core.table.type_string"] = { en = "<string>", zh = "<字符串>" },
   ["core.table.type_date"] = { en = "<date>", zh = "<日期>" },
   ["core.table.type_datetime"] = { en = "<datetime>", zh = "<日期时间>" },
   ["core.table.type_bool"] = { en = "<bool>", zh = "<布尔值>" },
   ["core.table.more_rows"] = { en = "… %s more row%s", zh = "… 另有 %s 行%.0s" },
   ["core.table.no_columns"] = { en = "(no columns, %lld rows)", zh = "（无列，%lld 行）" },
   -- tostring(t) (src/lua/l_table.c tbl_tostring): the shape as cv.repl writes it
   ["core.table.shape"] = { en = "cv.Table (%lld rows × %d columns)",
      zh = "cv.Table（%lld 行 × %d 列）" },
   ["core.table.closed"] = { en = "cv.Table (closed)", zh = "cv.Table（已关闭）" },
   -- whole: only the whole text, never a value inside another message ("decimal_comma =
   -- true" stays true)
   ["core.table.na"] = { en = "na", zh = "–", whole = true }, -- a missing value
   ["core.table.false"] = { en = "false", zh = "否", whole = true },
   ["core.table.true"] = { en = "true", zh = "是", whole = true },
   -- the close names or all the columns, inside the costing messages (src/core/costing_columns.c)
   ["core.costing.colnames_hint"] = { en = "did you mean %s?", zh = "是否要用 %s？" },
   ["core.costing.colnames"] = { en = "columns: %s", zh = "现有的列：%s" },
}

-- The core's messages of models with covariates, the diagnostics and the Pareto/NBD with
-- time-varying covariates (src/core/model_cov*.c, model_diagnostics.c, model_dyncov*.c), and
-- the bindings' messages about a table's columns and output format (src/lua/lbind.c,
-- l_table.c); checked by tests/lua/test_zh_more.lua.
M.add {
   ["core.cov.none"] = { en = "%s takes no covariates (bgnbd and pareto_nbd do)",
      zh = "%s 不接受协变量（bgnbd 和 pareto_nbd 接受）" },
   ["core.cov.none4"] = { en = "%s takes no covariates (bgnbd, pareto_nbd, bgbb and gamma_gamma do)",
      zh = "%s 不接受协变量（bgnbd、pareto_nbd、bgbb 和 gamma_gamma 接受）" },
   ["core.cov.process"] = { en = "covariate %zu: %s has %s", zh = "协变量 %zu：%s 只有%s" },
   ["core.cov.process_spend"] = { en = "covariates on the spend scale only (spend)",
      zh = "消费额尺度上的协变量（spend）" },
   ["core.cov.process_tl"] = {
      en = "covariates on the purchase and dropout processes only (trans, life)",
      zh = "购买过程和流失过程上的协变量（trans、life）" },
   ["core.cov.reg_proc"] = {
      en = "penalty: reg.%s is an L2 penalty on the %s.* coefficients and %s has none",
      zh = "惩罚：reg.%s 是对 %s.* 系数的 L2 惩罚，而 %s 没有这类系数" },
   ["core.cov.sim_gg"] = { en = "gamma_gamma: spend draws need x (cv_cov_simulate_spend)",
      zh = "gamma_gamma：消费额抽样需要 x（cv_cov_simulate_spend）" },
   ["core.cov.sim_spend"] = { en = "%s: spend draws are the gamma_gamma's",
      zh = "%s：消费额抽样仅适用于 gamma_gamma" },
   ["core.cov.sim_T"] = { en = "row %zu: T = %g must be a finite number >= 0",
      zh = "第 %zu 行：T = %g 必须是 >= 0 的有限数" },
   ["core.sim.id_rows"] = { en = "gen: the id column has %lld rows, %zu customers",
      zh = "gen：编号列有 %lld 行，而客户有 %zu 位" },
   ["core.dynsim.cover"] = {
      en = "customer %zu: the periods do not cover 0 to T = %g without gaps",
      zh = "客户 %zu：协变量周期没有无间断地覆盖 0 到 T = %g" },
   ["core.dynsim.T"] = { en = "customer %zu: T = %g must be a finite number >= 0",
      zh = "客户 %zu：T = %g 必须是 >= 0 的有限数" },
   ["core.dynsim.value"] = { en = "customer %zu: covariate %zu is not finite in period %zu",
      zh = "客户 %zu：协变量 %zu 在第 %zu 个周期不是有限数" },
   ["core.dynsim.ncoef"] = { en = "dyncov: %zu coefficients, at most %d",
      zh = "dyncov：%zu 个系数，最多 %d 个" },
   ["core.dynsim.coef"] = { en = "dyncov: coefficient %zu: column %zu of %zu, or no process",
      zh = "dyncov：系数 %zu：第 %zu 列（共 %zu 列），或未指定过程" },
   ["core.dynsim.param"] = { en = "dyncov: parameter %zu is not finite",
      zh = "dyncov：参数 %zu 不是有限数" },
   ["core.dynsim.unit"] = { en = "dyncov: transactions are drawn in days or weeks, not %s",
      zh = "dyncov：交易只能按天或周抽取，不能按 %s" },
   ["core.dynsim.id_rows"] = { en = "dyncov: the id column has %lld rows, %zu customers",
      zh = "dyncov：编号列有 %lld 行，而客户有 %zu 位" },
   ["core.cov.not_count"] = { en = "row %zu: x = %g is not a count",
      zh = "第 %zu 行：x = %g 不是计数" },
   ["core.cov.too_many"] = { en = "%s: %zu covariate coefficients, at most %d",
      zh = "%s：协变量系数 %zu 个，最多 %d 个" },
   ["core.cov.no_column"] = { en = "covariate %zu: no column or no process",
      zh = "协变量 %zu：没有对应的列或过程" },
   ["core.cov.finite"] = { en = "row %zu: covariate %zu is %s, a finite number is needed",
      zh = "第 %zu 行：协变量 %zu 为 %s，须为有限数" },
   ["core.cov.nomem"] = { en = "out of memory collapsing %zu rows with covariates",
      zh = "合并 %zu 行带协变量的数据时内存不足" },
   ["core.cov.no_customers"] = { en = "%s: no customers", zh = "%s：没有客户" },
   ["core.cov.profile_param"] = { en = "profile: no parameter %d of %d",
      zh = "轮廓似然：没有第 %d 个参数（共 %d 个）" },
   ["core.cov.profile_positive"] = { en = "profile: estimate %d must be positive",
      zh = "轮廓似然：第 %d 个估计值必须为正" },
   ["core.cov.profile_value"] = { en = "profile: value %g is not %s",
      zh = "轮廓似然：取值 %g 不是%s" },
   ["core.cov.profile_none"] = { en = "profile: no customers", zh = "轮廓似然：没有客户" },
   ["core.cov.row_finite"] = { en = "row %zu: x, t_x and T must be finite",
      zh = "第 %zu 行：x、t_x 和 T 必须为有限数" },
   ["core.cov.row_why"] = { en = "row %zu: %s (x = %g, t_x = %g, T = %g)",
      zh = "第 %zu 行：%s（x = %g, t_x = %g, T = %g）" },
   ["core.cov.not_computable"] = { en = "%s: %s not computable for %zu row(s), first row %zu",
      zh = "%s：%s 无法计算，共 %zu 行，第一行为第 %zu 行" },
   ["core.cov.sim_arrays"] = { en = "%s: simulation arrays missing", zh = "%s：缺少模拟所需的数组" },
   ["core.cov.text"] = {
      en = "covariate '%s' is text: covariates are numbers; code each category but one (the reference) as a 0/1 column",
      zh = "协变量 '%s' 是文本：协变量须为数值；请把除参照类别外的每个类别编码为一个 0/1 列" },
   ["core.cov.missing"] = {
      en = "row %lld: covariate '%s' is missing (every customer needs a value; check the join)",
      zh = "第 %lld 行：协变量 '%s' 缺失（每位客户都需要取值；请检查连接）" },
   ["core.cov.lr_df"] = {
      en = "likelihood-ratio test: the full model must have more parameters than the restricted one (df = %d)",
      zh = "似然比检验：完整模型的参数必须多于约束模型（自由度 = %d）" },
   ["core.cov.lr_finite"] = { en = "likelihood-ratio test: log-likelihood not finite",
      zh = "似然比检验：对数似然不是有限数" },
   ["core.diag.no_counts"] = { en = "%s: no distribution of purchase counts to compare",
      zh = "%s：没有可比较的购买次数分布" },
   ["core.diag.hist_last"] = { en = "histogram: the last count %d must lie in 1..1000",
      zh = "直方图：最后一个次数 %d 必须在 1..1000 之间" },
   ["core.diag.px"] = { en = "%s: P(X(%g) = %d) is not computable",
      zh = "%s：无法计算 P(X(%g) = %d)" },
   ["core.diag.no_conditional"] = { en = "%s: no conditional expectation to check",
      zh = "%s：没有可检验的条件期望" },
   ["core.diag.groups"] = { en = "holdout: %d groups, expected 2..1000",
      zh = "验证期检验：%d 组，应为 2..1000 组" },
   ["core.diag.no_recency"] = { en = "holdout by recency: the data has no recency t_x",
      zh = "按最近购买时间的验证期检验：数据没有最近购买时间 t_x" },
   ["core.diag.no_map"] = { en = "%s: no %s to map over frequency and recency",
      zh = "%s：没有可按频次和最近购买时间展开的 %s" },
   ["core.diag.matrix"] = { en = "matrix: age %g with %d x %d cells (BG/BB: T whole, T + 1 recencies)",
      zh = "矩阵：客户年龄 %g，%d x %d 个单元格（BG/BB：T 为整数，最近购买时间取 T + 1 个值）" },
   ["core.diag.no_cell"] = { en = "%s: no cell of the %s matrix is computable",
      zh = "%s：%s 矩阵没有可计算的单元格" },
   ["core.diag.spend_bins"] = { en = "spend: %d bins, expected 2..1000",
      zh = "消费额：%d 个分组，应为 2..1000 个" },
   ["core.diag.spend_limits"] = { en = "spend: the bin limits must be positive and rise",
      zh = "消费额：分组界限必须为正且递增" },
   ["core.diag.no_palive"] = { en = "%s: no P(alive) to follow", zh = "%s：没有可追踪的存活概率" },
   ["core.diag.purchase_times"] = {
      en = "purchase %zu: times since the first purchase must be positive and ascending",
      zh = "第 %zu 次购买：距首次购买的时间必须为正且递增" },
   ["core.diag.time"] = { en = "time %zu must be >= 0, got %g", zh = "第 %zu 个时间必须 >= 0，实际为 %g" },
   ["core.dyncov.not_number"] = { en = "covariate %zu is not a number in period row %zu",
      zh = "第 %zu 个协变量在时期表第 %zu 行不是数值" },
   ["core.dyncov.pend"] = { en = "period row %zu ends at %g, not after its start %g",
      zh = "时期表第 %zu 行的结束 %g 不在其开始 %g 之后" },
   ["core.dyncov.overlap"] = {
      en = "customer %zu: covariate periods %zu and %zu overlap (one period per time unit)",
      zh = "第 %zu 位客户：协变量时期 %zu 与 %zu 重叠（每个时间单位一个时期）" },
   ["core.dyncov.customer"] = { en = "customer %zu: x = %g, t_x = %g, T = %g",
      zh = "第 %zu 位客户：x = %g, t_x = %g, T = %g" },
   ["core.dyncov.repeats"] = { en = "customer %zu: %zu repeat purchases listed, x = %g",
      zh = "第 %zu 位客户：列出了 %zu 次重复购买，x = %g" },
   ["core.dyncov.no_cov"] = {
      en = "customer %zu: no covariates for the repeat purchase at %g (periods must cover the first purchase to T without gaps)",
      zh = "第 %zu 位客户：时间 %g 的重复购买没有协变量（各时期须无间断地覆盖首次购买到 T）" },
   ["core.dyncov.gap_tx"] = {
      en = "customer %zu: the covariate periods do not cover the first purchase to t_x = %g without gaps",
      zh = "第 %zu 位客户：协变量的时期没有无间断地覆盖首次购买到 t_x = %g" },
   ["core.dyncov.gap_T"] = {
      en = "customer %zu: the covariate periods do not cover t_x = %g to T = %g without gaps",
      zh = "第 %zu 位客户：协变量的时期没有无间断地覆盖 t_x = %g 到 T = %g" },
   ["core.dyncov.ll"] = { en = "the log-likelihood is not finite", zh = "对数似然不是有限数" },
   ["core.dyncov.palive"] = { en = "customer %zu: P(alive) is not computable",
      zh = "第 %zu 位客户：无法计算存活概率" },
   ["core.dyncov.fut_shape"] = {
      en = "future covariates: %zu customers and %zu covariates, %zu and %zu expected",
      zh = "未来协变量：%zu 位客户和 %zu 个协变量，应为 %zu 和 %zu" },
   ["core.dyncov.horizon"] = { en = "the horizon must be >= 0, got %g",
      zh = "预测期必须 >= 0，实际为 %g" },
   ["core.dyncov.fut_nan"] = { en = "covariate %zu is not a number in future period row %zu",
      zh = "第 %zu 个协变量在未来时期表第 %zu 行不是数值" },
   ["core.dyncov.dtx_args"] = {
      en = "discounted transactions: horizon %g and rate %g (a horizon > 0; an unlimited one needs a continuous rate > 0)",
      zh = "折现交易数：预测期 %g，折现率 %g（预测期须 > 0；无限预测期需要 > 0 的连续折现率）" },
   ["core.dyncov.no_last"] = { en = "customer %zu: no covariates before T to hold (T = %g)",
      zh = "第 %zu 位客户：T 之前没有可沿用的协变量（T = %g）" },
   ["core.dyncov.dtx"] = { en = "customer %zu: the discounted transactions are not finite",
      zh = "第 %zu 位客户：折现交易数不是有限数" },
   ["core.dyncov.fut_gap"] = {
      en = "customer %zu: the future covariate periods do not cover T = %g to T + t = %g without gaps",
      zh = "第 %zu 位客户：未来协变量的时期没有无间断地覆盖 T = %g 到 T + t = %g" },
   ["core.dyncov.e_nan"] = { en = "customer %zu: the expectation is not finite",
      zh = "第 %zu 位客户：期望值不是有限数" },
   ["core.dyncov.max"] = { en = "at most %d coefficients", zh = "最多 %d 个系数" },
   ["core.dyncov.no_such"] = { en = "coefficient %zu: no such covariate",
      zh = "第 %zu 个系数：没有这个协变量" },
   ["core.dyncov.wrap"] = { en = "pareto_nbd with dynamic covariates: %s",
      zh = "带时变协变量的 pareto_nbd：%s" },
   ["core.dyncov.path_gap"] = {
      en = "the covariate periods do not cover the first purchase to t = %g without gaps",
      zh = "协变量的时期没有无间断地覆盖首次购买到 t = %g" },
   ["core.dyncov.pmf_nan"] = { en = "the probability is not computable", zh = "无法计算该概率" },
   ["core.dyncov.pmf_nan_i"] = { en = "customer %zu: the probability is not computable",
      zh = "第 %zu 位客户：无法计算该概率" },
   ["core.dyncov.iv_spend"] = {
      en = "intervals: pareto_nbd with time-varying covariates does not predict spend",
      zh = "区间：带时变协变量的 pareto_nbd 不预测消费额" },
   ["core.dyncov.iv_boot_fit"] = {
      en = "intervals: the bootstrap needs the customers the model was fitted on",
      zh = "区间：bootstrap 需要模型拟合时所用的顾客" },
   ["core.dyncov.boot_none"] = {
      en = "bootstrap refit: no customers drawn",
      zh = "bootstrap 重新拟合：没有抽到顾客" },
   ["core.dyncov.boot_noconv"] = {
      en = "bootstrap refit: the optimizer did not converge: %s",
      zh = "bootstrap 重新拟合：优化器未收敛：%s" },
   ["core.dyncov.iv_many"] = { en = "intervals: too many parameters", zh = "区间：参数过多" },
   ["core.bind.format"] = { en = "%s: unknown output format (use .csv, .tsv, .json, .md or .xlsx)",
      zh = "%s：未知的输出格式（请用 .csv、.tsv、.json、.md 或 .xlsx）" },
   ["core.bind.value_type"] = {
      en = "column '%s', value %lld: expected a number, string or boolean, got %s",
      zh = "列 '%s' 的第 %lld 个值：应为数值、字符串或布尔值，实际为 %s" },
   ["core.bind.mixes"] = { en = "column '%s' mixes %s", zh = "列 '%s' 混有%s" },
   -- src/lua/lbind.c check_nul: a text that C would read cut at a NUL byte
   ["core.bind.nul"] = {
      en = "'%s' is followed by a NUL character (\\0): a name, a path or an option cannot hold one",
      zh = "'%s' 之后有空字符（\\0）：名称、路径或选项中不能含有空字符" },
   ["core.bind.mix_ns"] = { en = "numbers and strings", zh = "数值和字符串" },
   ["core.bind.mix_sb"] = { en = "strings and booleans", zh = "字符串和布尔值" },
   ["core.bind.mix_nb"] = { en = "numbers and booleans", zh = "数值和布尔值" },
   ["core.cov.positive"] = { en = "a positive number", zh = "正数" },
   ["core.cov.finite_value"] = { en = "finite", zh = "有限数" },
   ["core.bind.expected_q"] = { en = "column '%s', value %lld: expected a %s, got '%s'",
      zh = "列 '%s' 的第 %lld 个值：应为 %s，实际为 '%s'" },
   ["core.bind.expected"] = { en = "column '%s', value %lld: expected a %s, got %s",
      zh = "列 '%s' 的第 %lld 个值：应为 %s，实际为 %s" },
}

return M
