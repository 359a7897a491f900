-- models/kmeans_segments.lua: k-means clusters of customers on their standardized
-- recency (days since the last purchase), frequency (orders) and monetary value
-- (revenue), k-means++ starts with a fixed seed, several restarts; each cluster described
-- by its means in the original units so that it can be named; optionally the
-- within-cluster sum of squares for k = 1..max_k to choose k.
-- Run: cvkit run models/kmeans_segments.lua --data tx.csv --set k=4
local script = require "cv.script"
local seg = require "cv.segment"

local M = { name = "kmeans_segments", describe = "k-means clusters of customers on standardized recency, frequency, monetary" }

M.params = script.transaction_params {
   k = { "number of clusters", 4 },
   columns = { "summary columns to cluster on, comma separated", "days_since_last,orders,revenue" },
   seed = { "random seed", 1 },
   max_k = { "also the within-cluster SS for k = 1..max_k (0: skip)", 0 },
   calibration_end = { "the date the summary is taken at (YYYY-MM-DD; default the last purchase)", "" },
}
M.params.min_years = nil

function M.run(ctx, p)
   local cv = ctx.cv
   local _, s = seg.read(p)
   local cols = {}
   for c in p.columns:gmatch("[^,]+") do cols[#cols + 1] = c end
   local t, info = cv.kmeans(s, cols, { k = p.k, seed = p.seed })
   local keep = { "customer" }
   for _, c in ipairs(cols) do keep[#keep + 1] = c end
   keep[#keep + 1] = "cluster"
   ctx.write(t:select(keep), p)

   local f = function(x, d) return cv.format(x, "number", d or 1) end -- 2,146.7
   local i18n = require "cv.i18n"
   local names = {} -- the columns under the labels the table below gives them
   for i, c in ipairs(cols) do
      names[i] = i18n.has("segment.col." .. c) and i18n.t("segment.col." .. c) or c
   end
   ctx.say("segment.say.kmeans", { k = p.k, columns = table.concat(names, i18n.t("clv.comma")),
      restarts = 5, wss = f(info.wss), tss = f(info.tss),
      explained = f(100 * (1 - info.wss / info.tss)),
      silhouette = info.silhouette and f(info.silhouette, 3) or "–" })
   ctx.show(info.description, { customers = "count", share = "share", revenue = "money",
      days_since_last = { "number", 1 }, orders = { "number", 2 } }, "segment.col.")
   if p.max_k > 0 then
      local ks = {}
      for k = 1, p.max_k do ks[k] = k end
      ctx.say("segment.say.wss")
      ctx.show(cv.kmeans_wss(s, cols, { ks = ks, seed = p.seed }), { k = "count",
         explained = "share", silhouette = { "number", 3 } }, "segment.col.")
   end
end

return script.main(M, ...)
