#include "sim/scenario/yaml_text.h"

#include <yaml-cpp/yaml.h>

#include "sim/text/go_text.h"

namespace fleetsim {
namespace {

// Characters that cannot change how a plain scalar reads in flow context. Numbers, booleans and
// nulls are spelt with these alone, so they stay plain and keep their type.
bool IsSafePlain(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '+' || c == '-' || c == '~' || c == '/';
    if (!safe) return false;
  }
  // "-" alone starts a list item; "---" and "..." mark documents.
  return s != "-" && s.rfind("---", 0) != 0 && s.rfind("...", 0) != 0;
}

std::string DoubleQuoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (!AppendEscapedByte(out, static_cast<unsigned char>(c))) out += c;
  }
  return out + "\"";
}

std::string ScalarText(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "?" && IsSafePlain(text)) return text;
  return DoubleQuoted(text);
}

}  // namespace

std::string ToYamlText(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return ScalarText(node);
    case YAML::NodeType::Sequence: {
      std::string out = "[";
      bool first = true;
      for (const auto& item : node) {
        if (!first) out += ", ";
        first = false;
        out += ToYamlText(item);
      }
      return out + "]";
    }
    case YAML::NodeType::Map: {
      std::string out = "{";
      bool first = true;
      for (const auto& entry : node) {
        if (!first) out += ", ";
        first = false;
        out += ToYamlText(entry.first) + ": " + ToYamlText(entry.second);
      }
      return out + "}";
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "null";
}

}  // namespace fleetsim
