-- Tests of cv.explain and cv.i18n: the explanation lines in English and Chinese, the list,
-- the argument parsing of `cvkit explain`, and the catalogue's completeness.
local T = require "cv.testing"
local explain = require "cv.explain"
local i18n = require "cv.i18n"

-- The lines of a text, without the final newline.
local function lines(text)
   local out = {}
   for l in text:gmatch("([^\n]*)\n") do
      out[#out + 1] = l
   end
   return out
end

local simple = { avg_purchase = 100, frequency = 4, lifetime = 5 }

T.test("english: the formula in words, then the numbers", function()
   local text, v = explain.text("clv.simple", simple, { lang = "en" })
   T.eq(lines(text), {
      "clv.simple: simple customer lifetime value",
      "  CLV = average purchase × purchase frequency × customer lifetime",
      "  CLV = 100.00 × 4 × 5 = 2,000.00",
   })
   T.near(v, 2000)
end)

T.test("chinese", function()
   local text = explain.text("clv.simple", simple, { lang = "zh" })
   T.eq(lines(text), {
      "clv.simple：简单客户终身价值",
      "  客户终身价值 = 平均购买额 × 购买频率 × 客户生命周期",
      "  客户终身价值 = 100.00 × 4 × 5 = 2,000.00",
   })
end)

T.test("retention effect: three steps and a conclusion", function()
   local inputs = { margin = 100, discount = 0.1, period = "year", retention = 0.8,
      new_retention = 0.85 }
   local l = lines(explain.text("retention.effect", inputs, { lang = "en" }))
   T.eq(l[3], "  CLV before = 100.00 × 80% ÷ (1 + 10% − 80%) = 266.67")
   T.eq(l[5], "  CLV after = 100.00 × 85% ÷ (1 + 10% − 85%) = 340.00")
   T.eq(l[7], "  change in CLV = (340.00 − 266.67) ÷ 266.67 = 27.5%")
   T.eq(l[8], "  moving retention from 80% to 85% changes customer value by 27.5%")
   local z = lines(explain.text("retention.effect", inputs, { lang = "zh" }))
   T.eq(z[7], "  客户终身价值变化 = (340.00 − 266.67) ÷ 266.67 = 27.5%")
   T.eq(z[8], "  保留率从 80% 变为 85%，客户价值变化 27.5%")
end)

T.test("npv written out term by term", function()
   local l = lines(explain.text("profit.lifecycle_npv",
      { discount = 0.1, period = "year", profits = { 100, 100, 100 } }, { lang = "en" }))
   T.eq(l[2], "  lifecycle profit = Σ profit(t) ÷ (1 + discount rate per period)^t, t = 1..n")
   T.eq(l[3], "  lifecycle profit = 100.00 ÷ 1.1^1 + 100.00 ÷ 1.1^2 + 100.00 ÷ 1.1^3 = 248.69")
end)

T.test("the language follows cv.i18n when not given", function()
   i18n.set_lang("zh_CN.UTF-8")
   T.eq(i18n.lang(), "zh")
   T.ok(explain.text("cost.cac", { acquisition_spend = 50000, new_customers = 250 })
      :find("客户获取成本 = 50,000.00 ÷ 250 = 200.00", 1, true))
   i18n.set_lang(nil)
   T.raises_plain("unknown language 'fr'", i18n.set_lang, "fr")
   T.raises_plain("unknown language 'fr'", explain.text, "clv.simple", simple, { lang = "fr" })
end)

T.test("the list names every formula, in both languages", function()
   for _, lang in ipairs { "en", "zh" } do
      local text = explain.list_text { lang = lang }
      for _, f in ipairs(cv.formula.list()) do
         T.ok(text:find("  " .. f.name .. " ", 1, true), f.name .. " listed in " .. lang)
      end
   end
   T.ok(explain.list_text({ lang = "en" }):find("  cost.cac                     customer acquisition cost", 1, true))
   T.ok(explain.list_text({ lang = "zh" }):find("  value.delivered              顾客让渡价值", 1, true))
end)

T.test("parsing key=value arguments", function()
   local inputs = explain.parse("clv.simple", { "avg_purchase=100", "frequency=4", "lifetime=5" })
   T.eq(inputs, { avg_purchase = 100, frequency = 4, lifetime = 5 })
   inputs = explain.parse("profit.lifecycle_npv", { "discount=0.1", "period=month",
      "profits=100,-20,3.5" })
   T.eq(inputs, { discount = 0.1, period = "month", profits = { 100, -20, 3.5 } })
   local function err(args, lang)
      local r, msg = explain.parse("clv.simple", args, { lang = lang })
      T.eq(r, nil)
      return msg
   end
   T.eq(err { "avg_purchase=100", "lifetime=5" },
      "clv.simple: missing input 'frequency' (purchase frequency: a number >= 0)")
   T.eq(err({ "avg_purchase=100", "lifetime=5" }, "zh"),
      "clv.simple：缺少输入 'frequency'（购买频率：一个 >= 0 的数）")
   T.eq(err { "avg_purchase=abc", "frequency=4", "lifetime=5" },
      "clv.simple: input 'avg_purchase' expects a number >= 0, got 'abc'")
   for _, bad in ipairs { "0x10", "inf", "nan", "1e999", "1,000", "", "1.2.3" } do
      T.ok(err { "avg_purchase=" .. bad, "frequency=4", "lifetime=5" }
         :find("expects a number >= 0", 1, true), bad)
   end
   T.eq(err { "avg_purchase" }, "bad argument 'avg_purchase' (expected key=value)")
   T.eq(err { "freq=4" }, "clv.simple: unknown input 'freq' (inputs: avg_purchase, frequency, lifetime)")
   T.eq(err { "lifetime=4", "lifetime=5" }, "clv.simple: input 'lifetime' given twice")
   local r, msg = explain.parse("profit.lifecycle_npv", { "discount=0.1", "period=year",
      "profits=1,,2" })
   T.eq(msg, "profit.lifecycle_npv: input 'profits' expects numbers separated by commas, "
      .. "such as 100,100,100, got '1,,2'")
   T.eq(r, nil)
end)

T.test("inputs of a formula", function()
   local l = lines(explain.inputs_text("profit.lifecycle_npv", { lang = "en" }))
   T.eq(l[#l - 1], "  period    the period of the margins, retention and profits: a time unit: "
      .. "day, week, month or year")
   T.eq(l[#l], "  profits   profit: numbers separated by commas, such as 100,100,100")
end)

T.test("i18n: placeholders, english fallback, missing keys", function()
   i18n.add { ["test.only_en"] = { en = "hello {who}, {left}" } }
   T.eq(i18n.t("test.only_en", { who = "ana" }, "zh"), "hello ana, {left}")
   T.eq(i18n.t("test.no_such_key"), "test.no_such_key")
   T.eq(i18n.normalize("en_US.UTF-8"), "en")
   T.eq(i18n.normalize("zh-Hans"), "zh")
   T.eq(i18n.normalize("fr"), nil)
end)

T.test("every formula, input, step and domain has english and chinese text", function()
   for _, f in ipairs(cv.formula.list()) do
      T.ok(i18n.has("formula." .. f.name), "formula." .. f.name)
      for _, input in ipairs(f.inputs) do
         T.ok(i18n.has("input." .. input.name), "input." .. input.name)
         T.ok(i18n.has("domain." .. input.domain), "domain." .. input.domain)
      end
      for _, s in ipairs(f.steps) do
         T.ok(i18n.has("label." .. s.key), "label." .. s.key)
      end
   end
   for _, prefix in ipairs { "formula.", "input.", "label.", "domain.", "explain.", "models.",
      "model.param.", "i18n." } do
      T.eq(i18n.untranslated("zh", prefix), {}, prefix)
   end
end)

T.report()
