#include <algorithm>

#include "capabilities.hpp"
#include "cli.hpp"
#include "core_commands.hpp"

namespace fulfil::daemon {

const std::vector<Command>& command_table() {
  static const std::vector<Command> k_table = [] {
    std::vector<Command> table = core_commands_first();
    for (const auto& capability : make_capabilities())
      for (auto& command : capability->commands()) table.push_back(std::move(command));
    for (auto& command : core_commands_last()) table.push_back(std::move(command));
    return table;
  }();
  return k_table;
}

}  // namespace fulfil::daemon
