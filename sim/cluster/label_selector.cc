#include "sim/cluster/label_selector.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace fleetsim {
namespace {

Result<LabelSelector::Op> ParseOp(const Json& op) {
  if (op == "In") return LabelSelector::Op::kIn;
  if (op == "NotIn") return LabelSelector::Op::kNotIn;
  if (op == "Exists") return LabelSelector::Op::kExists;
  if (op == "DoesNotExist") return LabelSelector::Op::kDoesNotExist;
  return Status::Error("\"" + (op.is_string() ? op.get<std::string>() : op.dump()) +
                       "\" is not a valid label selector operator");
}

bool RequirementMatches(const LabelSelector::Requirement& r,
                        const std::map<std::string, std::string>& labels) {
  auto it = labels.find(r.key);
  bool has = it != labels.end();
  auto contains = [&] { return std::binary_search(r.values.begin(), r.values.end(), it->second); };
  switch (r.op) {
    case LabelSelector::Op::kIn:
      return has && contains();
    case LabelSelector::Op::kNotIn:
      return !has || !contains();
    case LabelSelector::Op::kExists:
      return has;
    case LabelSelector::Op::kDoesNotExist:
      return !has;
  }
  return false;
}

void SortRequirements(std::vector<LabelSelector::Requirement>& rs) {
  std::sort(rs.begin(), rs.end(), [](const auto& a, const auto& b) {
    return std::tie(a.key, a.op, a.values) < std::tie(b.key, b.op, b.values);
  });
}

}  // namespace

LabelSelector LabelSelector::Nothing() {
  LabelSelector s;
  s.nothing_ = true;
  return s;
}

LabelSelector LabelSelector::FromMap(const std::map<std::string, std::string>& labels) {
  LabelSelector s;
  for (const auto& [key, value] : labels) s.requirements_.push_back({key, Op::kIn, {value}});
  return s;
}

Result<LabelSelector> LabelSelector::FromJson(const Json& selector) {
  if (selector.is_null()) return Nothing();
  if (!selector.is_object()) return Status::Error("a label selector must be an object");
  LabelSelector s;
  if (auto it = selector.find("matchLabels"); it != selector.end() && !it->is_null()) {
    if (!it->is_object()) return Status::Error("matchLabels must be a map of strings");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) return Status::Error("matchLabels." + key + " must be a string");
      s.requirements_.push_back({key, Op::kIn, {value.get<std::string>()}});
    }
  }
  if (auto it = selector.find("matchExpressions"); it != selector.end() && !it->is_null()) {
    if (!it->is_array()) return Status::Error("matchExpressions must be a list");
    for (const Json& e : *it) {
      if (!e.is_object() || !e.value("key", Json()).is_string()) {
        return Status::Error("a matchExpressions entry needs a string key");
      }
      Result<Op> op = ParseOp(e.value("operator", Json()));
      if (!op.ok()) return op.status();
      Requirement r{e["key"].get<std::string>(), *op, {}};
      for (const Json& v : e.value("values", Json::array())) {
        if (!v.is_string()) return Status::Error("matchExpressions values must be strings");
        r.values.push_back(v.get<std::string>());
      }
      bool needs_values = r.op == Op::kIn || r.op == Op::kNotIn;
      if (needs_values == r.values.empty()) {
        return Status::Error(needs_values ? "values: Required value: must be specified when "
                                            "`operator` is 'In' or 'NotIn'"
                                          : "values: Forbidden: may not be specified when "
                                            "`operator` is 'Exists' or 'DoesNotExist'");
      }
      std::sort(r.values.begin(), r.values.end());
      s.requirements_.push_back(std::move(r));
    }
  }
  SortRequirements(s.requirements_);
  return s;
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  if (nothing_) return false;
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const Requirement& r) { return RequirementMatches(r, labels); });
}

std::string LabelSelector::ToString() const {
  std::string out;
  for (const Requirement& r : requirements_) {
    if (!out.empty()) out += ',';
    std::string joined;
    for (const std::string& v : r.values) joined += (joined.empty() ? "" : ",") + v;
    switch (r.op) {
      case Op::kIn:
        out += r.values.size() == 1 ? r.key + "=" + joined : r.key + " in (" + joined + ")";
        break;
      case Op::kNotIn:
        out += r.key + " notin (" + joined + ")";
        break;
      case Op::kExists:
        out += r.key;
        break;
      case Op::kDoesNotExist:
        out += "!" + r.key;
        break;
    }
  }
  return out;
}

}  // namespace fleetsim
