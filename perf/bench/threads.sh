#!/usr/bin/env bash
# Do worker threads scale? loadgate with 1 and then 2 threads against nginx with 2 workers, with
# wrk -t1 and -t2 beside it as the anchor, nothing pinned: on this 2-core machine the target
# shares the cores with the generator, so no target here is free of cost. Each round prints
# requests/s, the generator's CPU per request and the machine's busy share; the bench states what
# bounds the 2-thread figure: the cores (when generator + nginx use ~all of them), or the
# generator's cost per request (when its second thread costs more per request than its first).
#   [ROUNDS=3] bash perf/bench/threads.sh [seconds=10] [users=100]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
NGINX_WORKERS=2 NGINX_CPUS=all
source "$here/throughput_nginx.sh"
seconds=${1:-10}
users=${2:-100}
bench=$(find_bench throughput_bench)
start_nginx 4096
url="http://127.0.0.1:$NGINX_PORT/"
hz=$(getconf CLK_TCK)
cores=$(nproc)
echo "nginx 2 workers on $url, unpinned; $users connections for ${seconds}s each; $cores CPUs"

# CPU seconds (user + system) of nginx's workers so far.
nginx_cpu() {
  local total=0 pid
  for pid in $(ps --ppid "$NGINX_PID" -o pid=); do
    total=$(awk -v hz="$hz" -v t="$total" '{ sub(/^.*\) /, ""); printf "%.3f", t + ($12 + $13) / hz }' "/proc/$pid/stat")
  done
  echo "$total"
}
calc() { python3 -c "print(f'{$1:.${2:-2}f}')"; }
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.2f}")' "$@"; }

# One run: prints "rate cpu_us_per_request busy_share" for the generator command given.
measure() {
  local out requests rate cpu n0 n1
  n0=$(nginx_cpu)
  out=$(/usr/bin/time -o "$BENCH_TMP/time" -f 'cpu_seconds %U %S' "$@")
  n1=$(nginx_cpu)
  cpu=$(awk '/^cpu_seconds/ {print $2 + $3}' "$BENCH_TMP/time")
  if [[ "$1" == wrk ]]; then
    rate=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out"); requests=$(awk '/requests in/ {print $1}' <<<"$out")
  else
    rate=$(awk '/^requests_per_second/ {print $2}' <<<"$out"); requests=$(awk '/^requests / {print $2}' <<<"$out")
  fi
  echo "$rate $(calc "$cpu * 1e6 / max(1, $requests)") $(calc "($cpu + $n1 - $n0) / ($seconds * $cores)")"
}

rounds=${ROUNDS:-3}
declare -A rates costs busy
for round in $(seq 1 "$rounds"); do
  for who in loadgate wrk; do
    for t in 1 2; do
      if [[ $who == loadgate ]]; then line=$(measure "$bench" "$url" "$users" "$t" "$seconds") || line=""
      else line=$(measure wrk -t"$t" -c"$users" -d"${seconds}s" "$url") || line=""; fi
      [[ -n "$line" ]] || { echo "threads.sh: the $who run with $t thread(s) failed (a failed request, or the tool)" >&2; exit 1; }
      read -r r c b <<<"$line"
      rates[$who$t]+="$r "; costs[$who$t]+="$c "; busy[$who$t]+="$b "
      echo "round $round: $who $t thread(s): $r req/s, $c us CPU per request, machine busy $(calc "$b * 100" 0) %"
    done
  done
done

echo "=== medians over $rounds rounds"
for who in loadgate wrk; do
  one=$(median ${rates[${who}1]}); two=$(median ${rates[${who}2]})
  printf '%-9s 1 thread %8s req/s (%s us/req)   2 threads %8s req/s (%s us/req, machine %s %% busy)   2/1 = %s\n' "$who" \
    "$one" "$(median ${costs[${who}1]})" "$two" "$(median ${costs[${who}2]})" "$(calc "$(median ${busy[${who}2]}) * 100" 0)" \
    "$(calc "$two / $one")"
done
lg1=$(median ${costs[loadgate1]}); lg2=$(median ${costs[loadgate2]})
echo "loadgate's second thread costs $(calc "$lg2 / $lg1") x the first's CPU per request (1.00: threads share nothing on the path);"
echo "the 2-thread rate is bound by the cores when the machine is near 100 % busy: nginx needs its share of them too."
