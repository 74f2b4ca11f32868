#pragma once
// Where a run reads the server's own metrics (loadgate/llm/server_metrics.hpp): `--scrape URL`,
// or by default the target's /metrics when it answers Prometheus text, as LoRAX and vLLM do.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loadgate/llm/server_metrics.hpp"
#include "loadgate/scenario.hpp"
#include "loadgate/target.hpp"

namespace loadgate {

// The URL `--scrape` names, with /metrics as its path when it names none, reached as the service
// is (its certificate checks, CA file and source addresses). Throws configuration_error for a URL
// that is not one; `source` is where the URL came from ("--scrape ", "LOADGATE_SCRAPE=").
target metrics_endpoint_at(const std::string& url, const target& service, std::string_view source = "--scrape ");

// The service's /metrics (at its root, whatever its base path) when it answers 200 with text that
// reads as Prometheus text and names something loadgate knows or was asked for; else nothing.
std::optional<target> default_metrics_endpoint(const target& service, const std::vector<std::string>& series = {},
                                               std::chrono::milliseconds timeout = std::chrono::seconds{2});

// What a run is asked to scrape, and the names the asking came by (for the errors).
struct scrape_choice {
  std::string where = "auto";       // "auto", "off" (in any letter case) or the metrics URL
  std::vector<std::string> series;  // more metrics to keep, by name
  std::string_view where_name = "--scrape";  // "--scrape URL" or "LOADGATE_SCRAPE=URL"
  std::string_view assign = " ";
  std::string_view series_name = "--scrape-series";
};

// The scrape a run makes, as chosen: none for "off"; the URL named; or for "auto" the service's
// /metrics when it answers, asked only for a scenario of LLM tasks or when series are named (a
// plain HTTP run is not sent a request its user did not plan). Series named with nothing to
// scrape are a configuration_error that says what to give instead.
std::optional<llm::scrape_options> plan_scrape(const scrape_choice& choice, const scenario& s, const target& service);

// The scrape of a GoogleTest scenario: LOADGATE_SCRAPE (auto when unset, off, or a URL) and
// LOADGATE_SCRAPE_SERIES (names separated by commas), planned as plan_scrape does, except that
// the series, being the whole suite's, send no plain HTTP scenario's target a /metrics request
// unless LOADGATE_SCRAPE names the URL.
std::optional<llm::scrape_options> scrape_from_env(const scenario& s, const target& service);

}  // namespace loadgate
