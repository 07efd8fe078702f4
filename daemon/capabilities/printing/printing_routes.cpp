#include "capabilities/printing/printing_routes.hpp"

#include <boost/json/array.hpp>

#include <set>

#include "api/api_util.hpp"
#include "common/timeutil.hpp"
#include "lang/language.hpp"
#include "layout/layout.hpp"
#include "printing/pick_list.hpp"
#include "store/row_reader.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

namespace {

json::object label_json(const printing::Label& l) {
  json::object o{{"id", l.id},
                 {"parcel_id", l.parcel_id},
                 {"kind", l.kind},
                 {"waybill_no", l.waybill_no},
                 {"courier", l.courier},
                 {"state", l.state},
                 {"printer", text_or_null(l.printer)},
                 {"job", text_or_null(l.job)},
                 {"attempts", l.attempts},
                 {"error", text_or_null(l.error)},
                 {"warnings", text_or_null(l.warnings)},
                 {"reprint_of", l.reprint_of ? json::value(*l.reprint_of) : json::value(nullptr)},
                 {"requested_by", text_or_null(l.requested_by)},
                 {"reason", text_or_null(l.reason)},
                 {"created_at", format_iso_shanghai(l.created_at)},
                 {"printed_at", time_or_null(l.printed_at)}};
  return o;
}

http::Response unavailable() {
  return error(503, "printing_off", "printing is off or has no printers in the config");
}

}  // namespace

std::vector<Route> PrintingRoutes::routes() {
  const std::map<std::string, std::string> label_id{{"id", "label id"}};
  std::vector<Route> out{
      {"GET", "/api/v1/printers", "listPrinters", k_any_staff,
       [this](const auto&, const auto&) { return printers(); }},
      {"GET", "/api/v1/labels", "listLabels", k_any_staff,
       [this](const auto& req, const auto&) { return labels(req); }},
      // Recorded with the person's name: a reprint is a second label in the world.
      {"POST", "/api/v1/labels/{id}/reprint", "reprintLabel",
       roles({StaffRole::packer, StaffRole::supervisor}),
       [this](const auto& req, const auto& p) { return reprint(req, p.id("id")); }, label_id},
      {"POST", "/api/v1/labels/{id}/checked", "checkLabel",
       roles({StaffRole::packer, StaffRole::supervisor}),
       [this](const auto& req, const auto& p) { return checked(req, p.id("id")); }, label_id},
      {"GET",
       "/api/v1/parcels/{id}/labels/preview",
       "previewLabels",
       k_any_staff,
       [this](const auto& req, const auto& p) { return preview(req, p.id("id")); },
       {{"id", "parcel id"}}},
      {"GET",
       "/api/v1/waves/{id}/pdf",
       "printWave",
       k_any_staff,
       [this](const auto&, const auto& p) { return wave_pdf(p.id("id")); },
       {{"id", "wave id"}}},
  };
  audit_calls(out, "reprintLabel", "label.reprint");
  audit_calls(out, "checkLabel", "label.checked");
  return out;
}

http::Response PrintingRoutes::printers() {
  auto ctx = m_source();
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto counted = printing::count_labels(**conn);
  if (!counted) return from_error(counted.error());
  auto& counts = *counted;
  std::map<std::string, json::object> last_jobs;
  auto read = store::guarded([&]() -> Result<void> {
    soci::rowset<soci::row> jobs =
        ((*conn)->sql().prepare << "SELECT printer, id, state, labels, error, created_at FROM "
                                   "print_jobs ORDER BY created_at, id");
    for (const auto& r : jobs)
      last_jobs[store::get_text(r, 0)] = {{"id", store::get_text(r, 1)},
                                          {"state", store::get_text(r, 2)},
                                          {"labels", store::get_int(r, 3)},
                                          {"error", text_or_null(store::get_text(r, 4))},
                                          {"at", format_iso_shanghai(store::get_int(r, 5))}};
    return {};
  });
  if (!read) return from_error(read.error());
  json::array out;
  const auto health = ctx.runtime ? ctx.runtime->health() : std::map<std::string, PrinterHealth>{};
  for (const auto& p : ctx.config->printing.printers) {
    json::array kinds;
    std::int64_t queued = 0;
    for (auto k : p.kinds) {
      kinds.emplace_back(printing::to_string(k));
      queued += counts[std::string(printing::to_string(k))]["queued"];
    }
    json::object o{{"name", p.name},
                   {"language", printers::to_string(p.language)},
                   {"transport", p.transport == printing::TransportKind::tcp    ? "tcp"
                                 : p.transport == printing::TransportKind::cups ? "cups"
                                                                                : "spool"},
                   {"target", p.target},
                   {"kinds", kinds},
                   {"station", text_or_null(p.station)},
                   {"queued", queued},
                   {"unconfirmed", counts[p.name]["sent"] + counts[p.name]["check"]},
                   {"failed", counts[p.name]["failed"]}};
    if (auto h = health.find(p.name); h != health.end()) {
      o["state"] = h->second.state;
      o["fault"] = text_or_null(h->second.fault);
      o["resume_at"] = h->second.resume_at ? json::value(format_iso_shanghai(h->second.resume_at))
                                           : json::value(nullptr);
    } else {
      o["state"] = "off";
      o["fault"] = nullptr;
      o["resume_at"] = nullptr;
    }
    auto j = last_jobs.find(p.name);
    o["last_job"] = j == last_jobs.end() ? json::value(nullptr) : json::value(j->second);
    out.push_back(std::move(o));
  }
  return ok(json::object{{"printers", out}});
}

http::Response PrintingRoutes::labels(const http::Request& req) {
  auto ctx = m_source();
  if (!ctx.runtime) return unavailable();
  printing::LabelFilter f;
  auto limit = limit_param(req, 100, 1000);
  if (!limit) return from_error(limit.error());
  f.limit = *limit;
  if (auto s = req.query.find("state"); s != req.query.end()) {
    static const std::set<std::string> k_states{"queued",  "sent",   "check",
                                                "printed", "failed", "void"};
    if (!k_states.contains(s->second))
      return error(400, "bad_request",
                   "state: expected queued, sent, check, printed, failed or void, got \"" +
                       s->second + "\"");
    f.state = s->second;
  }
  if (auto p = req.query.find("printer"); p != req.query.end()) f.printer = p->second;
  if (auto p = req.query.find("parcel"); p != req.query.end()) {
    auto id = parse_id(p->second, "parcel");
    if (!id) return from_error(id.error());
    f.parcel_id = *id;
  }
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto list = ctx.runtime->service(**conn, m_clock, *ctx.config).list(f);
  if (!list) return from_error(list.error());
  json::array out;
  for (const auto& l : *list) out.push_back(label_json(l));
  return ok(json::object{{"labels", out}});
}

http::Response PrintingRoutes::reprint(const http::Request& req, std::int64_t label_id) {
  auto ctx = m_source();
  if (!ctx.runtime) return unavailable();
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto reason = text_field(*body, "reason");
  if (!reason) return from_error(reason.error());
  auto station = text_field(*body, "station", "");
  if (!station) return from_error(station.error());
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return from_error(conn.error());
  auto label = ctx.runtime->service(**conn, m_clock, *ctx.config)
                   .reprint(label_id, req.user, *reason, *station);
  if (!label) return from_error(label.error());
  auto res = ok(label_json(*label));
  res.status = 201;
  return res;
}

http::Response PrintingRoutes::checked(const http::Request& req, std::int64_t label_id) {
  auto ctx = m_source();
  if (!ctx.runtime) return unavailable();
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  const auto* printed = body->if_contains("printed");
  if (!printed || !printed->is_bool())
    return error(400, "bad_request", "printed: expected true or false");
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return from_error(conn.error());
  auto label = ctx.runtime->service(**conn, m_clock, *ctx.config)
                   .checked(label_id, req.user, printed->as_bool());
  if (!label) return from_error(label.error());
  return ok(label_json(*label));
}

http::Response PrintingRoutes::wave_pdf(std::int64_t wave_id) {
  auto ctx = m_source();
  if (!ctx.runtime) return unavailable();
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto wave = picking::WaveService(**conn, m_clock, ctx.config->picking).get(wave_id);
  if (!wave) return from_error(wave.error());
  const auto& settings = ctx.config->printing;
  const auto* layout = ctx.runtime->templates().find(settings.pick_list_template);
  if (!layout) return error(503, "printing_off", "no template " + settings.pick_list_template);
  auto doc =
      printers::lay_out(*layout, printing::pick_list_data(*wave, settings.warehouse, m_clock.now()),
                        ctx.runtime->font());
  if (!doc) return from_error(doc.error());
  const printers::Document* docs[] = {&*doc};
  auto pdf = printers::render_pdf(docs, ctx.runtime->font());
  if (!pdf) return from_error(pdf.error());
  http::Response res;
  res.content_type = "application/pdf";
  res.body = std::move(*pdf);
  res.headers["Content-Disposition"] =
      "inline; filename=\"wave-" + std::to_string(wave_id) + ".pdf\"";
  return res;
}

http::Response PrintingRoutes::preview(const http::Request& req, std::int64_t parcel_id) {
  auto ctx = m_source();
  if (!ctx.runtime) return unavailable();
  auto param = [&](const char* name, std::string dflt) {
    auto it = req.query.find(name);
    return it == req.query.end() ? dflt : it->second;
  };
  const auto kind = printing::parse_label_kind(param("kind", "waybill"));
  if (!kind) return error(400, "bad_request", "kind: expected waybill or packing_list");
  const std::string format = param("format", "pdf");
  if (format != "pdf" && format != "png")
    return error(400, "bad_request", "format: expected pdf or png");
  auto page = parse_id(param("page", "1"), "page");
  if (!page || *page < 1) return error(400, "bad_request", "page: expected 1 or more");
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto doc = ctx.runtime->service(**conn, m_clock, *ctx.config).document(parcel_id, *kind);
  if (!doc) return from_error(doc.error());
  http::Response res;
  if (format == "png") {
    auto png = printers::render_png(*doc, static_cast<std::size_t>(*page - 1), ctx.runtime->font());
    if (!png) return from_error(png.error());
    res.content_type = "image/png";
    res.body = std::move(*png);
  } else {
    const printers::Document* docs[] = {&*doc};
    auto pdf = printers::render_pdf(docs, ctx.runtime->font());
    if (!pdf) return from_error(pdf.error());
    res.content_type = "application/pdf";
    res.body = std::move(*pdf);
  }
  // How many things were cut or replaced; GET /api/v1/labels names them.
  res.headers["X-Fulfil-Label-Warnings"] = std::to_string(doc->warnings.size());
  return res;
}

}  // namespace fulfil::daemon::api
