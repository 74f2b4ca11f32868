#include "loadgate/request_stats.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

request_stats sample_stats() {
  request_stats s;
  for (int i = 1; i <= 90; ++i) s.record_success(std::chrono::milliseconds{i} + 2ms, std::chrono::milliseconds{i});
  for (int i = 0; i < 7; ++i) s.record_failure(failure_kind::timeout);
  for (int i = 0; i < 3; ++i) s.record_failure(failure_kind::http_5xx);
  return s;
}

TEST(RequestStats, CountsSuccessesAndFailuresByKind) {
  const auto s = sample_stats();
  EXPECT_EQ(s.count(), 100u);
  EXPECT_EQ(s.successes(), 90u);
  EXPECT_EQ(s.failures(), 10u);
  EXPECT_EQ(s.failures(failure_kind::timeout), 7u);
  EXPECT_EQ(s.failures(failure_kind::http_5xx), 3u);
  EXPECT_EQ(s.failures(failure_kind::connect), 0u);
  EXPECT_DOUBLE_EQ(s.failure_rate(), 0.1);
  EXPECT_EQ(request_stats{}.failure_rate(), 0.0);
}

TEST(RequestStats, HistogramsHoldSuccessesOnlyInMicroseconds) {
  const auto s = sample_stats();
  EXPECT_EQ(s.latency().count(), 90u);
  EXPECT_EQ(s.latency().max(), 92'000);
  EXPECT_EQ(s.latency_uncorrected().max(), 90'000);
  EXPECT_EQ(s.latency().min(), 3'000);
}

TEST(RequestStats, MergeAddsEverything) {
  auto a = sample_stats();
  request_stats b;
  b.record_failure(failure_kind::reset);
  b.record_success(500ms, 400ms);
  a.merge(b);
  EXPECT_EQ(a.count(), 102u);
  EXPECT_EQ(a.failures(failure_kind::reset), 1u);
  EXPECT_EQ(a.latency().max(), 500'000);
  EXPECT_EQ(a.latency_uncorrected().count(), 91u);
}

TEST(RequestStats, JsonRoundTrip) {
  const auto s = sample_stats();
  const json j = s;
  EXPECT_EQ(j.at("failures"), json::parse(R"({"timeout":7,"http_5xx":3})"));
  EXPECT_EQ(j.at("count"), 100);
  EXPECT_EQ(json::parse(j.dump()).get<request_stats>(), s);
  EXPECT_EQ(json(request_stats{}).get<request_stats>(), request_stats{});
}

void expect_rejected(const json& j, const std::string& message) {
  EXPECT_THAT([&] { (void)j.get<request_stats>(); }, ThrowsMessage<configuration_error>(HasSubstr(message))) << j.dump();
}

TEST(RequestStats, MalformedJsonIsRejected) {
  json j = sample_stats();
  j["failures"]["http_3xx"] = 1;
  expect_rejected(j, "unknown failure kind 'http_3xx'");
  j = sample_stats();
  j["count"] = 99;
  expect_rejected(j, "'count' or 'failures_total'");
  j = sample_stats();
  j["successes"] = 91;
  j["count"] = 101;
  expect_rejected(j, "must hold 'successes'");
  j = sample_stats();
  j.erase("latency_us");
  expect_rejected(j, "missing field 'latency_us'");
}

}  // namespace
}  // namespace loadgate
