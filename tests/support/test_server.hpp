#pragma once
// A small HTTP/1.1 server for the harness's own tests: runs on its own thread on a free loopback
// port, counts requests exactly, and misbehaves on request (closes connections, answers late,
// stops answering, streams chunks). Start it inside a test, never before main.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <map>
#include <vector>

namespace loadgate::testing {

struct test_server_options {
  std::uint64_t close_after = 0;  // close each connection after this many responses; 0: never
  bool announce_close = true;     // say Connection: close on that last response; false: close silently
  std::chrono::milliseconds delay{0};  // before each response
  std::uint64_t hang_from = 0;    // from this request on (1-based, over all connections) never answer; 0: never
  std::uint64_t hold_first = 0;   // answer none of the first n requests until all n have arrived, then all at once
  std::size_t chunks = 0;         // 0: a Content-Length body; n: chunked, the body split into n chunks
  std::chrono::milliseconds chunk_delay{0};  // between two chunks
  unsigned status = 200;
  std::string body = "ok";
  bool tls = false;  // https with a fresh self-signed certificate for localhost and 127.0.0.1
};

// What the server saw of the last request.
struct seen_request {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const std::string& name) const;  // case-insensitive; empty when absent
};

class test_server {
 public:
  explicit test_server(test_server_options options = {});
  ~test_server();  // stops the server and joins its thread
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // http://127.0.0.1:port, or https://localhost:port with tls
  std::string server_name() const;    // the SNI name of the last TLS handshake
  std::string certificate_pem() const;  // with tls: its self-signed certificate, a CA a client can trust
  std::uint64_t requests() const;     // complete requests received, answered or not
  std::uint64_t connections() const;  // accepted
  std::vector<std::string> peer_addresses() const;  // each accepted connection's remote address, in order
  seen_request last_request() const;
  // How many requests came with each "METHOD target body".
  std::map<std::string, std::uint64_t> requests_by_content() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// A loopback port that nothing listens on (bound, read and released): connecting is refused.
std::uint16_t unused_port();

}  // namespace loadgate::testing
