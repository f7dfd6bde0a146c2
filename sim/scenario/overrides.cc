#include "sim/scenario/overrides.h"

#include <yaml-cpp/yaml.h>

#include "sim/scenario/field_path.h"
#include "sim/scenario/yaml_reader.h"

namespace fleetsim {
namespace {

// 1-based column of character `offset` of the PATH=VALUE argument.
int Column(size_t offset) { return static_cast<int>(offset) + 1; }

class Override {
 public:
  Override(const std::string& text, ReadContext* ctx) : text_(text), ctx_(ctx) {}

  Status Apply(YAML::Node& root) {
    size_t eq = text_.find('=');
    if (eq == std::string::npos) return Error("expected PATH=VALUE");
    path_ = text_.substr(0, eq);
    if (path_.empty()) return Error("empty path before '='");
    Result<std::vector<FieldPathStep>> steps = ParseFieldPath(path_);
    if (!steps.ok()) return Error(steps.error());
    Result<YAML::Node> value = ParseValue(text_.substr(eq + 1));
    if (!value.ok()) return value.status();
    ctx_->MarkOverride(*value, Column(eq + 1));
    return Walk(root, *steps, *value);
  }

 private:
  Status Error(std::string_view why) const {
    return Status::Error("--set " + text_ + ": " + std::string(why));
  }

  Result<YAML::Node> ParseValue(const std::string& text) const {
    if (text.empty()) return YAML::Node(std::string());
    try {
      YAML::Node value = YAML::Load(text);
      if (value.IsMap() || value.IsSequence()) {
        return Error("the value must be a single YAML scalar");
      }
      return value;
    } catch (const YAML::Exception& e) {
      return Error("cannot read the value as YAML: " + e.msg);
    }
  }

  Status Walk(YAML::Node& root, const std::vector<FieldPathStep>& steps, const YAML::Node& value) {
    YAML::Node current = root;
    for (size_t i = 0; i < steps.size(); ++i) {
      const FieldPathStep& step = steps[i];
      bool last = i + 1 == steps.size();
      std::string parent =
          path_.substr(0, step.begin > 0 && !step.is_index ? step.begin - 1 : step.begin);
      Result<YAML::Node> next =
          step.is_index ? Item(current, step, parent) : Field(current, step, parent, last);
      if (!next.ok()) return next.status();
      if (last) {
        YAML::Node slot = *next;
        slot = value;  // assigns through to the document
        return Status::Ok();
      }
      current.reset(*next);  // rebinds; `=` would overwrite the node `current` refers to
    }
    return Status::Ok();
  }

  Result<YAML::Node> Item(YAML::Node& current, const FieldPathStep& step,
                          const std::string& parent) const {
    if (!current.IsSequence()) return Error(parent + " is not a list");
    if (step.index >= current.size()) {
      return Error(parent + " has no item " + std::to_string(step.index) + " (it has " +
                   std::to_string(current.size()) + ")");
    }
    return current[step.index];
  }

  // The value under step.key in `current`, created when missing: a map on the way, a placeholder
  // for the last step.
  Result<YAML::Node> Field(YAML::Node& current, const FieldPathStep& step,
                           const std::string& parent, bool last) const {
    if (current.IsNull()) current = YAML::Node(YAML::NodeType::Map);
    if (!current.IsMap()) {
      return Error((parent.empty() ? std::string("the document") : parent) + " is not a map");
    }
    for (auto pair : current) {
      if (KeyText(pair.first) == step.key) return pair.second;
    }
    current[step.key] = last ? YAML::Node() : YAML::Node(YAML::NodeType::Map);
    // Errors about the new key (unknown key) or map (missing key) cite where the key is written.
    for (auto pair : current) {
      if (KeyText(pair.first) == step.key) {
        ctx_->MarkOverride(pair.first, Column(step.begin));
        ctx_->MarkOverride(pair.second, Column(step.begin));
        return pair.second;
      }
    }
    return Error("cannot create " + step.key);  // not reached: the key was just added
  }

  const std::string& text_;  // the PATH=VALUE argument; outlives this short-lived helper
  ReadContext* ctx_;
  std::string path_;
};

}  // namespace

Status ApplyOverrides(YAML::Node& root, const std::vector<std::string>& overrides,
                      ReadContext* ctx) {
  for (const std::string& text : overrides) {
    if (Status s = Override(text, ctx).Apply(root); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace fleetsim
