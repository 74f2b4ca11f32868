#pragma once
// summary.md: a run in GitHub-flavoured Markdown, for a pull request's job summary or a review
// comment. The run, a table per request name and per adapter, LLM figures, where the time went,
// each SLO with its value and limit, and when gated each metric's value, baseline, change with
// its interval and verdict; the failures with their causes.
#include <string>

#include "loadgate/run_evidence.hpp"

namespace loadgate {

std::string markdown_summary(const run_evidence& e);

// The SLO table alone under a heading naming the run, for a job summary that already shows the
// run (the SLOs of a gated test are checked after its runs).
std::string markdown_slo_summary(const run_evidence& e);

}  // namespace loadgate
