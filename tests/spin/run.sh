#!/usr/bin/env bash
# SPIN and weft on the same programs: each tests/spin/*.pml is verified with SPIN (`spin -a`, then
# `gcc -O2 -DSAFETY`, then `./pan`), with and without partial-order reduction, and the weft model
# named on its `weft:` header line is checked with the release `weft` binary. Prints a markdown
# table: result, states stored and search time for each, and the time SPIN takes to generate and
# compile its verifier (docs/performance.md records one).
#
# Usage: tests/spin/run.sh [MODEL.pml ...]      (default: every tests/spin/*.pml)
# Environment: WEFT_TIME_LIMIT (default 120s) and WEFT_STORE (default fingerprint) for weft;
#              PAN_FLAGS (default "-m1000000 -w24") for pan.
#
# SPIN is installed with `apt-get install -y spin` when it is missing, which needs root (or sudo).
# Not part of CI: it takes minutes, most of them weft's time-limited run on ticket4x4.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
weft_time_limit="${WEFT_TIME_LIMIT:-120s}"
weft_store="${WEFT_STORE:-fingerprint}"
pan_flags="${PAN_FLAGS:--m1000000 -w24}"

install_spin() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then
            sudo="sudo"
        else
            echo "run.sh: SPIN is missing and installing it needs root: apt-get install -y spin" >&2
            exit 2
        fi
    fi
    echo "run.sh: installing SPIN (apt-get install -y spin)" >&2
    $sudo apt-get update -qq >&2
    $sudo apt-get install -y -qq spin >&2
}

command -v spin >/dev/null || install_spin
command -v gcc >/dev/null || { echo "run.sh: gcc is needed to compile SPIN's verifier" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run.sh: python3 is needed to read weft's JSON report" >&2; exit 2; }

echo "run.sh: building weft (cargo build --release -p weft-cli)" >&2
(cd "$root" && cargo build --release -q -p weft-cli >&2)
weft="$root/target/release/weft"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ "$#" -gt 0 ]; then
    models=("$@")
else
    models=("$here"/*.pml)
fi

# pan's verdict, states stored and search time: "RESULT|STATES|SECONDS".
run_pan() {
    local out="$1"
    local errors states secs result
    errors="$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$out" | head -n1)"
    states="$(sed -n 's/^ *\([0-9e+.]*\) states, stored.*/\1/p' "$out" | head -n1)"
    secs="$(sed -n 's/^pan: elapsed time \([0-9.e+-]*\) seconds.*/\1/p' "$out" | head -n1)"
    if [ -z "$errors" ] || [ -z "$states" ]; then
        result="pan failed"
    elif [ "$errors" = "0" ]; then
        result="safe"
    elif grep -q "assertion violated" "$out"; then
        result="assertion-failure"
    elif grep -q "invalid end state" "$out"; then
        result="deadlock"
    else
        result="error"
    fi
    echo "${result}|${states:-?}|${secs:-?}"
}

# Compile and run pan for one model with extra gcc flags; prints run_pan's line, then "|" and the
# seconds that `spin -a` and gcc took together.
spin_check() {
    local pml="$1" flags="$2" dir start compile
    dir="$work/$(basename "$pml" .pml)$(echo "$flags" | tr -d ' -')"
    mkdir -p "$dir"
    cp "$pml" "$dir/model.pml"
    start="$EPOCHREALTIME"
    (
        cd "$dir"
        spin -a model.pml >spin.out 2>&1 || { cat spin.out >&2; exit 1; }
        # shellcheck disable=SC2086 # flags are words
        gcc -O2 -DSAFETY $flags -o pan pan.c 2>gcc.out || { cat gcc.out >&2; exit 1; }
    )
    compile="$(python3 -c "print('%.2f' % ($EPOCHREALTIME - $start))")"
    # shellcheck disable=SC2086
    (cd "$dir" && ./pan $pan_flags >pan.out 2>&1) || true
    echo "$(run_pan "$dir/pan.out")|$compile"
}

# weft's verdict, states and search time: "RESULT|STATES|SECONDS".
weft_check() {
    local model="$1" json
    json="$work/weft-$(basename "$model" .weft).json"
    "$weft" check "$root/$model" --format json --store "$weft_store" \
        --time-limit "$weft_time_limit" --trace-dir "$work/traces" >"$json" 2>/dev/null || true
    python3 - "$json" <<'EOF'
import json, sys
try:
    report = json.load(open(sys.argv[1]))["models"][0]["report"]
except (ValueError, KeyError, IndexError, TypeError):
    print("weft failed|?|?")
    sys.exit(0)
verdict = report["verdict"]
if verdict == "violation":
    verdict = ", ".join(sorted({v["kind"] for v in report["violations"]}))
elif verdict == "incomplete":
    verdict = "incomplete (%s)" % (report.get("incomplete") or {}).get("limit", "limit")
secs = report["timing"]["elapsed_ms"] / 1000.0
print("%s|%d|%.3f" % (verdict, report["stats"]["states"], secs))
EOF
}

echo "| program | weft model | SPIN result | SPIN states | SPIN time | SPIN states, no POR | SPIN time, no POR | SPIN compile | weft result | weft states | weft time |"
echo "|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|"
for pml in "${models[@]}"; do
    name="$(basename "$pml" .pml)"
    model="$(sed -n 's/.*weft: \([^ ,]*\.weft\).*/\1/p' "$pml" | head -n1)"
    IFS='|' read -r s_res s_states s_secs s_compile <<<"$(spin_check "$pml" "")"
    IFS='|' read -r n_res n_states n_secs _ <<<"$(spin_check "$pml" "-DNOREDUCE")"
    if [ "$s_res" != "$n_res" ]; then
        s_res="$s_res (no POR: $n_res)"
    fi
    if [ -n "$model" ]; then
        IFS='|' read -r w_res w_states w_secs <<<"$(weft_check "$model")"
    else
        model="(none)"; w_res="-"; w_states="-"; w_secs="-"
    fi
    echo "| $name | $model | $s_res | $s_states | ${s_secs} s | $n_states | ${n_secs} s | ${s_compile} s | $w_res | $w_states | ${w_secs} s |"
done
