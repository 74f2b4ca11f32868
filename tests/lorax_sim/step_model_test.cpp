#include "step_model.hpp"

#include <gtest/gtest.h>

namespace lorax_sim {

TEST(StepModel, AddsEveryCostTerm) {
  const step_costs c{10.0, 0.5, 2.0, 0.1};
  EXPECT_DOUBLE_EQ(step_time_ms(c, {4, 2, 100}), 10.0 + 0.5 * 4 + 2.0 * 2 + 0.1 * 100);
  EXPECT_DOUBLE_EQ(step_time_ms(c, {}), 10.0);
}

TEST(StepModel, SoloPredictionIsPrefillStepPlusDecodeSteps) {
  const step_costs c{40.0, 1.0, 2.0, 0.5};
  const auto p = predict_solo(c, 20, 10, true);
  EXPECT_DOUBLE_EQ(p.ttft_ms, 40 + 1 + 2 + 10);
  EXPECT_DOUBLE_EQ(p.decode_step_ms, 43);
  EXPECT_DOUBLE_EQ(p.e2e_ms, 53 + 9 * 43);
}

}  // namespace lorax_sim
