#!/usr/bin/env bash
# Shards add up: one shard process alone against four at once (one run split --shard i/4, with a
# shared --start-at, merged by `loadgate merge`), all against 4 lorax-sim replicas behind HAProxy.
# Prints one shard's rate, the four shards' merged rate and the ratio (goal >= 3.5), the p50
# latency of each phase, and what the cores did (CPU seconds per second of wall clock, per group:
# the shards, the simulators, HAProxy), so that the bench shows what bounds the ratio.
# The simulators' step time is made independent of the batch (no per-sequence, per-adapter or prefill
# cost) and one adapter is used, so that four times the users do not slow the service down:
# what is measured is whether the shards add up, not the simulator's model (with its default
# model, p50 rises with the batch and the ratio with it falls; SIM_FLAGS overrides the flags).
#   bash perf/bench/shards.sh [build=build/perf] [seconds=10] [users_per_shard=16]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build/perf}" && pwd)
seconds=${2:-10}
users=${3:-16}
loadgate=$build/perf/cli/loadgate
sim=$build/fixtures/lorax-sim/lorax-sim
[[ -x $loadgate && -x $sim ]] || { echo "build $build first (loadgate_command, lorax-sim)" >&2; exit 2; }
tmp=$(mktemp -d)
service="$root/fixtures/service/lorax-service.sh"
cleanup() { bash "$service" stop --state-dir "$tmp/service" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT

read -r -a sim_flags <<<"${SIM_FLAGS:---time-scale 0.1 --step-per-sequence-ms 0 --step-per-adapter-ms 0 --prefill-per-token-ms 0 --max-batch-size 256 --max-concurrent-requests 512}"
bash "$service" start --state-dir "$tmp/service" --replicas 4 --sim "$sim" -- "${sim_flags[@]}" >/dev/null
url=$(cat "$tmp/service/url")
cat > "$tmp/scenario.json" <<JSON
{"name": "shards_bench", "load": {"model": "closed", "users": $((4 * users))}, "duration_s": $seconds, "threads": 1,
 "tasks": [{"type": "lorax.generate", "name": "generate", "max_new_tokens": 16,
            "adapters": {"type": "identical", "adapters": ["loadgate/support-lora-v1"]}}]}
JSON

cores=$(nproc)
ticks=$(getconf CLK_TCK)
service_pids=$(jq -r '.haproxy_pid, (.replicas[].pid)' "$tmp/service/state.json")
haproxy_pid=$(jq -r '.haproxy_pid' "$tmp/service/state.json")
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
pid_ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
sim_pids() { for p in $service_pids; do [[ $p == "$haproxy_pid" ]] || echo "$p"; done; }
per_second() { python3 -c "print(f'{$1 / $ticks / $2:.2f}')"; }

# phase NAME SHARD... : runs the given shards of the scenario at once; prints their merged req/s
# and the cores each group used.
phase() {
  local name=$1; shift
  local out="$tmp/$name" start_at=$(( $(date +%s) + 2 ))
  mkdir -p "$out"
  local busy0 sims0 haproxy0
  busy0=$(busy_ticks); sims0=$(pid_ticks $(sim_pids)); haproxy0=$(pid_ticks "$haproxy_pid")
  for shard in "$@"; do
    /usr/bin/time -o "$out/time-$shard" -f '%U %S' "$loadgate" run "$url" --scenario "$tmp/scenario.json" \
      --shard "$shard/4" --start-at "$start_at" --quiet --out "$out/runs" > "$out/log-$shard" 2>&1 &
  done
  wait
  local wall busy sims haproxy shards_cpu
  wall=$(python3 -c "print($(date +%s.%N) - $start_at)")  # from the shared start (waiting is idle)
  busy=$(( $(busy_ticks) - busy0 )); sims=$(( $(pid_ticks $(sim_pids)) - sims0 )); haproxy=$(( $(pid_ticks "$haproxy_pid") - haproxy0 ))
  shards_cpu=$(cat "$out"/time-* | awk '{s += $1 + $2} END {printf "%.2f", s}')
  local folders
  folders=$(ls -d "$out"/runs/*/)
  local result_file=$folders/result.json
  if [[ $# -gt 1 ]]; then
    "$loadgate" merge $folders --out "$out/merged" > "$out/merge.log"
    result_file=$(ls "$out"/merged/*/result.json)
  fi
  local requests p50 rate cores_busy
  requests=$(jq '.summary.overall.count' $result_file)
  p50=$(jq '.summary.overall.latency_ms.p50' $result_file)
  rate=$(python3 -c "print(f'{$requests / $seconds:.0f}')")
  cores_busy=$(per_second "$busy" "$wall")
  printf '%-11s %6s req/s, p50 %6s ms; cores busy %s of %s: shards %s, simulators %s, HAProxy %s\n' "$name" "$rate" \
    "$p50" "$cores_busy" "$cores" "$(python3 -c "print(f'{$shards_cpu / $wall:.2f}')")" \
    "$(per_second "$sims" "$wall")" "$(per_second "$haproxy" "$wall")"
  echo "$rate $p50 $cores_busy" > "$out/figures"
}

echo "4 lorax-sim replicas behind HAProxy at $url; shards of $users users each (1 thread), ${seconds}s"
phase one-shard 1
phase four-shards 1 2 3 4
python3 - "$cores" $(cat "$tmp/one-shard/figures") $(cat "$tmp/four-shards/figures") <<'PY'
import sys
cores = int(sys.argv[1])
one_rate, one_p50, _ = map(float, sys.argv[2:5])
four_rate, four_p50, four_busy = map(float, sys.argv[5:8])
ratio = four_rate / one_rate
print(f"four shards / one shard: {ratio:.2f} (goal >= 3.5)")
# What bounds it, from the figures above rather than guessed.
if ratio >= 3.5:
    print("goal met: the shards add up")
elif four_busy >= 0.9 * cores:
    print(f"bound: the machine's {cores} cores ({four_busy:.2f} busy) run 4 shards, 4 simulators and HAProxy at once")
elif four_p50 > 1.1 * one_p50:
    print(f"bound: the service; its p50 rose from {one_p50:.1f} to {four_p50:.1f} ms under four times the users")
else:
    print("not bound by the cores or the service's latency: look at the shards' logs")
PY
