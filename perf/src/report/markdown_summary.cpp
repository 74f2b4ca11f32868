#include "loadgate/markdown_summary.hpp"

#include "report/markdown_table.hpp"
#include "report/tables.hpp"

namespace loadgate {

using report::markdown_cell;
using report::markdown_table;

std::string markdown_summary(const run_evidence& e) {
  std::string out = "## loadgate: " + markdown_cell(e.current.info.scenario) + " — " + markdown_cell(report::state_of(e)) + "\n\n" +
                    markdown_cell(report::run_description(e.current)) + "\n\n";
  for (const auto& t : report::tables_of(e)) out += markdown_table(t);
  return out;
}

std::string markdown_slo_summary(const run_evidence& e) {
  std::string out = "#### SLOs of " + markdown_cell(e.current.info.scenario) + "\n\n";
  for (const auto& t : report::tables_of(e))
    if (t.title == "SLOs") out += markdown_table(t);
  return out;
}

}  // namespace loadgate
