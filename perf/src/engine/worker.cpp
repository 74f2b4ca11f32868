#include "engine/worker.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "engine/event_loop.hpp"
#include "engine/load_model.hpp"

namespace loadgate::engine {
namespace asio = boost::asio;
namespace {

// How often the watchdog looks at deadlines: a tenth of the shortest timeout, between 1 and 10 ms,
// so a timeout fires at most ~10 % late and the run ends at most 10 ms after its last request.
clock::duration watchdog_tick(const scenario& s) {
  const auto shortest = std::min({s.connect_timeout(), s.request_timeout(), s.idle_timeout()});
  return std::clamp<clock::duration>(shortest / 10, std::chrono::milliseconds{1}, std::chrono::milliseconds{10});
}

}  // namespace

struct worker::impl {
  // One thread runs this io_context, so Asio can skip its internal locking.
  asio::io_context io{1};
  worker_services services;
  std::unique_ptr<load_model> model;

  impl(worker& w, const run_context& context, std::size_t index)
      : services{context, partition{context.shard, index, context.threads}, io, w.recorder_, [&w, &context](std::exception_ptr e) {
                   if (!w.error_) w.error_ = e;
                   context.stop_all();
                 }} {
    model = context.s.open_model() ? make_open_model(services) : make_closed_model(services);
  }

  asio::awaitable<void> watchdog() {
    const auto& plan = services.context.plan;
    const auto tick = watchdog_tick(services.context.s);
    asio::steady_timer timer{io};
    bool cancelled = false;
    for (;;) {
      const auto now = clock::now();
      model->enforce_deadlines(now);
      services.recorder.publish(now, model->active());
      if (!cancelled && now >= plan.hard_end) {
        model->cancel();
        cancelled = true;
      }
      if (model->finished()) break;
      timer.expires_at(cancelled ? now + tick : std::min(now + tick, plan.hard_end));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
};

worker::worker(const run_context& context, std::size_t index)
    : context_{context}, recorder_{context.s.tasks(), context.s.llm_slo()}, impl_{std::make_unique<impl>(*this, context, index)} {}

worker::~worker() = default;

void worker::run() {
  try {
    recorder_.start(context_.plan.start);
    impl_->model->start();
    asio::co_spawn(impl_->io, impl_->watchdog(), [this](std::exception_ptr e) {
      if (e) impl_->services.fail(e);
    });
    run_event_loop(impl_->io);
  } catch (...) {
    if (!error_) error_ = std::current_exception();
    context_.stop_all();
  }
  finished_at_ = clock::now();
}

void worker::stop() { impl_->io.stop(); }

void worker::fill(run_info& info) const { impl_->model->fill(info); }

}  // namespace loadgate::engine
