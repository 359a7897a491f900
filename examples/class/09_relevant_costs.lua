-- examples/class/09_relevant_costs.lua: relevant costs of a decision.
-- Question: a distributor services its customers' machines with its own technicians. A
-- service partner offers to do it for 55,000 a year. The service manager adds up the
-- in-house cost: wages 30,000 + spare parts 9,000 (what the stock cost last year) + van
-- lease 6,000 + head office overheads 9,000 + workshop depreciation 4,000 = 58,000, and
-- proposes to outsource. The facts (data/relevant_costs.csv): the technicians and the van
-- go if the work is outsourced; the parts in stock would have to be replaced at today's
-- price, 11,000; the workshop could be let for 5,000 a year; the CRM service module was
-- bought last year for 18,000; head office, depreciation and the software maintenance due
-- now (2,000) stay either way. Which costs are relevant, and should the service stay in-house?
-- Run: cvkit run 09_relevant_costs.lua             (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: relevant in-house 30,000 (avoidable) + 6,000 (specific) + 11,000 (replacement) +
-- 5,000 (opportunity) = 52,000 against the partner's 55,000 (out-of-pocket): stay in-house,
-- 3,000 cheaper. Irrelevant: 9,000 + 18,000 (sunk), 9,000 (common), 4,000 (unavoidable),
-- 2,000 (non-deferrable) = 42,000, the same under both options. The manager counted 22,000 of
-- irrelevant costs and left out 2,000 of replacement value and the 5,000 rent forgone.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class09.title"] = { en = "Exercise 9: relevant costs", zh = "练习 9：相关成本" },
   ["class09.question"] = {
      en = "Q. Which costs are relevant, and should the service stay in-house or go to the partner?",
      zh = "问题：哪些成本是相关成本？服务应由自己做，还是交给服务商？" },
   ["class09.decision"] = { en = "service in-house or by the partner",
      zh = "服务自己做还是外包给服务商" },
   ["class09.in_house"] = { en = "in-house", zh = "自营" },
   ["class09.outsource"] = { en = "partner", zh = "外包" },
   ["class09.item.wages"] = { en = "technicians' wages", zh = "技术人员工资" },
   ["class09.item.van_lease"] = { en = "service van lease", zh = "服务车辆租金" },
   ["class09.item.spare_parts"] = { en = "spare parts at today's price", zh = "备件（按现价）" },
   ["class09.item.workshop_rent"] = { en = "workshop rent forgone", zh = "放弃的车间租金" },
   ["class09.item.partner_fee"] = { en = "partner's fee", zh = "服务商费用" },
   ["class09.item.parts_paid"] = { en = "spare parts as paid last year", zh = "去年购入备件的成本" },
   ["class09.item.crm_module"] = { en = "CRM service module", zh = "CRM 服务模块" },
   ["class09.item.head_office"] = { en = "head office overheads", zh = "总部管理费用" },
   ["class09.item.depreciation"] = { en = "workshop depreciation", zh = "车间折旧" },
   ["class09.item.maintenance"] = { en = "software maintenance due", zh = "到期的软件维护费" },
   ["class09.manager"] = {
      en = "the manager's sum: in-house {manager} against the partner's {fee}",
      zh = "经理的算法：自营 {manager}，服务商 {fee}" },
   ["class09.answer"] = {
      en = "A. stay in-house: its relevant costs are {in_house} against the partner's {fee}, {margin} less; the manager counted {wrong} of irrelevant costs",
      zh = "答：应自营：其相关成本为 {in_house}，服务商为 {fee}，少 {margin}；经理计入了 {wrong} 的无关成本" },
}

print(T("class09.title"))
print()
print(T("class09.question"))
local data = cv.read_csv("data/relevant_costs.csv")
local items, lines = {}, {}
for i, r in data:rows() do
   local name = T("class09.item." .. r.item)
   items[i] = { name = name, amounts = { r.in_house, r.outsource }, [r.property] = true }
   lines[i] = { name, r.in_house, r.outsource }
end
local options = { T"class09.in_house", T"class09.outsource" }
local c = cv.decision.classify(items, { decision = T"class09.decision", options = options })
c:explain()
local cmp = cv.decision.compare { decision = T"class09.decision", options = options, costs = lines }
cmp:explain()

-- what the manager added up: wages, parts at last year's cost, van, head office, depreciation
local cost = {}
for _, r in data:rows() do cost[r.item] = r end
local manager = cost.wages.in_house + cost.parts_paid.in_house + cost.van_lease.in_house
   + cost.head_office.in_house + cost.depreciation.in_house
local fee = cost.partner_fee.outsource
print(T("class09.manager", { manager = fmt(manager), fee = fmt(fee) }))
local wrong = cost.parts_paid.in_house + cost.head_office.in_house + cost.depreciation.in_house
print(T("class09.answer", { in_house = fmt(c.by_option[1]), fee = fmt(fee),
   margin = fmt(cmp.margin), wrong = fmt(wrong) }))
