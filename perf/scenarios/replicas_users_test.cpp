// Replicas x users: the teams' scaling matrix (replicas 1/2/4 behind a load balancer, fixed
// users), one HAProxy service per replica count. Throughput must grow with replicas; each cell
// has its own baseline.
#include "scenario_support.hpp"

namespace loadgate::scenarios {
namespace {

using namespace std::chrono_literals;

struct cell {
  unsigned replicas = 1;
  unsigned users = 48;
  double min_throughput = 0;  // requests per second this cell must at least reach
};

void PrintTo(const cell& c, std::ostream* os) { *os << c.replicas << " replicas, " << c.users << " users"; }

class Scaling : public scenario_test_with_param<cell> {
 protected:
  std::string service() const override { return "lorax_r" + std::to_string(GetParam().replicas); }
};

TEST_P(Scaling, ReplicasUsers) {
  const auto [replicas, users, min_throughput] = GetParam();
  const llm::generation_options generate{.max_new_tokens = 64, .adapters = llm::adapter_selection::zipf(first_adapters(4), 1.1)};
  const auto scenario = loadgate::scenario{"replicas_users"}
                            .users(users).spawn_rate(users).duration(12s).grace(2s)
                            .task(llm::generate(generate));

  const auto options = options_for(service(), LOADGATE_REPLICA_SIM_FLAGS);
  const auto outcome = expect_no_regression(scenario, target(), options);
  EXPECT_THAT(outcome, meets(throughput() >= min_throughput, failure_rate() < 1_percent));
}

INSTANTIATE_TEST_SUITE_P(Matrix, Scaling,
                         ::testing::Values(cell{1, 48, 40.0}, cell{2, 48, 80.0}, cell{4, 48, 150.0}),
                         [](const auto& info) {
                           return "r" + std::to_string(info.param.replicas) + "_u" + std::to_string(info.param.users);
                         });

}  // namespace
}  // namespace loadgate::scenarios
