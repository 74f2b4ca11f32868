#include "loadgate/tally.hpp"

#include <algorithm>
#include <numeric>

#include <nlohmann/json.hpp>

#include "detail/strict_json.hpp"

namespace loadgate {

namespace {

constexpr std::array<std::string_view, measure_count> measure_keys{
    "latency_us",          "latency_uncorrected_us", "ttft_us",           "inter_token_gap_us",
    "tpot_us",             "e2e_us",                 "output_tokens",     "server_queue_us",
    "server_ttft_us",      "server_tpot_us",         "server_inference_us", "server_total_us",
    "server_adapter_load_us", "ttft_minus_server_ttft_us", "e2e_minus_server_total_us"};

// What a client's TTFT compares with. The server's own TTFT, as LoRAX defines it, runs from the
// request's batch entry to the end of its prefill; the client waited through validation, the queue
// and any adapter load as well, which are total − inference. So the server's time from receipt to
// the first token is total − inference + TTFT, and nothing when the server sent less than that.
std::optional<std::chrono::nanoseconds> server_first_token_since_receipt(const observation& o) {
  if (!o.server_ttft || !o.server_total || !o.server_inference) return std::nullopt;
  return *o.server_total - *o.server_inference + *o.server_ttft;
}

}  // namespace

std::string_view to_string(measure m) { return measure_keys[static_cast<std::size_t>(m)]; }

std::optional<measure> measure_from_string(std::string_view key) {
  const auto it = std::find(measure_keys.begin(), measure_keys.end(), key);
  if (it == measure_keys.end()) return std::nullopt;
  return static_cast<measure>(it - measure_keys.begin());
}

std::string_view to_string(adapter_use u) {
  switch (u) {
    case adapter_use::warm: return "warm";
    case adapter_use::cold: return "cold";
    case adapter_use::unknown: return "unknown";
    case adapter_use::none: break;
  }
  return "none";
}

std::string_view to_string(token_count_source source) {
  switch (source) {
    case token_count_source::server: return "server";
    case token_count_source::counted: return "counted";
    case token_count_source::none: break;
  }
  return "none";
}

bool key_filter::matches(const tally_key& k) const {
  if (request && k.request != *request) return false;
  if (adapter && (k.use == adapter_use::none || k.adapter != *adapter)) return false;
  if (use && k.use != *use) return false;
  return true;
}

void tally::record(const observation& o) {
  if (o.failure) {
    ++failures_[static_cast<std::size_t>(*o.failure)];
    if (!o.cause.empty()) keep_example(*o.failure, o.cause);
    return;
  }
  ++successes_;
  const auto put = [this](measure m, std::chrono::nanoseconds d) { histograms_[static_cast<std::size_t>(m)].record(d); };
  put(measure::latency, o.latency);
  put(measure::latency_uncorrected, o.latency_uncorrected);
  if (o.met_slo) ++met_slo_;
  if (!o.llm) return;  // plain HTTP: nothing else was read
  if (o.ttft) put(measure::ttft, *o.ttft);
  for (const auto gap : o.inter_token_gaps) put(measure::inter_token_gap, gap);
  if (o.tpot) put(measure::tpot, *o.tpot);
  if (o.e2e) put(measure::e2e, *o.e2e);
  if (o.output_tokens) {
    histograms_[static_cast<std::size_t>(measure::output_tokens)].record(static_cast<std::int64_t>(*o.output_tokens));
    output_tokens_total_ += *o.output_tokens;
  }
  if (o.token_source == token_count_source::server) ++tokens_from_server_;
  if (o.token_source == token_count_source::counted) ++tokens_counted_;
  if (o.prompt_tokens) prompt_tokens_total_ += *o.prompt_tokens;
  if (o.finish_reason) ++finish_reasons_[*o.finish_reason];
  if (o.server_queue) put(measure::server_queue, *o.server_queue);
  if (o.server_ttft) put(measure::server_ttft, *o.server_ttft);
  if (const auto server_first_token = server_first_token_since_receipt(o); server_first_token && o.ttft)
    put(measure::ttft_minus_server_ttft, *o.ttft - *server_first_token);
  if (o.server_tpot) put(measure::server_tpot, *o.server_tpot);
  if (o.server_inference) put(measure::server_inference, *o.server_inference);
  if (o.server_adapter_load) put(measure::server_adapter_load, *o.server_adapter_load);
  if (o.server_total) {
    put(measure::server_total, *o.server_total);
    if (o.e2e) put(measure::e2e_minus_server_total, *o.e2e - *o.server_total);
  }
}

void tally::keep_example(failure_kind kind, const std::string& cause) {
  auto& kept = examples_[kind];
  if (kept.size() < max_examples && std::find(kept.begin(), kept.end(), cause) == kept.end()) kept.push_back(cause);
}

void tally::merge(const tally& other) {
  successes_ += other.successes_;
  for (std::size_t k = 0; k < failure_kind_count; ++k) failures_[k] += other.failures_[k];
  for (std::size_t m = 0; m < measure_count; ++m) histograms_[m].merge(other.histograms_[m]);
  met_slo_ += other.met_slo_;
  output_tokens_total_ += other.output_tokens_total_;
  prompt_tokens_total_ += other.prompt_tokens_total_;
  tokens_from_server_ += other.tokens_from_server_;
  tokens_counted_ += other.tokens_counted_;
  for (const auto& [reason, n] : other.finish_reasons_) finish_reasons_[reason] += n;
  for (const auto& [kind, causes] : other.examples_)
    for (const auto& cause : causes) keep_example(kind, cause);
}

std::uint64_t tally::failures() const {
  return std::accumulate(failures_.begin(), failures_.end(), std::uint64_t{0});
}

double tally::failure_rate() const {
  return count() == 0 ? 0.0 : static_cast<double>(failures()) / static_cast<double>(count());
}

tally sum(const tally_map& tallies, const key_filter& filter) {
  tally all;
  for (const auto& [key, t] : tallies)
    if (filter.matches(key)) all.merge(t);
  return all;
}

// ---- JSON ----------------------------------------------------------------------------------

void to_json(nlohmann::json& j, const tally& t) {
  j = nlohmann::json{{"successes", t.successes_}};
  auto failures = nlohmann::json::object();
  for (const auto kind : all_failure_kinds)
    if (t.failures(kind) != 0) failures[std::string{to_string(kind)}] = t.failures(kind);
  if (!failures.empty()) j["failures"] = std::move(failures);
  for (std::size_t m = 0; m < measure_count; ++m)
    if (!t.histograms_[m].empty()) j[std::string{measure_keys[m]}] = t.histograms_[m];
  const auto put_count = [&j](const char* key, std::uint64_t n) {
    if (n != 0) j[key] = n;
  };
  put_count("met_slo", t.met_slo_);
  put_count("output_tokens_total", t.output_tokens_total_);
  put_count("prompt_tokens_total", t.prompt_tokens_total_);
  put_count("token_counts_from_server", t.tokens_from_server_);
  put_count("token_counts_counted", t.tokens_counted_);
  if (!t.finish_reasons_.empty()) j["finish_reasons"] = t.finish_reasons_;
  if (!t.examples_.empty()) {
    auto& examples = j["examples"] = nlohmann::json::object();
    for (const auto& [kind, causes] : t.examples_) examples[std::string{to_string(kind)}] = causes;
  }
}

void from_json(const nlohmann::json& j, tally& out) {
  using namespace detail;
  constexpr std::string_view where = "tally";
  expect_object(j, where);
  tally t;
  for (const auto& [key, value] : j.items()) {
    if (key == "successes") t.successes_ = as_unsigned(value, where, key);
    else if (key == "failures" || key == "examples") {
      expect_object(value, "tally '" + key + "'");
      for (const auto& [name, v] : value.items()) {
        const auto kind = failure_kind_from_string(name);
        if (!kind) malformed(where, "unknown failure kind '" + name + "' in '" + key + "'");
        if (key == "failures") {
          t.failures_[static_cast<std::size_t>(*kind)] = as_unsigned(v, where, name);
          continue;
        }
        if (!v.is_array() || v.empty() || v.size() > tally::max_examples)
          malformed(where, "'examples' of '" + name + "' must be a list of 1 to 5 strings");
        auto& causes = t.examples_[*kind];
        for (const auto& c : v) {
          if (!c.is_string()) malformed(where, "'examples' of '" + name + "' must hold strings");
          if (std::find(causes.begin(), causes.end(), c.get<std::string>()) != causes.end())
            malformed(where, "'examples' of '" + name + "' lists a cause twice");
          causes.push_back(c.get<std::string>());
        }
      }
    } else if (const auto m = measure_from_string(key)) {
      t.histograms_[static_cast<std::size_t>(*m)] = value.get<histogram>();
    } else if (key == "met_slo") t.met_slo_ = as_unsigned(value, where, key);
    else if (key == "output_tokens_total") t.output_tokens_total_ = as_unsigned(value, where, key);
    else if (key == "prompt_tokens_total") t.prompt_tokens_total_ = as_unsigned(value, where, key);
    else if (key == "token_counts_from_server") t.tokens_from_server_ = as_unsigned(value, where, key);
    else if (key == "token_counts_counted") t.tokens_counted_ = as_unsigned(value, where, key);
    else if (key == "finish_reasons") {
      expect_object(value, "tally 'finish_reasons'");
      for (const auto& [reason, n] : value.items()) t.finish_reasons_[reason] = as_unsigned(n, where, reason);
    } else {
      malformed(where, "unknown field '" + key + "'");
    }
  }
  // The distributions hold successful requests only: latency exactly one sample per success.
  if (t.latency().count() != t.successes_ || t.of(measure::latency_uncorrected).count() != t.successes_)
    malformed(where, "the latency histograms must hold 'successes' (" + std::to_string(t.successes_) + ") samples");
  if (t.met_slo_ > t.successes_) malformed(where, "'met_slo' exceeds 'successes'");
  for (const auto& [kind, causes] : t.examples_)
    if (t.failures(kind) < causes.size())
      malformed(where, "'examples' of '" + std::string{to_string(kind)} + "' outnumber its failures");
  out = std::move(t);
}

nlohmann::json tallies_to_json(const tally_map& m) {
  auto list = nlohmann::json::array();
  for (const auto& [key, t] : m) {
    nlohmann::json entry = {{"request", key.request}, {"tally", t}};
    if (key.use != adapter_use::none) {
      entry["adapter"] = key.adapter;
      entry["use"] = to_string(key.use);
    }
    list.push_back(std::move(entry));
  }
  return list;
}

namespace {

adapter_use read_use(const nlohmann::json& entry, std::string_view where) {
  const auto it = entry.find("use");
  if (it == entry.end()) return adapter_use::none;
  return read_adapter_use(*it, where);
}

}  // namespace

adapter_use read_adapter_use(const nlohmann::json& value, std::string_view where) {
  if (value.is_string())
    for (const auto use : {adapter_use::warm, adapter_use::cold, adapter_use::unknown})
      if (value.get<std::string>() == to_string(use)) return use;
  detail::malformed(where, "field 'use' must be \"warm\", \"cold\" or \"unknown\", got " + value.dump());
}

tally_map tallies_from_json(const nlohmann::json& j, std::string_view where) {
  using namespace detail;
  if (!j.is_array()) malformed(where, "expected a list of {\"request\", \"adapter\", \"use\", \"tally\"}, got " + json_type(j));
  tally_map m;
  for (const auto& entry : j) {
    tally_key key;
    key.request = read_string(entry, where, "request");
    key.use = read_use(entry, where);
    if (key.use != adapter_use::none) key.adapter = read_string(entry, where, "adapter");
    const auto [it, inserted] = m.emplace(std::move(key), field(entry, where, "tally").get<tally>());
    if (!inserted) malformed(where, "request '" + it->first.request + "' is listed twice under one adapter");
  }
  return m;
}

}  // namespace loadgate
