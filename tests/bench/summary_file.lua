-- Writes the bench file's summary CSV once for the peers case of run.sh (the file read by
-- fread and by cv_csv_read): weeks, calibration end 2022-12-31, observation end 2023-12-31,
-- as bench_summary.c. Usage: cvkit run tests/bench/summary_file.lua TX.csv OUT.csv
local tx, out = arg[1], arg[2]
local s = cv.summary_csv(tx, { customer = "customer_id", date = "date", amount = "amount",
   unit = "week", calibration_end = "2022-12-31", observation_end = "2023-12-31", quiet = true })
s:write(out)
print(string.format("wrote %s (%d customers)", out, #s))
