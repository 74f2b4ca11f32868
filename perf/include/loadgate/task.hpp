#pragma once
// A task is what a virtual user does once: build a request, send it, read the response.
// Request shapes (plain HTTP, LoRAX, OpenAI) are tasks; the engine only runs them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loadgate/failure_kind.hpp"
#include "loadgate/observation.hpp"
#include "loadgate/random_engine.hpp"

namespace loadgate {

struct http_request {
  std::string method = "GET";
  std::string path = "/";  // appended to the target's base path
  std::string body;        // sent with Content-Type: application/json unless a header says otherwise
  std::vector<std::pair<std::string, std::string>> headers;
  // The LoRA adapter the request asks for ("" = base model, or not an LLM request). Never sent:
  // the body names it. It tells the reader, so per-adapter statistics need no body parsing.
  std::string adapter;
};

// Reads one response as its bytes arrive. The engine calls it with timestamps from the monotonic
// clock taken when the bytes were read from the socket, before parsing.
class response_reader {
 public:
  virtual ~response_reader() = default;
  // Before the request is sent. `intended_start` is set in the open model, where latencies count
  // from it (coordinated omission); in the closed model they count from on_sent.
  virtual void begin(const http_request& /*request*/, std::optional<clock::time_point> /*intended_start*/) {}
  // The last request byte was written (again when a request is retried on a new connection).
  virtual void on_sent(clock::time_point /*sent*/) {}
  virtual void on_status(unsigned status) = 0;
  virtual void on_header(std::string_view /*name*/, std::string_view /*value*/) {}
  // The body's length as the response announced it (Content-Length), before its first byte; not
  // called for a chunked body. A reader that keeps the body can size its memory once.
  virtual void on_body_length(std::uint64_t /*bytes*/) {}
  virtual void on_body(std::string_view /*bytes*/, clock::time_point /*arrived*/) {}
  // The whole response has arrived; nullopt is a success, otherwise the failure's kind.
  virtual std::optional<failure_kind> finish(clock::time_point done) = 0;
  // After the exchange, whether or not finish() was reached (a transport failure skips it): adds
  // what the reader saw to the engine's observation, which holds the verdict, the start and the
  // latencies. Called once; the reader may hand over what it holds.
  virtual void observe(observation& /*o*/) {}
};

// The default reader: the status decides (2xx/3xx success, 429 overloaded, 4xx, 5xx). A failed
// response's status and the start of its body become the failure's cause.
class status_reader final : public response_reader {
 public:
  static constexpr std::size_t cause_body_bytes = 120;

  void on_status(unsigned status) override { status_ = status; }
  void on_body(std::string_view bytes, clock::time_point /*arrived*/) override {
    if (status_ >= 400 && body_start_.size() < cause_body_bytes)
      body_start_.append(bytes.substr(0, cause_body_bytes - body_start_.size()));
  }
  std::optional<failure_kind> finish(clock::time_point done) override;
  void observe(observation& o) override;

 private:
  unsigned status_ = 0;
  std::string body_start_;  // of a 4xx or 5xx response
};

// "HTTP 503: <the body's first bytes, on one line>", or "HTTP 503" without a body.
std::string http_status_cause(unsigned status, std::string_view body_start);

std::optional<failure_kind> failure_from_status(unsigned status);

struct task_context {
  random_engine& rng;   // the user's own, seeded from the scenario's seed
  std::size_t user;       // index of the virtual user (or connection, in the open model)
  std::uint64_t iteration;
};

// A task's request function that returns the same request every time (http_task's). The engine
// recognises it in task::request and sends the request where it lives, without copying it, and
// writes its bytes once per connection; any other function is called for every request.
struct constant_request {
  std::shared_ptr<const http_request> request;
  http_request operator()(task_context& /*context*/) const { return *request; }
};

struct task {
  std::string name;  // the request name that statistics are kept under
  std::function<http_request(task_context&)> request;
  // Creates a reader for one response; empty means status_reader.
  std::function<std::unique_ptr<response_reader>()> reader;
  // The request's knobs as canonical JSON text (route, body, max_new_tokens, adapter selection...;
  // never a secret), so that a baseline's fingerprint changes when the request does. The request
  // shapes fill it with their scenario-file spec ({"type": ..., ...}), from which a scenario file
  // rebuilds the task; a hand-written task may fill it, and is otherwise known by its name alone.
  std::string description;
};

// A plain HTTP request, the same every time. Its description is the scenario file's spec:
// {"type": "http", "name", "method", "path", "body", "headers"}.
task http_task(std::string name, std::string method, std::string path, std::string body = {},
               std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace loadgate
