// Which shard a `loadgate run` process is (flags, LOADGATE_SHARD, a Kubernetes Indexed Job's
// JOB_COMPLETION_INDEX), when the shards start, and a result handed over through a log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <sstream>

#include "cli/sharding.hpp"
#include "loadgate/error.hpp"

namespace loadgate::cli {
namespace {

using testing::HasSubstr;

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const configuration_error& e) {
    return e.what();
  }
  return "(no error)";
}

// The variables a test sets, cleared around it so that the machine's own never leak in.
struct Sharding : testing::Test {
  void SetUp() override { clear(); }
  void TearDown() override { clear(); }
  static void clear() {
    ::unsetenv("LOADGATE_SHARD");
    ::unsetenv("JOB_COMPLETION_INDEX");
  }
  static std::string error_of(const shard_flags& f) {
    return message_of([&] { resolve_shard(f); });
  }
};

TEST_F(Sharding, NothingSaidIsTheWholeRun) { EXPECT_EQ(resolve_shard({}), (shard{1, 1})); }

TEST_F(Sharding, TheFlagWinsOverTheEnvironment) {
  ::setenv("LOADGATE_SHARD", "3/4", 1);
  EXPECT_EQ(resolve_shard({.shard = "1/4"}), (shard{1, 4}));
  EXPECT_EQ(resolve_shard({}), (shard{3, 4}));
}

TEST_F(Sharding, AnIndexedJobsZeroBasedIndexIsShardIndexPlusOne) {
  ::setenv("JOB_COMPLETION_INDEX", "0", 1);
  EXPECT_EQ(resolve_shard({.shards = 4}), (shard{1, 4}));
  ::setenv("JOB_COMPLETION_INDEX", "3", 1);
  EXPECT_EQ(resolve_shard({.shards = 4}), (shard{4, 4}));
  EXPECT_EQ(resolve_shard({}), (shard{1, 1})) << "an index alone does not say into how many parts";
}

TEST_F(Sharding, APodsIndexBeatsAShardBakedIntoTheImage) {
  ::setenv("LOADGATE_SHARD", "1/4", 1);
  ::setenv("JOB_COMPLETION_INDEX", "2", 1);
  EXPECT_EQ(resolve_shard({.shards = 4}), (shard{3, 4})) << "every pod would otherwise run shard 1/4";
}

TEST_F(Sharding, MistakesNameTheFlagOrVariable) {
  EXPECT_THAT(error_of({.shards = 0}), HasSubstr("--shards must be at least 1"));
  EXPECT_THAT(error_of({.shards = 4}), HasSubstr("JOB_COMPLETION_INDEX"));
  ::setenv("JOB_COMPLETION_INDEX", "4", 1);
  EXPECT_THAT(error_of({.shards = 4}), HasSubstr("must be an index 0 .. 3"));
  EXPECT_THAT(error_of({.shard = "2/3", .shards = 4}), HasSubstr("not one of --shards 4"));
  ::setenv("LOADGATE_SHARD", "5/4", 1);
  EXPECT_THAT(error_of({}), HasSubstr("LOADGATE_SHARD"));
}

TEST(StartAt, UnixSecondsOrADelay) {
  const shard whole{1, 1};
  const auto at = parse_start_at("1767225600.5", whole);
  ASSERT_TRUE(at);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(at->time_since_epoch()).count(), 1'767'225'600'500);
  const auto before = std::chrono::system_clock::now();
  const auto soon = parse_start_at("+30s", whole);
  ASSERT_TRUE(soon);
  EXPECT_GE(*soon - before, std::chrono::seconds{30});
  EXPECT_LT(*soon - before, std::chrono::seconds{31});
  EXPECT_FALSE(parse_start_at("", whole));
  EXPECT_THROW(parse_start_at("tomorrow", whole), configuration_error);
  EXPECT_THROW(parse_start_at("-5", whole), configuration_error);
}

std::string start_error(std::string_view text, shard part) {
  return message_of([&] { parse_start_at(text, part); });
}

TEST(StartAt, MillisecondsAreCaughtBeforeAnyArithmetic) {
  EXPECT_THAT(start_error("1767225600000", {1, 1}), HasSubstr("not milliseconds"));
  EXPECT_THAT(start_error("1767225600000000", {1, 1}), HasSubstr("not milliseconds"));
}

TEST(StartAt, ADelayCannotBeSharedByShardsStartedApart) {
  EXPECT_THAT(start_error("+45s", {2, 3}), HasSubstr("T=$(( $(date +%s) + 45 ))"));
}

TEST(ResultInLog, APrintedResultIsFoundAmongOtherLines) {
  result r;
  r.info.scenario = "logged";
  r.info.shard_starts = {shard_start{{2, 3}, std::chrono::microseconds{250}}};
  std::ostringstream log;
  log << "shard 2/3: waiting 1s for the shared start\n";
  print_result_block(log, r);
  log << "name requests ...\n";
  const auto back = result_in_log(log.str(), "pod.log");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r);
  EXPECT_FALSE(result_in_log("no result here\n", "pod.log"));
}

TEST(ResultInLog, ACutOffLogSaysSo) {
  result r;
  std::ostringstream log;
  print_result_block(log, r);
  const auto cut = log.str().substr(0, log.str().size() / 2);
  try {
    result_in_log(cut, "pod.log");
    FAIL() << "a cut-off result was accepted";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("pod.log: the printed result is cut off"));
  }
}

}  // namespace
}  // namespace loadgate::cli
