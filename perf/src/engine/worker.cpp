#include "engine/worker.hpp"

#include <time.h>

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "detail/nothrow_awaitable.hpp"
#include "engine/event_loop.hpp"
#include "engine/load_model.hpp"
#include "loadgate/histogram.hpp"

namespace loadgate::engine {
namespace asio = boost::asio;
namespace {

// How often the watchdog looks at deadlines: a tenth of the shortest timeout, between 1 and 10 ms,
// so a timeout fires at most ~10 % late and the run ends at most 10 ms after its last request.
clock::duration watchdog_tick(const scenario& s) {
  const auto shortest = std::min({s.connect_timeout(), s.request_timeout(), s.idle_timeout()});
  return std::clamp<clock::duration>(shortest / 10, std::chrono::milliseconds{1}, std::chrono::milliseconds{10});
}

// CPU time of the calling thread.
std::chrono::nanoseconds thread_cpu_time() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return std::chrono::seconds{t.tv_sec} + std::chrono::nanoseconds{t.tv_nsec};
}

}  // namespace

struct worker::impl {
  // One thread runs this io_context, and only it touches the sockets: Asio's per-descriptor
  // locks are off (UNSAFE_IO). Its queue keeps its lock, which stop() and wind_down() rely on:
  // they post to it from other threads.
  asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  worker_services services;
  std::unique_ptr<load_model> model;
  clock::time_point cancel_at;  // the plan's end of grace, or sooner once the run is stopped early
  asio::steady_timer tick_timer{io};
  // How late the watchdog's timer fired, each tick: a thread busy with other handlers runs it late,
  // and every response it reads waits as long (loadgate/run.hpp, client_bound).
  histogram loop_lag;
  histogram read_waits;  // each read's wait in the kernel, over this thread's connections
  std::chrono::nanoseconds cpu{};  // this thread's CPU time over the run

  impl(worker& w, const run_context& context, std::size_t index)
      : services{context, partition{context.shard, index, context.threads}, io, w.recorder_, read_waits, [&w, &context](std::exception_ptr e) {
                   if (!w.error_) w.error_ = e;
                   context.stop_all();
                 }} {
    model = context.s.open_model() ? make_open_model(services) : make_closed_model(services);
  }

  asio::awaitable<void> watchdog() {
    const auto tick = watchdog_tick(services.context.s);
    bool cancelled = false;
    for (;;) {
      const auto now = clock::now();
      model->enforce_deadlines(now);
      services.recorder.publish(now, model->active());
      if (!cancelled && now >= cancel_at) {
        model->cancel();
        cancelled = true;
      }
      if (model->finished()) break;
      tick_timer.expires_at(cancelled ? now + tick : std::min(now + tick, cancel_at));
      const auto [ec] = co_await tick_timer.async_wait(detail::nothrow);
      if (!ec) loop_lag.record(std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - tick_timer.expiry()));
    }
  }

  // On the worker's thread. The tick is cut short so that the watchdog sees the new cancel_at.
  void stop_early(clock::time_point at) {
    cancel_at = std::min(cancel_at, at);
    model->wind_down();
    tick_timer.cancel();
  }
};

worker::worker(const run_context& context, std::size_t index)
    : context_{context}, recorder_{context.s.tasks(), context.s.llm_slo()}, impl_{std::make_unique<impl>(*this, context, index)} {}

worker::~worker() = default;

void worker::run() {
  try {
    const auto cpu_at_start = thread_cpu_time();
    recorder_.start(context_.plan.start);
    impl_->cancel_at = context_.plan.hard_end;
    impl_->model->start();
    asio::co_spawn(impl_->io, impl_->watchdog(), [this](std::exception_ptr e) {
      if (e) impl_->services.fail(e);
    });
    run_event_loop(impl_->io);
    impl_->cpu = thread_cpu_time() - cpu_at_start;
  } catch (...) {
    if (!error_) error_ = std::current_exception();
    context_.stop_all();
  }
  finished_at_ = clock::now();
}

void worker::stop() { impl_->io.stop(); }

void worker::wind_down(clock::time_point cancel_at) {
  asio::post(impl_->io, [this, cancel_at] { impl_->stop_early(cancel_at); });
}

void worker::fill(run_info& info) const {
  impl_->model->fill(info);
  // The worst thread speaks for the run: one saturated thread delays its share of the requests.
  const auto lag_p99 = std::chrono::duration_cast<std::chrono::nanoseconds>(impl_->loop_lag.duration_at_percentile(99));
  info.loop_lag_p99 = std::max(info.loop_lag_p99, lag_p99);
  const auto read_wait_p99 = std::chrono::duration_cast<std::chrono::nanoseconds>(impl_->read_waits.duration_at_percentile(99));
  info.read_wait_p99 = std::max(info.read_wait_p99, read_wait_p99);
  const auto wall = std::chrono::duration<double>(finished_at_ - context_.plan.start).count();
  if (wall > 0) info.thread_cpu_max = std::max(info.thread_cpu_max, std::chrono::duration<double>(impl_->cpu).count() / wall);
}

}  // namespace loadgate::engine
