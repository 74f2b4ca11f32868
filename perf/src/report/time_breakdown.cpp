#include "loadgate/time_breakdown.hpp"

#include <algorithm>

namespace loadgate {

std::optional<time_breakdown> breakdown_of(const tally& t) {
  const auto& total = t.of(measure::server_total);
  const auto& ttft = t.of(measure::server_ttft);
  const auto& difference = t.of(measure::e2e_minus_server_total);
  if (total.empty() || ttft.empty()) return std::nullopt;
  const auto mean_ms = [&t](measure m) { return t.of(m).mean() / 1000.0; };
  time_breakdown b;
  b.samples = total.count();
  b.client_network_ms = difference.empty() ? 0 : difference.mean() / 1000.0;
  const double server_queue = mean_ms(measure::server_queue);
  b.adapter_load_ms = mean_ms(measure::server_adapter_load);
  // Clamped at 0: the server's figures are rounded, and a part cannot be negative.
  b.queue_ms = std::max(0.0, server_queue - b.adapter_load_ms);
  b.prefill_ms = std::max(0.0, ttft.mean() / 1000.0 - server_queue);
  b.decode_ms = std::max(0.0, total.mean() / 1000.0 - ttft.mean() / 1000.0);
  return b;
}

}  // namespace loadgate
