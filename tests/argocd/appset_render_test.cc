// Rendering the Application template (argo-cd applicationset/utils/utils.go RenderTemplateParams
// and Replace; controllers/template/template.go renderTemplatePatch; reference/argocd.md 4.1, 4.4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/argocd/appset_render.h"
#include "tests/argocd/appset_test_util.h"

namespace fleetsim::testing_appset {
namespace {

using ::testing::HasSubstr;

AppSetSpec Spec(bool go, const std::string& extra = "") {
  return SpecFromYaml(
      "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: "
      "s, namespace: argocd}\nspec:\n  goTemplate: " +
      std::string(go ? "true" : "false") + "\n" + extra + "  generators: []\n  template: {}\n");
}

Json Template() {
  return {{"metadata",
           {{"name", "{{name}}-app"},
            {"labels", {{"{{name}}-key", "v"}}},
            {"annotations", {{"a", "{{ name }}"}}}}},
          {"spec",
           {{"project", "default"},
            {"source", {{"path", "{{path}}"}, {"directory", {{"recurse", true}}}}},
            {"destination", {{"server", "{{server}}"}, {"namespace", "ns"}}}}}};
}

TEST(AppSetRenderTest, FastTemplateRendersEveryStringAndMapKey) {
  AppSetSpec spec = Spec(false);
  AppSetRenderer r(spec);
  std::vector<RenderError> errors;
  Result<Json> app =
      r.Render(Template(), {{"name", "web"}, {"server", "https://x"}}, false, &errors);
  ASSERT_TRUE(app.ok()) << app.error();
  EXPECT_EQ((*app)["metadata"]["name"], "web-app");
  EXPECT_EQ((*app)["metadata"]["labels"]["web-key"], "v");
  EXPECT_EQ((*app)["metadata"]["annotations"]["a"], "web");  // tags are trimmed
  EXPECT_EQ((*app)["metadata"]["namespace"], "argocd");
  EXPECT_EQ((*app)["spec"]["source"]["path"], "{{path}}");            // unknown key left as written
  EXPECT_EQ((*app)["spec"]["source"]["directory"]["recurse"], true);  // non-strings untouched
  EXPECT_EQ((*app)["kind"], "Application");
}

// Reference 4.1: the resources finalizer is added only when the template has none and
// preserveResourcesOnDeletion is off.
TEST(AppSetRenderTest, ResourcesFinalizerRule) {
  AppSetSpec plain = Spec(false);
  AppSetRenderer r(plain);
  std::vector<RenderError> errors;
  Json app = *r.Render(Template(), {{"name", "a"}}, false, &errors);
  EXPECT_EQ(app["metadata"]["finalizers"], Json({"resources-finalizer.argocd.argoproj.io"}));

  AppSetSpec preserve = Spec(false, "  syncPolicy: {preserveResourcesOnDeletion: true}\n");
  AppSetRenderer rp(preserve);
  EXPECT_FALSE(
      (*rp.Render(Template(), {{"name", "a"}}, false, &errors))["metadata"].contains("finalizers"));

  Json tmpl = Template();
  tmpl["metadata"]["finalizers"] = {"example.com/keep"};
  EXPECT_EQ((*r.Render(tmpl, {{"name", "a"}}, false, &errors))["metadata"]["finalizers"],
            Json({"example.com/keep"}));
}

TEST(AppSetRenderTest, GoTemplateParseErrorIsWrappedAsArgoCdDoes) {
  AppSetSpec spec = Spec(true);
  AppSetRenderer r(spec);
  Result<std::string> out = r.Replace("{{.path[1]}}", {{"path", {{"path", "a/b"}}}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error(),
            "failed to parse template {{.path[1]}}: template: base:1: bad character U+005B '['");
  EXPECT_EQ(*r.Replace("{{index .path.segments 1}}", {{"path", {{"segments", {"a", "b"}}}}}), "b");
}

TEST(AppSetRenderTest, MissingKeyDefaultAndError) {
  AppSetSpec lax = Spec(true);
  AppSetRenderer r(lax);
  EXPECT_EQ(*r.Replace("{{.nope}}", {{"a", "b"}}), "<no value>");
  AppSetSpec strict = Spec(true, "  goTemplateOptions: [\"missingkey=error\"]\n");
  AppSetRenderer rs(strict);
  Result<std::string> out = rs.Replace("{{.nope}}", {{"a", "b"}});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error(), HasSubstr("failed to execute go template {{.nope}}: "));
  EXPECT_THAT(out.error(), HasSubstr("map has no entry for key \"nope\""));
}

TEST(AppSetRenderTest, TemplatePatchIsRenderedAndMergedButKeepsTheProject) {
  AppSetSpec spec = Spec(true,
                         "  templatePatch: |\n    spec:\n      project: other\n      "
                         "destination:\n        namespace: '{{.name}}-ns'\n");
  AppSetRenderer r(spec);
  std::vector<RenderError> errors;
  Json tmpl = Template();
  tmpl["metadata"] = {{"name", "{{.name}}"}};
  tmpl["spec"]["source"]["path"] = "{{.name}}";
  tmpl["spec"]["destination"]["server"] = "https://x";
  Result<Json> app = r.Render(tmpl, {{"name", "web"}}, false, &errors);
  ASSERT_TRUE(app.ok()) << app.error();
  EXPECT_EQ((*app)["spec"]["destination"]["namespace"], "web-ns");
  EXPECT_EQ((*app)["spec"]["project"], "default");
}

TEST(AppSetRenderTest, KeepGoingCollectsEveryFailingString) {
  AppSetSpec spec = Spec(true);
  AppSetRenderer r(spec);
  Json tmpl = {{"metadata", {{"name", "{{.a}}"}}},
               {"spec", {{"x", "{{.path[1]}}"}, {"y", "{{ .b "}}}};
  std::vector<RenderError> errors;
  Result<Json> app = r.Render(tmpl, {{"a", "ok"}}, true, &errors);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_EQ((*app)["metadata"]["name"], "ok");
  EXPECT_EQ((*app)["spec"]["x"], "{{.path[1]}}");
}

}  // namespace
}  // namespace fleetsim::testing_appset
