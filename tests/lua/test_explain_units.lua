-- Tests of periods shown with their unit (issue 15): a count of periods in an explanation,
-- cv.formula.format_value with a unit and i18n.span, in English and Chinese; a count whose
-- unit is not known stays a bare number.
local T = require "cv.testing"
local explain = require "cv.explain"
local formula = require "cv.formula"
local i18n = require "cv.i18n"

-- The last line of a text (the sentence after the result).
local function last(text)
   local out
   for l in text:gmatch("([^\n]*)\n") do out = l end
   return out
end

T.test("i18n.span: the unit's words, singular for one, the count alone without a unit", function()
   T.eq(i18n.span(52, "week", "en"), "52 weeks")
   T.eq(i18n.span(1, "week", "en"), "1 week")
   T.eq(i18n.span("1", "year", "en"), "1 year")
   T.eq(i18n.span(1.5, "month", "en"), "1.5 months")
   T.eq(i18n.span(0, "day", "en"), "0 days")
   T.eq(i18n.span("1,000", "day", "en"), "1,000 days")
   T.eq(i18n.span(52, "week", "zh"), "52 周")
   T.eq(i18n.span(39, "month", "zh"), "39 个月")
   T.eq(i18n.span(1, "month", "zh"), "1 个月")
   T.eq(i18n.span(3, "year", "zh"), "3 年")
   T.eq(i18n.span(7, "day", "zh"), "7 天")
   T.eq(i18n.span(52, nil, "en"), "52")
end)

T.test("cv.formula.format_value with a unit", function()
   T.eq(formula.format_value(52, "count", "week", "en"), "52 weeks")
   T.eq(formula.format_value(52, "count", "week", "zh"), "52 周")
   T.eq(formula.format_value(1000, "count", "day", "en"), "1,000 days")
   T.eq(formula.format_value(3, "number", "year", "zh"), "3 年")
   T.eq(formula.format_value(1, "count", "year", "en"), "1 year")
   T.eq(formula.format_value(52, "count"), "52")
   T.eq(formula.format_value(2000, "money"), "2,000.00")
end)

T.test("the catalogue says which inputs count periods, and in what unit", function()
   local function unit_of(name, input)
      for _, i in ipairs(formula.info(name).inputs) do
         if i.name == input then return i.unit end
      end
      error("no input " .. input)
   end
   T.eq(unit_of("clv.retention_finite", "periods"), "period")
   T.eq(unit_of("clv.retention_finite_now", "periods"), "period")
   T.eq(unit_of("crm.eac", "years"), "year")
   T.eq(unit_of("clv.simple", "lifetime"), nil) -- in the frequency's unit: not known
   T.eq(unit_of("clv.retention", "margin"), nil)
end)

local finite = { margin = 100, retention = 0.9, discount = 0.1, period = "week", periods = 52 }

T.test("clv.retention_finite: the horizon in the unit of its period", function()
   -- 100 × Σ (0.9 ÷ 1.1^(7 ÷ 365.2425))^t, t = 1..52 = 880.49
   local text, v = explain.text("clv.retention_finite", finite, { lang = "en" })
   T.near(v, 880.49, 0.005)
   T.eq(last(text), "  a customer retained at 90% a week is worth 880.49 over 52 weeks")
   T.eq(last(explain.text("clv.retention_finite", finite, { lang = "zh" })),
      "  每周保留率为 90% 的客户在 52 周内的价值为 880.49")
   local one = { margin = 100, retention = 0.9, discount = 0.1, period = "month", periods = 1 }
   -- the first margin counted now: one period is the margin itself
   T.eq(last(explain.text("clv.retention_finite_now", one, { lang = "en" })),
      "  a customer retained at 90% a month is worth 100.00 over 1 month")
   T.eq(last(explain.text("clv.retention_finite_now", one, { lang = "zh" })),
      "  每月保留率为 90% 的客户在 1 个月内的价值为 100.00")
end)

T.test("crm.eac: the life in years", function()
   local x = { present_cost = 9768.92, discount = 0.05, years = 6 }
   T.eq(last(explain.text("crm.eac", x, { lang = "en" })),
      "  a present cost of 9,768.92 spread over 6 years is 1,924.65 a year")
   T.eq(last(explain.text("crm.eac", x, { lang = "zh" })),
      "  成本现值 9,768.92 在 6 年内均摊，每年 1,924.65")
   x.years = 1 -- one year: the cost itself, grown by a year's interest: 9,768.92 × 1.05
   T.eq(last(explain.text("crm.eac", x, { lang = "en" })),
      "  a present cost of 9,768.92 spread over 1 year is 10,257.37 a year")
end)

T.test("clv.simple: the lifetime's unit is not known, so it stays a number", function()
   local text = explain.text("clv.simple", { avg_purchase = 100, frequency = 4, lifetime = 3 },
      { lang = "en" })
   T.eq(last(text), "  CLV = 100.00 × 4 × 3 = 1,200.00")
   T.eq(text:find("year", 1, true), nil)
end)

T.report()
