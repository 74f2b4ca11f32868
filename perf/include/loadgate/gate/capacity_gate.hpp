#pragma once
// The gate on a capacity: compares it with the baseline's ("capacity 212 req/s → 180 req/s, −15 %
// [−19, −11] → regression"), so that a pull request that lowers the load the service carries
// within its SLOs fails.
#include <nlohmann/json_fwd.hpp>

#include "loadgate/gate/capacity_estimate.hpp"
#include "loadgate/gate/gate.hpp"

namespace loadgate {

struct capacity_comparison {
  loadgate::verdict verdict = loadgate::verdict::inconclusive;
  capacity_axis by = capacity_axis::rate;
  double baseline = 0;  // capacities, the highest met loads
  double current = 0;
  double change = 0;    // relative, of the brackets' centres
  double low = 0;       // the change's range from the brackets decided outright:
                        // [current.certain_low / baseline.certain_high − 1, current.certain_high / baseline.certain_low − 1]
  double high = 0;
  double threshold = 0;
  std::string message;  // "capacity 212.5 req/s → 180.0 req/s, −15.3 % [−19.0, −11.2] → regression"

  bool passed() const { return verdict == loadgate::verdict::pass || verdict == loadgate::verdict::improvement; }
};

// Regression when the whole range is at or below 0 (the brackets are half-open) and the change
// reaches −threshold × decision_point (the gate's rule at its run bound: the nearer of "no change"
// and "threshold"); improvement the other way; pass otherwise. A current search that found nothing
// is a regression; a baseline that found nothing cannot be compared with (inconclusive).
capacity_comparison compare_capacity(const capacity_estimate& baseline, const capacity_estimate& current,
                                     double threshold = 0.10, double decision_point = 0.5);

void to_json(nlohmann::json& j, const capacity_comparison& c);

}  // namespace loadgate
