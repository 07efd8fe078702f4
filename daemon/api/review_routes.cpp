#include "api/review_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/url/parse.hpp>

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

http::Response method_not_allowed(const http::Request& req) {
  return error(405, "method_not_allowed", req.method + " is not allowed on " + req.path);
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

}  // namespace

std::optional<http::Response> ReviewRoutes::handle(const http::Request& req) {
  constexpr std::string_view k_parcels = "/api/v1/parcels", k_stock = "/api/v1/stock",
                             k_review = "/api/v1/review/";
  std::string_view path = req.path;
  if (path == k_parcels || path.starts_with(std::string(k_parcels) + "/"))
    return parcels(req, path.substr(k_parcels.size()));
  if (path == k_stock || path.starts_with(std::string(k_stock) + "/"))
    return stock(req, path.substr(k_stock.size()));
  if (path.starts_with(k_review)) return review(req, path.substr(k_review.size()));
  return std::nullopt;
}

http::Response ReviewRoutes::review(const http::Request& req, std::string_view rest) {
  auto settings = m_settings();
  if (rest == "queues") {
    if (req.method != "GET") return method_not_allowed(req);
    return with_service(m_store, m_clock, settings, [&](review::ReviewService& s) {
      auto stats = s.stats();
      return stats ? ok(queue_stats_json(*stats)) : from_error(stats.error());
    });
  }
  if (rest == "claim") {
    if (req.method != "POST") return method_not_allowed(req);
    auto body = json_body(req);
    if (!body) return from_error(body.error());
    auto n = int_field(*body, "n", 20);
    if (!n) return from_error(n.error());
    return with_service(
        m_store, m_clock, settings,
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
  if (rest == "shortage") {
    if (req.method != "POST") return method_not_allowed(req);
    if (!(settings->roles_of(req.user) & static_cast<review::Roles>(review::Role::supervisor)))
      return error(403, "forbidden", "the shortage job is for supervisors");
    return with_service(m_store, m_clock, settings, [&](review::ReviewService& s) {
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
  return error(404, "not_found", "no route " + req.path);
}

http::Response ReviewRoutes::parcels(const http::Request& req, std::string_view rest) {
  auto settings = m_settings();
  if (rest.empty()) {
    if (req.method != "GET") return method_not_allowed(req);
    for (const auto& [k, v] : req.query)
      if (k != "state" && k != "slice" && k != "after" && k != "limit")
        return error(400, "bad_request", "unknown parameter " + k);
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
  if (rest == "/merge") {
    if (req.method != "POST") return method_not_allowed(req);
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
    return with_service(m_store, m_clock, settings, [&](review::ReviewService& s) {
      auto merged = s.merge(ids, req.user);
      return merged ? ok(parcel_json(*merged)) : from_error(merged.error());
    });
  }
  // /{id} or /{id}/{verb}
  std::string_view tail = rest.substr(1);
  const auto slash = tail.find('/');
  auto id = parse_id(tail.substr(0, slash), "parcel id");
  if (!id) return from_error(id.error());
  if (slash == std::string_view::npos) {
    if (req.method != "GET") return method_not_allowed(req);
    return with_service(m_store, m_clock, settings, [&](review::ReviewService& s) {
      auto d = s.detail(*id);
      if (!d) return from_error(d.error());
      if (!*d) return error(404, "not_found", "no parcel " + std::to_string(*id));
      return ok(parcel_detail_json(**d));
    });
  }
  if (req.method != "POST") return method_not_allowed(req);
  const std::string_view verb = tail.substr(slash + 1);
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto version = int_field(*body, "version");
  if (!version) return from_error(version.error());
  if (auto action = action_named(verb)) {
    auto note = text_field(*body, "note", "");
    if (!note) return from_error(note.error());
    return with_service(m_store, m_clock, settings, [&](review::ReviewService& s) {
      auto r = s.act(*id, *action, req.user, *version, *note);
      if (!r) return from_error(r.error());
      json::object o = parcel_json(r->parcel);
      o["note"] = text_or_null(r->note);
      return ok(o);
    });
  }
  return with_service(m_store, m_clock, settings, [&](review::ReviewService& s) {
    if (verb == "unmerge") {
      auto r = s.unmerge(*id, *version, req.user);
      if (!r) return from_error(r.error());
      json::array out;
      for (const auto& p : *r) out.push_back(parcel_json(p));
      return ok(json::object{{"parcels", std::move(out)}});
    }
    if (verb == "split") {
      auto it = body->find("oids");
      if (it == body->end() || !it->value().is_array())
        return error(400, "bad_request", "oids: expected an array of line ids");
      std::vector<std::int64_t> oids;
      for (const auto& v : it->value().as_array()) {
        auto oid = v.is_string() ? parse_id(v.as_string(), "oids")
                                 : Result<std::int64_t>(fail(ErrorKind::invalid_input,
                                                             "oids: line ids are strings"));
        if (!oid) return from_error(oid.error());
        oids.push_back(*oid);
      }
      auto r = s.split(*id, *version, oids, req.user);
      return r ? ok(parcel_json(*r)) : from_error(r.error());
    }
    if (verb == "unsplit") {
      auto r = s.unsplit(*id, *version, req.user);
      return r ? ok(parcel_json(*r)) : from_error(r.error());
    }
    return error(404, "not_found", "no route " + req.path);
  });
}

http::Response ReviewRoutes::stock(const http::Request& req, std::string_view rest) {
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return from_error(conn.error());
  review::StockRepository repo(**conn);
  auto settings = m_settings();
  const bool may_change =
      (settings->roles_of(req.user) & static_cast<review::Roles>(review::Role::supervisor)) != 0;
  if (rest.empty()) {
    if (req.method != "GET") return method_not_allowed(req);
    auto limit = limit_param(req, 100, 1000);
    if (!limit) return from_error(limit.error());
    auto oversold = query(req, "oversold");
    if (!oversold.empty() && oversold != "true" && oversold != "false")
      return error(400, "bad_request", "oversold: expected true or false");
    auto list = repo.list(query(req, "after"), *limit, oversold == "true");
    if (!list) return from_error(list.error());
    json::array out;
    for (const auto& s : *list) out.push_back(stock_json(s));
    return ok(json::object{{"stock", std::move(out)}});
  }
  if (rest == "/load") {
    if (req.method != "POST") return method_not_allowed(req);
    if (!may_change) return error(403, "forbidden", "loading stock is for supervisors");
    auto r = repo.load_csv(req.body, "upload", req.user, m_clock.now());
    if (!r) return from_error(r.error());
    return ok(json::object{{"rows", r->rows}, {"created", r->created}, {"changed", r->changed}});
  }
  // The SKU is one path segment, sent %2F-encoded when it holds a '/' (SKUs such as
  // "MY-2601/12" exist): the segments are split as sent, then each decoded.
  std::vector<std::string> segments;
  if (auto url = boost::urls::parse_origin_form(req.target))
    for (auto seg : url->segments()) segments.emplace_back(seg);
  if (segments.size() < 4 || segments.size() > 5)
    return error(404, "not_found", "no route " + req.path);
  const std::string sku = segments[3];
  if (segments.size() == 4) {
    if (req.method != "GET") return method_not_allowed(req);
    auto level = repo.get(sku);
    if (!level) return from_error(level.error());
    if (!*level) return error(404, "not_found", "no stock for SKU " + sku);
    return ok(stock_json(**level));
  }
  if (segments[4] != "adjust") return error(404, "not_found", "no route " + req.path);
  if (req.method != "POST") return method_not_allowed(req);
  if (!may_change) return error(403, "forbidden", "adjusting stock is for supervisors");
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto delta = body->contains("delta") && body->at("delta").is_int64()
                   ? Result<std::int64_t>(body->at("delta").as_int64())
                   : Result<std::int64_t>(fail(ErrorKind::invalid_input,
                                               "delta: expected a whole number (may be negative)"));
  if (!delta) return from_error(delta.error());
  auto reason = text_field(*body, "reason");
  if (!reason) return from_error(reason.error());
  auto level = repo.adjust(sku, *delta, *reason, req.user, m_clock.now());
  if (!level) return from_error(level.error());
  return ok(stock_json(*level));
}

}  // namespace fulfil::daemon::api
