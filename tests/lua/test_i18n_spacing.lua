-- i18n.t drops the half-width space a template keeps beside a placeholder when the value
-- puts a Chinese character on the space's other side (docs/glossary.md: spaces go only
-- around numbers, Latin names and code): "{metric} 的敏感性分析" with 客户终身价值.
local T = require "cv.testing"
local test, eq = T.test, T.eq
local i18n = require "cv.i18n"

i18n.add({
   ["test.spacing.before"] = { en = "Sensitivity of {m}", zh = "{m} 的敏感性分析" },
   ["test.spacing.after"] = { en = "{n} customers", zh = "共 {n} 位客户" },
   ["test.spacing.usage"] = { en = "usage", zh = "用法：{cmd} 名称 键=值" },
})
local t = i18n.t

test("a Chinese value joins the Chinese beside it", function()
   eq(t("test.spacing.before", { m = "客户终身价值" }, "zh"), "客户终身价值的敏感性分析")
   eq(t("test.spacing.after", { n = "两千" }, "zh"), "共两千位客户")
end)

test("a Latin name or a number keeps its spaces", function()
   eq(t("test.spacing.before", { m = "CLV" }, "zh"), "CLV 的敏感性分析")
   eq(t("test.spacing.after", { n = "2,000" }, "zh"), "共 2,000 位客户")
   eq(t("test.spacing.after", { n = "两千 x" }, "zh"), "共两千 x 位客户")
end)

test("spaces of the template away from a value stay, English is untouched", function()
   eq(t("test.spacing.usage", { cmd = "cvkit explain" }, "zh"), "用法：cvkit explain 名称 键=值")
   eq(t("test.spacing.before", { m = "客户" }, "en"), "Sensitivity of 客户")
end)

test("a value holding the marker bytes is kept whole", function()
   eq(t("test.spacing.before", { m = "客\1户" }, "zh"), "客\1户 的敏感性分析")
end)

T.report()
