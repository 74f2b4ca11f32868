// The HTTP client through the engine: keep-alive and reconnection, refused connections, status
// classes, request bodies, and streamed (chunked) responses seen as they arrive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "loadgate/error.hpp"
#include "loadgate/run.hpp"
#include "support/temp_path.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

scenario small(const char* name) {
  return scenario{name}.users(4).threads(2).duration(1s).task(http_task("home", "GET", "/"));
}

TEST(Connection, ReconnectsWhenTheServerAnnouncesClose) {
  testing::test_server server{{.close_after = 10}};
  const auto r = run(small("announced"), target::parse(server.url()));
  EXPECT_GT(r.total().count(), 100u);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_EQ(r.total().count(), server.requests());
  EXPECT_GE(server.connections(), r.total().count() / 10);
}

TEST(Connection, RetriesOnceWhenTheServerClosedSilently) {
  // The server drops the connection after every 5th response without saying so: the next request
  // meets a closed connection, gets nothing back, and is sent again on a new one.
  testing::test_server server{{.close_after = 5, .announce_close = false}};
  const auto r = run(small("silent"), target::parse(server.url()));
  EXPECT_GT(r.total().count(), 100u);
  EXPECT_EQ(r.total().failures(), 0u) << "reset: " << r.total().failures(failure_kind::reset);
  EXPECT_EQ(r.total().count(), server.requests());
}

TEST(Connection, NoServicePreFlightIsAStartErrorNamingTheUrl) {
  const auto url = "http://127.0.0.1:" + std::to_string(testing::unused_port());
  try {
    (void)run(small("refused").duration(500ms), target::parse(url));
    FAIL() << "expected start_error";
  } catch (const start_error& e) {
    EXPECT_THAT(e.what(), ::testing::AllOf(::testing::HasSubstr(url), ::testing::HasSubstr("connection refused"),
                                         ::testing::HasSubstr("is the service running")));
  }
}

// Since the pre-flight check, a service that is not there never starts a run; connect failures
// are counted when it goes away during the run. The first progress snapshot (an event, not a
// sleep) stops the server; every request after that is refused.
TEST(Connection, RefusedConnectionsAreConnectFailures) {
  const auto started = std::chrono::steady_clock::now();
  std::optional<testing::test_server> server{std::in_place};
  std::mutex mutex;
  run_options options;
  options.progress_interval = 100ms;
  options.on_progress = [&](const progress&) {
    const std::lock_guard lock{mutex};
    server.reset();
  };
  const auto r = run(small("refused").duration(500ms), target::parse(server->url()), options);
  const auto& total = r.total();
  EXPECT_GT(total.successes(), 0u) << "requests before the server went away";
  EXPECT_GT(total.failures(failure_kind::connect), 0u);
  // Requests in flight when it went away may see a reset; nothing else.
  EXPECT_EQ(total.failures(), total.failures(failure_kind::connect) + total.failures(failure_kind::reset));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
  // Each connect failure keeps the system's words (exchange_outcome::cause), a few kept per kind.
  ASSERT_EQ(total.examples().count(failure_kind::connect), 1u);
  const auto& causes = total.examples().at(failure_kind::connect);
  EXPECT_LE(causes.size(), tally::max_examples);
  EXPECT_THAT(causes, ::testing::Each(::testing::StartsWith("connect: ")));
  EXPECT_THAT(causes, ::testing::Contains(::testing::HasSubstr("refused")));
  if (total.failures(failure_kind::reset) > 0) {
    EXPECT_THAT(total.examples().at(failure_kind::reset),
                ::testing::Each(::testing::AnyOf(::testing::StartsWith("read: "), ::testing::StartsWith("write: "))));
  }
}

TEST(Connection, StatusClassesAreCounted) {
  testing::test_server server{{.status = 503, .body = "Service Unavailable\nretry later"}};
  const auto r = run(small("unavailable").duration(300ms), target::parse(server.url()));
  EXPECT_GT(r.total().count(), 0u);
  EXPECT_EQ(r.total().failures(failure_kind::http_5xx), r.total().count());
  EXPECT_TRUE(r.total().latency().empty()) << "latency histograms hold successes only";
  // The status and the start of the body, on one line; one distinct cause however many failed.
  EXPECT_THAT(r.total().examples().at(failure_kind::http_5xx),
              ::testing::ElementsAre("HTTP 503: Service Unavailable retry later"));
}

TEST(Connection, JsonBodiesAreSentWithTypeAndLength) {
  testing::test_server server;
  const std::string body = R"({"inputs":"Hello","parameters":{"max_new_tokens":8}})";
  const auto s = scenario{"json"}.duration(200ms).task(http_task("generate", "POST", "/generate", body));
  const auto r = run(s, target::parse(server.url() + "/api"));
  ASSERT_GT(r.total().successes(), 0u);
  const auto seen = server.last_request();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/api/generate");
  EXPECT_EQ(seen.body, body);
  EXPECT_EQ(seen.header("Content-Type"), "application/json");
  EXPECT_EQ(seen.header("Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(seen.header("Host"), "127.0.0.1:" + std::to_string(server.port()));
}

// Keeps every piece of body with its arrival time, for the first response only.
struct arrival_log {
  std::mutex mutex;
  std::vector<std::pair<std::string, clock::time_point>> pieces;
  unsigned status = 0;
  bool filled = false;
};

class logging_reader final : public response_reader {
 public:
  explicit logging_reader(arrival_log& log) : log_{log} {}
  void on_status(unsigned status) override { status_ = status; }
  void on_body(std::string_view bytes, clock::time_point arrived) override { pieces_.emplace_back(bytes, arrived); }
  std::optional<failure_kind> finish(clock::time_point) override {
    const std::lock_guard lock{log_.mutex};
    if (!log_.filled) {
      log_.pieces = pieces_;
      log_.status = status_;
      log_.filled = true;
    }
    return failure_from_status(status_);
  }

 private:
  arrival_log& log_;
  unsigned status_ = 0;
  std::vector<std::pair<std::string, clock::time_point>> pieces_;
};

// A plain HTTP task's request is the same every time, and its bytes are written once per
// connection: they must stay right across reconnections, after the user gave them back while
// thinking, and beside a task whose request changes, on the same connection.
TEST(Connection, AConstantRequestsBytesAreReusedOnlyWhileTheyAreItsOwn) {
  testing::test_server server{{.close_after = 3}};
  int varying_count = 0;
  task varying{"varying", [&varying_count](task_context&) {
                 http_request r;
                 r.method = "POST";
                 r.path = "/varying";
                 r.body = std::to_string(++varying_count % 2);
                 return r;
               }, {}, {}};
  const auto s = scenario{"constant"}.users(1).threads(1).duration(1200ms)
                     .think_time(between(0ms, 150ms))  // some thinks give the bytes back (>= 100 ms)
                     .task(http_task("constant", "POST", "/constant", R"({"a":1})", {{"X-Test", "yes"}}))
                     .task(varying);
  const auto r = run(s, target::parse(server.url()));
  EXPECT_EQ(r.total().failures(), 0u);
  const auto seen = server.requests_by_content();
  std::uint64_t sent = 0;
  for (const auto& [content, n] : seen) sent += n;
  EXPECT_EQ(sent, r.total().count());
  EXPECT_EQ(seen.size(), 3u) << "the constant request and the two varying ones, nothing else";
  EXPECT_EQ(seen.count(R"(POST /constant {"a":1})"), 1u);
  EXPECT_EQ(seen.count("POST /varying 0") + seen.count("POST /varying 1"), 2u);
  EXPECT_EQ(seen.at(R"(POST /constant {"a":1})"), r.total({.request = "constant"}).count());
  EXPECT_GT(server.connections(), 2u) << "reconnections happened";
}

TEST(Connection, ChunkedBodiesReachTheReaderAsTheyArrive) {
  testing::test_server server{{.chunks = 4, .chunk_delay = 60ms, .body = "aaaabbbbccccdddd"}};
  arrival_log log;
  task t = http_task("stream", "GET", "/stream");
  t.reader = [&log] { return std::make_unique<logging_reader>(log); };
  const auto r = run(scenario{"stream"}.duration(300ms).task(std::move(t)), target::parse(server.url()));
  EXPECT_EQ(r.total().failures(), 0u);
  ASSERT_TRUE(log.filled);
  EXPECT_EQ(log.status, 200u);
  std::string body;
  for (const auto& [bytes, at] : log.pieces) body += bytes;
  EXPECT_EQ(body, "aaaabbbbccccdddd");
  ASSERT_EQ(log.pieces.size(), 4u) << "one call per chunk, as each arrived";
  for (std::size_t i = 1; i < log.pieces.size(); ++i)
    EXPECT_GE(log.pieces[i].second - log.pieces[i - 1].second, 40ms) << "piece " << i;
}

}  // namespace
}  // namespace loadgate

namespace loadgate {
namespace {

TEST(Tls, SpeaksHttpsWithSniWhenVerificationIsOffAndTheResultSaysSo) {
  testing::test_server server{{.tls = true}};
  auto t = target::parse(server.url());
  t.verify_certificates = false;
  const auto r = run(small("https").duration(300ms), t);
  EXPECT_GT(r.total().successes(), 0u);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_EQ(r.total().count(), server.requests());
  // One per user, plus the pre-flight check's (its TCP connect and TLS handshake share one).
  EXPECT_EQ(server.connections(), 4u + 1) << "TLS connections are kept alive too";
  EXPECT_EQ(server.server_name(), "localhost");
  EXPECT_TRUE(r.info.insecure);
}

TEST(Tls, AnUntrustedCertificateStopsTheRunBeforeAnyRequestSayingWhatToDo) {
  testing::test_server server{{.tls = true}};
  EXPECT_THAT([&] { (void)run(small("untrusted").duration(300ms), target::parse(server.url())); },
              ::testing::ThrowsMessage<start_error>(::testing::AllOf(
                  ::testing::HasSubstr("the TLS handshake with " + server.url()),
                  ::testing::HasSubstr("certificate verify failed"), ::testing::HasSubstr("--ca-file"))));
  EXPECT_EQ(server.requests(), 0u) << "no request leaves before the certificate is checked";
}

TEST(Tls, ACaFileTrustsAPrivateCertificate) {
  testing::test_server server{{.tls = true}};
  const auto ca = test_support::temp_path("ca", ".pem");
  std::ofstream{ca} << server.certificate_pem();
  auto t = target::parse(server.url());
  t.ca_file = ca.string();
  const auto r = run(small("private-ca").duration(300ms), t);
  std::filesystem::remove(ca);
  EXPECT_GT(r.total().successes(), 0u);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_FALSE(r.info.insecure) << "verified, with the CA given";
}

TEST(Tls, AServerThatNeverAnswersTheHandshakeStopsTheRunAtTheConnectTimeout) {
  // Listening, never accepting: the kernel completes the TCP handshake from the backlog, and the
  // client's TLS hello is never answered. The probe gives connect and handshake one deadline.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent{io, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  const auto url = "https://127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THAT([&] { (void)run(small("silent-tls").connect_timeout(300ms), target::parse(url)); },
              ::testing::ThrowsMessage<start_error>(::testing::AllOf(
                  ::testing::HasSubstr("the TLS handshake with " + url), ::testing::HasSubstr("no answer within 300 ms"))));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(Tls, ACaFileThatHoldsNoCertificateIsAConfigurationError) {
  testing::test_server server{{.tls = true}};
  const auto ca = test_support::temp_path("not-a-ca", ".pem");
  std::ofstream{ca} << "not a certificate\n";
  auto t = target::parse(server.url());
  t.ca_file = ca.string();
  EXPECT_THAT([&] { (void)run(small("bad-ca"), t); },
              ::testing::ThrowsMessage<configuration_error>(::testing::HasSubstr("--ca-file " + ca.string())));
  std::filesystem::remove(ca);
  EXPECT_EQ(server.connections(), 0u);
}

}  // namespace
}  // namespace loadgate
