#pragma once
// Prometheus's text exposition format (version 0.0.4), read strictly: what a server's /metrics
// answers while a run scrapes it. No packaged parser exists on Debian (prometheus-cpp writes the
// format, it does not read it), so this one is small and has its own fuzz test.
//
//   # HELP name text          (ignored)
//   # TYPE name counter|gauge|histogram|summary|untyped
//   name{label="value",...} 12.5 [timestamp_ms]
//
// Values are floats, NaN, +Inf or -Inf; label values escape \\, \" and \n. Other comments and
// empty lines are skipped. A line that breaks the grammar is an error naming its number, and text
// that does not end with a line feed (cut short) is an error.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loadgate::protocol {

struct prometheus_sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in the order written
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;

  bool operator==(const prometheus_sample&) const = default;
};

class prometheus_text_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws prometheus_text_error: "line 3: expected '=' after the label name 'le'".
std::vector<prometheus_sample> parse_prometheus_text(std::string_view text);

}  // namespace loadgate::protocol
