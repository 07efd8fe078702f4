#pragma once
#include <map>
#include <string>

#include "common/error.hpp"
#include "layout/label_template.hpp"

namespace fulfil::printing {

// The label templates by name: those built in (config/labels/*.toml, compiled into the
// binary) and those in `folder` (a file there replaces the built-in one of its name).
class TemplateLibrary {
 public:
  // Errors list every template that does not parse, with file:line.
  static Result<TemplateLibrary> load(const std::string& folder);
  const printers::LabelTemplate* find(const std::string& name) const;
  const std::map<std::string, printers::LabelTemplate>& all() const { return m_templates; }

 private:
  std::map<std::string, printers::LabelTemplate> m_templates;
};

// The built-in templates' files: name ("waybill-76x130.toml") and text.
const std::map<std::string, std::string_view>& builtin_templates();

}  // namespace fulfil::printing
