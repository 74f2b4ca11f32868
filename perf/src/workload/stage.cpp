#include "loadgate/stage.hpp"

#include <string>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "detail/strict_json.hpp"

namespace loadgate {

using std::chrono::nanoseconds;

nanoseconds total_duration(const load_shape& shape) {
  nanoseconds total{0};
  for (const auto& s : shape) total += s.ramp + s.hold;
  return total;
}

// Stage intervals are half-open: at the exact end of a ramp the target is reached and held; at
// the exact end of the last hold the shape is over.
std::optional<double> target_at(const load_shape& shape, nanoseconds elapsed, double initial) {
  if (elapsed < nanoseconds{0}) elapsed = nanoseconds{0};
  double from = initial;
  for (const auto& s : shape) {
    if (elapsed < s.ramp) {
      const double progress = static_cast<double>(elapsed.count()) / static_cast<double>(s.ramp.count());
      return from + (s.target - from) * progress;
    }
    elapsed -= s.ramp;
    if (elapsed < s.hold) return s.target;
    elapsed -= s.hold;
    from = s.target;
  }
  return std::nullopt;
}

// {"target": 100, "ramp_s": 10, "hold_s": 60}; ramp_s and hold_s default to 0.
void to_json(nlohmann::json& j, const stage& s) {
  using detail::to_unit;
  using sec = std::chrono::seconds;
  j = {{"target", s.target}, {"ramp_s", to_unit<sec>(s.ramp)}, {"hold_s", to_unit<sec>(s.hold)}};
}

void from_json(const nlohmann::json& j, stage& out) {
  using namespace detail;
  using sec = std::chrono::seconds;
  constexpr std::string_view where = "stage";
  detail::reject_unknown_fields(j, where, {"target", "ramp_s", "hold_s"});
  stage s;
  s.target = number_field(j, where, "target");
  s.ramp = from_unit<sec>(number_field(j, where, "ramp_s", 0), where, "ramp_s");
  s.hold = from_unit<sec>(number_field(j, where, "hold_s", 0), where, "hold_s");
  out = s;
}

}  // namespace loadgate
