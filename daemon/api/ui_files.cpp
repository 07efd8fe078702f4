#include "api/ui_files.hpp"

#include "api/api_util.hpp"
#include "api/ui_assets.hpp"

namespace fulfil::daemon::api {

namespace {

std::string_view type_of(std::string_view path) {
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  return "text/html; charset=utf-8";
}

}  // namespace

std::optional<http::Response> serve_ui(const http::Request& req) {
  const bool page = req.path == "/" || req.path == "/index.html";
  if (!page && !req.path.starts_with("/ui/")) return std::nullopt;
  if (req.method != "GET") {
    auto r = error(405, "method_not_allowed", req.method + " is not allowed on " + req.path);
    r.headers["Allow"] = "GET, HEAD";
    return r;
  }
  const std::string_view wanted = page ? std::string_view("/ui/index.html") : req.path;
  for (const auto& asset : ui_assets()) {
    if (asset.path != wanted) continue;
    http::Response r{200, std::string(type_of(asset.path)), std::string(asset.body)};
    // Scripts and styles only from here, no frames around it, nothing sent to other sites.
    r.headers["Content-Security-Policy"] =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'";
    r.headers["X-Content-Type-Options"] = "nosniff";
    r.headers["Referrer-Policy"] = "no-referrer";
    r.headers["Cache-Control"] = "no-cache";
    return r;
  }
  return error(404, "not_found", "no file " + req.path);
}

}  // namespace fulfil::daemon::api
