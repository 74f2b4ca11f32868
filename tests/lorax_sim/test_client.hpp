// A plain HTTP/1.1 client for the simulator's tests (Boost.Beast, not the harness engine):
// one connection per request, a deadline on everything, SSE events timestamped on arrival.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sim_test {

struct sse_event {
  std::string data;  // after "data:" and one optional space
  double at_ms;      // since the request was sent
};

struct reply {
  int status = 0;     // 0: the exchange failed, see `error`
  std::string error;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;   // the raw body (for streams: all SSE bytes)
  std::vector<sse_event> events;
  double elapsed_ms = 0;  // send to end of body
  bool complete = false;  // the body ended properly

  std::string header(const std::string& name) const;
  // Throws when the header is missing or not a number, so that a bound on it cannot pass by default.
  double header_number(const std::string& name) const;
};

struct request {
  std::string method = "POST";
  std::string target;
  std::string body;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string content_type = "application/json";  // empty: no Content-Type
};

using namespace std::chrono_literals;

reply send(const request& r, std::chrono::milliseconds timeout = 20s);
reply post(std::uint16_t port, const std::string& target, const std::string& body,
           std::chrono::milliseconds timeout = 20s);
reply get(std::uint16_t port, const std::string& target, std::chrono::milliseconds timeout = 20s);
// All requests start together, each on its own connection.
std::vector<reply> send_concurrently(const std::vector<request>& requests,
                                     std::chrono::milliseconds timeout = 20s);

// A metric's value in Prometheus text (name with labels as written), or -1 when absent.
double metric_value(const std::string& metrics_text, const std::string& name);

}  // namespace sim_test
