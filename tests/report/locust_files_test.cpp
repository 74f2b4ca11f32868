// The Locust-compatible CSVs, read back with a CSV parser: Locust's exact headers (kept verbatim
// here, from locust/stats.py), the Aggregated row, a history row per second, and figures equal to
// the histograms'.
#include "loadgate/locust_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "sample_results.hpp"

namespace fs = std::filesystem;

namespace {

using table = std::vector<std::vector<std::string>>;

// RFC 4180, as Python's csv module reads it: quoted fields may hold commas, quotes ("") and breaks.
table parse_csv(const std::string& text) {
  table rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field), field.clear();
    } else if (c == '\n') {
      row.push_back(field), field.clear();
      rows.push_back(row), row.clear();
      any = false;
      continue;
    } else {
      field += c;
    }
    any = true;
  }
  if (any) row.push_back(field), rows.push_back(row);
  return rows;
}

table read_csv(const fs::path& file) {
  std::ifstream in{file};
  std::stringstream s;
  s << in.rdbuf();
  return parse_csv(s.str());
}

// A row as column -> value.
std::map<std::string, std::string> as_record(const table& t, std::size_t row) {
  std::map<std::string, std::string> out;
  for (std::size_t c = 0; c < t[0].size(); ++c) out[t[0][c]] = t[row].at(c);
  return out;
}

// Locust 2.x's headers, verbatim.
const std::vector<std::string> locust_stats_header{
    "Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Average Response Time",
    "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s", "50%", "66%", "75%",
    "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"};
const std::vector<std::string> locust_history_header{
    "Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s", "50%", "66%", "75%", "80%", "90%", "95%",
    "98%", "99%", "99.9%", "99.99%", "100%", "Total Request Count", "Total Failure Count",
    "Total Median Response Time", "Total Average Response Time", "Total Min Response Time",
    "Total Max Response Time", "Total Average Content Size"};
const std::vector<std::string> locust_failures_header{"Method", "Name", "Error", "Occurrences"};
const std::vector<std::string> locust_exceptions_header{"Count", "Message", "Traceback", "Nodes"};

struct LocustFiles : testing::Test {
  fs::path dir = fs::temp_directory_path() / ("loadgate-locust-" + std::to_string(::getpid()) + "-" +
                                              testing::UnitTest::GetInstance()->current_test_info()->name());
  loadgate::result r = loadgate::test_support::sample_result();
  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
    loadgate::write_locust_files(r, dir, "run");
  }
  void TearDown() override { fs::remove_all(dir); }
};

using loadgate::test_support::ms_of;

}  // namespace

TEST_F(LocustFiles, FileNamesAndHeadersAreLocusts) {
  EXPECT_EQ(read_csv(dir / "run_stats.csv").at(0), locust_stats_header);
  EXPECT_EQ(read_csv(dir / "run_stats_history.csv").at(0), locust_history_header);
  EXPECT_EQ(read_csv(dir / "run_failures.csv").at(0), locust_failures_header);
  const auto exceptions = read_csv(dir / "run_exceptions.csv");
  EXPECT_EQ(exceptions.at(0), locust_exceptions_header);
  EXPECT_EQ(exceptions.size(), 1u) << "header only";
  EXPECT_TRUE(fs::exists(dir / "run_llm.csv"));
  EXPECT_TRUE(fs::exists(dir / "run_adapters.csv"));
}

TEST_F(LocustFiles, StatsHoldARowPerNameThenTheAggregatedRow) {
  const auto t = read_csv(dir / "run_stats.csv");
  ASSERT_EQ(t.size(), 4u);  // header, health, stream, Aggregated
  for (const auto& row : t) EXPECT_EQ(row.size(), locust_stats_header.size());
  const auto health = as_record(t, 1);
  EXPECT_EQ(health.at("Name"), "health");
  EXPECT_EQ(health.at("Type"), "HTTP");
  EXPECT_EQ(health.at("Request Count"), "105");
  EXPECT_EQ(health.at("Failure Count"), "5");
  const auto h = r.total({.request = "health"}).latency();
  EXPECT_DOUBLE_EQ(std::stod(health.at("95%")), ms_of(h.value_at_percentile(95)));
  EXPECT_DOUBLE_EQ(std::stod(health.at("Median Response Time")), ms_of(h.value_at_percentile(50)));
  EXPECT_DOUBLE_EQ(std::stod(health.at("100%")), ms_of(h.max()));
  EXPECT_DOUBLE_EQ(std::stod(health.at("Requests/s")), 105.0 / 5.0);
  EXPECT_EQ(as_record(t, 2).at("Type"), "POST") << "LLM requests are POSTs";
  const auto all = as_record(t, 3);
  EXPECT_EQ(all.at("Type"), "");
  EXPECT_EQ(all.at("Name"), "Aggregated");
  EXPECT_EQ(all.at("Request Count"), std::to_string(r.total().count()));
  EXPECT_DOUBLE_EQ(std::stod(all.at("99%")), ms_of(r.total().latency().value_at_percentile(99)));
}

TEST_F(LocustFiles, HistoryHasARowPerSecondWithRunningTotals) {
  const auto t = read_csv(dir / "run_stats_history.csv");
  ASSERT_EQ(t.size(), 1u + 5u);
  const auto windows = r.per_window();
  std::uint64_t so_far = 0;
  for (std::size_t w = 0; w < 5; ++w) {
    const auto row = as_record(t, w + 1);
    so_far += windows[w].count();
    EXPECT_EQ(row.at("Timestamp"), std::to_string(1'700'000'001 + w)) << "the window's end (…0.6 + w + 1), Unix seconds";
    EXPECT_EQ(row.at("User Count"), "4");
    EXPECT_EQ(row.at("Name"), "Aggregated");
    EXPECT_DOUBLE_EQ(std::stod(row.at("Requests/s")), static_cast<double>(windows[w].count()));
    EXPECT_DOUBLE_EQ(std::stod(row.at("95%")), ms_of(windows[w].latency().value_at_percentile(95))) << "per second";
    EXPECT_EQ(row.at("Total Request Count"), std::to_string(so_far));
  }
}

TEST_F(LocustFiles, FailuresGiveKindCauseAndCount) {
  const auto t = read_csv(dir / "run_failures.csv");
  ASSERT_EQ(t.size(), 3u);
  const auto health = as_record(t, 1);
  EXPECT_EQ(health.at("Name"), "health");
  EXPECT_EQ(health.at("Error"), "http_5xx: HTTP 503: busy, \"try later\"") << "a comma and quotes survive the CSV";
  EXPECT_EQ(health.at("Occurrences"), "5");
  EXPECT_EQ(as_record(t, 2).at("Error"), "timeout: request deadline of 1s passed");
}

TEST_F(LocustFiles, LlmAndAdapterFilesHoldWhatLocustCannot) {
  const auto llm = read_csv(dir / "run_llm.csv");
  ASSERT_EQ(llm.size(), 3u);  // header, stream, Aggregated
  const auto stream = as_record(llm, 1);
  EXPECT_EQ(stream.at("Name"), "stream");
  const auto t = r.total({.request = "stream"});
  EXPECT_DOUBLE_EQ(std::stod(stream.at("TTFT 95%")), ms_of(t.of(loadgate::measure::ttft).value_at_percentile(95)));
  EXPECT_DOUBLE_EQ(std::stod(stream.at("Output Tokens/s")), 11.0 * 100 / 5);
  EXPECT_NE(stream.at("Queue ms"), "N/A") << "the server sent its timings";

  const auto adapters = read_csv(dir / "run_adapters.csv");
  ASSERT_EQ(adapters.size(), 1u + 2u * 3u);  // all, cold, warm for two adapters
  const auto first = as_record(adapters, 1);
  EXPECT_EQ(first.at("Use"), "all");
  EXPECT_EQ(as_record(adapters, 2).at("Use"), "cold");
  EXPECT_EQ(as_record(adapters, 2).at("Request Count"), "1") << "the first request to each adapter is cold";
}
