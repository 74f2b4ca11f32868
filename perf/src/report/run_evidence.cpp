#include "loadgate/run_evidence.hpp"

namespace loadgate {

bool gate_record::passed() const { return gate_passed(action, decision); }

bool run_evidence::passed() const {
  if (gate && !gate->passed()) return false;
  for (const auto& c : slos)
    if (!c.met) return false;
  return true;
}

}  // namespace loadgate
