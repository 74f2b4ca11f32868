-- wrk script of perf/bench/simulator.sh: POST /generate with a short output.
wrk.method = "POST"
wrk.path = "/generate"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"inputs":"benchmark prompt with a few words","parameters":{"max_new_tokens":4}}'

done = function(summary, latency, requests)
  -- No response() callback: it would put Lua on wrk's hot path. Non-2xx are counted here.
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
