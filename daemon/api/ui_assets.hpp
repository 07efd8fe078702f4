#pragma once
#include <span>
#include <string_view>

namespace fulfil::daemon::api {

// One file of the staff web UI (daemon/ui), compiled in by daemon/CMakeLists.txt.
struct UiAsset {
  std::string_view path;  // "/ui/app.js"
  std::string_view body;
};
std::span<const UiAsset> ui_assets();

}  // namespace fulfil::daemon::api
