#include "sim/git/yaml_set.h"

#include <optional>
#include <utility>

#include "sim/git/yaml_documents.h"
#include "sim/scenario/field_path.h"

namespace fleetsim {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Where(const std::vector<FieldPathStep>& steps, size_t count) {
  return count == 0 ? "the document" : "field " + Quoted(FormatFieldPath(steps, count));
}

// Walks to the parent of the last step, creating missing maps, and stores `value` there.
Status SetInNode(YAML::Node node, const std::vector<FieldPathStep>& steps,
                 const YAML::Node& value) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const FieldPathStep& step = steps[i];
    const bool last = i + 1 == steps.size();
    YAML::Node next;
    if (!step.is_index) {
      if (node.IsDefined() && !node.IsMap() && !node.IsNull()) {
        return Status::Error(Where(steps, i) + " is " + DescribeNodeType(node) + ", not a map");
      }
      if (last) {
        node[step.key] = value;
        return Status::Ok();
      }
      std::optional<YAML::Node> child = MapGet(node, step.key);
      if (!child && steps[i + 1].is_index) {
        return Status::Error(Where(steps, i + 1) + " does not exist (lists are not created)");
      }
      next = child ? *child : node[step.key];  // a new key stays invisible until assigned
    } else {
      if (!node.IsSequence()) {
        return Status::Error(Where(steps, i) + " is " + DescribeNodeType(node) + ", not a list");
      }
      if (step.index >= node.size()) {
        return Status::Error(Where(steps, i + 1) + " does not exist: the list has " +
                             std::to_string(node.size()) + " items");
      }
      if (last) {
        node[step.index] = value;
        return Status::Ok();
      }
      next = node[step.index];
    }
    node.reset(next);
  }
  return Status::Ok();
}

Result<YAML::Node> ParseValue(std::string_view value) {
  try {
    return YAML::Load(std::string(value));
  } catch (const YAML::Exception& e) {
    return Status::Error("invalid value " + Quoted(value) + ": " + e.msg);
  }
}

// The index of the document `select` names, or of the only document.
Result<size_t> SelectDocument(const std::vector<YAML::Node>& docs, std::string_view select) {
  if (select.empty()) {
    if (docs.size() == 1) return size_t{0};
    if (docs.empty()) return Status::Error("file has no YAML documents");
    return Status::Error("file has " + std::to_string(docs.size()) +
                         " documents; set select: Kind/name");
  }
  const size_t slash = select.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == select.size()) {
    return Status::Error("invalid select " + Quoted(select) + ": expected Kind/name");
  }
  const std::string_view kind = select.substr(0, slash);
  const std::string_view name = select.substr(slash + 1);
  std::vector<size_t> matches;
  for (size_t i = 0; i < docs.size(); ++i) {
    std::optional<YAML::Node> metadata = MapGet(docs[i], "metadata");
    if (MapGetScalar(docs[i], "kind") == kind && metadata &&
        MapGetScalar(*metadata, "name") == name) {
      matches.push_back(i);
    }
  }
  if (matches.empty()) return Status::Error("no document matches select " + Quoted(select));
  if (matches.size() > 1) {
    return Status::Error("select " + Quoted(select) + " matches " + std::to_string(matches.size()) +
                         " documents");
  }
  return matches[0];
}

}  // namespace

std::string FormatFieldPath(const std::vector<FieldPathStep>& steps, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < steps.size(); ++i) {
    const FieldPathStep& step = steps[i];
    if (step.is_index) {
      out += "[" + std::to_string(step.index) + "]";
      continue;
    }
    if (i > 0) out += '.';
    if (step.key.find_first_of(".[]\"\\") == std::string::npos && !step.key.empty()) {
      out += step.key;
      continue;
    }
    out += '"';
    for (const char c : step.key) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out;
}

Result<std::string> SetYamlField(std::string_view text, std::string_view field,
                                 std::string_view value, std::string_view select) {
  return CatchYamlExceptions([&]() -> Result<std::string> {
    Result<std::vector<FieldPathStep>> steps = ParseFieldPath(field);
    if (!steps.ok()) return steps.status();
    Result<YAML::Node> parsed_value = ParseValue(value);
    if (!parsed_value.ok()) return parsed_value.status();
    Result<std::vector<YAML::Node>> docs = ParseYamlDocuments(text);
    if (!docs.ok()) return docs.status();
    Result<size_t> doc = SelectDocument(*docs, select);
    if (!doc.ok()) return doc.status();
    if (Status set = SetInNode((*docs)[*doc], *steps, *parsed_value); !set.ok()) return set;
    return EmitYamlDocuments(*docs);
  });
}

}  // namespace fleetsim
