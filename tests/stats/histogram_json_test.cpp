#include <random>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "loadgate/histogram.hpp"

namespace loadgate {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

histogram log_normal(std::uint64_t seed, std::size_t n) {
  std::mt19937_64 rng{seed};
  std::lognormal_distribution<double> d{std::log(50'000.0), 1.2};
  histogram h;
  for (std::size_t i = 0; i < n; ++i) h.record(static_cast<std::int64_t>(d(rng)));
  return h;
}

histogram round_trip(const histogram& h) { return json::parse(json(h).dump()).get<histogram>(); }

TEST(HistogramJson, RoundTripIsLossless) {
  auto h = log_normal(7, 100'000);
  h.record(histogram::highest_trackable + 1, 2);  // saturated
  h.record(0);
  const auto back = round_trip(h);
  EXPECT_EQ(back, h);
  EXPECT_EQ(back.saturated(), 2u);
  EXPECT_EQ(back.value_at_percentile(99.9), h.value_at_percentile(99.9));
  EXPECT_EQ(round_trip(histogram{}), histogram{});
  // Without a text round trip too: integers built in memory are signed, parsed ones unsigned.
  EXPECT_EQ(json(h).get<histogram>(), h);
}

TEST(HistogramJson, FormatIsCompactRuns) {
  histogram h;
  h.record(5, 2);
  h.record(6);
  h.record(9);
  const json j = h;
  EXPECT_EQ(j.at("v"), 1);
  EXPECT_EQ(j.at("count"), 4);
  EXPECT_EQ(j.at("sum"), 25);
  EXPECT_EQ(j.at("counts"), json::parse("[[5,2,1],[9,1]]"));
  // 100k log-normal samples occupy a few thousand buckets: well under 10 bytes per bucket.
  const auto big = log_normal(8, 100'000);
  std::size_t buckets = 0;
  big.for_each_bucket([&](std::int64_t, std::uint64_t) { ++buckets; });
  EXPECT_LT(json(big).dump().size(), buckets * 10);
}

json valid() { return json(log_normal(9, 1000)); }

void expect_histogram_rejected(const json& j, const std::string& message) {
  EXPECT_THAT([&] { (void)j.get<histogram>(); }, ThrowsMessage<configuration_error>(HasSubstr(message))) << j.dump();
}

TEST(HistogramJson, MalformedInputIsRejectedWithAClearMessage) {
  expect_histogram_rejected(json::array(), "histogram: expected an object");
  auto j = valid();
  j["v"] = 2;
  expect_histogram_rejected(j, "v2 is not supported");
  j = valid();
  j.erase("count");
  expect_histogram_rejected(j, "missing field 'count'");
  j = valid();
  j["count"] = j["count"].get<std::uint64_t>() + 1;
  expect_histogram_rejected(j, "'count' is");
  j = valid();
  j["min"] = "3";
  expect_histogram_rejected(j, "field 'min' must be a non-negative integer, got string");
  j = valid();
  j["counts"][0][1] = -1;
  expect_histogram_rejected(j, "non-negative integer");
  j = valid();
  j["counts"] = json::parse("[[23552, 1]]");
  expect_histogram_rejected(j, "exceeds");
  j = valid();
  j["counts"].push_back(j["counts"][0]);
  expect_histogram_rejected(j, "overlaps");
  j = valid();
  j["counts"] = json::parse("[[5]]");
  expect_histogram_rejected(j, "[first_index, count, ...]");
  j = valid();
  j["min"] = j["max"];
  expect_histogram_rejected(j, "min and max");
  j = valid();
  j["sum"] = 1;
  expect_histogram_rejected(j, "'sum'");
  j = valid();
  j["saturated"] = 1;
  expect_histogram_rejected(j, "'saturated'");
}

TEST(HistogramJson, EmptyHistogramMustBeConsistent) {
  auto j = json(histogram{});
  j["max"] = 3;
  expect_histogram_rejected(j, "empty histogram");
}

}  // namespace
}  // namespace loadgate
