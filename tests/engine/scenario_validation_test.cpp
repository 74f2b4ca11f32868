// scenario::validate: one line that names the field and what is wrong.
#include <sched.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/error.hpp"
#include "loadgate/scenario.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

scenario valid() { return scenario{"checkout"}.users(2).duration(1s).task(http_task("home", "GET", "/")); }
scenario valid_open() { return scenario{"paced"}.rate(10).duration(1s).task(http_task("home", "GET", "/")); }

std::string message_of(const scenario& s) {
  try {
    s.validate();
  } catch (const configuration_error& e) {
    return e.what();
  }
  return "<valid>";
}

TEST(ScenarioValidation, AValidScenarioPasses) { EXPECT_NO_THROW(valid().validate()); }

TEST(ScenarioValidation, ZeroUsersNamesUsers) {
  EXPECT_THAT(message_of(valid().users(0)), AllOf(HasSubstr("'checkout'"), HasSubstr("users must be at least 1")));
}

TEST(ScenarioValidation, ZeroOrNegativeDurationNamesDuration) {
  EXPECT_THAT(message_of(valid().duration(0s)), HasSubstr("duration must be positive"));
  EXPECT_THAT(message_of(valid().duration(-1s)), HasSubstr("duration must be positive (got -1 s)"));
}

TEST(ScenarioValidation, NoTasksSaysHowToAddOne) {
  EXPECT_THAT(message_of(scenario{"empty"}.duration(1s)), HasSubstr("tasks: none given"));
}

TEST(ScenarioValidation, ZeroWeightNamesTheTask) {
  EXPECT_THAT(message_of(valid().task(0, http_task("search", "GET", "/q"))),
              HasSubstr("task 'search': weight must be at least 1"));
}

TEST(ScenarioValidation, UnnamedTaskAndEmptyRequestAreRejected) {
  EXPECT_THAT(message_of(valid().task(http_task("", "GET", "/"))), HasSubstr("task #2: name must not be empty"));
  EXPECT_THAT(message_of(valid().task(task{"broken", {}, {}})), HasSubstr("task 'broken': request function is empty"));
}

TEST(ScenarioValidation, BadRatesNameTheirField) {
  EXPECT_THAT(message_of(valid_open().rate(-5)), HasSubstr("rate must be a finite number >= 0"));
  EXPECT_THAT(message_of(valid_open().rate(std::numeric_limits<double>::infinity())), HasSubstr("rate must be"));
  EXPECT_THAT(message_of(valid_open().rate(0)), HasSubstr("rate must be above 0"));
  EXPECT_THAT(message_of(valid().spawn_rate(-1)), HasSubstr("spawn_rate must be"));
}

TEST(ScenarioValidation, OpenModelNeedsRoomInFlight) {
  EXPECT_THAT(message_of(valid_open().max_in_flight(0)), HasSubstr("max_in_flight must be at least 1"));
  EXPECT_THAT(message_of(valid_open().max_in_flight(0)), Not(HasSubstr("users")));
}

TEST(ScenarioValidation, BadStagesNameTheStage) {
  EXPECT_THAT(message_of(valid().stages({{10, 1s, 1s}, {-3, 1s, 1s}})), HasSubstr("stages[1].target"));
  EXPECT_THAT(message_of(valid().stages({{10, -1s, 1s}})), HasSubstr("stages[0].ramp must not be negative"));
  EXPECT_THAT(message_of(valid().stages({{10, 0s, 0s}})), HasSubstr("stages: the total"));
}

TEST(ScenarioValidation, TimeoutsMustBePositive) {
  EXPECT_THAT(message_of(valid().connect_timeout(0s)), HasSubstr("connect_timeout must be positive"));
  EXPECT_THAT(message_of(valid().request_timeout(-1s)), HasSubstr("request_timeout must be positive"));
  EXPECT_THAT(message_of(valid().idle_timeout(0s)), HasSubstr("idle_timeout must be positive"));
  EXPECT_THAT(message_of(valid().grace(-1s)), HasSubstr("grace must not be negative"));
}

TEST(ScenarioValidation, StagedOpenLoadTakesItsRateFromTheStages) {
  EXPECT_THAT(message_of(valid_open().stages({{5, 1s, 1s}})), HasSubstr("rate: an open load with stages"));
  EXPECT_EQ(message_of(valid_open().rate(0).stages({{5, 1s, 1s}})), "<valid>");
  EXPECT_EQ(message_of(valid().stages({{5, 1s, 1s}})), "<valid>");
}

// The load model is a type: a knob of the other model after one was chosen is refused at once,
// with a line that names both, never turned into a silent switch.
TEST(ScenarioValidation, TheLoadModelIsChosenOnce) {
  try {
    (void)valid().rate(10);
    ADD_FAILURE() << "a closed scenario took a rate";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("rate, arrivals and max_in_flight belong to the open model"));
  }
  EXPECT_THROW((void)valid_open().users(3), configuration_error);
  EXPECT_TRUE(scenario{}.rate(5).open_model()) << "the first knob chooses";
  EXPECT_FALSE(scenario{}.open_model()) << "closed by default";
  EXPECT_TRUE(valid().load(open_load{.rate = 5}).open_model()) << "load() replaces the model explicitly";
}

TEST(ScenarioValidation, MessagesAreOneLine) {
  EXPECT_THAT(message_of(valid().users(0)), Not(HasSubstr("\n")));
}

TEST(ScenarioValidation, StagesSetTheDuration) {
  EXPECT_EQ(valid().stages({{10, 2s, 3s}, {0, 1s, 0s}}).duration(), 6s);
  EXPECT_EQ(valid().duration(), 1s);
}

TEST(ScenarioValidation, EffectiveThreadsDefaultsToTheCores) {
  EXPECT_GE(valid().effective_threads(), 1u);
  EXPECT_EQ(valid().threads(3).effective_threads(), 3u);
}

TEST(ScenarioValidation, EffectiveThreadsCountsOnlyTheCpusTheProcessMayUse) {
  // As under `taskset -c 0` or a one-CPU cpuset: one worker thread, not one per CPU of the
  // machine taking turns on the one allowed. The mask is this thread's, restored after.
  cpu_set_t before;
  ASSERT_EQ(sched_getaffinity(0, sizeof before, &before), 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &before)) {
      CPU_SET(cpu, &one);
      break;
    }
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  const auto threads = valid().effective_threads();
  ASSERT_EQ(sched_setaffinity(0, sizeof before, &before), 0);
  EXPECT_EQ(threads, 1u);
  EXPECT_EQ(valid().threads(2).effective_threads(), 2u) << "a count given is kept";
}

}  // namespace
}  // namespace loadgate
