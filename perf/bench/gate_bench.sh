#!/usr/bin/env bash
# The gate's quality against lorax-sim: N trials of the gated run against its own baseline
# (slowdown 1.0: every failure is a false regression) and N with the simulator slowed down by
# 10 % (POST /admin/faults {"slowdown": 1.10}: every pass is a missed regression). Prints the
# false-regression rate, the detection rate, runs per verdict and time per verdict.
#
#   perf/bench/gate_bench.sh [BUILD_DIR] [--trials N] [--slowdown F]
# e.g. perf/bench/gate_bench.sh build/perf --trials 30     (about 15-20 min on 2 cores)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/perf}
[[ $# -gt 0 ]] && shift
trials=30 slowdown=1.10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --slowdown) slowdown=$2; shift 2 ;;
    *) echo "gate_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
cmake --build "$build" --target gate_bench lorax-sim >/dev/null
bench="$build/perf/bench/gate_bench"
sim="$build/fixtures/lorax-sim/lorax-sim"
work=$(mktemp -d)
state="$work/service"
cleanup() { bash "$root/fixtures/service/lorax-service.sh" stop --state-dir "$state" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# The perf suite's service: one replica behind HAProxy, time scale 0.1.
bash "$root/fixtures/service/lorax-service.sh" start --state-dir "$state" --sim "$sim" -- \
  --adapters "$root/fixtures/data/adapters.json" --time-scale 0.1 --max-concurrent-requests 64 --max-batch-size 32
url=$(cat "$state/url")
faults() { curl -sf -X POST -H 'Content-Type: application/json' -d "$1" "$url/admin/faults" >/dev/null; }

echo "recording the baseline (3 runs) at slowdown 1.0 against $url"
faults '{"slowdown": 1.0}'
"$bench" record --target "$url" --baselines "$work/baselines" | tail -n 12
faults '{"slowdown": 1.0}'
"$bench" trials --target "$url" --baselines "$work/baselines" --trials "$trials" --label 1.00 | tee "$work/same.log"
faults "{\"slowdown\": $slowdown}"
"$bench" trials --target "$url" --baselines "$work/baselines" --trials "$trials" --label "$slowdown" | tee "$work/slow.log"

echo
echo "== gate quality against lorax-sim ($trials trials each; 10-s runs, at most 3 runs per verdict) =="
grep '^summary' "$work/same.log" "$work/slow.log" | sed 's/^[^:]*://'
awk -v n="$trials" '/^summary/ { split($4, f, "="); split($2, s, "="); rate = 100 * f[2] / n;
  if (s[2] == "1.00") printf "false regressions at 1.00: %d of %d (%.1f %%)\n", f[2], n, rate;
  else printf "detected at %s: %d of %d (%.1f %%)\n", s[2], f[2], n, rate }' "$work/same.log" "$work/slow.log"
