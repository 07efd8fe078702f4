#pragma once
#include <toml++/toml.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace fulfil {

// Reads one TOML table (config files, label templates), checking types and ranges, remembering
// which keys it used so the rest can be reported as unknown. Problems accumulate in `errors`.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string path, const std::string& file,
              std::vector<std::string>& errors)
      : m_table(t), m_path(std::move(path)), m_file(file), m_errors(errors) {}

  void error_at(const toml::node* n, std::string_view key, std::string_view what) {
    auto line = n ? n->source().begin.line : m_table.source().begin.line;
    m_errors.push_back(m_file + ":" + std::to_string(line) + ": " + qualified(key) + ": " +
                       std::string(what));
  }

  std::string text(std::string_view key, std::string dflt) {
    const toml::node* n = use(key);
    if (!n) return dflt;
    if (auto v = n->value<std::string>()) return *v;
    error_at(n, key, "expected a string");
    return dflt;
  }
  std::int64_t integer(std::string_view key, std::int64_t dflt, std::int64_t lo, std::int64_t hi) {
    const toml::node* n = use(key);
    if (!n) return dflt;
    auto v = n->value<std::int64_t>();
    if (!v || !n->is_integer()) {
      error_at(n, key, "expected a whole number");
      return dflt;
    }
    if (*v < lo || *v > hi) {
      error_at(
          n, key,
          std::to_string(*v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
      return dflt;
    }
    return *v;
  }
  // A number (whole or not) between lo and hi.
  double real(std::string_view key, double dflt, double lo, double hi) {
    const toml::node* n = use(key);
    if (!n) return dflt;
    auto v = n->value<double>();
    if (!v || !(n->is_integer() || n->is_floating_point())) {
      error_at(n, key, "expected a number");
      return dflt;
    }
    if (*v < lo || *v > hi) {
      error_at(
          n, key,
          std::to_string(*v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
      return dflt;
    }
    return *v;
  }
  // Text that must not be empty; `why` says when it is needed ("required for source = ...").
  std::string required_text(std::string_view key, std::string_view why) {
    std::string v = text(key, "");
    if (v.empty()) error_at(node(key), key, why);
    return v;
  }
  // An http:// or https:// URL.
  std::string url(std::string_view key, std::string dflt) {
    std::string v = text(key, std::move(dflt));
    if (!v.starts_with("http://") && !v.starts_with("https://"))
      error_at(node(key), key, "expected an http:// or https:// URL");
    return v;
  }
  bool boolean(std::string_view key, bool dflt) {
    const toml::node* n = use(key);
    if (!n) return dflt;
    if (auto v = n->value<bool>(); v && n->is_boolean()) return *v;
    error_at(n, key, "expected true or false");
    return dflt;
  }
  const toml::table* table(std::string_view key) {
    const toml::node* n = use(key);
    if (!n) return nullptr;
    if (auto* t = n->as_table()) return t;
    error_at(n, key, "expected a table");
    return nullptr;
  }
  const toml::array* array(std::string_view key) {
    const toml::node* n = use(key);
    if (!n) return nullptr;
    if (auto* a = n->as_array()) return a;
    error_at(n, key, "expected an array of tables ([[" + std::string(key) + "]])");
    return nullptr;
  }
  // An array of strings (empty when absent).
  std::vector<std::string> strings(std::string_view key, std::vector<std::string> dflt = {}) {
    const toml::node* n = use(key);
    if (!n) return dflt;
    const auto* a = n->as_array();
    std::vector<std::string> out;
    if (a)
      for (const auto& item : *a) {
        auto v = item.value<std::string>();
        if (!v || !item.is_string()) {
          error_at(&item, key, "expected an array of strings");
          return dflt;
        }
        out.push_back(*v);
      }
    else
      error_at(n, key, "expected an array of strings");
    return a ? out : dflt;
  }
  // Reports every key not read.
  void finish() {
    for (const auto& [k, v] : m_table)
      if (!m_used.contains(std::string(k.str()))) error_at(&v, k.str(), "unknown key");
  }
  std::string qualified(std::string_view key) const {
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
  }
  const toml::node* node(std::string_view key) const { return m_table.get(key); }

 private:
  const toml::node* use(std::string_view key) {
    m_used.insert(std::string(key));
    return m_table.get(key);
  }
  const toml::table& m_table;
  std::string m_path;
  const std::string& m_file;
  std::vector<std::string>& m_errors;
  std::set<std::string> m_used;
};

// One config error listing every "file:line: key: what" problem, in file order.
// A TOML basic string for `s` ("a\"b"), for describing the config in effect.
inline std::string toml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// A TOML array of strings (["a", "b"]).
inline std::string toml_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + toml_quoted(v[i]);
  return out + "]";
}

inline Error config_error(std::vector<std::string> errors) {
  auto line_of = [](const std::string& e) {
    auto colon = e.find(':');
    return colon == std::string::npos ? 0L : std::atol(e.c_str() + colon + 1);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const auto& x, const auto& y) { return line_of(x) < line_of(y); });
  std::string all;
  for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
  return {ErrorKind::config, all};
}

}  // namespace fulfil
