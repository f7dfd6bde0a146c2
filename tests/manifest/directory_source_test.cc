#include "sim/manifest/directory_source.h"

#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.h"

namespace fleetsim {
namespace {

using testing_manifest::Names;
using testing_manifest::TreeOf;

std::string ConfigMap(const std::string& name) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n";
}

class DirectorySourceTest : public ::testing::Test {
 protected:
  RenderedManifestsPtr Render(const std::map<std::string, std::string>& files,
                              std::string_view path, const DirectorySource& source = {}) {
    Result<RenderedManifestsPtr> r = RenderDirectory(TreeOf(files, blobs_), path, source);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
    return r.ok() ? *r : std::make_shared<RenderedManifests>();
  }
  std::string Error(const std::map<std::string, std::string>& files, std::string_view path,
                    const DirectorySource& source = {}, int64_t max_size = 0) {
    Result<RenderedManifestsPtr> r = RenderDirectory(TreeOf(files, blobs_), path, source, max_size);
    return r.ok() ? "<ok>" : r.error();
  }
  BlobStore blobs_;
};

// repository.go manifestFile: only .yaml, .yml, .json (and .jsonnet) files are read.
TEST_F(DirectorySourceTest, NonManifestFilesAreIgnored) {
  auto r = Render({{"app/a.yaml", ConfigMap("a")},
                   {"app/b.yml", ConfigMap("b")},
                   {"app/README.md", ConfigMap("readme")},
                   {"app/values.txt", ConfigMap("txt")},
                   {"app/c.yaml.bak", ConfigMap("bak")}},
                  "app");
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"a", "b"}));
}

// repository.go getPotentiallyValidManifests: without recurse, filepath.Walk skips subdirectories.
TEST_F(DirectorySourceTest, WithoutRecurseOnlyTheTopDirectory) {
  auto r = Render({{"app/a.yaml", ConfigMap("a")}, {"app/sub/b.yaml", ConfigMap("b")}}, "app");
  EXPECT_EQ(Names(*r), std::vector<std::string>{"a"});
}

// filepath.Walk order: names sorted per directory, so directory "a" comes before "a.yaml" (Git's
// order would put it after); documents keep their order within a file.
TEST_F(DirectorySourceTest, RecurseWalksInGoOrder) {
  auto r = Render({{"app/a.yaml", ConfigMap("top-a") + "---\n" + ConfigMap("top-a2")},
                   {"app/a/x.yaml", ConfigMap("a-x")},
                   {"app/b/c/d.yaml", ConfigMap("b-c-d")},
                   {"app/0.yaml", ConfigMap("zero")}},
                  "app", {.recurse = true});
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"zero", "a-x", "top-a", "top-a2", "b-c-d"}));
}

// repository.go getPotentiallyValidManifestFile: exclude is checked first and wins; both match the
// path relative to the source path.
TEST_F(DirectorySourceTest, IncludeAndExcludeMatchRelativePathsAndExcludeWins) {
  const std::map<std::string, std::string> files = {
      {"app/deployment.yaml", ConfigMap("deployment")},
      {"app/subdir/deploymentSub.yaml", ConfigMap("sub")},
      {"app/secret.yaml", ConfigMap("secret")}};
  EXPECT_EQ(Names(*Render(files, "app", {.recurse = true, .include = "**/*.yaml"})),
            std::vector<std::string>{"sub"});
  EXPECT_EQ(
      Names(*Render(files, "app", {.recurse = true, .include = "{deployment.yaml,secret.yaml}"})),
      (std::vector<std::string>{"deployment", "secret"}));
  EXPECT_EQ(
      Names(*Render(files, "app", {.recurse = true, .include = "*.yaml", .exclude = "subdir/*"})),
      (std::vector<std::string>{"deployment", "secret"}));
  EXPECT_EQ(Names(*Render(files, "app",
                          {.recurse = true, .include = "secret.yaml", .exclude = "secret.yaml"})),
            std::vector<std::string>{});
}

TEST_F(DirectorySourceTest, JsonFilesAreRead) {
  auto r =
      Render({{"app/a.json", R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}})"},
              {"app/b.yaml", ConfigMap("yml")}},
             "app");
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"j", "yml"}));
}

// repository.go GenerateManifests: Lists are replaced by their items, in place.
TEST_F(DirectorySourceTest, ListsExpandInPlace) {
  auto r = Render({{"app/a.yaml",
                    "apiVersion: v1\nkind: List\nitems:\n- " +
                        std::string("{apiVersion: v1, kind: ConfigMap, metadata: {name: i1}}\n- ") +
                        "{apiVersion: v1, kind: ConfigMap, metadata: {name: i2}}\n"},
                   {"app/b.yaml", ConfigMap("b")}},
                  "app");
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"i1", "i2", "b"}));
}

// A directory without manifests renders to nothing, not to an error.
TEST_F(DirectorySourceTest, DirectoryWithoutManifestsIsEmpty) {
  auto r = Render({{"app/README.md", "# app\n"}, {"other/a.yaml", ConfigMap("a")}}, "app");
  EXPECT_TRUE(r->objects.empty());
  EXPECT_TRUE(r->warnings.empty());
}

// util/app/path/path.go: apppathutil.Path's errors, as the controller receives them over gRPC.
TEST_F(DirectorySourceTest, SourcePathErrors) {
  const std::map<std::string, std::string> files = {{"app/a.yaml", ConfigMap("a")}};
  EXPECT_EQ(Error(files, "apps/web"),
            "rpc error: code = Unknown desc = apps/web: app path does not exist");
  EXPECT_EQ(Error(files, "app/a.yaml"),
            "rpc error: code = Unknown desc = app/a.yaml: app path is not a directory");
  EXPECT_EQ(Error(files, "../app"),
            "rpc error: code = Unknown desc = ../app: app path outside root");
  EXPECT_EQ(Error(files, "/app"), "rpc error: code = Unknown desc = /app: app path is absolute");
  EXPECT_EQ(Names(*Render(files, "./x/../app/")), std::vector<std::string>{"a"});
}

// repository.go getObjsFromYAMLOrJSON: the ComparisonError for an invalid file names it.
TEST_F(DirectorySourceTest, InvalidYamlIsAComparisonErrorNamingTheFile) {
  const std::string error =
      Error({{"app/good.yaml", ConfigMap("good")},
             {"app/web/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n"}},
            "app", {.recurse = true});
  EXPECT_TRUE(error.starts_with(
      "rpc error: code = FailedPrecondition desc = Failed to unmarshal \"bad.yaml\": failed to "
      "unmarshal manifest: error converting YAML to JSON: yaml: line "))
      << error;
  EXPECT_TRUE(TargetStateError(error, 0, 1)
                  .starts_with("Failed to load target state: failed to generate manifest for "
                               "source 1 of 1: rpc error: "))
      << TargetStateError(error, 0, 1);
}

// repository.go getObjsFromYAMLOrJSON: a document without a kind fails the file only if the file
// looks like a manifest ("apiVersion:", "kind:" and "metadata:" all appear) or an object came
// before it; a file that never says "kind:" is silently ignored.
TEST_F(DirectorySourceTest, MissingKindFailsOnlyAFileThatLooksLikeAManifest) {
  EXPECT_EQ(Error({{"app/a.yaml", ConfigMap("a") + "---\napiVersion: v1\nmetadata:\n  name: b\n"}},
                  "app"),
            "rpc error: code = FailedPrecondition desc = Failed to unmarshal \"a.yaml\": failed to "
            "unmarshal manifest: error unmarshaling JSON: while decoding JSON: Object 'Kind' is "
            "missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"b\"}}'");
  EXPECT_TRUE(
      Render({{"app/a.yaml", "apiVersion: v1\nmetadata:\n  name: a\n"}}, "app")->objects.empty());
}

// A JSON object without a kind gets through the repo-server and fails when the controller reads
// it back (controller/state.go unmarshalManifests).
TEST_F(DirectorySourceTest, MissingKindInJsonFailsInTheController) {
  const std::string error =
      Error({{"app/a.json", R"({"apiVersion":"v1","metadata":{"name":"a"}})"}}, "app");
  EXPECT_EQ(error,
            "Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\"}}'");
  EXPECT_TRUE(TargetStateError(error, 0, 2)
                  .starts_with("Failed to load target state: failed to unmarshal manifests for "
                               "source 1 of 2: Object"));
}

// The repo-server does not check metadata.name or apiVersion; the API server refuses at sync.
TEST_F(DirectorySourceTest, MissingNameStillRenders) {
  auto r = Render({{"app/a.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n"}}, "app");
  ASSERT_EQ(r->objects.size(), 1u);
  EXPECT_EQ(r->objects[0]->name(), "");
}

// repository.go skipFileRenderingMarker.
TEST_F(DirectorySourceTest, SkipRenderingMarkerSkipsTheFile) {
  auto r = Render({{"app/a.yaml", "# +argocd:skip-file-rendering\n{{ template }}: x\n"},
                   {"app/b.yaml", ConfigMap("b")}},
                  "app");
  EXPECT_EQ(Names(*r), std::vector<std::string>{"b"});
}

// repository.go getPotentiallyValidManifests: ErrExceededMaxCombinedManifestFileSize.
TEST_F(DirectorySourceTest, CombinedSizeLimit) {
  const std::map<std::string, std::string> files = {{"app/a.yaml", ConfigMap("a")},
                                                    {"app/b.yaml", ConfigMap("b")}};
  EXPECT_EQ(Error(files, "app", {}, 60),
            "rpc error: code = Unknown desc = failed to get potentially valid manifests: exceeded "
            "max combined manifest file size");
  EXPECT_EQ(Error(files, "app", {}, 200), "<ok>");
}

// controller/state.go NormalizeTargetObjects: RepeatedResourceWarning, not an error.
TEST_F(DirectorySourceTest, RepeatedResourcesAreWarnings) {
  auto r = Render({{"app/a.yaml", ConfigMap("dup")}, {"app/b.yaml", ConfigMap("dup")}}, "app");
  EXPECT_EQ(r->objects.size(), 2u);
  EXPECT_EQ(r->warnings,
            std::vector<std::string>{
                "Resource /ConfigMap//dup appeared 2 times among application resources."});
}

TEST_F(DirectorySourceTest, JsonnetIsNotEvaluated) {
  EXPECT_EQ(
      Error({{"app/main.jsonnet", "{}"}}, "app"),
      "rpc error: code = FailedPrecondition desc = Failed to evaluate jsonnet \"main.jsonnet\": "
      "fleetsim does not evaluate jsonnet");
}

// controller/state.go: after namespace defaulting, the last of each repeated key is kept;
// generateName objects are keyed by generateName + index.
TEST(DeduplicateTargetsTest, KeepsTheLastOfEachKeyAndWarns) {
  auto make = [](const std::string& json_text) {
    return std::make_shared<const Object>(Json::parse(json_text));
  };
  std::vector<ObjectPtr> objects = {
      make(
          R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","namespace":"n"},"spec":1})"),
      make(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"generateName":"j-"}})"),
      make(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"generateName":"j-"}})"),
      make(
          R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","namespace":"n"},"spec":2})"),
  };
  DeduplicatedTargets d = DeduplicateTargets(objects);
  ASSERT_EQ(d.objects.size(), 3u);
  EXPECT_EQ(d.objects[0], objects[3]);
  EXPECT_EQ(d.objects[1], objects[1]);
  EXPECT_EQ(d.objects[2], objects[2]);
  EXPECT_EQ(d.warnings,
            std::vector<std::string>{
                "Resource apps/Deployment/n/w appeared 2 times among application resources."});
}

}  // namespace
}  // namespace fleetsim
