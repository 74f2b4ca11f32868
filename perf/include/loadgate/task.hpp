#pragma once
// A task is what a virtual user does once: build a request, send it, read the response.
// Request shapes (plain HTTP, LoRAX, OpenAI) are tasks; the engine only runs them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loadgate/failure_kind.hpp"

namespace loadgate {

using clock = std::chrono::steady_clock;

struct http_request {
  std::string method = "GET";
  std::string path = "/";  // appended to the target's base path
  std::string body;        // sent with Content-Type: application/json unless a header says otherwise
  std::vector<std::pair<std::string, std::string>> headers;
};

// Reads one response as its bytes arrive. The engine calls it with timestamps from the monotonic
// clock taken when the bytes were read from the socket, before parsing.
class response_reader {
 public:
  virtual ~response_reader() = default;
  virtual void on_status(unsigned status) = 0;
  virtual void on_header(std::string_view /*name*/, std::string_view /*value*/) {}
  virtual void on_body(std::string_view /*bytes*/, clock::time_point /*arrived*/) {}
  // The whole response has arrived; nullopt is a success, otherwise the failure's kind.
  virtual std::optional<failure_kind> finish(clock::time_point done) = 0;
};

// The default reader: the status decides (2xx/3xx success, 429 overloaded, 4xx, 5xx).
class status_reader final : public response_reader {
 public:
  void on_status(unsigned status) override { status_ = status; }
  std::optional<failure_kind> finish(clock::time_point done) override;

 private:
  unsigned status_ = 0;
};

std::optional<failure_kind> failure_from_status(unsigned status);

struct task_context {
  std::mt19937_64& rng;   // the user's own, seeded from the scenario's seed
  std::size_t user;       // index of the virtual user (or connection, in the open model)
  std::uint64_t iteration;
};

struct task {
  std::string name;  // the request name that statistics are kept under
  std::function<http_request(task_context&)> request;
  // Creates a reader for one response; empty means status_reader.
  std::function<std::unique_ptr<response_reader>()> reader;
};

// A plain HTTP request, the same every time.
task http_task(std::string name, std::string method, std::string path, std::string body = {});

}  // namespace loadgate
