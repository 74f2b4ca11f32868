// A run folder holds every file, summary.md shows the run, the SLOs and the comparison, and
// `loadgate report` can rebuild it all: gate.json reads back to the same verdicts.
#include "loadgate/run_folder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/gate_json.hpp"
#include "loadgate/html_report.hpp"
#include "loadgate/markdown_summary.hpp"
#include "sample_results.hpp"

namespace fs = std::filesystem;
using loadgate::test_support::file_text;
using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

// A gated run: p95 regressed by 12.4 %, failure rate passed; two SLOs, one failed.
loadgate::run_evidence gated_evidence() {
  using namespace loadgate;
  run_evidence e{test_support::sample_result(), std::nullopt, std::nullopt, {}};
  baseline b;
  b.scenario = "Suite.Sample";
  b.fingerprint = "fnv1a64:0123456789abcdef";
  b.created = "2026-11-30T10:00:00Z";
  b.runs = {test_support::sample_result()};
  e.against = b;
  metric_verdict p95_verdict{p95(), verdict::regression, 120'000, 134'880, 500, 500, change_scale::relative, 0.124,
                             0.081, 0.169, 0.001, 0.10, 2, 6, 6, false, ""};
  metric_verdict failures{failure_rate(), verdict::pass, 0.01, 0.012, 500, 500, change_scale::absolute, 0.002,
                          -0.004, 0.008, 0.6, 0.01, 2, 6, 6, false, ""};
  gate_decision d{{p95_verdict, failures}, 1, 3};
  e.gate = gate_record{baseline_action::compare, "baselines/default/Suite.Sample.json", b.fingerprint, b.created, 1, d,
                       "baseline gate FAILED after 1 of at most 3 runs"};
  e.slos.push_back(check(p95("stream") < 150ms, e.current));
  e.slos.push_back(check(failure_rate() < 50_percent, e.current));
  return e;
}

// A Markdown cell as it renders: backslash escapes and the three HTML entities undone.
std::string rendered(const std::string& cell) {
  std::string out;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\\' && i + 1 < cell.size()) {
      out += cell[++i];
    } else if (cell.compare(i, 4, "&lt;") == 0) {
      out += '<', i += 3;
    } else if (cell.compare(i, 4, "&gt;") == 0) {
      out += '>', i += 3;
    } else if (cell.compare(i, 5, "&amp;") == 0) {
      out += '&', i += 4;
    } else {
      out += cell[i];
    }
  }
  return out;
}

// The Markdown table whose header row starts with `first_header`, as rows of rendered cells.
std::vector<std::vector<std::string>> markdown_table(const std::string& md, const std::string& first_header) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines{md};
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (!inside && line.starts_with("| " + first_header + " |")) inside = true;
    if (!inside) continue;
    if (!line.starts_with("|")) break;
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        cell += line[i], cell += line[++i];  // an escaped character, '|' included, stays in the cell
      } else if (line[i] == '|') {
        cells.push_back(rendered(cell.substr(1, cell.size() - 2))), cell.clear();
      } else {
        cell += line[i];
      }
    }
    rows.push_back(cells);
  }
  return rows;
}

struct RunFolder : testing::Test {
  fs::path dir = fs::temp_directory_path() / ("loadgate-run-folder-" + std::to_string(::getpid()) + "-" +
                                              testing::UnitTest::GetInstance()->current_test_info()->name());
  // A CI job's own summary must not collect the fixtures' runs.
  void SetUp() override { fs::remove_all(dir), fs::create_directories(dir), ::unsetenv("GITHUB_STEP_SUMMARY"); }
  void TearDown() override { fs::remove_all(dir), ::unsetenv("GITHUB_STEP_SUMMARY"), ::unsetenv("LOADGATE_DYGRAPHS_DIR"); }
};

}  // namespace

TEST_F(RunFolder, HoldsEveryFile) {
  const auto files = loadgate::write_run_folder(gated_evidence(), dir);
  std::set<std::string> names;
  for (const auto& f : files) names.insert(f.filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"result.json", "gate.json", "loadgate_stats.csv", "loadgate_stats_history.csv",
                                          "loadgate_failures.csv", "loadgate_exceptions.csv", "loadgate_llm.csv",
                                          "loadgate_adapters.csv", "summary.md", "report.html"}));
  for (const auto& f : files) EXPECT_TRUE(fs::exists(f)) << f;
}

TEST_F(RunFolder, SummaryShowsTheComparisonTheSlosAndTheTables) {
  const auto e = gated_evidence();
  const auto md = loadgate::markdown_summary(e);
  EXPECT_THAT(md, HasSubstr("## loadgate: sample — REGRESSION, SLO FAILED"));
  const auto gate = markdown_table(md, "metric");
  ASSERT_EQ(gate.size(), 4u);  // header, separator, two metrics
  EXPECT_EQ(gate[0], (std::vector<std::string>{"metric", "baseline", "current", "change [95 % interval]", "p", "verdict"}));
  EXPECT_EQ(gate[2], (std::vector<std::string>{"p95 latency", "120.0 ms", "134.9 ms", "+12.4 % [+8.1, +16.9]", "0.001",
                                               "**regression**"}));
  EXPECT_EQ(gate[3][5], "pass");
  const auto slos = markdown_table(md, "SLO");
  ASSERT_EQ(slos.size(), 4u);
  EXPECT_EQ(slos[2][0], "p95 latency (stream)");
  EXPECT_EQ(slos[2][2], "< 150.0 ms");
  EXPECT_EQ(slos[2][4], "**FAILED**") << "the stream's p95 is about 290 ms";
  EXPECT_EQ(slos[3][4], "met");
  const auto requests = markdown_table(md, "request");
  ASSERT_GE(requests.size(), 5u);
  EXPECT_EQ(requests[2][0], "health");
  EXPECT_EQ(requests[2][1], "105");
  EXPECT_EQ(requests[4][0], "all");
  EXPECT_THAT(md, HasSubstr("### Where the time went"));
  EXPECT_THAT(md, HasSubstr("### Adapters"));
  EXPECT_THAT(md, HasSubstr("| health | http\\_5xx | 5 | HTTP 503: busy, \"try later\" |"));
}

TEST_F(RunFolder, IsAppendedToTheGitHubJobSummaryWhenThatIsSet) {
  const auto summary = dir / "step_summary.md";
  std::ofstream{summary} << "earlier step\n";
  ::setenv("GITHUB_STEP_SUMMARY", summary.c_str(), 1);
  const auto e = gated_evidence();
  fs::create_directories(dir / "run");
  loadgate::write_run_folder(e, dir / "run");
  EXPECT_EQ(file_text(summary), "earlier step\n" + loadgate::markdown_summary(e) + "\n") << "appended, not replaced";
  loadgate::write_run_folder(e, dir / "run", {.step_summary = false});
  EXPECT_EQ(file_text(summary), "earlier step\n" + loadgate::markdown_summary(e) + "\n");
}

TEST_F(RunFolder, ReadsBackToTheSameVerdictsAndChecks) {
  const auto e = gated_evidence();
  loadgate::write_run_folder(e, dir);
  const auto back = loadgate::read_run_folder(dir);
  EXPECT_EQ(back.current, e.current);
  ASSERT_TRUE(back.gate && back.gate->decision);
  EXPECT_EQ(back.gate->baseline_file, e.gate->baseline_file);
  EXPECT_EQ(back.gate->action, loadgate::baseline_action::compare);
  ASSERT_EQ(back.gate->decision->metrics.size(), 2u);
  EXPECT_EQ(nlohmann::json(*back.gate->decision), nlohmann::json(*e.gate->decision));
  EXPECT_EQ(back.gate->decision->metrics[0].metric, loadgate::p95());
  ASSERT_EQ(back.slos.size(), 2u);
  EXPECT_EQ(back.slos[0].slo.metric, loadgate::p95("stream"));
  EXPECT_EQ(back.slos[0].met, false);
  EXPECT_FALSE(back.against) << "the baseline file does not exist here: no overlays, said so by the report command";
  EXPECT_EQ(loadgate::markdown_summary(back), loadgate::markdown_summary([&] {
              auto without = e;
              without.against.reset();
              return without;
            }())) << "rebuilt from the folder, the summary is the same";
}

TEST_F(RunFolder, MetricsOfEveryKindRoundTripThroughJson) {
  using namespace loadgate;
  for (const auto& m : {p95(), p99(ttft("stream")), mean(tpot()), maximum("health"), failure_rate("x", failure_kind::timeout),
                        throughput(), goodput("stream"), p90(latency(cold_adapter("org/a"))), throughput(warm_adapter("b"))}) {
    EXPECT_EQ(nlohmann::json(m).get<metric>(), m) << m.key();
  }
  auto unbounded = gated_evidence().gate->decision->metrics.front();
  unbounded.high = std::numeric_limits<double>::infinity();
  unbounded.p_value = std::numeric_limits<double>::quiet_NaN();
  const auto back = nlohmann::json::parse(nlohmann::json(unbounded).dump()).get<metric_verdict>();
  EXPECT_EQ(back.high, std::numeric_limits<double>::infinity()) << "an unbounded interval survives JSON";
  EXPECT_TRUE(std::isnan(back.p_value));
  auto bad = nlohmann::json(p95());
  bad["family"] = "latencyy";
  EXPECT_THROW(bad.get<metric>(), loadgate::configuration_error) << "an unknown family is refused, not read as latency";
}

TEST_F(RunFolder, NumberedFoldersNeverReuseOne) {
  std::set<fs::path> folders;
  for (int i = 0; i < 4; ++i) folders.insert(loadgate::create_numbered_folder(dir / "Suite.Test"));
  EXPECT_EQ(folders, (std::set<fs::path>{dir / "Suite.Test/1", dir / "Suite.Test/2", dir / "Suite.Test/3", dir / "Suite.Test/4"}));
  fs::remove_all(dir / "Suite.Test/2");
  EXPECT_EQ(loadgate::create_numbered_folder(dir / "Suite.Test"), dir / "Suite.Test/2") << "the first free number";
}

TEST_F(RunFolder, TheReportPageStandsAlone) {
  const auto page = loadgate::html_report(gated_evidence());
  EXPECT_THAT(page, HasSubstr("default-src 'none'")) << "the page may fetch nothing";
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
  EXPECT_EQ(page.find("href=\"http"), std::string::npos);
  EXPECT_THAT(page, HasSubstr("\"baseline p95\"")) << "the baseline is overlaid when gated";
  EXPECT_THAT(page, HasSubstr("id=\"chart-latency_distribution\""));
  EXPECT_THAT(page, HasSubstr("id=\"chart-time_breakdown\""));
  EXPECT_THAT(page, HasSubstr("<td class=\"bad\">regression</td>"));
}

TEST_F(RunFolder, ServerTextStaysTextInMarkdown) {
  loadgate::result r;
  r.info.measured_duration = 1s;
  r.file("home", loadgate::test_support::observed_failure(loadgate::failure_kind::http_5xx,
                                                          "HTTP 502: <html><b>Bad</b> gateway | *retry* [here](http://x)\n</html>"),
         0s, 0);
  const auto md = loadgate::markdown_summary({r, std::nullopt, std::nullopt, {}});
  EXPECT_THAT(md, HasSubstr("| home | http\\_5xx | 1 | HTTP 502: &lt;html&gt;&lt;b&gt;Bad&lt;/b&gt; gateway \\| \\*retry\\* "
                            "\\[here\\](http://x) &lt;/html&gt; |"));
  const auto rows = markdown_table(md, "request | kind");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].size(), 4u) << "the escaped '|' did not split the cell";
  EXPECT_EQ(rows[2][3], "HTTP 502: <html><b>Bad</b> gateway | *retry* [here](http://x) </html>") << "it renders as the text";
}

TEST_F(RunFolder, AnInlinedFileCannotEndItsElement) {
  // A library whose text holds the end tags of the elements it is inlined in, in any case.
  fs::create_directories(dir / "dygraphs");
  std::ofstream{dir / "dygraphs/dygraph.min.js"} << "var a = '</script><b>'; var b = '</SCRIPT>'; var c = /</g;\n"
                                                    "//# sourceMappingURL=dygraph.min.js.map\n";
  std::ofstream{dir / "dygraphs/dygraph.min.css"} << ".x::after { content: '</style>'; }\n";
  ::setenv("LOADGATE_DYGRAPHS_DIR", (dir / "dygraphs").c_str(), 1);
  auto e = gated_evidence();
  e.current.info.scenario = "</script><script>alert(1)</script>";
  const auto page = loadgate::html_report(e);
  EXPECT_THAT(page, HasSubstr("var a = '<\\/script><b>'; var b = '<\\/SCRIPT>'; var c = /</g;"));
  EXPECT_THAT(page, HasSubstr("content: '<\\/style>'"));
  EXPECT_EQ(page.find("sourceMappingURL"), std::string::npos) << "it would name a file the page cannot have";
  EXPECT_EQ(page.find("<script>alert(1)"), std::string::npos) << "the scenario name is text, not markup";
  // Exactly the page's own elements end: the catcher, the library, the data and the drawing script.
  std::size_t ends = 0;
  for (std::size_t at = 0; (at = page.find("</script>", at)) != std::string::npos; ++at) ++ends;
  EXPECT_EQ(ends, 4u);
}
