-- The table the coverage scripts print (tests/bench/interval_coverage_cov.lua,
-- interval_coverage_bgbb.lua): loaded with dofile from the script's folder, returns
-- print_table(names, values, hits, est, done, total): each quantity's truth, hits, coverage,
-- the mean and standard deviation of its estimates and its mean standard error (est[k] =
-- {sum, sum of squares, sum of standard errors} over the done fits), then the total's row.
return function(names, values, hits, est, done, total)
   print("| quantity | truth | hits | repetitions | coverage | mean estimate | sd | mean se |")
   print("|---|---|---|---|---|---|---|---|")
   for i, k in ipairs(names or {}) do
      local e = est[k]
      local mean = e[1] / done
      print(string.format("| %s | %g | %d | %d | %.3f | %.4g | %.4g | %.4g |", k, values[i],
         hits[k], done, hits[k] / done, mean, math.sqrt(math.max(0, e[2] / done - mean ^ 2)
         * done / math.max(1, done - 1)), e[3] / done))
   end
   print(string.format("| total %s | %d | %d | %.3f |", total, hits.total, done,
      hits.total / done))
end
