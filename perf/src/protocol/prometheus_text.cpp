#include "protocol/prometheus_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace loadgate::protocol {
namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// One line at a time, with the position of the next character to read.
class line_reader {
 public:
  line_reader(std::string_view line, std::size_t number) : line_{line}, number_{number} {}

  [[noreturn]] void fail(const std::string& what) const {
    throw prometheus_text_error{"line " + std::to_string(number_) + ": " + what};
  }
  bool done() const { return at_ >= line_.size(); }
  char peek() const { return done() ? '\0' : line_[at_]; }
  void skip_blanks() {
    while (!done() && (line_[at_] == ' ' || line_[at_] == '\t')) ++at_;
  }
  void expect(char c, const std::string& context) {
    if (peek() != c) fail("expected '" + std::string(1, c) + "' " + context);
    ++at_;
  }

  // Metric names may hold colons (recording rules, vLLM's "vllm:num_requests_running"); label
  // names may not.
  std::string name(bool colons, const char* what) {
    const auto start = at_;
    if (done() || !(is_name_start(line_[at_]) || (colons && line_[at_] == ':'))) fail(std::string("expected ") + what);
    while (!done() && (is_name_start(line_[at_]) || is_digit(line_[at_]) || (colons && line_[at_] == ':'))) ++at_;
    return std::string{line_.substr(start, at_ - start)};
  }

  std::string quoted(const std::string& label) {
    expect('"', "to open the value of the label '" + label + "'");
    std::string value;
    for (;;) {
      if (done()) fail("the value of the label '" + label + "' is not closed by '\"'");
      const char c = line_[at_++];
      if (c == '"') return value;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (done()) fail("the value of the label '" + label + "' ends in an escape");
      const char escaped = line_[at_++];
      if (escaped == 'n') value += '\n';
      else if (escaped == '\\' || escaped == '"') value += escaped;
      else fail("unknown escape '\\" + std::string(1, escaped) + "' in the label '" + label + "'");
    }
  }

  std::string_view token() {
    const auto start = at_;
    while (!done() && line_[at_] != ' ' && line_[at_] != '\t') ++at_;
    return line_.substr(start, at_ - start);
  }

 private:
  std::string_view line_;
  std::size_t number_;
  std::size_t at_ = 0;
};

double value_of(std::string_view text, const line_reader& in) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  double value = 0;
  // from_chars takes no leading '+'; the format allows one.
  const auto digits = !text.empty() && text.front() == '+' ? text.substr(1) : text;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || std::isnan(value) || std::isinf(value))
    in.fail("'" + std::string{text} + "' is not a sample value (a number, NaN, +Inf or -Inf)");
  return value;
}

void read_type_comment(line_reader& in) {
  in.skip_blanks();
  in.name(true, "a metric name after '# TYPE'");
  in.skip_blanks();
  const auto type = in.token();
  if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" && type != "untyped")
    in.fail("'" + std::string{type} + "' is not a metric type (counter, gauge, histogram, summary, untyped)");
  in.skip_blanks();
  if (!in.done()) in.fail("unexpected text after the metric type");
}

prometheus_sample read_sample(line_reader& in) {
  prometheus_sample s;
  s.name = in.name(true, "a metric name");
  in.skip_blanks();
  if (in.peek() == '{') {
    in.expect('{', "");
    for (;;) {
      in.skip_blanks();
      if (in.peek() == '}') break;
      auto label = in.name(false, "a label name or '}'");
      in.skip_blanks();
      in.expect('=', "after the label name '" + label + "'");
      in.skip_blanks();
      auto value = in.quoted(label);
      s.labels.emplace_back(std::move(label), std::move(value));
      in.skip_blanks();
      if (in.peek() != ',') break;
      in.expect(',', "");
    }
    in.skip_blanks();
    in.expect('}', "to close the labels of '" + s.name + "'");
  }
  in.skip_blanks();
  const auto value = in.token();
  if (value.empty()) in.fail("the sample '" + s.name + "' has no value");
  s.value = value_of(value, in);
  in.skip_blanks();
  if (!in.done()) {
    const auto stamp = in.token();
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), ms);
    if (ec != std::errc{} || end != stamp.data() + stamp.size())
      in.fail("'" + std::string{stamp} + "' is not a timestamp (whole milliseconds)");
    s.timestamp_ms = ms;
    in.skip_blanks();
    if (!in.done()) in.fail("unexpected text after the timestamp");
  }
  return s;
}

}  // namespace

std::vector<prometheus_sample> parse_prometheus_text(std::string_view text) {
  // The format ends every line with a line feed: text without one at its end was cut short, and
  // its last number may be cut too (12345 read as 123).
  if (!text.empty() && text.back() != '\n')
    throw prometheus_text_error{"the text does not end with a line feed: it was cut short"};
  std::vector<prometheus_sample> samples;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line_reader in{line, number};
    in.skip_blanks();
    if (in.done()) continue;
    if (in.peek() == '#') {
      in.expect('#', "");
      in.skip_blanks();
      if (in.token() == "TYPE") read_type_comment(in);
      continue;  // HELP and other comments carry nothing a run reads
    }
    samples.push_back(read_sample(in));
  }
  return samples;
}

}  // namespace loadgate::protocol
