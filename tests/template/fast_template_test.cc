// fasttemplate with "{{" "}}" as Argo CD's Render.Replace uses it (goTemplate: false).
#include <gtest/gtest.h>

#include "sim/template/go_template.h"

namespace fleetsim {
namespace {

std::string Fast(std::string_view text, const FastTemplateParams& params) {
  Result<std::string> r = RenderFastTemplate(text, params);
  return r.ok() ? *r : "ERROR: " + r.error();
}

TEST(FastTemplateTest, ReplacesTrimmedTags) {
  FastTemplateParams p{{"name", "web"}, {"path.basename", "app"}};
  EXPECT_EQ(Fast("{{name}}-{{ path.basename }}", p), "web-app");
}

// utils.go Replace: an unknown or empty tag is written back untrimmed, braces included.
TEST(FastTemplateTest, UnknownTagsAreKept) {
  FastTemplateParams p{{"a", "A"}};
  EXPECT_EQ(Fast("{{ b }}/{{}}/{{a}}", p), "{{ b }}/{{}}/A");
}

// utils.go isTemplatedRegex: text without "{{...}}" on a line is returned as is.
TEST(FastTemplateTest, UntemplatedTextIsUnchanged) {
  EXPECT_EQ(Fast("plain {{ unclosed", {}), "plain {{ unclosed");
}

// fasttemplate.NewTemplate: a start tag without an end tag.
TEST(FastTemplateTest, UnterminatedTagIsAnError) {
  EXPECT_EQ(Fast("{{a}} {{b", {{"a", "A"}}),
            "ERROR: cannot find end tag=\"}}\" in the template=\"{{a}} {{b\" starting from \"b\"");
}

TEST(FastTemplateTest, ValuesAreNotRescanned) {
  EXPECT_EQ(Fast("{{a}}", {{"a", "{{b}}"}, {"b", "B"}}), "{{b}}");
}

}  // namespace
}  // namespace fleetsim
