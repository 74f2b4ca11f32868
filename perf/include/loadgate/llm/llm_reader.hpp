#pragma once
// The response readers of LLM requests. Besides pass/fail, they produce an llm_observation.
//
// Engine hooks (see the report in perf/src/llm/README.md):
//   auto reader = task.reader();
//   auto* llm = dynamic_cast<llm::llm_reader*>(reader.get());
//   if (llm) llm->start(t0);            // before the first byte is sent
//   ... on_status / on_header / on_body / finish(done) ...
//   if (llm) record(llm->observation());  // after finish
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

  void start(clock::time_point t0) { observation_.t0 = t0; }
  // The adapter the request asked for ("" = base model). Without it the x-adapter-id header is used.
  void adapter(std::string id) {
    observation_.adapter = std::move(id);
    adapter_known_ = true;
  }

  void on_header(std::string_view name, std::string_view value) final {
    observation_.server.capture(name, value);
  }

  // Complete once finish() has returned.
  const llm_observation& observation() const { return observation_; }
  llm_observation take_observation() { return std::move(observation_); }

 protected:
  // Shared by both readers at finish(): adapter, server-reported counts, failure.
  std::optional<failure_kind> conclude(std::optional<failure_kind> failure);

  llm_observation observation_;
  bool adapter_known_ = false;
};

}  // namespace loadgate::llm
