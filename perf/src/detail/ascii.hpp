#pragma once
// ASCII text helpers for protocol fields (names are case-insensitive; values are padded with
// spaces and tabs): written once here for the request writer, the response parser and the
// server-timing reader.
#include <string_view>

namespace loadgate::detail {

// Case-insensitive equality, ASCII letters only (field names are ASCII).
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    const auto lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c; };
    if (lower(x) != lower(y)) return false;
  }
  return true;
}

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Without the spaces and tabs around it (RFC 9110's OWS).
inline std::string_view trim_blanks(std::string_view s) {
  const char* begin = s.data();
  const char* end = begin + s.size();
  while (begin != end && is_blank(*begin)) ++begin;
  while (end != begin && is_blank(end[-1])) --end;
  return {begin, static_cast<std::size_t>(end - begin)};
}

}  // namespace loadgate::detail
