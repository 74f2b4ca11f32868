#include "loadgate/metrics_endpoint.hpp"

#include <exception>

#include "loadgate/error.hpp"
#include "loadgate/llm/server_metrics.hpp"
#include "protocol/fetch.hpp"

namespace loadgate {

target metrics_endpoint_at(const std::string& url, const target& service) {
  target t;
  try {
    t = target::parse(url);
  } catch (const std::exception& e) {
    throw configuration_error("--scrape " + url + ": " + e.what() + " (give the server's metrics URL, e.g. http://127.0.0.1:8080/metrics, or off)");
  }
  if (t.base_path.empty()) t.base_path = "/metrics";
  t.verify_certificates = service.verify_certificates;
  t.ca_file = service.ca_file;
  t.source_addresses = service.source_addresses;
  return t;
}

std::optional<target> default_metrics_endpoint(const target& service, const std::vector<std::string>& series,
                                               std::chrono::milliseconds timeout) {
  auto endpoint = service;
  endpoint.base_path = "/metrics";
  try {
    const auto answer = protocol::fetch_url(endpoint, timeout);
    if (answer.status != 200 || answer.truncated || llm::server_readings(answer.body, series).empty()) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;  // no metrics there, or no server at all: the run itself says which
  }
  return endpoint;
}

}  // namespace loadgate
