#include "loadgate/llm/cold_tracker.hpp"

#include <tuple>

#include <nlohmann/json.hpp>

namespace loadgate::llm {
namespace {

// Starts can tie (two shards, one clock tick); the rest of the request breaks the tie so that
// the merge order never changes the answer.
bool earlier(const adapter_request& a, const adapter_request& b) {
  const auto ttft_a = a.ttft.value_or(std::chrono::nanoseconds::max());
  const auto ttft_b = b.ttft.value_or(std::chrono::nanoseconds::max());
  return std::tie(a.started, a.latency, ttft_a, a.failed, a.server_cold) <
         std::tie(b.started, b.latency, ttft_b, b.failed, b.server_cold);
}

}  // namespace

std::optional<adapter_request> cold_tracker::offer(const std::string& adapter, const adapter_request& r) {
  const auto [it, inserted] = first_.try_emplace(adapter, r);
  if (inserted) return std::nullopt;
  if (!earlier(r, it->second)) return r;
  auto displaced = it->second;
  it->second = r;
  return displaced;
}

bool cold_tracker::is_first_sight(const std::string& adapter, const adapter_request& r) const {
  const auto it = first_.find(adapter);
  return it != first_.end() && it->second == r;
}

void to_json(nlohmann::json& j, const adapter_request& r) {
  // Nanoseconds, not µs: the order of first sights must survive a JSON round trip exactly.
  j = {{"started_ns", r.started.count()},
       {"failed", r.failed},
       {"latency_ns", r.latency.count()},
       {"server_cold", r.server_cold}};
  if (r.ttft) j["ttft_ns"] = r.ttft->count();
}

void from_json(const nlohmann::json& j, adapter_request& r) {
  using std::chrono::nanoseconds;
  r = {};
  r.started = nanoseconds{j.at("started_ns").get<std::int64_t>()};
  r.failed = j.at("failed").get<bool>();
  r.latency = nanoseconds{j.at("latency_ns").get<std::int64_t>()};
  r.server_cold = j.at("server_cold").get<bool>();
  if (j.contains("ttft_ns")) r.ttft = nanoseconds{j.at("ttft_ns").get<std::int64_t>()};
}

}  // namespace loadgate::llm
