#include "sim/scenario/repo_url.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

TEST(NormalizeRepoUrlTest, StripsGitSuffixAndTrailingSlash) {
  EXPECT_EQ(NormalizeRepoUrl("https://github.com/acme/apps.git"), "https://github.com/acme/apps");
  EXPECT_EQ(NormalizeRepoUrl("https://github.com/acme/apps/"), "https://github.com/acme/apps");
  EXPECT_EQ(NormalizeRepoUrl("https://github.com/acme/apps.git/"), "https://github.com/acme/apps");
}

TEST(NormalizeRepoUrlTest, CaseInsensitiveLikeArgoCd) {
  EXPECT_EQ(NormalizeRepoUrl("HTTPS://GitHub.COM/Acme/Apps"), "https://github.com/acme/apps");
}

TEST(NormalizeRepoUrlTest, TrimsSpaces) {
  EXPECT_EQ(NormalizeRepoUrl("  https://example.com/r \n"), "https://example.com/r");
  EXPECT_EQ(NormalizeRepoUrl("   "), "");
}

TEST(NormalizeRepoUrlTest, SshFormsAgree) {
  EXPECT_EQ(NormalizeRepoUrl("git@github.com:acme/apps.git"), "git@github.com/acme/apps");
  EXPECT_EQ(NormalizeRepoUrl("ssh://git@github.com/acme/apps.git"), "git@github.com/acme/apps");
}

TEST(NormalizeRepoUrlTest, HttpsWithUserIsNotSsh) {
  EXPECT_EQ(NormalizeRepoUrl("https://user@github.com/acme/apps"),
            "https://user@github.com/acme/apps");
}

TEST(NormalizeRepoUrlTest, DifferentReposStayDifferent) {
  EXPECT_NE(NormalizeRepoUrl("https://github.com/acme/apps"),
            NormalizeRepoUrl("https://github.com/acme/apps2"));
}

TEST(NormalizeRepoUrlTest, ViewFormAgreesWithoutCopyingPlainUrls) {
  for (std::string_view url : {"https://github.com/acme/apps.git/", "HTTPS://GitHub.COM/Acme/Apps",
                               " https://x/r \n", "", "git@github.com:acme/apps.git",
                               "ssh://git@github.com/acme/apps.git", "https://a/b.git.git"}) {
    std::string scratch;
    EXPECT_EQ(NormalizeRepoUrl(url, scratch), NormalizeRepoUrl(url)) << url;
  }
  std::string scratch;
  const std::string url = "https://github.com/acme/apps.git";
  EXPECT_EQ(NormalizeRepoUrl(url, scratch).data(), url.data());
  EXPECT_TRUE(scratch.empty());
}

}  // namespace
}  // namespace fleetsim
