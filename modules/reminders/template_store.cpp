#include "reminders/template_store.hpp"

#include <toml++/toml.h>

#include <algorithm>

#include "common/utf8.hpp"
#include "reminders/script_values.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

std::string_view builtin_templates_toml();  // generated from config/reminders/templates.toml

namespace {

bool known_placeholder(std::string_view n) {
  return std::find(std::begin(k_placeholders), std::end(k_placeholders), n) !=
         std::end(k_placeholders);
}

}  // namespace

const std::vector<SavedTemplate>& builtin_templates() {
  static const std::vector<SavedTemplate> k_all = [] {
    std::vector<SavedTemplate> out;
    // Built into the binary and covered by a test: a parse error here is a build defect.
    auto doc = toml::parse(builtin_templates_toml());
    if (auto* arr = doc["template"].as_array())
      for (const auto& node : *arr)
        if (auto* t = node.as_table()) {
          SavedTemplate s;
          s.name = (*t)["name"].value_or(std::string{});
          s.channel = (*t)["channel"].value_or(std::string{});
          s.body = (*t)["body"].value_or(std::string{});
          while (!s.body.empty() && (s.body.front() == '\n')) s.body.erase(0, 1);
          while (!s.body.empty() && (s.body.back() == '\n')) s.body.pop_back();
          s.updated_by = "built-in";
          out.push_back(std::move(s));
        }
    return out;
  }();
  return k_all;
}

Result<int> TemplateStore::seed_builtins() {
  return store::in_transaction(m_conn, [&]() -> Result<int> {
    int added = 0;
    long long now = m_clock.now();
    for (const auto& t : builtin_templates()) {
      int seen = 0;
      m_conn.sql() << "SELECT COUNT(*) FROM reminder_templates WHERE name = :n", soci::use(t.name),
          soci::into(seen);
      if (seen) continue;
      m_conn.sql() << "INSERT INTO reminder_templates (name, channel, body, updated_by, "
                      "updated_at) VALUES (:n, :c, :b, :u, :a)",
          soci::use(t.name), soci::use(t.channel), soci::use(t.body), soci::use(t.updated_by),
          soci::use(now);
      ++added;
    }
    return added;
  });
}

Result<std::vector<SavedTemplate>> TemplateStore::list() {
  return store::guarded([&]() -> Result<std::vector<SavedTemplate>> {
    std::vector<SavedTemplate> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT name, channel, body, updated_by, updated_at FROM "
                                 "reminder_templates ORDER BY channel, name");
    for (const auto& r : rows)
      out.push_back({store::get_text(r, 0), store::get_text(r, 1), store::get_text(r, 2),
                     store::get_text(r, 3), store::get_int(r, 4)});
    return out;
  });
}

Result<std::optional<std::string>> TemplateStore::body(const std::string& name) {
  return store::guarded([&]() -> Result<std::optional<std::string>> {
    std::string b;
    soci::indicator ind = soci::i_null;
    m_conn.sql() << "SELECT body FROM reminder_templates WHERE name = :n", soci::use(name),
        soci::into(b, ind);
    if (!m_conn.sql().got_data() || ind != soci::i_ok) return std::nullopt;
    return b;
  });
}

Result<Values> TemplateStore::longest_values() {
  return store::guarded([&]() -> Result<Values> {
    auto longest = [&](const char* sql) {
      std::string v;
      soci::indicator ind = soci::i_null;
      m_conn.sql() << sql, soci::into(v, ind);
      return ind == soci::i_ok ? v : std::string();
    };
    Values v;
    v["顾客姓名"] =
        longest("SELECT receiver_name FROM trades ORDER BY LENGTH(receiver_name) DESC LIMIT 1");
    v["商品名称"] =
        short_product(longest("SELECT title FROM trade_lines ORDER BY LENGTH(title) DESC LIMIT 1"));
    v["店铺名称"] = longest("SELECT shop FROM trades ORDER BY LENGTH(shop) DESC LIMIT 1");
    v["订单ID"] = "1234567890123456789";
    v["下单时间"] = "12月31日 23:59";
    v["剩余天数"] = "3";
    v["金额"] = "99999.99";
    v["折扣"] = "10%";
    // An empty store still checks against realistic lengths.
    if (v["顾客姓名"].empty()) v["顾客姓名"] = "欧阳娜娜";
    if (v["店铺名称"].empty()) v["店铺名称"] = "某某旗舰店";
    if (v["商品名称"].empty()) v["商品名称"] = "冬季加厚羊毛针织开衫女士宽松外套";
    return v;
  });
}

Result<SavedTemplate> TemplateStore::save(const std::string& name, const std::string& channel,
                                          const std::string& body, std::string_view sign_name,
                                          const std::string& user) {
  std::vector<std::string> problems;
  if (name.empty() || name.size() > 64 ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
    problems.push_back("name: 1 to 64 of a-z 0-9 - _");
  if (channel != "sms" && channel != "phone" && channel != "im")
    problems.push_back("channel: sms, phone or im, not \"" + channel + "\"");
  if (body.empty() || body.size() > 4000) problems.push_back("body: 1 to 4,000 bytes");
  if (auto bad = find_invalid_utf8(body))
    problems.push_back("body: not UTF-8 at byte " + std::to_string(*bad));
  if (problems.empty() && channel == "sms") {
    auto longest = longest_values();
    if (!longest) return std::unexpected(longest.error());
    if (auto ok = check_sms_template(body, sign_name, *longest); !ok)
      problems.push_back(ok.error().message);
  } else if (problems.empty()) {
    for (const auto& p : placeholders_of(body))
      if (!known_placeholder(p)) problems.push_back("unknown placeholder {$" + p + "$}");
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
    return fail(ErrorKind::invalid_input, "template " + name + ": " + all);
  }
  SavedTemplate t{name, channel, body, user, m_clock.now()};
  auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
    long long at = t.updated_at;
    int seen = 0;
    m_conn.sql() << "SELECT COUNT(*) FROM reminder_templates WHERE name = :n", soci::use(name),
        soci::into(seen);
    if (seen)
      m_conn.sql() << "UPDATE reminder_templates SET channel = :c, body = :b, updated_by = :u, "
                      "updated_at = :a WHERE name = :n",
          soci::use(channel), soci::use(body), soci::use(user), soci::use(at), soci::use(name);
    else
      m_conn.sql() << "INSERT INTO reminder_templates (name, channel, body, updated_by, "
                      "updated_at) VALUES (:n, :c, :b, :u, :a)",
          soci::use(name), soci::use(channel), soci::use(body), soci::use(user), soci::use(at);
    return {};
  });
  if (!done) return std::unexpected(done.error());
  return t;
}

}  // namespace fulfil::reminders
