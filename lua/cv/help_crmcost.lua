-- cv.help_crmcost: the help topics of the CRM system's life-cycle cost, loyalty programmes
-- and satisfaction to value (issue 21): the formulas crm.eac, loyalty.*, satisfaction.*,
-- the functions cv.crm.lcc and cv.satisfaction.bands, the models crm_tco and
-- loyalty_programme. cv.help calls it with its topic makers.
return function(topic, formula_topic, model_topic)
   local lcc_ref = "Brealey, Myers & Allen, Principles of Corporate Finance (equivalent annual "
      .. "cost); Buttle & Maklan, Customer Relationship Management (4th ed., Routledge 2019), "
      .. "on CRM implementation and its costs"
   formula_topic("crm.eac", {
      assume = {
         en = "the costs' present value is spread as a level amount at each year end over the\n"
            .. "life; an option is assumed to be renewed on the same terms, so options of different\n"
            .. "lives compare by their EAC",
         zh = "把成本现值均摊为使用年限内每年年末的等额支出；假定方案到期后按相同条件续用，\n"
            .. "因此不同年限的方案可以按等额年成本比较",
      },
      ref = lcc_ref,
      example = "cv.crm.eac{present_cost = 9768.92, discount = 0.05, years = 6}   --> 1924.65",
   })
   local loyalty_ref = "IFRS 15 Revenue from Contracts with Customers, B39-B43 and Illustrative "
      .. "Example 52 (IE267-IE270); KPMG, Revenue - IFRS 15 handbook (2019), Examples 10A-10B"
   local points_assume = {
      en = "points are a material right: a share of the sale is deferred and recognised as\n"
         .. "points are redeemed, in proportion to the points expected to be redeemed in all",
      zh = "积分构成重大权利：销售额的一部分递延，按已兑换积分占预计兑换积分总数的比例\n"
         .. "随兑换确认收入",
   }
   formula_topic("loyalty.liability", {
      assume = {
         en = "outstanding points are redeemed at the expected rate (the rest is breakage) and a\n"
            .. "redeemed point costs a fixed amount: the liability at cost, not at selling price",
         zh = "未兑换积分按预计兑换率兑换（其余为沉淀积分），每兑换一个积分的成本固定：\n"
            .. "按成本而非售价计量的负债",
      },
      ref = loyalty_ref,
      example = "cv.loyalty.liability{outstanding_points = 6e6, redemption_rate = 0.8, cost_per_point = 0.01}",
   })
   formula_topic("loyalty.allocation", { assume = points_assume, ref = loyalty_ref,
      example = "cv.loyalty.allocation{sales = 100000, points_issued = 10000, value_per_point = 1,\n"
         .. "   redemption_rate = 0.97}   --> 8842.3" })
   formula_topic("loyalty.revenue", { assume = points_assume, ref = loyalty_ref,
      example = "cv.loyalty.revenue{points_allocated = 9000, points_redeemed = 4500, "
         .. "points_expected = 9700}   --> 4175.26" })
   local profit_assume = {
      en = "a one-year view: the frequency lift raises every member's spend, the retention lift\n"
         .. "keeps that share of members a year longer (a year's margin each); points are earned\n"
         .. "on all spend and cost the reward cost when redeemed",
      zh = "一年期视角：频率提升使每位会员的消费增加，保留率提升使该比例的会员多留一年\n"
         .. "（各带来一年毛利）；所有消费都获得积分，兑换时发生奖励成本",
   }
   local profit_ref = "Kumar & Reinartz, Customer Relationship Management (2nd ed., Springer "
      .. "2012), loyalty programmes; Dowling & Uncles (1997), \"Do customer loyalty programs "
      .. "really work?\", Sloan Management Review 38(4)"
   formula_topic("loyalty.profit", { assume = profit_assume, ref = profit_ref,
      example = "cv.loyalty.profit{members = 20000, spend = 1000, margin_rate = 0.3,\n"
         .. "   frequency_lift = 0.05, retention_lift = 0.02, points_per_spend = 1,\n"
         .. "   redemption_rate = 0.8, cost_per_point = 0.01, running_cost = 150000}   --> 102000" })
   formula_topic("loyalty.breakeven_lift", { assume = profit_assume, ref = profit_ref,
      example = "cv.loyalty.breakeven_lift{members = 20000, spend = 1000, margin_rate = 0.3,\n"
         .. "   retention_lift = 0.02, points_per_spend = 1, redemption_rate = 0.8,\n"
         .. "   cost_per_point = 0.01, running_cost = 150000}   --> 0.0325" })
   local sat_ref = "Reichheld (2003), \"The one number you need to grow\", Harvard Business Review "
      .. "81(12); TARP, Consumer Complaint Handling in America (1986)"
   formula_topic("satisfaction.nps", {
      assume = {
         en = "respondents answer 0-10 to \"would you recommend us?\": 9-10 promoters, 7-8\n"
            .. "passives, 0-6 detractors; the score runs from -100 to 100",
         zh = "受访者对“您会推荐我们吗？”按 0-10 打分：9-10 为推荐者，7-8 为被动者，\n"
            .. "0-6 为贬损者；得分在 -100 与 100 之间",
      },
      ref = sat_ref,
      example = "cv.satisfaction.nps{promoters = 50, passives = 30, detractors = 20}   --> 30",
   })
   formula_topic("satisfaction.word_of_mouth", {
      assume = {
         en = "each promoter brings a fixed number of new customers and each detractor costs a\n"
            .. "fixed number of prospects, all worth the same customer value",
         zh = "每位推荐者带来固定数量的新客户，每位贬损者造成固定数量的潜在客户流失，\n"
            .. "每位客户价值相同",
      },
      ref = sat_ref,
      example = "cv.satisfaction.word_of_mouth{customers = 1000, promoter_rate = 0.4,\n"
         .. "   detractor_rate = 0.15, referrals_per_promoter = 0.5, lost_per_detractor = 2,\n"
         .. "   customer_value = 300}   --> -30000",
   })
   formula_topic("satisfaction.complaint_cost", {
      assume = {
         en = "complainants stay at one rate when the complaint is handled well and at a lower one\n"
            .. "when it is not; only a badly handled complaint is told on (the multiplier effect)",
         zh = "投诉得到妥善处理与处理不当时，投诉客户分别按不同比例留下；只有处理不当的\n"
            .. "投诉会被传播（乘数效应）",
      },
      ref = sat_ref .. "; Hart, Heskett & Sasser (1990), \"The profitable art of service "
         .. "recovery\", Harvard Business Review 68(4)",
      example = "cv.satisfaction.complaint_cost{complaints = 200, handling_cost = 50,\n"
         .. "   resolved_rate = 0.6, stay_resolved = 0.9, stay_unresolved = 0.5, tell = 10,\n"
         .. "   not_buy = 0.2, customer_value = 400}   --> 94800",
   })
   topic("cv.crm.lcc", {
      sig = "cv.crm.lcc(lines, {users =, discount =, years =}) -> results Table, lines Table",
      en = "the CRM system's life-cycle cost per option: lines (a table or CSV: option, phase,\n"
         .. "amount, from, and optionally kind = cost|benefit, to, per_user) discounted at the\n"
         .. "annual rate; results: cost_nominal, cost_pv, annuity, eac, eac_per_user, benefit_pv,\n"
         .. "npv, payback (missing when it never pays back); lines get their present value pv",
      zh = "CRM 系统各方案的生命周期成本：明细（表或 CSV：option、phase、amount、from，\n"
         .. "可选 kind = cost|benefit、to、per_user）按年折现率折现；结果：cost_nominal、cost_pv、\n"
         .. "annuity、eac、eac_per_user、benefit_pv、npv、payback（无法收回时缺失）；明细加上现值 pv",
      assume = {
         en = "year 0 is now (undiscounted), year t is discounted by (1 + discount)^t; the\n"
            .. "equivalent annual cost spreads the costs' present value over the years of the life",
         zh = "第 0 年为当前（不折现），第 t 年按 (1 + discount)^t 折现；等额年成本把成本现值\n"
            .. "均摊到使用年限的每一年",
      },
      ref = lcc_ref,
      example = "cv.crm.lcc(\"examples/crm/tco_lines.csv\", {users = \"examples/crm/tco_options.csv\",\n"
         .. "   discount = 0.1, years = 5}):print()",
      see = { "cv.crm.explain_lcc", "cv.crm.eac", "crm_tco" },
   })
   topic("cv.crm.explain_lcc", {
      sig = "cv.crm.explain_lcc(lines, {users =, discount =, years = [, lang =]}) -> results, lines",
      en = "cv.crm.lcc shown: the lines with their present values, then per option the present\n"
         .. "value of the costs, the equivalent annual cost, per user and year, NPV and payback",
      zh = "展示 cv.crm.lcc：各明细及其现值，再按方案列出成本现值、等额年成本、每用户每年\n"
         .. "成本、净现值与回收期",
      see = { "cv.crm.lcc" },
   })
   topic("cv.satisfaction.bands", {
      sig = "cv.satisfaction.bands(t, {margin =, discount =, period =}) -> Table, totals",
      en = "satisfaction to value: one row per satisfaction band (band, customers, retention:\n"
         .. "the retention you state for the band); each band's CLV is clv.retention's, its value\n"
         .. "customers × CLV; totals = {customers, value, retention}",
      zh = "满意度到价值：每个满意度等级一行（band、customers、retention：为该等级给定的保留率）；\n"
         .. "各等级的客户终身价值按 clv.retention 计算，价值 = 客户数 × 客户终身价值；\n"
         .. "totals = {customers, value, retention}",
      assume = {
         en = "the retention of each band is given (from a survey linked to behaviour); margin\n"
            .. "and retention are per period; clv.retention's conventions",
         zh = "各等级的保留率为给定值（来自与行为关联的调查）；毛利与保留率按期计；\n"
            .. "沿用 clv.retention 的约定",
      },
      ref = "Anderson & Mittal (2000), \"Strengthening the satisfaction-profit chain\", Journal "
         .. "of Service Research 3(2); Gupta & Lehmann (2003), Journal of Interactive Marketing 17(1)",
      see = { "cv.satisfaction.explain_bands", "cv.clv.retention" },
   })
   topic("cv.satisfaction.explain_bands", {
      sig = "cv.satisfaction.explain_bands(t, {margin =, discount =, period = [, lang =]}) -> Table, totals",
      en = "cv.satisfaction.bands shown: each band's CLV and value, the customer base's value,\n"
         .. "and what moving one customer up a band adds",
      zh = "展示 cv.satisfaction.bands：各等级的客户终身价值与价值、客户群价值，\n"
         .. "以及每把一位客户提升一个等级所增加的价值",
      see = { "cv.satisfaction.bands" },
   })
   model_topic("crm_tco", {
      sig = "cvkit run models/crm_tco.lua [--data LINES.csv] [--set options=FILE discount=0.1 years=5]",
      en = "the CRM system's life-cycle cost by option (on premises, SaaS, custom-built):\n"
         .. "discounted, per user and year, NPV and payback against the value it creates, with\n"
         .. "scenarios, sensitivity and the benefit level at which it breaks even",
      zh = "CRM 系统各方案（本地部署、SaaS 托管、自行定制开发）的生命周期成本：折现、\n"
         .. "每用户每年、相对其创造价值的净现值与回收期，含情景、敏感性与盈亏平衡收益水平",
      assume = {
         en = "every cost and benefit line is known by year (year 0 now, undiscounted; later\n"
            .. "years at year ends) at one annual discount rate; per-user lines scale with users",
         zh = "每项成本与收益按年份已知（第 0 年为当前、不折现；以后各年在年末），\n"
            .. "按同一年折现率折现；按用户计的项目随用户数变化",
      },
      ref = lcc_ref,
   })
   model_topic("loyalty_programme", {
      sig = "cvkit run models/loyalty_programme.lua [--data CASE.csv] [--set frequency_lift=0.05 ...]",
      en = "a points programme's yearly profit, break-even frequency lift, points liability and\n"
         .. "the sensitivity of its profit",
      zh = "积分计划的年利润、盈亏平衡频率提升、积分负债及利润的敏感性",
      assume = profit_assume,
      ref = profit_ref .. "; " .. loyalty_ref,
   })
end
