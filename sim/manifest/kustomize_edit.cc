// The `kustomize edit` commands Argo CD runs before `kustomize build` (util/kustomize/kustomize.go,
// Build), done on the kustomization's text as kustomize v5's edit commands do them, and the
// reading of a kustomize error from the tool's stderr.
#include <yaml-cpp/yaml.h>

#include "sim/manifest/kustomize_source.h"

namespace fleetsim {
namespace {

struct ImageEdit {
  std::string name;
  std::string new_name;
  std::string new_tag;
  std::string digest;
};

// kustomize edit set image: "name=newName:tag", "name=newName@digest", "name=newName",
// "name:tag", "name@digest".
ImageEdit ParseImage(const std::string& arg) {
  ImageEdit edit;
  std::string ref = arg;
  size_t eq = arg.find('=');
  if (eq != std::string::npos) {
    edit.name = arg.substr(0, eq);
    ref = arg.substr(eq + 1);
  }
  std::string image = ref;
  if (size_t at = ref.find('@'); at != std::string::npos) {
    image = ref.substr(0, at);
    edit.digest = ref.substr(at + 1);
  } else if (size_t colon = ref.rfind(':');
             colon != std::string::npos && ref.find('/', colon) == std::string::npos) {
    image = ref.substr(0, colon);
    edit.new_tag = ref.substr(colon + 1);
  }
  if (eq == std::string::npos) {
    edit.name = image;
  } else {
    edit.new_name = image;
  }
  return edit;
}

void SetImage(YAML::Node root, const ImageEdit& edit) {
  YAML::Node images = root["images"];
  for (YAML::Node entry : images) {
    if (!entry.IsMap() || !entry["name"] || entry["name"].Scalar() != edit.name) continue;
    if (!edit.new_name.empty()) entry["newName"] = edit.new_name;
    if (!edit.new_tag.empty()) {
      entry["newTag"] = edit.new_tag;
      entry.remove("digest");
    }
    if (!edit.digest.empty()) {
      entry["digest"] = edit.digest;
      entry.remove("newTag");
    }
    return;
  }
  YAML::Node entry;
  entry["name"] = edit.name;
  if (!edit.new_name.empty()) entry["newName"] = edit.new_name;
  if (!edit.new_tag.empty()) entry["newTag"] = edit.new_tag;
  if (!edit.digest.empty()) entry["digest"] = edit.digest;
  root["images"].push_back(entry);
}

void SetReplicas(YAML::Node root, const std::string& name, int64_t count) {
  for (YAML::Node entry : root["replicas"]) {
    if (entry.IsMap() && entry["name"] && entry["name"].Scalar() == name) {
      entry["count"] = count;
      return;
    }
  }
  YAML::Node entry;
  entry["name"] = name;
  entry["count"] = count;
  root["replicas"].push_back(entry);
}

std::string EditCommand(const std::string& verb, const std::map<std::string, std::string>& pairs,
                        bool force) {
  std::string command = "kustomize edit add " + verb + (force ? " --force" : "");
  for (const auto& [k, v] : pairs) command += " " + k + ":" + v;
  return command;
}

Status AlreadyThere(const std::string& command, const std::string& kind, const std::string& key) {
  return Status::Error(RpcError("Unknown", "`" + command +
                                               "` failed exit status 1: Error: " + kind + " " +
                                               key + " already in kustomization file"));
}

// kustomize edit add label / annotation (into a map field).
Status AddToMap(YAML::Node root, const char* field, const std::string& kind,
                const std::map<std::string, std::string>& pairs, bool force) {
  YAML::Node map = root[field];
  for (const auto& [k, v] : pairs) {
    if (map[k] && !force) return AlreadyThere(EditCommand(kind, pairs, force), kind, k);
    map[k] = v;
  }
  return Status::Ok();
}

// kustomize edit add label --without-selector: one `labels` entry per new key.
Status AddLabelsWithoutSelector(YAML::Node root, const KustomizeOptions& o) {
  YAML::Node labels = root["labels"];
  for (const auto& [k, v] : o.common_labels) {
    bool present = false;
    for (YAML::Node entry : labels) {
      YAML::Node pairs = entry["pairs"];
      if (!pairs || !pairs[k]) continue;
      present = true;
      if (!o.force_common_labels) {
        return AlreadyThere(
            EditCommand("label --without-selector", o.common_labels, o.force_common_labels),
            "label", k);
      }
      pairs[k] = v;
    }
    if (present) continue;
    YAML::Node entry;
    entry["pairs"][k] = v;
    entry["includeSelectors"] = false;
    if (o.label_include_templates) entry["includeTemplates"] = true;
    labels.push_back(entry);
  }
  return Status::Ok();
}

// A Go-quoted string's value (klog's err="..."), up to its closing quote.
std::string GoUnquote(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') break;
    if (c != '\\' || i + 1 == s.size()) {
      out += c;
      continue;
    }
    char n = s[++i];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      default:
        out += n;
    }
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::string> ApplyKustomizeOptions(const std::string& kustomization,
                                          const KustomizeOptions& o) {
  YAML::Node root;
  try {
    root = YAML::Load(kustomization);
  } catch (const YAML::Exception& e) {
    return Status::Error(RpcError(
        "Unknown", "`kustomize edit` failed exit status 1: Error: " + std::string(e.what())));
  }
  if (!root.IsMap()) root = YAML::Node(YAML::NodeType::Map);
  if (!o.name_prefix.empty()) root["namePrefix"] = o.name_prefix;
  if (!o.name_suffix.empty()) root["nameSuffix"] = o.name_suffix;
  for (const std::string& image : o.images) SetImage(root, ParseImage(image));
  for (const auto& [name, count] : o.replicas) SetReplicas(root, name, count);
  if (!o.common_labels.empty()) {
    Status s = o.label_without_selector ? AddLabelsWithoutSelector(root, o)
                                        : AddToMap(root, "commonLabels", "label", o.common_labels,
                                                   o.force_common_labels);
    if (!s.ok()) return s;
  }
  if (!o.common_annotations.empty()) {
    Status s = AddToMap(root, "commonAnnotations", "annotation", o.common_annotations,
                        o.force_common_annotations);
    if (!s.ok()) return s;
  }
  if (!o.ns.empty()) root["namespace"] = o.ns;
  for (const std::string& component : o.components) {
    bool present = false;
    for (const YAML::Node& c : root["components"]) present |= c.Scalar() == component;
    if (!present) root["components"].push_back(component);
  }
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

std::string KustomizeErrorText(std::string_view err) {
  err = Trim(err);
  if (size_t at = err.find("\"command failed\" err="); at != std::string_view::npos) {
    std::string_view value = err.substr(at + std::string_view("\"command failed\" err=").size());
    if (value.starts_with('"')) return "Error: " + GoUnquote(value.substr(1));
    if (value.starts_with("<\n")) {
      // klog's multi-line form: each line after a tab, closed by " >".
      std::string text;
      value.remove_prefix(2);
      while (!value.empty()) {
        size_t end = value.find('\n');
        std::string_view line = value.substr(0, end);
        if (Trim(line) == ">") break;
        if (line.starts_with('\t')) line.remove_prefix(1);
        if (!text.empty()) text += '\n';
        text += line;
        if (end == std::string_view::npos) break;
        value.remove_prefix(end + 1);
      }
      return "Error: " + text;
    }
  }
  if (err.starts_with("error: ")) return "Error: " + std::string(err.substr(7));
  return std::string(err);
}

}  // namespace fleetsim
