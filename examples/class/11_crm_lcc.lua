-- examples/class/11_crm_lcc.lua: the life-cycle cost (total cost of ownership) of a CRM system.
-- Question: a firm of 20 sales and service staff chooses a CRM system for 4 years: installed
-- on its own servers (on premises: licences bought now, support each year, an upgrade in year
-- 2) or rented (SaaS: a subscription per user and year). Both need selection, deployment,
-- data migration and training now, and both are expected to bring 15,000 a year of margin
-- from customers kept and 5,000 a year of cost to serve saved (data/crm_lcc.csv). At 10% a
-- year, what does each cost over its life, per year and per user and year, which is cheaper,
-- and do they pay back?
-- Run: cvkit run 11_crm_lcc.lua                   (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: a(4, 10%) = (1 − 1.1^−4) ÷ 0.1 = 3.169865.
--   on premises: now 5,000 + 600 × 20 + 12,000 + 3,000 + 200 × 20 = 36,000; support 4,000 ×
--   3.169865 = 12,679.46; upgrade 6,000 ÷ 1.21 = 4,958.68: PV 53,638.14 (58,000 undiscounted),
--   EAC 53,638.14 ÷ 3.169865 = 16,921.27, per user 846.06; benefits 20,000 × 3.169865 =
--   63,397.31: NPV 9,759.17. Cumulative net value: −36,000; + 16,000 ÷ 1.1 = −21,454.55;
--   + 10,000 ÷ 1.21 = −13,190.08; + 16,000 ÷ 1.331 = −1,169.04; + 16,000 ÷ 1.4641 = 9,759.17:
--   payback 3 + 1,169.04 ÷ 10,928.22 = 3.11 years.
--   SaaS: now 5,000 + 4,000 + 3,000 + 200 × 20 = 16,000; subscription 480 × 20 = 9,600 a year,
--   × 3.169865 = 30,430.71: PV 46,430.71, EAC 14,647.53, per user 732.38; NPV 16,966.6; net
--   10,400 a year: −16,000 + 9,454.55 = −6,545.45, then + 8,595.04: payback 1 + 6,545.45 ÷
--   8,595.04 = 1.76 years. SaaS costs 2,273.73 a year less (113.69 per user and year).
local i18n = require "cv.i18n"
local T = i18n.t

i18n.add {
   ["class11.title"] = { en = "Exercise 11: the CRM system's life-cycle cost",
      zh = "练习 11：CRM 系统的生命周期成本" },
   ["class11.question"] = {
      en = "Q. For 20 users over 4 years at 10%: what do on premises and SaaS cost in all, a year and per user, and do they pay back?",
      zh = "问题：20 个用户、4 年、年折现率 10%：本地部署与 SaaS 托管的总成本、每年成本与每用户成本各是多少？能否收回投资？" },
   ["class11.answer"] = {
      en = "A. SaaS costs {saving} a year less ({per_user} per user and year) and pays back sooner ({saas} against {prem} years): choose SaaS",
      zh = "答：SaaS 托管每年少花 {saving}（每用户每年 {per_user}），且回收更快（{saas} 年对 {prem} 年）：选择 SaaS 托管" },
}

print(T("class11.title"))
print()
print(T("class11.question"))
local res = cv.crm.explain_lcc("data/crm_lcc.csv", { users = { ["on premises"] = 20, SaaS = 20 },
   discount = 0.1, years = 4 })
local prem, saas = res:row(1), res:row(2)
local fmt = cv.formula.format_number
print(T("class11.answer", { saving = fmt(prem.eac - saas.eac),
   per_user = fmt(prem.eac_per_user - saas.eac_per_user), saas = fmt(saas.payback),
   prem = fmt(prem.payback) }))
