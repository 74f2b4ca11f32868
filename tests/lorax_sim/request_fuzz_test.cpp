// Malformed requests never crash the simulator: 20,000 seeded random or mutated requests over
// raw sockets (truncated and giant headers, bad JSON, bad chunking, pipelining, binary junk),
// after which it still answers /health. Bounded in count and in time.
#include "sim_process.hpp"
#include "test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sim_test {
namespace {

class fuzzer {
 public:
  explicit fuzzer(std::uint64_t seed) : rng_(seed) {}

  std::string next() {
    switch (pick(10)) {
      case 0: return junk(pick(400));
      case 1: return mutate(valid_request());
      case 2: return valid_request().substr(0, pick(120));  // truncated
      case 3: return "POST /generate HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000 + pick(20000), 'a') + "\r\n\r\n";
      case 4: return chunked(true);
      case 5: return chunked(false);
      case 6: return valid_request() + valid_request();  // pipelined
      case 7: return with_body(random_json());
      case 8: return "POST /generate HTTP/1.1\r\nContent-Length: " + std::to_string(pick(1 << 30)) + "\r\n\r\n{\"inputs\":";
      default: return mutate(with_body(random_json()));
    }
  }

 private:
  std::size_t pick(std::size_t n) { return n == 0 ? 0 : rng_() % n; }

  std::string junk(std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng_());
    return s;
  }

  std::string valid_request() {
    static const char* routes[] = {"/generate", "/generate_stream", "/v1/completions", "/v1/chat/completions", "/health", "/metrics", "/info", "/admin/faults"};
    const std::string route = routes[pick(8)];
    std::string body = route.find("chat") != std::string::npos
        ? R"({"model":"","messages":[{"role":"user","content":"hi you"}],"max_tokens":3,"stream":true})"
        : route.find("v1") != std::string::npos ? R"({"model":"loadgate/support-lora-v1","prompt":"x y","max_tokens":2})"
        : route == "/admin/faults" ? R"({"jitter_ms":0})"
        : R"({"inputs":"a b c","parameters":{"max_new_tokens":3,"details":true}})";
    return "POST " + route + " HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }

  std::string with_body(const std::string& body) {
    return "POST /generate HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }

  std::string random_json() {
    static const char* pieces[] = {"{", "}", "[", "]", "\"inputs\"", ":", ",", "\"parameters\"", "\"max_new_tokens\"",
                                   "-1", "1e308", "99999999999999999999", "null", "true", "\"\\u0000\"", "\"a b\"",
                                   "\"adapter_id\"", "\"\\ud800\"", "0", "\"stop\"", "\"details\"", "\"seed\"", "{}"};
    std::string s;
    for (std::size_t i = 0, n = 1 + pick(30); i < n; ++i) s += pieces[pick(std::size(pieces))];
    return s;
  }

  std::string chunked(bool well_formed) {
    std::string r = "POST /generate HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string body = R"({"inputs":"a","parameters":{"max_new_tokens":2}})";
    if (well_formed) return r + "5\r\n" + body.substr(0, 5) + "\r\n" + "2d\r\n" + body.substr(5) + "\r\n0\r\n\r\n";
    return r + (pick(2) ? "zz\r\n" : "ffffffffffffffffff\r\n") + body + "\r\n";
  }

  std::string mutate(std::string s) {
    for (std::size_t i = 0, n = 1 + pick(8); i < n && !s.empty(); ++i) {
      const auto at = pick(s.size());
      switch (pick(3)) {
        case 0: s[at] = static_cast<char>(rng_()); break;
        case 1: s.erase(at, 1 + pick(10)); break;
        default: s.insert(at, junk(1 + pick(10))); break;
      }
    }
    return s;
  }

  std::mt19937_64 rng_;
};

// Sends, half-closes and drains the answer with a deadline, then resets (no TIME_WAIT pile-up).
void exchange_raw(std::uint16_t port, const std::string& bytes) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << "the server is gone";
  (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  shutdown(fd, SHUT_WR);
  char buf[4096];
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, 2000) > 0 && recv(fd, buf, sizeof buf, 0) > 0) {
  }
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

TEST(RequestFuzz, TwentyThousandMalformedRequestsDoNotCrashIt) {
  sim_process sim({"--time-scale", "0.0001", "--max-total-tokens", "64"});
  fuzzer f(20240611);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  int sent = 0;
  for (; sent < 20000 && std::chrono::steady_clock::now() < deadline; ++sent) {
    exchange_raw(sim.port(), f.next());
    if (::testing::Test::HasFatalFailure()) return;
    if (sent % 2000 == 0) {
      ASSERT_EQ(get(sim.port(), "/health", std::chrono::seconds(5)).status, 200) << "after " << sent;
    }
  }
  EXPECT_EQ(sent, 20000);
  EXPECT_EQ(get(sim.port(), "/health").status, 200);
  auto m = get(sim.port(), "/metrics").body;
  EXPECT_EQ(metric_value(m, "lorax_sim_in_flight"), 0) << "every permit came back";
  EXPECT_EQ(sim.stop(), 0) << "a clean exit on SIGTERM";
}

}  // namespace
}  // namespace sim_test
