#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/error.hpp"
#include "loadgate/target.hpp"

namespace loadgate {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::string message_of(std::string_view url) {
  try {
    target::parse(url);
  } catch (const configuration_error& e) {
    return e.what();
  }
  return "<valid>";
}

TEST(Target, ParsesHostPortAndBasePath) {
  const auto t = target::parse("http://127.0.0.1:8080/v1/");
  EXPECT_EQ(t.scheme, "http");
  EXPECT_EQ(t.host, "127.0.0.1");
  EXPECT_EQ(t.port, 8080);
  EXPECT_EQ(t.base_path, "/v1");
  EXPECT_TRUE(t.verify_certificates);
  EXPECT_EQ(t.url(), "http://127.0.0.1:8080/v1");
}

TEST(Target, DefaultPortsFollowTheScheme) {
  EXPECT_EQ(target::parse("http://example.com").port, 80);
  EXPECT_EQ(target::parse("HTTPS://example.com/").port, 443);
  EXPECT_EQ(target::parse("HTTPS://example.com/").scheme, "https");
  EXPECT_EQ(target::parse("https://example.com/").base_path, "");
}

TEST(Target, Ipv6LiteralsLoseAndRegainTheirBrackets) {
  const auto t = target::parse("http://[::1]:9000");
  EXPECT_EQ(t.host, "::1");
  EXPECT_EQ(t.url(), "http://[::1]:9000");
}

TEST(Target, RejectsWhatItCannotServe) {
  EXPECT_THAT(message_of("ftp://host/"), AllOf(HasSubstr("'ftp://host/'"), HasSubstr("unsupported scheme 'ftp'")));
  EXPECT_THAT(message_of("http://host:0/"), HasSubstr("port '0' is not a number from 1 to 65535"));
  EXPECT_THAT(message_of("http://host:70000/"), HasSubstr("port '70000'"));
  EXPECT_THAT(message_of("http:///path"), HasSubstr("the host is empty"));
  EXPECT_THAT(message_of("not a url"), HasSubstr("not an absolute URL"));
  EXPECT_THAT(message_of("http://user:pw@host/"), HasSubstr("credentials"));
  EXPECT_THAT(message_of("http://host/?q=1"), HasSubstr("query"));
}

TEST(Target, RoundTripsThroughUrl) {
  const auto t = target::parse("https://lorax.internal:8443/api");
  EXPECT_EQ(target::parse(t.url()), t);
}

}  // namespace
}  // namespace loadgate
