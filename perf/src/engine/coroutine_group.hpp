#pragma once
// The coroutines of one load model: spawned on the worker's io_context, counted while alive, and
// their first exception handed to the worker, which stops the run (structured concurrency: no
// coroutine outlives the model that started it).
#include <cstdint>
#include <exception>
#include <utility>

#include <boost/asio/co_spawn.hpp>

#include "engine/load_model.hpp"

namespace loadgate::engine {

class coroutine_group {
 public:
  explicit coroutine_group(worker_services& services) : services_{services} {}

  template <class Awaitable>
  void spawn(Awaitable&& a) {
    ++alive_;
    boost::asio::co_spawn(services_.io, std::forward<Awaitable>(a), [this](std::exception_ptr e) {
      --alive_;
      if (e) services_.fail(e);
    });
  }

  bool empty() const { return alive_ == 0; }

 private:
  worker_services& services_;
  std::uint64_t alive_ = 0;
};

}  // namespace loadgate::engine
