#include "loadgate/gate/knee.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "detail/format_number.hpp"
#include "gate/blocks.hpp"
#include "loadgate/gate/metric.hpp"

namespace loadgate {
namespace {

using detail::format_number;

// Points between two adjacent x values that are tried as knees besides the values themselves.
constexpr int knees_between_levels = 15;

// Solves the 3×3 system m·c = v by Gaussian elimination with partial pivoting; false when a
// pivot vanishes (the columns are dependent: the candidate knee leaves a segment without slope).
bool solve(std::array<std::array<double, 3>, 3> m, std::array<double, 3> v, std::array<double, 3>& c) {
  double scale = 0;
  for (int i = 0; i < 3; ++i) scale = std::max(scale, std::abs(m[i][i]));
  for (int col = 0; col < 3; ++col) {
    int pivot = col;
    for (int row = col + 1; row < 3; ++row)
      if (std::abs(m[row][col]) > std::abs(m[pivot][col])) pivot = row;
    if (std::abs(m[pivot][col]) <= 1e-12 * scale) return false;
    std::swap(m[col], m[pivot]);
    std::swap(v[col], v[pivot]);
    for (int row = col + 1; row < 3; ++row) {
      const double f = m[row][col] / m[col][col];
      for (int k = col; k < 3; ++k) m[row][k] -= f * m[col][k];
      v[row] -= f * v[col];
    }
  }
  for (int row = 2; row >= 0; --row) {
    double s = v[row];
    for (int k = row + 1; k < 3; ++k) s -= m[row][k] * c[k];
    c[row] = s / m[row][row];
  }
  return true;
}

// The points of one fit, sorted by x and centred on their means (loads in the hundreds and
// latencies in µs then keep the normal equations well conditioned), with the sums over every
// suffix. The points past a knee are a suffix, so a candidate knee costs O(log n) instead of a
// pass over the points: an hour-long ramp has thousands of levels and 16 candidates per level.
class hinge_points {
 public:
  hinge_points(std::span<const double> x, std::span<const double> y) {
    std::vector<std::size_t> order(x.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    for (std::size_t i = 0; i < x.size(); ++i) {
      mean_x_ += x[i] / static_cast<double>(x.size());
      mean_y_ += y[i] / static_cast<double>(x.size());
    }
    for (const auto i : order) {
      x_.push_back(x[i] - mean_x_);
      y_.push_back(y[i] - mean_y_);
    }
    suffix_.resize(x_.size() + 1);
    for (std::size_t i = x_.size(); i-- > 0;) {
      auto m = suffix_[i + 1];
      m.n += 1;
      m.x += x_[i];
      m.xx += x_[i] * x_[i];
      m.y += y_[i];
      m.xy += x_[i] * y_[i];
      m.yy += y_[i] * y_[i];
      suffix_[i] = m;
    }
  }

  // A hinge with fewer than 2 points on a side fits that side's slope to one point: any knee
  // next to the ends would win by bending towards the last point's noise.
  bool supports(double knee) const {
    const double k = knee - mean_x_;
    const auto below = std::lower_bound(x_.begin(), x_.end(), k) - x_.begin();
    const auto above = x_.end() - std::upper_bound(x_.begin(), x_.end(), k);
    return below >= 2 && above >= 2;
  }

  // The least-squares hinge at `knee`. Its sse comes from the normal equations (Σy² − c·v), which
  // ranks candidates; exact_sse gives the winner's from its residuals.
  two_segment_fit fit_at(double knee) const {
    const double k = knee - mean_x_;
    const auto& all = suffix_.front();
    const auto& past = suffix_[static_cast<std::size_t>(std::upper_bound(x_.begin(), x_.end(), k) - x_.begin())];
    // h = max(0, x − k) is x − k on the points past the knee and 0 before it.
    const double h = past.x - k * past.n;
    const double xh = past.xx - k * past.x;
    const double hh = past.xx - 2 * k * past.x + k * k * past.n;
    const double hy = past.xy - k * past.y;
    const std::array<std::array<double, 3>, 3> m{{{all.n, all.x, h}, {all.x, all.xx, xh}, {h, xh, hh}}};
    const std::array<double, 3> v{all.y, all.xy, hy};
    std::array<double, 3> c{};
    two_segment_fit f;
    if (!solve(m, v, c)) return f;
    f.ok = true;
    f.knee = knee;
    f.intercept = mean_y_ + c[0] - c[1] * mean_x_;
    f.slope_before = c[1];
    f.slope_after = c[1] + c[2];
    f.sse = all.yy - (c[0] * v[0] + c[1] * v[1] + c[2] * v[2]);
    return f;
  }

  double exact_sse(const two_segment_fit& f) const {
    double sse = 0;
    for (std::size_t i = 0; i < x_.size(); ++i) {
      const double residual = y_[i] + mean_y_ - f.at(x_[i] + mean_x_);
      sse += residual * residual;
    }
    return sse;
  }

 private:
  struct moments {
    double n = 0;
    double x = 0;
    double xx = 0;
    double y = 0;
    double xy = 0;
    double yy = 0;
  };
  double mean_x_ = 0;
  double mean_y_ = 0;
  std::vector<double> x_;  // centred, ascending
  std::vector<double> y_;  // centred, in x_'s order
  std::vector<moments> suffix_;  // suffix_[i]: sums over points i, i+1, ...; the last is empty
};

std::string ms_per_user(double us_per_user) { return format_number(us_per_user / 1000, "%.3g"); }
std::string per_user(double value) { return format_number(value, "%.3g"); }
std::string users(double load) { return format_number(load, "%.1f") + " users"; }

std::string too_few_levels(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " load level" : " load levels") + "; knee detection needs at least " +
         std::to_string(knee_criteria::min_levels) + " (a staged or ramp run)";
}

nlohmann::json fit_json(const two_segment_fit& f, double unit_per_value, const char* unit) {
  if (!f.ok) return nullptr;
  return {{"knee", f.knee},
          {"intercept", f.intercept / unit_per_value},
          {"slope_before", f.slope_before / unit_per_value},
          {"slope_after", f.slope_after / unit_per_value},
          {"sse", f.sse / (unit_per_value * unit_per_value)},
          {"unit", unit}};
}

nlohmann::json knee_json(const knee& k, nlohmann::json fit) {
  return {{"found", k.found}, {"load", k.found ? nlohmann::json(k.load) : nlohmann::json(nullptr)}, {"why", k.why},
          {"fit", std::move(fit)}};
}

}  // namespace

double two_segment_fit::at(double x) const {
  return intercept + slope_before * x + (slope_after - slope_before) * std::max(0.0, x - knee);
}

two_segment_fit fit_two_segments(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw std::invalid_argument("fit_two_segments: x and y differ in size");
  std::vector<double> distinct(x.begin(), x.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < knee_criteria::min_levels) return {};
  const hinge_points points{x, y};
  two_segment_fit best;
  const auto consider = [&](double knee) {
    if (!points.supports(knee)) return;
    const auto f = points.fit_at(knee);
    if (f.ok && (!best.ok || f.sse < best.sse)) best = f;
  };
  for (std::size_t i = 0; i + 1 < distinct.size(); ++i) {
    consider(distinct[i]);
    for (int s = 1; s <= knees_between_levels; ++s)
      consider(distinct[i] + (distinct[i + 1] - distinct[i]) * s / (knees_between_levels + 1));
  }
  if (best.ok) best.sse = points.exact_sse(best);
  return best;
}

knee latency_knee(const two_segment_fit& fit, double highest_load) {
  if (!fit.ok) return {false, 0, "no two-segment fit of p50 latency"};
  const double before = fit.slope_before;
  const double after = fit.slope_after;
  const double at_knee = fit.at(fit.knee);
  const double rise = (after - before) * (highest_load - fit.knee);
  const std::string slopes = ms_per_user(before) + " → " + ms_per_user(after) + " ms per user";
  const std::string share = format_number(at_knee > 0 ? 100 * rise / at_knee : 0, "%.0f %%");
  if (after <= 0)
    return {false, 0, "p50 latency does not rise past the best hinge, " + users(fit.knee) + " (" + slopes + ")"};
  if (after < knee_criteria::latency_slope_ratio * std::max(before, 0.0))
    return {false, 0,
            "p50 latency rises only " + format_number(after / before, "%.2g") + "× as fast past " + users(fit.knee) +
                " (" + slopes + "; a knee needs " + format_number(knee_criteria::latency_slope_ratio, "%g") + "×)"};
  if (rise < knee_criteria::latency_min_rise * std::max(at_knee, 0.0))
    return {false, 0,
            "the bend at " + users(fit.knee) + " adds only " + share + " to p50 latency by " + users(highest_load) +
                " (" + slopes + "; a knee needs " + format_number(100 * knee_criteria::latency_min_rise, "%g") + " %)"};
  return {true, fit.knee,
          "p50 latency rises " + slopes + " past " + users(fit.knee) + ", +" + share + " by " + users(highest_load)};
}

knee throughput_knee(const two_segment_fit& fit) {
  if (!fit.ok) return {false, 0, "no two-segment fit of throughput"};
  const double before = fit.slope_before;
  const double after = fit.slope_after;
  const std::string slopes = per_user(before) + " → " + per_user(after) + " req/s per user";
  if (before <= 0)
    return {false, 0, "throughput does not grow with load below the best hinge, " + users(fit.knee) + " (" + slopes + ")"};
  const std::string share = format_number(100 * after / before, "%.0f %%");
  if (after > knee_criteria::throughput_slope_ratio * before)
    return {false, 0,
            "throughput still grows past " + users(fit.knee) + " at " + share + " of its earlier rate (" + slopes +
                "; a knee needs ≤ " + format_number(100 * knee_criteria::throughput_slope_ratio, "%g") + " %)"};
  const std::string then = after > 0 ? per_user(after) + " (" + share + " of that)"
                                     : "no more (" + per_user(after) + " req/s per user)";
  return {true, fit.knee, "throughput grows " + per_user(before) + " req/s per user up to " + users(fit.knee) + ", then " + then};
}

std::vector<load_level> load_levels(const result& r) {
  if (r.info.model != load_model::closed) return {};
  // p50's tallies carry the completed count and the seconds as well, so one projection serves
  // both figures.
  const metric latency = p50();
  const auto windows = window_tallies(latency, r);
  if (!windows) return {};
  const auto& series = r.series.windows();
  // The planned duration's windows, as the gate's steady_windows ends them.
  const std::size_t end = gate_detail::planned_windows(r, windows->size());
  std::size_t begin = 0;
  while (begin < end && (*windows)[begin].count == 0) ++begin;

  std::map<double, metric_tally> pooled;
  for (std::size_t i = begin; i < end; ++i) {
    const auto users_now = static_cast<double>(series[i].active_users);
    const double users_before = i > 0 ? static_cast<double>(series[i - 1].active_users) : 0.0;
    const double users_after = i + 1 < series.size() ? static_cast<double>(series[i + 1].active_users) : users_now;
    double load = users_now;
    if (users_now != users_before) {
      // The users changed during this window. If the next window holds the new count, this is a
      // step: the requests completing now were mostly sent at the previous level, so the window
      // belongs to neither. Otherwise the window is inside a continuous ramp, whose users went
      // from users_before to users_now while it ran.
      if (users_after == users_now) continue;
      load = (users_before + users_now) / 2;
    }
    pooled[load].merge((*windows)[i]);
  }

  const metric completed = throughput();
  const double window_seconds = std::chrono::duration<double>(time_series::window_length).count();
  std::vector<load_level> levels;
  for (const auto& [load, t] : pooled) {
    const auto latency_value = observe(latency, t);
    if (latency_value.samples < knee_criteria::min_level_samples) continue;
    levels.push_back({load, static_cast<std::size_t>(std::lround(t.seconds / window_seconds)), latency_value.samples,
                      latency_value.value, observe(completed, t).value});
  }
  return levels;
}

knee_analysis find_knees(std::vector<load_level> levels) {
  knee_analysis k;
  std::sort(levels.begin(), levels.end(), [](const auto& a, const auto& b) { return a.load < b.load; });
  k.levels = std::move(levels);
  if (k.levels.size() < knee_criteria::min_levels) {
    k.latency.why = k.throughput.why = too_few_levels(k.levels.size());
    return k;
  }
  std::vector<double> load, latency, throughput;
  for (const auto& l : k.levels) {
    load.push_back(l.load);
    latency.push_back(l.p50_latency_us);
    throughput.push_back(l.throughput);
  }
  k.latency_fit = fit_two_segments(load, latency);
  k.throughput_fit = fit_two_segments(load, throughput);
  k.latency = latency_knee(k.latency_fit, load.back());
  k.throughput = throughput_knee(k.throughput_fit);
  return k;
}

knee_analysis find_knees(const result& r) {
  if (r.info.model == load_model::open) {
    knee_analysis k;
    k.latency.why = k.throughput.why =
        "open-model runs are not analysed: their load is the arrival rate, which the result does not record per "
        "window, and the requests in flight at a window's end are one instant's count";
    return k;
  }
  return find_knees(load_levels(r));
}

bool has_load_stages(const result& r) {
  const auto configuration = nlohmann::json::parse(r.info.configuration, nullptr, false);
  if (configuration.is_object()) {
    if (const auto s = configuration.find("scenario"); s != configuration.end() && s->is_object()) {
      const auto stages = s->find("stages");
      return stages != s->end() && stages->is_array() && !stages->empty();
    }
  }
  return r.info.model == load_model::closed && load_levels(r).size() >= 3;
}

void to_json(nlohmann::json& j, const knee_analysis& k) {
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& l : k.levels)
    levels.push_back({{"users", l.load},
                      {"windows", l.windows},
                      {"samples", l.samples},
                      {"latency_p50_ms", l.p50_latency_us / 1000},
                      {"requests_per_second", l.throughput}});
  j = {{"load_axis", "users"},
       {"method", "two-segment piecewise-linear least squares of p50 latency and of throughput against users; "
                  "criteria in perf/src/gate/README.md (Knees)"},
       {"latency", knee_json(k.latency, fit_json(k.latency_fit, 1000, "ms"))},
       {"throughput", knee_json(k.throughput, fit_json(k.throughput_fit, 1, "per_second"))},
       {"levels", std::move(levels)}};
}

}  // namespace loadgate
