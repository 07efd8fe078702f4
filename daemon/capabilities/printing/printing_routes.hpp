#pragma once
#include <functional>
#include <memory>

#include "api/route_table.hpp"
#include "capabilities/printing/printing_runtime.hpp"
#include "common/clock.hpp"
#include "config.hpp"
#include "http/http_server.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// The config in force and the printing runtime made from it (null when printing is off).
struct PrintingContext {
  std::shared_ptr<const Config> config;
  std::shared_ptr<PrintingRuntime> runtime;
};
using PrintingSource = std::function<PrintingContext()>;

// Printing for staff: GET /api/v1/printers (each printer with its queue and last job),
// GET /api/v1/labels?state=&printer=&parcel= (labels with their state, job and errors:
// `sent` ones are those to check after a fault), POST /api/v1/labels/{id}/reprint
// {"reason"} (by the person logged in, recorded and audited), POST /api/v1/labels/{id}/checked
// {"printed": bool} (a person looked at a label the printer left uncertain), and
// GET /api/v1/parcels/{id}/labels/preview?kind=waybill|packing_list&format=pdf|png&page=N,
// and GET /api/v1/waves/{id}/pdf (a wave's pick list).
class PrintingRoutes {
 public:
  PrintingRoutes(StoreAccess& store, const Clock& clock, PrintingSource source)
      : m_store(store), m_clock(clock), m_source(std::move(source)) {}
  std::vector<Route> routes();

 private:
  http::Response printers();
  http::Response labels(const http::Request& req);
  http::Response reprint(const http::Request& req, std::int64_t label_id);
  http::Response checked(const http::Request& req, std::int64_t label_id);
  http::Response preview(const http::Request& req, std::int64_t parcel_id);
  // A wave's pick list as a PDF (printing's pick_list_template), for a browser to print.
  http::Response wave_pdf(std::int64_t wave_id);
  StoreAccess& m_store;
  const Clock& m_clock;
  PrintingSource m_source;
};

}  // namespace fulfil::daemon::api
