#include "sim/manifest/yaml_to_json.h"

#include <optional>
#include <string>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "sim/manifest/go_json.h"
#include "sim/manifest/utf8.h"
#include "sim/manifest/yaml_fast_path.h"
#include "sim/manifest/yaml_scalar.h"

namespace fleetsim {
namespace {

using json = Json;

constexpr size_t kMaxDepth = 1000;
// Beyond this many values a document is an alias bomb (go-yaml refuses those too).
constexpr size_t kMaxValues = size_t{1} << 22;

constexpr std::string_view kConvertPrefix = "error converting YAML to JSON: ";

// One document of the file: its text and the 0-based line it starts on.
struct Chunk {
  std::string text;
  int first_line = 0;
};

// Kubernetes' YAMLReader, one document per call: lines are read with "\r\n" or "\n" endings
// (re-terminated with "\n"), and a line starting with "---" ends a non-empty document.
class DocumentSplitter {
 public:
  explicit DocumentSplitter(std::string_view text) : text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);  // Argo CD's utfutil drops a BOM
  }

  // The next document; nullopt at the end of the text.
  Result<std::optional<Chunk>> Next() {
    Chunk chunk;
    chunk.first_line = line_;
    while (pos_ < text_.size()) {
      size_t end = text_.find('\n', pos_);
      const bool has_newline = end != std::string_view::npos;
      if (!has_newline) end = text_.size();
      std::string_view line = text_.substr(pos_, end - pos_);
      if (has_newline && line.ends_with('\r')) line.remove_suffix(1);
      pos_ = has_newline ? end + 1 : end;
      ++line_;
      if (line.starts_with("---")) {
        const std::string_view rest = Trim(line.substr(3));
        if (!rest.empty() && rest[0] != '#') {
          return Status::Error("invalid Yaml document separator: " + std::string(rest));
        }
        if (!chunk.text.empty()) return std::optional<Chunk>(std::move(chunk));
        chunk.first_line = line_;
        continue;
      }
      chunk.text.append(line);
      chunk.text += '\n';
    }
    if (chunk.text.empty()) return std::optional<Chunk>();
    return std::optional<Chunk>(std::move(chunk));
  }

 private:
  static std::string_view Trim(std::string_view s) {
    const auto space = [](char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
    };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 0;
};

// "line L, column C: " for a yaml-cpp mark in a chunk starting at `first_line`.
std::string Where(const YAML::Mark& mark, int first_line) {
  if (mark.is_null() || mark.line < 0) return "";
  return "line " + std::to_string(first_line + mark.line + 1) + ", column " +
         std::to_string(mark.column + 1) + ": ";
}

// Where the first invalid UTF-8 byte of `text` is, or nullopt (go-yaml refuses such input).
std::optional<YAML::Mark> FindInvalidUtf8(std::string_view text) {
  YAML::Mark mark;
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) return mark;
    if (text[i] == '\n') {
      ++mark.line;
      mark.column = 0;
    } else {
      ++mark.column;
    }
    i += n;
  }
  return std::nullopt;
}

// A yaml-cpp document to JSON with go-yaml v2's typing and sigs.k8s.io/yaml's key conversion.
class Converter {
 public:
  explicit Converter(int first_line) : first_line_(first_line) {}

  Status Convert(const YAML::Node& node, json& out) {
    if (++values_ > kMaxValues) return Fail(node, "document contains excessive aliasing");
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return ConvertScalar(node, out);
      case YAML::NodeType::Sequence:
      case YAML::NodeType::Map:
        return ConvertCollection(node, out);
      default:
        out = nullptr;
        return Status::Ok();
    }
  }

 private:
  Status ConvertScalar(const YAML::Node& node, json& out) {
    const std::string& tag = node.Tag();
    if (tag == "?") {
      out = ResolvePlainScalar(node.Scalar());
      return Status::Ok();
    }
    if (tag == "!" || tag.empty()) {  // quoted or block scalar without a tag
      out = node.Scalar();
      return Status::Ok();
    }
    Result<json> v = ResolveTaggedScalar(tag, node.Scalar());
    if (!v.ok()) return Fail(node, v.error());
    out = std::move(v).value();
    return Status::Ok();
  }

  Status ConvertCollection(const YAML::Node& node, json& out) {
    for (const YAML::Node& open : path_) {
      if (open.is(node)) return Fail(node, "anchor value contains itself");
    }
    if (path_.size() >= kMaxDepth) return Fail(node, "exceeded max depth of 1000");
    path_.push_back(node);
    Status s;
    if (node.IsSequence()) {
      s = ConvertSequence(node, out);
    } else {
      out = json::object();
      s = MergeMap(node, out);
    }
    path_.pop_back();
    return s;
  }

  Status ConvertSequence(const YAML::Node& node, json& out) {
    out = json::array();
    for (const YAML::Node& item : node) {
      json v;
      if (Status s = Convert(item, v); !s.ok()) return s;
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }

  // Sets the pairs of map `node` into `out` in order, as go-yaml v2 decodes a mapping: a later key
  // replaces an earlier one, and a "<<" key merges its value's pairs at that point.
  Status MergeMap(const YAML::Node& node, json& out) {
    for (const auto& pair : node) {  // yaml-cpp's iterator yields the pair by value
      const YAML::Node& key = pair.first;
      if (key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<") {
        if (Status s = Merge(pair.second, out); !s.ok()) return s;
        continue;
      }
      json key_value;
      if (key.IsMap() || key.IsSequence()) return Fail(key, "invalid map key");
      if (Status s = Convert(key, key_value); !s.ok()) return s;
      Result<std::string> name = JsonKeyOf(key_value);
      if (!name.ok()) return Fail(key, name.error(), /*from_go_yaml=*/false);
      json value;
      if (Status s = Convert(pair.second, value); !s.ok()) return s;
      out[*name] = std::move(value);
    }
    return Status::Ok();
  }

  // A merge value is a map, or a list of maps of which the earlier ones win.
  Status Merge(const YAML::Node& value, json& out) {
    constexpr std::string_view kBadMerge =
        "map merge requires map or sequence of maps as the value";
    if (value.IsMap()) return MergeCollection(value, out);
    if (!value.IsSequence()) return Fail(value, std::string(kBadMerge));
    for (size_t i = value.size(); i-- > 0;) {
      if (!value[i].IsMap()) return Fail(value[i], std::string(kBadMerge));
      if (Status s = MergeCollection(value[i], out); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Status MergeCollection(const YAML::Node& map, json& out) {
    for (const YAML::Node& open : path_) {
      if (open.is(map)) return Fail(map, "anchor value contains itself");
    }
    path_.push_back(map);
    Status s = MergeMap(map, out);
    path_.pop_back();
    return s;
  }

  // go-yaml's errors start with "yaml: "; sigs.k8s.io/yaml's own (map keys) do not.
  Status Fail(const YAML::Node& node, const std::string& reason, bool from_go_yaml = true) const {
    return Status::Error(std::string(kConvertPrefix) + (from_go_yaml ? "yaml: " : "") +
                         Where(node.Mark(), first_line_) + reason);
  }

  int first_line_;
  size_t values_ = 0;
  std::vector<YAML::Node> path_;  // open maps and lists, to refuse an alias to an ancestor
};

// One document: its JSON value (null for an empty document) or the error. Most manifests are
// plain block YAML, which the fast reader takes at a fraction of yaml-cpp's cost.
Result<json> ParseChunk(const Chunk& chunk) {
  if (std::optional<json> value = ParseBlockYamlFast(chunk.text)) return std::move(*value);
  return ParseYamlDocument(chunk.text, chunk.first_line);
}

}  // namespace

Result<Json> ParseYamlDocument(std::string_view text, int first_line) {
  if (std::optional<YAML::Mark> bad = FindInvalidUtf8(text)) {
    return Status::Error(std::string(kConvertPrefix) + "yaml: " + Where(*bad, first_line) +
                         "invalid UTF-8");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Status::Error(std::string(kConvertPrefix) + "yaml: " + Where(e.mark, first_line) +
                         e.msg);
  }
  json value;
  Converter converter(first_line);
  if (Status s = converter.Convert(root, value); !s.ok()) return s;
  if (Status s = RoundTripGoNumbers(value); !s.ok()) {
    return Status::Error(std::string(kConvertPrefix) + s.message());
  }
  return value;
}

YamlStream ParseYamlStream(std::string_view text) {
  YamlStream out;
  DocumentSplitter splitter(text);
  while (true) {
    Result<std::optional<Chunk>> chunk = splitter.Next();
    if (!chunk.ok()) {
      out.error = chunk.status();
      return out;
    }
    if (!chunk->has_value()) return out;
    Result<json> doc = ParseChunk(**chunk);
    if (!doc.ok()) {
      out.error = doc.status();
      return out;
    }
    if (!doc->is_null()) out.documents.push_back(std::move(doc).value());
  }
}

Result<std::vector<json>> YamlToJson(std::string_view text) {
  YamlStream docs = ParseYamlStream(text);
  if (!docs.error.ok()) return docs.error;
  return std::move(docs.documents);
}

}  // namespace fleetsim
