#!/bin/sh
# Fit and prediction speed against the previous release, built from the same tree in the same
# run (issue 18, target 3): `make bench` runs it as the case "speed" (or alone:
# `make bench CASES=speed`).
#   BASE=<git rev>  the previous release (default below: the commit before the speed work);
#                   BASE=none skips the comparison
#   REPEAT=N        runs of each binary, alternating base and current (default 3); the best
#                   run of each stage is compared
# The base tree is checked out with `git worktree add` into $BUILD/base/src and its core
# library built there; today's tests/bench/bench_models.c is compiled against it (the same
# program, the previous library; the base's own bench_models when today's does not compile
# there). Prints a Markdown table: per stage the best wall and CPU seconds of each binary,
# the ratios base/current, the issue's target and whether the CPU ratio meets it, and
# whether the fitted parameters agree to 1e-9 relative with those of a reference ("met" is
# judged on the CPU ratio: on a shared machine wall times move with the load).
#   REF=<git rev>   the reference of that identity check (default below: the first commit
#                   whose fits end with the Newton step, cv_optim_newton_polish, so that its
#                   end point is the optimum's to about 1e-12; the base's BFGS end is only
#                   good to about 1e-7, so "same to 1e-9" against the base says nothing);
#                   run once, its parameters only. REF=none skips it (no identity column).
# Both builds are kept in $BUILD/base and $BUILD/ref (worktree and objects; rebuilt only
# when the commit or today's bench_models.c changes). Every run's lines: $BUILD/base/speed.log.
set -u
BUILD=${BUILD:-build}
BASE=${BASE:-ac47e0a}
REF=${REF:-bcf5d91}
REPEAT=${REPEAT:-3}
DATA=${DATA:-$BUILD/bench/tx10m.csv}
# the current program must be today's: run alone, nothing rebuilds it (make bench does)
if [ ! -x "$BUILD/bench/bench_models" ] || [ "$BUILD/bench/bench_models" -ot "$BUILD/libcvcore.a" ] ||
    [ "$BUILD/bench/bench_models" -ot tests/bench/bench_models.c ]; then
    echo "speed: $BUILD/bench/bench_models is missing or older than the library: run" \
        "'make bench CASES=speed' (or 'make $BUILD/bench/bench_models' first)" >&2
    exit 1
fi
PHASES="bgnbd pnbd gg predict"
[ "$BASE" = none ] && exit 0
# build_at REV DIR: today's bench_models.c built against the core library of REV, checked
# out in DIR/src (kept between runs: make rebuilds only what changed), as DIR/bench_models
build_at() {
    brev=$1 bdir=$2
    bsrc=$bdir/src
    mkdir -p "$bdir"
    if [ ! -d "$bsrc" ] || [ "$(git -C "$bsrc" rev-parse HEAD 2>/dev/null)" != "$brev" ]; then
        [ -d "$bsrc" ] && { git worktree remove --force "$bsrc" 2>/dev/null || rm -rf "$bsrc"; }
        git worktree prune
        git worktree add -q --detach "$bsrc" "$brev" || return 1
    fi
    echo "speed: building $(git log -1 --format='%h %s' "$brev" | cut -c1-80)" >&2
    # copied only when changed, so that an unchanged program is not compiled again
    cmp -s tests/bench/bench_models.c "$bsrc/tests/bench/bench_now.c" ||
        cp tests/bench/bench_models.c "$bsrc/tests/bench/bench_now.c"
    if make -s -C "$bsrc" -j2 build/bench/bench_now >/dev/null 2>"$bdir/build.log"; then
        cp "$bsrc/build/bench/bench_now" "$bdir/bench_models"
    elif make -s -C "$bsrc" -j2 build/bench/bench_models >/dev/null 2>>"$bdir/build.log"; then
        echo "speed: today's bench_models.c does not build against $brev; using its own" >&2
        cp "$bsrc/build/bench/bench_models" "$bdir/bench_models"
    else
        echo "speed: $brev does not build (see $bdir/build.log)" >&2
        return 1
    fi
}
rev=$(git rev-parse --verify -q "$BASE^{commit}") || {
    echo "speed: BASE=$BASE is no commit of this repository" >&2
    exit 1
}
refrev=""
if [ "$REF" != none ]; then
    refrev=$(git rev-parse --verify -q "$REF^{commit}") || {
        echo "speed: REF=$REF is no commit of this repository" >&2
        exit 1
    }
fi
dir=$BUILD/base
build_at "$rev" "$dir" || exit 1
[ -n "$refrev" ] && { build_at "$refrev" "$BUILD/ref" || exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
load0=$(cut -d' ' -f1-3 /proc/loadavg)
# the reference once, for its parameters (its times are not compared)
if [ -n "$refrev" ]; then
    "$BUILD/ref/bench_models" "$DATA" bgnbd pnbd gg | sed "s/^/ref /" >>"$out" || {
        echo "speed: $BUILD/ref/bench_models failed" >&2
        exit 1
    }
fi
i=0
while [ $i -lt "$REPEAT" ]; do
    for who in base now; do
        bin=$BUILD/bench/bench_models
        [ $who = base ] && bin=$dir/bench_models
        "$bin" "$DATA" $PHASES | sed "s/^/$who /" >>"$out" || {
            echo "speed: $bin failed" >&2
            exit 1
        }
    done
    i=$((i + 1))
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
cp "$out" "$dir/speed.log" # every run's lines, base and current, for a closer look
echo "Speed against the base $(git rev-parse --short "$rev") ($REPEAT runs each, alternating;"
[ -n "$refrev" ] && echo "parameters compared with those of $(git rev-parse --short "$refrev");"
echo "best run per stage, \"met\" by the CPU ratio; load average $load0 before, $load1 after; $(nproc) cores):"
echo
awk -v ref="$( [ -n "$refrev" ] && git rev-parse --short "$refrev")" '
function num(s, key,   v) { v = s; sub(".*" key "=", "", v); sub(/ .*/, "", v); return v + 0 }
{
    who = $1; st = $2; w = $3 + 0; c = num($0, "cpu")
    if (!((who, st) in W) || w < W[who, st]) W[who, st] = w
    if (!((who, st) in C) || c < C[who, st]) C[who, st] = c
    if (index($0, "params=")) { p = $0; sub(/.*params=/, "", p); sub(/ .*/, "", p); P[who, st] = p }
}
END {
    split("bgnbd pnbd gg predict", order, " ")
    title["bgnbd"] = "BG/NBD fit"; title["pnbd"] = "Pareto/NBD fit"
    title["gg"] = "Gamma-Gamma fit"; title["predict"] = "P(alive) + E[Y(52)] + CLV 52 weeks"
    target["bgnbd"] = 4; target["pnbd"] = 3; target["gg"] = 5; target["predict"] = 3
    printf "| stage | base wall (s) | wall (s) | x wall | base CPU (s) | CPU (s) | x CPU "
    print "| target | met | same parameters as " (ref != "" ? ref : "-") " (1e-9) |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    for (o = 1; o <= 4; o++) {
        k = order[o]
        if (!(("base", k) in W) || !(("now", k) in W)) continue
        xw = W["base", k] / (W["now", k] > 0 ? W["now", k] : 1e-3)
        xc = C["base", k] / (C["now", k] > 0 ? C["now", k] : 1e-3)
        same = "-"
        if (("ref", k) in P) {
            n = split(P["ref", k], a, ","); split(P["now", k], b, ",")
            same = "yes"; worst = 0
            for (j = 1; j <= n; j++) {
                d = a[j] - b[j]; if (d < 0) d = -d
                s = a[j] < 0 ? -a[j] : a[j]
                if (s > 0 && d / s > worst) worst = d / s
                if (d > 1e-9 * s) same = "NO (" P["ref", k] " / " P["now", k] ")"
            }
            if (same == "yes") same = sprintf("yes (%.0e)", worst)
        }
        printf "| %s | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f | %g | %s | %s |\n", title[k],
            W["base", k], W["now", k], xw, C["base", k], C["now", k], xc, target[k],
            (xc >= target[k] ? "yes" : "no"), same
    }
}' "$out"
