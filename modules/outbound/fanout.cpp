#include "outbound/fanout.hpp"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

namespace fulfil::outbound {

namespace {

// Answers handed from the client's thread to the caller's.
struct Mailbox {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::pair<std::size_t, Result<HttpResponse>>> answers;
};

}  // namespace

void fan_out(HttpClient& http, std::size_t count, std::size_t in_flight, const MakeRequest& make,
             const OnAnswer& on_answer) {
  auto box = std::make_shared<Mailbox>();
  auto send = [&](std::size_t item, HttpRequest request) {
    http.start(std::move(request), [box, item](Result<HttpResponse> r) {
      {
        std::lock_guard lock(box->mutex);
        box->answers.emplace_back(item, std::move(r));
      }
      box->ready.notify_one();
    });
  };
  std::size_t next = 0, outstanding = 0;
  for (; next < count && next < std::max<std::size_t>(in_flight, 1); ++next, ++outstanding)
    send(next, make(next));
  while (outstanding > 0) {
    std::unique_lock lock(box->mutex);
    box->ready.wait(lock, [&] { return !box->answers.empty(); });
    auto [item, answer] = std::move(box->answers.front());
    box->answers.pop_front();
    lock.unlock();
    --outstanding;
    if (auto follow_up = on_answer(item, std::move(answer))) {
      send(item, std::move(*follow_up));
      ++outstanding;
    } else if (next < count) {
      send(next, make(next));
      ++next;
      ++outstanding;
    }
  }
}

}  // namespace fulfil::outbound
