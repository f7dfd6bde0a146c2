#include "tests/git/git_test_util.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace fleetsim::testing_git {
namespace {

namespace fs = std::filesystem;

std::string ResolvePlain(const std::string& s) {
  static const std::regex kNull("null|Null|NULL|~|");
  static const std::regex kBool(
      "true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF");
  static const std::regex kInt("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
  static const std::regex kFloat(
      "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|"
      "NAN)");
  if (std::regex_match(s, kNull)) return "null";
  if (std::regex_match(s, kBool)) return "bool:" + s;
  if (std::regex_match(s, kInt)) return "int:" + s;
  if (std::regex_match(s, kFloat)) return "float:" + s;
  return "str:" + s;
}

void Canonical(const YAML::Node& node, std::string& out) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      out += node.Tag() == "?" ? ResolvePlain(node.Scalar()) : "str:" + node.Scalar();
      return;
    case YAML::NodeType::Sequence:
      out += "[";
      for (const YAML::Node& item : node) {
        Canonical(item, out);
        out += ",";
      }
      out += "]";
      return;
    case YAML::NodeType::Map:
      out += "{";
      for (const auto& kv : node) {
        Canonical(kv.first, out);
        out += ":";
        Canonical(kv.second, out);
        out += ",";
      }
      out += "}";
      return;
    default:
      out += "null";
  }
}

HistoryOp Op(HistoryOp::Kind kind, std::string path) {
  HistoryOp op;
  op.kind = kind;
  op.path = std::move(path);
  return op;
}

}  // namespace

ScratchDir::ScratchDir() {
  std::string pattern = ::testing::TempDir() + "fleetsim_git_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void ScratchDir::Write(const std::string& relative, std::string_view content) const {
  const fs::path file = fs::path(path_) / relative;
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

void ScratchDir::MakeDir(const std::string& relative) const {
  fs::create_directories(fs::path(path_) / relative);
}

std::string CanonicalYaml(std::string_view text) {
  std::string out;
  for (const YAML::Node& doc : YAML::LoadAll(std::string(text))) {
    if (doc.IsNull()) continue;
    Canonical(doc, out);
    out += "\n---\n";
  }
  return out;
}

std::string FileText(const Tree& tree, std::string_view path) {
  const Blob* blob = tree.FindFile(path);
  return blob == nullptr ? "<missing>" : blob->content();
}

HistoryOp WriteOp(std::string path, std::string content) {
  HistoryOp op = Op(HistoryOp::Kind::kWrite, std::move(path));
  op.content = std::move(content);
  return op;
}

HistoryOp DeleteOp(std::string path) { return Op(HistoryOp::Kind::kDelete, std::move(path)); }

HistoryOp RenameOp(std::string from, std::string to) {
  HistoryOp op = Op(HistoryOp::Kind::kRename, std::move(from));
  op.to = std::move(to);
  return op;
}

HistoryOp SetImageOp(std::string path, std::string container, std::string image) {
  HistoryOp op = Op(HistoryOp::Kind::kSetImage, std::move(path));
  op.container = std::move(container);
  op.image = std::move(image);
  return op;
}

HistoryOp SetOp(std::string path, std::string field, std::string value, std::string select) {
  HistoryOp op = Op(HistoryOp::Kind::kSet, std::move(path));
  op.field = std::move(field);
  op.value = std::move(value);
  op.select = std::move(select);
  return op;
}

}  // namespace fleetsim::testing_git
