#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "reminders/eligibility.hpp"
#include "reminders/message_template.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

struct SavedTemplate {
  std::string name, channel, body, updated_by;
  UnixSeconds updated_at = 0;
};

// The built-in texts of config/reminders/templates.toml (compiled in).
const std::vector<SavedTemplate>& builtin_templates();

// Reminder texts and scripts as staff saved them; each is checked when saved.
class TemplateStore {
 public:
  TemplateStore(store::Connection& c, const Clock& clock) : m_conn(c), m_clock(clock) {}
  // Saves every built-in text whose name is not in the store yet.
  Result<int> seed_builtins();
  Result<std::vector<SavedTemplate>> list();
  Result<std::optional<std::string>> body(const std::string& name);
  // The longest real value of each placeholder in the store's trades (for the SMS check).
  Result<Values> longest_values();
  // Checks and saves `body` as `name`: a known channel (sms, phone, im); valid UTF-8 of at
  // most 4,000 bytes; no unknown placeholder; an SMS also by check_sms_template with
  // `sign_name` and the longest values. invalid_input names every problem.
  Result<SavedTemplate> save(const std::string& name, const std::string& channel,
                             const std::string& body, std::string_view sign_name,
                             const std::string& user);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
};

}  // namespace fulfil::reminders
