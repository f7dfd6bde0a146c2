#include "sim/scenario/name_rules.h"

#include <cstddef>
#include <vector>

namespace fleetsim {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])? with a length limit: the "qualified name" part of a
// label key, and a non-empty label value.
bool IsQualifiedName(std::string_view s, size_t max_size) {
  if (s.empty() || s.size() > max_size) return false;
  if (!IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool IsRefPart(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return false;
  }
  return true;
}

}  // namespace

bool IsDnsLabel(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

bool IsDnsSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (std::string_view label : Split(s, '.')) {
    if (!IsDnsLabel(label)) return false;
  }
  return true;
}

bool IsLabelKey(std::string_view s) {
  size_t slash = s.rfind('/');
  if (slash == std::string_view::npos) return IsQualifiedName(s, 63);
  return IsDnsSubdomain(s.substr(0, slash)) && IsQualifiedName(s.substr(slash + 1), 63);
}

bool IsLabelValue(std::string_view s) { return s.empty() || IsQualifiedName(s, 63); }

bool IsGlob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

bool IsObjectRef(std::string_view s) {
  std::vector<std::string_view> parts = Split(s, '/');
  if (parts.size() != 2 && parts.size() != 3) return false;
  for (std::string_view part : parts) {
    if (!IsRefPart(part)) return false;
  }
  return true;
}

bool IsKindNameRef(std::string_view s) {
  std::vector<std::string_view> parts = Split(s, '/');
  return parts.size() == 2 && IsRefPart(parts[0]) && IsRefPart(parts[1]);
}

bool IsRepoRelativePath(std::string_view s) {
  if (s.empty() || s.front() == '/' || s.find('\\') != std::string_view::npos) return false;
  for (std::string_view segment : Split(s, '/')) {
    if (segment == "..") return false;
  }
  return true;
}

}  // namespace fleetsim
