#include <gtest/gtest.h>

#include "protocol/request_writer.hpp"

namespace loadgate::protocol {
namespace {

const request_prefix prefix{"127.0.0.1:8080", "/v1"};

TEST(RequestWriter, WritesAGetWithoutBody) {
  std::string out;
  write_request(out, http_request{"GET", "/health", {}, {}}, prefix);
  EXPECT_EQ(out, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: loadgate\r\n\r\n");
}

TEST(RequestWriter, JsonBodiesGetTypeAndLength) {
  std::string out;
  write_request(out, http_request{"POST", "generate", R"({"a":1})", {}}, prefix);
  EXPECT_EQ(out,
            "POST /v1/generate HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: loadgate\r\n"
            "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
}

TEST(RequestWriter, AnEmptyPostStillSaysItsLength) {
  std::string out;
  write_request(out, http_request{"POST", "/x", {}, {}}, {"h", ""});
  EXPECT_NE(out.find("Content-Length: 0\r\n"), std::string::npos);
  EXPECT_EQ(out.find("Content-Type"), std::string::npos);
}

TEST(RequestWriter, TheRequestsOwnHeadersWin) {
  std::string out;
  http_request r{"POST", "/x", "a=1", {{"content-type", "application/x-www-form-urlencoded"}, {"User-Agent", "me"}}};
  write_request(out, r, {"h", ""});
  EXPECT_EQ(out.find("application/json"), std::string::npos);
  EXPECT_EQ(out.find("loadgate"), std::string::npos);
  EXPECT_NE(out.find("content-type: application/x-www-form-urlencoded\r\n"), std::string::npos);
}

TEST(RequestWriter, ReusesTheBuffer) {
  std::string out;
  write_request(out, http_request{"GET", "/a", {}, {}}, prefix);
  const auto* storage = out.data();
  write_request(out, http_request{"GET", "/b", {}, {}}, prefix);
  EXPECT_EQ(out.data(), storage);
  EXPECT_EQ(out.rfind("GET /v1/b ", 0), 0u);
}

}  // namespace
}  // namespace loadgate::protocol
