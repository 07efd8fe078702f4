#pragma once
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "cainiao_waybills.hpp"
#include "http/http_server.hpp"
#include "trade_generator.hpp"

namespace fulfil::sim {

struct TopSimSettings {
  std::string app_key = "12345678";
  std::string app_secret = "sim-secret";
  std::string session = "sim-session";
  std::uint64_t seed = 1;
  std::int64_t trades = 1000;
  UnixSeconds span_start = 0;  // trades are created in [span_start, span_end)
  UnixSeconds span_end = 0;
  std::int64_t max_skew_seconds = 600;  // the gateway rejects more than 10 minutes
  // Each trade is last modified (so arrives) at its even place in the span, its creation and
  // payment moved back to match: a steady load over a span that reaches into the future.
  // Otherwise trades are created evenly and most arrive minutes later (payment), those past
  // the span's end at its end.
  bool steady_arrivals = false;
};

// What the simulator should do wrong, by counting requests (deterministic).
struct TopSimFaults {
  int rate_limit_every = 0;    // code 7 on every Nth request
  int isp_error_every = 0;     // code 15 isp.* on every Nth
  int truncate_every = 0;      // body cut in half on every Nth
  int drop_every = 0;          // connection closed unanswered on every Nth
  int http_503_every = 0;      // HTTP 503 on every Nth
  int mutate_per_request = 0;  // trades modified (moved out of their window) per page served
  int latency_ms = 0;
};

// Expected platform state of one trade, for tests to compare the store against.
struct ExpectedTrade {
  std::string status;
  std::int64_t payment_fen = 0;
  UnixSeconds modified = 0;
  int lines = 0;
  bool refund = false;
  bool raw = false;  // a deliberately bad trade
};

// A TOP gateway on 127.0.0.1 that checks each request as the real one does (signature
// with md5/hmac/hmac-sha256, timestamp skew, app key, session, required and valid
// parameters) and answers like it, errors with HTTP 200 included. Serves
// taobao.trades.sold.increment.get (newest modified first), taobao.trades.sold.get and
// taobao.trade.fullinfo.get, taobao.logistics.offline.send (ship confirmation; the
// trade becomes shipped), taobao.trade.memo.update and taobao.trade.close (payment reminders),
// taobao.item.quantity.update (stock pushed to the platform), and
// Cainiao's e-waybill (cainiao.waybill.ii.get / cancel, see CainiaoWaybills). Runs its own I/O
// thread.
class TopSimulator {
 public:
  explicit TopSimulator(TopSimSettings settings);
  ~TopSimulator();

  // Starts serving; returns the port. The base URL is http://127.0.0.1:PORT/router/rest.
  unsigned short start(unsigned short port = 0);
  void stop();
  std::string base_url() const;

  void set_faults(const TopSimFaults& f);
  void set_session_valid(bool valid);
  // Adds a trade whose JSON text is sent verbatim (bad-input tests).
  void add_raw_trade(std::int64_t tid, UnixSeconds modified, std::string raw_json);
  // Modifies n random trades now (pay, close, refund, memo): they move to the newest window.
  void mutate(int n);

  std::map<std::int64_t, ExpectedTrade> expected() const;
  // Shipments told by taobao.logistics.offline.send: tid -> (company code, tracking number,
  // sub_tid list), and how many sends were accepted in all (repeats included).
  struct Shipment {
    std::string company_code, out_sid, sub_tid;
  };
  std::map<std::int64_t, Shipment> shipments() const;
  // The seller memo and flag of a trade as the platform holds them, and how many
  // taobao.trade.memo.update calls changed them.
  struct Memo {
    std::string memo;
    int flag = 0;
    int updates = 0;
  };
  std::map<std::int64_t, Memo> memos() const;
  // The trades closed with taobao.trade.close, and the reason given.
  std::map<std::int64_t, std::string> closed() const;
  // The current status of a trade ("" when unknown).
  std::string status_of(std::int64_t tid) const;
  // Items on sale: a quantity per (num_iid, sku_id; 0 for an item without SKUs), set by
  // taobao.item.quantity.update. An item not listed (or delisted) answers isv.item-not-exist,
  // a SKU the item does not have isv.sku-not-exist.
  void list_item(std::int64_t num_iid, std::vector<std::int64_t> sku_ids, std::int64_t quantity);
  void delist_item(std::int64_t num_iid);
  std::optional<std::int64_t> quantity_of(std::int64_t num_iid, std::int64_t sku_id) const;
  std::int64_t quantity_updates() const { return m_quantity_updates.load(); }
  // Trade ids in the given status, oldest created first.
  std::vector<std::int64_t> tids_in(const std::string& status) const;
  std::int64_t sends_accepted() const { return m_sends.load(); }
  std::int64_t requests() const { return m_requests.load(); }
  CainiaoWaybills& cainiao() { return m_cainiao; }
  std::int64_t errors_served() const { return m_errors.load(); }

 private:
  http::Response handle(const http::Request& req);
  http::Response gateway(const std::map<std::string, std::string>& params);
  http::Response page(const std::string& method, const std::map<std::string, std::string>& p,
                      bool by_created);
  void mutate_locked(int n);
  // The trade at `index` was changed now: it moves to the newest window (m_mutex held).
  void touch_locked(std::size_t index);
  http::Response offline_send(const std::map<std::string, std::string>& p);
  http::Response memo_update(const std::map<std::string, std::string>& p);
  http::Response trade_close(const std::map<std::string, std::string>& p);
  http::Response quantity_update(const std::map<std::string, std::string>& p);
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> m_quantities;
  std::atomic<std::int64_t> m_quantity_updates{0};
  std::map<std::int64_t, int> m_memo_updates;
  std::map<std::int64_t, std::string> m_closed;
  std::map<std::int64_t, Shipment> m_shipments;
  CainiaoWaybills m_cainiao;
  std::atomic<std::int64_t> m_sends{0};

  TopSimSettings m_settings;
  TradeGenerator m_gen;
  mutable std::mutex m_mutex;
  std::vector<SimTrade> m_trades;
  std::unordered_map<std::int64_t, std::size_t> m_by_tid;
  std::set<std::pair<UnixSeconds, std::size_t>> m_by_modified;
  std::set<std::pair<UnixSeconds, std::size_t>> m_by_created;
  std::uint64_t m_version = 0;  // bumps on every mutation; keys the page cache
  std::string m_cache_key;
  std::vector<std::size_t> m_cache;
  TopSimFaults m_faults;
  bool m_session_valid = true;
  std::atomic<std::int64_t> m_requests{0};
  std::atomic<std::int64_t> m_errors{0};

  boost::asio::io_context m_io;
  std::unique_ptr<http::HttpServer> m_server;
  std::thread m_thread;
  unsigned short m_port = 0;
};

}  // namespace fulfil::sim
