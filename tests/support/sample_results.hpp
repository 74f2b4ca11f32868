#pragma once
// A small, fully known result for the reporters' tests: five one-second windows of two request
// names (a plain HTTP one and a streamed LLM one with server timings), two adapters of which each
// first request is cold, and failures of two kinds with causes.
#include <chrono>
#include <cstdint>
#include <string>

#include "loadgate/result.hpp"
#include "observations.hpp"

namespace loadgate::test_support {

inline observation streamed(std::chrono::milliseconds latency, const std::string& adapter) {
  using namespace std::chrono_literals;
  observation o;
  o.llm = true;
  o.adapter = adapter;
  o.latency = latency;
  o.latency_uncorrected = latency;
  o.ttft = latency / 4;
  o.e2e = latency;
  o.output_tokens = 11;
  o.token_source = token_count_source::server;
  o.tpot = (latency - latency / 4) / 10;
  for (int i = 0; i < 10; ++i) o.inter_token_gaps.push_back(*o.tpot);
  o.server_queue = latency / 10;
  o.server_adapter_load = adapter == "org/cold-lora" ? latency / 20 : 0ms;
  o.server_total = latency - 2ms;
  o.server_inference = *o.server_total - *o.server_queue;  // no validation time
  o.server_ttft = latency / 8;  // LoRAX's: from batch entry to the end of prefill
  o.met_slo = true;
  return o;
}

inline result sample_result() {
  using namespace std::chrono_literals;
  result r;
  r.info.scenario = "sample";
  r.info.target = "http://127.0.0.1:1";
  r.info.started_unix_ms = 1'700'000'000'600;  // not on a whole second
  r.info.planned_duration = 5s;
  r.info.measured_duration = 5s;
  r.info.threads = 1;
  r.info.peak_users = 4;
  for (std::size_t w = 0; w < 5; ++w) {
    r.series.window(w).active_users = 4;
    for (int i = 1; i <= 20; ++i) {
      const auto since = std::chrono::milliseconds{static_cast<int>(w) * 1000 + i * 40};
      r.file("health", observed_success(std::chrono::milliseconds{i}), since, w);
      r.file("stream", streamed(std::chrono::milliseconds{100 + 10 * i}, i % 2 ? "org/cold-lora" : "org/warm-lora"), since, w);
    }
    r.file("health", observed_failure(failure_kind::http_5xx, "HTTP 503: busy, \"try later\""), std::chrono::seconds{w}, w);
  }
  r.file("stream", observed_failure(failure_kind::timeout, "request deadline of 1s passed"), 4s, 4);
  return r;
}

// Histograms hold microseconds; the reports print milliseconds.
inline double ms_of(std::int64_t us) { return static_cast<double>(us) / 1000.0; }

}  // namespace loadgate::test_support
