#pragma once
// GoogleTest / GoogleMock matchers:
//   EXPECT_THAT(result, loadgate::meets(p95("generate") < 450ms, failure_rate() < 1_percent));
//   EXPECT_THAT(outcome, loadgate::meets(...));  // a gated_outcome: its runs pooled
//   EXPECT_THAT(result, loadgate::meets(...).against(stored_baseline));  // messages show baseline values
//   EXPECT_THAT(decision, loadgate::gate_passed());
// Header-only on purpose: the library does not link GoogleTest; only test binaries do.
#include <concepts>
#include <memory>
#include <ostream>
#include <vector>

#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/gate.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "loadgate/gate/slo.hpp"

namespace loadgate {

class slo_matcher {
 public:
  using is_gtest_matcher = void;

  explicit slo_matcher(std::vector<slo> slos) : slos_{std::move(slos)} {}

  // Failure messages then show each metric's value in the baseline.
  slo_matcher against(const baseline& b) const {
    slo_matcher copy = *this;
    copy.baseline_ = std::make_shared<const result>(b.merged());
    return copy;
  }

  bool MatchAndExplain(const result& r, std::ostream* os) const { return explain(checks_on(r), os); }

  // A gated outcome (loadgate/scenario_runner.hpp; a template, since the gate box does not know
  // that box): the SLOs are checked on every run the gate saw, pooled, and handed to the outcome
  // so its evidence (report.html, gate.json) shows them. When no run was made (a missing or stale
  // baseline) there is nothing to check, and the expectation fails saying so instead of throwing
  // or passing unseen.
  template <class Outcome>
    requires requires(const Outcome& o, const std::vector<slo_check>& checks) {
      { o.ran() } -> std::convertible_to<bool>;
      { o.pooled() } -> std::convertible_to<result>;
      o.message;
      o.report_slo_checks(checks);
      o.evidence;
    }
  bool MatchAndExplain(const Outcome& o, std::ostream* os) const {
    if (!o.ran()) {
      if (os) *os << "no run was made, so no SLO was checked: " << o.message;
      return false;
    }
    const auto checks = checks_on(o.pooled());
    o.report_slo_checks(checks);
    const bool met = explain(checks, os);
    if (os && !o.evidence.empty()) *os << "\n  evidence: " << (o.evidence / "report.html").string();
    return met;
  }

  void DescribeTo(std::ostream* os) const {
    *os << "meets " << slos_.size() << " SLOs:";
    for (const auto& s : slos_) *os << "\n  " << s.description();
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "fails at least one of:";
    for (const auto& s : slos_) *os << "\n  " << s.description();
  }

 private:
  std::vector<slo_check> checks_on(const result& r) const {
    std::vector<slo_check> checks;
    for (const auto& s : slos_) checks.push_back(check(s, r, baseline_.get()));
    return checks;
  }

  bool explain(const std::vector<slo_check>& checks, std::ostream* os) const {
    std::vector<const slo_check*> failed, met;
    for (const auto& c : checks) (c.met ? met : failed).push_back(&c);
    if (os) {
      if (!failed.empty()) {
        *os << failed.size() << " of " << checks.size() << " SLOs failed:";
        for (const auto* c : failed) *os << "\n  " << c->message();
      } else {
        *os << "all " << checks.size() << " SLOs met:";
        for (const auto* c : met) *os << "\n  " << c->message();
      }
    }
    return failed.empty() && !checks.empty();  // an empty set of SLOs asserts nothing: fail it
  }

  std::vector<slo> slos_;
  std::shared_ptr<const result> baseline_;
};

inline slo_matcher meets(std::vector<slo> slos) { return slo_matcher{std::move(slos)}; }
template <class... Slo>
slo_matcher meets(Slo... slos) {
  return slo_matcher{std::vector<slo>{std::move(slos)...}};
}

class gate_matcher {
 public:
  using is_gtest_matcher = void;

  bool MatchAndExplain(const gate_decision& d, std::ostream* os) const {
    if (os) *os << format_decision(d);
    return d.passed();
  }
  void DescribeTo(std::ostream* os) const { *os << "passes the baseline gate"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "fails the baseline gate"; }
};

inline gate_matcher gate_passed() { return {}; }

}  // namespace loadgate
