#pragma once
#include "api/api_util.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// Runs fn(connection) on this thread's connection of the wanted durability; answers 503
// with the store's error when there is none. Routes read with relaxed, write with strict.
template <class Fn>
http::Response with_store(StoreAccess& store, store::Durability durability, Fn&& fn) {
  auto conn = store.local(durability);
  if (!conn) return from_error(conn.error());
  return fn(**conn);
}

}  // namespace fulfil::daemon::api
