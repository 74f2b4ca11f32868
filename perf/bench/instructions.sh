#!/usr/bin/env bash
# Instructions per request, loadgate against wrk, counted by valgrind's callgrind: repeatable on a
# shared machine where CPU seconds move with the neighbours (hardware counters are not available
# here). Each generator runs twice under callgrind against the same nginx, for a short and a long
# duration, and the difference in instructions over the difference in requests is its cost per
# request: start-up, thread creation and the end of the run cancel out. Both sides count user-space
# instructions only (the kernel's share of a request, its syscalls, is the same kind of work).
#   bash perf/bench/instructions.sh [users=10] [short_seconds=1] [long_seconds=4]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/throughput_nginx.sh"
users=${1:-10}
short=${2:-1}
long=${3:-4}
bench=$(find_bench throughput_bench)
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
start_nginx 1024
url="http://127.0.0.1:$NGINX_PORT/"
echo "nginx 1 worker on $url (CPU 0); $users connections, 1 thread each side, under callgrind on CPU 1 for ${short}s and ${long}s"

# Total instructions (Ir) of a callgrind run: the sum of every thread's file's "totals:" line.
instructions() { cat "$1".* 2>/dev/null | awk '/^totals:/ {sum += $2} END {printf "%.0f", sum}'; }
run_callgrind() {  # name seconds command... -> prints "instructions requests"
  local name=$1 seconds=$2 out; shift 2
  rm -f "$BENCH_TMP/$name".*
  out=$(taskset -c 1 valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$BENCH_TMP/$name.%p" "$@" 2>/dev/null)
  local requests
  if [[ "$1" == wrk ]]; then requests=$(awk '/requests in/ {print $1}' <<<"$out")
  else requests=$(awk '/^requests / {print $2}' <<<"$out"); fi
  echo "$(instructions "$BENCH_TMP/$name") $requests"
}
cost() { python3 -c "import sys; a=list(map(float, sys.argv[1:])); print(f'{(a[2]-a[0])/max(1,a[3]-a[1]):.0f}')" "$@"; }

# One run's "instructions requests", or the bench stops saying which run failed.
counted() {
  local line
  line=$(run_callgrind "$@") || { echo "instructions.sh: the $1 run failed (a failed request, or valgrind)" >&2; exit 1; }
  echo "$line"
}
read -r lg_ir1 lg_n1 <<<"$(counted loadgate-short "$short" "$bench" "$url" "$users" 1 "$short")"
read -r lg_ir2 lg_n2 <<<"$(counted loadgate-long "$long" "$bench" "$url" "$users" 1 "$long")"
read -r wrk_ir1 wrk_n1 <<<"$(counted wrk-short "$short" wrk -t1 -c"$users" -d"${short}s" "$url")"
read -r wrk_ir2 wrk_n2 <<<"$(counted wrk-long "$long" wrk -t1 -c"$users" -d"${long}s" "$url")"
lg=$(cost "$lg_ir1" "$lg_n1" "$lg_ir2" "$lg_n2")
wrk=$(cost "$wrk_ir1" "$wrk_n1" "$wrk_ir2" "$wrk_n2")
echo "loadgate: $lg_n1 and $lg_n2 requests, $lg_ir1 and $lg_ir2 instructions"
echo "wrk:      $wrk_n1 and $wrk_n2 requests, $wrk_ir1 and $wrk_ir2 instructions"
# Where they go: each side's HTTP response parser, per request of the long run. loadgate's is
# counted inclusive (its pieces are several functions; the reader it calls does nothing here);
# wrk's is http_parser_execute itself, exclusive, because wrk handles the whole response (its
# statistics, the next request's write) in callbacks from inside it.
parser_share() {  # name function inclusive(yes/no) requests -> instructions per request in it
  local total=0 f n
  for f in "$BENCH_TMP/$1".*; do
    n=$(callgrind_annotate --inclusive="$3" "$f" 2>/dev/null | awk -v fn="$2" 'index($0, fn) && !/=>/ {gsub(",", "", $1); print $1; exit}')
    total=$((total + ${n:-0}))
  done
  python3 -c "print(f'{$total / max(1, $4):.0f}')"
}
lg_parser=$(parser_share loadgate-long "response_parser::put(" yes "$lg_n2")
wrk_parser=$(parser_share wrk-long "http_parser_execute" no "$wrk_n2")
echo "response parser per request: loadgate $lg_parser (protocol::response_parser::put, inclusive), wrk $wrk_parser (http_parser_execute, exclusive)"
echo "=== instructions per request (user space): loadgate $lg, wrk $wrk, loadgate/wrk $(python3 -c "print(f'{$lg / $wrk:.2f}')")  (goal <= 1.00)"
