#include "loadgate/metrics_endpoint.hpp"

#include <exception>
#include <sstream>

#include "detail/ascii.hpp"
#include "detail/environment.hpp"
#include "loadgate/error.hpp"
#include "loadgate/scenario_file.hpp"
#include "protocol/fetch.hpp"

namespace loadgate {

target metrics_endpoint_at(const std::string& url, const target& service, std::string_view source) {
  target t;
  try {
    t = target::parse(url);
  } catch (const std::exception& e) {
    throw configuration_error(std::string{source} + url + ": " + e.what() + " (give the server's metrics URL, e.g. http://127.0.0.1:8080/metrics, or off)");
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

std::optional<llm::scrape_options> plan_scrape(const scrape_choice& choice, const scenario& s, const target& service) {
  // "--scrape URL", "LOADGATE_SCRAPE=URL": the choice as its user wrote it.
  const auto named = [&](std::string_view value) {
    return std::string{choice.where_name} + std::string{choice.assign} + std::string{value};
  };
  const std::string series_name{choice.series_name};
  const bool automatic = detail::iequals(choice.where, "auto");
  if (detail::iequals(choice.where, "off")) {
    if (!choice.series.empty())
      throw configuration_error(series_name + " needs the server's metrics: drop " + named("off"));
    return std::nullopt;
  }
  if (automatic && choice.series.empty() && !has_llm_tasks(s)) return std::nullopt;
  const auto endpoint = automatic ? default_metrics_endpoint(service, choice.series)
                                  : metrics_endpoint_at(choice.where, service, named(""));
  if (!endpoint) {
    if (!choice.series.empty())
      throw configuration_error(series_name + ": " + service.url() +
                                "/metrics did not answer Prometheus text naming a series loadgate knows or was asked for; "
                                "give the metrics URL with " + named("URL"));
    return std::nullopt;
  }
  return llm::scrape_options{*endpoint, choice.series};
}

std::optional<llm::scrape_options> scrape_from_env(const scenario& s, const target& service) {
  scrape_choice choice{.where_name = "LOADGATE_SCRAPE", .assign = "=", .series_name = "LOADGATE_SCRAPE_SERIES"};
  if (const auto where = detail::env_value("LOADGATE_SCRAPE")) choice.where = *where;
  // The variables are the whole suite's: a plain HTTP scenario's target is not asked for
  // /metrics because the LLM scenarios beside it keep more series, only when a URL is named.
  if (detail::iequals(choice.where, "auto") && !has_llm_tasks(s)) return std::nullopt;
  if (const auto series = detail::env_value("LOADGATE_SCRAPE_SERIES")) {
    std::istringstream names{*series};
    for (std::string name; std::getline(names, name, ',');)
      if (const auto trimmed = detail::trim_blanks(name); !trimmed.empty()) choice.series.emplace_back(trimmed);
  }
  return plan_scrape(choice, s, service);
}

}  // namespace loadgate
