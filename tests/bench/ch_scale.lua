-- The case ch_scale of tests/bench/run.sh, run by cvkit: N synthetic customers generated
-- inside the two-shard ClickHouse cluster of tests/ch/start.sh, then the whole job done two
-- ways and measured by run.sh (time, peak memory of cvkit):
--   cvkit run tests/bench/ch_scale.lua gen URL1 URL2 N SEED   (re)generates bench_tx (kept)
--   cvkit run tests/bench/ch_scale.lua engine URL             cv.score_sql: summary, collapse,
--                          fit (BG/NBD and Gamma-Gamma), scores written back, a view for all
--   cvkit run tests/bench/ch_scale.lua pull URL               cv.summary_sql: every customer's
--                          summary pulled into cvkit, then the same fits in cvkit
-- URL1 and URL2 are the two shards (each generates its own customers, in its own MergeTree
-- table bench_tx_local; bench_tx is the Distributed table over them, sharded by customer).
-- Each mode prints one line "key=value ..." (customers, rows, bytes received and sent, the
-- fitted r, alpha, a, b) that run.sh reads.
--
-- The story (BG/NBD, with CDNOW's fitted weekly parameters r = 0.243, alpha = 4.414,
-- a = 0.793, b = 2.426): customer i's first purchase on a day f uniform in 2020; lambda ~
-- Gamma(r, alpha), p ~ Beta(a, b); repeat purchases at the arrivals of a Poisson process of
-- rate lambda per week up to the calibration end 2021-12-31, the customer dropping out after
-- each with probability p; each purchase's amount m_i x (0.5 + U), m_i = 20 exp(0.6 Z) (a
-- plain spend story, not Gamma-Gamma's). Every draw is a uniform from cityHash64(seed,
-- customer, k) (its top 53 bits), so a seed gives the same data on any machine and any
-- number of shards; normals by Box-Muller, gammas by Marsaglia-Tsang (three tries, shape
-- below 1 through U^(1/shape)), betas as X / (X + Y).
local mode = ...
local args = { select(2, ...) }

local R, ALPHA, A, B = 0.243, 4.414, 0.793, 2.426
local START, CAL = "2020-01-01", "2021-12-31"
local OPTS = { table = "bench_tx", customer = "customer", date = "date", amount = "amount",
               unit = "week", calibration_end = CAL, quiet = true }

local SEED = 1 -- set by gen_sql (a literal in the SQL: ClickHouse 18's lambdas do not see a
               -- constant column of a subquery)
-- u(k): the k-th uniform of the row's customer, in (0, 1)
local function u(k)
   return string.format("((intDiv(cityHash64(toUInt64(%d), customer, %s), 2048) + 0.5) / " ..
                        "9007199254740992)", SEED, k)
end
-- normal(k): a standard normal from uniforms k, k + 1
local function normal(k)
   return string.format("(sqrt(-2 * ln(%s)) * cos(2 * pi() * %s))", u(k), u(k + 1))
end
-- gamma(shape, k): a Gamma(shape, 1) draw from uniforms k .. k + 9
local function gamma(shape, k)
   if shape < 1 then
      return string.format("(%s * pow(%s, %.17g))", gamma(shape + 1, k), u(k + 9), 1 / shape)
   end
   local d = shape - 1 / 3
   local c = 1 / math.sqrt(9 * d)
   local expr = string.format("%.17g", d) -- after three rejections (p < 1e-4): the mode
   for j = 2, 0, -1 do
      local z = normal(k + 3 * j)
      local v = string.format("pow(1 + %.17g * %s, 3)", c, z)
      expr = string.format("if(%s > 0 AND ln(%s) < 0.5 * %s * %s + %.17g - %.17g * %s + %.17g * ln(%s), %.17g * %s, %s)",
         v, u(k + 3 * j + 2), z, z, d, d, v, d, v, d, v, expr)
   end
   return "(" .. expr .. ")"
end

-- The generation statement of one shard: customers shard, shard + shards, ... below n.
local function gen_sql(n, seed, shard, shards)
   SEED = seed
   local days = string.format("(toInt32(toDate('%s')) - toInt32(toDate('%s')))", CAL, START)
   return string.format([[
INSERT INTO bench_tx_local (customer, date, amount)
SELECT customer, toDate(toInt32(toDate('%s')) + f + toInt32(floor(t * 7))) AS date,
  round(m * (0.5 + arrayElement(us, j)), 2) AS amount
FROM (
  SELECT customer, f, m, ts, arrayMap(i -> %s, arrayEnumerate(ts)) AS us
  FROM (
    SELECT customer, f, m, lam, Tw,
      arrayConcat([0.], arrayFilter(x -> x <= Tw, arrayCumSum(arrayMap(i -> -ln(%s) / lam,
        range(toUInt32(least(least(D, ceil(lam * Tw + 4 * sqrt(lam * Tw) + 4)), 500))))))) AS ts
    FROM (
      SELECT customer, toInt32(floor(%s * 366)) AS f, (%s - f) / 7 AS Tw,
        %s / %.17g AS lam, %s AS ga, %s AS gb, ga / (ga + gb) AS p,
        1 + floor(ln(%s) / ln(1 - p)) AS D, 20 * exp(0.6 * %s) AS m
      FROM (SELECT number * %d + %d AS customer FROM numbers(%d))
    )
  )
)
ARRAY JOIN ts AS t, arrayEnumerate(ts) AS j]],
      START, u("1000 + i"), u("100 + i"), u(1), days, gamma(R, 10), ALPHA, gamma(A, 30),
      gamma(B, 50), u(2), normal(3), shards, shard, (n - shard + shards - 1) // shards)
end

-- now(): seconds since boot (/proc/uptime, 10 ms steps): the phases' wall time
local function now()
   local f = assert(io.open("/proc/uptime"))
   local v = f:read("n")
   f:close()
   return v
end

local function line(t)
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys)
   local out = {}
   for _, k in ipairs(keys) do
      local v = t[k]
      out[#out + 1] = k .. "=" .. (math.type(v) == "float" and string.format("%.6g", v) or tostring(v))
   end
   print(table.concat(out, " "))
end

-- distributed(db): (re)creates the Distributed table bench_tx over db's bench_tx_local, its
-- database named as a literal: ClickHouse 18 keeps currentDatabase() unevaluated in the
-- table's definition and, after a restart, evaluates it in the server's default database,
-- where bench_tx_local is not (so kept data could not be read again)
local function distributed(db)
   local name = db:read("SELECT currentDatabase() AS d"):row(1).d
   db:exec("DROP TABLE IF EXISTS bench_tx")
   db:exec("CREATE TABLE bench_tx AS bench_tx_local ENGINE = Distributed(cvkit_two, `" ..
           name:gsub("`", "") .. "`, bench_tx_local, customer)")
end

if mode == "gen" then
   local url1, url2, n, seed = args[1], args[2], math.tointeger(tonumber(args[3])),
      math.tointeger(tonumber(args[4]))
   local shards = { cv.connect(url1), cv.connect(url2) }
   local have = cv.try(function()
      return shards[1]:read("SELECT n, seed FROM bench_meta"):row(1)
   end)
   if have and have.n == n and have.seed == seed then
      for _, db in ipairs(shards) do distributed(db) end
      local c = shards[1]:read("SELECT count() AS rows FROM bench_tx"):row(1)
      line{ generated = 0, customers = n, transactions = c.rows }
      return
   end
   local t0 = os.time()
   for k, db in ipairs(shards) do
      db:exec("DROP TABLE IF EXISTS bench_meta")
      db:exec("DROP TABLE IF EXISTS bench_tx")
      db:exec("DROP TABLE IF EXISTS bench_tx_local")
      db:exec("CREATE TABLE bench_tx_local (customer UInt64, date Date, amount Float64) " ..
              "ENGINE = MergeTree() ORDER BY (customer, date)")
      distributed(db)
      db:exec(gen_sql(n, seed, k - 1, #shards))
   end
   shards[1]:exec("CREATE TABLE bench_meta (n UInt64, seed UInt64) ENGINE = TinyLog")
   shards[1]:exec("INSERT INTO bench_meta VALUES ($1, $2)", { n, seed })
   local c = shards[1]:read("SELECT count() AS rows, uniqExact(customer) AS customers " ..
                            "FROM bench_tx"):row(1)
   local disk = 0
   for _, db in ipairs(shards) do
      disk = disk + db:read("SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE active " ..
                            "AND database = currentDatabase() AND table = 'bench_tx_local'"):row(1).b
   end
   line{ generated = 1, customers = c.customers, transactions = c.rows, disk_bytes = disk,
         seconds = os.time() - t0 }
elseif mode == "engine" then
   local db <close> = cv.connect(args[1])
   pcall(db.exec, db, "DROP TABLE IF EXISTS bench_scores")
   pcall(db.exec, db, "DROP TABLE IF EXISTS bench_scores_rows")
   local o = { into = "bench_scores", margin_rate = 0.3 }
   for k, v in pairs(OPTS) do o[k] = v end
   local rx0, tx0 = db:traffic()
   local t0 = now()
   local sc = cv.score_sql(db, o)
   local t1 = now()
   -- the scores attached to every customer, computed by the engine through the view
   local all = db:read("SELECT count() AS n, sum(clv) AS clv FROM bench_scores"):row(1)
   local rx1, tx1 = db:traffic()
   local p = sc.model.params
   line{ customers = sc.customers, rows = sc.rows, received = rx1 - rx0, sent = tx1 - tx0,
         scored = all.n, clv = all.clv, r = p.r, alpha = p.alpha, a = p.a, b = p.b,
         job_s = t1 - t0, view_s = now() - t1, cpu_s = os.clock() }
elseif mode == "pull" then
   local db <close> = cv.connect(args[1])
   local rx0, tx0 = db:traffic()
   local t0 = now()
   local s = db:summary(OPTS)
   local t1 = now()
   local rx1, tx1 = db:traffic()
   local m = cv.fit("bgnbd", s, { quiet = true })
   local gg = cv.fit("gamma_gamma", s, { quiet = true })
   local sc = m:conditional(m:clv(s, { spend = gg, margin = 0.3, horizon = 52,
                                       discount = 0.15 }), 52)
   local p = m.params
   line{ customers = #s, received = rx1 - rx0, sent = tx1 - tx0, r = p.r, alpha = p.alpha,
         a = p.a, b = p.b, scored = #sc, clv = sc:col("clv"):sum(), pull_s = t1 - t0, fit_s = now() - t1, cpu_s = os.clock() }
else
   error("unknown mode " .. tostring(mode))
end
