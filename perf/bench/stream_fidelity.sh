#!/usr/bin/env bash
# Per-request stream timing against ground truth: 1,000 concurrent /generate_stream users against
# stream_server, which stamps each event as it writes it and reports, per stream, the exact time
# from the request's arrival to the first event's write. loadgate's per-request TTFT minus that
# is the client's own share plus the loopback's (goal: <= 1 ms at p99). Each round also prints
# how long received bytes waited in the kernel before loadgate read them (p99), which is what a
# read-time stamp would have added to each TTFT, and the server's lateness against its schedule
# (already inside its stamps). The verdict is the median over the rounds.
#
#   perf/bench/stream_fidelity.sh [BUILD_DIR]     (default build/perf)
#
# Environment: ROUNDS (3), BENCH_STREAMS (1000), BENCH_SECONDS (10), BENCH_TOKENS (32),
# BENCH_FIRST_MS (100), BENCH_GAP_MS (50: as streams.sh's simulator gives 1,000 streams, a token every ~52 ms), BENCH_SPAWN_RATE (600 users/s), SERVER_THREADS (2).
# The server runs on CPU 0, loadgate on CPU 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/perf}
server=$build/perf/bench/stream_server
bench=$build/perf/bench/streams_bench
rounds=${ROUNDS:-3}
streams=${BENCH_STREAMS:-1000}
seconds=${BENCH_SECONDS:-10}
tokens=${BENCH_TOKENS:-32}
first=${BENCH_FIRST_MS:-100}
gap=${BENCH_GAP_MS:-50}
spawn=${BENCH_SPAWN_RATE:-600}
threads=${SERVER_THREADS:-2}
for tool in "$server" "$bench"; do
  [[ -x "$tool" ]] || { echo "stream_fidelity.sh: $tool not built (cmake --build $build --target stream_server streams_bench)" >&2; exit 2; }
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work=$(mktemp -d)
server_pid=""
stop_server() { if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; server_pid=""; }
trap 'stop_server; rm -rf "$work"' EXIT
value() { awk -F= -v k="$1" '$1 == k {print $2}' "$2"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== $streams streams of $tokens tokens (first after ${first} ms, then every ${gap} ms), ${seconds}s, $spawn users/s; stream_server $threads threads on CPU 0, loadgate on CPU 1; $rounds rounds"
: >"$work/p99"
: >"$work/p50"
: >"$work/waits"
for round in $(seq "$rounds"); do
  rm -f "$work/port"
  taskset -c 0 "$server" --port-file "$work/port" --threads "$threads" --tokens "$tokens" --first-ms "$first" --gap-ms "$gap" \
    >"$work/server.txt" &
  server_pid=$!
  for _ in $(seq 500); do [[ -s "$work/port" ]] && break; sleep 0.01; done  # bounded start-up wait
  [[ -s "$work/port" ]] || { echo "stream_fidelity.sh: stream_server did not start" >&2; exit 1; }
  # streams_bench exits 1 when a stream failed: the round is still shown, with its failure count.
  taskset -c 1 "$bench" "$(cat "$work/port")" "$streams" "$seconds" "$tokens" "$spawn" >"$work/loadgate.txt" || true
  stop_server
  [[ -n "$(value PER_REQUEST_DIFFERENCE_P99_MS "$work/loadgate.txt")" ]] ||
    { echo "round $round: streams_bench printed no figures" >&2; cat "$work/loadgate.txt" >&2; exit 1; }
  f=$work/loadgate.txt
  echo "round $round: per request client - server TTFT p50 $(value PER_REQUEST_DIFFERENCE_P50_MS "$f") ms," \
    "p99 $(value PER_REQUEST_DIFFERENCE_P99_MS "$f") ms; bytes waited in the kernel before a read p99 $(value READ_WAIT_P99_MS "$f") ms;" \
    "loop lag p99 $(value LOOP_LAG_P99_MS "$f") ms; $(value SUCCESSES "$f") streams, $(value FAILURES "$f") failed; server: $(cat "$work/server.txt")"
  value PER_REQUEST_DIFFERENCE_P99_MS "$f" >>"$work/p99"
  value PER_REQUEST_DIFFERENCE_P50_MS "$f" >>"$work/p50"
  value READ_WAIT_P99_MS "$f" >>"$work/waits"
done
echo
echo "per-request client - server TTFT: p99 median $(median <"$work/p99") ms, p50 median $(median <"$work/p50") ms over $rounds rounds (goal: p99 <= 1 ms);" \
  "the kernel's stamps took out waits of $(median <"$work/waits") ms at p99"
