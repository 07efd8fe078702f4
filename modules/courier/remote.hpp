#pragma once
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace fulfil::courier {

// A contact on a waybill (sender or receiver).
struct Contact {
  std::string name, mobile, province, city, district, address;
};

// What to ask a waybill for.
struct WaybillRequest {
  std::string order_id;           // our idempotency key: asking again never makes a second waybill
  std::vector<std::string> tids;  // the platform trades it ships
  Contact sender, receiver;
  std::vector<std::pair<std::string, int>> items;  // name, count
  int weight_g = 0;
};

// What a courier answered.
struct WaybillAnswer {
  std::string waybill_no;    // empty when it cannot deliver
  bool unreachable = false;  // SF filterResult 3: 快递不到
  std::string origin_code, dest_code;
};

// Receives one answer as it arrives: the request's index in the batch, and the answer.
using AnswerSink = std::function<void(std::size_t, Result<WaybillAnswer>)>;

// Couriers with their own API. create_many() must be idempotent on each request's order_id
// (the waybill's idempotency key): asked again after a lost answer, it returns the same
// waybill. It answers every request, in order, keeping many on the wire at once.
class RemoteCouriers {
 public:
  virtual ~RemoteCouriers() = default;
  virtual std::vector<Result<WaybillAnswer>> create_many(
      const std::string& courier, std::span<const WaybillRequest> requests) = 0;
  // The same, each answer handed to `sink` on the caller's thread as soon as it is known,
  // so it can be recorded while the others are still on the wire (a crash then costs only
  // the answers not yet recorded). By default, create_many() and then every answer.
  virtual void create_each(const std::string& courier, std::span<const WaybillRequest> requests,
                           const AnswerSink& sink) {
    auto answers = create_many(courier, requests);
    for (std::size_t i = 0; i < answers.size(); ++i) sink(i, std::move(answers[i]));
  }
  // Cancels the waybill `waybill_no`, asked for under `order_id` (unused: the parcel will
  // not ship). Cancelling one already cancelled is success.
  virtual Result<void> cancel(const std::string& courier, const std::string& order_id,
                              const std::string& waybill_no) = 0;
};

}  // namespace fulfil::courier
