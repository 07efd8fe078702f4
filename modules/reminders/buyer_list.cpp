#include "reminders/buyer_list.hpp"

#include "common/utf8.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

Result<std::vector<ListedBuyer>> BuyerList::list() {
  return store::guarded([&]() -> Result<std::vector<ListedBuyer>> {
    std::vector<ListedBuyer> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT shop, buyer_nick, note, updated_by, sensitive, "
                                 "never_again, updated_at FROM reminder_buyers ORDER BY shop, "
                                 "buyer_nick");
    for (const auto& r : rows)
      out.push_back({store::get_text(r, 0), store::get_text(r, 1), store::get_text(r, 2),
                     store::get_text(r, 3), store::get_int(r, 4) != 0, store::get_int(r, 5) != 0,
                     store::get_int(r, 6)});
    return out;
  });
}

Result<ListedBuyer> BuyerList::set(const ListedBuyer& b, const std::string& user) {
  if (b.shop.empty() || b.shop.size() > 64 || find_invalid_utf8(b.shop))
    return fail(ErrorKind::invalid_input, "shop: 1 to 64 bytes of UTF-8");
  if (b.buyer_nick.empty() || b.buyer_nick.size() > 128 || find_invalid_utf8(b.buyer_nick))
    return fail(ErrorKind::invalid_input, "buyer_nick: 1 to 128 bytes of UTF-8");
  if (b.note.size() > 500 || find_invalid_utf8(b.note))
    return fail(ErrorKind::invalid_input, "note: at most 500 bytes of UTF-8");
  ListedBuyer out = b;
  out.updated_by = user;
  out.updated_at = m_clock.now();
  auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
    auto& sql = m_conn.sql();
    sql << "DELETE FROM reminder_buyers WHERE shop = :s AND buyer_nick = :b", soci::use(b.shop),
        soci::use(b.buyer_nick);
    if (b.sensitive || b.never_again) {
      int sensitive = b.sensitive, never = b.never_again;
      long long at = out.updated_at;
      sql << "INSERT INTO reminder_buyers (shop, buyer_nick, sensitive, never_again, note, "
             "updated_by, updated_at) VALUES (:s, :b, :x, :n, :o, :u, :t)",
          soci::use(b.shop), soci::use(b.buyer_nick), soci::use(sensitive), soci::use(never),
          soci::use(b.note), soci::use(user), soci::use(at);
    }
    return {};
  });
  if (!done) return std::unexpected(done.error());
  return out;
}

}  // namespace fulfil::reminders
