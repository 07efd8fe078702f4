#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::store {

// Where a shop's platform sync stands.
struct SyncState {
  std::string shop;
  std::optional<UnixSeconds> window_end;  // everything modified before this is stored
  std::optional<UnixSeconds> last_run_at;
  std::optional<UnixSeconds> last_ok_at;
  std::string last_error;
  std::string last_error_kind;
  std::string alert;  // set when a person must act (shop must re-authorise)
  std::int64_t trades_stored = 0;
};

// Checkpoints and status of the per-shop sync.
class SyncStateRepository {
 public:
  explicit SyncStateRepository(Connection& c) : m_conn(c) {}
  Result<std::optional<SyncState>> get(const std::string& shop);
  Result<std::vector<SyncState>> all();
  // Advances the checkpoint; call inside the transaction that stored the window's last page
  // or right after all its pages committed. Never moves it backwards. Throws on DB error.
  void advance(const std::string& shop, UnixSeconds window_end, std::int64_t stored,
               UnixSeconds now);
  // Records a successful import of `stored` new or changed trades (CSV shops have no
  // window): counts them and sets last_ok_at. Call inside the import's transaction; throws.
  void record_import(const std::string& shop, std::int64_t stored, UnixSeconds now);
  // Records the outcome of a run (error text and kind empty on success; alert likewise).
  Result<void> record_run(const std::string& shop, UnixSeconds now, const std::string& error,
                          const std::string& error_kind, const std::string& alert);

 private:
  void ensure_row(const std::string& shop);
  Connection& m_conn;
};

}  // namespace fulfil::store
