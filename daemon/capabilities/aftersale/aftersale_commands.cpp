#include "capabilities/aftersale/aftersale_commands.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "aftersale/curve_keys.hpp"
#include "aftersale/return_service.hpp"
#include "api/api_util.hpp"
#include "capabilities/aftersale/return_routes.hpp"
#include "command_support.hpp"
#include "common/timeutil.hpp"

namespace fulfil::daemon {

namespace {

int return_command(const CliOptions& o, const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  SystemClock clock;
  aftersale::ReturnService service(*conn, clock, config.aftersale.returns);
  const std::string& sub = o.subcommand;
  auto print = [](const Result<aftersale::ReturnRecord>& r) {
    if (!r) {
      std::cerr << "fulfild: " << r.error().message << "\n";
      return r.error().kind == ErrorKind::invalid_input ? k_exit_usage : k_exit_failed;
    }
    std::cout << boost::json::serialize(api::return_json(*r)) << "\n";
    return k_exit_ok;
  };
  if (sub == "scan") {
    auto s = service.scan(o.code);
    if (!s) {
      std::cerr << "fulfild: " << s.error().message << "\n";
      return k_exit_failed;
    }
    std::cout << "parcel " << s->parcel_id << " (" << s->parcel_state << "), shop " << s->shop
              << ", buyer " << s->buyer_nick << ", waybill " << s->outbound_waybill << "\n";
    for (const auto& l : s->lines)
      std::cout << "  oid " << l.line.oid << "  " << l.line.outer_sku_id << "  " << l.line.title
                << "  x" << l.line.num << " (returned before: " << l.returned_before << ")\n";
    return k_exit_ok;
  }
  if (sub == "list") {
    aftersale::ReturnFilter f;
    f.state = o.state;
    f.courier = o.courier;
    f.limit = 200;
    auto rows = service.list(f);
    if (!rows) {
      std::cerr << "fulfild: " << rows.error().message << "\n";
      return k_exit_failed;
    }
    for (const auto& r : *rows)
      std::cout << r.id << "  " << r.state << "  " << r.courier << " " << r.waybill_no << "  "
                << (r.tid ? std::to_string(*r.tid) : "-") << "  "
                << format_iso_shanghai(r.received_at) << "  " << r.received_by << "\n";
    return k_exit_ok;
  }
  if (sub == "show") {
    auto id = api::parse_id(o.code, "return id");
    if (!id) return print(std::unexpected(id.error()));
    auto r = service.get(*id);
    if (!r) return print(std::unexpected(r.error()));
    if (!*r) return print(fail(ErrorKind::not_found, "no return " + o.code));
    return print(**r);
  }
  // check-in and match: the form from --form (the API's JSON body), the rest from options.
  boost::json::object body;
  if (o.form) {
    std::ifstream in(*o.form);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto v = boost::json::parse(text.str(), ec);
    if (!in || ec || !v.is_object()) {
      std::cerr << "fulfild: " << o.form->string() << ": expected a JSON object\n";
      return k_exit_usage;
    }
    body = v.as_object();
  }
  body["code"] = o.code;
  if (!o.courier.empty()) body["courier"] = o.courier;
  if (!body.contains("condition")) body["condition"] = o.condition;
  if (o.unidentified) body["unidentified"] = true;
  auto c = api::read_check_in(body, o.user);
  if (!c) return print(std::unexpected(c.error()));
  if (sub == "match") {
    auto id = api::parse_id(o.tid, "return id");
    if (!id) return print(std::unexpected(id.error()));
    return print(service.match(*id, *c));
  }
  return print(service.check_in(*c));
}

int keygen_command(const CliOptions& o) {
  auto keys = aftersale::generate_key_pair();
  if (keys) {
    if (auto w = aftersale::write_key_pair(*o.out, *keys); !w) keys = std::unexpected(w.error());
  }
  if (!keys) {
    std::cerr << "fulfild: " << keys.error().message << "\n";
    return k_exit_failed;
  }
  std::cout << o.out->string() << ".key (secret, mode 0600)\n"
            << o.out->string() << ".pub  public-key = \"" << keys->public_z85 << "\"\n";
  return k_exit_ok;
}

}  // namespace

std::vector<Command> aftersale_commands() {
  return {
      {"return",
       {{{"return scan CODE"}, {"what a return's tracking number or form barcode (R...) finds"}},
        {{"return check-in CODE --user NAME [--courier C] [--condition fine|damaged|parts_missing|",
          "       wrong_item] [--unidentified] [--form FILE]"},
         {"check a return in (FILE: JSON {\"lines\": [...], \"note\": ...} as",
          "POST /api/v1/returns takes); prints the return and its slip"}},
        {{"return list [--state identified|unidentified] [--courier C]"}, {}},
        {{"return show ID"}, {"one return with its lines, exchange and slips"}},
        {{"return match ID CODE --user NAME [--form FILE]"},
         {"give an unidentified return its parcel and form"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         const std::string sub = words.empty() ? "" : words[0];
         const bool one =
             words.size() == 2 && (sub == "scan" || sub == "check-in" || sub == "show");
         const bool list = words.size() == 1 && sub == "list";
         const bool match = words.size() == 3 && sub == "match";
         if (!one && !list && !match)
           return fail(ErrorKind::config,
                       "return takes scan CODE, check-in CODE, list, show ID or match ID CODE");
         o.subcommand = sub;
         if (one) o.code = words[1];
         if (match) {
           o.tid = words[1];
           o.code = words[2];
         }
         if ((sub == "check-in" || sub == "match") && o.user.empty())
           return fail(ErrorKind::config,
                       "return " + sub + " needs --user NAME (who checks it in)");
         return {};
       },
       [](const CliOptions& o, const Config* c) { return return_command(o, *c); }},
      {"keygen",
       {{{"keygen STEM"}, {"write a CURVE key pair: STEM.key (secret, 0600) and STEM.pub"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (words.size() != 1) return fail(ErrorKind::config, "keygen takes one STEM");
         o.out = words.front();
         return {};
       },
       [](const CliOptions& o, const Config*) { return keygen_command(o); },
       false},
  };
}

}  // namespace fulfil::daemon
