#include "tests/template/template_test_util.h"

namespace fleetsim::testing_template {

std::string Render(std::string_view text, std::string_view data, MissingKey missing_key) {
  Result<GoTemplate> t = GoTemplate::Parse(text);
  if (!t.ok()) return "ERROR: " + t.error();
  Result<std::string> out = t->Execute(Json::parse(data), {.missing_key = missing_key});
  if (!out.ok()) return "ERROR: " + out.error();
  return *out;
}

std::string ParseError(std::string_view text) {
  Result<GoTemplate> t = GoTemplate::Parse(text);
  return t.ok() ? "<ok>" : t.error();
}

}  // namespace fleetsim::testing_template
