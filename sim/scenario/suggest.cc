#include "sim/scenario/suggest.h"

#include <algorithm>
#include <cstdlib>

namespace fleetsim {
namespace {

constexpr size_t kMaxListed = 40;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring).
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::string ClosestName(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string w = Lower(word);
  const size_t max_distance = std::min<size_t>(2, std::max<size_t>(1, w.size() / 3));
  const std::string* best = nullptr;
  size_t best_distance = max_distance + 1;
  const std::string* best_prefix = nullptr;
  size_t best_shared = 2;
  for (const std::string& candidate : candidates) {
    const std::string c = Lower(candidate);
    size_t gap = c.size() > w.size() ? c.size() - w.size() : w.size() - c.size();
    if (gap <= max_distance) {
      size_t distance = EditDistance(w, c);
      if (distance < best_distance) {
        best = &candidate;
        best_distance = distance;
      }
    }
    size_t shared = std::min(w.size(), c.size());
    if (shared > best_shared && (StartsWith(c, w) || StartsWith(w, c))) {
      best_prefix = &candidate;
      best_shared = shared;
    }
  }
  if (best != nullptr) return *best;
  if (best_prefix != nullptr) return *best_prefix;
  return "";
}

std::string UnknownNameMessage(std::string_view what, std::string_view word,
                               std::vector<std::string> candidates) {
  std::string message = "unknown " + std::string(what) + " \"" + std::string(word) + "\"";
  std::string closest = ClosestName(word, candidates);
  if (!closest.empty()) return message + " (did you mean \"" + closest + "\"?)";
  if (candidates.empty() || candidates.size() > kMaxListed) return message;
  std::sort(candidates.begin(), candidates.end());
  message += "; expected one of: ";
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) message += ", ";
    message += candidates[i];
  }
  return message;
}

}  // namespace fleetsim
