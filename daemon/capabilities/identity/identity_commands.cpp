#include "capabilities/identity/identity_commands.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "command_support.hpp"
#include "common/timeutil.hpp"
#include "identity/identity.hpp"

namespace fulfil::daemon {

namespace {

std::string first_line(std::string text) {
  text = text.substr(0, text.find('\n'));
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// A line from the terminal without echo (asked twice), or from a pipe as it comes.
std::optional<std::string> password_from_stdin() {
  if (!::isatty(STDIN_FILENO)) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    return first_line(line);
  }
  termios saved{};
  ::tcgetattr(STDIN_FILENO, &saved);
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string first, second;
  std::cerr << "password: " << std::flush;
  std::getline(std::cin, first);
  std::cerr << "\nagain: " << std::flush;
  std::getline(std::cin, second);
  std::cerr << "\n";
  ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  if (first != second) {
    std::cerr << "fulfild: the two passwords differ\n";
    return std::nullopt;
  }
  return first;
}

// The new password: the first line of --password-file (which only its owner may read), or
// standard input.
std::optional<std::string> read_password(const CliOptions& o) {
  if (!o.password_file) return password_from_stdin();
  if (auto private_file = check_owner_only(*o.password_file); !private_file) {
    command_error(private_file.error().message, k_exit_usage);
    return std::nullopt;
  }
  auto text = read_for_command(*o.password_file);
  if (!text) return std::nullopt;
  return first_line(*text);
}

int failed(const Error& e) {
  return command_error(e.message,
                       e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::conflict
                           ? k_exit_usage
                           : k_exit_failed);
}

// Writes the change to the audit log; a change that cannot be recorded is reported.
int audited(store::Connection& conn, const std::string& action, const std::string& target,
            const std::string& detail) {
  SystemClock clock;
  auto r = identity::AuditLog(conn).append({0, clock.now(), "cli", action, target, detail, ""});
  if (!r)
    return command_error("done, but not in the audit log: " + r.error().message, k_exit_failed);
  return k_exit_ok;
}

int user_command(const CliOptions& o, const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  identity::UserRepository users(*conn);
  SystemClock clock;
  const std::string& sub = o.subcommand;
  if (sub == "list") {
    auto all = users.list();
    if (!all) return failed(all.error());
    std::printf("%-24s %-9s %-19s  %s\n", "user", "state", "changed", "roles");
    for (const auto& u : *all)
      std::printf("%-24s %-9s %-19s  %s\n", u.name.c_str(), u.disabled ? "disabled" : "active",
                  format_gmt8(u.updated_at).c_str(), identity::roles_text(u.roles).c_str());
    return k_exit_ok;
  }
  if (sub == "disable" || sub == "enable") {
    if (auto r = users.set_disabled(o.name, sub == "disable", clock.now()); !r)
      return failed(r.error());
    std::cout << "user " << o.name << " " << sub << "d\n";
    return audited(*conn, "user." + sub, o.name, "");
  }
  if (sub == "roles") {
    auto roles = identity::parse_roles_text(o.role);
    if (!roles) return failed(roles.error());
    if (auto r = users.set_roles(o.name, *roles, clock.now()); !r) return failed(r.error());
    std::cout << "user " << o.name << ": " << identity::roles_text(*roles) << "\n";
    return audited(*conn, "user.roles", o.name, identity::roles_text(*roles));
  }
  std::optional<identity::StaffRoles> roles;
  if (sub == "add") {
    auto parsed = identity::parse_roles_text(o.role);
    if (!parsed) return failed(parsed.error());
    roles = *parsed;
  }
  auto password = read_password(o);
  if (!password) return k_exit_usage;
  if (sub == "add") {
    auto added = users.add(o.name, *roles, *password, clock.now());
    if (!added) return failed(added.error());
    std::cout << "user " << o.name << " added: " << identity::roles_text(*roles) << "\n";
    return audited(*conn, "user.add", o.name, identity::roles_text(*roles));
  }
  if (auto r = users.set_password(o.name, *password, clock.now()); !r) return failed(r.error());
  std::cout << "user " << o.name << ": password changed\n";
  return audited(*conn, "user.passwd", o.name, "");
}

int token_command(const CliOptions& o, const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  identity::ApiTokenRepository tokens(*conn);
  SystemClock clock;
  if (o.subcommand == "list") {
    auto all = tokens.list();
    if (!all) return failed(all.error());
    std::printf("%-24s %-17s %-19s  %s\n", "token", "role", "last used", "state");
    for (const auto& t : *all)
      std::printf("%-24s %-17s %-19s  %s\n", t.name.c_str(),
                  std::string(identity::to_string(t.role)).c_str(),
                  t.last_used_at ? format_gmt8(*t.last_used_at).c_str() : "never",
                  t.revoked_at ? ("revoked " + format_gmt8(*t.revoked_at)).c_str() : "live");
    return k_exit_ok;
  }
  if (o.subcommand == "revoke") {
    if (auto r = tokens.revoke(o.name, clock.now()); !r) return failed(r.error());
    std::cout << "token " << o.name << " revoked\n";
    return audited(*conn, "token.revoke", o.name, "");
  }
  auto role = identity::parse_staff_role(o.role);
  if (!role)
    return command_error("--role: one of " + identity::roles_text(~0u) + " (a token has one)",
                         k_exit_usage);
  auto issued = tokens.add(o.name, *role, clock.now());
  if (!issued) return failed(issued.error());
  std::cout << issued->token << "\n";
  std::cerr << "token " << o.name << " (" << o.role
            << "): shown this once; fulfild keeps only its hash\n";
  return audited(*conn, "token.add", o.name, o.role);
}

}  // namespace

std::vector<Command> identity_commands() {
  return {
      {"user",
       {{{"user add NAME --role ROLE[,ROLE] [--password-file FILE]"},
         {"a staff user (password from FILE or typed twice; roles: packer, picker,",
          "reviewer, problem_handler, customer_service, supervisor, admin)"}},
        {{"user passwd NAME [--password-file FILE]"}, {"set a user's password"}},
        {{"user roles NAME --role ROLE[,ROLE]"}, {"give a user these roles"}},
        {{"user disable NAME"}, {"no more logins for a user (enable: again)"}},
        {{"user list"}, {"the users with their roles"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         const std::string sub = words.empty() ? "" : words[0];
         const bool named =
             words.size() == 2 && (sub == "add" || sub == "passwd" || sub == "roles" ||
                                   sub == "disable" || sub == "enable");
         if (!named && !(words.size() == 1 && sub == "list"))
           return fail(ErrorKind::config,
                       "user takes add NAME, passwd NAME, roles NAME, disable NAME, enable NAME "
                       "or list");
         o.subcommand = sub;
         if (named) o.name = words[1];
         if ((sub == "add" || sub == "roles") && o.role.empty())
           return fail(ErrorKind::config, "user " + sub + " needs --role ROLE[,ROLE]");
         return {};
       },
       [](const CliOptions& o, const Config* c) { return user_command(o, *c); },
       true,
       false},
      {"token",
       {{{"token add NAME --role ROLE"},
         {"an API token for a machine client, printed once (only its hash is kept)"}},
        {{"token revoke NAME"}, {"the token stops working at once"}},
        {{"token list"}, {"the tokens, their roles and last use"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         const std::string sub = words.empty() ? "" : words[0];
         const bool named = words.size() == 2 && (sub == "add" || sub == "revoke");
         if (!named && !(words.size() == 1 && sub == "list"))
           return fail(ErrorKind::config, "token takes add NAME, revoke NAME or list");
         o.subcommand = sub;
         if (named) o.name = words[1];
         if (sub == "add" && o.role.empty())
           return fail(ErrorKind::config, "token add needs --role ROLE");
         return {};
       },
       [](const CliOptions& o, const Config* c) { return token_command(o, *c); },
       true,
       false},
  };
}

}  // namespace fulfil::daemon
