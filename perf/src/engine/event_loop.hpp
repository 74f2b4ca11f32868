#pragma once
// How a worker thread runs its io_context: like io_context::run(), but it polls for a while
// before each sleep in epoll_wait when completions have been arriving faster than that.
//
// Why: under load the next completion is usually microseconds away, and a thread that sleeps
// must be woken by the kernel on the peer's write, a cost the server under test pays on its own
// CPU. Against nginx on loopback (perf/bench/throughput.sh) those wake-ups took ~4 % of nginx's
// time and polling raised loadgate's throughput by ~10 %. The spin switches on only when the last
// wait was shorter than the limit, so a lightly loaded worker sleeps at once and burns nothing.
#include <boost/asio/io_context.hpp>

#include "loadgate/task.hpp"

namespace loadgate::engine {

// The longest poll before sleeping: well above a loopback round trip (~15-30 µs), well below a
// scheduler tick, so it costs at most a few per cent of a core when load stops.
inline constexpr clock::duration default_spin_limit = std::chrono::microseconds{50};

// Returns when the io_context runs out of work or is stopped; handlers' exceptions propagate.
void run_event_loop(boost::asio::io_context& io, clock::duration spin_limit = default_spin_limit);

}  // namespace loadgate::engine
