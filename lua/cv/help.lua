-- cv.help: the help catalogue, one topic per function, formula and model, in English and
-- simplified Chinese; the texts `help(cv.read_csv)` shows at the prompt, `cvkit help
-- TOPIC` prints and docs/topics.md is generated from (`cvkit help --markdown`).
--   help(cv.summary)   help "summary"   help "clv.simple"   help "bgnbd"   help()
-- A topic: sig (the call, the same in both languages), the body (catalogue key
-- help.<topic>), assumptions (help.<topic>.assume) and ref (a literature reference) for the
-- formulas and models; a formula's topic also shows its formula and inputs from the
-- explain texts, a model's its parameters with their defaults from the model script.
local engine = require "cv.core.engine" -- write, methods: no io or debug in the sandbox
local i18n = require "cv.i18n"
local opts = require "cv.opts"
local cv = require "cv" -- help sits above cv (nothing below requires it)
local explain = require "cv.explain"
local script = require "cv.script"

local M = {}

local topics, order = {}, {}

-- topic(name, t): registers a topic; t.en / t.zh are the body, t.assume = {en, zh}.
local function topic(name, t)
   topics[name] = t
   order[#order + 1] = name
   local entries = { ["help." .. name] = { en = t.en, zh = t.zh } }
   if t.assume then
      entries["help." .. name .. ".assume"] = t.assume
   end
   i18n.add(entries)
   t.en, t.zh, t.assume = nil, nil, t.assume and true
end

-- ---- The cv module ---------------------------------------------------------------------

topic("cv.read_csv", {
   sig = "cv.read_csv(path [, options]) -> Table, report",
   en = "reads a delimited text file (CSV, TSV, semicolons, CDNOW's spaces) in one pass into a table;\n"
      .. "the header, delimiter, types and encoding (UTF-8 or GBK/GB18030) are detected",
   zh = "一次读入带分隔符的文本文件（CSV、TSV、分号、CDNOW 的空格分隔）为表；\n"
      .. "表头、分隔符、列类型和编码（UTF-8 或 GBK/GB18030）自动识别",
   example = 'tx = cv.read_csv("examples/data/transactions.csv", {types = {date = "date"}})',
   see = { "cv.parse_csv", "cv.summary", "Table" },
})
topic("cv.parse_csv", {
   sig = "cv.parse_csv(text [, options [, name]]) -> Table, report",
   en = "reads CSV text held in a string, with the options of cv.read_csv",
   zh = "读取字符串中的 CSV 文本，选项同 cv.read_csv",
   example = 't = cv.parse_csv("id,amount\\n1,2.5\\n2,3\\n")',
   see = { "cv.read_csv" },
})
topic("cv.table", {
   sig = "cv.table{{name, values [, type]}, ...} -> Table",
   en = "builds a table from Lua arrays (nil is a missing value); also\n"
      .. "cv.table(names, columns) and cv.table{name = values, ...}",
   zh = "由 Lua 数组构造表（nil 表示缺失值）；也可写作\n"
      .. "cv.table(列名数组, 列数组) 或 cv.table{列名 = 值, ...}",
   example = 't = cv.table{{"id", {1, 2, 3}}, {"amount", {10, 20, 30}}}',
   see = { "Table" },
})
topic("cv.write", {
   sig = "cv.write(path, t [, format])",
   en = "writes a table as CSV, TSV, JSON, Markdown or XLSX (by the extension), numbers as the\n"
      .. "shortest text that reads back exactly; makes missing folders; through a temporary\n"
      .. "file renamed at the end, so a failure never leaves half a file",
   zh = "将表写为 CSV、TSV、JSON、Markdown 或 XLSX（按扩展名），数值写成能精确读回的最短文本；\n"
      .. "缺少的文件夹会自动创建；先写临时文件再改名，失败时不会留下半个文件",
   example = 'cv.write("out/clv.csv", t)',
   see = { "Table:write" },
})
topic("cv.format", {
   sig = "cv.format(value, kind [, decimals]) -> string",
   en = "a number as the tables show a column of its kind: money 1,234,567.89, share 21.83%,\n"
      .. "count 100,000, rate 10% (the decimals it needs), number 2,000 or 0.085; the same\n"
      .. "separators in every language; NaN is na",
   zh = "按数值类别显示数字，与表中该类别的列一致：money 1,234,567.89、share 21.83%、\n"
      .. "count 100,000、rate 10%（按需保留小数）、number 2,000 或 0.085；各语言使用相同的\n"
      .. "分隔符；NaN 显示为 na",
   example = 'cv.format(-83223.8, "money")',
   see = { "Table:kind" },
})
topic("cv.show", {
   sig = "cv.show(t, {{column, label}, ...} [, decimals = 2]) -> Table",
   en = "prints every row of the chosen columns under their labels, floats rounded half up\n"
      .. "to `decimals` places for display (t is unchanged); returns the table shown",
   zh = "在给定标签下打印所选列的全部行，浮点数按 decimals 位四舍五入显示\n"
      .. "（原表不变）；返回所显示的表",
   example = 'cv.show(s:head(3), {{"customer", "客户"}, {"revenue", "收入"}})',
   see = { "Table:print", "Table:select" },
})
topic("cv.try", {
   sig = "cv.try(f, ...) -> results | nil, message, code",
   en = "calls f(...); returns its results, or nil, the error message and the exit code it\n"
      .. "carries (3 missing file, 4 malformed input, 5 wrong type, 8 script error)",
   zh = "调用 f(...)；成功时返回其结果，失败时返回 nil、错误信息和退出码\n"
      .. "（3 文件不存在，4 输入格式错误，5 类型错误，8 脚本错误）",
   example = 'local t, msg = cv.try(cv.read_csv, "maybe.csv")',
})
topic("cv.mkdir", {
   sig = "cv.mkdir(path)",
   en = "creates a folder and its parents, like mkdir -p (writers make their own folders)",
   zh = "创建文件夹及其上级文件夹，同 mkdir -p（写文件时会自动创建所需文件夹）",
   example = 'cv.mkdir("out/2024")',
})
topic("cv.summary", {
   sig = "cv.summary(tx, options) -> Table, report",
   en = "one row per customer from a transactions table, in one pass: first and last purchase,\n"
      .. "orders, repeat frequency x, recency t_x, age T, mean repeat spend, revenue; in a time\n"
      .. "unit (day, week, month, year) up to a calibration end, with holdout counts after it",
   zh = "由交易表一次计算每位客户一行：首次和末次购买、订单数、重复购买次数 x、\n"
      .. "最近购买时间 t_x、观察期长度 T、平均重复消费额、收入；时间单位可选日、周、月、年，\n"
      .. "截至校准期末，之后为验证期计数",
   assume = {
      en = "purchases by the same customer on the same day count once (as in the literature);\n"
         .. "x counts repeat purchases only (the first purchase starts the customer's clock)",
      zh = "同一客户同一天的多次购买计为一次（与文献一致）；x 只计重复购买（首次购买开始计时）",
   },
   ref = "Fader, Hardie & Lee (2005), \"Counting your customers the easy way\", Marketing Science 24(2)",
   example = 's = cv.summary(tx, {customer = "customer_id", date = "date", amount = "amount", unit = "week"})',
   see = { "cv.summary_csv", "bgnbd" },
})
topic("cv.summary_csv", {
   sig = "cv.summary_csv(path, options) -> Table, report",
   en = "the customer summary of cv.summary streamed straight from a CSV file: memory grows with\n"
      .. "the number of customers, not of transactions; takes cv.read_csv's options too",
   zh = "直接从 CSV 文件流式计算 cv.summary 的客户汇总：内存随客户数增长，而非交易数；\n"
      .. "也接受 cv.read_csv 的选项",
   example = 's = cv.summary_csv("examples/data/transactions.csv", {customer = "customer_id", date = "date", amount = "amount"})',
   see = { "cv.summary" },
})
topic("cv.explain", {
   sig = "cv.explain(name, inputs [, {lang = \"zh\"}]) -> value",
   en = "prints a textbook formula step by step: the formula in words, the numbers substituted,\n"
      .. "the result; returns the value (also `cvkit explain NAME key=value ...`)",
   zh = "逐步显示教科书公式：文字公式、代入数字、结果；返回数值\n"
      .. "（命令行：cvkit explain 名称 键=值 ...）",
   example = 'cv.explain("clv.simple", {avg_purchase = 100, frequency = 4, lifetime = 5})',
   see = { "cv.formula" },
})
topic("cv.formula", {
   sig = "cv.formula.eval(name, inputs) | cv.formula.apply(t, name, mapping [, out])",
   en = "the textbook formulas by name: eval gives the value, apply adds a column computed on\n"
      .. "every row (each input a column name or a number), list() and info(name) describe them",
   zh = "按名称调用教科书公式：eval 求值，apply 对表的每行计算并新增一列\n"
      .. "（每个输入为列名或数字），list() 和 info(名称) 给出公式说明",
   example = 'cv.formula.apply(s, "clv.simple", {avg_purchase = "mean_spend", frequency = "orders", lifetime = 5})',
   see = { "cv.explain" },
})
topic("cv.lang", {
   sig = "cv.lang, cv.params, cv.version",
   en = "cv.lang is the language of messages and reports (en or zh: --lang, $CVKIT_LANG or the\n"
      .. "locale); cv.params holds the --set name=value values; cv.version the program's version",
   zh = "cv.lang 为消息和报告的语言（en 或 zh：来自 --lang、$CVKIT_LANG 或系统区域设置）；\n"
      .. "cv.params 保存 --set 名称=值 给出的值；cv.version 为程序版本",
   example = "print(cv.lang, cv.params.horizon or 39)",
})

-- ---- Formulas ------------------------------------------------------------------------------

-- formula_topic(name, t): a topic for the formula `name`, shown as cv.<name>.
local function formula_topic(name, t)
   t.formula = name
   t.sig = t.sig or ("cv." .. name .. "{...} -> number | cv." .. name .. "(t, mapping [, out]) -> Table")
   t.en = t.en or ""
   t.zh = t.zh or ""
   topic("cv." .. name, t)
end

formula_topic("clv.simple", {
   assume = {
      en = "spend per purchase, purchases per period and the lifetime are known and constant;\n"
         .. "revenue, not margin; no discounting: a first approximation for comparing customers",
      zh = "每次购买额、每期购买次数和生命周期已知且不变；按收入而非毛利；不折现：\n"
         .. "用于比较客户的初步近似",
   },
   ref = "Kumar & Reinartz, Customer Relationship Management (2nd ed., Springer 2012); "
      .. "Berger & Nasr (1998), Journal of Interactive Marketing 12(1)",
   example = 'cv.clv.simple{avg_purchase = 100, frequency = 4, lifetime = 5}   --> 2000',
})
local retention_assume = {
   en = "a constant margin per period, a constant retention rate (the share of customers who stay\n"
      .. "from one period to the next), a constant annual discount rate, turned into the rate per\n"
      .. "period (period: day, week, month or year) that compounds to it; once lost, a customer\n"
      .. "never returns (a contractual, \"lost for good\" setting)",
   zh = "每期毛利、保留率（从一期留到下一期的客户比例）和年折现率不变，年折现率换算为复利等效的\n"
      .. "每期折现率（period：day、week、month 或 year）；客户一旦流失不再回来（契约型、\"永久流失\"情形）",
}
local retention_ref = "Gupta & Lehmann (2003), \"Customers as assets\", Journal of Interactive "
   .. "Marketing 17(1); Fader & Hardie (2012), \"Reconciling and clarifying CLV formulas\""
formula_topic("clv.retention", {
   assume = retention_assume, ref = retention_ref,
   example = 'cv.clv.retention{margin = 100, retention = 0.8, discount = 0.1, period = "year"}\n'
      .. "   --> 266.67",
})
formula_topic("clv.retention_now", {
   assume = retention_assume, ref = retention_ref,
   example = 'cv.clv.retention_now{margin = 100, retention = 0.8, discount = 0.1,\n'
      .. '   period = "year"}   --> 366.67',
})
formula_topic("clv.retention_finite", {
   assume = retention_assume, ref = retention_ref,
   example = 'cv.clv.retention_finite{margin = 100, retention = 0.8, discount = 0.1,\n'
      .. '   period = "year", periods = 3}',
})
formula_topic("clv.retention_finite_now", {
   assume = retention_assume, ref = retention_ref,
   example = 'cv.clv.retention_finite_now{margin = 100, retention = 0.8, discount = 0.1,\n'
      .. '   period = "month", periods = 3}',
})
local cost_ref = "Blattberg, Getz & Thomas, Customer Equity (Harvard Business School Press 2001); "
   .. "Kumar & Reinartz (2012)"
formula_topic("cost.retention_per_customer", {
   assume = {
      en = "all retention spend is caused by the customers kept in the same period; customers\n"
         .. "who would have stayed anyway are counted too (an average, not a marginal cost)",
      zh = "保留支出全部归因于同期保留的客户；本来就会留下的客户也计入（平均成本而非边际成本）",
   },
   ref = cost_ref,
   example = "cv.cost.retention_per_customer{retention_spend = 20000, customers_retained = 400}   --> 50",
})
formula_topic("cost.cac", {
   assume = {
      en = "the spend of the period brought the new customers of the same period; customers who\n"
         .. "came on their own lower the ratio (an average acquisition cost)",
      zh = "本期支出带来本期的新客户；自然到来的客户会拉低该比值（平均获取成本）",
   },
   ref = cost_ref,
   example = "cv.cost.cac{acquisition_spend = 50000, new_customers = 250}   --> 200",
})
formula_topic("profit.customer", {
   assume = {
      en = "lifetime revenue and costs are known sums, undiscounted; acquisition cost is charged\n"
         .. "to the customer (a profitability view, not the CLV of a prospect)",
      zh = "生命周期收入和成本为已知的不折现总额；获取成本计入该客户（盈利能力视角，\n"
         .. "而非潜在客户的终身价值）",
   },
   ref = "Pfeifer, Haskins & Conroy (2005), Journal of Managerial Issues 17(1), 11-25",
   example = "cv.profit.customer{lifetime_revenue = 3000, acquisition_cost = 500, retention_cost = 200}",
})
formula_topic("profit.crm_gross", {
   assume = {
      en = "relationship-marketing costs can be traced to the customer (activity-based costing);\n"
         .. "overheads that do not vary with the customer are left out",
      zh = "关系营销成本可追溯到客户（作业成本法）；不随客户变化的间接费用不计入",
   },
   ref = "Buttle & Maklan, Customer Relationship Management (4th ed., Routledge 2019)",
   example = "cv.profit.crm_gross{purchases = 1000, product_cost = 600, marketing_cost = 150}",
})
local npv_assume = {
   en = "the profit of each period is known (observed or forecast); a constant annual discount\n"
      .. "rate, turned into the rate per period (period: day, week, month or year) that compounds\n"
      .. "to it; nothing after the last period",
   zh = "每期利润已知（观察或预测）；年折现率不变，并换算为复利等效的每期折现率；\n"
      .. "最后一期之后不再计入",
}
local npv_ref = "Berger & Nasr (1998), \"Customer lifetime value: marketing models and "
   .. "applications\", Journal of Interactive Marketing 12(1), 17-30"
formula_topic("profit.lifecycle_npv", {
   assume = npv_assume, ref = npv_ref,
   example = 'cv.profit.lifecycle_npv{discount = 0.1, period = "year", profits = {100, 100, 100}}\n'
      .. "   --> 248.69",
})
formula_topic("profit.lifecycle_npv_start", {
   assume = npv_assume, ref = npv_ref,
   example = 'cv.profit.lifecycle_npv_start{discount = 0.1, period = "year",\n'
      .. "   profits = {100, 100, 100}}   --> 273.55",
})
formula_topic("value.delivered", {
   assume = {
      en = "the customer perceives the four values and four costs on one money scale; the offer\n"
         .. "with the largest delivered value is chosen",
      zh = "顾客以同一货币尺度感知四种价值和四种成本；顾客选择让渡价值最大的产品",
   },
   ref = "Kotler, Marketing Management (9th ed., Prentice Hall 1997), customer delivered value",
   example = "cv.value.delivered{product_value = 500, service_value = 200, personnel_value = 100,\n"
      .. "   image_value = 50, monetary_cost = 400, time_cost = 60, energy_cost = 20, psychic_cost = 10}",
})
formula_topic("cost.switching", {
   assume = {
      en = "the three kinds of cost add up on one money scale; a customer switches when the gain\n"
         .. "from the rival's offer exceeds the switching cost",
      zh = "三类成本可在同一货币尺度上相加；当竞争对手带来的收益超过转换成本时客户才会转换",
   },
   ref = "Burnham, Frels & Mahajan (2003), \"Consumer switching costs: a typology, antecedents, "
      .. "and consequences\", Journal of the Academy of Marketing Science 31(2), 109-126",
   example = "cv.cost.switching{search_cost = 10, learning_cost = 20, exit_fees = 50}",
})
formula_topic("retention.effect", {
   assume = {
      en = "those of clv.retention, before and after the change; the margin cancels, so the\n"
         .. "effect depends on the two retention rates and the discount rate per period only",
      zh = "与 clv.retention 相同（变化前后）；毛利相互抵消，效果只取决于两个保留率和每期折现率",
   },
   ref = "Reichheld & Sasser (1990), \"Zero defections: quality comes to services\", Harvard "
      .. "Business Review 68(5); Gupta & Lehmann (2003)",
   example = 'cv.retention.effect{margin = 100, discount = 0.1, period = "year", retention = 0.8,\n'
      .. "   new_retention = 0.85}",
})

local hidden_assume = {
   en = "dissatisfied customers leave at a fixed share and each tells a fixed number of people, a\n"
      .. "share of whom do not buy; every lost customer or prospect is worth the same value",
   zh = "不满意客户按固定比例流失，每人告诉固定数量的人，其中一定比例不再购买；\n"
      .. "每位流失的客户或潜在客户价值相同",
}
local hidden_ref = "TARP, Consumer Complaint Handling in America (1986); Hart, Heskett & Sasser (1990), "
   .. "\"The profitable art of service recovery\", Harvard Business Review 68(4)"
formula_topic("cost.hidden_service", {
   assume = hidden_assume, ref = hidden_ref,
   example = "cv.cost.hidden_service{customers = 10000, dissatisfied_rate = 0.1, defect_rate = 0.3,\n"
      .. "   customer_value = 500, tell = 10, not_buy = 0.2}",
})
formula_topic("cost.service_total", {
   assume = {
      en = "the hidden cost (cost.hidden_service) adds to the spend the accounts show",
      zh = "隐性成本（cost.hidden_service）叠加在账面显性支出之上",
   },
   ref = hidden_ref,
   example = "cv.cost.service_total{service_staff = 200000, department_costs = 50000, hidden_cost = 300000}",
})

-- Relevant costs and decisions (lua/cv/decision.lua)
formula_topic("decision.keep_or_drop", {
   assume = {
      en = "dropping the customer or segment loses its revenue and saves its variable costs and\n"
         .. "its avoidable fixed costs; unavoidable (common, allocated) costs stay either way;\n"
         .. "freed capacity has no other use (else add its opportunity cost)",
      zh = "放弃客户或细分市场将失去其收入，同时节省其变动成本和可避免固定成本；不可避免成本\n"
         .. "（共同成本、分摊成本）无论如何都会发生；腾出的产能没有其他用途（否则应计入机会成本）",
   },
   ref = "Horngren, Datar & Rajan, Cost Accounting: A Managerial Emphasis, ch. \"Decision Making and "
      .. "Relevant Information\"; Wild, Shaw & Chiappetta, Fundamental Accounting Principles, "
      .. "QS 23-13 \"Segment elimination\"",
   example = "cv.decision.keep_or_drop{revenue = 60000, variable_costs = 20000, avoidable_fixed = 36000}",
})

topic("cv.decision.classify", {
   sig = "cv.decision.classify(items [, {decision =, options =, lang =}]) -> c: c:explain(), c:text(), c:table()",
   en = "classifies cost items as relevant or irrelevant to a decision from their properties\n"
      .. "(differs, opportunity, out_of_pocket, replacement, marginal, avoidable, deferrable, specific;\n"
      .. "sunk, common, joint, unavoidable, nondeferrable, same), with the term and the reason;\n"
      .. "an item {\"name\", amount, avoidable = true} or {name =, amounts = {per option}}",
   zh = "根据成本项目的属性判断其与决策相关还是无关，并给出成本概念和理由（differs、opportunity、\n"
      .. "out_of_pocket、replacement、marginal、avoidable、deferrable、specific；sunk、common、joint、\n"
      .. "unavoidable、nondeferrable、same）；项目写作 {\"名称\", 金额, avoidable = true} 或\n"
      .. "{name =, amounts = {各方案金额}}",
   assume = {
      en = "a cost is relevant when it changes with the choice, irrelevant when it stays whatever\n"
         .. "is chosen; an item that is partly both is split into two items",
      zh = "随决策变化的成本为相关成本，无论如何选择都不变的成本为无关成本；兼而有之的项目须拆分为两项",
   },
   ref = "Horngren, Datar & Rajan, Cost Accounting: A Managerial Emphasis, ch. \"Decision Making and "
      .. "Relevant Information\"; Drury, Management and Cost Accounting, ch. \"Measuring relevant "
      .. "costs and revenues for decision-making\"",
   example = 'cv.decision.classify({{"licence paid", 5000, sunk = true}, {"account manager", 30000, avoidable = true}}):explain()',
   see = { "cv.decision.compare", "cv.decision.keep_or_drop" },
})
topic("cv.decision.compare", {
   sig = "cv.decision.compare{options =, revenues =, costs =, tolerance = 0, decision =} -> c:\n"
      .. "  c:explain(), c:text(), c:table(), c.best_name, c.margin, c.tie, c.equal, c.profit",
   en = "the differential analysis of two or more options: the revenues and costs under each, the\n"
      .. "differences against the first option, the profit of each, the decision and its margin;\n"
      .. "options within the tolerance of the best are a tie and are all named",
   zh = "两个或多个方案的差量分析：各方案的收入和成本、相对第一个方案的差量、各方案利润、\n"
      .. "决策及其差额；与最优方案相差不超过 tolerance 的方案视为相同，并全部列出",
   example = 'cv.decision.compare{options = {"keep", "drop"}, revenues = {{"sales", 60000, 0}},\n'
      .. '   costs = {{"variable", 20000, 0}, {"avoidable fixed", 36000, 0}}}:explain()',
   see = { "cv.decision.classify", "cv.decision.keep_or_drop" },
})

-- ---- Tables and columns --------------------------------------------------------------------

topic("Table", {
   sig = "cv.Table: t:names() t:types() t:col(name) t:row(i) t:rows() t:select{...} t:filter(...)\n"
      .. "  t:sort(...) t:group_by(keys, aggs) t:join(u, opts) t:add(name, fn|values) t:head(n)\n"
      .. "  t:describe() t:print(n) t:write(path) t:to_string(format) t:kind(col, kind) t:kinds() #t",
   en = "a table of typed columns (int, float, string, date, datetime, bool); operations return\n"
      .. "new tables and run in C. help \"Table:filter\" (or help(t.filter)) shows one method",
   zh = "由带类型的列（int、float、string、date、datetime、bool）组成的表；操作返回新表，\n"
      .. "由 C 执行。help \"Table:filter\"（或 help(t.filter)）显示单个方法",
   see = { "Table:filter", "Table:group_by", "Table:join", "Column" },
})
local function method(name, sig, en, zh, example)
   topic("Table:" .. name, { sig = sig, en = en, zh = zh, example = example, see = { "Table" } })
end
method("nrows", "t:nrows() -> integer  (also #t)", "the number of rows", "行数")
method("ncols", "t:ncols() -> integer", "the number of columns", "列数")
method("names", "t:names() -> {name, ...}", "the column names in order", "按顺序排列的列名")
method("types", "t:types() -> {type, ...}", "the column types, parallel to t:names()",
   "各列类型，与 t:names() 对应")
method("col", "t:col(name) -> Column", "a view of one column (sum, mean, min, max, totable)",
   "某一列的视图（可求 sum、mean、min、max、totable）", 'tx:col("amount"):sum()')
method("row", "t:row(i) -> {name = value, ...}", "row i (from 1) as a Lua table keyed by column name",
   "第 i 行（从 1 开始），为以列名为键的 Lua 表", "tx:row(1)")
method("rows", "for i, r in t:rows() do ... end", "iterates over the rows as Lua tables",
   "逐行遍历，每行为一个 Lua 表")
method("select", 't:select{"a", "b"} -> Table', "a table with these columns, in this order",
   "按给定顺序只保留这些列的表", 'tx:select{"customer_id", "amount"}')
method("filter", 't:filter(column, op, value) | t:filter(function(r) ... end) -> Table',
   "the rows that pass: op is == ~= < <= > >=; the function form gets each row as a table",
   "保留满足条件的行：op 为 == ~= < <= > >=；函数形式逐行接收一个表",
   'tx:filter("amount", ">", 50)')
method("sort", 't:sort{"a", {"b", desc = true}} | t:sort(column [, "desc"]) -> Table',
   "the rows in order of the keys (stable)", "按键排序的表（稳定排序）", 'tx:sort("amount", "desc")')
method("group_by", "t:group_by(keys, {out = {\"sum\", col}, n = \"count\", ...}) -> Table",
   "one row per group with aggregates: count, sum, mean, min, max, n_distinct, ...",
   "每组一行并计算聚合：count、sum、mean、min、max、n_distinct 等",
   'tx:group_by({"channel"}, {n = "count", revenue = {"sum", "amount"}})')
method("join", 't:join(u, {on = "id" | {"a", "b"} | {left = right}, how = "inner" | "left"}) -> Table',
   "the rows of t matched with u's on the keys", "按键将 t 的行与 u 的行匹配连接",
   'orders:join(customers, {on = "customer_id", how = "left"})')
method("add", 't:add(name, function(r) ... end | values) -> Table',
   "a table with one more column, computed per row or given as an array",
   "增加一列的表，按行计算或由数组给出", 'tx:add("vat", function(r) return r.amount * 0.13 end)')
method("head", "t:head([n = 10]) -> Table", "the first n rows (the last -n when n < 0)",
   "前 n 行（n < 0 时为最后 -n 行）")
method("describe", "t:describe() -> Table", "statistics per column: count, missing, mean, quantiles",
   "各列统计：个数、缺失、均值、分位数")
method("print", "t:print([n = 10])", "prints the first n rows as an aligned table with the types",
   "以对齐的表格打印前 n 行及列类型")
method("write", "t:write(path [, format])", "writes the table (see cv.write)", "写出表（见 cv.write）")
method("to_string", 't:to_string([format = "csv"]) -> string',
   "the table as csv, tsv, json, md or text", "将表转为 csv、tsv、json、md 或 text 文本")
method("kind", 't:kind(column, kind [, {decimals = n}]) | t:kind{column = kind, ...} -> Table',
   "the table with the column of a kind, for display only: money (1,234.50), share (21.83%),\n"
      .. "count (1,234), rate (10%) or number; nil removes it. A kind travels with its column\n"
      .. "(select, filter, sort, join); group_by derives it (a sum of money is money, a mean of\n"
      .. "counts a number). CSV and JSON keep every value exactly",
   "设定某列数值类别后的表（仅影响显示）：money（1,234.50）、share（21.83%）、count（1,234）、\n"
      .. "rate（10%）或 number；nil 表示去掉。类别随列传递（select、filter、sort、join）；group_by\n"
      .. "据此推出（金额之和仍是金额，计数的均值是普通数字）。CSV 与 JSON 仍精确写出每个值",
   'tx:kind("amount", "money"):head(3)')
method("kinds", "t:kinds() -> {column = kind, ...}", "the kinds of the columns that have one",
   "已设定数值类别的各列及其类别", 'tx:kind("amount", "money"):kinds()')
method("close", "t:close()", "frees the table now (also `local t <close> = ...`)",
   "立即释放表（也可写 local t <close> = ...）")
topic("Column", {
   sig = "c:name() c:type() c:kind() c:sum() c:mean() c:min() c:max() c:totable() #c",
   en = "a view of one column of a table (t:col(name)); missing values are skipped by the\n"
      .. "aggregates and are nil in totable()",
   zh = "表中某一列的视图（t:col(列名)）；聚合时跳过缺失值，totable() 中缺失值为 nil",
   example = 'tx:col("amount"):mean()',
   see = { "Table:col" },
})

-- ---- Cost of service, segmentation, scenarios, reports, databases -------------------------

topic("cv.costing", {
   sig = "cv.costing.abc{...} .tdabc{...} .pnl(t, spec) .drivers(spec) .read_activities(path)\n"
      .. "  .read_resources(path) .transaction_drivers(sums) .parse_terms(text) .pnl_spec(spec)",
   en = "cost of service: activity-based costing (abc), time-driven ABC (tdabc), the customer P&L\n"
      .. "and its waterfall (pnl); cost definitions as Lua tables or CSV files",
   zh = "客户服务成本：作业成本法（abc）、时间驱动作业成本法（tdabc）、客户损益表及其瀑布图\n"
      .. "（pnl）；成本定义可为 Lua 表或 CSV 文件",
   assume = {
      en = "each activity's cost is caused by one driver in proportion to its volume (ABC); time\n"
         .. "equations give the minutes an event takes, priced at practical capacity (TDABC)",
      zh = "每项作业的成本由一个成本动因按其数量成比例引起（作业成本法）；时间方程给出每个事件\n"
         .. "所需分钟数，按实际产能定价（时间驱动作业成本法）",
   },
   ref = "Kaplan & Anderson (2004), \"Time-driven activity-based costing\", Harvard Business Review "
      .. "82(11); Cooper & Kaplan (1991), \"Profit priorities from activity-based costing\", HBR 69(3)",
   example = 'r = cv.costing.abc{data = orders, customer = "customer_id", activities = "examples/b2b/activities.csv",\n'
      .. '   drivers = cv.costing.transaction_drivers("lines,deliveries,rush,returns"),\n'
      .. '   join = {"examples/b2b/service.csv"}}',
   see = { "cv.whale", "cost_to_serve_abc" },
})
topic("cv.whale", {
   sig = "cv.whale(t [, {profit = \"profit\", key =}]) -> curve Table, stats",
   en = "the whale curve: cumulative profit with customers ranked from most to least profitable;\n"
      .. "stats: customers, total, peak, peak_share, peak_rank, top20_share, loss_makers, losses",
   zh = "鲸鱼曲线：按利润从高到低排列客户后的累计利润；统计量：customers、total、peak、\n"
      .. "peak_share、peak_rank、top20_share、loss_makers、losses",
   assume = {
      en = "profit per customer includes the cost to serve; the total profit is positive",
      zh = "每位客户的利润已扣除服务成本；总利润为正",
   },
   ref = "Kaplan & Narayanan (2001), \"Measuring and managing customer profitability\", Journal of "
      .. "Cost Management 15(5)",
   see = { "cv.costing", "whale_curve" },
})
topic("cv.rfm", {
   sig = "cv.rfm(t [, {recency =, frequency =, monetary =, bins = 5, method =, scheme =}]) -> Table, info",
   en = "RFM scores (r_score, f_score, m_score, rfm) from a customer summary, by quantiles, cut\n"
      .. "points, mean or median; with a scheme, the segment too",
   zh = "由客户汇总计算 RFM 得分（r_score、f_score、m_score、rfm），可按分位数、切点、均值或中位数；\n"
      .. "给出方案时同时给出细分",
   assume = {
      en = "customers who bought recently, often and for much are worth more (ranks, not a model)",
      zh = "最近购买、购买频繁且金额大的客户价值更高（按排序，并非概率模型）",
   },
   ref = "Hughes, Strategic Database Marketing (1994); Fader, Hardie & Lee (2005), \"RFM and CLV\", "
      .. "Journal of Marketing Research 42(4)",
   see = { "cv.segment", "rfm_segments" },
})
topic("cv.segment", {
   sig = "cv.segment(t, scheme [, opts]) -> Table, counts   (schemes: rfm10, quartile5, cn8)",
   en = "named segments from ordered rules on the RFM scores; cn8 is the eight classes of Chinese\n"
      .. "CRM courses (important/general × value, develop, keep, win back); also\n"
      .. "cv.segment_coverage(scheme), cv.segment_schemes, cv.segment_summary(t, {by =})",
   zh = "按 RFM 得分上的有序规则给出命名细分；cn8 为中文 CRM 课程的八类客户（重要/一般 ×\n"
      .. "价值、发展、保持、挽留）；另有 cv.segment_coverage(方案)、cv.segment_schemes、\n"
      .. "cv.segment_summary(t, {by =})",
   assume = {
      en = "the first rule that holds names the segment; high and low are against the scores' cut points",
      zh = "第一条成立的规则决定细分；高低以得分切点为准",
   },
   ref = "Hebbali, rfm package for R (segment rules); Kumar & Reinartz (2012)",
   see = { "cv.rfm", "cv.tiers" },
})
topic("cv.tiers", {
   sig = "cv.tiers(t [, {value =, shares = {0.2, 0.3, 0.5}}]) -> Table, info  | cv.lorenz, cv.gini",
   en = "value tiers (top 20%, next 30%, bottom 50%) and concentration: the Lorenz curve\n"
      .. "(cv.lorenz(t, col)) and the Gini coefficient (cv.gini(t, col))",
   zh = "价值分层（前 20%、中间 30%、后 50%）与集中度：洛伦兹曲线（cv.lorenz(t, 列)）和\n"
      .. "基尼系数（cv.gini(t, 列)）",
   assume = {
      en = "customers are ranked by one value measure (revenue, margin or CLV)",
      zh = "按单一价值指标（收入、毛利或终身价值）对客户排序",
   },
   ref = "Lorenz (1905); Gini (1912); Zeithaml, Rust & Lemon (2001), \"The customer pyramid\", "
      .. "California Management Review 43(4)",
   see = { "value_tiers" },
})
topic("cv.lifecycle", {
   sig = "cv.lifecycle(tx [, {at =, customer =, date =, amount =}]) -> Table | cv.migration(tx, {from =, to =, by =})",
   en = "lifecycle stages (exploration, development, stability, decline) and states from each\n"
      .. "customer's orders now and one and two periods before; cv.migration counts the moves\n"
      .. "between two dates",
   zh = "根据客户当前及前一、前两期的订单判断生命周期阶段（考察期、形成期、稳定期、退化期）\n"
      .. "和状态；cv.migration 统计两个日期之间的迁移",
   assume = {
      en = "a stage shows in the trend of purchases per period; the rules are descriptive",
      zh = "阶段体现在各期购买量的趋势中；规则为描述性的",
   },
   ref = "Dwyer, Schurr & Oh (1987), \"Developing buyer-seller relationships\", Journal of Marketing 51(2)",
   see = { "lifecycle_stages" },
})
topic("cv.kmeans", {
   sig = "cv.kmeans(t, cols [, {k =, seed =, standardize =}]) -> Table, info | cv.kmeans_wss(t, cols)",
   en = "k-means clusters (1..k, largest first) on standardized columns, with the silhouette;\n"
      .. "cv.kmeans_wss gives the within-cluster sum of squares for several k (the elbow)",
   zh = "对标准化后的列做 k 均值聚类（簇编号 1..k，最大的在前）并给出轮廓系数；\n"
      .. "cv.kmeans_wss 给出多个 k 的簇内平方和（肘部法）",
   assume = {
      en = "clusters are round and of similar spread in the standardized space",
      zh = "在标准化空间中各簇近似球形且离散程度相近",
   },
   ref = "MacQueen (1967); Hamerly (2010), \"Making k-means even faster\", SIAM SDM; Rousseeuw (1987)",
   see = { "kmeans_segments" },
})
topic("cv.scenario", {
   sig = "cv.scenario{base =, variants =, model = | formula =, metrics =} -> Scenario",
   en = "what-if analysis: the base and its variants side by side (sc:run()), one-at-a-time\n"
      .. "sensitivity (sc:sensitivity), grids (sc:grid), break-even (sc:breakeven) and Monte Carlo\n"
      .. "(sc:montecarlo, also cv.montecarlo{formula =, inputs =})",
   zh = "假设分析：基准情景与各变体并列（sc:run()）、单因素敏感性（sc:sensitivity）、\n"
      .. "网格（sc:grid）、盈亏平衡（sc:breakeven）和蒙特卡洛模拟（sc:montecarlo，\n"
      .. "也可用 cv.montecarlo{formula =, inputs =}）",
   example = 'cv.scenario{base = {margin = 100, retention = 0.8, discount = 0.1,\n'
      .. '   period = "year"}, formula = "clv.retention"}',
   see = { "cv.report" },
})
topic("cv.report", {
   sig = "cv.report{title =, sections = {...}}:save(path) | cv.write_xlsx(path, sheets) | cv.chart.*",
   en = "a self-contained HTML report (tables, SVG charts: cv.chart.line, bar, histogram, heatmap,\n"
      .. "tornado, whale, lorenz, ...) and XLSX workbooks",
   zh = "自包含的 HTML 报告（表格、SVG 图表：cv.chart.line、bar、histogram、heatmap、tornado、\n"
      .. "whale、lorenz 等）以及 XLSX 工作簿",
   see = { "cv.scenario" },
})
topic("cv.connect", {
   sig = "cv.connect(url) -> db | cv.read_sql(db, sql [, params]) | cv.write_sql(db, name, t) | cv.summary_sql(db, opts) | cv.collapse_sql(db, opts) | cv.score_sql(db, opts)",
   en = "databases as sources and sinks: SQLite (sqlite:path.db), PostgreSQL (postgresql://...)\n"
      .. "and ClickHouse (clickhouse://...); cv.summary_sql computes the customer summary inside\n"
      .. "the database, cv.collapse_sql the fit's distinct (x, t_x, T) with their counts n,\n"
      .. "cv.score_sql the whole job (fit, scores, a view of every customer) with only those",
   zh = "数据库作为数据源与输出：SQLite（sqlite:path.db）、PostgreSQL（postgresql://...）和\n"
      .. "ClickHouse（clickhouse://...）；cv.summary_sql 在数据库内计算客户汇总，\n"
      .. "cv.collapse_sql 在数据库内计算拟合所需的不同 (x, t_x, T) 及其人数 n，\n"
      .. "cv.score_sql 仅传输这些行完成整个流程（拟合、评分、每位客户的视图）",
   example = 'db = cv.connect("sqlite:shop.db"); db:write("orders", tx); t = cv.read_sql(db, "select * from orders")',
   see = { "cv.summary" },
})

local function alias(name, target)
   topics[name] = { alias = target }
end
for _, n in ipairs { "abc", "tdabc", "pnl", "drivers", "read_activities", "read_resources",
   "transaction_drivers", "parse_terms", "pnl_spec", "whale" } do
   alias("cv.costing." .. n, n == "whale" and "cv.whale" or "cv.costing")
end
for n, target in pairs { segment_coverage = "cv.segment", segment_schemes = "cv.segment",
   segment_summary = "cv.segment", lorenz = "cv.tiers", gini = "cv.tiers",
   migration = "cv.lifecycle", kmeans_wss = "cv.kmeans", montecarlo = "cv.scenario",
   write_xlsx = "cv.report", chart = "cv.report", read_sql = "cv.connect",
   write_sql = "cv.connect", summary_sql = "cv.connect", collapse_sql = "cv.connect", score_sql = "cv.connect",
   params = "cv.lang",
   version = "cv.lang" } do
   alias("cv." .. n, target)
end

-- ---- Models --------------------------------------------------------------------------------

-- model_topic(name, t): a bundled model script (models/<name>.lua: its parameters are
-- read from the script) or a probabilistic model of the core (t.params lists them).
local function model_topic(name, t)
   t.model = name
   topic(name, t)
end

model_topic("clv_simple", {
   sig = "cvkit run models/clv_simple.lua --data FILE [--set lifetime=5]",
   en = "simple CLV per customer from a transactions file: mean spend × purchases per year\n"
      .. "× an expected lifetime you give",
   zh = "由交易文件计算每位客户的简单客户终身价值：平均消费额 × 每年购买次数 × 给定的预期生命周期",
   assume = {
      en = "a customer keeps the spend and the purchase rate observed so far for `lifetime` years;\n"
         .. "customers observed less than min_years are spread over min_years",
      zh = "客户在 lifetime 年内保持迄今观察到的消费额和购买频率；观察不足 min_years 的客户按\n"
         .. "min_years 计算",
   },
   ref = "Kumar & Reinartz (2012)",
})
model_topic("clv_retention", {
   sig = "cvkit run models/clv_retention.lua --data FILE [--set retention=0.8 discount=0.1]",
   en = "retention-based CLV per customer: yearly margin × r ÷ (1 + d − r), with the yearly\n"
      .. "retention rate given or measured period to period: of the buyers of one period, the share\n"
      .. "who buy again in the next (period of the formula: a year, so the annual discount rate d\n"
      .. "is the rate per period)",
   zh = "每位客户基于保留率的客户终身价值：年毛利 × r ÷ (1 + d − r)，保留率给定或按相邻\n"
      .. "两期计算：前一期购买的客户中下一期再次购买的比例",
   assume = retention_assume,
   ref = retention_ref,
})
model_topic("customer_profitability", {
   sig = "cvkit run models/customer_profitability.lua --data FILE [--set cac=... ]",
   en = "profit per customer after acquisition and retention costs, and the CRM gross profit",
   zh = "扣除获取成本和保留成本后的每位客户利润，以及 CRM 毛利",
   assume = {
      en = "acquisition spend is shared equally by the new customers; retention spend is a yearly\n"
         .. "amount per customer; the margin is a fixed share of revenue",
      zh = "获取支出由新客户平均分摊；保留支出为每位客户每年的固定金额；毛利为收入的固定比例",
   },
   ref = "Pfeifer, Haskins & Conroy (2005); " .. cost_ref,
})
model_topic("lifecycle_profit", {
   sig = "cvkit run models/lifecycle_profit.lua --data FILE [--set period=month discount=0.1]",
   en = "NPV of each customer's observed profit per period (day, week, month or year) at an\n"
      .. "annual discount rate",
   zh = "按年折现率计算每位客户各期（日、周、月或年）已观察利润的净现值",
   assume = npv_assume,
   ref = npv_ref,
})
model_topic("delivered_value", {
   sig = "cvkit run models/delivered_value.lua --data survey.csv",
   en = "customer delivered value per respondent from a survey of perceived values and costs",
   zh = "由感知价值与成本调查计算每位受访者的顾客让渡价值",
   assume = {
      en = "survey answers are on one money scale (or one rating scale for all eight parts)",
      zh = "调查回答在同一货币尺度上（或八个部分使用同一评分尺度）",
   },
   ref = "Kotler (1997)",
})

local count_assume = {
   en = "non-contractual: customers may leave unseen; while alive, purchases follow a Poisson\n"
      .. "process whose rate varies across customers as a gamma distribution",
   zh = "非契约型：客户可能在未被察觉时流失；存活期间购买服从泊松过程，购买率在客户间\n"
      .. "服从伽马分布",
}
model_topic("bgnbd", {
   sig = "cv.fit(\"bgnbd\", summary) -- parameters r, alpha, a, b",
   en = "the BG/NBD model of repeat buying: expected purchases, P(alive), CLV with a spend model",
   zh = "BG/NBD 重复购买模型：预期购买次数、存活概率、结合消费模型计算客户终身价值",
   assume = {
      en = count_assume.en .. ";\nafter each purchase a customer drops out with probability p, p beta-distributed\n"
         .. "across customers (independently of the rate)",
      zh = count_assume.zh .. "；\n每次购买后客户以概率 p 流失，p 在客户间服从贝塔分布（与购买率独立）",
   },
   ref = "Fader, Hardie & Lee (2005), \"Counting your customers the easy way: an alternative to "
      .. "the Pareto/NBD model\", Marketing Science 24(2), 275-284",
})
model_topic("pnbd", {
   sig = "cv.fit(\"pnbd\", summary) -- parameters r, alpha, s, beta",
   en = "the Pareto/NBD model: purchases and unobserved dropout in continuous time",
   zh = "Pareto/NBD 模型：连续时间下的购买与不可观察的流失",
   assume = {
      en = count_assume.en .. ";\nlifetimes are exponential with a dropout rate gamma-distributed across customers",
      zh = count_assume.zh .. "；\n生命周期服从指数分布，流失率在客户间服从伽马分布",
   },
   ref = "Schmittlein, Morrison & Colombo (1987), \"Counting your customers: who are they and "
      .. "what will they do next?\", Management Science 33(1), 1-24",
})
model_topic("nbd", {
   sig = "cv.fit(\"nbd\", summary) -- parameters r, alpha",
   en = "the NBD model: repeat buying without dropout, the baseline the dropout models improve on",
   zh = "NBD 模型：不含流失的重复购买，流失类模型所改进的基准",
   assume = {
      en = "purchases follow a Poisson process whose rate varies across customers as a gamma\n"
         .. "distribution; nobody drops out (P(alive) = 1), so it overstates lapsed customers",
      zh = "购买服从泊松过程，购买率在客户间服从伽马分布；没有客户流失（存活概率 = 1），\n"
         .. "因此会高估已流失客户的未来购买",
   },
   ref = "Ehrenberg (1959), \"The pattern of consumer purchases\", Applied Statistics 8(1), 26-41",
})
model_topic("bgbb", {
   sig = "cv.fit(\"bgbb\", summary) -- parameters alpha, beta, gamma, delta",
   en = "the BG/BB model for discrete purchase opportunities (events, yearly donations)",
   zh = "BG/BB 模型，适用于离散的购买机会（活动、每年捐赠）",
   assume = {
      en = "at each opportunity an alive customer buys with probability p and then may drop out\n"
         .. "with probability theta; p and theta beta-distributed across customers",
      zh = "每个机会中存活客户以概率 p 购买，之后以概率 theta 流失；p 与 theta 在客户间服从贝塔分布",
   },
   ref = "Fader, Hardie & Shang (2010), \"Customer-base analysis in a discrete-time noncontractual "
      .. "setting\", Marketing Science 29(6), 1086-1108",
})
model_topic("sbg", {
   sig = "cv.fit(\"sbg\", survivors) -- parameters alpha, beta",
   en = "the shifted-beta-geometric model of contractual retention (subscriptions)",
   zh = "移位贝塔几何模型，用于契约型保留（订阅）",
   assume = {
      en = "each customer renews with a constant probability; churn probabilities vary across\n"
         .. "customers as a beta distribution, so the cohort's retention rate rises over time",
      zh = "每位客户以固定概率续约；流失概率在客户间服从贝塔分布，因此群组保留率随时间上升",
   },
   ref = "Fader & Hardie (2007), \"How to project customer retention\", Journal of Interactive "
      .. "Marketing 21(1), 76-90",
})
model_topic("gammagamma", {
   sig = "cv.fit(\"gammagamma\", summary) -- parameters p, q, gamma",
   en = "the Gamma-Gamma model of spend per transaction, for CLV with a purchase model",
   zh = "每笔交易消费额的 Gamma-Gamma 模型，与购买模型结合计算客户终身价值",
   assume = {
      en = "a customer's spends vary around their own mean, independent of how often they buy;\n"
         .. "the means vary across customers (gamma mixing)",
      zh = "客户每次消费额围绕其自身均值波动，与购买频次无关；各客户均值服从伽马混合分布",
   },
   ref = "Fader, Hardie & Lee (2005), \"RFM and CLV: using iso-value curves for customer base "
      .. "analysis\", Journal of Marketing Research 42(4); Colombo & Jiang (1999)",
})

topic("cv.fit", {
   sig = "cv.fit(model, summary | transactions | survivors, opts) -> model",
   en = "fits bgnbd, pnbd, mbgnbd, bgbb, sbg, gammagamma or nbd by maximum likelihood; the model has\n"
      .. "params, se (nil where not computable), loglik, aic, bic, converged, message, status\n"
      .. "(converged, boundary or not_converged), boundary (the parameters at a limit), tried (each\n"
      .. "optimizer phase: method, iterations, why it stopped) and the methods p_alive(who),\n"
      .. "conditional(who, horizon), pmf(who, horizon, k) (P(k purchases in the horizon)),\n"
      .. "p_active(who, horizon) (P(at least one)), dert(who, {discount}), spend(who),\n"
      .. "clv(who, {...}), derl(who, {discount}), predict(s, {horizon}), validate(s, {horizon}),\n"
      .. "tracking(tx, {...}), loglik_on(s); for a new customer expected_new(horizon) and\n"
      .. "pmf_new(horizon, n); sBG survival(t), retention(t). who is a summary table (the table\n"
      .. "with a column added) or one customer {x =, t_x =, T =} (a number); horizons are in\n"
      .. "the model's unit unless {unit =} says otherwise. Data with no information (no repeat\n"
      .. "buyers, every T = 0) are an error that says what to check",
   zh = "用极大似然拟合 bgnbd、pnbd、mbgnbd、bgbb、sbg、gammagamma 或 nbd；所得模型含 params、\n"
      .. "se（无法计算时为 nil）、loglik、aic、bic、converged、message、status（converged 收敛、\n"
      .. "boundary 边界解或 not_converged 未收敛）、boundary（取极限的参数）、tried（每个优化阶段：\n"
      .. "方法、迭代次数、停止原因）及方法 p_alive(who)、conditional(who, horizon)、\n"
      .. "pmf(who, horizon, k)（预测期内恰好购买 k 次的概率）、\n"
      .. "p_active(who, horizon)（至少购买一次的概率）、\n"
      .. "dert(who, {discount})、spend(who)、clv(who, {...})、derl(who, {discount})、\n"
      .. "predict(s, {horizon})、validate(s, {horizon})、tracking(tx, {...})、loglik_on(s)；新客户用\n"
      .. "expected_new(horizon) 与 pmf_new(horizon, n)；sBG 用 survival(t)、retention(t)。who 为汇总表\n"
      .. "（返回添加一列的表）或单个客户 {x =, t_x =, T =}（返回一个数值）；预测期以模型的时间单位\n"
      .. "计，除非用 {unit =} 另行指明。不含信息的数据（无人复购、所有 T = 0）报错并说明应检查什么",
   example = 'local m = cv.fit("bgnbd", s); print(m:p_alive({x = 2, t_x = 30.43, T = 38.86}), m:clv(s, {horizon = 52}))',
   see = { "bgnbd", "cv.compare", "cv.timevalue" },
})
topic("cv.model", {
   sig = "cv.model(name, params, {unit =}) -> model",
   en = "a model object from known parameters (no fit), with every prediction method of cv.fit",
   zh = "由已知参数构造模型对象（不拟合），具备 cv.fit 所得模型的全部预测方法",
   example = 'cv.model("bgnbd", {r = 0.243, alpha = 4.414, a = 0.793, b = 2.426}, {unit = "week"}):conditional({x = 2, t_x = 30.43, T = 38.86}, 39)',
})
topic("cv.compare", {
   sig = "cv.compare({m1, m2, ...}, summary, {horizon = holdout length}) -> Table",
   en = "fitted models side by side: log-likelihood, AIC, BIC and, with a holdout, actual and\n"
      .. "expected repeat transactions, MAE, RMSE and the Brier score of P(alive)",
   zh = "并列比较已拟合模型：对数似然、AIC、BIC，以及有验证期时的实际与预期重复交易、MAE、\n"
      .. "RMSE 和存活概率的 Brier 分数",
   example = 'cv.compare({cv.fit("bgnbd", s), cv.fit("pnbd", s)}, s):print()   -- {horizon = 39}: with a holdout',
})
topic("cv.simulate", {
   sig = "cv.simulate(model | {model =, params...}, n, {seed =, T =, x =, covariates =}) -> Table",
   en = "n synthetic customers (x, t_x, T) drawn from a model's story, seeded; a model with\n"
      .. "covariates (a fit, or coefficients such as [\"trans.Gender\"] = 0.4) draws customer i\n"
      .. "with the covariates of row i of the table `covariates`",
   zh = "按模型的生成机制抽取 n 位模拟客户（x、t_x、T），可设随机种子；带协变量的模型（拟合结果，\n"
      .. "或如 [\"trans.Gender\"] = 0.4 的系数）按表 `covariates` 第 i 行的协变量抽取第 i 位客户",
   example = 'cv.simulate({model = "bgnbd", r = 0.5, alpha = 6, a = 0.7, b = 2.5}, 1000, {T = 52})',
})
topic("cv.simulate_transactions", {
   sig = "cv.simulate_transactions(model, n, {seed =, start =, cohort_days =, end =, unit =, spend =, "
      .. "covariates =, id =, dynamic =}) -> Table",
   en = "synthetic transactions (customer, date, amount) drawn from a model, as cvkit gen writes; "
      .. "with covariates (a table of n rows) each customer at their own parameters, with dynamic "
      .. "= {covariates = long table} under covariates that change at each period (pareto_nbd)",
   zh = "按模型抽样生成模拟交易（customer、date、amount），与 cvkit gen 相同；给出 covariates（n 行的表）"
      .. "时每位客户按各自的参数抽样，给出 dynamic = {covariates = 长表} 时协变量在每个周期变化"
      .. "（pareto_nbd）",
   example = 'cv.simulate_transactions(m, 1000, {seed = 1, spend = {p = 6.25, q = 3.74, gamma = 15.44}})',
})
topic("cv.timevalue", {
   sig = "cv.timevalue.per_period(annual, unit), .annual, .continuous, .from_continuous, .discount_factor, .nominal, .years",
   en = "rate conversions: an annual effective rate to a per-period or continuous rate; a month\n"
      .. "is 1/12 year, a week 7/365.2425 year",
   zh = "利率换算：年实际利率换算为每期利率或连续复利利率；一个月为 1/12 年，一周为 7/365.2425 年",
   example = 'cv.timevalue.per_period(0.15, "week") --> 0.002682',
})
for _, f in ipairs { "per_period", "annual", "continuous", "from_continuous", "discount_factor",
   "nominal", "years" } do
   alias("cv.timevalue." .. f, "cv.timevalue")
end

local clv_script_assume = {
   en = "the purchase model's assumptions and Gamma-Gamma's (spend independent of frequency);\n"
      .. "CLV = discounted expected transactions × expected spend × margin share, discounted at\n"
      .. "an annual effective rate converted to the model's unit",
   zh = "购买模型与 Gamma-Gamma 的假设（消费与频次独立）；CLV = 折现的预期交易数 × 预期消费 ×\n"
      .. "毛利比例，按年实际折现率换算到模型的时间单位",
}
model_topic("clv_bgnbd", {
   sig = "cvkit run models/clv_bgnbd.lua --data FILE [--set calibration_end=... observation_end=...]",
   en = "BG/NBD and Gamma-Gamma CLV per customer from a transactions file, with holdout validation",
   zh = "由交易文件用 BG/NBD 与 Gamma-Gamma 计算每位客户的 CLV，并做验证期验证",
   assume = clv_script_assume,
   ref = "Fader, Hardie & Lee (2005), Marketing Science 24(2); Fader, Hardie & Lee (2005), JMR 42(4)",
})
model_topic("clv", {
   sig = "cvkit clv FILE [--customer COL] [--calibration-end DATE] [--observation-end DATE] [--out DIR]",
   en = "CLV in one command: BG/NBD and Pareto/NBD compared, Gamma-Gamma spend, every customer's value and a report",
   zh = "一条命令得出客户终身价值：比较 BG/NBD 与 Pareto/NBD，Gamma-Gamma 消费额，每位客户的价值与报告",
   assume = clv_script_assume,
   ref = "Fader, Hardie & Lee (2005), Marketing Science 24(2); Schmittlein, Morrison & Colombo (1987); Fader, Hardie & Lee (2005), JMR 42(4)",
})
model_topic("clv_pareto_nbd", {
   sig = "cvkit run models/clv_pareto_nbd.lua --data FILE [--set horizon=0]",
   en = "Pareto/NBD and Gamma-Gamma CLV and DERT per customer from a transactions file",
   zh = "由交易文件用 Pareto/NBD 与 Gamma-Gamma 计算每位客户的 CLV 与 DERT",
   assume = clv_script_assume,
   ref = "Schmittlein, Morrison & Colombo (1987); Fader, Hardie & Lee (2005), JMR 42(4)",
})
model_topic("retention_sbg", {
   sig = "cvkit run models/retention_sbg.lua --data cohort.csv [--set discount=0.1]",
   en = "a cohort's survival fitted by the shifted-beta-geometric model, projected, with DERL",
   zh = "用移位贝塔几何模型拟合客户群存活曲线并外推，计算 DERL",
   assume = {
      en = "each customer renews with a constant probability, beta-distributed across customers",
      zh = "每位客户以固定概率续约，该概率在客户间服从贝塔分布",
   },
   ref = "Fader & Hardie (2007), Journal of Interactive Marketing 21(1); Fader & Hardie (2010), Marketing Science 29(1)",
})
model_topic("compare_models", {
   sig = "cvkit run models/compare_models.lua --data FILE [--set observation_end=...]",
   en = "BG/NBD, Pareto/NBD and MBG/NBD on one summary: LL, AIC, BIC and holdout error",
   zh = "在同一汇总上比较 BG/NBD、Pareto/NBD 与 MBG/NBD：对数似然、AIC、BIC 与验证期误差",
   assume = count_assume,
   ref = "Fader, Hardie & Lee (2005); Batislam, Denizel & Filiztekin (2007)",
})

model_topic("cost_to_serve_abc", {
   sig = "cvkit run models/cost_to_serve_abc.lua --data FILE --set activities=FILE",
   en = "cost to serve per customer by activity-based costing (pools, drivers, rates)",
   zh = "用作业成本法（成本库、成本动因、成本率）计算每位客户的服务成本",
   assume = {
      en = "each activity pool is spread over customers in proportion to one driver's volume",
      zh = "每个作业成本库按一个成本动因的数量比例分摊给客户",
   },
   ref = "Cooper & Kaplan (1991), \"Profit priorities from activity-based costing\", Harvard Business Review 69(3)",
})
model_topic("cost_to_serve_tdabc", {
   sig = "cvkit run models/cost_to_serve_tdabc.lua --data FILE --set resources=FILE activities=FILE",
   en = "cost to serve per customer by time-driven ABC, with each resource's unused capacity",
   zh = "用时间驱动作业成本法计算每位客户的服务成本，并给出各资源的闲置产能",
   assume = {
      en = "the minutes an event takes follow a time equation; resources are priced at practical\n"
         .. "capacity, so unused capacity is shown, not charged to customers",
      zh = "每个事件耗用的分钟数由时间方程给出；资源按实际产能定价，闲置产能单独列示，不分摊给客户",
   },
   ref = "Kaplan & Anderson (2004), \"Time-driven activity-based costing\", Harvard Business Review 82(11)",
})
model_topic("customer_pnl", {
   sig = "cvkit run models/customer_pnl.lua --data FILE",
   en = "the customer P&L: revenue − product cost − concessions − cost to serve − acquisition −\n"
      .. "retention = profit, per customer and per segment",
   zh = "客户损益表：收入 − 产品成本 − 让利 − 服务成本 − 获取成本 − 保留成本 = 利润，\n"
      .. "按客户和细分汇总",
   assume = {
      en = "every cost line can be traced to the customer; nothing is clipped at zero",
      zh = "每项成本都可追溯到客户；不对负值截断",
   },
   ref = "Kaplan & Narayanan (2001), Journal of Cost Management 15(5); van Raaij (2005), "
      .. "\"The strategic value of customer profitability analysis\", Marketing Intelligence & Planning 23(4)",
})
model_topic("keep_or_drop", {
   sig = "cvkit run models/keep_or_drop.lua --data FILE --set costs=FILE [--set activity_scale=...]",
   en = "keep or drop the loss-making customers of a cost-to-serve study: per customer the\n"
      .. "contribution lost against the avoidable costs, the cost lines classified as relevant or\n"
      .. "not, and scenarios on how much of the activity costs is avoidable",
   zh = "保留还是放弃服务成本分析中的亏损客户：逐一比较损失的贡献毛益与可避免成本，\n"
      .. "将各成本项目分为相关与无关，并就作业成本中可避免的比例做情景分析",
   assume = {
      en = "the avoidable share of each cost line is known (the costs file); the rest of a line,\n"
         .. "the facility costs allocated by revenue and the acquisition cost already spent stay\n"
         .. "when a customer is dropped; the freed capacity has no other use",
      zh = "各成本项目的可避免比例已知（成本文件）；其余部分、按收入分摊的设施成本和已花费的获取\n"
         .. "成本在放弃客户后仍会发生；腾出的产能没有其他用途",
   },
   ref = "Horngren, Datar & Rajan, Cost Accounting: A Managerial Emphasis, ch. \"Decision Making and "
      .. "Relevant Information\" (dropping a customer); Kaplan & Narayanan (2001), Journal of Cost "
      .. "Management 15(5)",
})
model_topic("hidden_service_cost", {
   sig = "cvkit run models/hidden_service_cost.lua [--set customers=... dissatisfied_rate=...]",
   en = "explicit and hidden costs of service (margin lost with leaving customers and by word\n"
      .. "of mouth), with retention scenarios",
   zh = "显性与隐性服务成本（流失客户带走的毛利及口碑造成的损失），并给出保留率情景",
   assume = {
      en = "dissatisfied customers leave at a fixed share and each tells a fixed number of people,\n"
         .. "a share of whom do not buy; a lost customer is worth a fixed value",
      zh = "不满意客户按固定比例流失，每人告诉固定数量的人，其中一定比例不再购买；\n"
         .. "每位流失客户的价值固定",
   },
   ref = "TARP (Technical Assistance Research Programs), Consumer Complaint Handling in America "
      .. "(1986); Hart, Heskett & Sasser (1990), \"The profitable art of service recovery\", HBR 68(4)",
})
model_topic("kmeans_segments", {
   sig = "cvkit run models/kmeans_segments.lua --data FILE [--set k=3]",
   en = "k-means clusters of customers on standardized recency, frequency and monetary value",
   zh = "对标准化的最近购买时间、购买频次和消费金额做 k 均值客户聚类",
   assume = {
      en = "clusters are round and of similar spread after standardization; the seed fixes the result",
      zh = "标准化后各簇近似球形且离散程度相近；随机种子固定结果",
   },
   ref = "MacQueen (1967); Rousseeuw (1987), \"Silhouettes\", Journal of Computational and Applied Mathematics 20",
})
model_topic("lifecycle_stages", {
   sig = "cvkit run models/lifecycle_stages.lua --data FILE",
   en = "lifecycle stages (exploration, development, stability, decline) and states of each customer",
   zh = "每位客户的生命周期阶段（考察期、形成期、稳定期、退化期）和状态",
   assume = {
      en = "the stage shows in the orders of the latest periods compared with the ones before",
      zh = "阶段体现在最近几期订单与之前各期的比较中",
   },
   ref = "Dwyer, Schurr & Oh (1987), \"Developing buyer-seller relationships\", Journal of Marketing 51(2)",
})
model_topic("rfm_segments", {
   sig = "cvkit run models/rfm_segments.lua --data FILE [--set scheme=cn8]",
   en = "RFM scores and named segments (rfm10, quartile5 or cn8)",
   zh = "RFM 得分与命名细分（rfm10、quartile5 或 cn8）",
   assume = {
      en = "recency, frequency and monetary value rank customers' worth; the segment rules are conventions",
      zh = "最近购买时间、购买频次和消费金额可对客户价值排序；细分规则为惯例",
   },
   ref = "Hughes (1994), Strategic Database Marketing; Fader, Hardie & Lee (2005), JMR 42(4)",
})
model_topic("scenario_cac_payback", {
   sig = "cvkit run models/scenario_cac_payback.lua [--set cac=... ]",
   en = "acquisition cost scenarios: payback months, LTV ÷ CAC and profit",
   zh = "获取成本情景：回收月数、LTV ÷ CAC 与利润",
   assume = {
      en = "a constant monthly margin and churn; the acquisition cost is paid at the start",
      zh = "每月毛利和流失率不变；获取成本在开始时一次支付",
   },
   ref = "Gupta & Lehmann (2005), Managing Customers as Investments; Skok, \"SaaS metrics 2.0\" (LTV ÷ CAC)",
})
model_topic("scenario_retention", {
   sig = "cvkit run models/scenario_retention.lua [--set retention=0.8 ...]",
   en = "retention scenarios: customer value and profit when retention changes",
   zh = "保留率情景：保留率变化时的客户价值与利润",
   assume = retention_assume,
   ref = "Reichheld & Sasser (1990), HBR 68(5); " .. retention_ref,
})
model_topic("value_tiers", {
   sig = "cvkit run models/value_tiers.lua --data FILE",
   en = "value tiers (top 20 / next 30 / bottom 50), concentration, the Lorenz curve and Gini",
   zh = "价值分层（前 20 / 中间 30 / 后 50）、集中度、洛伦兹曲线与基尼系数",
   assume = {
      en = "customers are ranked by revenue in the period observed",
      zh = "按观察期内的收入对客户排序",
   },
   ref = "Zeithaml, Rust & Lemon (2001), \"The customer pyramid\", California Management Review 43(4)",
})
model_topic("whale_curve", {
   sig = "cvkit run models/whale_curve.lua --data FILE",
   en = "the whale curve: cumulative profit by customers ranked from most to least profitable",
   zh = "鲸鱼曲线：按利润从高到低排列客户的累计利润",
   assume = {
      en = "customer profit includes the cost to serve; the total is positive",
      zh = "客户利润已扣除服务成本；总利润为正",
   },
   ref = "Kaplan & Narayanan (2001), \"Measuring and managing customer profitability\", Journal of "
      .. "Cost Management 15(5)",
})

-- The CRM system's life-cycle cost, loyalty programmes and satisfaction to value (issue 21):
-- the formulas crm.eac, loyalty.*, satisfaction.*, the functions cv.crm.lcc and
-- cv.satisfaction.bands, the models crm_tco and loyalty_programme.
do
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

-- ---- The prompt ----------------------------------------------------------------------------

topic("help", {
   sig = "help() | help(f) | help \"topic\"",
   en = "help on a function (help(cv.summary)), a formula (help \"clv.simple\"), a model\n"
      .. "(help \"bgnbd\"), a table method (help \"Table:filter\"); help() lists the topics",
   zh = "查看函数（help(cv.summary)）、公式（help \"clv.simple\"）、模型（help \"bgnbd\"）、\n"
      .. "表方法（help \"Table:filter\"）的帮助；help() 列出所有主题",
})
topic("repl", {
   sig = "cvkit repl [--lang zh] [name=file.csv ...]",
   en = "an interactive prompt with cv loaded and the named files read as tables; Tab completes\n"
      .. "cv. names, methods and column names (tx:col(\" + Tab); an unfinished line continues on\n"
      .. "the next; quit() or Ctrl-D leaves; history in ~/.cvkit_history",
   zh = "交互式提示符：已加载 cv，命令行给出的文件读为同名表；Tab 键补全 cv. 名称、方法和\n"
      .. "列名（tx:col(\" 后按 Tab）；未完成的输入在下一行继续；quit() 或 Ctrl-D 退出；\n"
      .. "历史记录保存在 ~/.cvkit_history",
})

-- ---- Looking up ---------------------------------------------------------------------------

-- The topic names, in catalogue order.
function M.topics()
   local out = {}
   for i, n in ipairs(order) do
      out[i] = n
   end
   return out
end

-- The topic record of a name (nil when there is none).
function M.get(name)
   return topics[name]
end

-- The name of a function value: cv.* (two levels deep) or a method of cv.Table/cv.Column.
local function name_of(fn)
   for k, v in pairs(cv) do
      if v == fn then
         return "cv." .. k
      end
      if type(v) == "table" and k ~= "params" then
         for k2, v2 in pairs(v) do
            if v2 == fn then
               return "cv." .. k .. "." .. k2
            end
         end
      end
   end
   for _, mt in ipairs { "cv.Table", "cv.Column" } do
      for k, v in pairs(engine.methods(mt) or {}) do -- the metatables are protected
         if v == fn then
            return mt:sub(4) .. ":" .. k
         end
      end
   end
   if fn == M.help then
      return "help"
   end
end
M.name_of = name_of

-- The topic of the methods of a class that declare options (help "Model:clv").
local class_topics = { Model = "cv.fit", Scenario = "cv.scenario", Connection = "cv.connect" }

-- The topic that shows the options of a declared function without a topic of its own:
-- the topic it is an alias of (cv.migration: cv.lifecycle), its group's (cv.chart.bar:
-- cv.report) or its class's (Model:clv: cv.fit); nil when it has its own topic.
local function topic_of_declared(n)
   local t = topics[n]
   if t then
      return t.alias
   end
   local class = n:match("^(%u%w*):")
   if class then
      return class_topics[class]
   end
   local group = topics[n:match("^(.*)%.[%w_]+$") or ""]
   return group and (group.alias or n:match("^(.*)%.[%w_]+$"))
end

-- The declared functions whose options the help of a topic shows: the one asked for
-- (a function without a topic of its own), else the topic's own and those it covers, in
-- name order. None for a formula: its inputs are listed already.
local function options_shown(asked, name, t)
   if t.formula then
      return {}
   end
   if asked ~= name then
      return opts.declared[asked] and { asked } or {}
   end
   local out = {}
   for n in pairs(opts.declared) do
      if n ~= name and topic_of_declared(n) == name then out[#out + 1] = n end
   end
   table.sort(out)
   if opts.declared[name] then table.insert(out, 1, name) end
   return out
end

-- resolve(x) -> topic name | nil: a function value, a table or column value, or a name
-- written loosely ("summary", "read_csv", "filter", "cv.clv.simple", "clv.simple").
function M.resolve(x)
   if type(x) == "function" then
      local n = name_of(x)
      return n and M.resolve(n) or n
   elseif type(x) == "userdata" then
      local n = getmetatable(x) -- cvkit's userdata: the protected value is the type name
      n = type(n) == "string" and n:match("^cv%.(%w+)$")
      return n and topics[n] and n or nil
   elseif type(x) ~= "string" then
      return nil
   end
   local candidates = { x, "cv." .. x, "Table:" .. x, x:gsub("^cv%.", ""), (x:gsub("^t[:.]", "Table:")) }
   for _, c in ipairs(candidates) do
      if topics[c] or (opts.declared[c] and topic_of_declared(c)) then
         return c
      end
   end
   if cv.formula.info(x) then
      return "cv." .. x
   end
   if x:match("^Column[:.]") or x:match("^c:") then -- the column methods share one topic
      return "Column"
   end
   local group = x:match("^(cv%.[%w_]+)%.[%w_]+$") -- cv.chart.bar: the module's topic
   if group and topics[group] then
      return group
   end
end

local function heading(key, lang)
   return i18n.t("help." .. key .. "_heading", nil, lang)
end

-- A model script's parameters with their defaults, from cv.script.
local function model_params(name, lang)
   local ok, model = pcall(require, "models." .. name)
   if not ok or type(model) ~= "table" or not model.params then
      return nil
   end
   local saved = i18n.lang()
   i18n.set_lang(lang)
   local text = script.describe_text(model)
   i18n.set_lang(saved)
   return (text:gsub("^[^\n]*\n", ""))
end

-- text(name [, lang [, brief]]) -> text: the help text of a topic (nil when unknown); brief
-- leaves out a model's parameters (read from the script: `cvkit models NAME` shows them), as
-- the generated docs/topics.md does so that it changes only with this file.
function M.text(name, lang, brief)
   lang = lang or i18n.lang()
   local asked = name
   local t = topics[name]
   if not t and opts.declared[name] and topic_of_declared(name) then
      t = { alias = topic_of_declared(name) }
   end
   if t and t.alias then
      name, t = t.alias, topics[t.alias]
   end
   if not t then
      return nil
   end
   local out = { t.sig }
   local body = i18n.t("help." .. name, nil, lang)
   if t.formula then
      body = explain.inputs_text(t.formula, { lang = lang }):gsub("\n$", "")
   end
   if body ~= "" then
      for l in (body .. "\n"):gmatch("([^\n]*)\n") do
         out[#out + 1] = "  " .. l
      end
   end
   for _, n in ipairs(options_shown(asked, name, t)) do
      out[#out + 1] = n == name and heading("options", lang)
         or i18n.t("help.options_of", { fn = n }, lang)
      out[#out + 1] = opts.describe(n, lang):gsub("\n$", "")
   end
   if t.model and brief then
      out[#out + 1] = heading("params", lang) .. " cvkit models " .. t.model
   elseif t.model then
      local params = model_params(t.model, lang)
      if params then
         out[#out + 1] = heading("params", lang)
         out[#out + 1] = params:gsub("\n$", "")
      end
   end
   if t.assume then
      out[#out + 1] = heading("assume", lang)
      for l in (i18n.t("help." .. name .. ".assume", nil, lang) .. "\n"):gmatch("([^\n]*)\n") do
         out[#out + 1] = "  " .. l
      end
   end
   if t.ref then
      out[#out + 1] = heading("ref", lang)
      out[#out + 1] = "  " .. t.ref
   end
   if t.example then
      out[#out + 1] = heading("example", lang)
      for l in (t.example .. "\n"):gmatch("([^\n]*)\n") do
         out[#out + 1] = "  " .. l
      end
   end
   if t.see then
      out[#out + 1] = heading("see", lang) .. " " .. table.concat(t.see, ", ")
   end
   return table.concat(out, "\n") .. "\n"
end

-- index_text([lang]) -> text: how to ask for help, and every topic.
function M.index_text(lang)
   lang = lang or i18n.lang()
   local out = { i18n.t("help.index", nil, lang) }
   local groups = { { "cv.", {} }, { "Table", {} }, { "", {} } }
   for _, n in ipairs(order) do
      local g = (n:sub(1, 3) == "cv." and 1) or ((n == "Table" or n == "Column" or n:find(":", 1, true)) and 2) or 3
      local list = groups[g][2]
      list[#list + 1] = n
   end
   local titles = { "help.group_cv", "help.group_table", "help.group_models" }
   for i, g in ipairs(groups) do
      out[#out + 1] = i18n.t(titles[i], nil, lang)
      local line = " "
      for _, n in ipairs(g[2]) do
         if #line + #n + 1 > 88 then
            out[#out + 1] = line
            line = " "
         end
         line = line .. " " .. n
      end
      out[#out + 1] = line
   end
   return table.concat(out, "\n") .. "\n"
end

-- help([x]): prints the help on x (a function, a value or a topic name), or the index.
function M.help(x)
   if x == nil then
      engine.write(M.index_text())
      return
   end
   local name = M.resolve(x)
   if not name then
      engine.write(i18n.t("help.unknown", { topic = tostring(x) }), "\n")
      return
   end
   engine.write(M.text(name))
end

-- markdown([lang]) -> text: every topic as a Markdown reference (docs/topics.md).
function M.markdown(lang)
   lang = lang or i18n.lang()
   local out = { i18n.t("help.md_title", nil, lang), "", i18n.t("help.md_intro", nil, lang), "" }
   for _, n in ipairs(order) do
      out[#out + 1] = "## " .. n
      out[#out + 1] = ""
      out[#out + 1] = "```"
      out[#out + 1] = M.text(n, lang, true):gsub("\n$", "")
      out[#out + 1] = "```"
      out[#out + 1] = ""
   end
   return table.concat(out, "\n")
end

-- cli(argv) -> status: `cvkit help [--lang LANG] TOPIC`, `cvkit help topics`,
-- `cvkit help --markdown` (argv[0] is "help").
function M.cli(argv)
   local want, md
   local i = 1
   while i <= #argv do
      local a = argv[i]
      local is_lang, j, err = i18n.lang_arg(argv, i)
      if err then
         engine.warn("cvkit: ", err)
         return 2
      elseif is_lang then
         i = j
      elseif a == "--markdown" then
         md = true
      else
         want = a
      end
      i = i + 1
   end
   if md then
      engine.write(M.markdown())
      return 0
   end
   if not want or want == "topics" then
      engine.write(M.index_text())
      return 0
   end
   local name = M.resolve(want)
   if not name then
      engine.warn("cvkit: ", i18n.t("help.unknown_cli", { topic = want }))
      return 2
   end
   engine.write(M.text(name))
   return 0
end

return M
