#include "src/http/url.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

Url must_parse(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_TRUE(url.ok()) << text << ": " << (url.ok() ? "" : url.error().message);
  return url.ok() ? *url : Url{};
}

std::string error_of(std::string_view text) {
  auto url = parse_url(text);
  if (url.ok()) return "parsed as " + url->str();
  return url.error().message;
}

TEST(Url, SplitsAPlainHttpUrl) {
  Url url = must_parse("http://example.com/a/b?x=1&y=2#frag");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/a/b?x=1&y=2");
  EXPECT_FALSE(url.tls());
  EXPECT_EQ(url.authority(), "example.com");
  EXPECT_EQ(url.origin(), "http://example.com");
  EXPECT_EQ(url.str(), "http://example.com/a/b?x=1&y=2");
}

TEST(Url, HttpsDefaultsTo443AndUsesTls) {
  Url url = must_parse("https://example.com");
  EXPECT_EQ(url.port, 443);
  EXPECT_TRUE(url.tls());
  EXPECT_EQ(url.target, "/");
  EXPECT_EQ(url.str(), "https://example.com/");
}

TEST(Url, SchemeAndHostAreCaseInsensitive) {
  Url url = must_parse("HTTPS://Example.COM/Path");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.target, "/Path");  // the path is case-sensitive
  EXPECT_EQ(must_parse("hTtP://h/").scheme, "http");
}

TEST(Url, TargetDefaultsToSlashAndKeepsTheQuery) {
  EXPECT_EQ(must_parse("http://h").target, "/");
  EXPECT_EQ(must_parse("http://h/").target, "/");
  EXPECT_EQ(must_parse("http://h?q=1").target, "/?q=1");
  EXPECT_EQ(must_parse("http://h#top").target, "/");
  EXPECT_EQ(must_parse("http://h/p?#f").target, "/p?");
  EXPECT_EQ(must_parse("http://h/p?a=%20b#f?g").target, "/p?a=%20b");
  EXPECT_EQ(must_parse("http://h//double").target, "//double");
}

TEST(Url, ExplicitPorts) {
  Url url = must_parse("http://127.0.0.1:8080/x");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.authority(), "127.0.0.1:8080");
  EXPECT_EQ(url.origin(), "http://127.0.0.1:8080");
  EXPECT_EQ(must_parse("http://h:1/").port, 1);
  EXPECT_EQ(must_parse("http://h:65535/").port, 65535);
  EXPECT_EQ(must_parse("https://h:80/").authority(), "h:80");
  EXPECT_EQ(must_parse("http://h:443/").authority(), "h:443");
  // An empty port means the default (RFC 3986 3.2.3).
  EXPECT_EQ(must_parse("http://h:/").port, 80);
}

TEST(Url, DefaultPortIsOmittedFromTheAuthority) {
  Url url = must_parse("http://h:80/x");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.authority(), "h");
  EXPECT_EQ(url.str(), "http://h/x");
  EXPECT_EQ(url, must_parse("http://h/x"));
  EXPECT_EQ(must_parse("https://h:443").authority(), "h");
  EXPECT_EQ(must_parse("http://h:0080/").authority(), "h");
}

TEST(Url, Ipv6LiteralsAreBracketedInTheAuthorityOnly) {
  Url url = must_parse("http://[::1]:8080/p");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.authority(), "[::1]:8080");
  EXPECT_EQ(url.str(), "http://[::1]:8080/p");
  Url plain = must_parse("https://[2001:DB8::1]");
  EXPECT_EQ(plain.host, "2001:db8::1");
  EXPECT_EQ(plain.authority(), "[2001:db8::1]");
  EXPECT_EQ(plain.target, "/");
  EXPECT_EQ(must_parse("http://[::ffff:127.0.0.1]/").host, "::ffff:127.0.0.1");
}

TEST(Url, HostNamesAndAddresses) {
  EXPECT_EQ(must_parse("http://localhost:3000").host, "localhost");
  EXPECT_EQ(must_parse("http://my-host_1.example~x/").host, "my-host_1.example~x");
  EXPECT_EQ(must_parse("http://10.0.0.255/").host, "10.0.0.255");
  EXPECT_EQ(must_parse("http://1.example/").host, "1.example");
}

TEST(Url, WithTargetKeepsTheOrigin) {
  Url url = must_parse("https://h:8443/a?b");
  Url other = url.with_target("/c?d=e");
  EXPECT_EQ(other.str(), "https://h:8443/c?d=e");
  EXPECT_EQ(other.origin(), url.origin());
  EXPECT_EQ(url.target, "/a?b");
}

TEST(Url, RejectsOtherSchemes) {
  EXPECT_EQ(error_of("ftp://example.com/"),
            "invalid URL 'ftp://example.com/': only http and https are supported");
  EXPECT_EQ(error_of("ws://h/"), "invalid URL 'ws://h/': only http and https are supported");
  EXPECT_EQ(error_of("httpx://h/"), "invalid URL 'httpx://h/': only http and https are supported");
  EXPECT_EQ(error_of("://h/"), "invalid URL '://h/': only http and https are supported");
  EXPECT_EQ(error_of("example.com"),
            "invalid URL 'example.com': missing scheme; expected http:// or https://");
  EXPECT_EQ(error_of("localhost:8080/x"),
            "invalid URL 'localhost:8080/x': missing scheme; expected http:// or https://");
  EXPECT_EQ(error_of("http:/h/"),
            "invalid URL 'http:/h/': missing scheme; expected http:// or https://");
  EXPECT_EQ(error_of(""), "invalid URL '': missing scheme; expected http:// or https://");
}

TEST(Url, RejectsCredentialsWithoutEchoingThem) {
  const std::string reason =
      "credentials in URLs are not supported; use --header 'Authorization: ...'";
  EXPECT_EQ(error_of("http://user:hunter2pass@h/"), "invalid URL 'http://***@h/': " + reason);
  EXPECT_EQ(error_of("https://user@h:8443/"), "invalid URL 'https://***@h:8443/': " + reason);
  EXPECT_EQ(error_of("http://@h/"), "invalid URL 'http://***@h/': " + reason);
  EXPECT_EQ(error_of("http://user:p@ss@h/"), "invalid URL 'http://***@h/': " + reason);
  // An "@" in the path or query is not userinfo.
  EXPECT_EQ(must_parse("http://h/a@b?c=d@e").target, "/a@b?c=d@e");
}

// Whatever else is wrong with a URL that may hold credentials (an "@" after
// the scheme), the message shows nothing before its last "@" and quotes no
// part of it: a password with a "/", a space or no scheme at all is never
// printed.
TEST(Url, NeverEchoesWhatMayBeCredentials) {
  EXPECT_EQ(error_of("http://user:hunter2/pass@h/"), "invalid URL 'http://***@h/': invalid port");
  EXPECT_EQ(error_of("http://us!er:hunter2pass@h/"),
            "invalid URL 'http://***@h/': credentials in URLs are not supported; use --header "
            "'Authorization: ...'");
  EXPECT_EQ(error_of("http://user:hunter2 pass@h/"),
            "invalid URL 'http://***@h/': contains a space, control or non-ASCII character "
            "(percent-encode it)");
  EXPECT_EQ(error_of("user:hunter2pass@h/"),
            "invalid URL '***@h/': missing scheme; expected http:// or https://");
  EXPECT_EQ(error_of("ftp://user:hunter2pass@h/"),
            "invalid URL 'ftp://***@h/': only http and https are supported");
  EXPECT_EQ(error_of("http://[::1:hunter2pass@h]/"),
            "invalid URL 'http://***@h]/': credentials in URLs are not supported; use --header "
            "'Authorization: ...'");
  EXPECT_EQ(error_of("http://h:hunter2/x@y"), "invalid URL 'http://***@y': invalid port");
  for (std::string_view url :
       {"http://user:hunter2pass@h/", "http://u:hunter2pass/@h/", "http://u:hunter2pass?@h/",
        "http://u:hunter2pass#@h/", "hunter2pass@h", "http://[hunter2pass@h/",
        "http://u:hunter2pass\x01@h/", "http://h:hunter2pass/@x"})
    EXPECT_EQ(error_of(url).find("hunter2"), std::string::npos) << error_of(url);
}

TEST(Url, RejectsMissingHost) {
  EXPECT_EQ(error_of("http://"), "invalid URL 'http://': missing host");
  EXPECT_EQ(error_of("http:///path"), "invalid URL 'http:///path': missing host");
  EXPECT_EQ(error_of("http://:8080/"), "invalid URL 'http://:8080/': missing host");
  EXPECT_EQ(error_of("https://?q"), "invalid URL 'https://?q': missing host");
}

TEST(Url, RejectsInvalidPorts) {
  EXPECT_EQ(error_of("http://h:99999/"), "invalid URL 'http://h:99999/': invalid port '99999'");
  EXPECT_EQ(error_of("http://h:65536"), "invalid URL 'http://h:65536': invalid port '65536'");
  EXPECT_EQ(error_of("http://h:0/"), "invalid URL 'http://h:0/': invalid port '0'");
  EXPECT_EQ(error_of("http://h:-1/"), "invalid URL 'http://h:-1/': invalid port '-1'");
  EXPECT_EQ(error_of("http://h:+80/"), "invalid URL 'http://h:+80/': invalid port '+80'");
  EXPECT_EQ(error_of("http://h:http/"), "invalid URL 'http://h:http/': invalid port 'http'");
  EXPECT_EQ(error_of("http://h:123456789012345678901/"),
            "invalid URL 'http://h:123456789012345678901/': invalid port '123456789012345678901'");
  EXPECT_EQ(error_of("http://h:80:90/"), "invalid URL 'http://h:80:90/': invalid port '80:90'");
  EXPECT_EQ(error_of("http://[::1]:x/"), "invalid URL 'http://[::1]:x/': invalid port 'x'");
}

TEST(Url, RejectsBadHosts) {
  EXPECT_EQ(error_of("http://::1/"),
            "invalid URL 'http://::1/': IPv6 addresses must be in brackets, e.g. "
            "http://[::1]:8080/");
  EXPECT_EQ(error_of("http://[::1/"), "invalid URL 'http://[::1/': missing ']' after IPv6 address");
  EXPECT_EQ(error_of("http://[::1]x/"),
            "invalid URL 'http://[::1]x/': unexpected text after IPv6 address");
  EXPECT_EQ(error_of("http://[]/"), "invalid URL 'http://[]/': invalid IPv6 address ''");
  EXPECT_EQ(error_of("http://[zz::1]/"),
            "invalid URL 'http://[zz::1]/': invalid IPv6 address 'zz::1'");
  EXPECT_EQ(error_of("http://[fe80::1%25eth0]/"),
            "invalid URL 'http://[fe80::1%25eth0]/': invalid IPv6 address 'fe80::1%25eth0'");
  EXPECT_EQ(error_of("http://[127.0.0.1]/"),
            "invalid URL 'http://[127.0.0.1]/': invalid IPv6 address '127.0.0.1'");
  EXPECT_EQ(error_of("http://256.1.1.1/"),
            "invalid URL 'http://256.1.1.1/': invalid IPv4 address '256.1.1.1'");
  EXPECT_EQ(error_of("http://1.2.3/"), "invalid URL 'http://1.2.3/': invalid IPv4 address '1.2.3'");
  EXPECT_EQ(error_of("http://1.2.3.4./"),
            "invalid URL 'http://1.2.3.4./': invalid IPv4 address '1.2.3.4.'");
  EXPECT_EQ(error_of("http://ex!ample.com/"),
            "invalid URL 'http://ex!ample.com/': invalid host 'ex!ample.com'");
  EXPECT_EQ(error_of("http://h%41/"), "invalid URL 'http://h%41/': invalid host 'h%41'");
}

TEST(Url, RejectsSpacesControlsAndNonAsciiPrintingThemSafely) {
  const std::string reason = "contains a space, control or non-ASCII character (percent-encode it)";
  EXPECT_EQ(error_of("http://h/a b"), "invalid URL 'http://h/a b': " + reason);
  EXPECT_EQ(error_of(" http://h/"), "invalid URL ' http://h/': " + reason);
  EXPECT_EQ(error_of("http://h/\r\nX: y"), "invalid URL 'http://h/\\r\\nX: y': " + reason);
  EXPECT_EQ(error_of("http://h/\t"), "invalid URL 'http://h/\\x09': " + reason);
  EXPECT_EQ(error_of("http://h/caf\xc3\xa9"), "invalid URL 'http://h/caf\\xc3\\xa9': " + reason);
  EXPECT_EQ(error_of(std::string_view("http://h/\0", 10)),
            "invalid URL 'http://h/\\x00': " + reason);
}

}  // namespace
}  // namespace condspec
