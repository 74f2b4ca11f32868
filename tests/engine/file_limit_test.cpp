// A scenario that needs more descriptors than the hard limit allows does not start.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/resource.h>

#include "loadgate/error.hpp"
#include "loadgate/run.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(FileLimit, TooManyUsersIsAStartErrorNamingUlimit) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max == RLIM_INFINITY || limit.rlim_max > 100'000'000) GTEST_SKIP() << "no finite hard limit";
  const auto users = static_cast<std::size_t>(limit.rlim_max) + 1;
  const auto s = scenario{"huge"}.users(users).duration(1s).task(http_task("t", "GET", "/"));
  try {
    (void)run(s, target::parse("http://127.0.0.1:1"));
    FAIL() << "expected start_error";
  } catch (const start_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("open-file limit"), HasSubstr("ulimit -n"),
                                HasSubstr(std::to_string(users + 64))));
  }
}

TEST(FileLimit, AnInvalidScenarioIsAConfigurationErrorBeforeAnything) {
  EXPECT_THROW((void)run(scenario{"none"}, target::parse("http://127.0.0.1:1")), configuration_error);
}

}  // namespace
}  // namespace loadgate
