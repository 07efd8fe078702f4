#include "reminders/notes.hpp"

namespace fulfil::reminders {

void add_note(store::Connection& c, std::int64_t id, UnixSeconds at, const std::string& text) {
  long long rid = id, when = at;
  int seen = 0;
  c.sql() << "SELECT COUNT(*) FROM reminder_notes WHERE reminder_id = :r AND text = :t",
      soci::use(rid), soci::use(text), soci::into(seen);
  if (seen == 0)
    c.sql() << "INSERT INTO reminder_notes (reminder_id, at, text) VALUES (:r, :a, :t)",
        soci::use(rid), soci::use(when), soci::use(text);
}

}  // namespace fulfil::reminders
