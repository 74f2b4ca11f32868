# Sourced by the nginx benches (throughput.sh, memory.sh, threads.sh, instructions.sh; named for
# the first): an nginx on a free loopback port, one worker on CPU 0 unless told otherwise, serving
# a tiny static file, configured in a temporary directory removed on exit.
#   start_nginx [worker_connections]   sets NGINX_PORT and NGINX_PID; NGINX_WORKERS (1) worker
#                                      processes on NGINX_CPUS (0; "all": unpinned)
#   rss_kib PID                        prints VmRSS of a process in KiB

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_nginx() {
  local connections=${1:-1024}
  BENCH_TMP=$(mktemp -d)
  chmod 755 "$BENCH_TMP"  # the worker runs as an unprivileged user
  trap 'stop_nginx' EXIT
  NGINX_PORT=$(free_port)
  mkdir -p "$BENCH_TMP/www" "$BENCH_TMP/logs"
  printf 'ok\n' > "$BENCH_TMP/www/index.html"
  cat > "$BENCH_TMP/nginx.conf" <<CONF
worker_processes ${NGINX_WORKERS:-1};
worker_rlimit_nofile $((connections + 100));
pid $BENCH_TMP/nginx.pid;
error_log $BENCH_TMP/logs/error.log warn;
events { worker_connections $connections; }
http {
  access_log off;
  client_body_temp_path $BENCH_TMP/body;
  proxy_temp_path $BENCH_TMP/proxy;
  fastcgi_temp_path $BENCH_TMP/fastcgi;
  uwsgi_temp_path $BENCH_TMP/uwsgi;
  scgi_temp_path $BENCH_TMP/scgi;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    root $BENCH_TMP/www;
    location / { index index.html; }
  }
}
CONF
  # By default nginx on CPU 0, the load generators on CPU 1: each side gets one core, the same for every tool.
  local pin=(taskset -c "${NGINX_CPUS:-0}")
  [[ "${NGINX_CPUS:-0}" == all ]] && pin=()
  "${pin[@]}" nginx -p "$BENCH_TMP" -c "$BENCH_TMP/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/"; then return 0; fi
    sleep 0.05
  done
  echo "nginx did not start; see $BENCH_TMP/logs/error.log" >&2
  cat "$BENCH_TMP/logs/error.log" >&2 || true
  exit 1
}

stop_nginx() {
  if [[ -n "${NGINX_PID:-}" ]]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  [[ -n "${BENCH_TMP:-}" ]] && rm -rf "$BENCH_TMP"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

find_bench() {
  local name=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  local dir=${LOADGATE_BUILD_DIR:-$root/build/perf}
  if [[ ! -x "$dir/perf/bench/$name" ]]; then
    echo "$dir/perf/bench/$name not found: build it with" >&2
    echo "  cmake --preset perf && cmake --build build/perf --target $name   (or set LOADGATE_BUILD_DIR)" >&2
    exit 2
  fi
  echo "$dir/perf/bench/$name"
}
