#include <iostream>

#include "loadgate/gtest.hpp"

namespace loadgate {
namespace {

void log_line(const std::string& line) { std::cout << "[ loadgate  ] " << line << std::endl; }

}  // namespace

void scenario_test::SetUp() {
  try {
    target_ = target_from_env(service());
  } catch (const unreachable_target& e) {
    // A skip reads as a pass in CTest: only when the user asked for it.
    if (skip_unreachable_requested()) GTEST_SKIP() << e.what();
    FAIL() << e.what();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
}

void PrintTo(const result& r, std::ostream* os) {
  const auto total = r.total();
  *os << "the result of '" << r.info.scenario << "': " << total.count() << " requests, " << total.failures() << " failed";
}

void PrintTo(const gated_outcome& o, std::ostream* os) {
  *os << "a gated run (baseline " << to_string(o.action) << ", " << o.runs.size() << " runs)";
}

gated_outcome gated_run(const scenario& s, const target& t, gated_run_options options) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) throw configuration_error{"loadgate::gated_run(scenario, target) must be called inside a test"};
  if (!options.log()) options.log(log_line);
  auto outcome = gated_run(s, t, info->test_suite_name(), info->name(), options);
  ::testing::Test::RecordProperty("loadgate_baseline", outcome.baseline_file.string());
  ::testing::Test::RecordProperty("loadgate_action", std::string{to_string(outcome.action)});
  ::testing::Test::RecordProperty("loadgate_runs", static_cast<int>(outcome.runs.size()));
  return outcome;
}

gated_outcome expect_no_regression(const scenario& s, const target& t, gated_run_options options) {
  auto outcome = gated_run(s, t, std::move(options));
  if (outcome.passed()) {
    std::cout << outcome.message << std::endl;
  } else {
    ADD_FAILURE() << outcome.message;
  }
  return outcome;
}

}  // namespace loadgate
