#include "loadgate/llm/llm_stats.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm {
namespace {

std::int64_t ms_to_micros(double ms) { return std::llround(ms * 1000.0); }

}  // namespace

void llm_stats::record(const llm_observation& o) {
  if (!o.ok()) {
    ++failures_;
    return;
  }
  ++successes_;
  if (o.ttft) ttft_.record(*o.ttft);
  for (const auto gap : o.inter_token_gaps) inter_token_gap_.record(gap);
  if (o.tpot) tpot_.record(*o.tpot);
  e2e_.record(o.e2e);
  if (o.output_tokens) {
    output_tokens_.record(static_cast<std::int64_t>(*o.output_tokens));
    output_tokens_total_ += *o.output_tokens;
  }
  if (o.token_source == token_count_source::server) ++tokens_from_server_;
  if (o.token_source == token_count_source::counted) ++tokens_counted_;
  if (o.prompt_tokens) prompt_tokens_total_ += *o.prompt_tokens;
  if (o.finish_reason) ++finish_reasons_[*o.finish_reason];
  if (slo_.met_by(o)) ++met_slo_;
  record_server(o);
}

void llm_stats::record_server(const llm_observation& o) {
  const auto& s = o.server;
  if (s.queue_ms) server_queue_.record(ms_to_micros(*s.queue_ms));
  if (s.time_to_first_token_ms) {
    server_ttft_.record(ms_to_micros(*s.time_to_first_token_ms));
    if (o.ttft) ttft_minus_server_ttft_.record(histogram::to_micros(*o.ttft) - ms_to_micros(*s.time_to_first_token_ms));
  }
  if (s.time_per_output_token_ms) server_tpot_.record(ms_to_micros(*s.time_per_output_token_ms));
  if (s.inference_ms) server_inference_.record(ms_to_micros(*s.inference_ms));
  if (s.total_ms) {
    server_total_.record(ms_to_micros(*s.total_ms));
    e2e_minus_server_total_.record(histogram::to_micros(o.e2e) - ms_to_micros(*s.total_ms));
  }
}

void llm_stats::merge(const llm_stats& other) {
  if (!(slo_ == other.slo_))
    throw configuration_error{"cannot merge LLM statistics kept against different per-request SLOs"};
  successes_ += other.successes_;
  failures_ += other.failures_;
  for (auto [mine, theirs] : {std::pair{&ttft_, &other.ttft_}, {&inter_token_gap_, &other.inter_token_gap_},
                              {&tpot_, &other.tpot_}, {&e2e_, &other.e2e_},
                              {&output_tokens_, &other.output_tokens_}, {&server_queue_, &other.server_queue_},
                              {&server_ttft_, &other.server_ttft_},
                              {&server_tpot_, &other.server_tpot_}, {&server_inference_, &other.server_inference_},
                              {&server_total_, &other.server_total_},
                              {&ttft_minus_server_ttft_, &other.ttft_minus_server_ttft_},
                              {&e2e_minus_server_total_, &other.e2e_minus_server_total_}})
    mine->merge(*theirs);
  tokens_from_server_ += other.tokens_from_server_;
  tokens_counted_ += other.tokens_counted_;
  output_tokens_total_ += other.output_tokens_total_;
  prompt_tokens_total_ += other.prompt_tokens_total_;
  for (const auto& [reason, n] : other.finish_reasons_) finish_reasons_[reason] += n;
  met_slo_ += other.met_slo_;
}

// {"successes", "failures", "ttft_us": histogram, ..., "output_tokens": histogram,
//  "token_count_source": {"server", "counted"}, "output_tokens_total", "prompt_tokens_total",
//  "finish_reasons": {"length": n}, "slo": {...}, "met_slo"}
void to_json(nlohmann::json& j, const llm_stats& s) {
  j = {{"successes", s.successes_},
       {"failures", s.failures_},
       {"ttft_us", s.ttft_},
       {"inter_token_gap_us", s.inter_token_gap_},
       {"tpot_us", s.tpot_},
       {"e2e_us", s.e2e_},
       {"output_tokens", s.output_tokens_},
       {"server_queue_us", s.server_queue_},
       {"server_ttft_us", s.server_ttft_},
       {"server_tpot_us", s.server_tpot_},
       {"server_inference_us", s.server_inference_},
       {"server_total_us", s.server_total_},
       {"ttft_minus_server_ttft_us", s.ttft_minus_server_ttft_},
       {"e2e_minus_server_total_us", s.e2e_minus_server_total_},
       {"token_count_source", {{"server", s.tokens_from_server_}, {"counted", s.tokens_counted_}}},
       {"output_tokens_total", s.output_tokens_total_},
       {"prompt_tokens_total", s.prompt_tokens_total_},
       {"finish_reasons", s.finish_reasons_},
       {"slo", s.slo_},
       {"met_slo", s.met_slo_}};
}

void from_json(const nlohmann::json& j, llm_stats& s) {
  s = llm_stats{};
  j.at("successes").get_to(s.successes_);
  j.at("failures").get_to(s.failures_);
  j.at("ttft_us").get_to(s.ttft_);
  j.at("inter_token_gap_us").get_to(s.inter_token_gap_);
  j.at("tpot_us").get_to(s.tpot_);
  j.at("e2e_us").get_to(s.e2e_);
  j.at("output_tokens").get_to(s.output_tokens_);
  j.at("server_queue_us").get_to(s.server_queue_);
  j.at("server_ttft_us").get_to(s.server_ttft_);
  if (j.contains("server_tpot_us")) j.at("server_tpot_us").get_to(s.server_tpot_);  // added later: optional
  j.at("server_inference_us").get_to(s.server_inference_);
  j.at("server_total_us").get_to(s.server_total_);
  j.at("ttft_minus_server_ttft_us").get_to(s.ttft_minus_server_ttft_);
  j.at("e2e_minus_server_total_us").get_to(s.e2e_minus_server_total_);
  j.at("token_count_source").at("server").get_to(s.tokens_from_server_);
  j.at("token_count_source").at("counted").get_to(s.tokens_counted_);
  j.at("output_tokens_total").get_to(s.output_tokens_total_);
  j.at("prompt_tokens_total").get_to(s.prompt_tokens_total_);
  j.at("finish_reasons").get_to(s.finish_reasons_);
  j.at("slo").get_to(s.slo_);
  j.at("met_slo").get_to(s.met_slo_);
}

}  // namespace loadgate::llm
