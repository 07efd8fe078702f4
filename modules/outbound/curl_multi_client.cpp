#include "outbound/curl_multi_client.hpp"

#include <curl/curl.h>
#include <unistd.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <set>

#include "common/log.hpp"
#include "outbound/backoff.hpp"

namespace fulfil::outbound {

namespace asio = boost::asio;

namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    // With CURLOPT_NOSIGNAL a dead peer can raise SIGPIPE: ignore it process-wide.
    std::signal(SIGPIPE, SIG_IGN);
  });
}

// "https://host:port/path" -> "host:port": the breaker key when the caller names no peer.
std::string host_of(std::string_view url) {
  if (auto p = url.find("://"); p != std::string_view::npos) url.remove_prefix(p + 3);
  return std::string(url.substr(0, url.find('/')));
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view line) {
  constexpr std::string_view k_name = "retry-after:";
  if (line.size() <= k_name.size()) return std::nullopt;
  for (std::size_t i = 0; i < k_name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != k_name[i]) return std::nullopt;
  line.remove_prefix(k_name.size());
  long long seconds = 0;
  bool digits = false;
  for (char c : line) {
    if (c >= '0' && c <= '9') {
      seconds = seconds * 10 + (c - '0');
      digits = true;
      if (seconds > 86400) return std::chrono::seconds(86400);
    } else if (c != ' ' && c != '\r' && c != '\n')
      return std::nullopt;  // an HTTP date: rare from APIs; the caller's backoff applies
  }
  if (!digits) return std::nullopt;
  return std::chrono::seconds(seconds);
}

// One request through all its attempts.
struct Transfer {
  HttpRequest request;
  HttpCallback done;
  std::string peer;
  int attempt = 0;
  HttpResponse response;
  bool overflow = false;
  std::size_t limit = 0;
  curl_slist* headers = nullptr;
  CURL* easy = nullptr;        // while it runs
  std::size_t sent_bytes = 0;  // of a body that must not be sent twice as it is
};

// A body that must never go twice as it is (it carries a one-time request id) is read
// through here rather than handed over whole: libcurl quietly sends a request again, the
// same bytes, when a reused connection closes before any answer, and it must ask to rewind
// the body first. The rewind is refused, so the transfer fails and the client's own resend
// makes the body afresh.
std::size_t read_body(char* into, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t take = std::min(size * n, t->request.body.size() - t->sent_bytes);
  std::memcpy(into, t->request.body.data() + t->sent_bytes, take);
  t->sent_bytes += take;
  return take;
}

int refuse_rewind(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  if (offset == 0 && origin == SEEK_SET && t->sent_bytes == 0) return CURL_SEEKFUNC_OK;
  return CURL_SEEKFUNC_FAIL;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (t->response.body.size() + size * n > t->limit) {
    t->overflow = true;
    return 0;  // aborts the transfer
  }
  t->response.body.append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (auto ra = parse_retry_after(std::string_view(data, size * n))) t->response.retry_after = ra;
  return size * n;
}

// A socket curl asked us to watch.
struct Watch {
  Watch(asio::strand<asio::io_context::executor_type>& ex, curl_socket_t s) : sd(ex, s) {}
  asio::posix::stream_descriptor sd;
  int want = 0;
  bool reading = false, writing = false, gone = false;
};

}  // namespace

struct CurlMultiClient::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, HttpSettings s)
      : io(io),
        strand(asio::make_strand(io)),
        settings(std::move(s)),
        timer(strand),
        breakers(settings.breaker) {
    global_init_once();
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, settings.max_per_host);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, settings.max_per_host * 4);
  }

  asio::io_context& io;
  asio::strand<asio::io_context::executor_type> strand;
  HttpSettings settings;
  asio::steady_timer timer;
  CircuitBreakers breakers;
  CURLM* multi = nullptr;
  std::map<curl_socket_t, std::shared_ptr<Watch>> sockets;
  std::vector<CURL*> idle;
  std::set<Transfer*> running;
  std::set<std::shared_ptr<asio::steady_timer>> pauses;  // requests waiting to be sent again
  bool timer_armed = false;
  bool stopped = false;

  // --- requests -------------------------------------------------------------------------

  void begin(std::unique_ptr<Transfer> t) {
    if (stopped) return deliver(std::move(t), fail(ErrorKind::cancelled, "shutting down"));
    if (!breakers.allow(t->peer, CircuitBreakers::Clock::now())) {
      // Made before the call: an argument list may move `t` before it reads t->peer (clang
      // does, left to right).
      auto paused = fail(ErrorKind::remote_retry,
                         t->peer +
                             ": circuit open after repeated failures; calls paused for up "
                             "to " +
                             std::to_string(settings.breaker.open_for.count() / 1000) + " s");
      return deliver(std::move(t), std::move(paused));
    }
    send(std::move(t));
  }

  void send(std::unique_ptr<Transfer> t) {
    ++t->attempt;
    if (t->attempt > 1 && t->request.fresh_body) t->request.body = t->request.fresh_body();
    t->response = {};
    t->overflow = false;
    CURL* easy = nullptr;
    if (!idle.empty()) {
      easy = idle.back();
      idle.pop_back();
      curl_easy_reset(easy);
    } else
      easy = curl_easy_init();
    if (!easy) return deliver(std::move(t), fail(ErrorKind::internal, "libcurl handle failed"));
    if (!t->headers) {
      t->headers = curl_slist_append(nullptr, ("Content-Type: " + t->request.content_type).c_str());
      t->headers = curl_slist_append(t->headers, "Expect:");  // no 100-continue round trip
    }
    curl_easy_setopt(easy, CURLOPT_URL, t->request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    if (t->request.fresh_body) {
      t->sent_bytes = 0;
      curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_body);
      curl_easy_setopt(easy, CURLOPT_READDATA, t.get());
      curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, refuse_rewind);
      curl_easy_setopt(easy, CURLOPT_SEEKDATA, t.get());
    } else {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t->request.body.data());
    }
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(t->request.body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(settings.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.total_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_USERAGENT, settings.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // gzip when the server offers it
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &Impl::on_close_socket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
    t->limit = settings.max_body_bytes;
    t->easy = easy;
    running.insert(t.get());
    if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
      running.erase(t.get());
      idle.push_back(easy);
      return deliver(std::move(t), fail(ErrorKind::internal, "libcurl refused a request"));
    }
    (void)t.release();  // owned by `running` until the transfer completes
  }

  void finished(CURL* easy, CURLcode code) {
    Transfer* raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
    curl_multi_remove_handle(multi, easy);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    idle.push_back(easy);
    running.erase(raw);
    std::unique_ptr<Transfer> t(raw);
    t->response.status = static_cast<int>(status);
    t->response.attempts = t->attempt;

    const std::string& url = t->request.url;
    Result<HttpResponse> outcome = t->response;
    bool never_sent = false;
    if (t->overflow)
      outcome =
          fail(ErrorKind::invalid_input, "response from " + url + " is larger than " +
                                             std::to_string(settings.max_body_bytes) + " bytes");
    else if (code == CURLE_OPERATION_TIMEDOUT)
      outcome = fail(ErrorKind::timeout, "no answer from " + url + " in time");
    else if (code != CURLE_OK) {
      never_sent = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST;
      outcome = fail(ErrorKind::network, url + ": " + curl_easy_strerror(code));
    }
    const bool peer_failed = !outcome ? outcome.error().kind != ErrorKind::invalid_input
                                      : (status >= 500 && status != 503) || status == 0;
    breakers.record(t->peer, !peer_failed, CircuitBreakers::Clock::now());

    // A refusal (429, 503) or a request that never left is safe to send again; a timeout,
    // a reset or a 5xx may have been carried out, so only a resend-safe request goes again.
    bool again = false;
    if (!outcome)
      again = outcome.error().kind != ErrorKind::invalid_input &&
              (never_sent || t->request.resend_safe);
    else
      again = status == 429 || status == 503 || (status >= 500 && t->request.resend_safe);
    const auto retry_after = outcome ? outcome->retry_after : std::nullopt;
    if (again && retry_after && *retry_after > settings.retry.max_delay) again = false;
    if (!again || stopped || t->attempt >= settings.retry.max_attempts)
      return deliver(std::move(t), std::move(outcome));
    auto wait =
        backoff_delay(t->attempt, settings.retry.base_delay, settings.retry.max_delay, retry_after);
    auto pause = std::make_shared<asio::steady_timer>(strand, wait);
    pauses.insert(pause);
    pause->async_wait(
        [self = shared_from_this(), pause,
         t = std::shared_ptr<Transfer>(t.release())](boost::system::error_code) mutable {
          self->pauses.erase(pause);
          self->begin(std::make_unique<Transfer>(std::move(*t)));
        });
  }

  void deliver(std::unique_ptr<Transfer> t, Result<HttpResponse> r) {
    if (t->headers) curl_slist_free_all(t->headers);
    t->headers = nullptr;
    auto done = std::move(t->done);
    t.reset();
    try {
      done(std::move(r));
    } catch (const std::exception& e) {
      log::error("http callback threw", {{"error", e.what()}});
    }
  }

  void drain() {
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &left))
      if (m->msg == CURLMSG_DONE) finished(m->easy_handle, m->data.result);
  }

  // --- curl's wishes, carried out with Asio ----------------------------------------------

  void act(curl_socket_t s, int flags) {
    int still = 0;
    curl_multi_socket_action(multi, s, flags, &still);
    drain();
  }

  void arm(curl_socket_t s, const std::shared_ptr<Watch>& w) {
    if ((w->want & CURL_POLL_IN) && !w->reading) {
      w->reading = true;
      w->sd.async_wait(asio::posix::stream_descriptor::wait_read,
                       [self = shared_from_this(), s, w](boost::system::error_code ec) {
                         w->reading = false;
                         if (ec || w->gone) return;
                         self->act(s, CURL_CSELECT_IN);
                         if (!w->gone) self->arm(s, w);
                       });
    }
    if ((w->want & CURL_POLL_OUT) && !w->writing) {
      w->writing = true;
      w->sd.async_wait(asio::posix::stream_descriptor::wait_write,
                       [self = shared_from_this(), s, w](boost::system::error_code ec) {
                         w->writing = false;
                         if (ec || w->gone) return;
                         self->act(s, CURL_CSELECT_OUT);
                         if (!w->gone) self->arm(s, w);
                       });
    }
  }

  void forget(curl_socket_t s) {
    auto it = sockets.find(s);
    if (it == sockets.end()) return;
    it->second->gone = true;
    boost::system::error_code ec;
    it->second->sd.cancel(ec);
    (void)it->second->sd.release();  // curl owns the descriptor and closes it
    sockets.erase(it);
  }

  static int on_socket(CURL*, curl_socket_t s, int what, void* user, void*) {
    auto* self = static_cast<Impl*>(user);
    if (what == CURL_POLL_REMOVE) {
      self->forget(s);
      return 0;
    }
    auto& w = self->sockets[s];
    if (!w) {
      try {
        w = std::make_shared<Watch>(self->strand, s);
      } catch (const std::exception& e) {
        self->sockets.erase(s);
        log::error("cannot watch an HTTP socket", {{"error", e.what()}});
        return -1;  // curl fails the transfer
      }
    }
    w->want = what;
    self->arm(s, w);
    return 0;
  }

  // curl moves its wake-up on nearly every call; re-arming the timer each time costs a
  // timerfd syscall. Waking early is harmless (curl finds nothing due and asks for the next
  // wake-up), so a pending wake-up that is not later than the new one is kept.
  static int on_timer(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (timeout_ms < 0) return 0;  // "no timeout": a pending early wake-up does no harm
    const auto due = asio::steady_timer::clock_type::now() + std::chrono::milliseconds(timeout_ms);
    if (self->timer_armed && self->timer.expiry() <= due) return 0;
    self->timer.expires_at(due);
    self->timer_armed = true;
    self->timer.async_wait([self = self->shared_from_this()](boost::system::error_code ec) {
      if (ec) return;  // replaced by an earlier wake-up, whose handler clears the flag
      self->timer_armed = false;
      if (!self->stopped) self->act(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
  }

  static int on_close_socket(void* user, curl_socket_t s) {
    static_cast<Impl*>(user)->forget(s);
    return ::close(s);
  }

  void close() {
    if (stopped) return;
    stopped = true;
    timer.cancel();
    for (const auto& p : pauses) p->cancel();  // their requests learn they were cancelled
    pauses.clear();
    std::vector<Transfer*> left(running.begin(), running.end());
    running.clear();
    for (Transfer* raw : left) {
      curl_multi_remove_handle(multi, raw->easy);
      curl_easy_cleanup(raw->easy);
      deliver(std::unique_ptr<Transfer>(raw), fail(ErrorKind::cancelled, "shutting down"));
    }
    curl_multi_cleanup(multi);  // closes every connection (forget() releases the watches)
    multi = nullptr;
    for (auto& [s, w] : sockets) {
      w->gone = true;
      boost::system::error_code ec;
      w->sd.cancel(ec);
      (void)w->sd.release();
    }
    sockets.clear();
    for (CURL* e : idle) curl_easy_cleanup(e);
    idle.clear();
  }
};

CurlMultiClient::CurlMultiClient(asio::io_context& io, HttpSettings settings)
    : m_impl(std::make_shared<Impl>(io, std::move(settings))) {}

CurlMultiClient::~CurlMultiClient() {
  if (m_impl->io.stopped()) {
    m_impl->close();  // the loop is gone: nothing runs concurrently
    return;
  }
  std::promise<void> closed;
  auto future = closed.get_future();
  asio::post(m_impl->strand, [impl = m_impl, &closed] {
    impl->close();
    closed.set_value();
  });
  future.wait();
}

void CurlMultiClient::start(HttpRequest request, HttpCallback done) {
  auto t = std::make_unique<Transfer>();
  t->peer = request.peer.empty() ? host_of(request.url) : request.peer;
  t->request = std::move(request);
  t->done = std::move(done);
  asio::post(m_impl->strand, [impl = m_impl, t = std::shared_ptr<Transfer>(t.release())] {
    impl->begin(std::make_unique<Transfer>(std::move(*t)));
  });
}

const CircuitBreakers& CurlMultiClient::breakers() const {
  return m_impl->breakers;
}

void CurlMultiClient::refused(const std::string& peer, const std::string& reason) {
  m_impl->breakers.refuse(peer, reason, CircuitBreakers::Clock::now());
}

void OwnedHttpClient::refused(const std::string& peer, const std::string& reason) {
  m_client->refused(peer, reason);
}

void CurlMultiClient::shutdown() {
  asio::post(m_impl->strand, [impl = m_impl] { impl->close(); });
}

OwnedHttpClient::OwnedHttpClient(HttpSettings settings)
    : m_io(std::make_unique<asio::io_context>()),
      m_work(std::make_unique<Work>(m_io->get_executor())),
      m_client(std::make_unique<CurlMultiClient>(*m_io, std::move(settings))) {
  m_thread = std::thread([this] { m_io->run(); });
}

OwnedHttpClient::~OwnedHttpClient() {
  m_client->shutdown();
  m_work.reset();  // the loop ends once the close and the cancelled waits have run
  m_thread.join();
  m_client.reset();
}

void OwnedHttpClient::start(HttpRequest request, HttpCallback done) {
  m_client->start(std::move(request), std::move(done));
}

const CircuitBreakers& OwnedHttpClient::breakers() const {
  return m_client->breakers();
}

}  // namespace fulfil::outbound
