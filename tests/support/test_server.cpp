#include "support/test_server.hpp"

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace loadgate::testing {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string hex(std::size_t n) {
  char digits[20];
  const int length = std::snprintf(digits, sizeof digits, "%zx", n);
  return std::string(digits, static_cast<std::size_t>(length));
}

struct pem_pair {
  std::string certificate;
  std::string key;
};

std::string to_pem(int (*write)(BIO*, void*), void* object) {
  BIO* bio = BIO_new(BIO_s_mem());
  write(bio, object);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

// A throwaway certificate valid for an hour, for localhost and 127.0.0.1.
pem_pair self_signed_certificate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* names = X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  X509_add_ext(cert, names, -1);
  X509_EXTENSION_free(names);
  X509_sign(cert, key, EVP_sha256());
  pem_pair pair{to_pem([](BIO* b, void* c) { return PEM_write_bio_X509(b, static_cast<X509*>(c)); }, cert),
                to_pem([](BIO* b, void* k) {
                  return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr, nullptr);
                }, key)};
  X509_free(cert);
  EVP_PKEY_free(key);
  return pair;
}

}  // namespace

std::string seen_request::header(const std::string& name) const {
  for (const auto& [n, v] : headers)
    if (lower(n) == lower(name)) return v;
  return {};
}

struct test_server::impl {
  test_server_options options;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  asio::ssl::context tls{asio::ssl::context::tls_server};
  std::string server_name;  // guarded by last_mutex
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> connections{0};
  mutable std::mutex last_mutex;
  seen_request last;
  std::map<std::string, std::uint64_t> by_request;  // guarded by last_mutex
  std::vector<std::string> peers;  // guarded by last_mutex
  std::uint16_t port = 0;
  std::string certificate;  // PEM, with tls
  std::thread thread;
  // Parks the first hold_first requests; its expiry is moved when the last of them arrives, which
  // wakes every waiter at once. Only the server's own thread touches it.
  asio::steady_timer held{io, asio::steady_timer::time_point::max()};

  explicit impl(test_server_options o) : options{std::move(o)} {
    if (options.tls) {
      const auto pem = self_signed_certificate();
      certificate = pem.certificate;
      tls.use_certificate_chain(asio::buffer(pem.certificate));
      tls.use_private_key(asio::buffer(pem.key), asio::ssl::context::pem);
    }
    const tcp::endpoint loopback{asio::ip::make_address("127.0.0.1"), 0};
    acceptor.open(loopback.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(loopback);
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();
    asio::co_spawn(io, accept_loop(), asio::detached);
    thread = std::thread{[this] { io.run(); }};
  }

  ~impl() {
    io.stop();
    thread.join();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(nothrow);
      if (ec) co_return;
      ++connections;
      boost::system::error_code peer_error;
      const auto peer = socket.remote_endpoint(peer_error);
      {
        const std::lock_guard lock{last_mutex};
        peers.push_back(peer_error ? "" : peer.address().to_string());
      }
      if (options.tls) asio::co_spawn(io, serve_tls(std::move(socket)), asio::detached);
      else asio::co_spawn(io, serve_plain(std::move(socket)), asio::detached);
    }
  }

  void remember(const http::request<http::string_body>& request) {
    seen_request seen{std::string(request.method_string()), std::string(request.target()), {}, request.body()};
    for (const auto& field : request) seen.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    const std::lock_guard lock{last_mutex};
    ++by_request[seen.method + " " + seen.target + " " + seen.body];
    last = std::move(seen);
  }

  asio::awaitable<void> wait(std::chrono::milliseconds d) {
    asio::steady_timer timer{io, d};
    co_await timer.async_wait(nothrow);
  }

  asio::awaitable<void> serve_tls(tcp::socket socket) {
    asio::ssl::stream<tcp::socket> stream{std::move(socket), tls};
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, nothrow);
    if (ec) co_return;
    if (const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name)) {
      const std::lock_guard lock{last_mutex};
      server_name = name;
    }
    co_await serve_stream(stream);
  }

  asio::awaitable<void> serve_plain(tcp::socket socket) { co_await serve_stream(socket); }

  template <class Stream>
  asio::awaitable<void> serve_stream(Stream& socket) {
    boost::beast::flat_buffer buffer;
    for (std::uint64_t served = 1;; ++served) {
      http::request<http::string_body> request;
      auto [ec, n] = co_await http::async_read(socket, buffer, request, nothrow);
      if (ec) co_return;
      remember(request);
      const auto number = ++requests;
      if (options.hang_from != 0 && number >= options.hang_from) {
        co_await wait(std::chrono::hours{1});  // ended by the server's destructor
        co_return;
      }
      if (number < options.hold_first) co_await held.async_wait(nothrow);
      else if (number == options.hold_first) held.expires_at(asio::steady_timer::time_point::max());
      if (options.delay.count() > 0) co_await wait(options.delay);
      const bool last_one = options.close_after != 0 && served >= options.close_after;
      if (!co_await respond(socket, last_one && options.announce_close)) co_return;
      if (last_one || !request.keep_alive()) co_return;  // the socket closes with the frame
    }
  }

  template <class Stream>
  asio::awaitable<bool> respond(Stream& socket, bool announce_close) {
    std::string head = "HTTP/1.1 " + std::to_string(options.status) + " Test\r\nContent-Type: text/plain\r\n";
    if (announce_close) head += "Connection: close\r\n";
    if (options.chunks == 0) {
      head += "Content-Length: " + std::to_string(options.body.size()) + "\r\n\r\n";
      // The body is written from the options, not copied: a test of large bodies then measures the
      // client's memory, not copies of the body held by the server in the same process.
      const std::array<asio::const_buffer, 2> parts{asio::buffer(head), asio::buffer(options.body)};
      auto [ec, n] = co_await asio::async_write(socket, parts, nothrow);
      co_return !ec;
    }
    head += "Transfer-Encoding: chunked\r\n\r\n";
    if (auto [ec, n] = co_await asio::async_write(socket, asio::buffer(head), nothrow); ec) co_return false;
    const std::string& body = options.body;
    const std::size_t piece = std::max<std::size_t>(1, (body.size() + options.chunks - 1) / options.chunks);
    for (std::size_t at = 0; at < body.size(); at += piece) {
      if (at > 0 && options.chunk_delay.count() > 0) co_await wait(options.chunk_delay);
      const auto part = body.substr(at, piece);
      const std::string chunk = hex(part.size()) + "\r\n" + part + "\r\n";
      if (auto [ec, n] = co_await asio::async_write(socket, asio::buffer(chunk), nothrow); ec) co_return false;
    }
    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(std::string_view{"0\r\n\r\n"}), nothrow);
    co_return !ec;
  }
};

test_server::test_server(test_server_options options) : impl_{std::make_unique<impl>(std::move(options))} {}
test_server::~test_server() = default;

std::uint16_t test_server::port() const { return impl_->port; }
std::string test_server::certificate_pem() const { return impl_->certificate; }

std::string test_server::url() const {
  return (impl_->options.tls ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port());
}

std::string test_server::server_name() const {
  const std::lock_guard lock{impl_->last_mutex};
  return impl_->server_name;
}
std::uint64_t test_server::requests() const { return impl_->requests.load(); }
std::uint64_t test_server::connections() const { return impl_->connections.load(); }

std::vector<std::string> test_server::peer_addresses() const {
  const std::lock_guard lock{impl_->last_mutex};
  return impl_->peers;
}

std::map<std::string, std::uint64_t> test_server::requests_by_content() const {
  const std::lock_guard lock{impl_->last_mutex};
  return impl_->by_request;
}

seen_request test_server::last_request() const {
  const std::lock_guard lock{impl_->last_mutex};
  return impl_->last;
}

std::uint16_t unused_port() {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  return acceptor.local_endpoint().port();
}

}  // namespace loadgate::testing
