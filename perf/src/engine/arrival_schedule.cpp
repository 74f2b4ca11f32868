#include "engine/arrival_schedule.hpp"

#include "engine/load_targets.hpp"
#include "engine/seeding.hpp"

namespace loadgate::engine {
namespace {

constexpr double step = 0.001;  // seconds: how finely a changing rate is followed

std::chrono::nanoseconds seconds_to_ns(double s) {
  return std::chrono::nanoseconds{static_cast<std::int64_t>(s * 1e9)};
}

}  // namespace

arrival_schedule::arrival_schedule(const scenario& s, clock::time_point start, partition mine)
    : s_{s},
      start_{start},
      mine_{mine},
      rng_{stream_seed(s.seed(), stream::schedule, 0)},
      duration_{std::chrono::duration<double>(s.duration()).count()} {}

std::optional<arrival> arrival_schedule::next_own() {
  for (;;) {
    auto a = next();
    if (!a || mine_.owns(a->index)) return a;
  }
}

std::optional<arrival> arrival_schedule::next() {
  // The gap at unit rate, in "arrivals' worth" of time.
  double work = std::chrono::duration<double>(s_.arrivals().next_gap(1.0, rng_)).count();
  if (s_.stages().empty()) {
    // One rate: the arrival is at the work done before it over the rate, the first at 0. For
    // constant arrivals the work is a whole number, so arrival i is at exactly i / rate, and
    // [0, duration) holds rate × duration of them however the gaps would have rounded when added.
    const double at = work_before_ / s_.rate();
    work_before_ += work;
    if (at >= duration_) return std::nullopt;
    return arrival{index_++, start_ + seconds_to_ns(at)};
  }
  for (;;) {
    if (elapsed_ >= duration_) return std::nullopt;
    const auto rate = target_rate(s_, seconds_to_ns(elapsed_));
    if (!rate) return std::nullopt;
    if (*rate <= 0) {
      elapsed_ += step;
      continue;
    }
    const double needed = work / *rate;
    if (needed <= step) {
      elapsed_ += needed;
      break;
    }
    elapsed_ += step;
    work -= *rate * step;
  }
  if (elapsed_ >= duration_) return std::nullopt;
  return arrival{index_++, start_ + seconds_to_ns(elapsed_)};
}

}  // namespace loadgate::engine
