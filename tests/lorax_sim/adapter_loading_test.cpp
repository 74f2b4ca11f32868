// The adapter cache: cold once and warm after, serial loads, LoRAX's and vLLM's offload rules with
// more adapters than slots, the memory budget, and a failed load after the load attempt.
#include "sim_process.hpp"
#include "test_client.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace sim_test {
namespace {

using nlohmann::json;

// Hub loads take 200 ms (size does not count), steps 5 ms; two adapter slots.
std::vector<std::string> flags(const std::string& slots = "2", const std::string& load_ms = "200") {
  return {"--max-active-adapters", slots, "--load-hub-ms", load_ms, "--load-per-mb-ms", "0",
          "--step-base-ms", "5", "--time-scale", "1"};
}

std::string body_for(const std::string& adapter) {
  return json{{"inputs", "hello"}, {"parameters", {{"adapter_id", adapter}, {"max_new_tokens", 2}}}}.dump();
}

// All three are hub adapters in fixtures/data/adapters.json.
const std::string a = "loadgate/support-lora-v1", b = "loadgate/support-lora-v2",
                  c = "loadgate/sql-lora-v1";

// LoRAX's queue time runs to the request's first step, so it holds the wait for the adapter's
// load; its TTFT starts only then.
double queue_time(std::uint16_t port, const std::string& adapter) {
  auto r = post(port, "/generate", body_for(adapter));
  EXPECT_EQ(r.status, 200) << adapter << ": " << r.body;
  return r.header_number("x-queue-time");
}

double metric(std::uint16_t port, const std::string& name) {
  return metric_value(get(port, "/metrics").body, name);
}

TEST(AdapterLoading, ColdOnceWarmAfter) {
  sim_process sim(flags());
  EXPECT_GE(queue_time(sim.port(), a), 200);
  EXPECT_LT(queue_time(sim.port(), a), 50);
  EXPECT_LT(queue_time(sim.port(), a), 50);
  EXPECT_EQ(metric(sim.port(), "lorax_sim_adapter_loads"), 1);
  EXPECT_LT(queue_time(sim.port(), ""), 50);  // the base model needs no load
}

// The cold-load signal (not in LoRAX): x-adapter-load-time on responses, adapter_load_ms in the
// `timings` of a stream's final event, both in fractional milliseconds.
TEST(AdapterLoading, ColdRequestsSayHowLongTheyWaitedForTheLoad) {
  sim_process sim(flags());
  auto cold = post(sim.port(), "/generate", body_for(a));
  ASSERT_EQ(cold.status, 200) << cold.body;
  EXPECT_GE(cold.header_number("x-adapter-load-time"), 195);
  EXPECT_LE(cold.header_number("x-adapter-load-time"), cold.header_number("x-queue-time"));
  EXPECT_LT(cold.header_number("x-time-to-first-token"), 50) << "LoRAX's TTFT starts at batch entry, after the load";
  EXPECT_NE(cold.header("x-time-to-first-token").find('.'), std::string::npos) << "fractional milliseconds";
  auto warm = post(sim.port(), "/generate", body_for(a));
  EXPECT_EQ(warm.header_number("x-adapter-load-time"), 0);
  EXPECT_EQ(post(sim.port(), "/generate", body_for("")).header("x-adapter-load-time"), "") << "base model: no adapter";

  const auto stream_body = json{{"inputs", "hello"}, {"parameters", {{"adapter_id", b}, {"max_new_tokens", 3}}}}.dump();
  auto stream = post(sim.port(), "/generate_stream", stream_body);
  ASSERT_EQ(stream.status, 200);
  ASSERT_FALSE(stream.events.empty());
  const auto timings = json::parse(stream.events.back().data).at("timings");
  EXPECT_GE(timings.at("adapter_load_ms").get<double>(), 195);
  EXPECT_GE(timings.at("queue_ms").get<double>(), timings.at("adapter_load_ms").get<double>());
  EXPECT_LT(timings.at("time_to_first_token_ms").get<double>(), 50);
  EXPECT_GT(timings.at("time_per_output_token_ms").get<double>(), 4);
  EXPECT_GE(timings.at("total_ms").get<double>(), timings.at("time_to_first_token_ms").get<double>());
}

// LoRAX's cycling rule (router/src/queue.rs, update_adapters): for each pending adapter an idle
// one is offloaded, even with a slot free (the order among idle ones, activation order, is
// AdapterCache's test): two adapters used in turn reload each other.
TEST(AdapterLoading, AnIdleAdapterMakesRoomForAPendingOneAsInLorax) {
  auto reloads_in_80_ms = flags();
  reloads_in_80_ms.insert(reloads_in_80_ms.end(), {"--load-host-ms", "80", "--load-host-per-mb-ms", "0"});
  sim_process sim(reloads_in_80_ms);
  EXPECT_GE(queue_time(sim.port(), a), 200);  // slots: a
  EXPECT_GE(queue_time(sim.port(), b), 200);  // a idle, so offloaded for b although a slot is free
  // a is cold again, but LoRAX's loader keeps an offloaded adapter downloaded: its weights come
  // from the host (80 ms), not from the hub (200 ms).
  const double reload = queue_time(sim.port(), a);
  EXPECT_GE(reload, 80);
  EXPECT_LT(reload, 150);
  EXPECT_LT(queue_time(sim.port(), a), 50);  // warm while nothing else is asked for
  EXPECT_EQ(metric(sim.port(), "lorax_sim_adapter_loads"), 3);
  EXPECT_EQ(metric(sim.port(), "lorax_sim_adapter_reloads"), 1);
  EXPECT_EQ(metric(sim.port(), "lorax_sim_adapter_offloads"), 2);
  EXPECT_EQ(metric(sim.port(), "lorax_sim_active_adapters"), 1);
}

// vLLM's LRUCacheLoRAModelManager: the least recently used adapter leaves. Its modules are in
// host memory from the start, so every load costs the host's time.
TEST(AdapterLoading, TheLeastRecentlyUsedIsOffloadedAsInVllm) {
  auto vllm = flags();
  vllm.insert(vllm.end(), {"--dialect", "vllm", "--load-host-ms", "80", "--load-host-per-mb-ms", "0"});
  sim_process sim(vllm);
  const auto elapsed = [&](const std::string& adapter) {
    const auto r = post(sim.port(), "/v1/completions", json{{"model", adapter}, {"prompt", "hello"}, {"max_tokens", 2}}.dump());
    EXPECT_EQ(r.status, 200) << adapter << ": " << r.body;
    return r.elapsed_ms;
  };
  EXPECT_GE(elapsed(a), 80);  // slots: a
  EXPECT_GE(elapsed(b), 80);  // slots: a b
  EXPECT_LT(elapsed(a), 50);  // a used last: b is the LRU
  EXPECT_GE(elapsed(c), 80);  // b offloaded for c
  EXPECT_LT(elapsed(a), 50);  // a stayed
  EXPECT_GE(elapsed(b), 80);
}

// Two adapters of 160 MB each, asked for together, each generating for 250 ms after its 200 ms
// load. Without a budget the serial loader loads the second while the first runs (it finishes
// 200 ms after the first); with 200 MB it must wait until the first is done and offloaded.
TEST(AdapterLoading, TheMemoryBudgetKeepsTwoAdaptersFromBeingActiveTogether) {
  const std::string big = "loadgate/sql-lora-v1", also_big = "loadgate/chat-ja-lora-v1";
  const auto second_after_first = [&](std::vector<std::string> extra) {
    auto f = flags("8");
    f.insert(f.end(), extra.begin(), extra.end());
    sim_process sim(f);
    std::vector<request> both;
    for (const auto& id : {big, also_big}) {
      request r;
      r.target = "/generate";
      r.body = json{{"inputs", "hello"}, {"parameters", {{"adapter_id", id}, {"max_new_tokens", 50}}}}.dump();
      r.port = sim.port();
      both.push_back(r);
    }
    const auto replies = send_concurrently(both);
    EXPECT_EQ(replies[0].status, 200);
    EXPECT_EQ(replies[1].status, 200);
    return std::abs(replies[0].elapsed_ms - replies[1].elapsed_ms);
  };
  EXPECT_LT(second_after_first({}), 300) << "no budget: the loads overlap the first generation";
  EXPECT_GT(second_after_first({"--adapter-memory-mb", "200"}), 350) << "160 + 160 > 200: one at a time";
}

TEST(AdapterLoading, AnAdapterLargerThanTheBudgetIsRefusedAtStart) {
  const auto output = refused_start("--adapter-memory-mb 8");  // the catalogue's smallest has 16 MB
  EXPECT_NE(output.find("adapter loadgate/support-lora-v1 (16 MB) is larger than --adapter-memory-mb 8"), std::string::npos)
      << output;
}

TEST(AdapterLoading, ColdLoadsAreSerial) {
  sim_process sim(flags("3"));
  std::vector<request> batch;
  for (const auto& id : {a, b, c}) batch.push_back({"POST", "/generate", body_for(id), "127.0.0.1", sim.port()});
  auto replies = send_concurrently(batch);
  std::vector<double> queues;
  for (const auto& r : replies) {
    ASSERT_EQ(r.status, 200) << r.body;
    queues.push_back(r.header_number("x-queue-time"));
  }
  std::sort(queues.begin(), queues.end());
  // One loader: the k-th adapter waits for k loads of 200 ms.
  EXPECT_GE(queues[0], 200);
  EXPECT_LT(queues[0], 300);
  EXPECT_GE(queues[1], 400);
  EXPECT_LT(queues[1], 500);
  EXPECT_GE(queues[2], 600);
  EXPECT_LT(queues[2], 700);
}

TEST(AdapterLoading, UnknownAdapterFailsAfterTheLoadAttempt) {
  sim_process sim(flags());
  auto r = post(sim.port(), "/generate", body_for("nobody/missing-lora"));
  EXPECT_EQ(r.status, 424);
  EXPECT_GE(r.elapsed_ms, 195);
  EXPECT_EQ(metric(sim.port(), "lorax_sim_adapter_load_failures"), 1);
  // The next request retries the load (and fails again).
  EXPECT_EQ(post(sim.port(), "/generate", body_for("nobody/missing-lora")).status, 424);
  EXPECT_EQ(metric(sim.port(), "lorax_sim_adapter_load_failures"), 2);
}

// LoRAX looks for an adapter where adapter_source says, the hub when it says nothing: an s3
// adapter asked for without its source is not found, on either kind of route. With its source
// it loads. (loadgate's OpenAI requests once sent no adapter_source, and this is what LoRAX did.)
TEST(AdapterLoading, AnAdapterAskedForFromTheWrongSourceIsNotFound) {
  sim_process sim({"--load-hub-ms", "20", "--load-s3-ms", "20", "--load-per-mb-ms", "0", "--step-base-ms", "5"});
  const std::string s3_adapter = "s3://loadgate-adapters/summarize-v1";  // on s3 in the catalogue
  auto native = post(sim.port(), "/generate", body_for(s3_adapter));
  EXPECT_EQ(native.status, 424) << native.body;
  EXPECT_NE(native.body.find("not found on hub (adapter_source); it is on s3"), std::string::npos) << native.body;
  const auto openai = [&](const json& extra) {
    json body = {{"model", s3_adapter}, {"prompt", "hello"}, {"max_tokens", 2}};
    body.update(extra);
    return post(sim.port(), "/v1/completions", body.dump());
  };
  EXPECT_EQ(openai(json::object()).status, 424);
  const auto right = openai({{"adapter_source", "s3"}});
  EXPECT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(metric(sim.port(), "lorax_sim_adapter_load_failures"), 2);
  EXPECT_EQ(metric(sim.port(), "lorax_sim_adapter_loads"), 1);
}

TEST(AdapterLoading, MoreAdaptersThanSlotsUnderLoadStillServesEveryone) {
  // Four adapters, two slots, concurrent traffic: busy adapters yield after the cycle time.
  auto f = flags("2", "50");
  f.insert(f.end(), {"--adapter-cycle-ms", "300"});
  sim_process sim(f);
  const std::string d = "loadgate/sql-lora-v2";
  std::vector<request> batch;
  for (int round = 0; round < 6; ++round)
    for (const auto& id : {a, b, c, d})
      batch.push_back({"POST", "/generate",
                       json{{"inputs", "x"}, {"parameters", {{"adapter_id", id}, {"max_new_tokens", 20}}}}.dump(),
                       "127.0.0.1", sim.port()});
  auto replies = send_concurrently(batch);
  for (const auto& r : replies) EXPECT_EQ(r.status, 200) << r.error << r.body;
  EXPECT_GE(metric(sim.port(), "lorax_sim_adapter_loads"), 4);
}

}  // namespace
}  // namespace sim_test
