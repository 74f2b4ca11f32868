#include "engine/event_loop.hpp"

namespace loadgate::engine {
namespace {

// Polls until a handler runs, the limit passes or the io_context stops. True when a handler ran.
bool poll_for(boost::asio::io_context& io, clock::duration limit) {
  const auto until = clock::now() + limit;
  while (!io.stopped() && clock::now() < until)
    if (io.poll() > 0) return true;
  return false;
}

}  // namespace

void run_event_loop(boost::asio::io_context& io, clock::duration spin_limit) {
  bool spin = false;  // whether the last wait was short enough that polling would have caught it
  while (!io.stopped()) {
    if (io.poll() > 0) continue;
    const auto waiting_since = clock::now();
    if (spin && poll_for(io, spin_limit)) continue;
    if (io.stopped() || io.run_one() == 0) break;
    spin = clock::now() - waiting_since < spin_limit;
  }
}

}  // namespace loadgate::engine
