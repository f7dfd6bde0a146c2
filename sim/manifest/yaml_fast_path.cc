#include "sim/manifest/yaml_fast_path.h"

#include <string>
#include <utility>
#include <vector>

#include "sim/manifest/go_json.h"
#include "sim/manifest/yaml_scalar.h"

namespace fleetsim {
namespace {

// Deeper or bigger documents go to yaml-cpp, which words the limits' errors. yaml-cpp 0.7 refuses
// a node 500 deep ("bad file"), a collection here at depth d being its node d + 1.
constexpr int kMaxDepth = 200;
constexpr size_t kMaxValues = size_t{1} << 20;
// yaml-cpp, as YAML says, refuses an implicit key longer than this ("illegal map value").
constexpr size_t kMaxKeyLength = 1024;

// A line with content: its indentation and its text after it, without trailing spaces.
struct Line {
  int indent = 0;
  std::string_view text;
};

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/';
}

// "- x" or "-": an entry of a block sequence.
bool IsItem(std::string_view text) { return text == "-" || text.starts_with("- "); }

// The length of the key `text` starts with when it is "key:" or "key: ...", else 0.
size_t KeyLength(std::string_view text) {
  // A leading '-' must not be an item's ("- ") nor stand alone ("-:").
  if (text.empty() || (text[0] == '-' && (text.size() < 2 || !IsKeyChar(text[1])))) return 0;
  size_t k = 0;
  while (k < text.size() && IsKeyChar(text[k])) ++k;
  if (k == 0 || k > kMaxKeyLength || k == text.size() || text[k] != ':') return 0;
  if (k + 1 < text.size() && text[k + 1] != ' ') return 0;
  return k;
}

// A scalar written on one line: quoted without escapes, or plain (see the header).
bool ReadScalar(std::string_view v, Json& out) {
  if (v[0] == '"' || v[0] == '\'') {
    const char quote = v[0];
    const size_t close = v.find(quote, 1);
    if (close == std::string_view::npos) return false;
    const std::string_view body = v.substr(1, close - 1);
    if (quote == '"' && body.find('\\') != std::string_view::npos) return false;
    const std::string_view after = v.substr(close + 1);
    const size_t next = after.find_first_not_of(' ');
    // Only spaces may follow, and then a comment ("''" is an escaped quote: declined here).
    if (next != std::string_view::npos && (next == 0 || after[next] != '#')) return false;
    out = std::string(body);
    return true;
  }
  constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(v[0]) != std::string_view::npos &&
      !(v[0] == '-' && v.size() > 1 && v[1] != ' ')) {
    return false;
  }
  if (const size_t comment = v.find(" #"); comment != std::string_view::npos) {
    v = v.substr(0, comment);
    while (v.back() == ' ') v.remove_suffix(1);
  }
  if (v.find(": ") != std::string_view::npos || v.back() == ':' ||
      v.find_first_of("[]{}") != std::string_view::npos) {
    return false;
  }
  out = ResolvePlainScalar(v);
  return true;
}

class BlockReader {
 public:
  std::optional<Json> Read(std::string_view text) {
    if (!SplitLines(text)) return std::nullopt;
    Json out;
    if (!ReadNode(lines_.front().indent, 0, out) || next_ != lines_.size()) return std::nullopt;
    if (!RoundTripGoNumbers(out).ok()) return std::nullopt;
    return out;
  }

 private:
  bool SplitLines(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      for (const char c : line) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f) return false;  // tabs, control characters, non-ASCII
      }
      const size_t indent = line.find_first_not_of(' ');
      if (indent == std::string_view::npos) continue;
      std::string_view content = line.substr(indent);
      if (content[0] == '#') continue;
      if (indent == 0 &&
          (content.starts_with("---") || content.starts_with("...") || content[0] == '%')) {
        return false;
      }
      while (content.back() == ' ') content.remove_suffix(1);
      lines_.push_back({static_cast<int>(indent), content});
    }
    return !lines_.empty();
  }

  bool AtIndent(int indent) const {
    return next_ < lines_.size() && lines_[next_].indent == indent;
  }
  bool MoreIndented(int indent) const {
    return next_ < lines_.size() && lines_[next_].indent > indent;
  }

  // The block node whose first line, lines_[next_], is at `indent`.
  bool ReadNode(int indent, int depth, Json& out) {
    return IsItem(lines_[next_].text) ? ReadSequence(indent, depth, out)
                                      : ReadMapping(indent, depth, out);
  }

  bool ReadMapping(int indent, int depth, Json& out) {
    if (depth >= kMaxDepth) return false;
    out = Json::object();
    while (AtIndent(indent)) {
      const std::string_view text = lines_[next_].text;
      const size_t k = KeyLength(text);
      if (k == 0) return false;
      Result<std::string> name = JsonKeyOf(ResolvePlainScalar(text.substr(0, k)));
      if (!name.ok()) return false;
      ++next_;
      Json value;
      if (!ReadValue(text.substr(k + 1), indent, /*in_mapping=*/true, depth, value)) return false;
      out[*name] = std::move(value);
      if (++values_ > kMaxValues) return false;
    }
    return !MoreIndented(indent);
  }

  bool ReadSequence(int indent, int depth, Json& out) {
    if (depth >= kMaxDepth) return false;
    out = Json::array();
    while (AtIndent(indent) && IsItem(lines_[next_].text)) {
      const std::string_view rest = lines_[next_].text.substr(1);
      const size_t start = rest.find_first_not_of(' ');
      const std::string_view first =
          start == std::string_view::npos ? std::string_view() : rest.substr(start);
      Json item;
      if (KeyLength(first) != 0) {
        // "- key: ...": a mapping whose keys stand in the column after the dash and spaces.
        const int column = indent + 1 + static_cast<int>(start);
        lines_[next_] = {column, first};
        if (!ReadMapping(column, depth + 1, item)) return false;
      } else {
        if (IsItem(first)) return false;  // "- - x"
        ++next_;
        if (!ReadValue(rest, indent, /*in_mapping=*/false, depth, item)) return false;
      }
      out.push_back(std::move(item));
      if (++values_ > kMaxValues) return false;
    }
    return !MoreIndented(indent);
  }

  // What follows a key's ':' or an item's '-' on its line (`rest`), or the block below it.
  bool ReadValue(std::string_view rest, int indent, bool in_mapping, int depth, Json& out) {
    const size_t start = rest.find_first_not_of(' ');
    std::string_view v = start == std::string_view::npos ? std::string_view() : rest.substr(start);
    if (!v.empty() && v[0] == '#') v = {};
    if (!v.empty()) {
      if (MoreIndented(indent)) return false;  // a continuation line
      ++values_;
      return ReadScalar(v, out);
    }
    if (MoreIndented(indent)) return ReadNode(lines_[next_].indent, depth + 1, out);
    // A mapping's value may be a sequence at the key's own indentation.
    if (in_mapping && AtIndent(indent) && IsItem(lines_[next_].text)) {
      return ReadSequence(indent, depth + 1, out);
    }
    out = nullptr;
    return true;
  }

  std::vector<Line> lines_;
  size_t next_ = 0;
  size_t values_ = 0;
};

}  // namespace

std::optional<Json> ParseBlockYamlFast(std::string_view text) { return BlockReader().Read(text); }

}  // namespace fleetsim
