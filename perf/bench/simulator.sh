#!/usr/bin/env bash
# Benchmark of fixtures/lorax-sim itself: is one replica on one core fast enough never to be the
# bottleneck of a loadgate run? Prints
#   1. non-streaming POST /generate requests/s (4 output tokens) with wrk, and
#   2. the number of concurrent /generate_stream clients sustained at the model's step rate.
# The simulator is pinned to CPU 0 and the load generator to CPU 1 (2-core machines).
#
#   perf/bench/simulator.sh [BUILD_DIR]     (default build/perf; needs wrk and taskset)
#
# Configurations, and why they are fair:
#   1. every step cost is 0 (--step-base-ms 0 ...): the model adds no time, so what is measured
#      is the simulator's own per-request cost (HTTP parse, JSON, admission, 4 batching steps,
#      response). A real run's steps only make the simulator idle longer.
#   2. --step-base-ms 50 with no per-sequence cost: 2,000 streams share every step, so each gets
#      a token every 50 ms (40,000 SSE events/s in all); the client checks that all streams
#      overlap and that the mean inter-token gap stays within 10 % of 50 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/perf}
sim=${LORAX_SIM:-$build/fixtures/lorax-sim/lorax-sim}
client=${LORAX_SIM_STREAM_CLIENT:-$build/fixtures/lorax-sim/lorax-sim-stream-client}
duration=${BENCH_DURATION:-5}
streams=${BENCH_STREAMS:-2000}
for tool in "$sim" "$client"; do
  [[ -x "$tool" ]] || { echo "simulator.sh: $tool not built (cmake --build $build --target lorax-sim lorax-sim-stream-client)" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "simulator.sh: wrk is not installed" >&2; exit 2; }

source perf/bench/lorax_sim.sh
SIM=$sim SIM_CPUS=0
work=$SIM_WORK

# Rates are also given per CPU second of the simulator (sim_cpu_seconds): the wall-clock rate is
# only "one core" on an otherwise idle machine.
zero_steps=(--step-base-ms 0 --step-per-sequence-ms 0 --step-per-adapter-ms 0 --prefill-per-token-ms 0)

echo "== 1. non-streaming POST /generate, 4 tokens, zero step time, lorax-sim on 1 core"
start_sim "${zero_steps[@]}" --max-concurrent-requests 1024 --max-batch-size 1024
cpu0=$(sim_cpu_seconds)
taskset -c 1 wrk -t1 -c64 -d"${duration}s" -s perf/bench/simulator_post.lua "http://127.0.0.1:$SIM_PORT" | tee "$work/wrk.txt"
cpu1=$(sim_cpu_seconds)
rps=$(awk '/^Requests\/sec:/ {printf "%d", $2}' "$work/wrk.txt")
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
rps_per_cpu=$(awk -v n="$requests" -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%d", (b > a) ? n / (b - a) : 0 }')
stop_sim

echo "== 2. $streams concurrent /generate_stream clients, 100 tokens, 50 ms steps, lorax-sim on 1 core"
start_sim --step-base-ms 50 --step-per-sequence-ms 0 --step-per-adapter-ms 0 --prefill-per-token-ms 0 \
  --max-concurrent-requests 8192 --max-batch-size 8192
cpu0=$(sim_cpu_seconds)
set +e
taskset -c 1 "$client" "$SIM_PORT" "$streams" 100 50 60 | tee "$work/streams.txt"
set -e
cpu1=$(sim_cpu_seconds)
sustained=$(awk -F= '/^STREAMS_SUSTAINED=/ {print $2}' "$work/streams.txt")
wall=$(awk '/^events:/ {print $4}' "$work/streams.txt")
stream_cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v w="${wall:-0}" 'BEGIN { printf "%.0f", (w > 0) ? 100 * (b - a) / w : 0 }')
stop_sim

echo
echo "lorax-sim non-streaming throughput (1 core): ${rps} req/s wall, ${rps_per_cpu} req per CPU-second of lorax-sim   (target >= 20000)"
echo "lorax-sim concurrent streams sustained (1 core): ${sustained:-0}, lorax-sim busy ${stream_cpu}% of one core meanwhile   (target >= 2000)"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (the wall rates assume an idle machine)"
[[ "${rps:-0}" -ge 20000 && "${sustained:-0}" -ge 2000 ]]
