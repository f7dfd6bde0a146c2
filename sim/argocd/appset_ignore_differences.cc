#include "sim/argocd/appset_ignore_differences.h"

#include <cctype>
#include <string_view>

namespace fleetsim {
namespace {

using json = Json;

Result<IgnorePath> ParsePointer(const std::string& pointer) {
  IgnorePath path;
  if (pointer.empty()) return path;
  if (pointer[0] != '/') {
    return Status::Error("ignoreApplicationDifferences: jsonPointers \"" + pointer +
                         "\": a JSON pointer starts with '/'");
  }
  size_t at = 1;
  while (true) {
    size_t end = pointer.find('/', at);
    std::string raw = pointer.substr(at, end == std::string::npos ? std::string::npos : end - at);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[++i] == '0' ? '~' : '/';
      } else {
        token += raw[i];
      }
    }
    path.push_back({IgnorePathStep::Kind::kToken, token, 0});
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return path;
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// A jq string literal starting at text[*at] == '"'; simple escapes only.
bool ReadQuoted(const std::string& text, size_t* at, std::string* out) {
  for (size_t i = *at + 1; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      *out += text[++i];
    } else if (text[i] == '"') {
      *at = i + 1;
      return true;
    } else {
      *out += text[i];
    }
  }
  return false;
}

Result<IgnorePath> ParseJqPath(const std::string& expr) {
  auto fail = [&]() {
    return Status::Error("ignoreApplicationDifferences: jqPathExpressions \"" + expr +
                         "\": fleetsim evaluates path expressions only (.a.b, .a[\"k\"], .a[0], "
                         ".a[])");
  };
  std::string text = expr;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t at = 0;
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  IgnorePath path;
  if (at >= text.size() || text[at] != '.') return fail();
  while (at < text.size()) {
    if (text[at] == '.') {
      ++at;
      if (at < text.size() && text[at] == '"') {
        std::string key;
        if (!ReadQuoted(text, &at, &key)) return fail();
        path.push_back({IgnorePathStep::Kind::kToken, key, 0});
      } else if (at < text.size() && IsIdentChar(text[at])) {
        size_t start = at;
        while (at < text.size() && IsIdentChar(text[at])) ++at;
        path.push_back({IgnorePathStep::Kind::kToken, text.substr(start, at - start), 0});
      } else if (at < text.size() && text[at] == '[') {
        continue;  // ".[0]" reads as "[0]"
      } else if (at >= text.size() && path.empty()) {
        return path;  // "." is the whole document
      } else {
        return fail();
      }
    } else if (text[at] == '[') {
      ++at;
      if (at < text.size() && text[at] == ']') {
        path.push_back({IgnorePathStep::Kind::kAll, "", 0});
        ++at;
      } else if (at < text.size() && text[at] == '"') {
        std::string key;
        if (!ReadQuoted(text, &at, &key) || at >= text.size() || text[at] != ']') return fail();
        path.push_back({IgnorePathStep::Kind::kToken, key, 0});
        ++at;
      } else {
        size_t start = at;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
        if (at == start || at >= text.size() || text[at] != ']' || at - start > 9) return fail();
        path.push_back(
            {IgnorePathStep::Kind::kIndex, "", std::stoul(text.substr(start, at - start))});
        ++at;
      }
    } else {
      return fail();
    }
  }
  return path;
}

// Deletes what `path` (from step `i`) selects under `node`.
void Remove(json& node, const IgnorePath& path, size_t i) {
  if (i >= path.size()) return;
  const IgnorePathStep& step = path[i];
  bool last = i + 1 == path.size();
  if (step.kind == IgnorePathStep::Kind::kAll) {
    if (!node.is_array() && !node.is_object()) return;
    if (last) {
      node = node.is_array() ? json::array() : json::object();
      return;
    }
    for (json& child : node) Remove(child, path, i + 1);
    return;
  }
  if (node.is_object()) {
    if (step.kind != IgnorePathStep::Kind::kToken) return;
    auto it = node.find(step.token);
    if (it == node.end()) return;
    if (last) {
      node.erase(it);
    } else {
      Remove(*it, path, i + 1);
    }
    return;
  }
  if (!node.is_array()) return;
  size_t index = step.index;
  if (step.kind == IgnorePathStep::Kind::kToken) {
    if (step.token.empty() || step.token.size() > 9 ||
        step.token.find_first_not_of("0123456789") != std::string::npos) {
      return;
    }
    index = std::stoul(step.token);
  }
  if (index >= node.size()) return;
  if (last) {
    node.erase(index);
  } else {
    Remove(node[index], path, i + 1);
  }
}

// client.MergeFrom: the RFC 7386 patch that turns `from` into `to`.
json CreateMergePatch(const json& from, const json& to) {
  if (!from.is_object() || !to.is_object()) return to;
  json patch = json::object();
  for (const auto& [k, v] : from.items()) {
    if (!to.contains(k)) patch[k] = nullptr;
  }
  for (const auto& [k, v] : to.items()) {
    auto it = from.find(k);
    if (it == from.end()) {
      patch[k] = v;
    } else if (*it != v) {
      patch[k] = CreateMergePatch(*it, v);
    }
  }
  return patch;
}

void ApplyMergePatch(json& target, const json& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = json::object();
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null()) {
      target.erase(k);
    } else {
      ApplyMergePatch(target[k], v);
    }
  }
}

}  // namespace

Result<std::vector<IgnoreDifferencesRule>> ParseIgnoreDifferences(const json& rules) {
  std::vector<IgnoreDifferencesRule> out;
  if (!rules.is_array()) return out;
  for (const json& r : rules) {
    if (!r.is_object()) continue;
    IgnoreDifferencesRule rule;
    auto name = r.find("name");
    if (name != r.end() && name->is_string()) rule.name = name->get<std::string>();
    for (const char* field : {"jsonPointers", "jqPathExpressions"}) {
      auto list = r.find(field);
      if (list == r.end() || !list->is_array()) continue;
      for (const json& text : *list) {
        if (!text.is_string()) continue;
        bool pointer = std::string_view(field) == "jsonPointers";
        Result<IgnorePath> path =
            pointer ? ParsePointer(text.get<std::string>()) : ParseJqPath(text.get<std::string>());
        if (!path.ok()) return path.status();
        rule.paths.push_back(std::move(path).value());
      }
    }
    out.push_back(std::move(rule));
  }
  return out;
}

json WithoutIgnored(const std::vector<IgnoreDifferencesRule>& rules, const std::string& app_name,
                    json app) {
  for (const IgnoreDifferencesRule& rule : rules) {
    if (!rule.name.empty() && rule.name != app_name) continue;
    for (const IgnorePath& path : rule.paths) {
      if (path.empty()) {
        app = json::object();  // "." or "": the whole document
      } else {
        Remove(app, path, 0);
      }
    }
  }
  return app;
}

json MergeFromIgnoring(const std::vector<IgnoreDifferencesRule>& rules, const json& live,
                       const json& desired) {
  if (rules.empty()) return desired;
  std::string name;
  auto meta = live.find("metadata");
  if (meta != live.end() && meta->is_object()) {
    auto n = meta->find("name");
    if (n != meta->end() && n->is_string()) name = n->get<std::string>();
  }
  json live_n = WithoutIgnored(rules, name, live);
  json desired_n = WithoutIgnored(rules, name, desired);
  if (live_n == desired_n) return live;
  json out = live;
  ApplyMergePatch(out, CreateMergePatch(live_n, desired_n));
  return out;
}

}  // namespace fleetsim
