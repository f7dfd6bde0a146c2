#include <gtest/gtest.h>

#include "tests/template/template_test_util.h"

namespace fleetsim {
namespace {

using testing_template::Render;

TEST(ExecTest, Smoke) {
  EXPECT_EQ(Render("a{{.x}}b", R"({"x":"X"})"), "aXb");
}

}  // namespace
}  // namespace fleetsim
