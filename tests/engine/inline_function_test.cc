#include "engine/inline_function.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <utility>

namespace fleetsim {
namespace {

using Fn = InlineFunction<int(int), 48>;

TEST(InlineFunctionTest, SmallCapturesAreStoredInline) {
  int* p = nullptr;
  int64_t a = 0, b = 0;
  auto small = [p, a, b](int) { return static_cast<int>(a + b) + (p != nullptr); };
  EXPECT_TRUE(Fn::FitsInline<decltype(small)>());
  std::array<char, 100> big{};
  auto large = [big](int) { return static_cast<int>(big[0]); };
  EXPECT_FALSE(Fn::FitsInline<decltype(large)>());
}

TEST(InlineFunctionTest, CallsInlineAndHeapCallables) {
  int base = 40;
  Fn small = [base](int x) { return base + x; };
  EXPECT_EQ(small(2), 42);
  std::array<int, 40> big{};
  big[39] = 7;
  Fn large = [big](int x) { return big[39] * x; };
  EXPECT_EQ(large(3), 21);
}

TEST(InlineFunctionTest, VoidSignatureDiscardsResults) {
  int calls = 0;
  InlineFunction<void(), 48> f = [&calls] { return ++calls; };
  f();
  EXPECT_EQ(calls, 1);
}

TEST(InlineFunctionTest, HoldsMoveOnlyCallables) {
  auto owned = std::make_unique<int>(5);
  Fn f = [owned = std::move(owned)](int x) { return *owned + x; };
  Fn g = std::move(f);
  EXPECT_FALSE(static_cast<bool>(f));  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(g(1), 6);
}

TEST(InlineFunctionTest, DestroysCapturesExactlyOnce) {
  auto token = std::make_shared<int>(0);
  {
    Fn f = [token](int) { return 0; };
    Fn g = std::move(f);
    Fn h;
    h = std::move(g);
    EXPECT_EQ(token.use_count(), 2);
  }
  EXPECT_EQ(token.use_count(), 1);
}

TEST(InlineFunctionTest, HeapCallableIsFreedOnReset) {
  auto token = std::make_shared<int>(0);
  std::array<char, 100> pad{};
  Fn f = [token, pad](int) { return static_cast<int>(pad[0]); };
  EXPECT_EQ(token.use_count(), 2);
  f = nullptr;
  EXPECT_EQ(token.use_count(), 1);
  EXPECT_FALSE(static_cast<bool>(f));
}

}  // namespace
}  // namespace fleetsim
