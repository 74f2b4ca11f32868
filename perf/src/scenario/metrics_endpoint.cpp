#include "loadgate/metrics_endpoint.hpp"

#include <exception>

#include "loadgate/error.hpp"
#include "loadgate/llm/server_metrics.hpp"
#include "protocol/fetch.hpp"

namespace loadgate {

target metrics_endpoint_at(const std::string& url) {
  target t;
  try {
    t = target::parse(url);
  } catch (const std::exception& e) {
    throw configuration_error("--scrape " + url + ": " + e.what() + " (give the server's metrics URL, e.g. http://127.0.0.1:8080/metrics, or off)");
  }
  if (t.base_path.empty()) t.base_path = "/metrics";
  return t;
}

std::optional<target> default_metrics_endpoint(const target& service, const std::vector<std::string>& series,
                                               std::chrono::milliseconds timeout) {
  auto endpoint = service;
  endpoint.base_path = "/metrics";
  try {
    const auto answer = protocol::fetch_url(endpoint, timeout);
    if (answer.status != 200 || llm::server_readings(answer.body, series).empty()) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;  // no metrics there, or no server at all: the run itself says which
  }
  return endpoint;
}

}  // namespace loadgate
