#!/bin/sh
# End-to-end tests of `cvkit explain`: output lines in English and Chinese, the list,
# exit codes and messages for missing, bad and out-of-domain inputs.
CVKIT=${CVKIT:-build/cvkit}
passed=0
failed=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

ok() { passed=$((passed + 1)); echo "ok    $1"; }
bad() { failed=$((failed + 1)); echo "FAIL  $1"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; }

# check NAME WANT_STATUS WANT_LINE FILE ARGS...: runs cvkit ARGS, expects the exit status
# and the exact line WANT_LINE in FILE (out or err)
check() {
    name=$1 status=$2 line=$3 where=$4
    shift 4
    "$CVKIT" "$@" >"$out" 2>"$err"
    rc=$?
    if [ "$where" = out ]; then f=$out; else f=$err; fi
    if [ $rc -eq "$status" ] && grep -qxF -- "$line" "$f"; then ok "$name"; else
        echo "(exit $rc, wanted $status; wanted line: $line)"; bad "$name"; fi
}

check "simple clv line" 0 "  CLV = 100.00 × 4 × 5 = 2,000.00" out \
    explain clv.simple avg_purchase=100 frequency=4 lifetime=5
check "title line" 0 "clv.simple: simple customer lifetime value" out \
    explain clv.simple avg_purchase=100 frequency=4 lifetime=5
check "chinese with --lang zh" 0 "  客户终身价值 = 100.00 × 4 × 5 = 2,000.00" out \
    explain --lang zh clv.simple avg_purchase=100 frequency=4 lifetime=5
CVKIT_LANG=zh "$CVKIT" explain clv.simple avg_purchase=100 frequency=4 lifetime=5 >"$out" 2>"$err"
if grep -qxF "  客户终身价值 = 平均购买额 × 购买频率 × 客户生命周期" "$out"; then
    ok "chinese with CVKIT_LANG=zh"; else bad "chinese with CVKIT_LANG=zh"; fi
check "option after the inputs" 0 "  CLV = 100.00 × 4 × 5 = 2,000.00" out \
    explain clv.simple avg_purchase=100 frequency=4 lifetime=5 --lang en
check "retention cost per customer" 0 \
    "  retention cost per customer = 20,000.00 ÷ 400 = 50.00" out \
    explain cost.retention_per_customer retention_spend=20000 customers_retained=400
check "customer profitability" 0 "  customer profit = 3,000.00 − 500.00 − 200.00 = 2,300.00" out \
    explain profit.customer lifetime_revenue=3000 acquisition_cost=500 retention_cost=200
check "npv at period ends" 0 \
    "  lifecycle profit = 100.00 ÷ 1.1^1 + 100.00 ÷ 1.1^2 + 100.00 ÷ 1.1^3 = 248.69" out \
    explain profit.lifecycle_npv discount=0.1 period=year profits=100,100,100
check "retention effect" 0 "  change in CLV = (340.00 − 266.67) ÷ 266.67 = 27.5%" out \
    explain retention.effect margin=100 discount=0.10 period=year retention=0.80 new_retention=0.85
check "list" 0 "  clv.retention_finite_now     retention-based CLV over a finite number of periods, first margin counted now" out \
    explain --list
check "list in chinese" 0 "  cost.switching               转换成本（时间和精力、经济、情感三类）" out \
    explain --list --lang zh
check "inputs of a formula" 0 "  new_customers      new paying customers: a number > 0" out \
    explain cost.cac
check "missing input" 2 \
    "cvkit: clv.simple: missing input 'frequency' (purchase frequency: a number >= 0)" err \
    explain clv.simple avg_purchase=100 lifetime=5
check "non-numeric input" 2 \
    "cvkit: clv.simple: input 'lifetime' expects a number >= 0, got 'five'" err \
    explain clv.simple avg_purchase=100 frequency=4 lifetime=five
check "missing input in chinese" 2 \
    "cvkit: clv.simple：缺少输入 'frequency'（购买频率：一个 >= 0 的数）" err \
    explain --lang zh clv.simple avg_purchase=100 lifetime=5
check "unknown formula" 2 "cvkit: unknown formula 'clv.nope' (cvkit explain --list shows them)" err \
    explain clv.nope x=1
check "unknown input" 2 \
    "cvkit: cost.cac: unknown input 'spend' (inputs: acquisition_spend, new_customers)" err \
    explain cost.cac spend=1 new_customers=2
check "zero customers retained" 7 "cvkit: customers_retained must be > 0, got 0" err \
    explain cost.retention_per_customer retention_spend=20000 customers_retained=0
check "retention not below 1 + discount" 7 \
    "cvkit: retention must be < 1 + the discount rate per period for the sum to converge, got retention 1 and 0 a year" err \
    explain clv.retention margin=100 retention=1 discount=0 period=year
check "monthly retention at 1% a month (1.01^12 - 1 a year)" 0 \
    "  CLV = 100.00 × 90% ÷ (1 + 1% − 90%) = 818.18" out \
    explain clv.retention margin=100 retention=0.9 discount=0.12682503013197 period=month
check "the rate per month shown" 0 \
    "  discount rate per period = (1 + 12.68%)^(1 ÷ 12) − 1 = 1%" out \
    explain clv.retention margin=100 retention=0.9 discount=0.12682503013197 period=month
check "the rate per month shown in chinese" 0 \
    "  每期折现率 = (1 + 12.68%)^(1 ÷ 12) − 1 = 1%" out \
    explain --lang zh clv.retention margin=100 retention=0.9 discount=0.12682503013197 period=month
check "period missing" 2 \
    "cvkit: clv.retention: missing input 'period' (the period of the margins, retention and profits: a time unit: day, week, month or year)" err \
    explain clv.retention margin=100 retention=0.9 discount=0.1
check "period misspelt" 2 \
    "cvkit: clv.retention: input 'period' expects a time unit: day, week, month or year, got 'mnth' (did you mean 'month'?)" err \
    explain clv.retention margin=100 retention=0.9 discount=0.1 period=mnth
check "negative count" 7 "cvkit: new_customers must be > 0, got -5" err \
    explain cost.cac acquisition_spend=100 new_customers=-5
check "no formula" 2 "cvkit: usage: cvkit explain [--lang en|zh] NAME key=value ... | cvkit explain --list" err \
    explain
check "unknown language" 2 "cvkit: unknown language 'fr' (languages: en, zh)" err \
    explain --lang fr --list

# nothing but the explanation on stdout, nothing on stderr
"$CVKIT" explain cost.cac acquisition_spend=50000 new_customers=250 >"$out" 2>"$err"
if [ $? -eq 0 ] && [ ! -s "$err" ] && [ "$(wc -l <"$out")" -eq 3 ]; then ok "clean output";
else bad "clean output"; fi

echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
