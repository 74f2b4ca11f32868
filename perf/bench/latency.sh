#!/usr/bin/env bash
# Latency fidelity against ground truth: a server that answers every request exactly 20 ms after
# reading it (fixed_delay_server, its own lateness measured and printed), driven by loadgate and by
# wrk in turns with the same closed users on one thread. What a generator reports beyond the
# server's 20 ms (and beyond the server's own lateness) at p99 is the generator's own error.
# Goal: loadgate's p99 excess <= wrk's, at 100 and at 300 users.
#   [ROUNDS=5] [DELAY_MS=20] bash perf/bench/latency.sh [seconds=10] [users="100 300"]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/throughput_nginx.sh"  # find_bench
seconds=${1:-10}
users_list=${2:-"100 300"}
rounds=${ROUNDS:-5}
delay_ms=${DELAY_MS:-20}
bench=$(find_bench throughput_bench)
server=$(find_bench fixed_delay_server)
command -v wrk >/dev/null || { echo "latency.sh: wrk is needed (apt-get install wrk)" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d)
server_pid=""
stop_server() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT

# The server on CPU 0 (two threads), each generator on CPU 1: the same core for both tools.
start_server() {
  rm -f "$work/port"
  taskset -c 0 "$server" --port-file "$work/port" --delay-ms "$delay_ms" --threads 2 >"$work/server.out" &
  server_pid=$!
  for _ in $(seq 1 500); do [[ -f "$work/port" ]] && break; sleep 0.01; done
  [[ -f "$work/port" ]] || { echo "latency.sh: fixed_delay_server did not start" >&2; exit 1; }
  url="http://127.0.0.1:$(cat "$work/port")/"
}

# wrk --latency prints "99%  22.05ms"; in ms.
wrk_p99_ms() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
                                  f = (u == "us") ? 0.001 : (u == "s") ? 1000 : 1; printf "%.3f", v * f }' <<<"$1"; }
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.3f}")' "$@"; }

echo "== fixed ${delay_ms} ms server (2 threads, CPU 0); loadgate and wrk on CPU 1, 1 thread, ${seconds}s per run, $rounds rounds"
summary=()
for users in $users_list; do
  loadgate_excess=() ; wrk_excess=() ; server_p99=()
  for round in $(seq 1 "$rounds"); do
    start_server
    out=$(taskset -c 1 "$bench" "$url" "$users" 1 "$seconds")
    lg=$(awk -v d="$delay_ms" '/^latency_us/ {printf "%.3f", $5 / 1000 - d}' <<<"$out")
    out=$(taskset -c 1 wrk -t1 -c"$users" -d"${seconds}s" --latency "$url")
    wk=$(python3 -c "print(f'{$(wrk_p99_ms "$out") - $delay_ms:.3f}')")
    stop_server
    sv=$(awk '/^server_lateness_us/ {printf "%.3f", $5 / 1000}' "$work/server.out")
    loadgate_excess+=("$lg"); wrk_excess+=("$wk"); server_p99+=("$sv")
    echo "  $users users, round $round: p99 excess over ${delay_ms} ms: loadgate $lg ms, wrk $wk ms (server's own lateness p99 $sv ms)"
  done
  lg=$(median "${loadgate_excess[@]}"); wk=$(median "${wrk_excess[@]}"); sv=$(median "${server_p99[@]}")
  ratio=$(python3 -c "print(f'{$lg / $wk:.2f}' if $wk > 0 else 'n/a')")
  summary+=("$(printf '%-10s loadgate %7s ms   wrk %7s ms   loadgate/wrk %5s   (server lateness p99 %s ms)' \
      "$users users" "$lg" "$wk" "$ratio" "$sv")")
done
echo "=== median p99 excess over the true ${delay_ms} ms (goal: loadgate <= wrk)"
printf '%s\n' "${summary[@]}"
