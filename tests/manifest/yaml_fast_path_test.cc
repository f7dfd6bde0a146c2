// The fast reader of plain block YAML (yaml_fast_path.h) against yaml-cpp with go-yaml's typing:
// whatever the fast reader accepts, it must read exactly as ParseYamlDocument does, on every YAML
// file of the repository and on generated documents, clean or damaged.
#include "sim/manifest/yaml_fast_path.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

// Both readers on one document: the fast one either declines or agrees with yaml-cpp. Returns
// whether the fast one accepted.
bool Agrees(const std::string& doc) {
  std::optional<Json> fast = ParseBlockYamlFast(doc);
  if (!fast) return false;
  Result<Json> slow = ParseYamlDocument(doc, 0);
  EXPECT_TRUE(slow.ok()) << "fast accepted what yaml-cpp refuses: " << slow.error() << "\n" << doc;
  if (slow.ok()) {
    EXPECT_EQ(fast->dump(), slow->dump()) << doc;
  }
  return true;
}

// The documents of a file the way the splitter cuts them: lines starting with "---" separate.
std::vector<std::string> Documents(const std::string& text) {
  std::vector<std::string> out(1);
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("---")) {
      out.emplace_back();
      continue;
    }
    out.back() += line + "\n";
  }
  return out;
}

// The shapes the fast reader exists for: Argo CD Applications, workloads, ConfigMaps.
TEST(YamlFastPathTest, ReadsTypicalManifestsAsYamlCppDoes) {
  const std::string docs[] = {
      R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: svc-00-c-1
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/acme/fleet-gitops.git
    targetRevision: HEAD
    path: svc-00
  destination:
    server: https://c-1.fleet.invalid
    namespace: svc-00
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - CreateNamespace=true
)",
      R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web  # the front end
  labels:
    app.kubernetes.io/name: web
  annotations:
    argocd.argoproj.io/sync-wave: "2"
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
      - name: web
        image: ghcr.io/acme/web:1.0.0
        args:
        - --port=8080
        - -v
        ports:
        - containerPort: 8080
          protocol: TCP
        envFrom:
          - configMapRef:
              name: web-config

      terminationGracePeriodSeconds: 30
)",
      R"(# A config map
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,checkout-v2"
  revision: 'r0'
  empty: ""
  port: 08080
  enabled: yes
  ratio: 1.50
  nothing: ~
  url: http://example.com:8080/a#b
)",
  };
  for (const std::string& doc : docs) EXPECT_TRUE(Agrees(doc)) << doc;
}

// What the subset leaves to yaml-cpp: each of these is declined, never misread.
TEST(YamlFastPathTest, DeclinesWhatItDoesNotRead) {
  const std::string docs[] = {
      "a: &x 1\nb: *x\n",         // anchors, aliases
      "a: !!str 1\n",             // tags
      "a: [1, 2]\n",              // flow collections
      "a: {b: 1}\n",              //
      "a: |\n  text\n",           // block scalars
      "a: >-\n  text\n",          //
      "a: \"x\\ny\"\n",           // escapes
      "a: 'it''s'\n",             //
      "a: plain\n  continued\n",  // multi-line plain scalar
      "a: \"open\n  close\"\n",   // multi-line quoted scalar
      "<<: {a: 1}\n",             // merge key
      "? a\n: b\n",               // complex key
      "\"quoted key\": 1\n",      // quoted key
      "a b: 1\n",                 // key with a space
      "a:\tb\n",                  // tab
      "a: caf\xc3\xa9\n",         // non-ASCII
      "a: b: c\n",                // ": " in a value
      "a: b:\n",                  // value ending with ':'
      "- - a\n",                  // nested compact sequence
      "a:\n    b: 1\n  c: 2\n",   // indentation that closes no block
      "a: 1\n- b\n",              // item where a key belongs
      "- a\nb: 1\n",              // key after a root sequence
      "just a scalar\n",          // scalar root
      "%YAML 1.1\na: 1\n",        // directive
      "a: 1\n...\n",              // document end
      "",                         // no content
      "# only a comment\n",       //
      "a: .inf\n",                // a number JSON cannot hold (Go refuses)
  };
  for (const std::string& doc : docs) EXPECT_FALSE(ParseBlockYamlFast(doc).has_value()) << doc;
}

// Spellings near the subset's edges: each is read as yaml-cpp reads it or left to yaml-cpp.
TEST(YamlFastPathTest, EdgeCasesAreReadAsYamlCppReadsThemOrDeclined) {
  const std::string docs[] = {
      "a: it's\n",       "a: say \"hi\"\n",
      "a: x  y\n",       "a:    spaced\n",
      "a: x\t\n",        "a: \"x\"   \n",
      "a: 'x' # c\n",    "a: \"x\"# c\n",
      "a:\n  - x\n",     "a:\n- x\n- y\nb: 1\n",
      "a:\n -\n - y\n",  "- \n  a: 1\n",
      "-\n- x\n",        "-   a: 1\n    b: 2\n",
      "- a:\n  - x\n",   "  a: 1\n  b: 2\n",
      "  a: 1\nb: 2\n",  "a: 1\n  # c\nb: 2\n",
      "a: 1 #\n",        "a: #\n  b: 1\n",
      "a: b:c\n",        "a: b #c d: e\n",
      "-a: 1\n",         "-: 1\n",
      "a:b: 1\n",        "1: x\n2: y\n",
      "yes: 1\nno: 2\n", "a: 1\na: 2\n",
      "a: ~\nb: \n",     "a: ''\n",
      "a: '#'\n",        "a: \"'\"\n",
  };
  for (const std::string& doc : docs) Agrees(doc);
}

// yaml-cpp refuses an implicit key longer than 1024 characters; the fast reader leaves it to it.
TEST(YamlFastPathTest, LeavesOverlongKeysToYamlCpp) {
  const std::string key(1024, 'k');
  EXPECT_TRUE(Agrees(key + ": 1\n"));
  EXPECT_TRUE(Agrees("- " + key + ": 1\n"));
  EXPECT_FALSE(ParseYamlDocument(key + "k: 1\n", 0).ok());
  EXPECT_FALSE(ParseBlockYamlFast(key + "k: 1\n").has_value());
  EXPECT_FALSE(ParseBlockYamlFast("- " + key + "k: 1\n").has_value());
}

// `n` items "- a:", each holding the next: a sequence and a mapping per line, 2n levels deep.
std::string NestedItems(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += std::string(2 * static_cast<size_t>(i), ' ') + "- a:\n";
  return out;
}

// The fast reader stops at 200 levels, well before yaml-cpp's 500 ("bad file"), however the
// levels are spelt (compact items open two a line without a block of their own).
TEST(YamlFastPathTest, DeclinesDocumentsNestedTooDeep) {
  EXPECT_TRUE(Agrees(NestedItems(100)));
  EXPECT_FALSE(ParseBlockYamlFast(NestedItems(101)).has_value());
  EXPECT_FALSE(ParseYamlDocument(NestedItems(250), 0).ok());
  EXPECT_FALSE(ParseBlockYamlFast(NestedItems(250)).has_value());
  std::string maps;
  for (size_t i = 0; i < 300; ++i) maps += std::string(i, ' ') + "a:\n";
  EXPECT_FALSE(ParseBlockYamlFast(maps).has_value());
}

// Every YAML file in the repository (scenarios, their trees, test data), document by document.
TEST(YamlFastPathTest, AgreesOnEveryYamlFileOfTheRepository) {
  size_t documents = 0, accepted = 0;
  for (const char* dir : {"scenarios", "tests", "examples", "docs"}) {
    const fs::path root = fs::path(FLEETSIM_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(root)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      for (const std::string& doc : Documents(text.str())) {
        ++documents;
        if (Agrees(doc)) ++accepted;
      }
    }
  }
  std::cout << accepted << " of " << documents << " documents in the subset\n";
  EXPECT_GT(documents, 300u);
  EXPECT_GT(accepted, documents / 4) << accepted << " of " << documents;
}

// Random documents: nested mappings and sequences (at their key's indentation or deeper, compact
// "- key:" items), tricky scalars, comments and blank lines, with and without damage.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string Document() {
    out_.clear();
    const int width = Pick(2) ? 2 : 4;
    Mapping(0, width, 0);
    return out_;
  }

  // `doc` with one random line damaged: re-indented, a character replaced or inserted.
  std::string Damage(const std::string& doc) {
    std::vector<std::string> lines;
    std::istringstream in(doc);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    if (lines.empty()) return doc;
    std::string& line = lines[Pick(static_cast<int>(lines.size()))];
    static const std::string kChars = " :-#'\"\t[]{}&*!|>?,%@`\\~.0aZ";
    switch (Pick(4)) {
      case 0:
        line.insert(0, std::string(1 + Pick(3), ' '));
        break;
      case 1:
        if (line.size() > 1) line.erase(0, 1);
        break;
      case 2:
        if (!line.empty()) line[Pick(static_cast<int>(line.size()))] = kChars[Pick(kChars.size())];
        break;
      default:
        line.insert(Pick(static_cast<int>(line.size()) + 1), 1, kChars[Pick(kChars.size())]);
        break;
    }
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  int Pick(size_t n) { return Pick(static_cast<int>(n)); }

  std::string Key() {
    static const char* const kKeys[] = {"name",  "image", "a",     "b.c/d", "x_y",  "true",
                                        "yes",   "1",     "010",   "1.5",   "null", "-k",
                                        "on",    "ports", "spec",  "z-9",   "0x1F", "1e3",
                                        "LABEL", "name",  "image", "a",     "~",    "."};
    return kKeys[Pick(sizeof kKeys / sizeof *kKeys)];
  }

  std::string Scalar() {
    static const char* const kScalars[] = {"true",
                                           "True",
                                           "yes",
                                           "on",
                                           "off",
                                           "y",
                                           "n",
                                           "~",
                                           "null",
                                           "Null",
                                           "NULL",
                                           "0x1F",
                                           "0o17",
                                           "017",
                                           "1_000",
                                           "-1",
                                           "+1",
                                           ".5",
                                           "1e3",
                                           "1.0",
                                           "3.25",
                                           "2001-12-14",
                                           "\"quoted\"",
                                           "'single'",
                                           "\"\"",
                                           "''",
                                           "a#b",
                                           "a # comment",
                                           "a:b",
                                           "-x",
                                           "http://h:1/p",
                                           "v1.2.3",
                                           "text with  spaces",
                                           "\"# not a comment\"",
                                           "'a \"b\"'",
                                           "9223372036854775808",
                                           "-0",
                                           "0",
                                           ".inf",
                                           ".NaN",
                                           "1e400",
                                           "=x",
                                           "x=",
                                           "a,b",
                                           "\"a'b\"",
                                           "1:2",
                                           "12:30:00",
                                           "0b101",
                                           "-.5",
                                           "+.5e+3",
                                           "---",
                                           "...",
                                           "x:y:z",
                                           "b:#c",
                                           "x?",
                                           "x%"};
    std::string s = kScalars[Pick(sizeof kScalars / sizeof *kScalars)];
    if (Pick(8) == 0) s += "   # trailing";
    return s;
  }

  void Indent(int n) { out_.append(static_cast<size_t>(n), ' '); }

  void Noise(int indent) {
    if (Pick(10) == 0) out_ += "\n";
    if (Pick(12) == 0) {
      Indent(Pick(indent + 3));
      out_ += "# comment: - [x]\n";
    }
  }

  void Mapping(int indent, int width, int depth) {
    const int n = 1 + Pick(4);
    for (int i = 0; i < n; ++i) {
      Noise(indent);
      if (i > 0 || !inline_first_) Indent(indent);
      inline_first_ = false;
      out_ += Key() + ":";
      Value(indent, width, depth);
    }
  }

  void Sequence(int indent, int width, int depth) {
    const int n = 1 + Pick(3);
    for (int i = 0; i < n; ++i) {
      Noise(indent);
      Indent(indent);
      const int gap = 1 + (Pick(4) == 0 ? 2 : 0);
      out_ += "-";
      if (depth < 4 && Pick(3) == 0) {
        out_.append(static_cast<size_t>(gap), ' ');
        inline_first_ = true;
        Mapping(indent + 1 + gap, width, depth + 1);
      } else if (depth < 4 && Pick(5) == 0) {
        out_ += "\n";
        Mapping(indent + width, width, depth + 1);
      } else {
        out_ += " " + Scalar() + "\n";
      }
    }
  }

  void Value(int indent, int width, int depth) {
    const int kind = depth >= 4 ? 0 : Pick(6);
    if (kind <= 2) {
      out_ += Pick(12) == 0 ? "\n" : " " + Scalar() + "\n";
    } else if (kind == 3) {
      out_ += Pick(6) == 0 ? "  # about it\n" : "\n";
      Mapping(indent + width, width, depth + 1);
    } else {
      out_ += "\n";
      Sequence(Pick(2) ? indent : indent + width, width, depth + 1);
    }
  }

  std::mt19937 rng_;
  std::string out_;
  bool inline_first_ = false;
};

TEST(YamlFastPathTest, AgreesOnGeneratedDocuments) {
  Generator gen(20261128);
  size_t valid = 0, accepted = 0, damaged_accepted = 0;
  constexpr int kDocuments = 3000;
  for (int i = 0; i < kDocuments; ++i) {
    const std::string doc = gen.Document();
    if (ParseYamlDocument(doc, 0).ok()) ++valid;  // not those with .inf or .nan
    if (Agrees(doc)) ++accepted;
    if (Agrees(gen.Damage(doc))) ++damaged_accepted;
  }
  // The generator writes only the subset: every document yaml-cpp reads, the fast reader reads
  // too; some damaged ones are still in it, and were read as yaml-cpp reads them.
  EXPECT_GT(valid, static_cast<size_t>(kDocuments / 3));
  EXPECT_EQ(accepted, valid);
  EXPECT_GT(damaged_accepted, 0u);
  std::cout << valid << " valid, " << accepted << " accepted, " << damaged_accepted
            << " damaged accepted\n";
}

}  // namespace
}  // namespace fleetsim
