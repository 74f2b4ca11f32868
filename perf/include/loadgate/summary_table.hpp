#pragma once
// The console at the end of a run: a table per request name and per adapter (requests, failures,
// req/s, p50, p90, p95, p99, max, TTFT p95), the LLM figures, the failures' causes, and when gated
// each metric's value, baseline, change and verdict. Milliseconds.
#include <string>

#include "loadgate/gate/gate.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

struct table_style {
  bool colour = false;  // ANSI colour for failures and verdicts (see colour_wanted)
};

std::string summary_table(const result& r, const table_style& style = {});
std::string gate_table(const gate_decision& d, const table_style& style = {});

// Colour only on a terminal, and never when NO_COLOR is set and not empty (no-color.org) or TERM
// is "dumb".
bool colour_wanted(int fd);

}  // namespace loadgate
