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
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "loopback_server.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using loopback_server::nothrow;
using clock_type = std::chrono::steady_clock;

namespace {

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
  std::vector<std::vector<std::int64_t>> lateness(o.threads);  // µs, one list per thread: no lock
  loopback_server::run(o.threads, o.port_file, [&](tcp::socket socket, unsigned thread) {
    return serve(std::move(socket), o.delay, lateness[thread]);
  });
  loopback_server::print_lateness("server_lateness", "requests", lateness);
  return 0;
}
