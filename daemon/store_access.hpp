#pragma once
#include <string>

#include "store/database.hpp"

namespace fulfil::daemon {

// Hands each worker thread its own database connection, opened on first use and kept for
// the thread's life. A connection that failed is dropped and reopened on next use.
class StoreAccess {
 public:
  explicit StoreAccess(store::StoreUrl url) : m_url(std::move(url)) {}
  // This thread's connection with the given durability.
  Result<store::Connection*> local(store::Durability durability);
  // Forgets this thread's connections (after an error that may have broken them).
  void reset_local();
  const store::StoreUrl& url() const { return m_url; }

 private:
  store::StoreUrl m_url;
};

}  // namespace fulfil::daemon
