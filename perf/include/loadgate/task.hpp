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

struct result;
namespace llm {
struct per_request_slo;
}

struct http_request {
  std::string method = "GET";
  std::string path = "/";  // appended to the target's base path
  std::string body;        // sent with Content-Type: application/json unless a header says otherwise
  std::vector<std::pair<std::string, std::string>> headers;
  // The LoRA adapter the request asks for ("" = base model, or not an LLM request). Never sent:
  // the body names it. It tells the reader, so per-adapter statistics need no body parsing.
  std::string adapter;
};

// What the engine hands a reader once the exchange is over, so that it can record more than
// pass/fail (LLM readers: TTFT, tokens, per-adapter figures) into its worker thread's result.
struct reader_record {
  loadgate::result& into;               // this worker thread's result: no locks needed
  const std::string& request_name;      // the task's name
  clock::time_point run_start;          // shared by every thread of the run
  std::optional<failure_kind> failure;  // the exchange's verdict: finish()'s, or the transport's
  clock::time_point done;               // when that verdict was reached
  const llm::per_request_slo& slo;      // the scenario's per-request SLO, for goodput
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
  virtual void on_body(std::string_view /*bytes*/, clock::time_point /*arrived*/) {}
  // The whole response has arrived; nullopt is a success, otherwise the failure's kind.
  virtual std::optional<failure_kind> finish(clock::time_point done) = 0;
  // After the exchange, whether or not finish() was reached (a transport failure skips it).
  virtual void record(const reader_record& /*r*/) {}
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
  // The request's knobs as canonical JSON text (route, body, max_new_tokens, adapter selection...;
  // never a secret), so that a baseline's fingerprint changes when the request does. The request
  // shapes fill it; a hand-written task may, and is otherwise known by its name alone.
  std::string description;
};

// A plain HTTP request, the same every time.
task http_task(std::string name, std::string method, std::string path, std::string body = {});

}  // namespace loadgate
