-- examples/make_data.lua: writes examples/data/transactions.csv, a made-up transaction
-- log of 2,000 customers over 2024 (customer_id, date, amount, channel).
--   cvkit run examples/make_data.lua [OUT.csv]     (plain lua5.4 works too)
-- Deterministic on every machine: its own 64-bit LCG (Knuth's MMIX constants; Lua 5.4
-- integers wrap around) and integer arithmetic only, so no libm rounding is involved.

local here = (arg and arg[0] and arg[0]:match("^(.*)/")) or "."
local out_path = (arg and arg[1]) or (here .. "/data/transactions.csv")

local state = 20240101
-- next_int(n) -> an integer in [0, n): the top 31 bits of the LCG state, reduced.
local function next_int(n)
   state = state * 6364136223846793005 + 1442695040888963407
   return (state >> 33) % n
end

-- Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
local function days_from_civil(y, m, d)
   y = m <= 2 and y - 1 or y
   local era = y // 400
   local yoe = y - era * 400
   local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
   local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
   return era * 146097 + doe - 719468
end
local function civil(z)
   z = z + 719468
   local era = z // 146097
   local doe = z - era * 146097
   local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
   local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
   local mp = (5 * doy + 2) // 153
   local d = doy - (153 * mp + 2) // 5 + 1
   local m = mp < 10 and mp + 3 or mp - 9
   return string.format("%04d-%02d-%02d", yoe + era * 400 + (m <= 2 and 1 or 0), m, d)
end

local first_day, last_day = days_from_civil(2024, 1, 1), days_from_civil(2024, 12, 31)
local channels = { "web", "app", "门店", "微信" }   -- web, app, store, WeChat
local rows = {}

for c = 1, 2000 do
   local id = string.format("C%04d", c)
   local home = channels[1 + next_int(4)]                 -- the customer's usual channel
   local price = 1500 + next_int(6000)                    -- typical order, in cents
   local gap = 20 + next_int(70)                          -- typical days between orders
   local stay = 82 + next_int(40)                         -- % chance to buy again
   local day = first_day + next_int(300)
   repeat
      local channel = next_int(100) < 80 and home or channels[1 + next_int(4)]
      local cents = price // 2 + next_int(price)          -- 50% to 150% of the typical
      rows[#rows + 1] = { day, id, cents, channel }
      day = day + 1 + next_int(gap) + next_int(gap)       -- a triangular gap around `gap`
   until day > last_day or next_int(100) >= stay
end

table.sort(rows, function(a, b)
   if a[1] ~= b[1] then return a[1] < b[1] end
   return a[2] < b[2] or (a[2] == b[2] and a[3] < b[3])
end)

local f = assert(io.open(out_path, "w"))
f:write("customer_id,date,amount,channel\n")
for _, r in ipairs(rows) do
   f:write(string.format("%s,%s,%d.%02d,%s\n", r[2], civil(r[1]), r[3] // 100, r[3] % 100, r[4]))
end
assert(f:close())
print(string.format("%s: %d rows", out_path, #rows))
