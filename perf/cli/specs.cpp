#include "cli/specs.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "loadgate/duration_text.hpp"
#include "loadgate/error.hpp"

namespace loadgate::cli {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

double parse_number(std::string_view text, std::string_view what) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw configuration_error(std::string{what} + ": '" + std::string{text} + "' is not a number");
  }
  return value;
}

[[noreturn]] void reject(std::string_view option, std::string_view spec, std::string_view expected) {
  throw configuration_error(std::string{option} + " '" + std::string{spec} + "': expected " + std::string{expected});
}

}  // namespace

think_time parse_think_time(std::string_view spec) {
  constexpr std::string_view expected =
      "none, constant:1s, between:500ms:1500ms, pacing:2s or throughput:0.5 (tasks per second per user)";
  const auto parts = split(spec, ':');
  const auto kind = parts[0];
  if (kind == "none" && parts.size() == 1) return think_time{};
  if (kind == "constant" && parts.size() == 2) return constant(parse_duration(parts[1]));
  if (kind == "between" && parts.size() == 3) {
    const auto low = parse_duration(parts[1]);
    const auto high = parse_duration(parts[2]);
    if (high < low) reject("--think", spec, "the lower bound first (between:LOW:HIGH)");
    return between(low, high);
  }
  if (kind == "pacing" && parts.size() == 2) return constant_pacing(parse_duration(parts[1]));
  if (kind == "throughput" && parts.size() == 2) {
    const double per_second = parse_number(parts[1], "--think throughput");
    if (per_second <= 0) reject("--think", spec, "a positive number of tasks per second");
    return constant_throughput(per_second);
  }
  reject("--think", spec, expected);
}

arrival_process parse_arrivals(std::string_view spec) {
  const auto parts = split(spec, ':');
  if (parts[0] == "constant" && parts.size() == 1) return arrival_process::constant();
  if (parts[0] == "poisson" && parts.size() == 1) return arrival_process::poisson();
  if (parts[0] == "gamma" && parts.size() == 2) {
    const double burstiness = parse_number(parts[1], "--arrivals gamma");
    if (burstiness <= 0) reject("--arrivals", spec, "a positive burstiness (1 = Poisson, < 1 burstier)");
    return arrival_process::gamma(burstiness);
  }
  reject("--arrivals", spec, "constant, poisson or gamma:BURSTINESS");
}

stage parse_stage(std::string_view spec) {
  const auto parts = split(spec, ':');
  if (parts.size() != 3) reject("--stage", spec, "TARGET:RAMP:HOLD, e.g. 100:10s:1m");
  const double target = parse_number(parts[0], "--stage target");
  if (target < 0) reject("--stage", spec, "a target of at least 0");
  return stage{target, parse_duration(parts[1]), parse_duration(parts[2])};
}

}  // namespace loadgate::cli
