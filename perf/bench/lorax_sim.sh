# Sourced by simulator.sh and streams.sh: one lorax-sim at a time on a free loopback port, stopped
# (and its temporary folder removed) when the script exits.
#   start_sim FLAGS...   starts $SIM with FLAGS, under `taskset -c $SIM_CPUS` when that is set;
#                        sets SIM_PID and SIM_PORT
#   stop_sim
#   sim_cpu_seconds      CPU seconds (user + system) the running simulator has used so far
SIM_WORK=$(mktemp -d)
SIM_PID=""
trap 'stop_sim; rm -rf "$SIM_WORK"' EXIT

start_sim() {
  local pin=()
  [[ -n "${SIM_CPUS:-}" ]] && pin=(taskset -c "$SIM_CPUS")
  rm -f "$SIM_WORK/port"
  "${pin[@]}" "$SIM" --port 0 --port-file "$SIM_WORK/port" --quiet "$@" &
  SIM_PID=$!
  for _ in $(seq 500); do [[ -s "$SIM_WORK/port" ]] && break; sleep 0.01; done  # bounded start-up wait
  [[ -s "$SIM_WORK/port" ]] || { echo "$(basename "$0"): lorax-sim did not start" >&2; exit 1; }
  SIM_PORT=$(cat "$SIM_WORK/port")
}

stop_sim() {
  if [[ -n "$SIM_PID" ]]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
  SIM_PID=""
}

# From /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks; the command name in
# parentheses may contain spaces, so fields are counted after its closing parenthesis.
sim_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz }' "/proc/$SIM_PID/stat"
}
