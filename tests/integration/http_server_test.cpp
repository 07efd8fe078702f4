// The Beast server on a real loopback socket: bad requests get clear answers and the server
// keeps serving.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "http/http_server.hpp"
#include "test_support.hpp"

using namespace fulfil;
namespace asio = boost::asio;

namespace {

class HttpServerIt : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<http::HttpServer>(
        io,
        [](const http::Request& r) -> http::Response {
          if (r.path == "/boom") throw std::runtime_error("handler exploded");
          return {200, "text/plain",
                  r.method + " " + r.path + " q=" + (r.query.count("q") ? r.query.at("q") : "")};
        },
        http::ServerOptions{.body_limit = 1024});
    port = *server->listen("127.0.0.1", 0);
    thread = std::thread([this] {
      auto guard = asio::make_work_guard(io);
      io.run();
    });
  }
  void TearDown() override {
    io.stop();
    thread.join();
  }
  // Sends raw bytes, returns everything the server answered before closing or timing out.
  std::string raw(const std::string& bytes) {
    asio::io_context c;
    asio::ip::tcp::socket s(c);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    // The server may answer (413) and close before all is sent: that is not an error here.
    boost::system::error_code ec;
    asio::write(s, asio::buffer(bytes), ec);
    s.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    std::string out;
    asio::read(s, asio::dynamic_buffer(out), ec);
    return out;
  }
  std::string url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  asio::io_context io;
  std::unique_ptr<http::HttpServer> server;
  std::thread thread;
  unsigned short port = 0;
};

}  // namespace

TEST_F(HttpServerIt, ServesAndDecodesTheQuery) {
  auto r = test::http_get(url("/x?q=%E7%8E%8B%20%F0%9F%98%8A"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "GET /x q=王 😊");
}

TEST_F(HttpServerIt, GarbageGetsA400AndTheServerGoesOn) {
  auto answer = raw("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(answer.find("400"), std::string::npos) << answer;
  EXPECT_NE(answer.find("bad_request"), std::string::npos);
  EXPECT_EQ(test::http_get(url("/still")).status, 200);
}

TEST_F(HttpServerIt, AnOversizedBodyGetsA413) {
  std::string body(4096, 'x');
  auto answer =
      raw("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) +
          "\r\n\r\n" + body);
  EXPECT_NE(answer.find("413"), std::string::npos) << answer;
  EXPECT_EQ(test::http_get(url("/still")).status, 200);
}

TEST_F(HttpServerIt, AThrowingHandlerGetsA500AndTheServerGoesOn) {
  auto r = test::http_get(url("/boom"));
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("handler exploded"), std::string::npos);
  EXPECT_EQ(test::http_get(url("/after")).status, 200);
}

TEST_F(HttpServerIt, KeepsAConnectionAliveAcrossRequests) {
  auto answer = raw(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(answer.find("GET /a"), std::string::npos);
  EXPECT_NE(answer.find("GET /b"), std::string::npos);
}

namespace {

// Issue 21, item 10: HEAD answers as GET does, without the body, so the next answer on the
// connection is in step; the handler sees a GET.
TEST_F(HttpServerIt, Defect10_HeadAnswersHeadersOnlyAndKeepsTheConnectionInStep) {
  const std::string both =
      raw("HEAD /x?q=1 HTTP/1.1\r\nHost: a\r\n\r\nGET /y HTTP/1.1\r\nHost: a\r\nConnection: "
          "close\r\n\r\n");
  const auto second = both.find("HTTP/1.1", 1);
  ASSERT_NE(second, std::string::npos) << both;
  const std::string head = both.substr(0, second);
  EXPECT_NE(head.find("Content-Length: 10"), std::string::npos) << head;  // "GET /x q=1"
  EXPECT_TRUE(head.ends_with("\r\n\r\n")) << "no body after the headers: " << head;
  EXPECT_TRUE(both.ends_with("GET /y q=")) << both;
}

}  // namespace
