#include "printing/template_library.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fulfil::printing {

Result<TemplateLibrary> TemplateLibrary::load(const std::string& folder) {
  TemplateLibrary lib;
  std::vector<std::string> errors;
  auto add = [&](const std::string& file, std::string_view text) {
    auto t = printers::parse_template(text, file);
    if (!t)
      errors.push_back(t.error().message);
    else
      lib.m_templates[t->name] = std::move(*t);
  };
  for (const auto& [file, text] : builtin_templates()) add("<built-in>/" + file, text);
  if (!folder.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
      return fail(ErrorKind::config, "printing.templates_dir: " + folder + " is not a folder");
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
      if (entry.path().extension() != ".toml") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      add(entry.path().string(), text.str());
    }
  }
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    return fail(ErrorKind::config, all);
  }
  return lib;
}

const printers::LabelTemplate* TemplateLibrary::find(const std::string& name) const {
  auto it = m_templates.find(name);
  return it == m_templates.end() ? nullptr : &it->second;
}

}  // namespace fulfil::printing
