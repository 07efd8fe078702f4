#pragma once
#include <functional>
#include <memory>
#include <optional>

#include <boost/json/object.hpp>

#include "aftersale/return_service.hpp"
#include "aftersale/settings.hpp"
#include "aftersale/slip_sender.hpp"
#include "api/route_table.hpp"
#include "common/clock.hpp"
#include "http/http_server.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// A return as the API shows it.
boost::json::object return_json(const aftersale::ReturnRecord& r);
// A check-in (or match) from its JSON body; each error names its field.
Result<aftersale::CheckIn> read_check_in(const boost::json::object& body, const std::string& user);

// The after-sale settings in force and the channel's status (null when not running).
struct AftersaleContext {
  std::shared_ptr<const aftersale::AftersaleSettings> settings;
  std::function<std::optional<aftersale::ChannelStatus>()> channel;
};
using AftersaleSource = std::function<AftersaleContext()>;

// Return check-in for the staff (退货登记): GET /api/v1/returns/scan/{code} (what a scan
// finds), POST /api/v1/returns (check a return in; 201), GET /api/v1/returns (search by
// state, courier, number, trade), GET /api/v1/returns/{id}, POST /api/v1/returns/{id}/match
// (give an unidentified return its parcel and form), GET /api/v1/aftersale/outbox (the
// backlog and the channel).
class ReturnRoutes {
 public:
  ReturnRoutes(StoreAccess& store, const Clock& clock, AftersaleSource source)
      : m_store(store), m_clock(clock), m_source(std::move(source)) {}
  std::vector<Route> routes();
  // The outbox backlog and the channel, for /healthz; sets `degraded` when slips wait
  // without a peer.
  boost::json::object health(bool& degraded);

 private:
  http::Response scan(const std::string& code);
  // The acting person and the form of a check-in or a match, or the answer to refuse it.
  std::expected<aftersale::CheckIn, http::Response> staff_form(const http::Request& req);
  http::Response check_in(const http::Request& req);
  http::Response list(const http::Request& req);
  http::Response get(std::int64_t id);
  http::Response match(std::int64_t id, const http::Request& req);
  StoreAccess& m_store;
  const Clock& m_clock;
  AftersaleSource m_source;
};

}  // namespace fulfil::daemon::api
