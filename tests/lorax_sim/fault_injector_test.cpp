#include "fault_injector.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace lorax_sim {

TEST(FaultInjector, SlowdownScalesTheStep) {
  fault_settings f;
  f.slowdown = 1.2;
  fault_injector inj(f, 1, 1.0, std::chrono::steady_clock::now());
  EXPECT_DOUBLE_EQ(inj.adjust_step_ms(50.0), 60.0);
}

TEST(FaultInjector, SameSeedSameDraws) {
  fault_settings f;
  f.error_rates["overloaded"] = 0.3;
  f.reset_rate = 0.2;
  fault_injector a(f, 7, 1.0, {}), b(f, 7, 1.0, {});
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(a.draw_error(), b.draw_error());
    EXPECT_EQ(a.draw_reset(), b.draw_reset());
  }
}

TEST(FaultInjector, ErrorRateIsRoughlyHonoured) {
  fault_settings f;
  f.error_rates["generation"] = 0.25;
  fault_injector inj(f, 3, 1.0, {});
  int hits = 0;
  for (int i = 0; i < 10000; ++i) hits += inj.draw_error().has_value();
  EXPECT_NEAR(hits, 2500, 200);
}

TEST(FaultInjector, StallWindowEndsEachPeriod) {
  fault_settings f;
  f.stall_every_s = 1.0;
  f.stall_ms = 100.0;
  const auto epoch = std::chrono::steady_clock::time_point{};
  fault_injector inj(f, 1, 1.0, epoch);
  using namespace std::chrono_literals;
  EXPECT_EQ(inj.after_stall(epoch + 500ms), epoch + 500ms);
  const auto moved = inj.after_stall(epoch + 950ms);
  const double moved_ms = std::chrono::duration<double, std::milli>(moved - epoch).count();
  EXPECT_NEAR(moved_ms, 1000.0, 0.01);
}

TEST(FaultInjector, MergeKeepsAbsentKeysAndRejectsBadOnes) {
  fault_settings f;
  f.jitter_ms = 3;
  merge_faults(nlohmann::json{{"slowdown", 1.5}}, f);
  EXPECT_DOUBLE_EQ(f.slowdown, 1.5);
  EXPECT_DOUBLE_EQ(f.jitter_ms, 3);
  EXPECT_THROW(merge_faults(nlohmann::json{{"slowdown", -1}}, f), std::invalid_argument);
  EXPECT_THROW(merge_faults(nlohmann::json{{"nonsense", 1}}, f), std::invalid_argument);
  EXPECT_THROW(merge_faults(nlohmann::json{{"error_rates", {{"teapot", 0.5}}}}, f), std::invalid_argument);
}

}  // namespace lorax_sim
