// Admission control: max_concurrent_requests permits, no waiting for one, 429 at once.
#include "sim_process.hpp"
#include "test_client.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace sim_test {
namespace {

using nlohmann::json;

// Each request holds its permit for ~20 steps of 25 ms, far longer than it takes all the
// concurrent requests to arrive, so exactly max_concurrent_requests of them are admitted.
std::vector<std::string> admission_flags() {
  return {"--max-concurrent-requests", "8", "--step-base-ms", "25", "--time-scale", "1"};
}
const std::string slow_body = R"({"inputs":"a b c","parameters":{"max_new_tokens":20}})";

TEST(Admission, ExactlyTheRequestsBeyondThePermitsGet429) {
  sim_process sim(admission_flags());
  std::vector<request> batch(20, request{"POST", "/generate", slow_body, "127.0.0.1", sim.port()});
  auto replies = send_concurrently(batch);
  int ok = 0, overloaded = 0;
  for (const auto& r : replies) {
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++overloaded;
      auto e = json::parse(r.body);
      EXPECT_EQ(e["error_type"], "overloaded");
      EXPECT_EQ(e["error"], "Model is overloaded");
    }
  }
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(overloaded, 12);
  auto m = get(sim.port(), "/metrics").body;
  EXPECT_EQ(metric_value(m, "lorax_request_failure{err=\"overloaded\"}"), 12);
  EXPECT_EQ(metric_value(m, "lorax_request_count"), 20);
  // The permits are free again.
  EXPECT_EQ(post(sim.port(), "/generate", slow_body).status, 200);
}

TEST(Admission, StreamsAreRejectedInsideA200Stream) {
  sim_process sim(admission_flags());
  std::vector<request> batch(14, request{"POST", "/generate_stream", slow_body, "127.0.0.1", sim.port()});
  auto replies = send_concurrently(batch);
  int streamed = 0, overloaded = 0;
  for (const auto& r : replies) {
    ASSERT_EQ(r.status, 200);
    ASSERT_FALSE(r.events.empty());
    auto first = json::parse(r.events.front().data);
    if (first.contains("error")) {
      EXPECT_EQ(first["error_type"], "overloaded");
      EXPECT_EQ(r.events.size(), 1u);
      ++overloaded;
    } else {
      EXPECT_EQ(r.events.size(), 20u);
      ++streamed;
    }
  }
  EXPECT_EQ(streamed, 8);
  EXPECT_EQ(overloaded, 6);
}

}  // namespace
}  // namespace sim_test
