#include "cli.hpp"

#include <algorithm>
#include <vector>

namespace fulfil::daemon {

namespace {

constexpr std::string_view k_options = R"(
options:
  --config FILE      TOML config (default: the embedded config/fulfild.toml)
  --secrets FILE     shop secrets (TOML, mode 600)
  --store URL        store URL, overriding [store].url
  --listen HOST:PORT HTTP address, overriding [http].listen
  --port-file FILE   write the bound HTTP port here once listening
  --log-level LEVEL  debug | info | warn | error

exit status: 0 ok; 1 failed; 2 bad usage or config; 3 import done with bad rows
)";

// The command's lines: a short synopsis shares its line with the help, a long one stands
// alone and the help goes under it.
std::string render(const CommandUsage& c) {
  constexpr std::size_t k_column = 28;
  std::string out;
  std::size_t help_line = 0;
  for (std::size_t i = 0; i < c.synopsis.size(); ++i) {
    std::string line = "  " + std::string(c.synopsis[i]);
    if (c.synopsis.size() == 1 && c.synopsis[i].size() < k_column && !c.help.empty()) {
      line += std::string(k_column - c.synopsis[i].size(), ' ') + std::string(c.help[0]);
      help_line = 1;
    }
    out += line + "\n";
  }
  for (; help_line < c.help.size(); ++help_line)
    out += std::string(2 + k_column, ' ') + std::string(c.help[help_line]) + "\n";
  return out;
}

}  // namespace

Result<void> no_more_words(const std::vector<std::string>& words, std::size_t used) {
  if (words.size() > used) return fail(ErrorKind::config, "unexpected argument " + words[used]);
  return {};
}

std::string usage() {
  std::string out = "usage: fulfild [options] COMMAND\n\ncommands:\n";
  for (const auto& c : command_table())
    for (const auto& form : c.usage) out += render(form);
  return out + std::string(k_options);
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : command_table()) names.emplace_back(c.name);
  names.emplace_back("help");
  return names;
}

std::string closest(std::string_view word, const std::vector<std::string>& names) {
  // Edit distance (insert, delete, replace); a name within two edits, or one the word
  // starts, is offered.
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& name : names) {
    const std::size_t d = name.starts_with(word) && !word.empty() ? 1 : distance(word, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

std::string usage_of(std::string_view command) {
  std::string out;
  for (const auto& c : command_table())
    if (c.name == command)
      for (const auto& form : c.usage) out += render(form);
  if (out.empty()) return out;
  return "usage: fulfild [options] " + std::string(command) + " ...\n\n" + out +
         std::string(k_options);
}

Result<CliOptions> parse_cli(int argc, const char* const* argv) {
  CliOptions o;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto value = [&](std::size_t& i) -> Result<std::string> {
    if (i + 1 >= args.size() || args[i + 1].starts_with("--"))
      return fail(ErrorKind::config, args[i] + " needs a value");
    return args[++i];
  };
  std::vector<std::string> positional;
  bool help = false;  // --help anywhere: help on the command given, or on all
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto take = [&](auto& target) -> Result<void> {
      auto v = value(i);
      if (!v) return std::unexpected(v.error());
      target = *v;
      return {};
    };
    Result<void> r;
    if (a == "--config")
      r = take(o.config);
    else if (a == "--secrets")
      r = take(o.secrets);
    else if (a == "--store")
      r = take(o.store_url);
    else if (a == "--listen")
      r = take(o.http_listen);
    else if (a == "--log-level")
      r = take(o.log_level);
    else if (a == "--port-file")
      r = take(o.port_file);
    else if (a == "--shop")
      r = take(o.shop);
    else if (a == "--day")
      r = take(o.day);
    else if (a == "--range")
      r = take(o.range);
    else if (a == "--kind")
      r = take(o.kind);
    else if (a == "--format")
      r = take(o.format);
    else if (a == "--out")
      r = take(o.out);
    else if (a == "--once")
      o.once = true;
    else if (a == "--skip-bad-rows")
      o.skip_bad_rows = true;
    else if (a == "--user")
      r = take(o.user);
    else if (a == "--courier")
      r = take(o.courier);
    else if (a == "--condition")
      r = take(o.condition);
    else if (a == "--state")
      r = take(o.state);
    else if (a == "--form")
      r = take(o.form);
    else if (a == "--role")
      r = take(o.role);
    else if (a == "--password-file")
      r = take(o.password_file);
    else if (a == "--unidentified")
      o.unidentified = true;
    else if (a == "--help" || a == "-h")
      help = true;
    else if (a == "--version")
      o.command = "version";
    else if (a.starts_with("--"))
      return fail(ErrorKind::config, "unknown option " + a);
    else
      positional.push_back(a);
    if (!r) return std::unexpected(r.error());
  }
  if (o.command.empty() && !positional.empty()) {
    o.command = positional.front();
    positional.erase(positional.begin());
  }
  // `fulfild run --help`, `fulfild help review`: help on that command, whatever follows.
  if (help || o.command == "help") {
    o.subcommand = o.command == "help" ? (positional.empty() ? "" : positional.front()) : o.command;
    o.command = "help";
    if (!o.subcommand.empty() && usage_of(o.subcommand).empty())
      return fail(ErrorKind::config, "no help on " + o.subcommand + ": not a command");
    return o;
  }
  if (o.command.empty()) return fail(ErrorKind::config, "no command given");
  static const std::vector<std::string> k_commands = command_names();
  if (std::find(k_commands.begin(), k_commands.end(), o.command) == k_commands.end()) {
    const std::string near = closest(o.command, k_commands);
    return fail(ErrorKind::config, "unknown command " + o.command +
                                       (near.empty() ? "" : " (did you mean " + near + "?)"));
  }
  const auto& table = command_table();
  const auto command = std::find_if(table.begin(), table.end(),
                                    [&](const Command& c) { return c.name == o.command; });
  if (auto r = command->parse ? command->parse(positional, o) : no_more_words(positional); !r)
    return std::unexpected(r.error());
  return o;
}

}  // namespace fulfil::daemon
