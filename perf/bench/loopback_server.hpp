#pragma once
// The scaffolding of the benches' ground-truth servers (fixed_delay_server, stream_server): one
// event loop per thread, each with its own listening socket on one shared loopback port
// (SO_REUSEPORT), so that the server is not the bottleneck; the port written to a file once
// listening (its existence means ready); SIGTERM or SIGINT stop it. Independent of loadgate's
// code on purpose: ground truth must not share the measured client's bugs.
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace loopback_server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

inline constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// The value below which p % of `sorted` lies (nearest rank); 0 when empty.
inline std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1))];
}

// Every list's values in one sorted list (the servers keep one list per thread: no lock).
inline std::vector<std::int64_t> sorted_union(const std::vector<std::vector<std::int64_t>>& lists) {
  std::vector<std::int64_t> all;
  for (const auto& l : lists) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  return all;
}

// Prints "<label>_us p50 P p99 P max M <counted> N" of the per-thread lists, as the scripts read it.
inline void print_lateness(const char* label, const char* counted, const std::vector<std::vector<std::int64_t>>& lists) {
  const auto all = sorted_union(lists);
  std::printf("%s_us p50 %lld p99 %lld max %lld %s %zu\n", label, static_cast<long long>(percentile(all, 50)),
              static_cast<long long>(percentile(all, 99)), static_cast<long long>(all.empty() ? 0 : all.back()),
              counted, all.size());
}

namespace detail {

inline tcp::acceptor listener(asio::io_context& io, unsigned short port) {
  tcp::acceptor acceptor{io};
  acceptor.open(tcp::v4());
  acceptor.set_option(tcp::acceptor::reuse_address{true});
  const int on = 1;
  ::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
  acceptor.bind({asio::ip::make_address("127.0.0.1"), port});
  acceptor.listen(4096);
  return acceptor;
}

template <class Serve>
asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, Serve& serve, unsigned thread) {
  asio::steady_timer backoff{acceptor.get_executor()};
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(nothrow);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {  // out of descriptors, a connection aborted before accept: this listener goes on
      backoff.expires_after(std::chrono::milliseconds{1});
      (void)co_await backoff.async_wait(nothrow);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay{true}, ignored);
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), thread), asio::detached);
  }
}

}  // namespace detail

// Serves every accepted connection with `serve(tcp::socket, unsigned thread)`, an awaitable, on
// `threads` threads until SIGTERM or SIGINT; returns once every thread has stopped.
template <class Serve>
void run(unsigned threads, const std::string& port_file, Serve serve) {
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<tcp::acceptor> acceptors;
  acceptors.reserve(threads);  // each accept loop holds a reference to its acceptor
  unsigned short port = 0;
  for (unsigned t = 0; t < threads; ++t) {
    loops.push_back(std::make_unique<asio::io_context>(1));
    acceptors.push_back(detail::listener(*loops.back(), port));
    port = acceptors.back().local_endpoint().port();  // the first picks it, the others share it
    asio::co_spawn(*loops.back(), detail::accept_loop(acceptors.back(), serve, t), asio::detached);
  }
  {
    const auto temporary = port_file + ".tmp";
    std::ofstream{temporary} << port << '\n';
    std::rename(temporary.c_str(), port_file.c_str());
  }
  asio::io_context signals_loop{1};
  asio::signal_set signals{signals_loop, SIGTERM, SIGINT};
  signals.async_wait([&](const boost::system::error_code&, int) {
    for (auto& loop : loops) loop->stop();
  });
  std::vector<std::thread> running;
  for (auto& loop : loops) running.emplace_back([&loop] { loop->run(); });
  signals_loop.run();
  for (auto& thread : running) thread.join();
}

}  // namespace loopback_server
