#include "loadgate/locust_files.hpp"

#include <array>
#include <string>

#include <fmt/format.h>

#include "detail/atomic_file.hpp"
#include "loadgate/time_breakdown.hpp"
#include "report/csv_text.hpp"
#include "report/figures.hpp"

namespace loadgate {
namespace fs = std::filesystem;
namespace {

using report::csv;
using row = std::vector<std::string>;

// Locust's percentile columns, in its order.
constexpr std::array<std::pair<double, const char*>, 11> locust_percentiles{
    {{50, "50%"}, {66, "66%"}, {75, "75%"}, {80, "80%"}, {90, "90%"}, {95, "95%"}, {98, "98%"}, {99, "99%"},
     {99.9, "99.9%"}, {99.99, "99.99%"}, {100, "100%"}}};

// µs as ms with three decimals: exact, since the histogram counts whole microseconds.
std::string ms_text(std::int64_t us) { return fmt::format("{}.{:03}", us / 1000, us % 1000); }
std::string ms_text(double ms) { return fmt::format("{:.3f}", ms); }
std::string number(double v) { return fmt::format("{}", v); }

std::string at(const histogram& h, double percent) {
  return h.empty() ? "N/A" : ms_text(h.value_at_percentile(percent));
}
std::string mean_of(const histogram& h) { return h.empty() ? "N/A" : ms_text(h.mean() / 1000.0); }
std::string min_of(const histogram& h) { return h.empty() ? "N/A" : ms_text(h.min()); }
std::string max_of(const histogram& h) { return h.empty() ? "N/A" : ms_text(h.max()); }

bool is_method(std::string_view word) {
  for (std::string_view m : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
    if (word == m) return true;
  return false;
}

std::string type_of(const std::string& name, const std::vector<std::string>& llm_names) {
  for (const auto& n : llm_names)
    if (n == name) return "POST";
  const auto space = name.find(' ');
  if (space != std::string::npos && is_method(std::string_view{name}.substr(0, space))) return name.substr(0, space);
  return "HTTP";
}

row stats_row(const std::string& type, const std::string& name, const tally& t, const result& r) {
  const auto& h = t.latency();
  row out{type,       name,       std::to_string(t.count()), std::to_string(t.failures()), at(h, 50), mean_of(h),
          min_of(h),  max_of(h),  "0",  number(report::per_second(t.count(), r)),
          number(report::per_second(t.failures(), r))};
  for (const auto& [p, label] : locust_percentiles) out.push_back(at(h, p));
  return out;
}

row with_percentile_headers(row head, const char* prefix = "") {
  for (const auto& [p, label] : locust_percentiles) head.push_back(std::string{prefix} + label);
  return head;
}

std::string stats_csv(const result& r, const std::vector<std::string>& llm_names) {
  std::vector<row> rows{with_percentile_headers({"Type", "Name", "Request Count", "Failure Count", "Median Response Time",
                                                 "Average Response Time", "Min Response Time", "Max Response Time",
                                                 "Average Content Size", "Requests/s", "Failures/s"})};
  for (const auto& [name, t] : report::by_request(r)) rows.push_back(stats_row(type_of(name, llm_names), name, t, r));
  rows.push_back(stats_row("", "Aggregated", r.total(), r));
  return csv(rows);
}

std::string history_csv(const result& r) {
  auto head = with_percentile_headers({"Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s"});
  for (const char* h : {"Total Request Count", "Total Failure Count", "Total Median Response Time",
                        "Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
                        "Total Average Content Size"})
    head.push_back(h);
  std::vector<row> rows{head};
  const auto windows = r.per_window();
  const auto& series = r.series.windows();
  const auto seconds = static_cast<double>(time_series::window_length.count());
  tally so_far;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const auto& w = windows[i];
    so_far.merge(w);
    const auto& h = w.latency();
    // The window's end, in whole Unix seconds as Locust writes them.
    row out{std::to_string((r.info.started_unix_ms + 1000 * (static_cast<std::int64_t>(i) + 1)) / 1000),
            std::to_string(i < series.size() ? series[i].active_users : 0), "", "Aggregated",
            number(static_cast<double>(w.count()) / seconds), number(static_cast<double>(w.failures()) / seconds)};
    for (const auto& [p, label] : locust_percentiles) out.push_back(at(h, p));
    const auto& total = so_far.latency();
    for (auto cell : {std::to_string(so_far.count()), std::to_string(so_far.failures()), at(total, 50), mean_of(total),
                      min_of(total), max_of(total), std::string{"0"}})
      out.push_back(std::move(cell));
    rows.push_back(std::move(out));
  }
  return csv(rows);
}

std::string failures_csv(const result& r, const std::vector<std::string>& llm_names) {
  std::vector<row> rows{{"Method", "Name", "Error", "Occurrences"}};
  for (const auto& [name, t] : report::by_request(r)) {
    for (const auto kind : all_failure_kinds) {
      if (t.failures(kind) == 0) continue;
      std::string error{to_string(kind)};
      if (const auto it = t.examples().find(kind); it != t.examples().end() && !it->second.empty())
        error += ": " + it->second.front();
      rows.push_back({type_of(name, llm_names), name, error, std::to_string(t.failures(kind))});
    }
  }
  return csv(rows);
}

std::string llm_csv(const result& r, const std::vector<std::string>& llm_names) {
  std::vector<row> rows{{"Name", "Request Count", "Failure Count", "TTFT 50%", "TTFT 90%", "TTFT 95%", "TTFT 99%",
                         "TPOT 50%", "TPOT 90%", "TPOT 95%", "TPOT 99%", "ITL 50%", "ITL 95%", "ITL 99%", "E2E 50%",
                         "E2E 95%", "E2E 99%", "Output Tokens/s", "Goodput/s", "Client-Server TTFT 50%",
                         "Client-Server TTFT 99%", "Client+Network ms", "Queue ms", "Adapter Load ms", "Prefill ms",
                         "Decode ms"}};
  const auto llm_row = [&r](const std::string& name, const tally& t) {
    row out{name, std::to_string(t.count()), std::to_string(t.failures())};
    const std::pair<measure, std::vector<double>> columns[] = {{measure::ttft, {50, 90, 95, 99}},
                                                               {measure::tpot, {50, 90, 95, 99}},
                                                               {measure::inter_token_gap, {50, 95, 99}},
                                                               {measure::e2e, {50, 95, 99}}};
    for (const auto& [m, percents] : columns)
      for (const double p : percents) out.push_back(at(t.of(m), p));
    out.push_back(number(report::per_second(t.output_tokens_total(), r)));
    out.push_back(number(report::per_second(t.met_slo(), r)));
    out.push_back(at(t.of(measure::ttft_minus_server_ttft), 50));
    out.push_back(at(t.of(measure::ttft_minus_server_ttft), 99));
    if (const auto b = breakdown_of(t)) {
      for (const double part : {b->client_network_ms, b->queue_ms, b->adapter_load_ms, b->prefill_ms, b->decode_ms})
        out.push_back(ms_text(part));
    } else {
      out.insert(out.end(), 5, "N/A");
    }
    return out;
  };
  tally all_llm;
  for (const auto& name : llm_names) {
    const auto t = r.total({.request = name});
    all_llm.merge(t);
    rows.push_back(llm_row(name, t));
  }
  if (!llm_names.empty()) rows.push_back(llm_row("Aggregated", all_llm));
  return csv(rows);
}

std::string adapters_csv(const result& r) {
  std::vector<row> rows{{"Adapter", "Use", "Request Count", "Failure Count", "Requests/s", "50%", "90%", "95%", "99%",
                         "100%", "TTFT 50%", "TTFT 95%"}};
  for (const auto& a : report::by_adapter(r)) {
    for (const auto& [use, t] : {std::pair{"all", &a.all}, {"cold", &a.cold}, {"warm", &a.warm}}) {
      const auto& h = t->latency();
      rows.push_back({report::adapter_label(a.id), use, std::to_string(t->count()), std::to_string(t->failures()),
                      number(report::per_second(t->count(), r)), at(h, 50), at(h, 90), at(h, 95), at(h, 99), max_of(h),
                      at(t->of(measure::ttft), 50), at(t->of(measure::ttft), 95)});
    }
  }
  return csv(rows);
}

}  // namespace

std::vector<fs::path> write_locust_files(const result& r, const fs::path& folder, std::string_view prefix) {
  const auto llm_names = report::llm_request_names(r);
  const std::string p{prefix};
  const std::pair<std::string, std::string> files[] = {
      {p + "_stats.csv", stats_csv(r, llm_names)},
      {p + "_stats_history.csv", history_csv(r)},
      {p + "_failures.csv", failures_csv(r, llm_names)},
      {p + "_exceptions.csv", csv({{"Count", "Message", "Traceback", "Nodes"}})},
      {p + "_llm.csv", llm_csv(r, llm_names)},
      {p + "_adapters.csv", adapters_csv(r)}};
  std::vector<fs::path> written;
  for (const auto& [name, text] : files) {
    detail::write_file_atomically(folder / name, text);
    written.push_back(folder / name);
  }
  return written;
}

}  // namespace loadgate
