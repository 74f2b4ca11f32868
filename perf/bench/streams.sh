#!/usr/bin/env bash
# loadgate's own overhead on streams: 1,000 concurrent /generate_stream users against lorax-sim.
# Each round prints the client's and the server's TTFT p99 and, per request, the client's TTFT
# minus the server's time from receipt to the first token (lorax-sim's `timings` in each final
# event: total − inference + TTFT, since its TTFT is LoRAX's, from batch entry), the generator's
# overhead (goal: p99 <= 1 ms); the verdict is the median over the rounds, since one round's p99s
# move on a shared machine.
# Then the same figure for Locust (FastHttpUser, stream=True, one round) when /usr/bin/locust is
# installed.
#
#   perf/bench/streams.sh [BUILD_DIR]     (default build/perf)
#
# Environment: ROUNDS (3), BENCH_STREAMS (1000), BENCH_SECONDS (10), BENCH_TOKENS (32),
# BENCH_TIME_SCALE (0.1: a step with 1,000 sequences is 520 model ms, so each stream gets a token
# every ~52 ms), BENCH_SPAWN_RATE (600 users/s: the users start over about one stream's length,
# ~1.7 s, so that streams then end and start a few per step, as in steady service; 0 starts them
# all at once, and they stay in lock-step: 1,000 requests arrive together every 32 steps and the
# simulator's one thread takes milliseconds to read them before its clock starts, which the
# difference then shows).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/perf}
SIM=${LORAX_SIM:-$build/fixtures/lorax-sim/lorax-sim}
bench=$build/perf/bench/streams_bench
rounds=${ROUNDS:-3}
streams=${BENCH_STREAMS:-1000}
seconds=${BENCH_SECONDS:-10}
tokens=${BENCH_TOKENS:-32}
scale=${BENCH_TIME_SCALE:-0.1}
spawn=${BENCH_SPAWN_RATE:-600}
for tool in "$SIM" "$bench"; do
  [[ -x "$tool" ]] || { echo "streams.sh: $tool not built (cmake --build $build --target lorax-sim streams_bench)" >&2; exit 2; }
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
source perf/bench/lorax_sim.sh
work=$SIM_WORK
sim_flags=(--time-scale "$scale" --max-concurrent-requests $((streams * 2)) --max-batch-size $((streams * 2)))
value() { awk -F= -v k="$1" '$1 == k {print $2}' "$2"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== loadgate: $streams concurrent streams, $tokens tokens, ${seconds}s, time scale $scale, $spawn users/s, $rounds rounds"
: >"$work/overheads"
: >"$work/differences"
for round in $(seq "$rounds"); do
  start_sim "${sim_flags[@]}"
  "$bench" "$SIM_PORT" "$streams" "$seconds" "$tokens" "$spawn" >"$work/loadgate.txt"
  stop_sim
  f=$work/loadgate.txt
  echo "round $round: client TTFT p99 $(value CLIENT_TTFT_P99_MS "$f") ms, server TTFT p99 $(value SERVER_TTFT_P99_MS "$f") ms;" \
    "per request: difference p50 $(value PER_REQUEST_DIFFERENCE_P50_MS "$f") ms," \
    "p99 $(value PER_REQUEST_DIFFERENCE_P99_MS "$f") ms; $(value SUCCESSES "$f") streams, $(value FAILURES "$f") failed"
  value PER_REQUEST_DIFFERENCE_P99_MS "$f" >>"$work/overheads"
  value PER_REQUEST_DIFFERENCE_P50_MS "$f" >>"$work/differences"
done
echo
echo "loadgate: per-request client - server TTFT difference, medians over $rounds rounds: p50 $(median <"$work/differences") ms," \
  "p99 $(median <"$work/overheads") ms   (goal: p99 <= 1 ms)"

if [[ -x /usr/bin/locust ]]; then
  echo
  echo "== Locust (FastHttpUser, stream=True): the same load, one round"
  start_sim "${sim_flags[@]}"
  /usr/bin/python3 /usr/bin/locust -f perf/bench/streams_locustfile.py --headless --only-summary \
    -u "$streams" -r "$spawn" -t "${seconds}s" --stop-timeout 10 --host "http://127.0.0.1:$SIM_PORT" \
    >"$work/locust.txt" 2>"$work/locust.err" || true
  stop_sim
  f=$work/locust.txt
  echo "Locust:   client TTFT p99 $(value LOCUST_CLIENT_TTFT_P99_MS "$f") ms; per request: difference p50" \
    "$(value LOCUST_PER_REQUEST_DIFFERENCE_P50_MS "$f") ms, p99 $(value LOCUST_PER_REQUEST_DIFFERENCE_P99_MS "$f") ms" \
    "($(value LOCUST_STREAMS "$f") streams)"
else
  echo "Locust: not installed (/usr/bin/locust), skipped"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; figures assume an idle one)"
