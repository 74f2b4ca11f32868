// The closed model against the in-process test server: counts, think time, spawning, stages,
// reproducibility and progress.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "loadgate/error.hpp"
#include "loadgate/run.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

task home() { return http_task("home", "GET", "/"); }

// close_idle_after: a think at least that long closes the connection first, so every task after
// one connects again; a shorter think keeps the keep-alive connection.
TEST(ClosedModel, AThinkPastCloseIdleAfterReconnectsForTheNextTask) {
  testing::test_server server;
  const auto s = scenario{"reconnect"}.users(2).duration(400ms).think_time(constant(20ms)).close_idle_after(10ms).task(home());
  const auto r = run(s, target::parse(server.url()));
  EXPECT_GT(r.total().count(), 10u);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_EQ(server.connections(), r.total().count() + 1) << "one connection per request, and the probe's";
}

TEST(ClosedModel, CloseIdleAfterZeroReconnectsAfterEveryTaskWithoutThinkTime) {
  testing::test_server server;
  const auto s = scenario{"no-reuse"}.users(2).duration(300ms).close_idle_after(0s).task(home());
  const auto r = run(s, target::parse(server.url()));
  EXPECT_GT(r.total().count(), 10u);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_EQ(server.connections(), r.total().count() + 1) << "one connection per request, and the probe's";
}

TEST(ClosedModel, AThinkShorterThanCloseIdleAfterKeepsTheConnection) {
  testing::test_server server;
  const auto s = scenario{"keep"}.users(2).duration(400ms).think_time(constant(20ms)).close_idle_after(1s).task(home());
  const auto r = run(s, target::parse(server.url()));
  EXPECT_GT(r.total().count(), 10u);
  EXPECT_EQ(server.connections(), 2u + 1);
}

TEST(ClosedModel, RequestCountEqualsTheServersCountExactly) {
  testing::test_server server;
  const auto s = scenario{"count"}.users(8).threads(2).duration(1s).task(home());
  const auto r = run(s, target::parse(server.url()));
  const auto total = r.total();
  EXPECT_GT(total.count(), 100u);
  EXPECT_EQ(total.failures(), 0u);
  EXPECT_EQ(total.count(), server.requests());
  // One keep-alive connection per user, and the pre-flight check's (connects, sends nothing).
  EXPECT_EQ(server.connections(), 8u + 1) << "one keep-alive connection per user";
  EXPECT_EQ(total.latency().count(), total.successes());
  EXPECT_EQ(total.of(measure::latency_uncorrected), total.latency()) << "closed model: both from the send";
  // Filed under the task's name, as plain HTTP; the windows hold the same requests.
  EXPECT_EQ(r.request_names(), std::set<std::string>{"home"});
  EXPECT_TRUE(r.adapters().empty());
  EXPECT_EQ(r.tallies.size(), 1u);
  EXPECT_EQ(r.tallies.at({"home", {}, adapter_use::none}).count(), total.count());
  tally windows;
  for (const auto& w : r.per_window()) windows.merge(w);
  EXPECT_EQ(windows, total);
  EXPECT_EQ(r.info.threads, 2u);
  EXPECT_EQ(r.info.peak_users, 8u);
  EXPECT_EQ(r.info.model, load_model::closed);
  EXPECT_EQ(r.info.scenario, "count");
  EXPECT_EQ(r.info.target, server.url());
  EXPECT_GE(r.info.measured_duration, 1s);
  EXPECT_LT(r.info.measured_duration, 1500ms);
}

TEST(ClosedModel, ThinkTimePacesEachUser) {
  testing::test_server server;
  const auto s = scenario{"think"}.users(4).duration(1s).think_time(constant(100ms)).task(home());
  const auto r = run(s, target::parse(server.url()));
  // Each user: a request at 0, 100, ..., 900 ms (plus request time): 10 at most.
  EXPECT_GE(r.total().count(), 32u);
  EXPECT_LE(r.total().count(), 40u);
  EXPECT_EQ(r.total().count(), server.requests());
}

TEST(ClosedModel, SpawnRateStartsUsersOneByOne) {
  testing::test_server server;
  const auto s = scenario{"spawn"}.users(4).spawn_rate(4).duration(2s).think_time(constant(50ms)).task(home());
  const auto r = run(s, target::parse(server.url()));
  ASSERT_GE(r.series.windows().size(), 2u);
  EXPECT_EQ(r.info.peak_users, 4u);
  // Users start at 0, 250, 500 and 750 ms: the first second sees fewer requests than the second.
  EXPECT_LT(r.series.windows()[0].total().count(), r.series.windows()[1].total().count() * 4 / 5);
  EXPECT_EQ(r.series.windows()[0].active_users, 4u) << "all four started by 750 ms";
}

TEST(ClosedModel, StagesStopUsersWhenTheTargetFalls) {
  testing::test_server server;
  const auto s = scenario{"stages"}
                     .stages({{4, 0s, 1s}, {1, 0s, 1s}})
                     .think_time(constant(20ms))
                     .task(home());
  const auto r = run(s, target::parse(server.url()));
  ASSERT_GE(r.series.windows().size(), 2u);
  EXPECT_EQ(r.info.peak_users, 4u);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_LT(r.series.windows()[1].total().count(), r.series.windows()[0].total().count() / 2);
  EXPECT_EQ(r.total().count(), server.requests());
}

// What each (user, iteration) did: the task and a draw from the user's generator.
std::map<std::pair<std::size_t, std::uint64_t>, std::pair<std::string, std::uint64_t>> record_choices(
    const std::string& url, std::uint64_t seed) {
  std::mutex mutex;
  std::map<std::pair<std::size_t, std::uint64_t>, std::pair<std::string, std::uint64_t>> seen;
  auto traced = [&](std::string name) {
    task t = http_task(name, "GET", "/" + name);
    auto build = t.request;
    t.request = [&, name, build](task_context& c) {
      const std::lock_guard lock{mutex};
      seen[{c.user, c.iteration}] = {name, c.rng()};
      return build(c);
    };
    return t;
  };
  const auto s = scenario{"seeded"}
                     .users(3)
                     .threads(2)
                     .seed(seed)
                     .duration(500ms)
                     .think_time(between(1ms, 5ms))
                     .task(traced("a"))
                     .task(2, traced("b"));
  (void)run(s, target::parse(url));
  return seen;
}

TEST(ClosedModel, TheSeedReproducesEachUsersChoices) {
  testing::test_server server;
  const auto first = record_choices(server.url(), 42);
  const auto second = record_choices(server.url(), 42);
  const auto other = record_choices(server.url(), 43);
  std::size_t compared = 0;
  std::size_t different = 0;
  for (const auto& [key, choice] : first) {
    if (auto it = second.find(key); it != second.end()) {
      EXPECT_EQ(it->second, choice) << "user " << key.first << " iteration " << key.second;
      ++compared;
    }
    if (auto it = other.find(key); it != other.end()) different += it->second != choice;
  }
  EXPECT_GT(compared, 30u);
  EXPECT_GT(different, 0u);
  std::set<std::size_t> users;
  for (const auto& [key, choice] : first) users.insert(key.first);
  EXPECT_EQ(users, (std::set<std::size_t>{0, 1, 2}));
}

TEST(ClosedModel, ProgressIsReportedFromTheCallingThread) {
  testing::test_server server;
  std::vector<progress> snapshots;
  std::set<std::thread::id> threads;
  run_options options;
  options.progress_interval = 250ms;
  options.on_progress = [&](const progress& p) {
    snapshots.push_back(p);
    threads.insert(std::this_thread::get_id());
  };
  const auto s = scenario{"progress"}.users(2).duration(1500ms).think_time(constant(5ms)).task(home());
  const auto r = run(s, target::parse(server.url()), options);
  ASSERT_GE(snapshots.size(), 4u);
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
  for (std::size_t i = 1; i < snapshots.size(); ++i) {
    EXPECT_GT(snapshots[i].elapsed, snapshots[i - 1].elapsed);
    EXPECT_GE(snapshots[i].requests, snapshots[i - 1].requests);
  }
  const auto& late = snapshots[4];  // past the first second: a closed window exists
  EXPECT_EQ(late.planned, 1500ms);
  EXPECT_EQ(late.active_users, 2u);
  EXPECT_GT(late.requests_per_second, 50.0);
  EXPECT_GT(late.p95, 0us);
  EXPECT_GE(late.p95, late.p50);
  EXPECT_LE(snapshots.back().requests, r.total().count());
}

TEST(ClosedModel, ATaskThatThrowsEndsTheWholeRunWithItsException) {
  testing::test_server server;
  task t = http_task("t", "GET", "/");
  auto build = t.request;
  t.request = [build](task_context& c) {
    if (c.user == 1 && c.iteration == 5) throw std::logic_error("bug in task");
    return build(c);
  };
  const auto s = scenario{"throws"}.users(4).threads(2).duration(5s).think_time(constant(10ms)).task(std::move(t));
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW((void)run(s, target::parse(server.url())), std::logic_error);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s) << "every worker stops, not only the one that threw";
}

}  // namespace
}  // namespace loadgate

namespace loadgate {
namespace {

// Shards of one closed-model run: disjoint users that add up to the scenario's, each shard's own
// connections, and a shard that would get no user refused instead of running nothing.
TEST(ClosedModelShards, UsersSplitWithTheRemainderOnTheFirstShard) {
  const auto s = scenario{"sharded"}.users(5).threads(2).duration(300ms).task(home());
  std::uint64_t users = 0, connections = 0, requests = 0;
  for (std::size_t i = 1; i <= 2; ++i) {
    testing::test_server server;
    run_options options;
    options.shard = {i, 2};
    const auto r = run(s, target::parse(server.url()), options);
    EXPECT_EQ(r.info.peak_users, i == 1 ? 3u : 2u) << "shard " << i << "/2";
    ASSERT_EQ(r.info.shard_starts.size(), 1u);
    EXPECT_EQ(r.info.shard_starts.front().shard, (shard{i, 2}));
    EXPECT_EQ(r.total().count(), server.requests());
    users += r.info.peak_users;
    connections += server.connections() - 1;  // less the pre-flight check's
    requests += r.total().count();
  }
  EXPECT_EQ(users, 5u);
  EXPECT_EQ(connections, 5u) << "one keep-alive connection per user, each user in one shard only";
  EXPECT_GT(requests, 0u);
}

TEST(ClosedModelShards, AShardWithoutUsersIsRefused) {
  testing::test_server server;
  run_options options;
  options.shard = {6, 6};
  try {
    run(scenario{"few"}.users(5).duration(100ms).task(home()), target::parse(server.url()), options);
    FAIL() << "shard 6/6 of 5 users ran";
  } catch (const configuration_error& e) {
    EXPECT_NE(std::string{e.what()}.find("use at most 5 shards"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server.requests(), 0u);
}

TEST(ClosedModelShards, AStartAtWaitsForTheSharedInstantAndRecordsIt) {
  testing::test_server server;
  run_options options;
  options.shard = {1, 2};
  const auto before = std::chrono::system_clock::now();
  options.start_at = std::chrono::time_point_cast<std::chrono::milliseconds>(before + 400ms);
  const auto r = run(scenario{"later"}.users(2).duration(200ms).task(home()), target::parse(server.url()), options);
  EXPECT_GE(std::chrono::system_clock::now(), *options.start_at + 200ms) << "the plan began at the shared instant";
  const auto start_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options.start_at->time_since_epoch()).count();
  EXPECT_EQ(r.info.shared_start_unix_ms, start_ms);
  EXPECT_EQ(r.info.started_unix_ms, start_ms);
  ASSERT_EQ(r.info.shard_starts.size(), 1u);
  EXPECT_GE(r.info.shard_starts.front().skew, 0ns);
}

TEST(ClosedModelShards, AStartAtTooFarAheadOrLongPastIsRefused) {
  const auto s = scenario{"when"}.users(1).duration(1s).task(home());
  const auto now = std::chrono::system_clock::now();
  EXPECT_THROW(validate_start_at(now + std::chrono::hours{2}, s), configuration_error);
  EXPECT_THROW(validate_start_at(now - 5s, s), configuration_error) << "the whole 1 s plan is over";
  EXPECT_NO_THROW(validate_start_at(now - 100ms, s)) << "a little late: the plan catches up";
  EXPECT_NO_THROW(validate_start_at(now + 30s, s));
}

}  // namespace
}  // namespace loadgate
