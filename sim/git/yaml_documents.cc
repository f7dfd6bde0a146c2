#include "sim/git/yaml_documents.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace fleetsim {
namespace {

// yaml-cpp marks plain scalars "?" and quoted or block scalars "!"; both mean "no explicit tag".
bool IsNonSpecificTag(const std::string& tag) { return tag.empty() || tag == "?" || tag == "!"; }

// Whether a plain scalar with this text might resolve to something other than a string under the
// YAML 1.1 or 1.2 schemas (null, booleans, numbers). Deliberately broad: quoting a string that
// did not need it is harmless.
bool MightNotBeString(const std::string& text) {
  if (text.empty()) return true;
  const char c = text[0];
  if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') return true;
  static constexpr std::array<std::string_view, 12> kWords = {
      "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "="};
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return std::find(kWords.begin(), kWords.end(), lower) != kWords.end();
}

// yaml-cpp writes a literal block with clip chomping and no indentation indicator, so only a
// string that ends in exactly one newline, does not start with a space and has no other control
// characters and no whitespace-only lines comes back unchanged.
bool LiteralRoundTrips(const std::string& text) {
  if (text.size() < 2 || text.back() != '\n' || text[text.size() - 2] == '\n') return false;
  if (text[0] == ' ' || text[0] == '\t') return false;
  size_t line_start = 0;
  bool only_blank = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      if (only_blank && i > line_start) return false;
      line_start = i + 1;
      only_blank = true;
      continue;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    if (c != ' ' && c != '\t') only_blank = false;
  }
  return true;
}

void EmitTag(YAML::Emitter& out, const std::string& tag) {
  if (IsNonSpecificTag(tag)) return;
  static constexpr std::string_view kCore = "tag:yaml.org,2002:";
  if (tag.rfind(kCore, 0) == 0) {
    out << YAML::SecondaryTag(tag.substr(kCore.size()));
  } else if (tag[0] == '!') {
    out << YAML::LocalTag(tag.substr(1));
  } else {
    out << YAML::VerbatimTag(tag);
  }
}

void EmitScalar(YAML::Emitter& out, const YAML::Node& node, bool in_flow) {
  const std::string& text = node.Scalar();
  // Plain in the source: it resolves the same way when written plain again.
  if (node.Tag() == "?") {
    out << text;
    return;
  }
  if (text.find('\n') != std::string::npos) {
    // The line break that ends the block supplies the final newline (clip chomping); writing it
    // too would leave a whitespace-only line behind.
    if (!in_flow && LiteralRoundTrips(text)) {
      out << YAML::Literal << text.substr(0, text.size() - 1);
    } else {
      out << YAML::DoubleQuoted << text;
    }
  } else if (MightNotBeString(text)) {
    out << YAML::DoubleQuoted << text;
  } else {
    out << text;
  }
}

void EmitNode(YAML::Emitter& out, const YAML::Node& node, bool in_flow) {
  EmitTag(out, node.Tag());
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out << YAML::Null;
      return;
    case YAML::NodeType::Scalar:
      EmitScalar(out, node, in_flow);
      return;
    case YAML::NodeType::Sequence: {
      const bool flow = in_flow || node.Style() == YAML::EmitterStyle::Flow;
      if (flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const YAML::Node& item : node) EmitNode(out, item, flow);
      out << YAML::EndSeq;
      return;
    }
    case YAML::NodeType::Map: {
      const bool flow = in_flow || node.Style() == YAML::EmitterStyle::Flow;
      if (flow) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& kv : node) {
        out << YAML::Key;
        EmitNode(out, kv.first, flow);
        out << YAML::Value;
        EmitNode(out, kv.second, flow);
      }
      out << YAML::EndMap;
      return;
    }
  }
}

}  // namespace

Result<std::vector<YAML::Node>> ParseYamlDocuments(std::string_view text) {
  std::vector<YAML::Node> docs;
  try {
    for (YAML::Node& doc : YAML::LoadAll(std::string(text))) {
      if (!doc.IsNull()) docs.push_back(doc);
    }
  } catch (const YAML::Exception& e) {
    return Status::Error("invalid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                         std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  return docs;
}

Result<std::string> EmitYamlDocuments(const std::vector<YAML::Node>& docs) {
  std::string text;
  for (size_t i = 0; i < docs.size(); ++i) {
    YAML::Emitter out;
    EmitNode(out, docs[i], /*in_flow=*/false);
    if (!out.good()) return Status::Error("cannot write YAML: " + out.GetLastError());
    if (i > 0) text += "---\n";
    text += out.c_str();
    text += '\n';
  }
  return text;
}

std::optional<YAML::Node> MapGet(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return std::nullopt;
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  }
  return std::nullopt;
}

std::string MapGetScalar(const YAML::Node& map, std::string_view key) {
  std::optional<YAML::Node> value = MapGet(map, key);
  return value && value->IsScalar() ? value->Scalar() : std::string();
}

YAML::Node StringNode(const std::string& value) {
  YAML::Node node(value);
  node.SetTag("!");
  return node;
}

std::string DescribeNodeType(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "null";
  }
}

}  // namespace fleetsim
