#include "loadgate/duration_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "loadgate/error.hpp"

namespace loadgate {
namespace {

struct unit {
  std::string_view suffix;
  double nanoseconds;
};

// Longest suffixes first, so that "ms" is not read as "m" followed by garbage.
constexpr unit units[] = {{"ms", 1e6}, {"us", 1e3}, {"ns", 1.0}, {"h", 3600e9}, {"m", 60e9}, {"s", 1e9}};

[[noreturn]] void reject(std::string_view text) {
  throw configuration_error("'" + std::string{text} +
                            "' is not a duration: write a number and a unit, such as 250ms, 30s, 1.5m or 2h "
                            "(units: ns, us, ms, s, m, h)");
}

}  // namespace

std::chrono::nanoseconds parse_duration(std::string_view text) {
  for (const auto& u : units) {
    if (text.size() <= u.suffix.size() || !text.ends_with(u.suffix)) continue;
    const auto number = text.substr(0, text.size() - u.suffix.size());
    double value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc{} || end != number.data() + number.size()) reject(text);
    if (!std::isfinite(value) || value < 0) reject(text);
    return std::chrono::nanoseconds{static_cast<std::int64_t>(std::llround(value * u.nanoseconds))};
  }
  reject(text);
}

std::string format_duration(std::chrono::nanoseconds d) {
  const double ns = static_cast<double>(d.count());
  char buffer[32];
  if (ns >= 3600e9 && std::fmod(ns, 3600e9) == 0) {
    std::snprintf(buffer, sizeof buffer, "%.0fh", ns / 3600e9);
  } else if (ns >= 60e9 && std::fmod(ns, 60e9) == 0) {
    std::snprintf(buffer, sizeof buffer, "%.0fm", ns / 60e9);
  } else if (ns >= 1e9) {
    std::snprintf(buffer, sizeof buffer, "%gs", ns / 1e9);
  } else if (ns >= 1e6) {
    std::snprintf(buffer, sizeof buffer, "%gms", ns / 1e6);
  } else if (ns >= 1e3) {
    std::snprintf(buffer, sizeof buffer, "%gus", ns / 1e3);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.0fns", ns);
  }
  return buffer;
}

}  // namespace loadgate
