#include "cli/specs.hpp"

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "loadgate/duration_text.hpp"
#include "loadgate/error.hpp"
#include "loadgate/failure_kind.hpp"

namespace loadgate::cli {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

double parse_number(std::string_view text, std::string_view what) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw configuration_error(std::string{what} + ": '" + std::string{text} + "' is not a number");
  }
  return value;
}

[[noreturn]] void reject(std::string_view option, std::string_view spec, std::string_view expected) {
  throw configuration_error(std::string{option} + " '" + std::string{spec} + "': expected " + std::string{expected});
}

}  // namespace

double parse_percent(std::string_view text, std::string_view option) {
  if (!text.ends_with("%")) reject(option, text, "a percentage, e.g. 1% or 0.5%");
  const double value = parse_number(text.substr(0, text.size() - 1), option) / 100;
  if (value < 0 || value > 1) reject(option, text, "a percentage from 0% to 100%");
  return value;
}

think_time parse_think_time(std::string_view spec) {
  constexpr std::string_view expected =
      "none, constant:1s, between:500ms:1500ms, pacing:2s or throughput:0.5 (tasks per second per user)";
  const auto parts = split(spec, ':');
  const auto kind = parts[0];
  if (kind == "none" && parts.size() == 1) return think_time{};
  if (kind == "constant" && parts.size() == 2) return constant(parse_duration(parts[1]));
  if (kind == "between" && parts.size() == 3) {
    const auto low = parse_duration(parts[1]);
    const auto high = parse_duration(parts[2]);
    if (high < low) reject("--think", spec, "the lower bound first (between:LOW:HIGH)");
    return between(low, high);
  }
  if (kind == "pacing" && parts.size() == 2) return constant_pacing(parse_duration(parts[1]));
  if (kind == "throughput" && parts.size() == 2) {
    const double per_second = parse_number(parts[1], "--think throughput");
    if (per_second <= 0) reject("--think", spec, "a positive number of tasks per second");
    return constant_throughput(per_second);
  }
  reject("--think", spec, expected);
}

arrival_process parse_arrivals(std::string_view spec) {
  const auto parts = split(spec, ':');
  if (parts[0] == "constant" && parts.size() == 1) return arrival_process::constant();
  if (parts[0] == "poisson" && parts.size() == 1) return arrival_process::poisson();
  if (parts[0] == "gamma" && parts.size() == 2) {
    const double burstiness = parse_number(parts[1], "--arrivals gamma");
    if (burstiness <= 0) reject("--arrivals", spec, "a positive burstiness (1 = Poisson, < 1 burstier)");
    return arrival_process::gamma(burstiness);
  }
  reject("--arrivals", spec, "constant, poisson or gamma:BURSTINESS");
}

stage parse_stage(std::string_view spec) {
  const auto parts = split(spec, ':');
  if (parts.size() != 3) reject("--stage", spec, "TARGET:RAMP:HOLD, e.g. 100:10s:1m");
  const double target = parse_number(parts[0], "--stage target");
  if (target < 0) reject("--stage", spec, "a target of at least 0");
  return stage{target, parse_duration(parts[1]), parse_duration(parts[2])};
}

namespace {

// "[generate]", "[adapter:org/lora]", "[adapter:org/lora,cold]" after a metric; none is every request.
selection parse_selection(std::string_view inside, std::string_view spec) {
  constexpr std::string_view adapter_prefix = "adapter:";
  if (!inside.starts_with(adapter_prefix)) return selection::request(std::string{inside});
  auto id = inside.substr(adapter_prefix.size());
  auto temperature = selection::temperature::any;
  if (const auto comma = id.rfind(','); comma != std::string_view::npos) {
    const auto which = id.substr(comma + 1);
    if (which == "cold") temperature = selection::temperature::cold;
    else if (which == "warm") temperature = selection::temperature::warm;
    else reject("--slo", spec, "[adapter:ID], [adapter:ID,cold] or [adapter:ID,warm]");
    id = id.substr(0, comma);
  }
  if (id.empty()) reject("--slo", spec, "an adapter id in [adapter:ID]");
  return selection::adapter(std::string{id}, temperature);
}

// "p95", "p99.9", "max", "mean" of a distribution family.
metric distribution_metric(metric_family family, std::string_view statistic, selection which, std::string_view spec) {
  const distribution d{family, std::move(which)};
  if (statistic == "max") return maximum(d);
  if (statistic == "mean") return mean(d);
  if (statistic.starts_with("p") && statistic.size() > 1) {
    const double percent = parse_number(statistic.substr(1), "--slo percentile");
    if (percent <= 0 || percent > 100) reject("--slo", spec, "a percentile above 0 and at most 100 (p95, p99.9)");
    return percentile(d, percent);
  }
  reject("--slo", spec, "p50, p95, p99.9, max or mean");
}

}  // namespace

slo parse_slo(std::string_view spec) {
  constexpr std::string_view expected =
      "METRIC OP LIMIT, e.g. p95<500ms, ttft.p95<300ms, p99[generate]<=1s, failure_rate<1%, throughput>=50, achieved_rate>=99%, "
      "max(server.queue_length)<50";
  // The operator: the first of < <= > >= in the text.
  const auto op_at = spec.find_first_of("<>");
  if (op_at == std::string_view::npos || op_at == 0) reject("--slo", spec, expected);
  const bool or_equal = op_at + 1 < spec.size() && spec[op_at + 1] == '=';
  const comparison op = spec[op_at] == '<' ? (or_equal ? comparison::less_equal : comparison::less)
                                           : (or_equal ? comparison::greater_equal : comparison::greater);
  auto left = spec.substr(0, op_at);
  const auto limit = spec.substr(op_at + (or_equal ? 2 : 1));
  if (limit.empty()) reject("--slo", spec, expected);

  // max(server.NAME), mean(...), min(...): one of the server's scraped metrics.
  for (const auto& [name, stat] : {std::pair{"max", statistic::maximum}, {"mean", statistic::mean}, {"min", statistic::minimum}}) {
    const std::string open = std::string{name} + "(server.";
    if (!left.starts_with(open)) continue;
    if (!left.ends_with(")") || left.size() == open.size() + 1)
      reject("--slo", spec, std::string{name} + "(server.NAME) with a scraped metric's name, e.g. " + name + "(server.queue_length)<50");
    const auto series = left.substr(open.size(), left.size() - open.size() - 1);
    return make_slo(server_metric(std::string{series}, stat), op, parse_number(limit, "--slo limit"), metric_unit::number);
  }

  selection which;
  if (const auto open = left.find('['); open != std::string_view::npos) {
    if (!left.ends_with("]")) reject("--slo", spec, "a selection in brackets at the end: p95[generate]");
    which = parse_selection(left.substr(open + 1, left.size() - open - 2), spec);
    left = left.substr(0, open);
  }
  // family.statistic (latency. may be left out), or a rate family with an optional failure kind.
  metric m;
  constexpr std::string_view failure_prefix = "failure_rate";
  const auto distribution_of = [&](std::string_view family_name, metric_family family) {
    const std::string prefix = std::string{family_name} + ".";
    return left.starts_with(prefix) ? std::optional{distribution_metric(family, left.substr(prefix.size()), which, spec)}
                                    : std::nullopt;
  };
  if (left == failure_prefix || left.starts_with("failure_rate.")) {
    std::optional<failure_kind> kind;
    if (left.size() > failure_prefix.size()) {
      kind = failure_kind_from_string(left.substr(failure_prefix.size() + 1));
      if (!kind) reject("--slo", spec, "a failure kind after failure_rate. (timeout, http_5xx, ...)");
    }
    m = failure_rate(which, kind);
  } else if (left == "throughput") {
    m = throughput(which);
  } else if (left == "achieved_rate") {
    if (which != selection{}) reject("--slo", spec, "achieved_rate without a selection: arrivals are planned for the whole run");
    m = achieved_rate();
  } else if (left == "goodput") {
    m = goodput();
    m.selection = which;
  } else if (auto d = distribution_of("ttft", metric_family::ttft)) {
    m = *d;
  } else if (auto t = distribution_of("tpot", metric_family::tpot)) {
    m = *t;
  } else if (auto l = distribution_of("latency", metric_family::latency)) {
    m = *l;
  } else {
    m = distribution_metric(metric_family::latency, left, which, spec);
  }

  switch (m.unit()) {
    case metric_unit::microseconds: return make_slo(m, op, parse_duration(limit));
    case metric_unit::fraction: {
      if (!limit.ends_with("%")) reject("--slo", spec, "a rate limit in percent, e.g. 1%");
      return make_slo(m, op, percent(parse_number(limit.substr(0, limit.size() - 1), "--slo rate")));
    }
    case metric_unit::per_second: return make_slo(m, op, parse_number(limit, "--slo limit"));
    case metric_unit::number: break;  // server metrics returned above
  }
  reject("--slo", spec, expected);
}

}  // namespace loadgate::cli
