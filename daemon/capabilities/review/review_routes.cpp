#include "capabilities/review/review_routes.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"
#include "api/parcel_json.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

namespace {

std::optional<review::Action> action_named(std::string_view name) {
  using review::Action;
  if (name == "approve") return Action::approve;
  if (name == "park") return Action::park;
  if (name == "release") return Action::release;
  if (name == "cancel") return Action::cancel;
  if (name == "unapprove") return Action::unapprove;
  return std::nullopt;
}

std::string query(const http::Request& req, const char* k) {
  auto it = req.query.find(k);
  return it == req.query.end() ? std::string() : it->second;
}

// Runs fn with this thread's connection and a service; store failures reset the
// connection and answer 503.
template <class Fn>
http::Response with_service(StoreAccess& store, const Clock& clock,
                            const std::shared_ptr<const review::ReviewSettings>& s, Fn fn,
                            store::Durability durability = store::Durability::strict) {
  auto conn = store.local(durability);
  if (!conn) return from_error(conn.error());
  review::ReviewService service(**conn, clock, *s);
  http::Response r = fn(service);
  if (r.status == 503) store.reset_local();
  return r;
}

// Runs fn with this thread's connection's stock repository.
template <class Fn>
http::Response with_stock(StoreAccess& store, Fn fn) {
  auto conn = store.local(store::Durability::strict);
  if (!conn) return from_error(conn.error());
  review::StockRepository repo(**conn);
  return fn(repo);
}

}  // namespace

std::shared_ptr<const review::ReviewSettings> ReviewRoutes::settings_for(
    const http::Request& req) const {
  auto in_force = m_settings();
  const bool handler = req.roles & static_cast<Roles>(StaffRole::problem_handler);
  const bool supervisor = req.roles & (static_cast<Roles>(StaffRole::supervisor) |
                                       static_cast<Roles>(StaffRole::admin));
  const auto roles = in_force->roles_of(req.user);
  const bool has_handler = roles & static_cast<review::Roles>(review::Role::problem_handler);
  const bool has_supervisor = roles & static_cast<review::Roles>(review::Role::supervisor);
  if ((!handler || has_handler) && (!supervisor || has_supervisor)) return in_force;
  auto acting = std::make_shared<review::ReviewSettings>(*in_force);
  if (handler) acting->problem_handlers.push_back(req.user);
  if (supervisor) acting->supervisors.push_back(req.user);
  return acting;
}

std::vector<Route> ReviewRoutes::routes() {
  // Who may act on a parcel at all; which parcel and which step is the review service's rule.
  const std::map<std::string, std::string> parcel_id{{"id", "parcel id"}};
  auto sku = [](const PathParams& p) { return p.text("sku"); };
  std::vector<Route> out{
      {"GET", "/api/v1/review/queues", "getReviewQueues", k_any_staff,
       [this](const auto&, const auto&) { return queues(); }},
      {"POST", "/api/v1/review/claim", "claimParcels", roles({StaffRole::reviewer}),
       [this](const auto& req, const auto&) { return claim(req); }},
      {"POST", "/api/v1/review/shortage", "runShortage", k_supervisors,
       [this](const auto&, const auto&) { return shortage(); }},
      {"GET", "/api/v1/parcels", "listParcels", k_any_staff,
       [this](const auto& req, const auto&) { return list_parcels(req); }},
      {"POST", "/api/v1/parcels/merge", "mergeParcels", k_review_staff,
       [this](const auto& req, const auto&) { return merge(req); }},
      {"GET", "/api/v1/parcels/{id}", "getParcel", k_any_staff,
       [this](const auto&, const auto& p) { return parcel(p.id("id")); }, parcel_id},
      {"POST",
       "/api/v1/parcels/{id}/{action}",
       "actOnParcel",
       k_review_staff,
       [this](const auto& req, const auto& p) { return act(req, p.id("id"), p.text("action")); },
       parcel_id,
       {{"action", {"approve", "park", "release", "cancel", "unapprove"}}}},
      {"POST", "/api/v1/parcels/{id}/unmerge", "unmergeParcel", k_review_staff,
       [this](const auto& req, const auto& p) { return act(req, p.id("id"), "unmerge"); },
       parcel_id},
      {"POST", "/api/v1/parcels/{id}/split", "splitParcel", k_review_staff,
       [this](const auto& req, const auto& p) { return split(req, p.id("id")); }, parcel_id},
      {"POST", "/api/v1/parcels/{id}/unsplit", "unsplitParcel", k_review_staff,
       [this](const auto& req, const auto& p) { return act(req, p.id("id"), "unsplit"); },
       parcel_id},
      {"GET", "/api/v1/stock", "listStock", k_any_staff,
       [this](const auto& req, const auto&) { return list_stock(req); }},
      {"POST",
       "/api/v1/stock/load",
       "loadStock",
       k_supervisors,
       [this](const auto& req, const auto&) { return load_stock(req); },
       {},
       {},
       {"text/csv"}},
      {"GET", "/api/v1/stock/{sku}", "getStock", k_any_staff,
       [this, sku](const auto&, const auto& p) { return stock_of(sku(p)); }},
      {"POST", "/api/v1/stock/{sku}/adjust", "adjustStock", k_supervisors,
       [this, sku](const auto& req, const auto& p) { return adjust_stock(req, sku(p)); }},
  };
  // Reassignments and changes of what the warehouse has.
  audit_calls(out, "actOnParcel", "parcel.*");
  audit_calls(out, "adjustStock", "stock.adjust");
  audit_calls(out, "loadStock", "stock.load");
  return out;
}

http::Response ReviewRoutes::queues() {
  return with_service(m_store, m_clock, m_settings(), [&](review::ReviewService& s) {
    auto stats = s.stats();
    return stats ? ok(queue_stats_json(*stats)) : from_error(stats.error());
  });
}

http::Response ReviewRoutes::claim(const http::Request& req) {
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto n = int_field(*body, "n", 20);
  if (!n) return from_error(n.error());
  return with_service(
      m_store, m_clock, settings_for(req),
      [&](review::ReviewService& s) {
        auto claimed =
            s.claim(req.user, static_cast<int>(std::clamp<std::int64_t>(*n, -1, 1 << 20)));
        if (!claimed) return from_error(claimed.error());
        json::array out;
        for (const auto& p : *claimed) out.push_back(parcel_json(p));
        return ok(json::object{{"parcels", std::move(out)}});
      },
      // A claim is a lease: losing the last ones to a power cut only returns parcels to the
      // queue (a late approval is then refused by version), so it skips the fsync.
      store::Durability::relaxed);
}

http::Response ReviewRoutes::shortage() {
  return with_service(m_store, m_clock, m_settings(), [&](review::ReviewService& s) {
    auto report = s.shortage();
    if (!report) return from_error(report.error());
    json::array out;
    for (const auto& o : *report) {
      json::array parked;
      for (auto id : o.parked) parked.push_back(json::value(id));
      out.push_back(json::object{{"sku", o.sku},
                                 {"on_hand", o.on_hand},
                                 {"reserved", o.reserved},
                                 {"parked", std::move(parked)}});
    }
    return ok(json::object{{"oversold", std::move(out)}});
  });
}

http::Response ReviewRoutes::list_parcels(const http::Request& req) {
  auto settings = m_settings();
  if (auto refused = unknown_parameter(req, {"state", "slice", "after", "limit"})) return *refused;
  review::ParcelFilter f;
  if (auto st = query(req, "state"); !st.empty()) {
    f.state = review::parse_state(st);
    if (!f.state) return error(400, "bad_request", "state: unknown state \"" + st + "\"");
  }
  f.slice = query(req, "slice");
  if (!f.slice.empty() &&
      std::none_of(settings->slicing.slices.begin(), settings->slicing.slices.end(),
                   [&](const review::Slice& s) { return s.name == f.slice; }))
    return error(400, "bad_request", "slice: no slice named \"" + f.slice + "\"");
  if (auto a = query(req, "after"); !a.empty()) {
    auto v = parse_id(a, "after");
    if (!v) return from_error(v.error());
    f.after_id = *v;
  }
  auto limit = limit_param(req, f.limit, 500);
  if (!limit) return from_error(limit.error());
  f.limit = *limit;
  return with_service(m_store, m_clock, settings, [&](review::ReviewService& s) {
    auto list = s.list(f);
    if (!list) return from_error(list.error());
    json::array out;
    for (const auto& p : *list) out.push_back(parcel_json(p));
    json::value next = list->size() == static_cast<std::size_t>(f.limit)
                           ? json::value(std::to_string(list->back().id))
                           : json::value(nullptr);
    return ok(json::object{{"parcels", std::move(out)}, {"next_after", next}});
  });
}

http::Response ReviewRoutes::merge(const http::Request& req) {
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto it = body->find("parcels");
  if (it == body->end() || !it->value().is_array())
    return error(400, "bad_request", "parcels: expected [{\"id\", \"version\"}, ...]");
  std::vector<std::pair<std::int64_t, std::int64_t>> ids;
  for (const auto& item : it->value().as_array()) {
    if (!item.is_object())
      return error(400, "bad_request", "parcels: expected [{\"id\", \"version\"}, ...]");
    auto id = int_field(item.as_object(), "id");
    auto version = int_field(item.as_object(), "version");
    if (!id || !version) return from_error(!id ? id.error() : version.error());
    ids.emplace_back(*id, *version);
  }
  return with_service(m_store, m_clock, settings_for(req), [&](review::ReviewService& s) {
    auto merged = s.merge(ids, req.user);
    return merged ? ok(parcel_json(*merged)) : from_error(merged.error());
  });
}

http::Response ReviewRoutes::parcel(std::int64_t id) {
  return with_service(m_store, m_clock, m_settings(), [&](review::ReviewService& s) {
    auto d = s.detail(id);
    if (!d) return from_error(d.error());
    if (!*d) return error(404, "not_found", "no parcel " + std::to_string(id));
    return ok(parcel_detail_json(**d));
  });
}

// approve, park, release, cancel, unapprove (with an optional note), unmerge and unsplit: each
// takes the version the person saw.
http::Response ReviewRoutes::act(const http::Request& req, std::int64_t id,
                                 std::string_view action) {
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto version = int_field(*body, "version");
  if (!version) return from_error(version.error());
  if (auto named = action_named(action)) {
    auto note = text_field(*body, "note", "");
    if (!note) return from_error(note.error());
    return with_service(m_store, m_clock, settings_for(req), [&](review::ReviewService& s) {
      auto r = s.act(id, *named, req.user, *version, *note);
      if (!r) return from_error(r.error());
      json::object o = parcel_json(r->parcel);
      o["note"] = text_or_null(r->note);
      return ok(o);
    });
  }
  return with_service(m_store, m_clock, settings_for(req), [&](review::ReviewService& s) {
    if (action == "unmerge") {
      auto r = s.unmerge(id, *version, req.user);
      if (!r) return from_error(r.error());
      json::array out;
      for (const auto& p : *r) out.push_back(parcel_json(p));
      return ok(json::object{{"parcels", std::move(out)}});
    }
    auto r = s.unsplit(id, *version, req.user);
    return r ? ok(parcel_json(*r)) : from_error(r.error());
  });
}

http::Response ReviewRoutes::split(const http::Request& req, std::int64_t id) {
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto version = int_field(*body, "version");
  if (!version) return from_error(version.error());
  auto it = body->find("oids");
  if (it == body->end() || !it->value().is_array())
    return error(400, "bad_request", "oids: expected an array of line ids");
  std::vector<std::int64_t> oids;
  for (const auto& v : it->value().as_array()) {
    auto oid =
        v.is_string()
            ? parse_id(v.as_string(), "oids")
            : Result<std::int64_t>(fail(ErrorKind::invalid_input, "oids: line ids are strings"));
    if (!oid) return from_error(oid.error());
    oids.push_back(*oid);
  }
  return with_service(m_store, m_clock, settings_for(req), [&](review::ReviewService& s) {
    auto r = s.split(id, *version, oids, req.user);
    return r ? ok(parcel_json(*r)) : from_error(r.error());
  });
}

http::Response ReviewRoutes::list_stock(const http::Request& req) {
  auto limit = limit_param(req, 100, 1000);
  if (!limit) return from_error(limit.error());
  auto oversold = query(req, "oversold");
  if (!oversold.empty() && oversold != "true" && oversold != "false")
    return error(400, "bad_request", "oversold: expected true or false");
  return with_stock(m_store, [&](review::StockRepository& repo) {
    auto list = repo.list(query(req, "after"), *limit, oversold == "true");
    if (!list) return from_error(list.error());
    json::array out;
    for (const auto& s : *list) out.push_back(stock_json(s));
    return ok(json::object{{"stock", std::move(out)}});
  });
}

http::Response ReviewRoutes::load_stock(const http::Request& req) {
  return with_stock(m_store, [&](review::StockRepository& repo) {
    auto r = repo.load_csv(req.body, "upload", req.user, m_clock.now());
    if (!r) return from_error(r.error());
    return ok(json::object{{"rows", r->rows}, {"created", r->created}, {"changed", r->changed}});
  });
}

http::Response ReviewRoutes::stock_of(const std::string& sku) {
  return with_stock(m_store, [&](review::StockRepository& repo) {
    auto level = repo.get(sku);
    if (!level) return from_error(level.error());
    if (!*level) return error(404, "not_found", "no stock for SKU " + sku);
    return ok(stock_json(**level));
  });
}

http::Response ReviewRoutes::adjust_stock(const http::Request& req, const std::string& sku) {
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto delta = int_field(*body, "delta");
  if (!delta) return error(400, "bad_request", "delta: expected a whole number (may be negative)");
  auto reason = text_field(*body, "reason");
  if (!reason) return from_error(reason.error());
  return with_stock(m_store, [&](review::StockRepository& repo) {
    auto level = repo.adjust(sku, *delta, *reason, req.user, m_clock.now());
    if (!level) return from_error(level.error());
    return ok(stock_json(*level));
  });
}

}  // namespace fulfil::daemon::api
