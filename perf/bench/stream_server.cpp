// Ground truth for stream benchmarks: an HTTP/1.1 server that answers every request with a
// LoRAX-shaped token stream (`data:{"token": ...}` events, chunked) on a fixed schedule, and
// stamps each event as it writes it. The final event's `timings.time_to_first_token_ms` is the
// exact time (`total_ms` and `inference_ms` equal: no queue) from the request's arrival (the kernel's receive stamp of its last bytes, so that
// the server's own read delay is inside it) to the write of the first event, so a client's TTFT
// minus it is the client's own share and the loopback's, nothing of the server's scheduling.
// Several threads, each with its own event loop and listening socket on the shared port
// (SO_REUSEPORT). When stopped it prints its lateness against the schedule, p50/p99/max: how
// late events left, which the stamps already correct for, shown so that a reader sees it.
//
//   stream_server --port-file PATH [--threads 2] [--tokens 32] [--first-ms 50] [--gap-ms 20]
//
// Writes the port to PATH (after listen: the file's existence means ready); SIGTERM or SIGINT stop it.
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

constexpr std::string_view headers =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n";

struct options {
  std::string port_file;
  unsigned threads = 2;
  unsigned tokens = 32;
  std::chrono::microseconds first{50'000};
  std::chrono::microseconds gap{20'000};
};

std::chrono::nanoseconds since_epoch(const timespec& t) {
  return std::chrono::seconds{t.tv_sec} + std::chrono::nanoseconds{t.tv_nsec};
}

// One non-blocking read; `arrived` is the kernel's receive stamp on the monotonic clock.
struct read_result {
  ssize_t bytes;  // < 0: errno in `error`
  int error;
  clock_type::time_point arrived;
};

read_result read_stamped(int fd, char* into, std::size_t size) {
  iovec data{into, size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  const ssize_t n = ::recvmsg(fd, &message, MSG_DONTWAIT);
  const int error = errno;
  timespec wall{};
  ::clock_gettime(CLOCK_REALTIME, &wall);
  const auto now = clock_type::now();
  read_result r{n, error, now};
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); n > 0 && c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp{};
    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
    const auto waited = since_epoch(wall) - since_epoch(stamp);
    if (waited.count() >= 0 && waited < std::chrono::seconds{10}) r.arrived = now - waited;
  }
  return r;
}

std::string chunk(std::string_view data) {
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out{size, static_cast<std::size_t>(n)};
  out.append(data);
  out.append("\r\n");
  return out;
}

std::string token_event(unsigned i, const char* tail) {
  return "data:{\"details\":null,\"generated_text\":" + std::string{tail} + ",\"token\":{\"id\":" + std::to_string(1000 + i) +
         ",\"logprob\":-0.5,\"skipped\":false,\"special\":false,\"text\":\" t\"}}\n\n";
}

std::size_t content_length(std::string_view head) {
  // Case-insensitive search for the header; the benchmarks' clients all send it.
  std::string lower{head};
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::strtoul(lower.c_str() + at + 17, nullptr, 10);
}

// One connection: requests answered in order, each with a stream of `tokens` events, the first
// `first` after the request arrived and then one every `gap`.
asio::awaitable<void> serve(tcp::socket socket, const options& o, std::vector<std::int64_t>& lateness) {
  const int yes = 1;
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &yes, sizeof yes);
  asio::steady_timer timer{socket.get_executor()};
  std::string buffer;
  char bytes[8192];
  for (;;) {
    // The request: headers, then Content-Length bytes of body; `arrived` stamps its last read.
    clock_type::time_point arrived{};
    std::size_t end = 0, needed = 0;
    for (;;) {
      end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        needed = end + 4 + content_length(std::string_view{buffer}.substr(0, end));
        if (buffer.size() >= needed) break;
      }
      const auto r = read_stamped(socket.native_handle(), bytes, sizeof bytes);
      if (r.bytes == 0) co_return;
      if (r.bytes < 0) {
        if (r.error != EAGAIN && r.error != EWOULDBLOCK && r.error != EINTR) co_return;
        auto [ec] = co_await socket.async_wait(tcp::socket::wait_read, nothrow);
        if (ec) co_return;
        continue;
      }
      buffer.append(bytes, static_cast<std::size_t>(r.bytes));
      arrived = r.arrived;
    }
    buffer.erase(0, needed);

    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(headers), nothrow);
    if (ec) co_return;
    double first_written_ms = 0;
    for (unsigned i = 0; i < o.tokens; ++i) {
      const auto due = arrived + o.first + o.gap * i;
      timer.expires_at(due);
      (void)co_await timer.async_wait(nothrow);
      const bool last = i + 1 == o.tokens;
      // Stamped before the event is built (a microsecond), so that a one-token stream's only
      // event can carry its own TTFT; asio writes in the call when the socket has room.
      const auto written = clock_type::now();
      if (i == 0) first_written_ms = std::chrono::duration<double, std::milli>(written - arrived).count();
      std::string event;
      if (!last) {
        event = chunk(token_event(i, "null"));
      } else {
        // As LoRAX times them, with no queue: the request is in its batch from its arrival, so
        // total = inference and total − inference + TTFT, the client's comparison, is the TTFT.
        const double total_ms = std::chrono::duration<double, std::milli>(written - arrived).count();
        char timings[200];
        std::snprintf(timings, sizeof timings,
                      "\"t\",\"timings\":{\"time_to_first_token_ms\":%.6f,\"total_ms\":%.6f,\"inference_ms\":%.6f}",
                      first_written_ms, total_ms, total_ms);
        event = chunk(token_event(i, timings)) + "0\r\n\r\n";
      }
      std::tie(ec, n) = co_await asio::async_write(socket, asio::buffer(event), nothrow);
      if (ec) co_return;
      lateness.push_back(std::chrono::duration_cast<std::chrono::microseconds>(written - due).count());
    }
  }
}

std::chrono::microseconds milliseconds_flag(const char* text) {
  return std::chrono::microseconds{static_cast<long>(std::strtod(text, nullptr) * 1000)};
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--port-file") o.port_file = argv[i + 1];
    else if (flag == "--threads") o.threads = static_cast<unsigned>(std::max(1L, std::strtol(argv[i + 1], nullptr, 10)));
    else if (flag == "--tokens") o.tokens = static_cast<unsigned>(std::max(1L, std::strtol(argv[i + 1], nullptr, 10)));
    else if (flag == "--first-ms") o.first = milliseconds_flag(argv[i + 1]);
    else if (flag == "--gap-ms") o.gap = milliseconds_flag(argv[i + 1]);
    else {
      std::fprintf(stderr,
                   "stream_server: unknown flag %s (--port-file PATH [--threads 2] [--tokens 32] [--first-ms 50] "
                   "[--gap-ms 20])\n",
                   argv[i]);
      std::exit(2);
    }
  }
  if (o.port_file.empty()) {
    std::fprintf(stderr, "stream_server: --port-file PATH is required\n");
    std::exit(2);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = parse(argc, argv);
  std::vector<std::vector<std::int64_t>> lateness(o.threads);  // µs, one list per thread: no lock
  loopback_server::run(o.threads, o.port_file, [&](tcp::socket socket, unsigned thread) {
    return serve(std::move(socket), o, lateness[thread]);
  });
  loopback_server::print_lateness("event_lateness", "events", lateness);
  return 0;
}
