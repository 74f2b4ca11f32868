// The Prometheus text reader (what a run scrapes from the server's /metrics) on arbitrary bytes:
// it either reads samples or throws its own error, never anything else, and what it reads, written
// back in the canonical form, reads the same (names, labels and their escapes, values, stamps).
// The vocabulary mapping on top of it throws nothing else either.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "loadgate/llm/server_metrics.hpp"
#include "protocol/prometheus_text.hpp"

namespace {

using loadgate::protocol::prometheus_sample;

std::string escaped(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string canonical(const std::vector<prometheus_sample>& samples) {
  std::string out;
  char number[64];
  for (const auto& s : samples) {
    out += s.name;
    if (!s.labels.empty()) {
      out += '{';
      for (std::size_t i = 0; i < s.labels.size(); ++i) out += (i ? "," : "") + s.labels[i].first + "=\"" + escaped(s.labels[i].second) + '"';
      out += '}';
    }
    if (std::isnan(s.value)) out += " NaN";
    else if (std::isinf(s.value)) out += s.value > 0 ? " +Inf" : " -Inf";
    else {
      std::snprintf(number, sizeof number, " %.17g", s.value);
      out += number;
    }
    if (s.timestamp_ms) out += " " + std::to_string(*s.timestamp_ms);
    out += '\n';
  }
  return out;
}

bool same(const prometheus_sample& a, const prometheus_sample& b) {
  const bool values = (std::isnan(a.value) && std::isnan(b.value)) || a.value == b.value;
  return a.name == b.name && a.labels == b.labels && values && a.timestamp_ms == b.timestamp_ms;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  std::vector<prometheus_sample> samples;
  try {
    samples = loadgate::protocol::parse_prometheus_text(text);
  } catch (const loadgate::protocol::prometheus_text_error&) {
    return 0;
  }
  const auto again = loadgate::protocol::parse_prometheus_text(canonical(samples));
  if (again.size() != samples.size()) std::abort();
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (!same(samples[i], again[i])) std::abort();
  (void)loadgate::llm::server_readings(text, {"kube_deployment_status_replicas"});
  return 0;
}
