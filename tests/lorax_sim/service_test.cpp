// fixtures/service/lorax-service.sh: 1, 2 and 4 replicas behind HAProxy start and stop in
// under 3 s and serve traffic; a replica killed mid-run is taken out and the run goes on;
// scale changes the replica count; stop leaves no process behind.
#include "sim_process.hpp"
#include "test_client.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

namespace sim_test {
namespace {

using nlohmann::json;
using std::chrono::steady_clock;

const std::string body = R"({"inputs":"a b","parameters":{"max_new_tokens":3}})";

std::string quote(const std::string& s) { return "'" + s + "'"; }  // paths without quotes

// Not a zombie (PID 1 reaps orphans when it gets to it).
bool alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && line.substr(close + 2, 1) != "Z";
}

class service {
 public:
  explicit service(const std::string& name) : dir_(make_temp_dir("lorax-service-" + name)) {}
  ~service() {
    run("stop");
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Runs the script; returns its exit code.
  int run(const std::string& args, const std::string& sim_flags = "") {
    const std::string cmd = "LORAX_SIM=" + quote(sim_binary()) + " bash " + quote(LORAX_SERVICE_SCRIPT) + " " +
                            args + " --state-dir " + quote(dir_) + (sim_flags.empty() ? "" : " -- " + sim_flags) +
                            " >>" + quote(dir_ + "/script.log") + " 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  json state() const {
    std::ifstream in(dir_ + "/state.json");
    return in ? json::parse(in) : json{};
  }
  std::uint16_t port() const { return state().at("port").get<std::uint16_t>(); }
  std::string log() const {
    std::ifstream in(dir_ + "/script.log");
    return {std::istreambuf_iterator<char>(in), {}};
  }
  std::vector<int> pids() const {
    auto s = state();
    std::vector<int> out{s.at("haproxy_pid").get<int>()};
    for (const auto& r : s.at("replicas")) out.push_back(r.at("pid").get<int>());
    return out;
  }

 private:
  std::string dir_;
};

double seconds_since(steady_clock::time_point t0) {
  return std::chrono::duration<double>(steady_clock::now() - t0).count();
}

class Replicas : public ::testing::TestWithParam<int> {};

TEST_P(Replicas, StartServeAndStopWithinThreeSeconds) {
  const int n = GetParam();
  service svc("n" + std::to_string(n));
  auto t0 = steady_clock::now();
  ASSERT_EQ(svc.run("start --replicas " + std::to_string(n), "--time-scale 0.01"), 0) << svc.log();
  EXPECT_LT(seconds_since(t0), 3.0);
  const auto state = svc.state();
  ASSERT_EQ(state.at("replicas").size(), static_cast<std::size_t>(n));
  EXPECT_EQ(state.at("url"), "http://127.0.0.1:" + std::to_string(svc.port()));

  for (int i = 0; i < 4 * n; ++i) {
    auto r = post(svc.port(), "/generate", body);
    ASSERT_EQ(r.status, 200) << r.error << r.body;
    auto s = post(svc.port(), "/generate_stream", body);
    ASSERT_EQ(s.events.size(), 3u);
  }
  EXPECT_EQ(get(svc.port(), "/health").status, 200);

  const auto pids = svc.pids();
  t0 = steady_clock::now();
  ASSERT_EQ(svc.run("stop"), 0) << svc.log();
  EXPECT_LT(seconds_since(t0), 3.0);
  for (int pid : pids) EXPECT_FALSE(alive(pid)) << "pid " << pid << " is still running";
  EXPECT_TRUE(svc.state().is_null()) << "stop removes state.json";
}

INSTANTIATE_TEST_SUITE_P(Service, Replicas, ::testing::Values(1, 2, 4));

TEST(Service, KilledReplicaIsTakenOutAndTheRunGoesOn) {
  service svc("kill");
  ASSERT_EQ(svc.run("start --replicas 3", "--time-scale 0.01"), 0) << svc.log();
  const auto port = svc.port();
  const int victim = svc.state().at("replicas").at(1).at("pid").get<int>();

  std::atomic<int> ok{0}, failed{0}, ok_after_kill{0};
  std::atomic<bool> killed{false};
  // Four clients, bounded by count and by time.
  std::vector<std::thread> clients;
  const auto end = steady_clock::now() + std::chrono::seconds(3);
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&] {
      for (int i = 0; i < 3000 && steady_clock::now() < end; ++i) {
        const bool after = killed.load();
        if (post(port, "/generate", body, std::chrono::seconds(5)).status == 200) {
          ++ok;
          if (after) ++ok_after_kill;
        } else {
          ++failed;
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let traffic flow before the kill
  ASSERT_EQ(kill(victim, SIGKILL), 0);
  killed = true;
  for (auto& t : clients) t.join();

  EXPECT_GT(ok_after_kill.load(), 50);
  EXPECT_LE(failed.load(), 5) << "HAProxy retries and redispatches; a few in-flight requests may fail";
  // HAProxy marks it DOWN.
  auto stats = get(port, "/haproxy-stats;csv").body;
  EXPECT_NE(stats.find("DOWN"), std::string::npos) << stats;
  EXPECT_EQ(svc.run("stop"), 0) << svc.log();
}

TEST(Service, ScaleUpAndDown) {
  service svc("scale");
  ASSERT_EQ(svc.run("start --replicas 1 --balance leastconn", "--time-scale 0.01"), 0) << svc.log();
  const auto port = svc.port();
  ASSERT_EQ(svc.run("scale 3"), 0) << svc.log();
  EXPECT_EQ(svc.state().at("replicas").size(), 3u);
  EXPECT_EQ(svc.port(), port) << "the URL stays the same";
  for (int i = 0; i < 10; ++i) ASSERT_EQ(post(port, "/generate", body).status, 200);
  const auto before = svc.pids();
  ASSERT_EQ(svc.run("scale 2"), 0) << svc.log();
  EXPECT_EQ(svc.state().at("replicas").size(), 2u);
  EXPECT_FALSE(alive(before.back())) << "the removed replica is stopped";
  for (int i = 0; i < 10; ++i) ASSERT_EQ(post(port, "/generate", body).status, 200);
  EXPECT_EQ(svc.run("status"), 0) << svc.log();
  ASSERT_EQ(svc.run("stop"), 0);
  EXPECT_NE(svc.run("status"), 0) << "nothing left to report";
}

}  // namespace
}  // namespace sim_test
