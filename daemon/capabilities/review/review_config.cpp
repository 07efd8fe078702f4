#include "capabilities/review/review_config.hpp"

#include <algorithm>
#include <sstream>

#include "common/timeutil.hpp"
#include "common/toml_reader.hpp"

namespace fulfil::daemon {

namespace {

constexpr std::string_view k_flags[] = {"grey", "red", "yellow", "green", "blue", "purple"};

bool plain_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

review::Slice read_slice(TableReader& r, review::SplitBy by) {
  review::Slice s;
  s.name = r.text("name", "");
  if (!plain_name(s.name))
    r.error_at(r.node("name"), "name", "expected 1-64 letters, digits, '-' or '_'");
  s.reviewers = r.strings("reviewers");
  for (const auto& who : s.reviewers)
    if (!plain_name(who))
      r.error_at(r.node("reviewers"), "reviewers",
                 "\"" + who + "\": staff names are letters, digits, '-' or '_'");
  for (auto [key, target] : {std::pair{"serial_after", &s.serial_after},
                             std::pair{"serial_through", &s.serial_through}}) {
    std::string text = r.text(key, "");
    if (text.empty()) continue;
    if (auto serial = orders::parse_serial(text))
      *target = *serial;
    else
      r.error_at(r.node(key), key, "\"" + text + "\" is not a serial (D + yymmdd + sequence)");
  }
  for (auto [key, target] :
       {std::pair{"from", &s.time_from}, std::pair{"before", &s.time_before}}) {
    std::string text = r.text(key, "");
    if (text.empty()) continue;
    if (auto t = parse_iso(text))
      *target = *t;
    else
      r.error_at(r.node(key), key, "\"" + text + "\": expected yyyy-MM-dd HH:mm (Shanghai)");
  }
  s.shops = r.strings("shops");
  (void)by;
  return s;
}

}  // namespace

void parse_review(const toml::table* table, const std::string& file,
                  const std::vector<std::string>& shops, std::vector<std::string>& errors,
                  review::ReviewSettings& out, std::int64_t& interval_seconds) {
  // The defaults config/fulfild.toml shows (a test holds them equal): without them nothing is
  // approved and nobody may release a parked parcel.
  out.slicing.slices = {{"all", {"reviewer", "admin"}, {}, {}, {}, {}, {}}};
  out.supervisors = {"admin"};
  out.problem_handlers = {"handler"};
  out.auto_approve = true;
  out.checks.park_flags = {1};  // red
  if (!table) return;
  TableReader r(*table, "review", file, errors);
  out.key_cities = r.strings("key_cities", out.key_cities);
  std::string by = r.text("split_by", "pool");
  if (by == "pool")
    out.slicing.by = review::SplitBy::pool;
  else if (by == "serial")
    out.slicing.by = review::SplitBy::serial;
  else if (by == "order_time")
    out.slicing.by = review::SplitBy::order_time;
  else if (by == "shop")
    out.slicing.by = review::SplitBy::shop;
  else
    r.error_at(r.node("split_by"), "split_by", "expected pool, serial, order_time or shop");
  out.supervisors = r.strings("supervisors", out.supervisors);
  out.problem_handlers = r.strings("problem_handlers", out.problem_handlers);
  out.lease_seconds = r.integer("lease_seconds", 900, 30, 86400);
  out.max_claim = static_cast<int>(r.integer("max_claim", 200, 1, 5000));
  out.max_held = static_cast<int>(r.integer("max_held", 600, 1, 1000000));
  out.batch = static_cast<int>(r.integer("batch", 2000, 1, 20000));
  interval_seconds = r.integer("interval_seconds", 5, 1, 3600);
  out.auto_approve = r.boolean("auto_approve", out.auto_approve);
  out.merge = r.boolean("merge", true);
  out.merge_across_shops = r.boolean("merge_across_shops", false);
  if (const auto* t = r.table("checks")) {
    TableReader c(*t, "review.checks", file, errors);
    auto& k = out.checks;
    k.buyer_message = c.boolean("buyer_message", k.buyer_message);
    k.seller_memo = c.boolean("seller_memo", k.seller_memo);
    k.memo_keywords = c.strings("memo_keywords");
    std::vector<std::string> flag_names;
    for (int f : k.park_flags) flag_names.emplace_back(k_flags[f]);
    flag_names = c.strings("park_flags", flag_names);
    k.park_flags.clear();
    for (const auto& flag : flag_names) {
      auto it = std::find(std::begin(k_flags), std::end(k_flags), std::string_view(flag));
      if (it == std::end(k_flags) || it == std::begin(k_flags))
        c.error_at(c.node("park_flags"), "park_flags",
                   "\"" + flag + "\": expected red, yellow, green, blue or purple");
      else
        k.park_flags.push_back(static_cast<int>(it - std::begin(k_flags)));
    }
    k.refund = c.boolean("refund", k.refund);
    k.address = c.boolean("address", k.address);
    k.payment = c.boolean("payment", k.payment);
    k.duplicate_minutes = static_cast<int>(c.integer("duplicate_minutes", 30, 0, 10080));
    k.blacklist_buyers = c.strings("blacklist_buyers");
    k.blacklist_addresses = c.strings("blacklist_addresses");
    c.finish();
  }
  if (const auto* t = r.table("stock")) {
    TableReader c(*t, "review.stock", file, errors);
    out.stock.reserve = c.boolean("reserve", true);
    out.stock.check_at_approval = c.boolean("check_at_approval", true);
    out.stock.unknown_sku_is_problem = c.boolean("unknown_sku_is_problem", false);
    c.finish();
  }
  const auto line = table->source().begin.line;
  if (const auto* slices = r.array("slices")) {
    out.slicing.slices.clear();
    for (std::size_t i = 0; i < slices->size(); ++i) {
      const auto* st = slices->get(i)->as_table();
      if (!st) {
        errors.push_back(file + ":" + std::to_string(line) + ": review.slices[" +
                         std::to_string(i) + "]: expected a table");
        continue;
      }
      TableReader s(*st, "review.slices[" + std::to_string(i) + "]", file, errors);
      out.slicing.slices.push_back(read_slice(s, out.slicing.by));
      s.finish();
    }
  }
  r.finish();
  for (const auto& problem : review::validate(out.slicing, shops))
    errors.push_back(file + ":" + std::to_string(line) + ": review.slices: " + problem);
}

std::string describe_review(const review::ReviewSettings& r, std::int64_t interval_seconds) {
  std::ostringstream o;
  constexpr std::string_view k_by[] = {"pool", "serial", "order_time", "shop"};
  o << "\n[review]\nsplit_by = " << toml_quoted(k_by[static_cast<int>(r.slicing.by)])
    << "\nkey_cities = " << toml_list(r.key_cities)
    << "\nsupervisors = " << toml_list(r.supervisors)
    << "\nproblem_handlers = " << toml_list(r.problem_handlers)
    << "\nlease_seconds = " << r.lease_seconds << "\nmax_claim = " << r.max_claim
    << "\nmax_held = " << r.max_held << "\nbatch = " << r.batch
    << "\ninterval_seconds = " << interval_seconds
    << "\nauto_approve = " << (r.auto_approve ? "true" : "false")
    << "\nmerge = " << (r.merge ? "true" : "false")
    << "\nmerge_across_shops = " << (r.merge_across_shops ? "true" : "false") << "\n";
  const auto& k = r.checks;
  std::vector<std::string> flags;
  for (int f : k.park_flags) flags.emplace_back(k_flags[f]);
  o << "\n[review.checks]\nbuyer_message = " << (k.buyer_message ? "true" : "false")
    << "\nseller_memo = " << (k.seller_memo ? "true" : "false")
    << "\nmemo_keywords = " << toml_list(k.memo_keywords) << "\npark_flags = " << toml_list(flags)
    << "\nrefund = " << (k.refund ? "true" : "false")
    << "\naddress = " << (k.address ? "true" : "false")
    << "\npayment = " << (k.payment ? "true" : "false")
    << "\nduplicate_minutes = " << k.duplicate_minutes
    << "\nblacklist_buyers = " << toml_list(k.blacklist_buyers)
    << "\nblacklist_addresses = " << toml_list(k.blacklist_addresses) << "\n";
  o << "\n[review.stock]\nreserve = " << (r.stock.reserve ? "true" : "false")
    << "\ncheck_at_approval = " << (r.stock.check_at_approval ? "true" : "false")
    << "\nunknown_sku_is_problem = " << (r.stock.unknown_sku_is_problem ? "true" : "false") << "\n";
  for (const auto& s : r.slicing.slices) {
    o << "\n[[review.slices]]\nname = " << toml_quoted(s.name)
      << "\nreviewers = " << toml_list(s.reviewers) << "\n# "
      << review::describe_range(r.slicing, s) << "\n";
    if (s.serial_after) o << "serial_after = " << toml_quoted(s.serial_after->text()) << "\n";
    if (s.serial_through) o << "serial_through = " << toml_quoted(s.serial_through->text()) << "\n";
    if (s.time_from) o << "from = " << toml_quoted(format_iso_shanghai(*s.time_from)) << "\n";
    if (s.time_before) o << "before = " << toml_quoted(format_iso_shanghai(*s.time_before)) << "\n";
    if (!s.shops.empty()) o << "shops = " << toml_list(s.shops) << "\n";
  }
  return o.str();
}

}  // namespace fulfil::daemon

namespace fulfil::daemon {

void review_warnings(const review::ReviewSettings& r, const std::string& origin,
                     std::vector<std::string>& out) {
  const std::string where = origin + ": ";
  // A split slice without reviewers is refused (review::validate); the pool may have none.
  for (const auto& slice : r.slicing.slices) {
    if (!slice.reviewers.empty() || r.auto_approve) continue;
    out.push_back(where + "review.slices \"" + slice.name +
                  "\": no reviewers and auto_approve = false: " +
                  (r.supervisors.empty() ? "its parcels are never approved"
                                         : "only a supervisor approves its parcels"));
  }
  if (r.supervisors.empty() && r.problem_handlers.empty())
    out.push_back(where +
                  "review: no supervisors and no problem_handlers: nobody may release a parked "
                  "(problem) parcel");
}

}  // namespace fulfil::daemon
