#include "sim/git/object_id.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

TEST(ObjectIdTest, EmptyBlobHasGitsWellKnownId) {
  EXPECT_EQ(HashObject(ObjectType::kBlob, "").hex(), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST(ObjectIdTest, BlobIdMatchesGitHashObject) {
  // printf 'hello\n' | git hash-object --stdin
  EXPECT_EQ(HashObject(ObjectType::kBlob, "hello\n").hex(),
            "ce013625030ba8dba906f756967f9e9ca394464a");
}

TEST(ObjectIdTest, EmptyTreeHasGitsWellKnownId) {
  EXPECT_EQ(HashObject(ObjectType::kTree, "").hex(), "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
}

TEST(ObjectIdTest, HashCoversBinaryContent) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(HashObject(ObjectType::kBlob, with_nul), HashObject(ObjectType::kBlob, "a"));
}

TEST(ObjectIdTest, HexRoundTripsAndAcceptsUpperCase) {
  const std::optional<ObjectId> id = ObjectId::FromHex("CE013625030BA8DBA906F756967F9E9CA394464A");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->hex(), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(*id, HashObject(ObjectType::kBlob, "hello\n"));
}

TEST(ObjectIdTest, FromHexRejectsWrongLengthAndNonHex) {
  EXPECT_FALSE(ObjectId::FromHex("ce01362").has_value());
  EXPECT_FALSE(ObjectId::FromHex("ze013625030ba8dba906f756967f9e9ca394464a").has_value());
  EXPECT_FALSE(ObjectId::FromHex("ce013625030ba8dba906f756967f9e9ca394464a0").has_value());
}

}  // namespace
}  // namespace fleetsim
