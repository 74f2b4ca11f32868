#include "loadgate/llm/llm_reader.hpp"

#include <nlohmann/json.hpp>

#include "loadgate/result.hpp"

namespace loadgate::llm {

std::string_view to_string(token_count_source source) {
  switch (source) {
    case token_count_source::server: return "server";
    case token_count_source::counted: return "counted";
    case token_count_source::none: break;
  }
  return "none";
}

void llm_reader::begin(const http_request& request, std::optional<clock::time_point> intended_start) {
  // "" may be the base model or a request built without an adapter: x-adapter-id then decides.
  if (!request.adapter.empty()) adapter(request.adapter);
  if (intended_start) start(*intended_start);
}

void llm_reader::record(const reader_record& r) {
  auto& o = observation_;
  if (!concluded_) {  // connect failure, reset, timeout, cancellation: finish() never ran
    o.e2e = r.done - o.t0;
    conclude(r.failure);
  }
  o.failure = r.failure;
  auto it = r.into.llm.find(r.request_name);
  if (it == r.into.llm.end()) it = r.into.llm.emplace(r.request_name, llm_stats{r.slo}).first;
  it->second.record(o);
  r.into.adapters.record(o, r.run_start);
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
