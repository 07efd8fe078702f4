#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/database.hpp"
#include "test_support.hpp"

namespace fulfil::test {

enum class Backend { sqlite, postgresql };

// A fresh, migrated store on one backend. SQLite: a file in a temp dir. PostgreSQL: a new
// database on the cluster named by FULFIL_TEST_PG_URL ("postgresql://user@host:port",
// no database), dropped afterwards.
class TestStore {
 public:
  // nullptr with `why` set when the backend is not available here.
  static std::unique_ptr<TestStore> create(Backend backend, std::string& why);
  ~TestStore();
  const std::string& url() const { return m_url; }
  store::Connection& conn() { return *m_conn; }
  std::unique_ptr<store::Connection> open(store::Durability d = store::Durability::strict) const;
  Backend backend() const { return m_backend; }
  // One integer from a query ("SELECT COUNT(*) FROM trades").
  long long scalar(const std::string& sql);
  // One text value from a query; empty when there is no row.
  std::string text(const std::string& sql);

 private:
  Backend m_backend = Backend::sqlite;
  std::unique_ptr<TempDir> m_dir;
  std::string m_url, m_admin_url, m_db;
  std::unique_ptr<store::Connection> m_conn;
};

// Base for tests that run once per backend.
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override { store.reset(); }
  std::unique_ptr<TestStore> store;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace fulfil::test

#define FULFIL_ON_BOTH_BACKENDS(Suite)                                                         \
  INSTANTIATE_TEST_SUITE_P(                                                                    \
      Backends, Suite,                                                                         \
      ::testing::Values(::fulfil::test::Backend::sqlite, ::fulfil::test::Backend::postgresql), \
      ::fulfil::test::backend_name)
