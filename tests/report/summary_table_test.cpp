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
