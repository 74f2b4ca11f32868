#include "loadgate/html_report.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "detail/environment.hpp"
#include "loadgate/gate/knee.hpp"
#include "loadgate/time_breakdown.hpp"
#include "report/figures.hpp"
#include "report/html_table.hpp"
#include "report/report_assets.hpp"
#include "report/tables.hpp"

namespace loadgate {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;
using report::escape_html;
using report::table_html;

std::string read_text(const fs::path& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A file as a page may hold it inline in <script> or <style>: no source-map comment (it would name a
// file the page cannot have) and no end tag of the element, in any case ("<\/script" means the same
// in the strings and regular expressions where it can occur in a script, "<\/style" in a style's
// strings; other "</" must stay as they are: `/</g` is a regular expression).
std::string inline_ready(std::string text, std::string_view element) {
  for (const std::string marker : {"//# sourceMappingURL=", "/*# sourceMappingURL="}) {
    if (const auto at = text.rfind(marker); at != std::string::npos) text.erase(at, text.find('\n', at) - at);
  }
  const std::string end_tag = "</" + std::string{element};
  for (std::size_t at = 0; at + end_tag.size() <= text.size(); ++at) {
    if (text[at] != '<' || text[at + 1] != '/') continue;
    bool same = true;
    for (std::size_t i = 2; i < end_tag.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(text[at + i])) == end_tag[i];
    if (same) text.replace(at, 2, "<\\/"), at += 2;
  }
  return text;
}

// ---- chart data ------------------------------------------------------------------------------

json ms_or_null(const histogram& h, double percent) {
  const auto v = report::ms_at(h, percent);
  return v ? json(*v) : json(nullptr);
}

json chart(std::string id, std::string title, std::string ylabel, std::vector<std::string> labels, json rows) {
  return {{"id", std::move(id)},       {"title", std::move(title)}, {"xlabel", "seconds since start"},
          {"ylabel", std::move(ylabel)}, {"labels", std::move(labels)}, {"data", std::move(rows)},
          {"x", "time"},                {"logy", false},            {"stacked", false}};
}

// The baseline's first repetition, window by window: runs of one scenario line up by position.
std::vector<tally> baseline_windows(const run_evidence& e) {
  if (!e.against || e.against->runs.empty()) return {};
  return e.against->runs.front().per_window();
}

std::vector<json> timeline_charts(const run_evidence& e) {
  const auto& r = e.current;
  const auto windows = r.per_window();
  const auto before = baseline_windows(e);
  const bool overlay = !before.empty();
  const auto& series = r.series.windows();
  json users = json::array(), throughput = json::array(), latency = json::array(), failures = json::array();
  std::vector<failure_kind> kinds;
  const auto total = r.total();
  for (const auto kind : all_failure_kinds)
    if (total.failures(kind) > 0) kinds.push_back(kind);
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const double t = static_cast<double>(i + 1);
    const auto& w = windows[i];
    users.push_back({t, i < series.size() ? series[i].active_users : 0});
    json rps{t, static_cast<double>(w.count()), static_cast<double>(w.failures())};
    json lat{t, ms_or_null(w.latency(), 50), ms_or_null(w.latency(), 95), ms_or_null(w.latency(), 99)};
    if (overlay) {
      rps.push_back(i < before.size() ? json(static_cast<double>(before[i].count())) : json(nullptr));
      lat.push_back(i < before.size() ? ms_or_null(before[i].latency(), 95) : json(nullptr));
    }
    throughput.push_back(std::move(rps));
    latency.push_back(std::move(lat));
    json f{t};
    if (kinds.empty()) f.push_back(0);
    for (const auto kind : kinds) f.push_back(w.failures(kind));
    failures.push_back(std::move(f));
  }
  std::vector<std::string> throughput_labels{"t", "requests/s", "failures/s"};
  std::vector<std::string> latency_labels{"t", "p50", "p95", "p99"};
  if (overlay) throughput_labels.push_back("baseline requests/s"), latency_labels.push_back("baseline p95");
  std::vector<std::string> failure_labels{"t"};
  if (kinds.empty()) failure_labels.push_back("failures");
  for (const auto kind : kinds) failure_labels.push_back(std::string{to_string(kind)});

  std::vector<json> out;
  out.push_back(chart("users", "Users (closed) or requests in flight (open)", "users", {"t", "users"}, users));
  out.push_back(chart("throughput", "Requests per second", "per second", throughput_labels, throughput));
  auto lat = chart("latency", "Latency per second, successful requests", "ms", latency_labels, latency);
  lat["logy"] = true;
  out.push_back(std::move(lat));
  auto fail = chart("failures", "Failures per second, by kind", "per second", failure_labels, failures);
  fail["stacked"] = true;
  out.push_back(std::move(fail));
  return out;
}

// What the server said of itself, scraped every second (time_window::server): one chart per
// metric, since their scales have nothing in common (a queue of 3 beside 1,536 reserved tokens).
std::vector<json> server_charts(const result& r) {
  std::vector<json> out;
  for (const auto& [name, figures] : report::server_metrics(r)) {
    json rows = json::array();
    const auto& windows = r.series.windows();
    for (std::size_t i = 0; i < windows.size(); ++i)
      if (const auto it = windows[i].server.find(name); it != windows[i].server.end())
        rows.push_back({static_cast<double>(i + 1), it->second});
    out.push_back(chart("server-" + name, "Server: " + name + " (scraped every second)", name, {"t", name}, std::move(rows)));
  }
  return out;
}

// HDR percentile plot: x = 1 / (1 − p) on a log axis, so the tail gets the room it deserves.
constexpr double plotted_percentiles[] = {0, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 99.999};

json percentile_chart(std::string id, std::string title, const std::vector<std::pair<std::string, const histogram*>>& lines) {
  std::vector<std::string> labels{"percentile"};
  for (const auto& [label, h] : lines) labels.push_back(label);
  json rows = json::array();
  for (const double p : plotted_percentiles) {
    json point{1.0 / (1.0 - p / 100.0)};
    for (const auto& [label, h] : lines) point.push_back(ms_or_null(*h, p));
    rows.push_back(std::move(point));
  }
  auto c = chart(std::move(id), std::move(title), "ms", std::move(labels), std::move(rows));
  c["x"] = "percentile";
  c["xlabel"] = "percentile";
  c["logy"] = true;
  return c;
}

std::vector<json> distribution_charts(const run_evidence& e, const result& baseline_pool) {
  std::vector<json> out;
  const auto current = e.current.total();
  const auto before = baseline_pool.total();
  const bool overlay = e.against.has_value();
  std::vector<std::pair<std::string, const histogram*>> lat{{"current", &current.latency()}};
  if (overlay) lat.emplace_back("baseline", &before.latency());
  out.push_back(percentile_chart("latency_distribution", "Latency distribution", lat));
  if (!current.of(measure::ttft).empty()) {
    std::vector<std::pair<std::string, const histogram*>> ttft{{"current", &current.of(measure::ttft)}};
    if (overlay) ttft.emplace_back("baseline", &before.of(measure::ttft));
    out.push_back(percentile_chart("ttft_distribution", "Time to first token distribution", ttft));
  }
  if (!e.current.adapters().empty()) {
    const auto cold = e.current.total({.use = adapter_use::cold});
    const auto warm = e.current.total({.use = adapter_use::warm});
    const auto unknown = e.current.total({.use = adapter_use::unknown});
    std::vector<std::pair<std::string, const histogram*>> lines{{"cold", &cold.latency()}, {"warm", &warm.latency()}};
    // A server that does not say when it loads an adapter (LoRAX) leaves its requests neither.
    // (Failed requests carry no signal from any server: they are not in these latencies.)
    if (unknown.successes() > 0) lines.emplace_back("unknown (the server did not say)", &unknown.latency());
    out.push_back(percentile_chart("adapter_latency", "Latency of adapter requests, cold against warm", lines));
  }
  return out;
}

std::vector<json> breakdown_charts(const result& r) {
  if (!breakdown_of(r.total())) return {};
  json rows = json::array();
  const auto windows = r.per_window();
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const double t = static_cast<double>(i + 1);
    if (const auto b = breakdown_of(windows[i]))
      rows.push_back({t, b->client_network_ms, b->queue_ms, b->adapter_load_ms, b->prefill_ms, b->decode_ms});
    else
      rows.push_back({t, nullptr, nullptr, nullptr, nullptr, nullptr});
  }
  auto c = chart("time_breakdown", "Where the time went (mean per request, per second)", "ms",
                 {"t", "client + network", "queue", "adapter load", "prefill", "decode"}, rows);
  c["stacked"] = true;
  return {c};
}

// Staged runs: p50 latency and throughput against users, each with its two-segment fit, so that
// the hinge the Knees table names can be seen (loadgate/gate/knee.hpp).
std::vector<json> knee_charts(const result& r) {
  if (!has_load_stages(r)) return {};
  const auto k = find_knees(r);
  if (k.levels.empty()) return {};
  json latency = json::array(), throughput = json::array();
  for (const auto& l : k.levels) {
    latency.push_back({l.load, l.p50_latency_us / 1000,
                       k.latency_fit.ok ? json(k.latency_fit.at(l.load) / 1000) : json(nullptr)});
    throughput.push_back({l.load, l.throughput, k.throughput_fit.ok ? json(k.throughput_fit.at(l.load)) : json(nullptr)});
  }
  const auto against_users = [](std::string id, std::string curve, const knee& found, std::string ylabel,
                                 std::string series, json rows) {
    const auto title = curve + " against users" + (found.found ? ", knee at " + report::users_text(found.load) : ", no knee");
    auto c = chart(std::move(id), title, std::move(ylabel), {"users", std::move(series), "two-segment fit"}, std::move(rows));
    c["x"] = "users";
    c["xlabel"] = "users";
    return c;
  };
  return {against_users("knee_latency", "p50 latency", k.latency, "ms", "p50", std::move(latency)),
          against_users("knee_throughput", "Throughput", k.throughput, "per second", "requests/s", std::move(throughput))};
}

// ---- the page ----------------------------------------------------------------------------------

// Collects errors from the first moment, so that the check element reports the library's too.
constexpr std::string_view error_catcher =
    "window.loadgateErrors=[];"
    "window.addEventListener('error',function(e){loadgateErrors.push(String(e.message||e));});"
    "document.addEventListener('securitypolicyviolation',function(e){loadgateErrors.push('blocked by the page policy: '+e.blockedURI);});"
    "(function(){var o=console.error;console.error=function(){loadgateErrors.push(Array.prototype.join.call(arguments,' '));o.apply(console,arguments);};})();";

}  // namespace

fs::path dygraphs_folder() {
  if (auto dir = detail::env_value("LOADGATE_DYGRAPHS_DIR"); dir && !dir->empty()) return *dir;
  return LOADGATE_DYGRAPHS_DEFAULT_DIR;
}

std::string html_report(const run_evidence& e) {
  const auto& r = e.current;
  const result baseline_pool = e.against ? e.against->merged() : result{};
  std::vector<json> charts = timeline_charts(e);
  for (auto& c : server_charts(r)) charts.push_back(std::move(c));
  for (auto& c : distribution_charts(e, baseline_pool)) charts.push_back(std::move(c));
  for (auto& c : breakdown_charts(r)) charts.push_back(std::move(c));
  for (auto& c : knee_charts(r)) charts.push_back(std::move(c));

  const auto library = inline_ready(read_text(dygraphs_folder() / "dygraph.min.js"), "script");
  const auto library_css = inline_ready(read_text(dygraphs_folder() / "dygraph.min.css"), "style");
  const auto state = report::state_of(e);
  const bool unsure = (e.gate && e.gate->decision && e.gate->decision->rerun()) || r.info.interrupted || r.info.client_bound();

  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may be fetched: the file must stand alone, wherever it is opened.
  page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
          "style-src 'unsafe-inline'; img-src data:\">\n";
  page += "<title>loadgate: " + escape_html(r.info.scenario) + "</title>\n";
  page += "<script>" + std::string{error_catcher} + "</script>\n";
  page += "<style>" + library_css + "\n" + std::string{report::report_css} + "</style>\n";
  if (!library.empty()) page += "<script>" + library + "</script>\n";
  page += "</head>\n<body>\n";
  page += "<h1>loadgate: " + escape_html(r.info.scenario) + "</h1>\n";
  page += std::string{"<p class=\"state "} + (unsure ? "unsure" : e.passed() ? "good" : "bad") + "\">" + escape_html(state) + "</p>\n";
  page += "<p class=\"note\">" + escape_html(report::run_description(r)) + "</p>\n";
  if (library.empty())
    page += "<p class=\"note\">No charts: dygraphs was not found in " + escape_html(dygraphs_folder().string()) +
            " when this report was written. Install libjs-dygraphs (or set LOADGATE_DYGRAPHS_DIR) and run "
            "<code>loadgate report</code> on this folder.</p>\n";
  page += "<div class=\"charts\">\n";
  for (const auto& c : charts) page += "<div class=\"chart\" id=\"chart-" + c["id"].get<std::string>() + "\"></div>\n";
  page += "</div>\n";
  for (const auto& t : report::tables_of(e)) page += table_html(t);
  page += "<h2>Definitions</h2>\n<p class=\"note\">Latency runs from the intended start (open model) or the send "
          "(closed model) to the response's end; percentiles come from HDR histograms exact to 0.1 %, per second and "
          "for the whole run. TTFT: first content event − start. TPOT: (last − first content event) / (tokens − 1). "
          "Inter-token gap: every gap between content events, pooled. Cold: the run's first request to an adapter, or "
          "one the server said it loaded the adapter for.</p>\n";
  page += "<pre id=\"loadgate-check\" hidden></pre>\n";
  // Every '<' as \u003c: nothing in the data can end the element or open a comment.
  std::string data;
  for (const char c : json{{"charts", charts}}.dump()) data += c == '<' ? std::string{"\\u003c"} : std::string{c};
  page += "<script type=\"application/json\" id=\"loadgate-data\">" + data + "</script>\n";
  page += "<script>" + std::string{report::report_js} + "</script>\n";
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace loadgate
