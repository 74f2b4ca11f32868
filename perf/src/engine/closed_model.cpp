// The closed model: virtual users, each looping task -> think time -> task (Locust's semantics).
// Latency is timed from the actual send; both histograms get the same value.
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>

#include "detail/nothrow_awaitable.hpp"
#include "engine/coroutine_group.hpp"
#include "engine/load_model.hpp"
#include "engine/load_targets.hpp"
#include "engine/perform_task.hpp"
#include "engine/seeding.hpp"
#include "loadgate/random_engine.hpp"

namespace loadgate::engine {
namespace asio = boost::asio;
namespace {

using detail::nothrow;

// Think times at least this long give the read buffer back, so idle users stay small.
constexpr auto release_after = std::chrono::milliseconds{100};
// How often the stage schedule is looked at.
constexpr auto stage_tick = std::chrono::milliseconds{10};

struct virtual_user {
  virtual_user(std::size_t index, std::uint64_t seed, asio::io_context& io, const protocol::connection_settings& c,
               histogram& read_waits)
      : index{index},
        rng{stream_seed(seed, stream::user, index)},
        connection{io.get_executor(), c, index, &read_waits},
        think_timer{io} {}

  std::size_t index;  // across all threads
  random_engine rng;
  protocol::http_connection connection;
  asio::steady_timer think_timer;
  std::uint64_t iteration = 0;
  bool running = false;  // its coroutine is alive
  bool stopping = false;  // asked to stop after its current task
};

class closed_model final : public load_model {
 public:
  explicit closed_model(worker_services& services)
      : services_{services}, s_{services.context.s}, control_timer_{services.io} {}

  void start() override { coroutines_.spawn(control()); }

  void enforce_deadlines(clock::time_point now) override {
    for (auto& u : users_) u->connection.enforce_deadline(now);
  }

  void wind_down() override {
    winding_down_ = true;
    control_timer_.cancel();
    for (auto& u : users_) {
      u->stopping = true;
      u->think_timer.cancel();
    }
  }

  void cancel() override {
    for (auto& u : users_) {
      u->stopping = true;
      u->think_timer.cancel();
      u->connection.cancel();
    }
  }

  bool finished() const override { return control_done_ && coroutines_.empty(); }
  std::uint64_t active() const override { return running_; }
  void fill(run_info& info) const override { info.peak_users = std::max<std::uint64_t>(info.peak_users, peak_); }

 private:
  // Follows the target user count: starts this worker's users (the global indices its partition
  // owns) as the target grows, stops the highest ones as it shrinks.
  asio::awaitable<void> control() {
    const auto& plan = services_.context.plan;
    for (;;) {
      const auto now = clock::now();
      if (now >= plan.end || winding_down_) break;
      const auto target = target_users(s_, now - plan.start);
      if (!target) break;
      apply(*target);
      if (s_.stages().empty() && *target == s_.users()) break;  // everyone has started
      control_timer_.expires_at(std::min(next_look(*target), plan.end));
      co_await control_timer_.async_wait(nothrow);
    }
    control_done_ = true;
  }

  clock::time_point next_look(std::size_t target) const {
    const auto& plan = services_.context.plan;
    if (!s_.stages().empty()) return clock::now() + stage_tick;
    // This worker's next user (the first it owns at or above the target) starts at index / spawn_rate.
    const auto next = services_.part.nth(services_.part.share(target));
    const auto at = std::chrono::duration<double>(static_cast<double>(next) / s_.spawn_rate());
    return plan.start + std::chrono::duration_cast<clock::duration>(at);
  }

  void apply(std::size_t target) {
    const auto& part = services_.part;
    peak_ = std::max<std::uint64_t>(peak_, share_of(target, part.shard));  // this shard's users
    const std::size_t local = part.share(target);
    for (std::size_t j = 0; j < local; ++j) {
      if (j == users_.size())
        users_.push_back(std::make_unique<virtual_user>(part.nth(j), s_.seed(), services_.io,
                                                        services_.context.connection, services_.read_waits));
      auto& u = *users_[j];
      u.stopping = false;
      if (!u.running) {
        u.running = true;
        ++running_;
        coroutines_.spawn(user_loop(u));
      }
    }
    for (std::size_t j = local; j < users_.size(); ++j) {
      auto& u = *users_[j];
      if (u.running && !u.stopping) {
        u.stopping = true;
        u.think_timer.cancel();
      }
    }
  }

  // The measured loop: pick, send, read, record, think. Nothing else.
  asio::awaitable<void> user_loop(virtual_user& u) {
    const auto& plan = services_.context.plan;
    const auto& tasks = services_.context.tasks;
    while (!u.stopping) {
      const auto task_start = clock::now();
      if (task_start >= plan.end) break;
      const std::size_t which = tasks.pick(u.rng);
      task_context context{u.rng, u.index, u.iteration++};
      const auto outcome =
          co_await perform_task(tasks[which], which, context, u.connection, std::nullopt, services_.recorder);

      const auto think = s_.think_time().next(outcome.done - task_start, u.rng);
      if (close_idle_after_ && think >= *close_idle_after_ && !u.stopping) {
        u.connection.close();
        u.connection.release_buffers();
      }
      if (think <= clock::duration::zero() || u.stopping) continue;
      const auto wake = clock::now() + think;
      if (wake >= plan.end) break;  // no task could start after it anyway
      if (think >= release_after) u.connection.release_buffers();
      u.think_timer.expires_at(wake);
      co_await u.think_timer.async_wait(nothrow);
    }
    u.connection.close();
    u.running = false;
    --running_;
  }

  worker_services& services_;
  const scenario& s_;
  const std::optional<clock::duration> close_idle_after_ = s_.close_idle_after();
  std::vector<std::unique_ptr<virtual_user>> users_;  // this thread's, in start order
  asio::steady_timer control_timer_;  // the stage schedule's next look
  coroutine_group coroutines_{services_};
  std::uint64_t running_ = 0;  // users running
  std::uint64_t peak_ = 0;     // the highest target applied
  bool control_done_ = false;
  bool winding_down_ = false;
};

}  // namespace

std::unique_ptr<load_model> make_closed_model(worker_services& services) {
  return std::make_unique<closed_model>(services);
}

}  // namespace loadgate::engine
