#include "sim/scenario/yaml_reader.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/scenario/suggest.h"

namespace fleetsim {
namespace {

constexpr size_t kMaxQuoted = 40;

std::string Quoted(std::string_view text) {
  if (text.size() <= kMaxQuoted) return fmt::format("\"{}\"", text);
  return fmt::format("\"{}...\"", text.substr(0, kMaxQuoted - 3));
}

template <typename T>
bool ParseWhole(const std::string& text, T* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

std::string RangeMessage(const std::string& name, int64_t min, int64_t max) {
  std::string subject = name.empty() ? "the value" : name;
  if (max == std::numeric_limits<int64_t>::max()) {
    return subject + " must be at least " + std::to_string(min);
  }
  return subject + " must be between " + std::to_string(min) + " and " + std::to_string(max);
}

constexpr int kMaxDepth = 64;
constexpr int64_t kMaxNodes = 1'000'000;

class StructureChecker {
 public:
  explicit StructureChecker(ReadContext* ctx) : ctx_(ctx) {}

  void Check(const YAML::Node& node, int depth) {
    if (!ctx_->ok()) return;
    if (++visited_ > kMaxNodes) {
      return ctx_->Fail(ctx_->PosOf(node),
                        "document too large: more than 1000000 nodes "
                        "(each use of an alias counts)");
    }
    if (depth > kMaxDepth) {
      return ctx_->Fail(ctx_->PosOf(node),
                        "nested more than 64 levels deep (or an alias refers to itself)");
    }
    if (node.IsSequence()) {
      for (const auto& item : node) Check(item, depth + 1);
    } else if (node.IsMap()) {
      CheckMap(node, depth);
    }
  }

 private:
  void CheckMap(const YAML::Node& node, int depth) {
    std::map<std::string, SourcePos> seen;
    for (const auto& pair : node) {
      if (!ctx_->ok()) return;
      if (pair.first.IsMap() || pair.first.IsSequence()) {
        const char* found = pair.first.IsMap() ? "a map" : "a list";
        return ctx_->Fail(ctx_->PosOf(pair.first),
                          std::string("a key must be a string, found ") + found);
      }
      std::string key = KeyText(pair.first);
      SourcePos pos = ctx_->PosOf(pair.first);
      auto [it, inserted] = seen.emplace(key, pos);
      if (!inserted) {
        return ctx_->Fail(pos, "duplicate key " + Quoted(key) + " (first defined at " +
                                   it->second.ToString() + ")");
      }
      Check(pair.second, depth + 1);
    }
  }

  ReadContext* ctx_;
  int64_t visited_ = 0;
};

}  // namespace

void CheckStructure(ReadContext* ctx, const YAML::Node& root) {
  StructureChecker(ctx).Check(root, 0);
}

std::string KeyText(const YAML::Node& key) { return key.IsScalar() ? key.Scalar() : "null"; }

void ReadContext::MarkOverride(const YAML::Node& node, int column) {
  overrides_.push_back({node, column});
}

SourcePos ReadContext::PosOf(const YAML::Node& node) const {
  for (const OverrideMark& mark : overrides_) {
    if (node.is(mark.node)) return SourcePos{"--set", 1, mark.column};
  }
  return PosOf(node.Mark());
}

bool ReadContext::IsOverride(const YAML::Node& node) const {
  for (const OverrideMark& mark : overrides_) {
    if (node.is(mark.node)) return true;
  }
  return false;
}

SourcePos ReadContext::PosOf(const YAML::Mark& mark) const {
  if (mark.is_null()) return SourcePos{file_, 0, 0};
  return SourcePos{file_, mark.line + 1, mark.column + 1};
}

void ReadContext::Fail(const SourcePos& pos, std::string_view message) {
  if (!status_.ok()) return;
  status_ = Status::Error(pos.ToString() + ": " + std::string(message));
}

YamlNode::YamlNode(ReadContext* ctx, YAML::Node node) : ctx_(ctx), node_(std::move(node)) {}

YamlNode::YamlNode(ReadContext* ctx, YAML::Node node, std::string name, SourcePos key_pos)
    : ctx_(ctx), node_(std::move(node)), name_(std::move(name)), key_pos_(std::move(key_pos)) {}

YamlNode YamlNode::Absent(ReadContext* ctx, SourcePos where, std::string name) {
  YamlNode absent(ctx, YAML::Node(), std::move(name), std::move(where));
  absent.present_ = false;
  return absent;
}

SourcePos YamlNode::pos() const {
  // yaml-cpp marks a null value where the next token starts; its key is the better place.
  if (!present_ || (node_.IsNull() && key_pos_.line > 0 && !ctx_->IsOverride(node_))) {
    return key_pos_;
  }
  return ctx_->PosOf(node_);
}

std::string YamlNode::Describe() const {
  if (!present_) return "nothing";
  switch (node_.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return Quoted(node_.Scalar());
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "null";
}

bool YamlNode::ExpectMap() const {
  if (IsMap()) return true;
  Fail("expected a map, found " + Describe());
  return false;
}

std::vector<MapEntry> YamlNode::Entries() const {
  std::vector<MapEntry> entries;
  if (!present_ || node_.IsNull()) return entries;
  if (!ExpectMap()) return entries;
  for (const auto& pair : node_) {
    std::string key = KeyText(pair.first);
    YamlNode key_node(ctx_, pair.first, key, SourcePos{});
    SourcePos key_pos = key_node.pos();
    entries.push_back({key, key_node, YamlNode(ctx_, pair.second, key, key_pos)});
  }
  return entries;
}

bool YamlNode::Has(std::string_view key) const { return Get(key).present(); }

YamlNode YamlNode::Get(std::string_view key) const {
  if (IsMap()) {
    for (const auto& pair : node_) {
      if (KeyText(pair.first) == key) {
        return YamlNode(ctx_, pair.second, std::string(key), ctx_->PosOf(pair.first));
      }
    }
  }
  return Absent(ctx_, pos(), std::string(key));
}

YamlNode YamlNode::Require(std::string_view key) const {
  YamlNode value = Get(key);
  if (!value.present() && ExpectMap()) Fail("missing required key \"" + std::string(key) + "\"");
  return value;
}

bool YamlNode::CheckKeys(const std::vector<std::string_view>& allowed) const {
  for (const MapEntry& entry : Entries()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || name == entry.key;
    if (!known) {
      std::vector<std::string> candidates(allowed.begin(), allowed.end());
      entry.key_node.Fail(UnknownNameMessage("key", entry.key, std::move(candidates)));
      return false;
    }
  }
  return ok();
}

std::vector<YamlNode> YamlNode::Items() const {
  std::vector<YamlNode> items;
  if (!present_ || node_.IsNull()) return items;
  if (!node_.IsSequence()) {
    Fail("expected a list, found " + Describe());
    return items;
  }
  for (const auto& item : node_) items.emplace_back(ctx_, item);
  return items;
}

bool YamlNode::ExpectScalar(std::string_view expected) const {
  if (IsScalar()) return true;
  if (present_) Fail("expected " + std::string(expected) + ", found " + Describe());
  return false;
}

std::string YamlNode::AsString() const {
  return ExpectScalar("a string") ? node_.Scalar() : std::string();
}

int64_t YamlNode::AsInt(int64_t min, int64_t max) const {
  if (!ExpectScalar("an integer")) return min;
  int64_t value = 0;
  if (!ParseWhole(node_.Scalar(), &value)) {
    Fail("expected an integer, found " + Describe());
    return min;
  }
  if (value < min || value > max) {
    Fail(RangeMessage(name_, min, max));
    return min;
  }
  return value;
}

uint64_t YamlNode::AsUint64() const {
  uint64_t value = 0;
  if (ExpectScalar("an unsigned 64-bit integer") && !ParseWhole(node_.Scalar(), &value)) {
    Fail("expected an unsigned 64-bit integer, found " + Describe());
  }
  return value;
}

double YamlNode::AsNumber() const {
  double value = 0;
  if (!ExpectScalar("a number")) return 0;
  if (!ParseWhole(node_.Scalar(), &value) || !std::isfinite(value)) {
    Fail("expected a number, found " + Describe());
    return 0;
  }
  return value;
}

bool YamlNode::AsBool() const {
  if (!ExpectScalar("true or false")) return false;
  const std::string& text = node_.Scalar();
  if (text == "true") return true;
  if (text != "false") Fail("expected true or false, found " + Describe());
  return false;
}

SimDuration YamlNode::AsDuration() const {
  if (!ExpectScalar("a duration such as 90s, 15m, 2h")) return SimDuration::Zero();
  Result<SimDuration> parsed = ParseDuration(node_.Scalar());
  if (!parsed.ok()) {
    Fail("expected a duration such as 90s, 15m, 2h, found " + Describe());
    return SimDuration::Zero();
  }
  return *parsed;
}

std::map<std::string, std::string> YamlNode::AsStringMap() const {
  std::map<std::string, std::string> out;
  for (const MapEntry& entry : Entries()) out[entry.key] = entry.value.AsString();
  return out;
}

std::vector<std::string> YamlNode::AsStringList() const {
  std::vector<std::string> out;
  for (const YamlNode& item : Items()) out.push_back(item.AsString());
  return out;
}

std::string YamlNode::String(std::string_view key, std::string fallback) const {
  YamlNode value = Get(key);
  return value.present() ? value.AsString() : fallback;
}

std::string YamlNode::RequiredString(std::string_view key) const { return Require(key).AsString(); }

int64_t YamlNode::Int(std::string_view key, int64_t fallback, int64_t min, int64_t max) const {
  YamlNode value = Get(key);
  return value.present() ? value.AsInt(min, max) : fallback;
}

double YamlNode::Number(std::string_view key, double fallback) const {
  YamlNode value = Get(key);
  return value.present() ? value.AsNumber() : fallback;
}

bool YamlNode::Bool(std::string_view key, bool fallback) const {
  YamlNode value = Get(key);
  return value.present() ? value.AsBool() : fallback;
}

SimDuration YamlNode::Duration(std::string_view key, SimDuration fallback) const {
  YamlNode value = Get(key);
  return value.present() ? value.AsDuration() : fallback;
}

std::map<std::string, std::string> YamlNode::StringMap(std::string_view key) const {
  return Get(key).AsStringMap();
}

}  // namespace fleetsim
