#include "sim/scenario/repo_url.h"

#include <algorithm>

namespace fleetsim {
namespace {

constexpr std::string_view kSshScheme = "ssh://";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Argo CD's sshURLRegex: ^(ssh://)?([^/:]*?)@[^@]+$
bool IsSshUrl(std::string_view url) {
  if (StartsWith(url, kSshScheme)) url.remove_prefix(kSshScheme.size());
  size_t at = url.find('@');
  if (at == std::string_view::npos || at + 1 == url.size()) return false;
  if (url.substr(0, at).find_first_of("/:") != std::string_view::npos) return false;
  return url.find('@', at + 1) == std::string_view::npos;
}

void TrimTrailing(std::string& s) {
  while (true) {
    if (EndsWith(s, "/")) {
      s.pop_back();
    } else if (EndsWith(s, ".git")) {
      s.resize(s.size() - 4);
    } else {
      return;
    }
  }
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string_view NormalizeRepoUrl(std::string_view url, std::string& scratch) {
  const bool plain =
      !url.empty() && !IsSpace(url.front()) && !IsSpace(url.back()) &&
      std::none_of(url.begin(), url.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) &&
      !IsSshUrl(url);
  if (!plain) {
    scratch = NormalizeRepoUrl(url);
    return scratch;
  }
  while (true) {
    if (EndsWith(url, "/")) {
      url.remove_suffix(1);
    } else if (EndsWith(url, ".git")) {
      url.remove_suffix(4);
    } else {
      return url;
    }
  }
}

std::string NormalizeRepoUrl(std::string_view url) {
  const std::string_view kSpace = " \t\r\n";
  size_t first = url.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  url = url.substr(first, url.find_last_not_of(kSpace) - first + 1);
  std::string out(url);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (IsSshUrl(out)) {
    if (StartsWith(out, kSshScheme)) {
      out.erase(0, kSshScheme.size());
    } else if (size_t colon = out.find(':'); colon != std::string::npos) {
      out[colon] = '/';
    }
  }
  TrimTrailing(out);
  return out;
}

}  // namespace fleetsim
