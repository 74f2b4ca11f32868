#pragma once
// Where a run reads the server's own metrics (loadgate/llm/server_metrics.hpp): `--scrape URL`,
// or by default the target's /metrics when it answers Prometheus text, as LoRAX and vLLM do.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "loadgate/target.hpp"

namespace loadgate {

// The URL `--scrape` names, with /metrics as its path when it names none, reached as the service
// is (its certificate checks, CA file and source addresses). Throws configuration_error for a URL
// that is not one.
target metrics_endpoint_at(const std::string& url, const target& service);

// The service's /metrics (at its root, whatever its base path) when it answers 200 with text that
// reads as Prometheus text and names something loadgate knows or was asked for; else nothing.
std::optional<target> default_metrics_endpoint(const target& service, const std::vector<std::string>& series = {},
                                               std::chrono::milliseconds timeout = std::chrono::seconds{2});

}  // namespace loadgate
