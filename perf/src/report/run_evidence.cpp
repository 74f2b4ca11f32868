#include "loadgate/run_evidence.hpp"

namespace loadgate {

bool gate_record::passed() const {
  switch (action) {
    case baseline_action::compare: return decision && decision->passed();
    case baseline_action::create:
    case baseline_action::update: return true;
    case baseline_action::fail_missing:
    case baseline_action::fail_stale: return false;
  }
  return false;
}

bool run_evidence::passed() const {
  if (gate && !gate->passed()) return false;
  for (const auto& c : slos)
    if (!c.met) return false;
  return true;
}

}  // namespace loadgate
