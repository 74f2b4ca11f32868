#include "loadgate/llm/per_request_slo.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm {
namespace {

using namespace std::chrono;

void put_ms(nlohmann::json& j, const char* key, const std::optional<nanoseconds>& limit) {
  if (limit) j[key] = duration<double, std::milli>{*limit}.count();
}

void get_ms(const nlohmann::json& j, const char* key, std::optional<nanoseconds>& limit) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if (!it->is_number() || it->get<double>() <= 0)
    throw configuration_error{std::string{"per-request SLO: \""} + key + "\" must be a number of milliseconds above 0"};
  limit = duration_cast<nanoseconds>(duration<double, std::milli>{it->get<double>()});
}

}  // namespace

bool per_request_slo::met_by(const observation& o) const {
  if (!o.ok()) return false;
  if (ttft && (!o.ttft || *o.ttft > *ttft)) return false;
  if (tpot && o.tpot && *o.tpot > *tpot) return false;
  if (e2e && o.e2e.value_or(o.latency) > *e2e) return false;
  return true;
}

void to_json(nlohmann::json& j, const per_request_slo& s) {
  j = nlohmann::json::object();
  put_ms(j, "ttft_ms", s.ttft);
  put_ms(j, "tpot_ms", s.tpot);
  put_ms(j, "e2e_ms", s.e2e);
}

void from_json(const nlohmann::json& j, per_request_slo& s) {
  if (!j.is_object()) throw configuration_error{"per-request SLO must be a JSON object like {\"ttft_ms\": 250}"};
  for (const auto& [key, value] : j.items()) {
    if (key != "ttft_ms" && key != "tpot_ms" && key != "e2e_ms")
      throw configuration_error{"per-request SLO: unknown key \"" + key + "\" (use ttft_ms, tpot_ms, e2e_ms)"};
  }
  s = {};
  get_ms(j, "ttft_ms", s.ttft);
  get_ms(j, "tpot_ms", s.tpot);
  get_ms(j, "e2e_ms", s.e2e);
}

}  // namespace loadgate::llm
