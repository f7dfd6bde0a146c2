#include "sim/scenario/command_args.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "sim/scenario/field_path.h"
#include "sim/scenario/name_rules.h"
#include "sim/scenario/yaml_text.h"

namespace fleetsim {
namespace {

bool Contains(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// "a", "a and b", "a, b and c".
std::string JoinAnd(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

// "repo, from and to, or repo and glob".
std::string DescribeForms(const CommandSpec& spec) {
  std::string out;
  for (size_t i = 0; i < spec.forms.size(); ++i) {
    if (i > 0) out += ", or ";
    out += JoinAnd(spec.forms[i]);
  }
  return out;
}

// The arguments of `form` that no form holding `key` has: what `key` cannot be combined with.
std::vector<std::string_view> Excluded(const CommandSpec& spec,
                                       const std::vector<std::string_view>& form,
                                       std::string_view key) {
  std::vector<std::string_view> excluded;
  for (std::string_view name : form) {
    bool shared = false;
    for (const auto& other : spec.forms) {
      shared = shared || (Contains(other, key) && Contains(other, name));
    }
    if (!shared) excluded.push_back(name);
  }
  return excluded;
}

// The first form whose arguments are all in `keys`, or null.
const std::vector<std::string_view>* CompleteForm(const CommandSpec& spec,
                                                  const std::vector<std::string_view>& keys) {
  for (const auto& form : spec.forms) {
    if (std::all_of(form.begin(), form.end(),
                    [&](std::string_view name) { return Contains(keys, name); })) {
      return &form;
    }
  }
  return nullptr;
}

// `bad-image needs image, or cluster and workload`; with one form, its first missing argument.
void FailIncomplete(const YamlNode& entry, const CommandSpec& spec,
                    const std::vector<std::string_view>& keys) {
  if (spec.forms.size() > 1)
    return entry.Fail(std::string(spec.name) + " needs " + DescribeForms(spec));
  for (std::string_view name : spec.forms[0]) {
    if (!Contains(keys, name)) {
      return entry.Fail(std::string(spec.name) + " needs \"" + std::string(name) + "\"");
    }
  }
}

bool CheckForms(const YamlNode& entry, const CommandSpec& spec,
                const std::vector<MapEntry>& given) {
  if (spec.forms.empty()) return true;
  std::vector<std::string_view> keys;
  for (const MapEntry& arg : given) keys.push_back(arg.key);
  const std::vector<std::string_view>* form = CompleteForm(spec, keys);
  if (form == nullptr) {
    FailIncomplete(entry, spec, keys);
    return false;
  }
  for (const MapEntry& arg : given) {
    bool in_a_form = std::any_of(spec.forms.begin(), spec.forms.end(),
                                 [&](const auto& other) { return Contains(other, arg.key); });
    if (in_a_form && !Contains(*form, arg.key)) {
      arg.key_node.Fail("\"" + arg.key + "\" cannot be used with " +
                        JoinAnd(Excluded(spec, *form, arg.key)) + ": " + std::string(spec.name) +
                        " takes " + DescribeForms(spec));
      return false;
    }
  }
  return true;
}

std::string ReadReference(const YamlNode& node, bool (*valid)(std::string_view),
                          std::string_view shape) {
  std::string text = node.AsString();
  if (node.ok() && !valid(text)) {
    node.Fail(node.name() + " \"" + text + "\" must be " + std::string(shape));
  }
  return text;
}

std::string ReadFile(const YamlNode& node, const LoadScope& scope) {
  std::string written = ReadNonEmpty(node);
  if (!node.ok()) return written;
  std::filesystem::path path = (std::filesystem::path(scope.dir) / written).lexically_normal();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    node.Fail("file \"" + written + "\" does not exist or is not a regular file");
  }
  return path.string();
}

SimDuration ReadPositiveDuration(const YamlNode& node) {
  SimDuration d = node.AsDuration();
  if (node.ok() && d <= SimDuration::Zero()) node.Fail(node.name() + " must be greater than 0");
  return d;
}

void ReadDurationRange(const YamlNode& node, ParamValue* value) {
  if (!node.IsMap()) {
    value->scalar = FormatDuration(ReadPositiveDuration(node));
    return;
  }
  if (!node.CheckKeys({"min", "max"})) return;
  SimDuration min = ReadPositiveDuration(node.Require("min"));
  SimDuration max = ReadPositiveDuration(node.Require("max"));
  if (node.ok() && min > max) {
    node.Fail(node.name() + " min " + FormatDuration(min) + " is greater than max " +
              FormatDuration(max));
  }
  value->shape = ParamValue::Shape::kMap;
  value->map = {{"min", FormatDuration(min)}, {"max", FormatDuration(max)}};
}

std::string ReadNumber(const YamlNode& node, double min, double max, bool min_exclusive) {
  double x = node.AsNumber();
  if (!node.ok()) return "";
  if (min_exclusive && x <= min) {
    node.Fail(node.name() + " must be greater than " + FormatNumber(min));
  } else if (x < min || x > max) {
    node.Fail(node.name() + " must be between " + FormatNumber(min) + " and " + FormatNumber(max));
  }
  return node.AsString();
}

std::map<std::string, std::string> ReadFieldValues(const YamlNode& node) {
  std::map<std::string, std::string> fields;
  for (const MapEntry& entry : node.Entries()) {
    Result<std::vector<FieldPathStep>> steps = ParseFieldPath(entry.key);
    if (!steps.ok()) {
      entry.key_node.Fail(steps.error());
      break;
    }
    fields[entry.key] = ToYamlText(entry.value.raw());
  }
  if (node.ok() && fields.empty()) node.Fail(node.name() + " must name at least one field");
  return fields;
}

ParamValue ReadArg(const YamlNode& node, const ArgSpec& arg, const LoadScope& scope) {
  ParamValue value;
  value.pos = node.pos();
  switch (arg.type) {
    case ArgType::kText:
    case ArgType::kPattern:
      value.scalar = ReadNonEmpty(node);
      break;
    case ArgType::kCluster:
      value.scalar = ReadClusterRef(node, scope, true);
      break;
    case ArgType::kRepo:
      value.scalar = ReadRepoRef(node, scope);
      break;
    case ArgType::kRepoPath:
      value.scalar = ReadRepoPath(node);
      break;
    case ArgType::kFile:
      value.scalar = ReadFile(node, scope);
      break;
    case ArgType::kObject:
      value.scalar = ReadReference(node, IsObjectRef, "Kind/namespace/name or Kind/name");
      break;
    case ArgType::kKindName:
      value.scalar = ReadReference(node, IsKindNameRef, "Kind/name");
      break;
    case ArgType::kBool:
      value.scalar = node.AsBool() ? "true" : "false";
      break;
    case ArgType::kDuration:
      value.scalar = FormatDuration(ReadPositiveDuration(node));
      break;
    case ArgType::kDurationRange:
      ReadDurationRange(node, &value);
      break;
    case ArgType::kFraction:
      value.scalar = ReadNumber(node, 0, 1, false);
      break;
    case ArgType::kPositive:
      value.scalar = ReadNumber(node, 0, 1e12, true);
      break;
    case ArgType::kReplicas:
      value.scalar = std::to_string(node.AsInt(1, 1000));
      break;
    case ArgType::kLabels:
      value.shape = ParamValue::Shape::kMap;
      value.map = ReadLabels(node);
      break;
    case ArgType::kFieldValues:
      value.shape = ParamValue::Shape::kMap;
      value.map = ReadFieldValues(node);
      break;
    case ArgType::kChoice:
      value.scalar = ReadChoice(node, arg.name, arg.choices);
      break;
    case ArgType::kChoiceList:
      value.shape = ParamValue::Shape::kList;
      for (const YamlNode& item : node.Items()) {
        value.list.push_back(ReadChoice(item, arg.name, arg.choices));
      }
      break;
  }
  return value;
}

}  // namespace

const std::vector<std::string_view>& ControllerNames() {
  static const std::vector<std::string_view> kNames = {
      "sealed-secrets", "external-secrets", "argo-rollouts", "argocd-application-controller",
      "argocd-applicationset-controller"};
  return kNames;
}

const CommandSpec* FindCommand(const std::vector<CommandSpec>& table, std::string_view name) {
  for (const CommandSpec& spec : table) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::vector<std::string> CommandNames(const std::vector<CommandSpec>& table) {
  std::vector<std::string> names;
  for (const CommandSpec& spec : table) names.emplace_back(spec.name);
  return names;
}

bool CheckArgKeys(const YamlNode& entry, const CommandSpec& spec,
                  const std::vector<std::string_view>& fixed) {
  std::vector<std::string_view> allowed = fixed;
  for (const ArgSpec& arg : spec.args) allowed.push_back(arg.name);
  return entry.CheckKeys(allowed);
}

Params ReadArgs(const YamlNode& entry, const CommandSpec& spec,
                const std::vector<std::string_view>& fixed, const LoadScope& scope) {
  Params params;
  std::vector<MapEntry> given;
  for (const MapEntry& e : entry.Entries()) {
    if (!Contains(fixed, e.key)) given.push_back(e);
  }
  if (!CheckForms(entry, spec, given)) return params;
  for (const MapEntry& arg : given) {
    auto it = std::find_if(spec.args.begin(), spec.args.end(),
                           [&](const ArgSpec& a) { return a.name == arg.key; });
    if (it == spec.args.end()) continue;  // CheckArgKeys has failed already
    params[arg.key] = ReadArg(arg.value, *it, scope);
    if (!entry.ok()) break;
  }
  return params;
}

}  // namespace fleetsim
