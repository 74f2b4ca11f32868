#pragma once
// Where the time went: a request's end-to-end time split into what the client and the network
// added and what the server spent queueing, loading the adapter, prefilling and decoding, from
// the server's own timings (x-total-time, x-inference-time, x-time-to-first-token,
// x-adapter-load-time, or a stream's final `timings`).
//
// The parts are means over the successful requests that carried the server's total time (a part
// the server did not send for a request counts as 0 for it). Means add up where percentiles do
// not, so the parts sum to the mean end-to-end time and a change of p95 can be
// told apart: all of it queue, or cold adapter loads, or the generator's own network.
//   client_network = e2e − server total  (per request, then averaged)
//   adapter_load   = server adapter load (0 when the server does not say)
//   queue          = server total − server inference − adapter load: validation and the queue up
//                    to the request's first step, which includes the wait for its adapter
//   prefill        = server TTFT, which in LoRAX runs from batch entry to the end of prefill
//   decode         = server inference − server TTFT
#include <cstdint>
#include <optional>

#include "loadgate/tally.hpp"

namespace loadgate {

struct time_breakdown {
  double client_network_ms = 0;
  double queue_ms = 0;
  double adapter_load_ms = 0;
  double prefill_ms = 0;
  double decode_ms = 0;
  std::uint64_t samples = 0;  // requests with server timings

  double total_ms() const { return client_network_ms + queue_ms + adapter_load_ms + prefill_ms + decode_ms; }
};

// Nothing when the tally's requests carried no server total, inference and TTFT (plain HTTP, or a
// target that sends no timings, as vLLM).
std::optional<time_breakdown> breakdown_of(const tally& t);

}  // namespace loadgate
