#!/usr/bin/env bash
# Writes the fuzzers' seed corpora (tests/fuzz/corpus/<fuzzer>/) from real traffic: lorax-sim's
# responses on every route (streams, bodies, error bodies), the request bodies that produced
# them, and a scenario file, result.json and baseline written by the loadgate command. Each
# input's first byte is the fuzzer's selector (route, status or file kind), as the fuzzers read it.
#   bash tests/fuzz/seed_corpus.sh [BUILD_DIR]     (default build/ci: lorax-sim and loadgate built)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/ci}
sim=$build/fixtures/lorax-sim/lorax-sim
loadgate=$build/perf/cli/loadgate
out=tests/fuzz/corpus
work=$(mktemp -d)
trap 'kill $sim_pid 2>/dev/null; rm -rf "$work"' EXIT

"$sim" --quiet --time-scale 0.01 --port-file "$work/port" & sim_pid=$!
for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.05; done
url=http://127.0.0.1:$(cat "$work/port")

# seed FUZZER NAME SELECTOR_BYTE FILE: the selector, then the file's bytes.
seed() {
  mkdir -p "$out/$1"
  { printf "\\x$(printf %02x "$3")"; cat "$4"; } >"$out/$1/$2"
}
# post ROUTE BODY OUTPUT: the response body, whatever its status.
post() { curl -s -m 10 -X POST "$url$1" -H 'content-type: application/json' -d "$2" -o "$3" || true; }

adapter=loadgate/support-lora-v1
declare -A bodies=(
  [generate]='{"inputs":"hello there","parameters":{"max_new_tokens":4,"adapter_id":"'$adapter'","details":true}}'
  [generate_stream]='{"inputs":"hello there","parameters":{"max_new_tokens":4,"adapter_id":"'$adapter'"}}'
  [completions]='{"model":"'$adapter'","prompt":"hello there","max_tokens":4,"stream":true,"stream_options":{"include_usage":true}}'
  [chat_completions]='{"model":"'$adapter'","messages":[{"role":"user","content":"hello"}],"max_tokens":4,"stream":true}'
)
declare -A routes=([generate]=/generate [generate_stream]=/generate_stream [completions]=/v1/completions
                   [chat_completions]=/v1/chat/completions)
declare -A route_byte=([generate]=0 [generate_stream]=1 [completions]=2 [chat_completions]=3)
for name in generate generate_stream completions chat_completions; do
  printf %s "${bodies[$name]}" >"$work/$name.request"
  seed sim_request_fuzz "$name" "${route_byte[$name]}" "$work/$name.request"
  post "${routes[$name]}" "${bodies[$name]}" "$work/$name.response"
done
# Streams for the SSE fuzzer (selector: where reads split); bodies for the body fuzzer (selector: status).
for name in generate_stream completions chat_completions; do seed sse_stream_fuzz "$name" 7 "$work/$name.response"; done
seed response_body_fuzz generate 0 "$work/generate.response"
post /v1/completions '{"model":"'$adapter'","prompt":"hi","max_tokens":4}' "$work/completion.response"
seed response_body_fuzz completion 0 "$work/completion.response"
post /generate '{"inputs":"hi","parameters":{"max_new_tokens":0}}' "$work/validation.response"
seed response_body_fuzz validation_422 4 "$work/validation.response"
seed sim_request_fuzz invalid_generate 0 <(printf '{"inputs":"hi","parameters":{"max_new_tokens":0}}')
post /v1/chat/completions '{"model":"no/such-adapter","messages":[{"role":"user","content":"hi"}]}' "$work/unknown.response"
seed response_body_fuzz unknown_adapter 3 "$work/unknown.response"

# Stored files (selector: 0 scenario, 1 result, 2 baseline), from a short real run.
cat >"$work/scenario.json" <<JSON
{"name": "seed", "duration_s": 0.3, "grace_s": 1, "load": {"model": "closed", "users": 2},
 "tasks": [{"type": "lorax.generate", "name": "generate", "max_new_tokens": 4}]}
JSON
"$loadgate" run "$url" --scenario "$work/scenario.json" --quiet --out "$work/runs" >/dev/null
run_folder=$(ls -d "$work"/runs/*/)
"$loadgate" baseline record "$work/baseline.json" "$run_folder" >/dev/null
# Without the derived summary, which the reader skips: the fuzzer spends its bytes on the record.
jq -c 'del(.summary)' "$run_folder/result.json" >"$work/result.json"
jq -c . "$work/scenario.json" >"$work/scenario.min.json"
jq -c . "$work/baseline.json" >"$work/baseline.min.json"
seed stored_files_fuzz scenario 0 "$work/scenario.min.json"
seed stored_files_fuzz result 1 "$work/result.json"
seed stored_files_fuzz baseline 2 "$work/baseline.min.json"
cp perf/deploy/k8s/scenario.json "$work/k8s.json" && seed stored_files_fuzz k8s_scenario 0 "$work/k8s.json"
du -sh "$out"/*
