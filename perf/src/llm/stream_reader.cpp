#include "loadgate/llm/stream_reader.hpp"

#include <algorithm>

#include "llm/error_body.hpp"

namespace loadgate::llm {
namespace {

bool success_status(unsigned status) { return status >= 200 && status < 300; }

// An error body bigger than this is cut: only its start is ever looked at.
constexpr std::size_t max_error_body = 64 * 1024;

}  // namespace

stream_reader::stream_reader(std::size_t max_event_size) : parser_{max_event_size} {
  observation_.streamed = true;
}

void stream_reader::on_status(unsigned status) { observation_.status = status; }

void stream_reader::on_body(std::string_view bytes, clock::time_point arrived) {
  if (!success_status(observation_.status)) {
    error_body_.append(bytes.substr(0, max_error_body - std::min(max_error_body, error_body_.size())));
    return;
  }
  if (failure_ || complete_) return;  // nothing after an error or the final event counts
  if (!parser_.feed(bytes, arrived, [this](const sse_event& e) { on_event(e); }))
    failure_ = failure_kind::protocol;
}

void stream_reader::on_event(const sse_event& event) {
  if (failure_ || complete_) return;
  auto chunk = classify_chunk(event.data);
  if (chunk.failure) {
    failure_ = chunk.failure;
    observation_.error_type = std::move(chunk.error_type);
    observation_.error_message = std::move(chunk.error_message);
    return;
  }
  if (chunk.content) on_content(event.arrived);
  if (chunk.finish_reason) observation_.finish_reason = std::move(chunk.finish_reason);
  if (chunk.generated_tokens) server_tokens_ = chunk.generated_tokens;
  if (chunk.prompt_tokens) observation_.prompt_tokens = chunk.prompt_tokens;
  if (chunk.timings) merge_event_timings(*chunk.timings);
  complete_ = chunk.final;
}

// Only what the event says replaces what the headers said (x-adapter-id stays, for example).
void stream_reader::merge_event_timings(const server_timing& t) {
  auto& s = observation_.server;
  for (auto [mine, theirs] : {std::pair{&s.queue_ms, &t.queue_ms}, {&s.time_to_first_token_ms, &t.time_to_first_token_ms},
                              {&s.time_per_token_ms, &t.time_per_token_ms},
                              {&s.time_per_output_token_ms, &t.time_per_output_token_ms},
                              {&s.inference_ms, &t.inference_ms}, {&s.total_ms, &t.total_ms},
                              {&s.adapter_load_ms, &t.adapter_load_ms}})
    if (*theirs) *mine = *theirs;
}

void stream_reader::on_content(clock::time_point arrived) {
  if (!first_content_) {
    first_content_ = arrived;
  } else {
    observation_.inter_token_gaps.push_back(arrived - last_content_);
  }
  last_content_ = arrived;
  ++observation_.content_events;
}

std::optional<failure_kind> stream_reader::finish(clock::time_point done) {
  auto& o = observation_;
  if (!success_status(o.status)) {
    error_body found;
    const auto kind = classify_error_response(o.status, error_body_, found);
    o.error_type = std::move(found.type);
    o.error_message = std::move(found.message);
    o.e2e = done - o.t0;
    return conclude(kind);
  }
  if (!failure_ && !complete_) failure_ = failure_kind::incomplete;

  if (first_content_) o.ttft = *first_content_ - o.t0;
  o.e2e = (first_content_ ? last_content_ : done) - o.t0;
  if (server_tokens_) {
    o.output_tokens = server_tokens_;
    o.token_source = token_count_source::server;
  }
  conclude(failure_);
  if (!o.output_tokens && o.content_events > 0) {
    o.output_tokens = o.content_events;
    o.token_source = token_count_source::counted;
  }
  if (o.ttft && o.output_tokens && *o.output_tokens > 1)
    o.tpot = (o.e2e - *o.ttft) / static_cast<std::int64_t>(*o.output_tokens - 1);
  return failure_;
}

}  // namespace loadgate::llm
