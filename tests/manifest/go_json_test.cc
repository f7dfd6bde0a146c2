#include "sim/manifest/go_json.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

using json = Json;

// encoding/json: sorted keys, HTML-safe escapes, strconv's shortest float forms.
TEST(GoJsonTest, MarshalWritesWhatGoWrites) {
  json v = json::parse(R"({"b":"<a&b>","a":[1,0.5,1e-7,1e21,true,null],"c":"\u2028"})");
  EXPECT_EQ(GoJsonMarshal(v),
            R"({"a":[1,0.5,1e-7,1e+21,true,null],"b":"\u003ca\u0026b\u003e","c":"\u2028"})");
}

// Go writes an integral float64 without a fraction and apimachinery reads it back as int64.
TEST(GoJsonTest, RoundTripTurnsIntegralFloatsIntoIntegers) {
  json v = json::parse(R"({"a":3.0,"b":2.5,"c":18446744073709551615,"d":1e21})");
  ASSERT_TRUE(RoundTripGoNumbers(v).ok());
  EXPECT_TRUE(v["a"].is_number_integer());
  EXPECT_TRUE(v["b"].is_number_float());
  EXPECT_TRUE(v["c"].is_number_float());
  EXPECT_TRUE(v["d"].is_number_float());
}

TEST(GoJsonTest, QuoteEscapesLikeStrconvQuote) {
  EXPECT_EQ(GoQuote("a.yaml"), "\"a.yaml\"");
  EXPECT_EQ(GoQuote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
}

}  // namespace
}  // namespace fleetsim
