// result.json's summary is what the histograms give, scripts can read it with jq's paths, and a
// reader never trusts it over the histograms.
#include "loadgate/run_summary.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "loadgate/result_files.hpp"
#include "loadgate/time_breakdown.hpp"
#include "sample_results.hpp"

namespace fs = std::filesystem;
using loadgate::measure;

namespace {

using loadgate::test_support::ms_of;

void expect_distribution(const nlohmann::json& j, const loadgate::histogram& h) {
  EXPECT_EQ(j.at("count"), h.count());
  EXPECT_DOUBLE_EQ(j.at("min").get<double>(), ms_of(h.min()));
  EXPECT_DOUBLE_EQ(j.at("mean").get<double>(), h.mean() / 1000.0);
  EXPECT_DOUBLE_EQ(j.at("p50").get<double>(), ms_of(h.value_at_percentile(50)));
  EXPECT_DOUBLE_EQ(j.at("p90").get<double>(), ms_of(h.value_at_percentile(90)));
  EXPECT_DOUBLE_EQ(j.at("p95").get<double>(), ms_of(h.value_at_percentile(95)));
  EXPECT_DOUBLE_EQ(j.at("p99").get<double>(), ms_of(h.value_at_percentile(99)));
  EXPECT_DOUBLE_EQ(j.at("p99_9").get<double>(), ms_of(h.value_at_percentile(99.9)));
  EXPECT_DOUBLE_EQ(j.at("max").get<double>(), ms_of(h.max()));
}

}  // namespace

TEST(RunSummary, EveryFigureIsTheHistogramsOwn) {
  const auto r = loadgate::test_support::sample_result();
  const auto s = loadgate::run_summary(r);
  for (const auto& name : {"health", "stream"}) {
    SCOPED_TRACE(name);
    const auto t = r.total({.request = name});
    const auto& j = s.at("requests").at(name);
    EXPECT_EQ(j.at("count"), t.count());
    EXPECT_EQ(j.at("successes"), t.successes());
    EXPECT_DOUBLE_EQ(j.at("failure_rate").get<double>(), t.failure_rate());
    EXPECT_DOUBLE_EQ(j.at("requests_per_second").get<double>(), static_cast<double>(t.count()) / 5.0);
    expect_distribution(j.at("latency_ms"), t.latency());
  }
  const auto stream = r.total({.request = "stream"});
  const auto& j = s.at("requests").at("stream");
  expect_distribution(j.at("ttft_ms"), stream.of(measure::ttft));
  expect_distribution(j.at("tpot_ms"), stream.of(measure::tpot));
  expect_distribution(j.at("inter_token_gap_ms"), stream.of(measure::inter_token_gap));
  EXPECT_DOUBLE_EQ(j.at("output_tokens_per_second").get<double>(), static_cast<double>(stream.output_tokens_total()) / 5.0);
  EXPECT_DOUBLE_EQ(j.at("goodput_per_second").get<double>(), static_cast<double>(stream.met_slo()) / 5.0);
  EXPECT_EQ(j.at("failures").at("timeout"), 1);
  EXPECT_FALSE(s.at("requests").at("health").contains("ttft_ms")) << "no streams, no TTFT";
  expect_distribution(s.at("overall").at("latency_ms"), r.total().latency());
  EXPECT_EQ(s.at("adapters").at("org/cold-lora").at("cold").at("count"), 1);
  EXPECT_EQ(s.at("adapters").at("org/warm-lora").at("all").at("count"), 50);
}

TEST(RunSummary, TheTimeBreakdownAddsUpToTheMeanEndToEndTime) {
  const auto r = loadgate::test_support::sample_result();
  const auto t = r.total({.request = "stream"});
  const auto b = loadgate::breakdown_of(t);
  ASSERT_TRUE(b);
  // client_network + server total = e2e, per request; the server's parts add up to its total.
  EXPECT_NEAR(b->total_ms(), t.of(measure::e2e).mean() / 1000.0, 0.01);
  EXPECT_NEAR(b->client_network_ms, 2.0, 0.01);
  EXPECT_NEAR(b->adapter_load_ms, t.of(measure::server_adapter_load).mean() / 1000.0, 1e-9);
  EXPECT_GT(b->queue_ms, 0);
  EXPECT_GT(b->prefill_ms, 0);
  EXPECT_GT(b->decode_ms, 0);
  EXPECT_FALSE(loadgate::breakdown_of(r.total({.request = "health"}))) << "plain HTTP carries no server timings";
}

TEST(RunSummary, ResultJsonCarriesItAndReadingIgnoresIt) {
  const auto dir = fs::temp_directory_path() / ("loadgate-run-summary-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto r = loadgate::test_support::sample_result();
  const auto file = loadgate::write_result(r, dir);
  auto j = nlohmann::json::parse(std::ifstream{file});
  // What `jq '.summary.requests.stream.latency_ms.p95'` reads.
  EXPECT_DOUBLE_EQ(j["summary"]["requests"]["stream"]["latency_ms"]["p95"].get<double>(),
                   ms_of(r.total({.request = "stream"}).latency().value_at_percentile(95)));
  j["summary"]["requests"]["stream"]["latency_ms"]["p95"] = 1.0;  // edited by hand
  std::ofstream{file} << j.dump();
  const auto back = loadgate::read_result(file);
  EXPECT_EQ(back, r) << "the histograms are the record";
  EXPECT_DOUBLE_EQ(loadgate::run_summary(back)["requests"]["stream"]["latency_ms"]["p95"].get<double>(),
                   ms_of(r.total({.request = "stream"}).latency().value_at_percentile(95)));
  fs::remove_all(dir);
}
