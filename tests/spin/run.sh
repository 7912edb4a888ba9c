#!/usr/bin/env bash
# SPIN and weft on the same programs: each tests/spin/*.pml is verified with SPIN (`spin -a`, then
# `gcc -O2 -DSAFETY`, then `./pan`), with and without partial-order reduction, and the weft model
# models named on its `weft:` header line are checked with the release `weft` binary. Prints a
# markdown table: result, states stored and search time for each (the fastest of three runs), and
# the time SPIN takes to generate and compile its verifier (docs/performance.md records one).
#
# Usage: tests/spin/run.sh [--write] [MODEL.pml ...]      (default: every tests/spin/*.pml)
#        --write replaces the table in docs/performance.md (between its spin-table markers).
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

echo "run.sh: building weft (cargo build --release -p weft-checker-cli)" >&2
(cd "$root" && cargo build --release -q -p weft-checker-cli >&2)
weft="$root/target/release/weft"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

write=0
if [ "${1:-}" = "--write" ]; then
    write=1
    shift
fi
if [ "$write" = 1 ] && [ "$#" -gt 0 ]; then
    echo "run.sh: --write records the whole table: name no models" >&2
    exit 2
fi
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

# Compile and run pan for one model with extra gcc flags; prints run_pan's line for the fastest of
# three runs, then "|" and the seconds that `spin -a` and gcc took together.
spin_check() {
    local pml="$1" flags="$2" dir start compile best="" line
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
    for _ in 1 2 3; do
        # shellcheck disable=SC2086
        (cd "$dir" && ./pan $pan_flags >pan.out 2>&1) || true
        line="$(run_pan "$dir/pan.out")"
        if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if float('${line##*|}') < float('${best##*|}') else 1)" 2>/dev/null; then
            best="$line"
        fi
    done
    echo "$best|$compile"
}

# weft's verdict, states and search time (the fastest of three runs): "RESULT|STATES|SECONDS".
weft_check() {
    local model="$1" json
    for run in 1 2 3; do
        json="$work/weft-$(basename "$model" .weft)-$run.json"
        "$weft" check "$root/$model" --format json --store "$weft_store" \
            --time-limit "$weft_time_limit" --trace-dir "$work/traces" >"$json" 2>/dev/null || true
    done
    python3 - "$work/weft-$(basename "$model" .weft)" <<'EOF'
import json, sys
best = None
for run in (1, 2, 3):
    try:
        report = json.load(open("%s-%d.json" % (sys.argv[1], run)))["models"][0]["report"]
    except (ValueError, KeyError, IndexError, TypeError, OSError):
        continue
    verdict = report["verdict"]
    if verdict == "violation":
        verdict = ", ".join(sorted({v["kind"] for v in report["violations"]}))
    elif verdict == "incomplete":
        verdict = "incomplete (%s)" % (report.get("incomplete") or {}).get("limit", "limit")
    row = (report["timing"]["elapsed_ms"] / 1000.0, verdict, report["stats"]["states"])
    best = row if best is None or row < best else best
if best is None:
    print("weft failed|?|?")
else:
    print("%s|%d|%.3f" % (best[1], best[2], best[0]))
EOF
}

table() {
    echo "| program | weft model | SPIN result | SPIN states | SPIN time | SPIN states, no POR | SPIN time, no POR | SPIN compile | weft result | weft states | weft time |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|"
    for pml in "${models[@]}"; do
        name="$(basename "$pml" .pml)"
        # Every weft model named in the header comment gets a row of its own.
        read -r -a wefts <<<"$(sed -n '1,/\*\//p' "$pml" | grep -o '[A-Za-z0-9_./-]*\.weft' | tr '\n' ' ')"
        IFS='|' read -r s_res s_states s_secs s_compile <<<"$(spin_check "$pml" "")"
        IFS='|' read -r n_res n_states n_secs _ <<<"$(spin_check "$pml" "-DNOREDUCE")"
        if [ "$s_res" != "$n_res" ]; then
            s_res="$s_res (no POR: $n_res)"
        fi
        if [ "${#wefts[@]}" -eq 0 ]; then
            wefts=("(none)")
        fi
        for model in "${wefts[@]}"; do
            if [ "$model" != "(none)" ]; then
                IFS='|' read -r w_res w_states w_secs <<<"$(weft_check "$model")"
            else
                w_res="-"; w_states="-"; w_secs="-"
            fi
            echo "| $name | $model | $s_res | $s_states | ${s_secs} s | $n_states | ${n_secs} s | ${s_compile} s | $w_res | $w_states | ${w_secs} s |"
        done
    done
}

out="$(table)"
echo "$out"
if [ "$write" = 1 ]; then
    python3 - "$root/docs/performance.md" "$out" <<'EOF'
import sys
path, table = sys.argv[1], sys.argv[2]
begin, end = "<!-- spin-table:begin (tests/spin/run.sh --write) -->", "<!-- spin-table:end -->"
text = open(path).read()
i, j = text.find(begin), text.find(end)
if i < 0 or j < i:
    sys.exit("run.sh: docs/performance.md has no spin-table markers")
open(path, "w").write(text[: i + len(begin)] + "\n" + table + "\n" + text[j:])
EOF
    echo "run.sh: the table in docs/performance.md is replaced" >&2
fi
