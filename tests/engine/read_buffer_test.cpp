#include <gtest/gtest.h>

#include <cstring>

#include "protocol/read_buffer.hpp"

namespace loadgate::protocol {
namespace {

std::size_t fill(read_buffer& b, std::string_view bytes) {
  auto room = b.prepare();
  const auto n = std::min(room.size(), bytes.size());
  std::memcpy(room.data(), bytes.data(), n);
  b.commit(n);
  return n;
}

std::string_view contents(const read_buffer& b) { return b.view(); }

TEST(ReadBuffer, KeepsUnparsedBytesAcrossReads) {
  read_buffer b;
  fill(b, "HTTP/1.1 200");
  b.consume(5);
  fill(b, " OK");
  EXPECT_EQ(contents(b), "1.1 200 OK");
}

TEST(ReadBuffer, GrowsAfterAFullRead) {
  read_buffer b;
  const auto first = b.prepare().size();
  EXPECT_EQ(first, read_buffer::initial_capacity);
  fill(b, std::string(first, 'x'));
  b.consume(first);
  EXPECT_EQ(b.prepare().size(), 2 * first);
}

TEST(ReadBuffer, KeepsALongHeaderWhole) {
  read_buffer b;
  const std::string header(3000, 'h');
  std::size_t written = 0;
  while (written < header.size()) written += fill(b, std::string_view{header}.substr(written));
  EXPECT_EQ(contents(b), header);
}

TEST(ReadBuffer, ReleaseFreesOnlyWhenEmpty) {
  read_buffer b;
  fill(b, "abc");
  b.release();
  EXPECT_EQ(contents(b), "abc");
  b.consume(3);
  b.release();
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.prepare().size(), read_buffer::initial_capacity);
}

}  // namespace
}  // namespace loadgate::protocol
