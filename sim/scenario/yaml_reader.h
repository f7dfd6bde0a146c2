// Reading scenario YAML with positions. Every error is "file:line:column: message" with 1-based
// line and column; nodes written by a --set override report "--set:1:column" instead.
//
// Errors are sticky: the first failure is kept in the ReadContext and later ones are dropped, so a
// reader can go on reading (getting default values) and check ok() where it matters. Loading stops
// at the first error, and the error reported is always the first one met, in reading order.
#ifndef FLEETSIM_SIM_SCENARIO_YAML_READER_H_
#define FLEETSIM_SIM_SCENARIO_YAML_READER_H_

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

// One load's shared state: the file name positions are reported in, the nodes --set overrides
// wrote, and the first error.
class ReadContext {
 public:
  explicit ReadContext(std::string file) : file_(std::move(file)) {}
  ReadContext(const ReadContext&) = delete;
  ReadContext& operator=(const ReadContext&) = delete;

  const std::string& file() const { return file_; }

  // `node` was written by a --set override whose text puts it at `column` (1-based).
  void MarkOverride(const YAML::Node& node, int column);

  // Where `node` is written: in the file, or in an override's text.
  SourcePos PosOf(const YAML::Node& node) const;
  SourcePos PosOf(const YAML::Mark& mark) const;  // a null mark gives just the file
  bool IsOverride(const YAML::Node& node) const;

  // Keeps the first failure only.
  void Fail(const SourcePos& pos, std::string_view message);
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

 private:
  struct OverrideMark {
    YAML::Node node;
    int column;
  };
  std::string file_;
  std::vector<OverrideMark> overrides_;
  Status status_;
};

struct MapEntry;

// A node of the document, or an absent one (a key its map does not have; reading it gives the
// default). Cheap to copy. REQUIRES: the ReadContext outlives it.
class YamlNode {
 public:
  YamlNode(ReadContext* ctx, YAML::Node node);
  static YamlNode Absent(ReadContext* ctx, SourcePos where, std::string name);

  bool present() const { return present_; }
  bool IsMap() const { return present_ && node_.IsMap(); }
  bool IsList() const { return present_ && node_.IsSequence(); }
  bool IsScalar() const { return present_ && node_.IsScalar(); }
  bool IsNull() const { return present_ && node_.IsNull(); }
  // The key this node was found under, or "" for list items and the root.
  const std::string& name() const { return name_; }
  // Where the node is written; for a null value (`key:` with nothing after it), where its key is.
  SourcePos pos() const;
  ReadContext* ctx() const { return ctx_; }
  const YAML::Node& raw() const { return node_; }
  // What the node is, for "found ..." messages: a map, a list, null, or the quoted scalar.
  std::string Describe() const;

  void Fail(std::string_view message) const { ctx_->Fail(pos(), message); }
  bool ok() const { return ctx_->ok(); }

  // Maps. Null reads as an empty map; anything else that is not a map is an error.
  bool ExpectMap() const;  // also fails on null
  std::vector<MapEntry> Entries() const;
  bool Has(std::string_view key) const;
  YamlNode Get(std::string_view key) const;
  YamlNode Require(std::string_view key) const;  // fails `missing required key "key"`
  // Fails on the first key outside `allowed`, suggesting the closest allowed one.
  bool CheckKeys(const std::vector<std::string_view>& allowed) const;

  // Lists. Null reads as an empty list.
  std::vector<YamlNode> Items() const;

  // This node as a value. Range errors name the node's key: `generate must be between 1 and 10`.
  std::string AsString() const;
  int64_t AsInt(int64_t min, int64_t max) const;
  uint64_t AsUint64() const;
  double AsNumber() const;  // finite
  bool AsBool() const;      // true or false only
  SimDuration AsDuration() const;
  std::map<std::string, std::string> AsStringMap() const;
  std::vector<std::string> AsStringList() const;

  // A field of this map, or `fallback` when the key is absent.
  std::string String(std::string_view key, std::string fallback = "") const;
  std::string RequiredString(std::string_view key) const;
  int64_t Int(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
  double Number(std::string_view key, double fallback) const;
  bool Bool(std::string_view key, bool fallback) const;
  SimDuration Duration(std::string_view key, SimDuration fallback) const;
  std::map<std::string, std::string> StringMap(std::string_view key) const;

 private:
  YamlNode(ReadContext* ctx, YAML::Node node, std::string name, SourcePos key_pos);
  bool ExpectScalar(std::string_view expected) const;

  ReadContext* ctx_;
  YAML::Node node_;
  bool present_ = true;
  std::string name_;
  SourcePos key_pos_;  // of the key, when found in a map; of the parent, when absent
};

struct MapEntry {
  std::string key;
  YamlNode key_node;
  YamlNode value;
};

// Rejects what the typed readers cannot see: duplicate keys (yaml-cpp keeps both), keys that are
// maps or lists, nesting deeper than 64 levels (an alias inside its own anchor makes a node contain
// itself), and more than a million nodes counting each use of an alias (a "billion laughs").
void CheckStructure(ReadContext* ctx, const YAML::Node& root);

// The text of a map key: its scalar, or "null" for a null key such as `null:` or `~:`.
std::string KeyText(const YAML::Node& key);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_YAML_READER_H_
