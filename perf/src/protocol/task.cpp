// The default response reader and the plain HTTP task.
#include "loadgate/task.hpp"

#include <nlohmann/json.hpp>

namespace loadgate {

std::optional<failure_kind> failure_from_status(unsigned status) {
  if (status >= 200 && status < 400) return std::nullopt;
  if (status == 429) return failure_kind::overloaded;
  if (status >= 400 && status < 500) return failure_kind::http_4xx;
  if (status >= 500 && status < 600) return failure_kind::http_5xx;
  // 1xx as a final answer, or no status line at all: the server did not speak HTTP as expected.
  return failure_kind::protocol;
}

std::optional<failure_kind> status_reader::finish(clock::time_point /*done*/) { return failure_from_status(status_); }

void status_reader::observe(observation& o) {
  if (o.failure && o.cause.empty() && status_ != 0) o.cause = http_status_cause(status_, body_start_);
}

std::string http_status_cause(unsigned status, std::string_view body_start) {
  std::string cause = "HTTP " + std::to_string(status);
  if (body_start.empty()) return cause;
  cause += ": ";
  for (const char c : body_start) cause += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return cause;
}

task http_task(std::string name, std::string method, std::string path, std::string body,
               std::vector<std::pair<std::string, std::string>> headers) {
  http_request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  request.headers = std::move(headers);
  task t;
  t.name = std::move(name);
  nlohmann::json spec = {{"type", "http"}, {"name", t.name}, {"method", request.method}, {"path", request.path},
                         {"body", request.body}};
  if (!request.headers.empty()) {
    auto& h = spec["headers"] = nlohmann::json::object();
    for (const auto& [key, value] : request.headers) h[key] = value;
  }
  t.description = spec.dump();
  t.request = constant_request{std::make_shared<const http_request>(std::move(request))};
  return t;
}

}  // namespace loadgate
