// Shards of one run: their names, what each records about its start, and the rules by which they
// merge back into the run (the same division, each part once, one shared start, none missing).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "loadgate/result.hpp"
#include "sample_results.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using testing::HasSubstr;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const configuration_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Shard, ParsesOneBasedIOfN) {
  EXPECT_EQ(parse_shard("2/3"), (shard{2, 3}));
  EXPECT_EQ(parse_shard("1/1"), (shard{1, 1}));
  EXPECT_EQ(to_string(shard{7, 12}), "7/12");
}

TEST(Shard, BadSpellingsSayWhatIsExpected) {
  EXPECT_THAT(error_of([] { parse_shard("0/3"); }), HasSubstr("numbered from 1"));
  EXPECT_THAT(error_of([] { parse_shard("4/3"); }), HasSubstr("between 1 and 3"));
  EXPECT_THAT(error_of([] { parse_shard("2"); }), HasSubstr("expected i/N"));
  EXPECT_THAT(error_of([] { parse_shard("2/x"); }), HasSubstr("expected i/N"));
  EXPECT_THAT(error_of([] { parse_shard("1/0"); }), HasSubstr("at least 1"));
}

result shard_result(std::size_t index, std::size_t count, std::int64_t shared_start = 1'700'000'000'000) {
  auto r = test_support::sample_result();
  r.info.shard_starts = {shard_start{{index, count}, std::chrono::microseconds{100 * index}}};
  r.info.shared_start_unix_ms = shared_start;
  return r;
}

TEST(ShardMerge, EveryShardMergedGivesTheWholeRunWithEachSkew) {
  result merged;
  for (std::size_t i : {3u, 1u, 2u}) merged.merge(shard_result(i, 3));
  EXPECT_TRUE(missing_shards(merged.info).empty());
  ASSERT_EQ(merged.info.shard_starts.size(), 3u);
  EXPECT_EQ(merged.info.shard_starts[0].shard, (shard{1, 3})) << "listed in shard order, whatever the merge order";
  EXPECT_EQ(merged.info.shard_starts[2].skew, 300us);
  EXPECT_EQ(merged.total().count(), 3 * test_support::sample_result().total().count());
  EXPECT_EQ(skews_text(merged.info.shard_starts), "1/3 +0.10 ms, 2/3 +0.20 ms, 3/3 +0.30 ms");
}

TEST(ShardMerge, AMissingShardIsNamed) {
  result merged;
  merged.merge(shard_result(1, 4));
  merged.merge(shard_result(3, 4));
  EXPECT_EQ(missing_shards(merged.info), (std::vector<shard>{{2, 4}, {4, 4}}));
  EXPECT_TRUE(missing_shards(test_support::sample_result().info).empty()) << "a run that was not split misses nothing";
}

TEST(ShardMerge, AShardGivenTwiceIsRefused) {
  result merged = shard_result(1, 3);
  merged.merge(shard_result(2, 3));
  EXPECT_THAT(error_of([&] { merged.merge(shard_result(2, 3)); }), HasSubstr("shard 2/3 is given twice"));
}

TEST(ShardMerge, ShardsOfDifferentDivisionsStartsOrScenariosAreRefused) {
  EXPECT_THAT(error_of([] { shard_result(1, 3).merge(shard_result(2, 4)); }), HasSubstr("different numbers of shards"));
  EXPECT_THAT(error_of([] { shard_result(1, 2).merge(shard_result(2, 2, 1'700'000'099'000)); }),
              HasSubstr("give every shard the same --start-at"));
  EXPECT_THAT(error_of([] { shard_result(1, 2).merge(test_support::sample_result()); }),
              HasSubstr("with a run that was not split"));
  auto other = shard_result(2, 2);
  other.info.scenario = "another";
  EXPECT_THAT(error_of([&] { shard_result(1, 2).merge(other); }), HasSubstr("different scenarios"));
}

TEST(ShardMerge, ShardStartsRoundTripThroughJson) {
  result merged = shard_result(1, 2);
  merged.merge(shard_result(2, 2));
  const auto back = nlohmann::json(merged).get<result>();
  EXPECT_EQ(back.info.shard_starts, merged.info.shard_starts);
  EXPECT_EQ(back.info.shared_start_unix_ms, merged.info.shared_start_unix_ms);
}

TEST(ShardMerge, AResultFromBeforeShardsReadsAsNotSplit) {
  auto j = nlohmann::json(test_support::sample_result());
  j["run"].erase("shard_starts");
  j["run"].erase("shared_start_unix_ms");
  const auto back = j.get<result>();
  EXPECT_TRUE(back.info.shard_starts.empty());
  EXPECT_EQ(back.info.shared_start_unix_ms, 0);
}

TEST(ShardMerge, AMalformedShardInAResultNamesTheField) {
  auto j = nlohmann::json(shard_result(1, 2));
  j["run"]["shard_starts"][0]["shard"] = "3/2";
  EXPECT_THAT(error_of([&] { (void)j.get<result>(); }), HasSubstr("shard_starts"));
}

}  // namespace
}  // namespace loadgate
