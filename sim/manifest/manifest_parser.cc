#include "sim/manifest/manifest_parser.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "sim/manifest/go_json.h"
#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

using json = Json;

constexpr std::string_view kNotAMap = " into Go value of type map[string]interface {}";

std::string_view StripBom(std::string_view content) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  return content;
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipJsonSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsJsonSpace(s[i])) ++i;
  return i;
}

// The end of the JSON value starting at `start` (not checked for validity), or nullopt if the
// text ends inside it.
std::optional<size_t> JsonValueEnd(std::string_view s, size_t start) {
  const char first = s[start];
  if (first != '{' && first != '[' && first != '"') {
    size_t i = start;
    while (i < s.size() && !IsJsonSpace(s[i]) &&
           std::string_view(",:[]{}\"").find(s[i]) == std::string_view::npos) {
      ++i;
    }
    return std::max(i, start + 1);
  }
  int depth = 0;
  bool in_string = false;
  for (size_t i = start; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) return i + 1;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::nullopt;
}

// The reason in a nlohmann error, without its "[json.exception.parse_error.101] " tag.
std::string ExceptionReason(const json::exception& e) {
  std::string what = e.what();
  const size_t tag_end = what.find("] ");
  return tag_end == std::string::npos ? what : what.substr(tag_end + 2);
}

// Why Unstructured cannot hold `doc`, as its decoder says it, or "" if it can.
std::string UnstructuredDecodeError(const json& doc) {
  if (!doc.is_object())
    return "json: cannot unmarshal " + GoJsonTypeName(doc) + std::string(kNotAMap);
  if (KindOf(doc).empty()) return MissingKindError(doc);
  return "";
}

Result<std::vector<json>> ParseJsonFile(std::string_view name, std::string_view content) {
  const std::string prefix = "Failed to unmarshal " + GoQuote(name) + ": ";
  const size_t start = SkipJsonSpace(content, 0);
  if (start == content.size()) return Status::Error(prefix + "EOF");
  const std::optional<size_t> end = JsonValueEnd(content, start);
  if (!end) return Status::Error(prefix + "unexpected EOF");
  json value;
  try {
    value = json::parse(content.substr(0, *end));
  } catch (const json::exception& e) {
    return Status::Error(prefix + "json: " + ExceptionReason(e));
  }
  if (!value.is_object() && !value.is_null()) {
    return Status::Error(prefix + "json: cannot unmarshal " + GoJsonTypeName(value) +
                         std::string(kNotAMap));
  }
  // json.Decoder.More: another value follows unless the next character closes a container.
  const size_t next = SkipJsonSpace(content, *end);
  if (next < content.size() && content[next] != ']' && content[next] != '}') {
    return Status::Error("Found multiple objects in " + GoQuote(name) +
                         ". Only single objects are allowed in JSON files.");
  }
  if (value.is_null()) return std::vector<json>();
  if (Status s = RoundTripGoNumbers(value); !s.ok()) return Status::Error(prefix + s.message());
  return std::vector<json>{std::move(value)};
}

bool LooksLikeManifest(std::string_view content) {
  return content.find("apiVersion:") != std::string_view::npos &&
         content.find("kind:") != std::string_view::npos &&
         content.find("metadata:") != std::string_view::npos;
}

Result<std::vector<json>> ParseYamlFile(std::string_view name, std::string_view content) {
  YamlStream parsed = ParseYamlStream(content);
  std::vector<json>& docs = parsed.documents;
  std::string reason = parsed.error.ok() ? "" : parsed.error.message();
  // Each document is decoded into an Unstructured as it is read; the first refusal ends the file.
  for (size_t i = 0; i < docs.size(); ++i) {
    if (std::string why = UnstructuredDecodeError(docs[i]); !why.empty()) {
      reason = "error unmarshaling JSON: while decoding JSON: " + why;
      docs.resize(i);
      break;
    }
  }
  if (reason.empty()) return std::move(docs);
  if (docs.empty() && !LooksLikeManifest(content)) return std::vector<json>();
  return Status::Error("Failed to unmarshal " + GoQuote(name) +
                       ": failed to unmarshal manifest: " + reason);
}

}  // namespace

Result<std::vector<json>> ParseManifestFile(std::string_view name, std::string_view content) {
  content = StripBom(content);
  if (name.ends_with(".json")) return ParseJsonFile(name, content);
  return ParseYamlFile(name, content);
}

Result<std::vector<json>> ExpandLists(std::vector<json> documents) {
  std::vector<json> out;
  out.reserve(documents.size());
  for (json& doc : documents) {
    auto items = doc.is_object() ? doc.find("items") : doc.end();
    if (items != doc.end() && items->is_array()) {
      for (json& item : *items) {
        if (!item.is_object()) {
          return Status::Error("items member is not an object: map[string]interface {}");
        }
        out.push_back(std::move(item));
      }
    } else if (items != doc.end() && items->is_null() && !doc.contains("spec") &&
               !doc.contains("status")) {
      continue;
    } else {
      out.push_back(std::move(doc));
    }
  }
  return out;
}

std::string KindOf(const json& document) {
  if (!document.is_object()) return "";
  auto api_version = document.find("apiVersion");
  if (api_version != document.end() && api_version->is_string()) {
    const auto& text = api_version->get_ref<const std::string&>();
    if (text != "/" && std::count(text.begin(), text.end(), '/') > 1) return "";
  }
  auto kind = document.find("kind");
  return kind != document.end() && kind->is_string() ? kind->get<std::string>() : "";
}

std::string MissingKindError(const json& document) {
  return "Object 'Kind' is missing in '" + GoJsonMarshal(document) + "'";
}

}  // namespace fleetsim
