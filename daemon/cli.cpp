#include "cli.hpp"

#include <algorithm>
#include <vector>

namespace fulfil::daemon {

namespace {

// One line of `fulfild --help`: a command, how it is called and what it does. `help COMMAND`
// shows the lines of that command; a mistyped command is matched against these names.
struct CommandHelp {
  std::string_view name;
  std::vector<std::string_view> synopsis;  // continuation lines carry their own indent
  std::vector<std::string_view> help;
};

const std::vector<CommandHelp>& command_table() {
  static const std::vector<CommandHelp> k_table = {
      {"run", {"run"}, {"run the daemon (sync, imports, HTTP API) until SIGTERM"}},
      {"check-config",
       {"check-config"},
       {"validate the config and print it in effect, secrets masked"}},
      {"sync", {"sync --once [--shop NAME]"}, {"sync every shop (or one) once, then exit"}},
      {"import-csv", {"import-csv FILE --shop NAME"}, {"import one CSV file of orders"}},
      {"migrate", {"migrate"}, {"apply store migrations and exit"}},
      {"reconcile",
       {"reconcile --day YYYY-MM-DD [--shop NAME]"},
       {"re-read a past day's trades and store what sync missed"}},
      {"review", {"review stats"}, {"queue sizes per slice and state"}},
      {"review",
       {"review shortage"},
       {"park approved parcels that oversold stock cannot cover",
        "(计算缺货 as a batch) and list the oversold SKUs"}},
      {"stock", {"stock load FILE"}, {"set stock from a CSV (sku,on_hand[,location])"}},
      {"waybill",
       {"waybill pool import CODE (--range FIRST-LAST | FILE)"},
       {"add pre-printed waybill numbers for a courier"}},
      {"waybill", {"waybill pool status"}, {"numbers left per courier"}},
      {"label",
       {"label preview TID [--kind waybill|packing_list] [--format pdf|png] [--out FILE]"},
       {"lay out a trade's label now and write it for a person to see"}},
      {"printer",
       {"printer status"},
       {"each printer: its queue, labels to check, and what it says"}},
      {"return",
       {"return scan CODE"},
       {"what a return's tracking number or form barcode (R...) finds"}},
      {"return",
       {"return check-in CODE --user NAME [--courier C] [--condition fine|damaged|parts_missing|",
        "       wrong_item] [--unidentified] [--form FILE]"},
       {"check a return in (FILE: JSON {\"lines\": [...], \"note\": ...} as",
        "POST /api/v1/returns takes); prints the return and its slip"}},
      {"return", {"return list [--state identified|unidentified] [--courier C]"}, {}},
      {"return", {"return show ID"}, {"one return with its lines, exchange and slips"}},
      {"return",
       {"return match ID CODE --user NAME [--form FILE]"},
       {"give an unidentified return its parcel and form"}},
      {"keygen", {"keygen STEM"}, {"write a CURVE key pair: STEM.key (secret, 0600) and STEM.pub"}},
      {"cluster",
       {"cluster status"},
       {"the daemons sharing the store, the shops each syncs, the leases"}},
      {"version", {"version"}, {"print the version"}},
  };
  return k_table;
}

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
std::string render(const CommandHelp& c) {
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

std::string usage() {
  std::string out = "usage: fulfild [options] COMMAND\n\ncommands:\n";
  for (const auto& c : command_table()) out += render(c);
  return out + std::string(k_options);
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : command_table())
    if (std::find(names.begin(), names.end(), c.name) == names.end()) names.emplace_back(c.name);
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
    if (c.name == command) out += render(c);
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
  if (o.command == "import-csv") {
    if (positional.size() != 1) return fail(ErrorKind::config, "import-csv takes one FILE");
    o.file = positional.front();
    positional.clear();
  }
  if (o.command == "review") {
    if (positional.size() != 1 || (positional[0] != "stats" && positional[0] != "shortage"))
      return fail(ErrorKind::config, "review takes stats or shortage");
    o.subcommand = positional.front();
    positional.clear();
  }
  if (o.command == "stock") {
    if (positional.size() != 2 || positional[0] != "load")
      return fail(ErrorKind::config, "stock takes load FILE");
    o.subcommand = positional[0];
    o.file = positional[1];
    positional.clear();
  }
  if (o.command == "waybill") {
    const bool import = positional.size() >= 3 && positional[0] == "pool" &&
                        positional[1] == "import" && positional.size() <= 4;
    const bool status =
        positional.size() == 2 && positional[0] == "pool" && positional[1] == "status";
    if (!import && !status)
      return fail(ErrorKind::config,
                  "waybill takes pool import CODE (--range FIRST-LAST | FILE) or pool status");
    o.subcommand = positional[1];
    if (import) {
      o.courier = positional[2];
      if (positional.size() == 4) o.file = positional[3];
      if (o.file.has_value() == !o.range.empty())
        return fail(ErrorKind::config, "waybill pool import needs --range FIRST-LAST or a FILE");
    }
    positional.clear();
  }
  if (o.command == "label") {
    if (positional.size() != 2 || positional[0] != "preview")
      return fail(ErrorKind::config, "label takes preview TID");
    o.subcommand = positional[0];
    o.tid = positional[1];
    if (o.kind != "waybill" && o.kind != "packing_list")
      return fail(ErrorKind::config, "--kind takes waybill or packing_list");
    if (o.format != "pdf" && o.format != "png")
      return fail(ErrorKind::config, "--format takes pdf or png");
    positional.clear();
  }
  if (o.command == "cluster") {
    if (positional.size() != 1 || positional[0] != "status")
      return fail(ErrorKind::config, "cluster takes status");
    o.subcommand = positional[0];
    positional.clear();
  }
  if (o.command == "printer") {
    if (positional.size() != 1 || positional[0] != "status")
      return fail(ErrorKind::config, "printer takes status");
    o.subcommand = positional[0];
    positional.clear();
  }
  if (o.command == "return") {
    const std::string sub = positional.empty() ? "" : positional[0];
    const bool one =
        positional.size() == 2 && (sub == "scan" || sub == "check-in" || sub == "show");
    const bool list = positional.size() == 1 && sub == "list";
    const bool match = positional.size() == 3 && sub == "match";
    if (!one && !list && !match)
      return fail(ErrorKind::config,
                  "return takes scan CODE, check-in CODE, list, show ID or match ID CODE");
    o.subcommand = sub;
    if (one) o.code = positional[1];
    if (match) {
      o.tid = positional[1];
      o.code = positional[2];
    }
    if ((sub == "check-in" || sub == "match") && o.user.empty())
      return fail(ErrorKind::config, "return " + sub + " needs --user NAME (who checks it in)");
    positional.clear();
  }
  if (o.command == "keygen") {
    if (positional.size() != 1) return fail(ErrorKind::config, "keygen takes one STEM");
    o.out = positional.front();
    positional.clear();
  }
  if (!positional.empty())
    return fail(ErrorKind::config, "unexpected argument " + positional.front());
  if (o.command == "sync" && !o.once)
    return fail(ErrorKind::config, "sync needs --once (the daemon syncs continuously under `run`)");
  if (o.command == "reconcile" && o.day.empty())
    return fail(ErrorKind::config, "reconcile needs --day YYYY-MM-DD");
  return o;
}

}  // namespace fulfil::daemon
