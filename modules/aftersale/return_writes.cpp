#include "aftersale/return_writes.hpp"

#include <array>

namespace fulfil::aftersale {

namespace {

constexpr std::array<std::string_view, 14> k_return_columns = {
    "id",  "request_key", "state",      "scanned",        "courier", "waybill_no",  "parcel_id",
    "tid", "shop",        "buyer_nick", "item_condition", "note",    "received_by", "received_at"};
constexpr std::array<std::string_view, 5> k_slip_columns = {"id", "return_id", "kind", "body",
                                                            "created_at"};
constexpr std::array<std::string_view, 3> k_outbox_columns = {"slip_id", "state", "created_at"};

store::SqlValue or_null(const std::optional<std::int64_t>& v) {
  return v ? store::SqlValue(*v) : store::SqlValue();
}

}  // namespace

std::string_view ReturnWrites::keep(std::string text) {
  return m_text.emplace_back(std::move(text));
}

void ReturnWrites::add_return(const ReturnRecord& r, const std::string& request_key) {
  const store::SqlValue row[] = {r.id,
                                 request_key.empty() ? store::SqlValue() : keep(request_key),
                                 keep(r.state),
                                 keep(r.scanned),
                                 keep(r.courier),
                                 keep(r.waybill_no),
                                 or_null(r.parcel_id),
                                 or_null(r.tid),
                                 keep(r.shop),
                                 keep(r.buyer_nick),
                                 std::string_view(to_string(r.condition)),
                                 keep(r.note),
                                 keep(r.received_by),
                                 r.received_at};
  m_returns.insert(m_returns.end(), std::begin(row), std::end(row));
}

void ReturnWrites::add_slip(const std::string& id, std::int64_t return_id, std::string_view kind,
                            std::string body, UnixSeconds at) {
  const std::string_view slip = keep(id);
  const store::SqlValue slip_row[] = {slip, return_id, kind, keep(std::move(body)), at};
  m_slips.insert(m_slips.end(), std::begin(slip_row), std::end(slip_row));
  const store::SqlValue outbox_row[] = {slip, std::string_view("pending"), at};
  m_outbox.insert(m_outbox.end(), std::begin(outbox_row), std::end(outbox_row));
}

void ReturnWrites::flush(store::Connection& conn) {
  store::BulkWriter writer(conn);
  writer.insert("returns", k_return_columns, m_returns);
  writer.insert("slips", k_slip_columns, m_slips);
  writer.insert("outbox", k_outbox_columns, m_outbox);
  m_returns.clear();
  m_slips.clear();
  m_outbox.clear();
  m_text.clear();
}

}  // namespace fulfil::aftersale
