#!/usr/bin/env bash
# loadgate's own overhead on streams: 1,000 concurrent /generate_stream users against lorax-sim.
# Prints the client's TTFT p99, the server's TTFT p99 (lorax-sim's `timings` in each final event)
# and their difference, the generator's overhead (goal <= 1 ms); then the same figure for Locust
# (FastHttpUser, stream=True) when /usr/bin/locust is installed.
#
#   perf/bench/streams.sh [BUILD_DIR]     (default build/perf)
#
# Environment: BENCH_STREAMS (1000), BENCH_SECONDS (10), BENCH_TOKENS (32), BENCH_TIME_SCALE (0.1:
# a step with 1,000 sequences is 520 model ms, so each stream gets a token every ~52 ms),
# BENCH_SPAWN_RATE (600 users/s: the users start over about one stream's length, ~1.7 s, so that
# streams then end and start a few per step, as in steady service; 0 starts them all at once, and
# they stay in lock-step: 1,000 requests arrive together every 32 steps and the simulator's one
# thread takes tens of ms to read them before its clock starts, which the difference then shows).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/perf}
sim=${LORAX_SIM:-$build/fixtures/lorax-sim/lorax-sim}
bench=$build/perf/bench/streams_bench
streams=${BENCH_STREAMS:-1000}
seconds=${BENCH_SECONDS:-10}
tokens=${BENCH_TOKENS:-32}
scale=${BENCH_TIME_SCALE:-0.1}
spawn=${BENCH_SPAWN_RATE:-600}
for tool in "$sim" "$bench"; do
  [[ -x "$tool" ]] || { echo "streams.sh: $tool not built (cmake --build $build --target lorax-sim streams_bench)" >&2; exit 2; }
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d)
sim_pid=""
stop_sim() {
  if [[ -n "$sim_pid" ]]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  sim_pid=""
}
trap 'stop_sim; rm -rf "$work"' EXIT

start_sim() {
  rm -f "$work/port"
  "$sim" --port 0 --port-file "$work/port" --quiet --time-scale "$scale" \
    --max-concurrent-requests $((streams * 2)) --max-batch-size $((streams * 2)) &
  sim_pid=$!
  for _ in $(seq 500); do [[ -s "$work/port" ]] && break; sleep 0.01; done  # bounded start-up wait
  [[ -s "$work/port" ]] || { echo "streams.sh: lorax-sim did not start" >&2; exit 1; }
  port=$(cat "$work/port")
}

echo "== loadgate: $streams concurrent streams, $tokens tokens, ${seconds}s, time scale $scale, $spawn users/s"
start_sim
"$bench" "$port" "$streams" "$seconds" "$tokens" "$spawn" | tee "$work/loadgate.txt"
stop_sim
value() { awk -F= -v k="$1" '$1 == k {print $2}' "$2"; }
echo
echo "loadgate: client TTFT p99 $(value CLIENT_TTFT_P99_MS "$work/loadgate.txt") ms, server TTFT p99 $(value SERVER_TTFT_P99_MS "$work/loadgate.txt") ms, overhead $(value OVERHEAD_P99_MS "$work/loadgate.txt") ms   (goal <= 1 ms)"

if [[ -x /usr/bin/locust ]]; then
  echo
  echo "== Locust (FastHttpUser, stream=True): the same load"
  start_sim
  /usr/bin/python3 /usr/bin/locust -f perf/bench/streams_locustfile.py --headless --only-summary \
    -u "$streams" -r "$spawn" -t "${seconds}s" --stop-timeout 10 --host "http://127.0.0.1:$port" \
    >"$work/locust.txt" 2>"$work/locust.err" || true
  stop_sim
  cat "$work/locust.txt"
  echo "Locust:   client TTFT p99 $(value LOCUST_CLIENT_TTFT_P99_MS "$work/locust.txt") ms, server TTFT p99 $(value LOCUST_SERVER_TTFT_P99_MS "$work/locust.txt") ms, overhead $(value LOCUST_OVERHEAD_P99_MS "$work/locust.txt") ms"
else
  echo "Locust: not installed (/usr/bin/locust), skipped"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; figures assume an idle one)"
