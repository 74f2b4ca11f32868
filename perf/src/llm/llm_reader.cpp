#include "loadgate/llm/llm_reader.hpp"

#include <nlohmann/json.hpp>

namespace loadgate::llm {

std::string_view to_string(token_count_source source) {
  switch (source) {
    case token_count_source::server: return "server";
    case token_count_source::counted: return "counted";
    case token_count_source::none: break;
  }
  return "none";
}

std::optional<failure_kind> llm_reader::conclude(std::optional<failure_kind> failure) {
  auto& o = observation_;
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
