#include "loadgate/time_series.hpp"

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

TEST(TimeSeries, WindowIndexIsWholeSecondsSinceStart) {
  EXPECT_EQ(time_series::index_of(0ns), 0u);
  EXPECT_EQ(time_series::index_of(999'999'999ns), 0u);
  EXPECT_EQ(time_series::index_of(1s), 1u);
  EXPECT_EQ(time_series::index_of(61500ms), 61u);
}

TEST(TimeSeries, WindowsGrowOnDemand) {
  time_series s;
  s.window(3).requests = 5;
  ASSERT_EQ(s.windows().size(), 4u);
  EXPECT_EQ(s.windows()[0], time_window{});
  EXPECT_EQ(s.windows()[3].requests, 5u);
  s.window(1).requests = 2;
  EXPECT_EQ(s.windows().size(), 4u);
}

time_series sample(std::uint64_t scale, std::size_t windows) {
  time_series s;
  for (std::size_t i = 0; i < windows; ++i) {
    auto& w = s.window(i);
    w.requests = scale * (i + 1);
    w.failures = i % 2;
    w.active_users = scale;
    w.latency.record(static_cast<std::int64_t>(1000 * scale + i), w.requests - w.failures);
  }
  return s;
}

TEST(TimeSeries, MergeIsWindowByWindowAndKeepsTheLongerSeries) {
  auto a = sample(1, 2);
  const auto b = sample(10, 3);
  a.merge(b);
  ASSERT_EQ(a.windows().size(), 3u);
  EXPECT_EQ(a.windows()[1].requests, 2u + 20u);
  EXPECT_EQ(a.windows()[1].failures, 2u);
  EXPECT_EQ(a.windows()[1].active_users, 11u);
  EXPECT_EQ(a.windows()[1].latency.count(), 1u + 19u);
  EXPECT_EQ(a.windows()[2], b.windows()[2]);
}

TEST(TimeSeries, JsonRoundTrip) {
  const auto s = sample(3, 5);
  const json j = s;
  EXPECT_EQ(j.at("window_ms"), 1000);
  EXPECT_EQ(j.at("windows").size(), 5u);
  EXPECT_EQ(j.at("windows")[2].at("requests"), 9);
  EXPECT_EQ(json::parse(j.dump()).get<time_series>(), s);
  EXPECT_EQ(json(time_series{}).get<time_series>(), time_series{});
}

TEST(TimeSeries, MalformedJsonIsRejected) {
  json j = sample(1, 2);
  j["window_ms"] = 500;
  EXPECT_THAT([&] { (void)j.get<time_series>(); }, ThrowsMessage<configuration_error>(HasSubstr("'window_ms' is 500")));
  j = sample(1, 2);
  j["windows"][1]["failures"] = 7;
  EXPECT_THAT([&] { (void)j.get<time_series>(); }, ThrowsMessage<configuration_error>(HasSubstr("exceed 'requests'")));
  j = sample(1, 2);
  j["windows"] = 3;
  EXPECT_THAT([&] { (void)j.get<time_series>(); }, ThrowsMessage<configuration_error>(HasSubstr("'windows' must be an array")));
}

}  // namespace
}  // namespace loadgate
