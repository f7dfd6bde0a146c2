#include "sim/template/go_template.h"

#include "sim/template/exec.h"
#include "sim/template/parser.h"

namespace fleetsim {

struct GoTemplate::Tree {
  gotmpl::Tree tree;
};

Result<GoTemplateOptions> ParseGoTemplateOptions(const std::vector<std::string>& options) {
  GoTemplateOptions result;
  for (const std::string& opt : options) {
    if (opt.empty()) return Status::Error("empty option string");
    if (opt == "missingkey=default" || opt == "missingkey=invalid") {
      result.missing_key = MissingKey::kDefault;
    } else if (opt == "missingkey=zero") {
      result.missing_key = MissingKey::kZero;
    } else if (opt == "missingkey=error") {
      result.missing_key = MissingKey::kError;
    } else {
      return Status::Error("unrecognized option: " + opt);
    }
  }
  return result;
}

Result<GoTemplate> GoTemplate::Parse(std::string_view text, std::string_view name) {
  auto tree = std::make_shared<Tree>();
  tree->tree.name = std::string(name);
  tree->tree.text = std::string(text);
  Status s = gotmpl::ParseTree(tree->tree);
  if (!s.ok()) return s;
  return GoTemplate(std::move(tree));
}

Result<std::string> GoTemplate::Execute(const Json& data, const GoTemplateOptions& options) const {
  std::string out;
  out.reserve(tree_->tree.text.size() + 32);
  Status s = gotmpl::ExecuteTree(tree_->tree, data, options.missing_key, out);
  if (!s.ok()) return s;
  return out;
}

void ConvertNumbersToFloat64(Json& value) {
  if (value.is_number()) {
    value = value.get<double>();
  } else if (value.is_structured()) {
    for (Json& e : value) ConvertNumbersToFloat64(e);
  }
}

}  // namespace fleetsim
