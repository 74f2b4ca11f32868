// Ground truth for latency benchmarks: an HTTP/1.1 server that answers every request exactly
// `delay` after it has read it, so that any latency a load generator reports beyond `delay` is
// the generator's (and the loopback's), not the server's. Several threads, each with its own
// event loop and its own listening socket on the shared port (SO_REUSEPORT), so that the server
// is not the bottleneck. It measures its own lateness (how late each answer left after its due
// time) and prints it when stopped, so that the server's scheduling is told apart from the
// client's.
//
//   fixed_delay_server --port-file PATH [--delay-ms 20] [--threads 2]
//
// Writes the port to PATH (after listen: the file's existence means ready); SIGTERM or SIGINT
// stop it and print `server_lateness_us p50 P p99 P max M requests N` on stdout.
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
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
#include <boost/asio/write.hpp>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";

struct options {
  std::string port_file;
  std::chrono::microseconds delay{20'000};
  unsigned threads = 2;
};

// One connection: requests without bodies (the benchmarks send GET), answered in order, each
// `delay` after its last header byte was read.
asio::awaitable<void> serve(tcp::socket socket, std::chrono::microseconds delay, std::vector<std::int64_t>& lateness) {
  asio::steady_timer timer{socket.get_executor()};
  std::string buffer;
  buffer.reserve(4096);
  char chunk[4096];
  for (;;) {
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), nothrow);
      if (ec) co_return;
      buffer.append(chunk, n);
    }
    const auto due = clock_type::now() + delay;
    buffer.erase(0, end + 4);
    timer.expires_at(due);
    (void)co_await timer.async_wait(nothrow);
    lateness.push_back(std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - due).count());
    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(response), nothrow);
    if (ec) co_return;
  }
}

asio::awaitable<void> accept(tcp::acceptor& acceptor, std::chrono::microseconds delay, std::vector<std::int64_t>& lateness) {
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
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), delay, lateness), asio::detached);
  }
}

tcp::acceptor listener(asio::io_context& io, unsigned short port) {
  tcp::acceptor acceptor{io};
  acceptor.open(tcp::v4());
  acceptor.set_option(tcp::acceptor::reuse_address{true});
  const int on = 1;
  ::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
  acceptor.bind({asio::ip::make_address("127.0.0.1"), port});
  acceptor.listen(4096);
  return acceptor;
}

std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--port-file") o.port_file = argv[i + 1];
    else if (flag == "--delay-ms") o.delay = std::chrono::microseconds{static_cast<long>(std::strtod(argv[i + 1], nullptr) * 1000)};
    else if (flag == "--threads") o.threads = static_cast<unsigned>(std::max(1L, std::strtol(argv[i + 1], nullptr, 10)));
    else {
      std::fprintf(stderr, "fixed_delay_server: unknown flag %s (--port-file PATH [--delay-ms 20] [--threads 2])\n", argv[i]);
      std::exit(2);
    }
  }
  if (o.port_file.empty()) {
    std::fprintf(stderr, "fixed_delay_server: --port-file PATH is required\n");
    std::exit(2);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = parse(argc, argv);
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<tcp::acceptor> acceptors;
  acceptors.reserve(o.threads);  // each accept loop holds a reference to its acceptor
  std::vector<std::vector<std::int64_t>> lateness(o.threads);  // µs, one list per thread: no lock
  unsigned short port = 0;
  for (unsigned t = 0; t < o.threads; ++t) {
    loops.push_back(std::make_unique<asio::io_context>(1));
    acceptors.push_back(listener(*loops.back(), port));
    port = acceptors.back().local_endpoint().port();  // the first picks it, the others share it
    asio::co_spawn(*loops.back(), accept(acceptors.back(), o.delay, lateness[t]), asio::detached);
  }
  {
    const auto temporary = o.port_file + ".tmp";
    std::ofstream{temporary} << port << '\n';
    std::rename(temporary.c_str(), o.port_file.c_str());
  }
  asio::io_context signals_loop{1};
  asio::signal_set signals{signals_loop, SIGTERM, SIGINT};
  signals.async_wait([&](const boost::system::error_code&, int) {
    for (auto& loop : loops) loop->stop();
  });
  std::vector<std::thread> threads;
  for (auto& loop : loops) threads.emplace_back([&loop] { loop->run(); });
  signals_loop.run();
  for (auto& thread : threads) thread.join();

  std::vector<std::int64_t> all;
  for (const auto& l : lateness) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  std::printf("server_lateness_us p50 %lld p99 %lld max %lld requests %zu\n", static_cast<long long>(percentile(all, 50)),
              static_cast<long long>(percentile(all, 99)), static_cast<long long>(all.empty() ? 0 : all.back()), all.size());
  return 0;
}
