#pragma once
// The response readers of LLM requests. Besides pass/fail, they produce an llm_observation.
//
// The engine drives them through response_reader's generic hooks, like any reader:
//   reader->begin(request, intended_start);  // adapter, and t0 in the open model
//   ... on_sent(sent) (t0 in the closed model) / on_status / on_header / on_body / finish(done) ...
//   reader->observe(observation);  // adds the LLM figures to the engine's observation
#include <string>
#include <string_view>

#include "loadgate/llm/llm_observation.hpp"
#include "loadgate/task.hpp"

namespace loadgate::llm {

class llm_reader : public response_reader {
 public:
  // t0 defaults to the reader's construction, which the engine does just before sending; an
  // engine in the open model must call start(intended_start) so latencies include the wait
  // for a free connection (coordinated omission).
  llm_reader() { observation_.t0 = clock::now(); }

  void start(clock::time_point t0) {
    observation_.t0 = t0;
    t0_fixed_ = true;
  }
  // The adapter the request asked for ("" = base model). Without it the x-adapter-id header is used.
  void adapter(std::string id) {
    observation_.adapter = std::move(id);
    adapter_known_ = true;
  }

  void on_header(std::string_view name, std::string_view value) final {
    observation_.server.capture(name, value);
  }

  // Engine hooks: the requested adapter and, in the open model, the intended start as t0.
  void begin(const http_request& request, std::optional<clock::time_point> intended_start) final;
  // The closed model times from the send, as its latency histograms do (connecting is not part
  // of it); an intended start given to begin() or start() wins.
  void on_sent(clock::time_point sent) final {
    if (!t0_fixed_) observation_.t0 = sent;
  }
  // Adds what was read to `o`: TTFT, gaps, tokens, the server's timings (ms to ns), the adapter,
  // and the LLM error as the cause. A transport failure that kept finish() from running is
  // taken from `o`.
  void observe(loadgate::observation& o) final;

  // Complete once finish() has returned.
  const llm_observation& observation() const { return observation_; }

 protected:
  // Shared by both readers at finish(): adapter, server-reported counts, failure.
  std::optional<failure_kind> conclude(std::optional<failure_kind> failure);

  llm_observation observation_;
  bool adapter_known_ = false;
  bool t0_fixed_ = false;
  bool concluded_ = false;  // finish() has run
};

}  // namespace loadgate::llm
