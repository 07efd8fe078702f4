#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "stock/settings.hpp"
#include "store/database.hpp"

namespace fulfil::stock {

// One call to the platform: the full quantity an item's SKU should show.
struct QuantityPush {
  std::string sku;
  std::int64_t num_iid = 0;
  std::int64_t sku_id = 0;  // 0: an item without SKUs
  std::int64_t quantity = 0;
};
// taobao.item.quantity.update for one shop; the error's kind says what to do (auth: stop
// and alert; remote_reject: the platform refuses this one; anything retryable: later).
using PushQuantity = std::function<Result<void>(const QuantityPush&)>;

struct PushReport {
  int pushed = 0, held = 0, refused = 0, retrying = 0;
  std::string alert;  // the shop's credentials were refused
};

// A mapped SKU as the report shows it.
struct PushRow {
  std::string shop, sku;
  std::int64_t num_iid = 0, sku_id = 0;
  std::int64_t on_hand = 0, reserved = 0, safety = 0, wanted = 0;
  std::optional<std::int64_t> pushed;
  std::optional<UnixSeconds> pushed_at;
  std::string state;  // new, pushed, pushing, due, held, refused
  std::string held, last_error;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> recorded_wanted;  // as the last pass left it
  UnixSeconds next_at = 0;                      // a retry's backoff
};

// Pushes each mapped SKU's available quantity (on hand - reserved - its safety buffer, not
// below 0) to the platform when it differs from the one last pushed: full quantities
// (type 1), so a push repeated after a crash sets the same number again and nothing drifts.
// Each push is recorded as pushing (with its quantity) before the call and with its outcome
// after; an unchanged level is never pushed; the peak switch holds back what it must, and
// the held quantity is kept for the report. Calls are paced at per_second.
class StockPusher {
 public:
  StockPusher(store::Connection& conn, const Clock& clock, const StockPushSettings& settings)
      : m_conn(conn), m_clock(clock), m_s(settings) {}

  // The mode in force for a shop: the stricter of the switch for all shops and the shop's
  // own, each as last set at run time, else as configured.
  Result<PushMode> mode_of(const std::string& shop);
  // Sets the switch for a shop or, with scope "*", for all; nullopt hands it back to the
  // config.
  Result<void> set_mode(const std::string& scope, std::optional<PushMode> mode,
                        const std::string& actor);
  // One pass for one shop.
  Result<PushReport> run(const std::string& shop, const PushQuantity& push);
  // The mapped SKUs of a shop (all shops when empty), those in `state` when given.
  Result<std::vector<PushRow>> rows(const std::string& shop, const std::string& state, int limit);
  // SKUs with stock that no shop maps: their quantity never reaches the platform.
  Result<std::vector<std::string>> unmapped(int limit);

 private:
  std::vector<PushRow> load(const std::string& shop, const std::string& state, int limit);
  store::Connection& m_conn;
  const Clock& m_clock;
  const StockPushSettings& m_s;
};

}  // namespace fulfil::stock
