#pragma once
// Which request was the first to each adapter in a run: that one paid the adapter's download and
// load (LoRAX loads an unseen adapter on its first request), so it is "cold".
//
// Why not a per-thread "first time I see it" flag: with T threads (or S shards) each one would tag
// its own first request, up to T·S colds per adapter. Why not a shared set: it costs a lock on
// the measured path and still orders requests by completion, not by arrival at the server. So the
// tracker keeps, per adapter, the request with the earliest start (t0 relative to the run's start,
// which shards share), and merging keeps the earlier of the two: the result is the same whatever
// the threads, shards and merge order. A verdict is provisional until every tracker is merged;
// the requests that lose their first-sight status are handed back to be counted as warm.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace loadgate::llm {

// What adapter statistics keep of one request.
struct adapter_request {
  std::chrono::nanoseconds started{};  // t0 − the run's start
  bool failed = false;
  std::chrono::nanoseconds latency{};  // E2E, from t0
  std::optional<std::chrono::nanoseconds> ttft;
  bool server_cold = false;  // the server said it loaded the adapter for this request
  bool operator==(const adapter_request&) const = default;
};

class cold_tracker {
 public:
  // Offers a request to `adapter`. Returns the request that is not the first sight: `r` itself
  // when an earlier one is known, the displaced request when `r` started earlier, nothing when
  // `r` is the first request to the adapter seen so far.
  std::optional<adapter_request> offer(const std::string& adapter, const adapter_request& r);

  // Takes every first sight of `other`; calls on_displaced(adapter, request) for each request
  // that stops being a first sight.
  template <class F>
  void merge(const cold_tracker& other, F&& on_displaced) {
    for (const auto& [adapter, r] : other.first_)
      if (auto displaced = offer(adapter, r)) on_displaced(adapter, *displaced);
  }

  bool is_first_sight(const std::string& adapter, const adapter_request& r) const;
  const std::map<std::string, adapter_request>& first_sights() const { return first_; }
  bool operator==(const cold_tracker&) const = default;

 private:
  std::map<std::string, adapter_request> first_;
};

// {"started_ns": 1200, "failed": false, "latency_ns": 900, "ttft_ns": 40, "server_cold": true}
void to_json(nlohmann::json& j, const adapter_request& r);
void from_json(const nlohmann::json& j, adapter_request& r);

}  // namespace loadgate::llm
