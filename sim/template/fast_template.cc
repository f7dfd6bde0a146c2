// fasttemplate.NewTemplate(text, "{{", "}}") with the tag function of Argo CD's
// Render.Replace (applicationset/utils/utils.go).
#include <string>

#include "sim/manifest/go_json.h"
#include "sim/template/go_template.h"

namespace fleetsim {
namespace {

bool IsGoSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsGoSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsGoSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Argo CD's isTemplatedRegex ".*{{.*}}.*": some line holds "{{" followed later by "}}".
bool LooksTemplated(std::string_view text) {
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t nl = text.find('\n', line_start);
    std::string_view line =
        text.substr(line_start, nl == std::string_view::npos ? nl : nl - line_start);
    size_t open = line.find("{{");
    if (open != std::string_view::npos && line.find("}}", open + 2) != std::string_view::npos) {
      return true;
    }
    if (nl == std::string_view::npos) break;
    line_start = nl + 1;
  }
  return false;
}

}  // namespace

Result<std::string> RenderFastTemplate(std::string_view text, const FastTemplateParams& params) {
  if (!LooksTemplated(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (;;) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      return out;
    }
    out.append(text.substr(pos, open - pos));
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return Status::Error("cannot find end tag=\"}}\" in the template=" + GoQuote(text) +
                           " starting from " + GoQuote(text.substr(open + 2)));
    }
    std::string_view tag = text.substr(open + 2, close - open - 2);
    std::string_view trimmed = TrimSpace(tag);
    auto it = params.find(trimmed);
    if (trimmed.empty() || it == params.end()) {
      out += "{{";
      out += tag;
      out += "}}";
    } else {
      out += it->second;
    }
    pos = close + 2;
  }
}

}  // namespace fleetsim
