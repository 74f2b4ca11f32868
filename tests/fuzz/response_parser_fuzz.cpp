// The client's HTTP/1.1 response parser, on arbitrary bytes cut at arbitrary points: it must not
// crash, must read the bytes the same however they are cut (the reads of a real connection cut
// anywhere), and wherever Beast's parser (the one it replaced) reads a whole response, it must read
// the same status, fields, body and keep-alive.
//
// Input: one byte of flags (bit 0: the request was HEAD; bit 1: the server closes after the
// bytes), one byte that seeds where the cuts go, then the response's bytes.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string_view>
#include <vector>

#include "support/response_transcript.hpp"

namespace {

using loadgate::test_support::response_transcript;

void print(const char* which, const response_transcript& t) {
  std::fprintf(stderr, "--- %s: %s, %s, %zu bytes left over, %zu body bytes\n%s", which, to_string(t.end).c_str(),
               t.keep_alive ? "keep-alive" : "close", t.left_over, t.body.size(), t.fields.c_str());
}

void fail_unless(bool holds, const char* what, const response_transcript& a, const response_transcript& b) {
  if (holds) return;
  std::fprintf(stderr, "%s\n", what);
  print("one", a);
  print("other", b);
  std::abort();
}

// Where Beast departs from RFC 9112 and this parser follows it, Beast is not the reference: a
// Transfer-Encoding that does not end in chunked (or is not a list of tokens, which Beast
// rejects). Beast reads a Content-Length then, or reads to the close, or fails; the RFC (section
// 6.3, rule 4) has such a body run to the close, and a last coding of chunked be chunked.
bool beast_departs_from_the_rfc(const response_transcript& ours) {
  const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const auto trimmed = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  std::string_view fields = ours.fields;
  while (!fields.empty()) {
    const auto line = fields.substr(0, fields.find('\n'));
    fields.remove_prefix(std::min(fields.size(), line.size() + 1));
    const auto colon = line.find(':');
    std::string name{line.substr(0, colon)};
    std::transform(name.begin(), name.end(), name.begin(), lower);
    if (name != "transfer-encoding") continue;
    std::string_view list = line.substr(colon + 1);
    std::string last;
    while (!list.empty()) {
      const auto element = trimmed(list.substr(0, list.find(',')));
      list.remove_prefix(std::min(list.size(), list.find(',') == std::string_view::npos ? list.size() : list.find(',') + 1));
      if (element.empty()) continue;
      if (!std::all_of(element.begin(), element.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }))
        return true;
      last.assign(element);
    }
    std::transform(last.begin(), last.end(), last.begin(), lower);
    if (last != "chunked") return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool head = data[0] & 1;
  const bool then_close = data[0] & 2;
  std::uint32_t seed = data[1] | 0x100u;
  const std::string_view response{reinterpret_cast<const char*>(data) + 2, size - 2};

  std::vector<std::size_t> cuts;
  for (std::size_t at = 0; !response.empty() && cuts.size() < 16;) {
    seed = seed * 1103515245u + 12345u;  // any spread will do: the corpus bytes choose the seed
    at += 1 + (seed >> 16) % (response.size() / 4 + 1);
    if (at >= response.size()) break;
    cuts.push_back(at);
  }

  const auto whole = loadgate::test_support::parse_in_pieces(response, {}, head, then_close);
  const auto cut = loadgate::test_support::parse_in_pieces(response, cuts, head, then_close);
  fail_unless(whole == cut, "the cuts changed the result", whole, cut);

  auto beast = loadgate::test_support::parse_with_beast(response, head, then_close);
  // Beast keeps a connection after 101 Switching Protocols; this client speaks no other protocol.
  if (beast.fields.starts_with("status 101\n")) beast.keep_alive = false;
  // Beast reads a status below 100 (three digits, "002"); there is none (RFC 9110 section 15).
  const bool no_such_status = beast.fields.starts_with("status ") && beast.fields.find('\n') < 10;
  if (beast.end == response_transcript::ending::done && !no_such_status) {
    if (!beast_departs_from_the_rfc(whole)) {
      fail_unless(whole == beast, "Beast read it otherwise", whole, beast);
    } else if (whole.end != response_transcript::ending::malformed) {
      // The framing differs by design there (and with it what a trailer is); the status must not.
      const auto status_of = [](const std::string& fields) { return fields.substr(0, fields.find('\n')); };
      fail_unless(status_of(whole.fields) == status_of(beast.fields), "Beast read the status otherwise", whole, beast);
    }
  }
  return 0;
}
