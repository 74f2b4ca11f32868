// Streaming load client of perf/bench/simulator.sh: opens N concurrent /generate_stream
// requests to lorax-sim and reports whether all N were streaming at once and at what token
// rate. Plain Beast, one thread, every socket under a deadline; not the harness engine.
//
//   lorax-sim-stream-client PORT STREAMS TOKENS EXPECTED_STEP_MS [TIMEOUT_S]
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdio>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;
using steady = std::chrono::steady_clock;

namespace {

struct stream_stats {
  int events = 0;
  bool done = false;
  steady::time_point first{}, last{};
  std::vector<double> gaps_ms;
};

double ms(steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

asio::awaitable<void> one_stream(asio::ip::tcp::endpoint ep, std::string body, stream_stats& out,
                                 std::chrono::seconds timeout) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  try {
    stream.expires_after(timeout);
    co_await stream.async_connect(ep, use_awaitable);
    http::request<http::string_body> req{http::verb::post, "/generate_stream", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    co_await http::async_write(stream, req, use_awaitable);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    co_await http::async_read_header(stream, buffer, parser, use_awaitable);
    std::size_t scanned = 0;
    while (!parser.is_done()) {
      co_await http::async_read_some(stream, buffer, parser, use_awaitable);
      auto& b = parser.get().body();
      std::size_t at;
      while ((at = b.find("\n\n", scanned)) != std::string::npos) {
        const auto now = steady::now();
        if (out.events++ == 0) out.first = now;
        else out.gaps_ms.push_back(ms(now - out.last));
        out.last = now;
        scanned = at + 2;
      }
    }
    out.done = parser.get().result() == http::status::ok;
  } catch (const boost::system::system_error&) {
  }
}

// The largest batch the server reported while the streams ran.
asio::awaitable<void> sample_batch(asio::ip::tcp::endpoint ep, int& max_batch, const bool& finished) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!finished) {
    try {
      beast::tcp_stream s(co_await asio::this_coro::executor);
      s.expires_after(std::chrono::seconds(2));
      co_await s.async_connect(ep, use_awaitable);
      http::request<http::empty_body> req{http::verb::get, "/metrics", 11};
      co_await http::async_write(s, req, use_awaitable);
      beast::flat_buffer buf;
      http::response<http::string_body> res;
      co_await http::async_read(s, buf, res, use_awaitable);
      const auto pos = res.body().find("\nlorax_batch_current_size ");
      if (pos != std::string::npos) max_batch = std::max(max_batch, std::stoi(res.body().substr(pos + 26)));
    } catch (const std::exception&) {
    }
    timer.expires_after(std::chrono::milliseconds(200));
    co_await timer.async_wait(use_awaitable);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s PORT STREAMS TOKENS EXPECTED_STEP_MS [TIMEOUT_S]\n", argv[0]);
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::stoi(argv[1]));
  const int streams = std::stoi(argv[2]), tokens = std::stoi(argv[3]);
  const double expected_step_ms = std::stod(argv[4]);
  const std::chrono::seconds timeout(argc > 5 ? std::stoi(argv[5]) : 60);
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  asio::io_context io(1);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  const std::string body = "{\"inputs\":\"benchmark prompt\",\"parameters\":{\"max_new_tokens\":" +
                           std::to_string(tokens) + "}}";
  std::vector<stream_stats> stats(static_cast<std::size_t>(streams));
  const auto t0 = steady::now();
  for (auto& s : stats) asio::co_spawn(io, one_stream(ep, body, s, timeout), asio::detached);
  int max_batch = 0;
  bool finished = false;
  asio::co_spawn(io, sample_batch(ep, max_batch, finished), asio::detached);
  // Stop the sampler once every stream has ended.
  asio::steady_timer watch(io);
  std::function<void()> check = [&] {
    const bool all = std::all_of(stats.begin(), stats.end(), [&](const stream_stats& s) {
      return s.done || steady::now() - t0 > timeout;
    });
    if (all) { finished = true; return; }
    watch.expires_after(std::chrono::milliseconds(50));
    watch.async_wait([&](boost::system::error_code) { check(); });
  };
  check();
  io.run_for(timeout + std::chrono::seconds(5));

  int completed = 0;
  long events = 0;
  std::vector<double> gaps;
  steady::time_point all_started{}, first_done = steady::time_point::max();
  for (const auto& s : stats) {
    events += s.events;
    if (s.done && s.events == tokens) ++completed;
    if (s.events > 0) {
      all_started = std::max(all_started, s.first);
      first_done = std::min(first_done, s.last);
    }
    gaps.insert(gaps.end(), s.gaps_ms.begin(), s.gaps_ms.end());
  }
  std::sort(gaps.begin(), gaps.end());
  auto pct = [&](double p) { return gaps.empty() ? 0.0 : gaps[static_cast<std::size_t>(p * (gaps.size() - 1))]; };
  double mean = 0;
  for (double g : gaps) mean += g;
  if (!gaps.empty()) mean /= static_cast<double>(gaps.size());
  const bool concurrent = completed == streams && all_started < first_done;
  std::printf("streams: %d requested, %d completed with %d tokens each, all streaming at once: %s\n",
              streams, completed, tokens, concurrent ? "yes" : "no");
  std::printf("largest batch reported by the server: %d\n", max_batch);
  std::printf("inter-token gap ms: mean %.2f, p50 %.2f, p99 %.2f, max %.2f (model step %.2f)\n", mean,
              pct(0.5), pct(0.99), gaps.empty() ? 0.0 : gaps.back(), expected_step_ms);
  std::printf("events: %ld in %.2f s (%.0f events/s)\n", events, ms(steady::now() - t0) / 1000.0,
              events / (ms(steady::now() - t0) / 1000.0));
  // Sustained: every stream completed, all overlapped, and tokens kept the step rate (mean gap
  // within 10 % of the model's step).
  const bool on_rate = mean > 0 && mean < expected_step_ms * 1.10;
  std::printf("STREAMS_SUSTAINED=%d\n", concurrent && on_rate ? streams : 0);
  return concurrent && on_rate ? 0 : 1;
}
