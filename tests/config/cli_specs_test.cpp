#include "cli/specs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/error.hpp"

using namespace std::chrono_literals;
namespace cli = loadgate::cli;

TEST(CliSpecs, ThinkTimes) {
  EXPECT_EQ(cli::parse_think_time("none"), loadgate::think_time{});
  EXPECT_EQ(cli::parse_think_time("constant:1s"), loadgate::constant(1s));
  EXPECT_EQ(cli::parse_think_time("between:500ms:1500ms"), loadgate::between(500ms, 1500ms));
  EXPECT_EQ(cli::parse_think_time("pacing:2s"), loadgate::constant_pacing(2s));
  EXPECT_EQ(cli::parse_think_time("throughput:0.5"), loadgate::constant_pacing(2s));
  EXPECT_THROW(cli::parse_think_time("between:2s:1s"), loadgate::configuration_error);
  EXPECT_THROW(cli::parse_think_time("throughput:0"), loadgate::configuration_error);
  EXPECT_THROW(cli::parse_think_time("sometimes"), loadgate::configuration_error);
}

TEST(CliSpecs, Arrivals) {
  EXPECT_EQ(cli::parse_arrivals("constant"), loadgate::arrival_process::constant());
  EXPECT_EQ(cli::parse_arrivals("poisson"), loadgate::arrival_process::poisson());
  EXPECT_EQ(cli::parse_arrivals("gamma:0.25"), loadgate::arrival_process::gamma(0.25));
  EXPECT_THROW(cli::parse_arrivals("gamma:-1"), loadgate::configuration_error);
  EXPECT_THROW(cli::parse_arrivals("gamma"), loadgate::configuration_error);
}

TEST(CliSpecs, Stages) {
  EXPECT_EQ(cli::parse_stage("100:10s:1m"), (loadgate::stage{100, 10s, 60s}));
  try {
    cli::parse_stage("100:10s");
    FAIL();
  } catch (const loadgate::configuration_error& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("TARGET:RAMP:HOLD"));
  }
}
