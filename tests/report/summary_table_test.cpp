#include "loadgate/summary_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace std::chrono_literals;
using testing::HasSubstr;

TEST(SummaryTable, OneRowPerNameAndATotal) {
  loadgate::result r;
  r.info.measured_duration = 2s;
  for (int i = 1; i <= 100; ++i) r.requests["generate"].record_success(std::chrono::milliseconds{i}, std::chrono::milliseconds{i});
  r.requests["health"].record_success(1ms, 1ms);
  r.requests["health"].record_failure(loadgate::failure_kind::overloaded);
  const auto table = loadgate::summary_table(r);
  EXPECT_THAT(table, HasSubstr("p95 ms"));
  EXPECT_THAT(table, testing::ContainsRegex("generate +100 +0 +0.00 +50.0 +1.00 +50.50 +50.0[0-9]"));
  EXPECT_THAT(table, testing::ContainsRegex("health +2 +1 +50.00"));
  EXPECT_THAT(table, testing::ContainsRegex("\\(total\\) +102 +1"));
  EXPECT_THAT(table, HasSubstr("failures by kind: overloaded 1"));
}

TEST(SummaryTable, LlmAndAdapterSectionsWhenTheResultHasThem) {
  using namespace loadgate;
  result r;
  r.info.measured_duration = 2s;
  r.llm.emplace("generate_stream", llm::llm_stats{});
  for (int i = 1; i <= 10; ++i) {
    llm::llm_observation o;
    o.t0 = clock::time_point{} + std::chrono::milliseconds{i};
    o.status = 200;
    o.ttft = std::chrono::milliseconds{10 * i};
    o.tpot = 5ms;
    o.e2e = *o.ttft + 100ms;
    o.output_tokens = 20;
    o.adapter = i % 2 ? "org/lora-a" : "";
    o.server.time_to_first_token_ms = 10.0 * i - 0.25;
    r.llm.at("generate_stream").record(o);
    r.adapters.record(o, clock::time_point{});
  }
  const auto table = summary_table(r);
  EXPECT_THAT(table, HasSubstr("TTFT p50"));
  EXPECT_THAT(table, testing::ContainsRegex("generate_stream +50\\.0[0-9] +100\\.0[0-9] +100\\.0[0-9] +5\\.0[0-9] +5\\.0[0-9] +- +100\\.0 +5\\.0 +0\\.25 +0\\.25"));
  EXPECT_THAT(table, testing::ContainsRegex("org/lora-a +5 +0 +1 +10\\.0[0-9] +50\\.0[0-9]"));
  EXPECT_THAT(table, HasSubstr("(base model)"));
}

TEST(SummaryTable, NoLlmSectionsForPlainRuns) {
  loadgate::result r;
  r.info.measured_duration = 1s;
  r.requests["home"].record_success(1ms, 1ms);
  EXPECT_EQ(loadgate::summary_table(r).find("TTFT"), std::string::npos);
}
