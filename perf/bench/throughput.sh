#!/usr/bin/env bash
# Requests per second of loadgate against wrk (and Locust's FastHttpUser when installed), same
# nginx, same users, same duration, measured in the same run. nginx gets CPU 0, each load
# generator CPU 1. Goal: loadgate/wrk >= 1.0 while recording full statistics.
#   [ROUNDS=5] bash perf/bench/throughput.sh [seconds=10] [users=50]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/throughput_nginx.sh"
seconds=${1:-10}
users=${2:-50}
bench=$(find_bench throughput_bench)

start_nginx 4096
url="http://127.0.0.1:$NGINX_PORT/"
echo "nginx 1 worker on $url; $users connections for ${seconds}s each"

# CPU time per request tells how much of its core each generator needs, whatever the load on
# the machine: when nginx is the bottleneck, requests per second alone cannot separate them.
cpu_of() { awk '/^cpu_seconds/ {printf "%.2f", $2 + $3}' "$1"; }
us_per_request() { python3 -c "print(f'{$1 * 1e6 / max(1, $2):.2f}')"; }
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.2f}")' "$@"; }

# loadgate and wrk take turns, ROUNDS times, so that a drift in the machine's speed hits both
# sides alike; the ratio is taken round by round and its median quoted.
rounds=${ROUNDS:-5}
ratios=() ; loadgate_rates=() ; wrk_rates=() ; loadgate_costs=() ; wrk_costs=()
for round in $(seq 1 "$rounds"); do
  loadgate_out=$(/usr/bin/time -o "$BENCH_TMP/loadgate.time" -f 'cpu_seconds %U %S' taskset -c 1 "$bench" "$url" "$users" 1 "$seconds")
  loadgate_rps=$(awk '/^requests_per_second/ {print $2}' <<<"$loadgate_out")
  loadgate_requests=$(awk '/^requests / {print $2}' <<<"$loadgate_out")
  loadgate_costs+=("$(us_per_request "$(cpu_of "$BENCH_TMP/loadgate.time")" "$loadgate_requests")")

  wrk_out=$(/usr/bin/time -o "$BENCH_TMP/wrk.time" -f 'cpu_seconds %U %S' taskset -c 1 wrk -t1 -c"$users" -d"${seconds}s" "$url")
  wrk_rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$wrk_out")
  wrk_requests=$(awk '/requests in/ {print $1}' <<<"$wrk_out")
  wrk_costs+=("$(us_per_request "$(cpu_of "$BENCH_TMP/wrk.time")" "$wrk_requests")")

  loadgate_rates+=("$loadgate_rps"); wrk_rates+=("$wrk_rps")
  ratios+=("$(python3 -c "print(f'{$loadgate_rps / $wrk_rps:.3f}')")")
  echo "round $round: loadgate $loadgate_rps req/s, wrk $wrk_rps req/s, ratio ${ratios[-1]}"
done
echo "--- last loadgate run (1 thread, $users users, no think time, HDR histograms + time series)"
echo "$loadgate_out"

locust_rps=""
if [[ -x /usr/bin/locust ]]; then
  cat > "$BENCH_TMP/locustfile.py" <<'PY'
from locust import task
from locust.contrib.fasthttp import FastHttpUser

class Get(FastHttpUser):
    @task
    def get(self):
        self.client.get("/")
PY
  (cd "$BENCH_TMP" && taskset -c 1 /usr/bin/python3 /usr/bin/locust -f locustfile.py --headless -u "$users" -r "$users" \
      -t "${seconds}s" --host "${url%/}" --csv "$BENCH_TMP/locust" --only-summary --loglevel ERROR >/dev/null 2>&1) || true
  if [[ -f "$BENCH_TMP/locust_stats.csv" ]]; then
    locust_rps=$(python3 -c 'import csv,sys; rows=[r for r in csv.DictReader(open(sys.argv[1])) if r["Name"]=="Aggregated"]; print(round(float(rows[0]["Requests/s"])))' "$BENCH_TMP/locust_stats.csv")
  fi
fi

echo "=== medians over $rounds alternating rounds"
printf '%-22s %10s us CPU per request\n' loadgate "$(median "${loadgate_costs[@]}")" wrk "$(median "${wrk_costs[@]}")"
printf '%-22s %10s req/s\n' loadgate "$(median "${loadgate_rates[@]}")" wrk "$(median "${wrk_rates[@]}")"
[[ -n "$locust_rps" ]] && printf '%-22s %10s req/s (one run)\n' "locust FastHttpUser" "$locust_rps"
printf '%-22s %10s  (min %s, max %s)\n' "loadgate / wrk" "$(median "${ratios[@]}")" \
  "$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)" "$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)"
[[ -n "$locust_rps" ]] && printf '%-22s %10s\n' "loadgate / locust" "$(python3 -c "print(f'{$(median "${loadgate_rates[@]}") / $locust_rps:.2f}')")"
exit 0
