#!/usr/bin/env bash
# The gate against an injected regression, a stale and a missing baseline, through the real
# scenario binary and the committed baselines. Run by CTest (label gate-selftest) with the
# slowed-down simulator fixture's state folder:
#   gate_selftest.sh SCENARIO_BINARY BASELINE_DIR SLOW_SERVICE_STATE_DIR WORK_DIR
# Every check must see a failing exit status AND the message a person needs.
set -uo pipefail
binary=$1 baselines=$2 slow_state=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
status=0

# expect NAME PATTERN... -- COMMAND...: COMMAND must fail and its output contain every PATTERN.
expect() {
  local name=$1; shift
  local patterns=()
  while [[ $1 != -- ]]; do patterns+=("$1"); shift; done
  shift
  local log="$work/$name.log"
  if "$@" >"$log" 2>&1; then
    echo "FAIL $name: the scenario passed; expected a failure"; status=1
  fi
  for p in "${patterns[@]}"; do
    if ! grep -qF -- "$p" "$log"; then echo "FAIL $name: no '$p' in the output ($log)"; status=1; fi
  done
  echo "---- $name: the messages a person sees"
  grep -E 'regression|stale|baseline|Failure|FAILED' "$log" | grep -v '^\[ loadgate' | head -n 12
}

slow_url=$(cat "$slow_state/url")

# 1. A 1.3 slowdown (the fixture's --slowdown) fails the latency-gated scenarios with a verdict line,
#    and the failure names the evidence it left: the report and gate.json of the run.
runs="$work/runs"
# The patterns are what only a failing verdict prints ("baseline gate passed" and "→ pass" would not match).
expect regression "baseline gate FAILED" "→ regression" "/gate.json, $runs/Smoke.Generate/" -- \
  env LOADGATE_TARGET="$slow_url" LOADGATE_BASELINE_DIR="$baselines" LOADGATE_RUNS_DIR="$runs" CI=1 \
  "$binary" --gtest_filter='Smoke.Generate:MultiLora.SteadyMixedAdapters'
for f in result.json gate.json summary.md report.html loadgate_stats.csv; do
  [[ -f "$runs/Smoke.Generate/1/$f" ]] || { echo "FAIL regression: no $f in $runs/Smoke.Generate/1"; status=1; }
done
if ! python3 -c 'import json,sys; g=json.load(open(sys.argv[1])); sys.exit(0 if g["passed"] is False and g["gate"]["decision"]["metrics"] else 1)' \
    "$(ls -d "$runs"/Smoke.Generate/* | sort -V | tail -n 1)/gate.json"; then
  echo "FAIL regression: the last run's gate.json does not hold the failed verdict"; status=1
fi

# 1b. The same slowdown lowers the capacity the service carries within its SLO: Load.Capacity fails.
expect capacity "capacity" "→ regression" -- \
  env LOADGATE_TARGET="$slow_url" LOADGATE_BASELINE_DIR="$baselines" LOADGATE_RUNS_DIR="$runs" CI=1 \
  "$binary" --gtest_filter='Load.Capacity'

# 2. A baseline recorded for another configuration is stale: no run, the changed key, the command.
mkdir -p "$work/stale/default"
python3 - "$baselines/default/Smoke.Generate.json" "$work/stale/default/Smoke.Generate.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
b["configuration"]["scenario"]["users"] = 99
b["fingerprint"] = "fnv1a64:0000000000000000"
json.dump(b, open(sys.argv[2], "w"))
PY
expect stale "is stale" "/scenario/users" "LOADGATE_UPDATE_BASELINES=1 ctest -L perf -R '^Smoke\.Generate\$'" "$work/stale-runs/Smoke.Generate/1/gate.json" -- \
  env LOADGATE_TARGET="$slow_url" LOADGATE_BASELINE_DIR="$work/stale" LOADGATE_RUNS_DIR="$work/stale-runs" CI=1 "$binary" --gtest_filter=Smoke.Generate
[[ -f "$work/stale-runs/Smoke.Generate/1/gate.json" ]] || { echo "FAIL stale: no gate.json kept"; status=1; }

# 3. No baseline in CI fails with the command that creates it.
expect missing "CI is set, so a missing baseline fails" "LOADGATE_UPDATE_BASELINES=1 ctest -L perf -R '^Smoke\.Generate\$'" -- \
  env LOADGATE_TARGET="$slow_url" LOADGATE_BASELINE_DIR="$work/empty" LOADGATE_RUNS_DIR="$work/missing-runs" CI=1 "$binary" --gtest_filter=Smoke.Generate

# 4. An unreachable target fails (no skip unless asked), and says so.
expect unreachable "nothing answers at http://127.0.0.1:1" "LOADGATE_SKIP_UNREACHABLE=1" -- \
  env LOADGATE_TARGET=http://127.0.0.1:1 LOADGATE_BASELINE_DIR="$baselines" LOADGATE_RUNS_DIR="$work/unreachable-runs" "$binary" --gtest_filter=Smoke.Generate

exit $status
