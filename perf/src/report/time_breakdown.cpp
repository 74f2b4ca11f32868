#include "loadgate/time_breakdown.hpp"

#include <algorithm>

namespace loadgate {

std::optional<time_breakdown> breakdown_of(const tally& t) {
  const auto& total = t.of(measure::server_total);
  if (total.empty() || t.of(measure::server_ttft).empty() || t.of(measure::server_inference).empty()) return std::nullopt;
  // Every part is a sum over the same requests, those that carried the server's total, divided by
  // their count: a part the server sent only for some of them (the adapter load, sent only for
  // adapter requests) counts as 0 for the others, so the parts add up.
  const auto n = static_cast<double>(total.count());
  const auto mean_ms = [&](measure m) { return static_cast<double>(t.of(m).sum()) / n / 1000.0; };
  time_breakdown b;
  b.samples = total.count();
  b.client_network_ms = mean_ms(measure::e2e_minus_server_total);
  b.adapter_load_ms = mean_ms(measure::server_adapter_load);
  const double server_inference = mean_ms(measure::server_inference);
  const double server_ttft = mean_ms(measure::server_ttft);
  // Clamped at 0: the server's figures are rounded, and a part cannot be negative.
  b.queue_ms = std::max(0.0, mean_ms(measure::server_total) - server_inference - b.adapter_load_ms);
  b.prefill_ms = std::min(server_ttft, server_inference);
  b.decode_ms = std::max(0.0, server_inference - server_ttft);
  return b;
}

}  // namespace loadgate
