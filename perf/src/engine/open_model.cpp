// The open model: requests arrive on a schedule that does not wait for responses (wrk2, k6's
// arrival-rate executors). Each is timed from its intended start (corrected for coordinated
// omission) and from its actual send (uncorrected); both are recorded.
//
// An arrival that finds every connection of this thread busy, with max_in_flight reached, is
// dropped (k6's dropped_iterations). One sent more than `late_threshold` after its intended start,
// because this thread's scheduler fell behind, counts as late; its corrected latency includes
// the delay.
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>

#include "detail/nothrow_awaitable.hpp"
#include "engine/arrival_schedule.hpp"
#include "engine/coroutine_group.hpp"
#include "engine/load_model.hpp"
#include "engine/perform_task.hpp"
#include "engine/seeding.hpp"
#include "loadgate/random_engine.hpp"

namespace loadgate::engine {
namespace asio = boost::asio;
namespace {

using detail::nothrow;
constexpr auto late_threshold = std::chrono::milliseconds{1};

// A connection and what travels with it; reused by whichever arrival finds it free.
struct slot {
  slot(std::size_t index, asio::io_context& io, const protocol::connection_settings& c, histogram& read_waits)
      : index{index}, connection{io.get_executor(), c, index, &read_waits} {}
  std::size_t index;  // across all threads: task_context::user
  protocol::http_connection connection;
  random_engine rng;  // re-seeded for every arrival
};

class open_model final : public load_model {
 public:
  explicit open_model(worker_services& services)
      : services_{services}, s_{services.context.s}, capacity_{share_of_max_in_flight()}, timer_{services.io} {}

  void start() override { coroutines_.spawn(control()); }

  void enforce_deadlines(clock::time_point now) override {
    for (auto& s : slots_) s->connection.enforce_deadline(now);
  }

  void wind_down() override {
    winding_down_ = true;
    timer_.cancel();
  }

  void cancel() override {
    cancelled_ = true;
    timer_.cancel();
    for (auto& s : slots_) s->connection.cancel();
  }

  bool finished() const override { return control_done_ && coroutines_.empty(); }
  std::uint64_t active() const override { return in_flight_; }
  void fill(run_info& info) const override {
    info.late_arrivals += late_;
    info.dropped_arrivals += dropped_;
    info.planned_arrivals += planned_;
  }

 private:
  std::size_t share_of_max_in_flight() const { return services_.part.share(s_.max_in_flight()); }

  asio::awaitable<void> control() {
    const auto& context = services_.context;
    arrival_schedule schedule{s_, context.plan.start, services_.part};
    while (auto a = schedule.next_own()) {
      if (a->intended > clock::now()) {
        timer_.expires_at(a->intended);
        co_await timer_.async_wait(nothrow);
      }
      if (cancelled_ || winding_down_) break;
      dispatch(*a);
    }
    control_done_ = true;
  }

  void dispatch(const arrival& a) {
    ++planned_;
    slot* s = acquire();
    if (s == nullptr) {
      ++dropped_;
      return;
    }
    if (clock::now() - a.intended > late_threshold) ++late_;
    ++in_flight_;
    coroutines_.spawn(serve(*s, a));
  }

  slot* acquire() {
    if (!free_.empty()) {
      slot* s = free_.back();
      free_.pop_back();
      return s;
    }
    if (slots_.size() == capacity_) return nullptr;
    slots_.push_back(std::make_unique<slot>(services_.part.nth(slots_.size()), services_.io, services_.context.connection,
                                            services_.read_waits));
    return slots_.back().get();
  }

  // The measured path: send, read, record.
  asio::awaitable<void> serve(slot& s, arrival a) {
    const auto& tasks = services_.context.tasks;
    s.rng = random_engine{stream_seed(s_.seed(), stream::arrival, a.index)};
    const std::size_t which = tasks.pick(s.rng);
    task_context context{s.rng, s.index, a.index};
    co_await perform_task(tasks[which], which, context, s.connection, a.intended, services_.recorder);
    free_.push_back(&s);
    --in_flight_;
  }

  worker_services& services_;
  const scenario& s_;
  std::size_t capacity_;  // this worker's share of max_in_flight
  asio::steady_timer timer_;
  std::vector<std::unique_ptr<slot>> slots_;
  std::vector<slot*> free_;
  coroutine_group coroutines_{services_};
  std::uint64_t in_flight_ = 0;
  std::uint64_t late_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t planned_ = 0;  // dispatched: sent or dropped
  bool control_done_ = false;
  bool winding_down_ = false;
  bool cancelled_ = false;
};

}  // namespace

std::unique_ptr<load_model> make_open_model(worker_services& services) {
  return std::make_unique<open_model>(services);
}

}  // namespace loadgate::engine
