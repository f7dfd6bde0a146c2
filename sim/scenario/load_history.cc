// history: commits replayed onto the repos, each one op or `ops: [...]`.
#include "sim/scenario/field_path.h"
#include "sim/scenario/load_sections.h"
#include "sim/scenario/name_rules.h"
#include "sim/scenario/yaml_text.h"

namespace fleetsim {
namespace {

struct OpSpec {
  std::string_view name;
  HistoryOp::Kind kind;
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
};

const std::vector<OpSpec>& OpTable() {
  static const std::vector<OpSpec> kOps = {
      {"write", HistoryOp::Kind::kWrite, {"path", "content"}, {}},
      {"delete", HistoryOp::Kind::kDelete, {"path"}, {}},
      {"rename", HistoryOp::Kind::kRename, {"from", "to"}, {}},
      {"set-image", HistoryOp::Kind::kSetImage, {"path", "container", "image"}, {}},
      {"set", HistoryOp::Kind::kSet, {"path", "field", "value"}, {"select"}},
  };
  return kOps;
}

const OpSpec* FindOp(std::string_view name) {
  for (const OpSpec& op : OpTable()) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

constexpr std::string_view kOpList = "write, delete, rename, set-image or set";

void ReadSetFields(const YamlNode& body, HistoryOp* op) {
  YamlNode field = body.Require("field");
  op->field = field.AsString();
  if (body.ok()) {
    Result<std::vector<FieldPathStep>> steps = ParseFieldPath(op->field);
    if (!steps.ok()) field.Fail("field: " + steps.error());
  }
  op->value = ToYamlText(body.Require("value").raw());
  YamlNode select = body.Get("select");
  if (select.present()) {
    op->select = select.AsString();
    if (body.ok() && !IsKindNameRef(op->select)) {
      select.Fail("select \"" + op->select + "\" must be Kind/name");
    }
  }
}

// What each kind adds to its path.
void ReadOpFields(const YamlNode& body, HistoryOp* op) {
  switch (op->kind) {
    case HistoryOp::Kind::kWrite:
      op->content = body.Get("content").AsString();
      break;
    case HistoryOp::Kind::kDelete:
      break;
    case HistoryOp::Kind::kRename:
      op->to = ReadRepoPath(body.Get("to"));
      if (body.ok() && op->path == op->to) {
        body.Get("to").Fail("rename from and to are the same path");
      }
      break;
    case HistoryOp::Kind::kSetImage:
      op->container = ReadNonEmpty(body.Get("container"));
      op->image = ReadNonEmpty(body.Get("image"));
      break;
    case HistoryOp::Kind::kSet:
      ReadSetFields(body, op);
      break;
  }
}

HistoryOp ReadOp(const OpSpec& spec, const YamlNode& body) {
  HistoryOp op;
  op.kind = spec.kind;
  op.pos = body.pos();
  std::vector<std::string_view> keys = spec.required;
  keys.insert(keys.end(), spec.optional.begin(), spec.optional.end());
  if (!body.ExpectMap() || !body.CheckKeys(keys)) return op;
  for (std::string_view key : spec.required) body.Require(key);
  if (!body.ok()) return op;
  op.path = ReadRepoPath(body.Get(spec.kind == HistoryOp::Kind::kRename ? "from" : "path"));
  ReadOpFields(body, &op);
  return op;
}

// The op keys of `node` (a history entry or an item of its ops list), in file order.
std::vector<MapEntry> OpKeys(const YamlNode& node, bool with_ops_list) {
  std::vector<MapEntry> found;
  for (const MapEntry& entry : node.Entries()) {
    if (FindOp(entry.key) != nullptr || (with_ops_list && entry.key == "ops")) {
      found.push_back(entry);
    }
  }
  return found;
}

void ReadOpsList(const YamlNode& list, std::vector<HistoryOp>* ops) {
  std::vector<YamlNode> items = list.Items();
  if (list.ok() && items.empty()) list.Fail("ops must list at least one op");
  std::vector<std::string_view> names;
  for (const OpSpec& op : OpTable()) names.push_back(op.name);
  for (const YamlNode& item : items) {
    if (!item.ExpectMap() || !item.CheckKeys(names)) return;
    std::vector<MapEntry> keys = OpKeys(item, /*with_ops_list=*/false);
    if (keys.empty()) return item.Fail("an op needs one of " + std::string(kOpList));
    if (keys.size() > 1) {
      return keys[1].key_node.Fail("an item of ops has both \"" + keys[0].key + "\" and \"" +
                                   keys[1].key + "\"; give each op its own item");
    }
    ops->push_back(ReadOp(*FindOp(keys[0].key), keys[0].value));
    if (!list.ok()) return;
  }
}

std::string Describe(const HistoryOp& op) {
  switch (op.kind) {
    case HistoryOp::Kind::kWrite:
      return "write " + op.path;
    case HistoryOp::Kind::kDelete:
      return "delete " + op.path;
    case HistoryOp::Kind::kRename:
      return "rename " + op.path + " to " + op.to;
    case HistoryOp::Kind::kSetImage:
      return "set image " + op.container + "=" + op.image + " in " + op.path;
    case HistoryOp::Kind::kSet:
      return "set " + op.field + " in " + op.path;
  }
  return "";
}

std::string DefaultMessage(const std::vector<HistoryOp>& ops) {
  std::string message;
  for (const HistoryOp& op : ops) {
    if (!message.empty()) message += "; ";
    message += Describe(op);
  }
  return message;
}

// The entry's one op, or the ops of its `ops:` list.
void ReadEntryOps(const YamlNode& item, std::vector<HistoryOp>* ops) {
  std::vector<MapEntry> keys = OpKeys(item, /*with_ops_list=*/true);
  if (keys.empty()) {
    return item.Fail("a history entry needs one op: " + std::string(kOpList) +
                     " (or ops: [...] for several in one commit)");
  }
  if (keys.size() > 1) {
    return keys[1].key_node.Fail("a history entry has both \"" + keys[0].key + "\" and \"" +
                                 keys[1].key + "\"; give one op (" + std::string(kOpList) +
                                 ") or list several under ops: [...]");
  }
  if (keys[0].key == "ops") return ReadOpsList(keys[0].value, ops);
  ops->push_back(ReadOp(*FindOp(keys[0].key), keys[0].value));
}

HistoryEntry ReadEntry(const YamlNode& item, const LoadScope& scope) {
  HistoryEntry entry;
  entry.pos = item.pos();
  if (!item.ExpectMap() || !item.CheckKeys({"at", "repo", "message", "ops", "write", "delete",
                                            "rename", "set-image", "set"})) {
    return entry;
  }
  entry.at = ReadAt(item, scope);
  YamlNode repo = item.Require("repo");
  entry.repo = ReadRepoRef(repo, scope);
  // A replayed repository's commits are real ones, each the parent of the next: a commit authored
  // between them would be lost when the next one lands.
  if (item.ok() && scope.repo_trees.at(entry.repo).empty()) {
    repo.Fail("repo \"" + entry.repo +
              "\" replays a Git repository (git:); history entries cannot add commits to it");
  }
  if (item.ok()) ReadEntryOps(item, &entry.ops);
  entry.message = item.String("message");
  if (entry.message.empty()) entry.message = DefaultMessage(entry.ops);
  return entry;
}

}  // namespace

std::vector<HistoryEntry> LoadHistory(const YamlNode& node, const LoadScope& scope) {
  std::vector<HistoryEntry> history;
  for (const YamlNode& item : node.Items()) {
    history.push_back(ReadEntry(item, scope));
    if (!node.ok()) break;
  }
  SortByAt(&history);
  return history;
}

}  // namespace fleetsim
