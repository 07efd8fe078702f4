#include "store_fixture.hpp"

#include <random>

#include "modules.hpp"
#include "store/migrations.hpp"
#include "store/row_reader.hpp"

namespace fulfil::test {

std::unique_ptr<TestStore> TestStore::create(Backend backend, std::string& why) {
  auto s = std::unique_ptr<TestStore>(new TestStore());
  s->m_backend = backend;
  if (backend == Backend::sqlite) {
    s->m_dir = std::make_unique<TempDir>();
    s->m_url = "sqlite:" + (s->m_dir->path() / "store.db").string();
  } else {
    const char* base = std::getenv("FULFIL_TEST_PG_URL");
    if (!base || !*base) {
      why =
          "FULFIL_TEST_PG_URL is not set (tests/scripts/run-tests.sh starts a cluster and sets it)";
      return nullptr;
    }
    std::random_device rd;
    s->m_db = "fulfil_t_" + std::to_string(rd()) + std::to_string(rd() % 1000);
    s->m_admin_url = std::string(base) + "/postgres";
    auto admin =
        store::Connection::open(*store::StoreUrl::parse(s->m_admin_url), store::Durability::strict);
    // Configured but unreachable is a failure, not a skip: CI must not pass without it.
    if (!admin)
      throw std::runtime_error("PostgreSQL at FULFIL_TEST_PG_URL: " + admin.error().message);
    (*admin)->sql() << "CREATE DATABASE " + s->m_db + " ENCODING 'UTF8' TEMPLATE template0";
    s->m_url = std::string(base) + "/" + s->m_db;
  }
  auto conn = s->open();
  auto v = daemon::migrate_all(*conn);
  if (!v) throw std::runtime_error("migrate: " + v.error().message);
  s->m_conn = std::move(conn);
  return s;
}

TestStore::~TestStore() {
  m_conn.reset();
  if (m_backend == Backend::postgresql && !m_db.empty()) {
    auto admin =
        store::Connection::open(*store::StoreUrl::parse(m_admin_url), store::Durability::strict);
    if (admin) (*admin)->sql() << "DROP DATABASE IF EXISTS " + m_db + " WITH (FORCE)";
  }
}

std::unique_ptr<store::Connection> TestStore::open(store::Durability d) const {
  auto c = store::Connection::open(*store::StoreUrl::parse(m_url), d);
  if (!c) throw std::runtime_error(c.error().message);
  return std::move(*c);
}

long long TestStore::scalar(const std::string& sql) {
  soci::row r;
  m_conn->sql() << sql, soci::into(r);
  return store::get_int(r, 0);
}

std::string TestStore::text(const std::string& sql) {
  soci::row r;
  m_conn->sql() << sql, soci::into(r);
  return m_conn->sql().got_data() ? store::get_text(r, 0) : std::string();
}

void StoreTest::SetUp() {
  std::string why;
  store = TestStore::create(GetParam(), why);
  if (!store) GTEST_SKIP() << why;
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgresql";
}

}  // namespace fulfil::test
