#include "review/slices.hpp"

#include <algorithm>
#include <map>

#include "common/timeutil.hpp"

namespace fulfil::review {

namespace {

std::string serial_text(const std::optional<orders::Serial>& s) {
  return s ? s->text() : "-";
}
std::string time_text(const std::optional<UnixSeconds>& t) {
  return t ? format_iso_shanghai(*t) : "-";
}

bool in_serial(const Slice& s, const orders::Serial& v) {
  return (!s.serial_after || *s.serial_after < v) && (!s.serial_through || v <= *s.serial_through);
}
bool in_time(const Slice& s, UnixSeconds t) {
  return (!s.time_from || *s.time_from <= t) && (!s.time_before || t < *s.time_before);
}

// For range slicings: sorted by lower bound, the first must be open below, the last open
// above, and each lower bound must equal the previous upper bound exactly.
template <class Lower, class Upper, class Text>
void check_ranges(std::vector<const Slice*> order, Lower lower, Upper upper, Text text,
                  std::vector<std::string>& errors) {
  std::stable_sort(order.begin(), order.end(), [&](const Slice* a, const Slice* b) {
    auto la = lower(*a), lb = lower(*b);
    if (!la || !lb) return !la && lb;
    return *la < *lb;
  });
  auto name = [&](const Slice* s) {
    return "slice " + s->name + " (" + text(lower(*s)) + " .. " + text(upper(*s)) + ")";
  };
  for (const Slice* s : order)
    if (lower(*s) && upper(*s) && !(*lower(*s) < *upper(*s)))
      errors.push_back(name(s) + ": the range is empty");
  if (lower(*order.front()))
    errors.push_back("gap: nothing covers below " + text(lower(*order.front())) +
                     " (the first slice must have no lower bound)");
  if (upper(*order.back()))
    errors.push_back("gap: nothing covers above " + text(upper(*order.back())) +
                     " (the last slice must have no upper bound)");
  for (std::size_t i = 1; i < order.size(); ++i) {
    auto up = upper(*order[i - 1]);
    auto low = lower(*order[i]);
    if (!up || !low)
      errors.push_back("overlap: " + name(order[i - 1]) + " and " + name(order[i]));
    else if (*low < *up)
      errors.push_back("overlap: " + name(order[i - 1]) + " and " + name(order[i]));
    else if (*up < *low)
      errors.push_back("gap: between " + name(order[i - 1]) + " and " + name(order[i]));
  }
}

}  // namespace

std::vector<std::string> validate(const Slicing& sl, const std::vector<std::string>& shops) {
  std::vector<std::string> errors;
  if (sl.slices.empty()) return {"no slices: configure at least one [[review.slices]]"};
  std::map<std::string, std::string> reviewer_slice;
  std::map<std::string, int> names;
  for (const auto& s : sl.slices) {
    if (++names[s.name] == 2) errors.push_back("slice " + s.name + " is configured twice");
    if (s.reviewers.empty() && sl.by != SplitBy::pool)
      errors.push_back("slice " + s.name + " has no reviewers: nobody would review its parcels");
    for (const auto& r : s.reviewers) {
      auto [it, fresh] = reviewer_slice.emplace(r, s.name);
      if (!fresh && it->second != s.name)
        errors.push_back("reviewer " + r + " is in slices " + it->second + " and " + s.name);
    }
    const bool has_serial = s.serial_after || s.serial_through;
    const bool has_time = s.time_from || s.time_before;
    const bool has_shop = !s.shops.empty();
    if ((has_serial && sl.by != SplitBy::serial) || (has_time && sl.by != SplitBy::order_time) ||
        (has_shop && sl.by != SplitBy::shop))
      errors.push_back("slice " + s.name + ": its bounds do not match split_by");
  }
  std::vector<const Slice*> all;
  for (const auto& s : sl.slices) all.push_back(&s);
  switch (sl.by) {
    case SplitBy::pool:
      if (sl.slices.size() != 1)
        errors.push_back("split_by = \"pool\" takes exactly one slice (shared by its reviewers)");
      break;
    case SplitBy::serial:
      check_ranges(
          all, [](const Slice& s) { return s.serial_after; },
          [](const Slice& s) { return s.serial_through; },
          [](const std::optional<orders::Serial>& v) { return serial_text(v); }, errors);
      break;
    case SplitBy::order_time:
      check_ranges(
          all, [](const Slice& s) { return s.time_from; },
          [](const Slice& s) { return s.time_before; },
          [](const std::optional<UnixSeconds>& v) { return time_text(v); }, errors);
      break;
    case SplitBy::shop: {
      std::map<std::string, std::string> owner;
      for (const auto& s : sl.slices)
        for (const auto& shop : s.shops) {
          auto [it, fresh] = owner.emplace(shop, s.name);
          if (!fresh)
            errors.push_back("overlap: shop " + shop + " is in slices " + it->second + " and " +
                             s.name);
          if (std::find(shops.begin(), shops.end(), shop) == shops.end())
            errors.push_back("slice " + s.name + ": no shop named " + shop + " is configured");
        }
      for (const auto& shop : shops)
        if (!owner.contains(shop)) errors.push_back("gap: shop " + shop + " is in no slice");
      break;
    }
  }
  return errors;
}

std::string slice_of(const Slicing& sl, const SliceKey& k) {
  for (const auto& s : sl.slices) {
    switch (sl.by) {
      case SplitBy::pool:
        return s.name;
      case SplitBy::serial:
        if (in_serial(s, k.serial)) return s.name;
        break;
      case SplitBy::order_time:
        if (in_time(s, k.created)) return s.name;
        break;
      case SplitBy::shop:
        if (std::find(s.shops.begin(), s.shops.end(), k.shop) != s.shops.end()) return s.name;
        break;
    }
  }
  return {};
}

std::string slice_condition(const Slicing& sl, const Slice& s) {
  std::string c = "1 = 1";
  auto serial_le = [](const orders::Serial& v) {
    return "(serial_day < " + std::to_string(v.yymmdd) +
           " OR (serial_day = " + std::to_string(v.yymmdd) +
           " AND serial_seq <= " + std::to_string(v.seq) + "))";
  };
  switch (sl.by) {
    case SplitBy::pool:
      break;
    case SplitBy::serial:
      if (s.serial_after) c += " AND NOT " + serial_le(*s.serial_after);
      if (s.serial_through) c += " AND " + serial_le(*s.serial_through);
      break;
    case SplitBy::order_time:
      if (s.time_from) c += " AND created >= " + std::to_string(*s.time_from);
      if (s.time_before) c += " AND created < " + std::to_string(*s.time_before);
      break;
    case SplitBy::shop: {
      c += " AND shop IN (";
      for (std::size_t i = 0; i < s.shops.size(); ++i)
        c += (i ? ", '" : "'") + s.shops[i] + "'";  // shop names are [A-Za-z0-9_-]
      c += s.shops.empty() ? "NULL)" : ")";
      break;
    }
  }
  return c;
}

std::string describe_range(const Slicing& sl, const Slice& s) {
  switch (sl.by) {
    case SplitBy::pool:
      return "everything";
    case SplitBy::serial:
      return "serials after " + serial_text(s.serial_after) + " through " +
             serial_text(s.serial_through);
    case SplitBy::order_time:
      return "ordered from " + time_text(s.time_from) + " before " + time_text(s.time_before);
    case SplitBy::shop: {
      std::string out = "shops";
      for (const auto& shop : s.shops) out += " " + shop;
      return out;
    }
  }
  return {};
}

}  // namespace fulfil::review
