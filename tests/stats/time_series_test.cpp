#include "loadgate/time_series.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "observations.hpp"

namespace loadgate {
namespace {

using test_support::observed_failure;
using test_support::observed_success;

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

const tally_key home{"home", {}, adapter_use::none};
const tally_key generate_cold{"generate", "org/a", adapter_use::cold};

TEST(TimeSeries, WindowIndexIsWholeSecondsSinceStart) {
  EXPECT_EQ(time_series::index_of(0ns), 0u);
  EXPECT_EQ(time_series::index_of(999'999'999ns), 0u);
  EXPECT_EQ(time_series::index_of(1s), 1u);
  EXPECT_EQ(time_series::index_of(61500ms), 61u);
}

TEST(TimeSeries, WindowsGrowOnDemand) {
  time_series s;
  for (int i = 0; i < 5; ++i) s.window(3).tallies[home].record(observed_success(std::chrono::microseconds{100}));
  ASSERT_EQ(s.windows().size(), 4u);
  EXPECT_EQ(s.windows()[0], time_window{});
  EXPECT_EQ(s.windows()[3].total().count(), 5u);
  s.window(1).tallies[home].record(observed_failure(failure_kind::timeout));
  EXPECT_EQ(s.windows().size(), 4u);
  EXPECT_EQ(s.windows()[1].total().failures(), 1u);
}

// Window i: scale·(i+1) requests to "home", i % 2 of them failed, and one cold LLM request to org/a.
time_series sample(std::uint64_t scale, std::size_t windows) {
  time_series s;
  for (std::size_t i = 0; i < windows; ++i) {
    auto& w = s.window(i);
    const auto requests = scale * (i + 1);
    const auto failures = i % 2;
    for (std::uint64_t n = 0; n < requests - failures; ++n)
      w.tallies[home].record(observed_success(std::chrono::microseconds{static_cast<std::int64_t>(1000 * scale + i)}));
    for (std::uint64_t n = 0; n < failures; ++n) w.tallies[home].record(observed_failure(failure_kind::timeout));
    auto llm = observed_success(std::chrono::microseconds{5000});
    llm.llm = true;
    llm.adapter = "org/a";
    llm.ttft = 2ms;
    w.tallies[generate_cold].record(llm);
    w.active_users = scale;
  }
  return s;
}

TEST(TimeSeries, MergeIsWindowByWindowAndKeyByKeyAndKeepsTheLongerSeries) {
  auto a = sample(1, 2);
  const auto b = sample(10, 3);
  a.merge(b);
  ASSERT_EQ(a.windows().size(), 3u);
  const auto& w = a.windows()[1];
  EXPECT_EQ(w.tallies.at(home).count(), 2u + 20u);
  EXPECT_EQ(w.tallies.at(home).failures(), 2u);
  EXPECT_EQ(w.active_users, 11u);
  EXPECT_EQ(w.tallies.at(home).latency().count(), 1u + 19u);
  EXPECT_EQ(w.tallies.at(generate_cold).count(), 2u);
  EXPECT_EQ(w.tallies.at(generate_cold).of(measure::ttft).count(), 2u);
  EXPECT_EQ(w.total().count(), 24u);
  EXPECT_EQ(a.windows()[2], b.windows()[2]);
}

TEST(TimeSeries, JsonRoundTrip) {
  const auto s = sample(3, 5);
  const json j = s;
  EXPECT_EQ(j.at("window_ms"), 1000);
  EXPECT_EQ(j.at("windows").size(), 5u);
  const auto& w2 = j.at("windows")[2];
  EXPECT_EQ(w2.at("active_users"), 3);
  ASSERT_EQ(w2.at("tallies").size(), 2u);
  EXPECT_EQ(w2.at("tallies")[0].at("request"), "generate");
  EXPECT_EQ(w2.at("tallies")[0].at("use"), "cold");
  EXPECT_EQ(w2.at("tallies")[1].at("request"), "home");
  EXPECT_EQ(w2.at("tallies")[1].at("tally").at("successes"), 9);
  EXPECT_EQ(json::parse(j.dump()).get<time_series>(), s);
  EXPECT_EQ(json(time_series{}).get<time_series>(), time_series{});
  EXPECT_EQ(json(time_window{}), json::parse(R"({"active_users":0,"tallies":[]})"));
}

TEST(TimeSeries, MalformedJsonIsRejected) {
  json j = sample(1, 2);
  j["window_ms"] = 500;
  EXPECT_THAT([&] { (void)j.get<time_series>(); }, ThrowsMessage<configuration_error>(HasSubstr("'window_ms' is 500")));
  j = sample(1, 2);
  j["windows"][1]["tallies"][1]["tally"]["failures"]["timeout"] = 7;
  j["windows"][1]["tallies"][1]["tally"]["successes"] = 7;
  EXPECT_THAT([&] { (void)j.get<time_series>(); },
              ThrowsMessage<configuration_error>(HasSubstr("the latency histograms must hold 'successes' (7) samples")));
  j = sample(1, 2);
  j["windows"] = 3;
  EXPECT_THAT([&] { (void)j.get<time_series>(); }, ThrowsMessage<configuration_error>(HasSubstr("'windows' must be an array")));
  j = sample(1, 2);
  j["windows"][0].erase("active_users");
  EXPECT_THAT([&] { (void)j.get<time_series>(); },
              ThrowsMessage<configuration_error>(HasSubstr("malformed time window: missing field 'active_users'")));
  j = sample(1, 2);
  j["windows"][0]["tallies"].push_back(j["windows"][0]["tallies"][1]);
  EXPECT_THAT([&] { (void)j.get<time_series>(); }, ThrowsMessage<configuration_error>(HasSubstr("listed twice")));
}

}  // namespace
}  // namespace loadgate
