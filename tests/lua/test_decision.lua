-- cv.decision: relevant costs and the differential analysis of options, through the Lua face:
-- properties derived from amounts per option, the explain tables in English and Chinese,
-- ties, errors that name the item, the formula decision.keep_or_drop, and a published
-- textbook case: Wild, Shaw & Chiappetta, Fundamental Accounting Principles (McGraw-Hill),
-- chapter "Relevant Costing for Managerial Decisions", Quick Study QS 23-13 "Segment
-- elimination": sales 60,000, variable costs 20,000 (all avoidable), fixed costs 46,000 of
-- which 36,000 avoidable; the segment reports a loss of 6,000, and eliminating it decreases
-- income by 4,000, so it is kept. (An earlier edition of the same Quick Study: sales 64,500,
-- variable costs 21,500, fixed 49,500 of which 39,500 avoidable: a loss of 6,500, and
-- elimination decreases income by 3,500.)
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, eq, ok, near, raises = T.test, T.eq, T.ok, T.near, T.raises

test("QS 23-13 (Wild et al.): keep the segment, eliminating it costs 4,000", function()
   local c = cv.decision.compare { options = { "continue", "eliminate" },
      revenues = { { "sales", 60000, 0 } },
      costs = { { "variable costs", 20000, 0 }, { "avoidable fixed costs", 36000, 0 },
         { "unavoidable fixed costs", 10000, 10000 } } }
   eq(c.profit, { -6000.0, -10000.0 })       -- the reported loss, and the loss after elimination
   eq(c.best_name, "continue")
   eq(c.margin, 4000.0)
   eq(c.tie, false)
   eq(c.lines[4].differs, false)         -- the unavoidable fixed costs are not relevant
   eq(cv.decision.keep_or_drop { revenue = 60000, variable_costs = 20000, avoidable_fixed = 36000 },
      -4000.0)
   -- the earlier edition's numbers
   eq(cv.decision.keep_or_drop { revenue = 64500, variable_costs = 21500, avoidable_fixed = 39500 },
      -3500.0)
   local t = cv.decision.compare { options = { "continue", "eliminate" },
      revenues = { { "sales", 64500, 0 } },
      costs = { { "variable", 21500, 0 }, { "fixed", 49500, 10000 } } }
   eq({ t.profit[1], t.best_name, t.margin }, { -6500.0, "continue", 3500.0 })
end)

test("the terms of the course, relevant and irrelevant, from the properties", function()
   local relevant = { "opportunity", "out_of_pocket", "replacement", "differs", "marginal",
      "avoidable", "deferrable", "specific" }
   local irrelevant = { "sunk", "common", "joint", "unavoidable", "nondeferrable" }
   local items = {}
   for _, p in ipairs(relevant) do items[#items + 1] = { p, 10, [p] = true } end
   for _, p in ipairs(irrelevant) do items[#items + 1] = { p, 1, [p] = true } end
   local c = cv.decision.classify(items)
   for i, it in ipairs(c.items) do
      eq(it.relevant, i <= #relevant, it.name)
      eq(it.term, it.name == "differs" and "differential" or it.name)
   end
   eq({ c.nrelevant, c.relevant, c.nirrelevant, c.irrelevant }, { 8, 80.0, 5, 5.0 })
   local zh = {}
   for _, it in ipairs(c.items) do zh[#zh + 1] = i18n.t("decision.term." .. it.term, nil, "zh") end
   eq(zh, { "机会成本", "付现成本", "重置成本", "差量成本", "边际成本", "可避免成本", "可延缓成本",
      "专属成本", "沉没成本", "共同成本", "联合成本", "不可避免成本", "不可延缓成本" })
end)

test("amounts per option decide whether an item differs", function()
   local c = cv.decision.classify({
      { name = "fee", amounts = { 0, 500 } },                   -- differs: differential
      { name = "rent", amounts = { 800, 800 } },                -- the same: no difference
      { name = "licence", amounts = { 300, 300 }, sunk = true }, -- sunk names it
      { name = "wages", amounts = { 900, 0 }, avoidable = true },
   }, { options = { "a", "b" } })
   eq({ c.items[1].term, c.items[2].term, c.items[3].term, c.items[4].term },
      { "differential", "same", "sunk", "avoidable" })
   eq(c.items[1].amount, 500)                                  -- the amount at stake
   eq(c.by_option, { 900, 500 })                               -- relevant costs per option
   local text = c:text { lang = "en" }
   ok(text:find("relevant: 2 items; irrelevant: 2 items (the same under every option); "
      .. "relevant costs: a 900.00, b 500.00", 1, true), text)
   ok(text:find("  wages    900.00    0.00  relevant    avoidable cost     goes away when the activity "
      .. "or customer is given up", 1, true), text)
   local zh = c:text { lang = "zh" }
   ok(zh:find("  wages    900.00    0.00  相关  可避免成本  放弃该业务或客户后即可免除", 1, true), zh)
end)

test("ties: two equal options named, every option equal, a tolerance", function()
   local c = cv.decision.compare { options = { "a", "b", "c" },
      revenues = { { "revenue", 1000, 1200, 1100 } }, costs = { { "cost", 600, 800, 700 } } }
   eq({ c.tie, c.nbest, c.second, c.margin }, { true, 3, nil, 0.0 })
   ok(c:text { lang = "en" }:find("decision: a tie: every option gives the same profit 400.00; "
      .. "choose on other grounds", 1, true))
   c = cv.decision.compare { options = { "own team", "partner", "hybrid" },
      costs = { { "cost", 500, 450, 450.4 } }, tolerance = 1 }
   eq({ c.best_name, c.equal, c.margin }, { "partner", { "partner", "hybrid" }, 50.0 })
   ok(c:text { lang = "en" }:find("decision: a tie: partner and hybrid give the same profit "
      .. "-450.00, better than own team by 50.00; choose on other grounds", 1, true))
   ok(c:text { lang = "zh" }:find("决策：partner 与 hybrid 利润相同（-450.00），比 own team 多 50.00；"
      .. "须依据其他因素选择", 1, true))
   c = cv.decision.compare { options = { "own team", "partner" }, costs = { { "cost", 500, 450 } } }
   ok(c:text { lang = "zh" }:find("决策：partner（利润 -450.00），比 own team 多 50.00", 1, true))
end)

test("errors name the item, the option and the property", function()
   raises("cost item 'rent' is marked avoidable %(relevant%) and common %(irrelevant%)",
      cv.decision.classify, { { "rent", 10, avoidable = true, common = true } })
   raises("cost item 'w' is marked avoidable %(relevant%) and same %(irrelevant%)",
      cv.decision.classify, { { name = "w", amounts = { 5, 5 }, avoidable = true } })
   raises("cost item 'v' is marked differs %(relevant%) and sunk %(irrelevant%)",
      cv.decision.classify, { { name = "v", amounts = { 5, 6 }, sunk = true } })
   raises("cost item 'misc' has no property", cv.decision.classify, { { "misc", 10 } })
   raises("item 'x': unknown property 'avoidabel' %(did you mean 'avoidable'%?%)",
      cv.decision.classify, { { "x", 1, avoidabel = true } })
   raises("item 'y' has no amount", cv.decision.classify, { { "y", sunk = true } })
   raises("item 'z': amounts must be a list of 3 numbers", cv.decision.classify,
      { { name = "z", amounts = { 1, 2 } } }, { options = { "a", "b", "c" } })
   raises("a decision needs at least two options, got 1", cv.decision.compare,
      { options = { "a" }, costs = { { "c", 1 } } })
   raises("'c' has 1 amounts, one per option %(2%) expected", cv.decision.compare,
      { options = { "a", "b" }, costs = { { "c", 1 } } })
   raises("'c', option 2: amount must be finite, got inf", cv.decision.compare,
      { options = { "a", "b" }, costs = { { "c", 1, math.huge } } })
   raises("unknown option 'tolerence'", cv.decision.compare,
      { options = { "a", "b" }, tolerence = 1 })
   -- the core's message in Chinese
   eq(i18n.message("cost item 'rent' is marked avoidable (relevant) and common (irrelevant): "
      .. "split it into the part that changes with the decision and the part that does not", "zh"),
      "成本项目 'rent' 同时标为 avoidable（相关）和 common（无关）：请拆分为随决策变化的部分与不变的部分")
end)

test("the tables of the results", function()
   local c = cv.decision.compare { options = { "keep", "drop" }, revenues = { { "sales", 100, 0 } },
      costs = { { "costs", 70, 0 }, { "rent", 20, 20 } } }
   local t = c:table()
   eq(t:names(), { "line", "kind", "keep", "drop", "drop - keep" })
   eq(t:col("drop - keep"):totable(), { -100.0, 70.0, 0.0, n = 3 })
   local k = cv.decision.classify { { "rent", 20, common = true } }:table()
   eq(k:names(), { "item", "amount", "relevant", "term", "reason" })
   eq(k:row(1).term, "common")
end)

test("docs/glossary.md lists every term of the catalogue in both languages", function()
   local f = assert(io.open((os.getenv("TOP") or ".") .. "/docs/glossary.md"))
   local page = f:read("a")
   f:close()
   local n = 0
   for _, e in ipairs(i18n.entries()) do
      if e.key:match("^decision%.term%.") and e.key ~= "decision.term.same" then
         n = n + 1
         ok(page:find("| " .. e.en .. " | " .. e.zh .. " |", 1, true), e.en .. " / " .. e.zh)
      end
   end
   eq(n, 13)
end)

test("every message of src/core/decision.c has a core.* entry in the catalogue", function()
   local f = assert(io.open((os.getenv("TOP") or ".") .. "/src/core/decision.c"))
   local src = f:read("a")
   f:close()
   local known, n = {}, 0
   for _, e in ipairs(i18n.entries()) do
      if e.key:sub(1, 14) == "core.decision." then known[e.en] = true end
   end
   for call in src:gmatch("cv_error_set%s*(%b())") do
      local parts = {}
      for lit in call:gmatch('"(.-)"') do parts[#parts + 1] = lit end
      n = n + 1
      ok(known[table.concat(parts)], table.concat(parts))
   end
   eq(n, 7)
end)

T.report()
