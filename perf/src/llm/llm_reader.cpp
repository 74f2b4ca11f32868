#include "loadgate/llm/llm_reader.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

namespace loadgate::llm {

void llm_reader::begin(const http_request& request, std::optional<clock::time_point> intended_start) {
  // "" may be the base model or a request built without an adapter: x-adapter-id then decides.
  if (!request.adapter.empty()) adapter(request.adapter);
  if (intended_start) start(*intended_start);
}

namespace {

std::optional<std::chrono::nanoseconds> from_ms(std::optional<double> ms) {
  if (!ms) return std::nullopt;
  return std::chrono::nanoseconds{std::llround(*ms * 1e6)};
}

// "error_type: message", either alone, or "" when the server said nothing.
std::string llm_cause(const llm_observation& o) {
  if (o.error_type.empty()) return o.error_message;
  if (o.error_message.empty()) return o.error_type;
  return o.error_type + ": " + o.error_message;
}

}  // namespace

void llm_reader::observe(loadgate::observation& into) {
  auto& o = observation_;
  // Connect failure, reset, timeout, cancellation: finish() never ran.
  if (!concluded_) {
    o.e2e = into.latency;
    conclude(into.failure);
  }
  into.llm = true;
  into.adapter = o.adapter;
  if (o.server.adapter_load_ms) into.adapter_loaded = o.server.signals_cold_load();
  into.ttft = o.ttft;
  into.inter_token_gaps = std::move(o.inter_token_gaps);
  into.tpot = o.tpot;
  into.e2e = o.e2e;
  into.output_tokens = o.output_tokens;
  into.token_source = o.token_source;
  into.prompt_tokens = o.prompt_tokens;
  into.finish_reason = o.finish_reason;
  into.server_queue = from_ms(o.server.queue_ms);
  into.server_ttft = from_ms(o.server.time_to_first_token_ms);
  // TPOT needs two tokens; LoRAX still sends x-time-per-output-token for one (divided by 1).
  if (o.output_tokens.value_or(0) > 1) into.server_tpot = from_ms(o.server.time_per_output_token_ms);
  into.server_inference = from_ms(o.server.inference_ms);
  into.server_total = from_ms(o.server.total_ms);
  into.server_adapter_load = from_ms(o.server.adapter_load_ms);
  if (!into.failure) return;
  // The server's own words beat the transport's; a bare status is the last resort.
  if (auto said = llm_cause(o); !said.empty()) into.cause = std::move(said);
  else if (into.cause.empty() && o.status >= 400) into.cause = http_status_cause(o.status, {});
}

std::optional<failure_kind> llm_reader::conclude(std::optional<failure_kind> failure) {
  auto& o = observation_;
  concluded_ = true;
  if (!adapter_known_ && o.server.adapter_id) o.adapter = *o.server.adapter_id;
  // The body's own count (details, usage) is set by the reader; the header is the fallback.
  if (!o.output_tokens && o.server.generated_tokens) {
    o.output_tokens = o.server.generated_tokens;
    o.token_source = token_count_source::server;
  }
  if (!o.prompt_tokens) o.prompt_tokens = o.server.prompt_tokens;
  o.failure = failure;
  return failure;
}

void to_json(nlohmann::json& j, const llm_observation& o) {
  const auto micros = [](std::chrono::nanoseconds d) { return d.count() / 1000.0; };
  j = {{"streamed", o.streamed},
       {"status", o.status},
       {"failure", o.failure ? std::string{to_string(*o.failure)} : std::string{}},
       {"e2e_us", micros(o.e2e)},
       {"content_events", o.content_events},
       {"token_source", to_string(o.token_source)},
       {"adapter", o.adapter},
       {"server", o.server}};
  if (!o.error_type.empty()) j["error_type"] = o.error_type;
  if (!o.error_message.empty()) j["error_message"] = o.error_message;
  if (o.ttft) j["ttft_us"] = micros(*o.ttft);
  if (o.tpot) j["tpot_us"] = micros(*o.tpot);
  if (o.output_tokens) j["output_tokens"] = *o.output_tokens;
  if (o.prompt_tokens) j["prompt_tokens"] = *o.prompt_tokens;
  if (o.finish_reason) j["finish_reason"] = *o.finish_reason;
  auto& gaps = j["inter_token_gaps_us"] = nlohmann::json::array();
  for (const auto gap : o.inter_token_gaps) gaps.push_back(micros(gap));
}

}  // namespace loadgate::llm
