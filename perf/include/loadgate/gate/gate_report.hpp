#pragma once
// Text for people: one line per gated metric, and the old-vs-new table of a baseline update.
#include <string>

#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/gate.hpp"

namespace loadgate {

// "+12.4 % [+8.1, +16.9]" (relative) or "+0.80 pp [+0.20, +1.40]" (absolute, percentage points).
std::string format_change(const metric_verdict& v);

// "p95 latency: 430.1 ms → 483.4 ms, +12.4 % [+8.1, +16.9], p=0.001 → regression (threshold 10 %)"
std::string format_verdict(const metric_verdict& v);

// A heading ("baseline gate passed after 2 of at most 3 runs") and one line per metric.
std::string format_decision(const gate_decision& d);

// The baseline update workflow: metric | old | new | change, for the metrics `updated` records
// (old is "-" when there was no baseline or it lacked the metric).
std::string format_baseline_change(const baseline* old, const baseline& updated);

// A stored baseline for people (`loadgate baseline show`): its provenance, then per metric the
// pooled value, the sample count and each repetition's value.
std::string format_baseline(const baseline& b);

}  // namespace loadgate
