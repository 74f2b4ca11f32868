// Fault injection by flag and by POST /admin/faults: injected errors (seeded, repeatable),
// resets, malformed SSE, stalls.
#include "sim_process.hpp"
#include "test_client.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace sim_test {
namespace {

using nlohmann::json;

const std::string body = R"({"inputs":"a b c","parameters":{"max_new_tokens":6}})";

std::vector<int> statuses(std::uint16_t port, int n) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i) out.push_back(post(port, "/generate", body).status);
  return out;
}

TEST(Faults, InjectedErrorsAreSeededAndRepeatable) {
  const std::vector<std::string> flags = {"--time-scale", "0.001", "--seed", "11",
                                          "--error-rate", "overloaded=0.3", "--error-rate", "generation=0.2"};
  sim_process first(flags), second(flags);
  const auto a = statuses(first.port(), 60), b = statuses(second.port(), 60);
  EXPECT_EQ(a, b);
  const auto count = [&](int s) { return std::count(a.begin(), a.end(), s); };
  EXPECT_GT(count(429), 5);
  EXPECT_GT(count(424), 3);
  EXPECT_GT(count(200), 10);
  EXPECT_EQ(count(200) + count(429) + count(424), 60);
}

TEST(Faults, AdminRouteSetsReadsAndResetsFaults) {
  sim_process sim({"--time-scale", "0.001"});
  auto set = post(sim.port(), "/admin/faults", R"({"error_rates":{"validation":1.0},"jitter_ms":1})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(json::parse(set.body)["error_rates"]["validation"], 1.0);
  auto r = post(sim.port(), "/generate", body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["error_type"], "validation");
  EXPECT_EQ(post(sim.port(), "/admin/faults", R"({"slowdown":0})").status, 422);
  EXPECT_EQ(post(sim.port(), "/admin/faults", R"({"bogus":1})").status, 422);
  EXPECT_EQ(post(sim.port(), "/admin/faults", "not json").status, 422);
  EXPECT_EQ(json::parse(get(sim.port(), "/admin/faults").body)["jitter_ms"], 1.0);
  EXPECT_EQ(send({"DELETE", "/admin/faults", "", "127.0.0.1", sim.port()}).status, 200);
  EXPECT_EQ(post(sim.port(), "/generate", body).status, 200);
}

TEST(Faults, ResetsCutResponses) {
  sim_process sim({"--time-scale", "0.001", "--reset-rate", "1"});
  auto r = post(sim.port(), "/generate", body);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.status, 0);
  auto s = post(sim.port(), "/generate_stream", body);
  EXPECT_FALSE(s.complete);
  EXPECT_LT(s.events.size(), 6u);
  EXPECT_EQ(get(sim.port(), "/health").status, 200);
  EXPECT_EQ(metric_value(get(sim.port(), "/metrics").body, "lorax_request_failure{err=\"reset\"}"), 2);
}

TEST(Faults, MalformedSseAndIncompleteStreams) {
  sim_process sim({"--time-scale", "0.001", "--malformed-sse-rate", "1"});
  auto s = post(sim.port(), "/generate_stream", body);
  ASSERT_EQ(s.status, 200);
  ASSERT_EQ(s.events.size(), 7u);  // six tokens and one broken event
  int broken = 0;
  for (const auto& e : s.events) broken += !json::accept(e.data);
  EXPECT_EQ(broken, 1);

  ASSERT_EQ(post(sim.port(), "/admin/faults", R"({"malformed_sse_rate":0,"error_rates":{"incomplete_generation":1}})").status, 200);
  auto cut = post(sim.port(), "/generate_stream", body);
  EXPECT_EQ(cut.status, 200);
  EXPECT_TRUE(cut.complete);
  // As LoRAX's router: no token and no final event, and one error event that says so.
  ASSERT_EQ(cut.events.size(), 1u);
  const auto said = json::parse(cut.events.front().data);
  EXPECT_EQ(said.at("error_type"), "incomplete_generation");
  EXPECT_EQ(post(sim.port(), "/generate", body).status, 500);
  // Counted under LoRAX's label for it (router/src/server.rs, infer.rs).
  const auto metrics = get(sim.port(), "/metrics").body;
  EXPECT_EQ(metric_value(metrics, "lorax_request_failure{err=\"incomplete\"}"), 2);
  EXPECT_EQ(metric_value(metrics, "lorax_request_failure{err=\"incomplete_generation\"}"), -1);
}

TEST(Faults, AClientThatGoesAwayIsCountedAsLoraxsDropped) {
  sim_process sim({"--step-base-ms", "20"});
  // 100 tokens take 2 s; the client gives up after 200 ms and closes its connection.
  const auto cut = post(sim.port(), "/generate_stream", R"({"inputs":"a","parameters":{"max_new_tokens":100}})", 200ms);
  EXPECT_FALSE(cut.complete);
  double dropped = -1;
  for (const auto until = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < until;) {
    dropped = metric_value(get(sim.port(), "/metrics").body, "lorax_request_failure{err=\"dropped\"}");
    if (dropped == 1) break;  // the simulator notices at its next write, within a step or two
    std::this_thread::sleep_for(20ms);  // between polls only: the deadline bounds the wait
  }
  EXPECT_EQ(dropped, 1);
}

TEST(Faults, StallsFreezeTheStepLoop) {
  // Every 0.5 s the loop stalls for 200 ms: a 1 s generation must meet at least one stall.
  sim_process sim({"--step-base-ms", "10", "--stall-every-s", "0.5", "--stall-ms", "200"});
  auto r = post(sim.port(), "/generate_stream", R"({"inputs":"a","parameters":{"max_new_tokens":60}})");
  ASSERT_EQ(r.events.size(), 60u);
  double longest_gap = 0;
  for (std::size_t i = 1; i < r.events.size(); ++i)
    longest_gap = std::max(longest_gap, r.events[i].at_ms - r.events[i - 1].at_ms);
  EXPECT_GE(longest_gap, 150);
}

}  // namespace
}  // namespace sim_test
