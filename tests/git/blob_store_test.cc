#include "sim/git/blob_store.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

TEST(BlobStoreTest, SameContentIsInternedOnce) {
  BlobStore store;
  BlobPtr a = store.Intern("kind: ConfigMap\n");
  BlobPtr b = store.Intern("kind: ConfigMap\n");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(store.size(), 1u);
}

TEST(BlobStoreTest, DifferentContentGetsDifferentBlobs) {
  BlobStore store;
  BlobPtr a = store.Intern("a\n");
  BlobPtr b = store.Intern("b\n");
  EXPECT_NE(a->id(), b->id());
  EXPECT_EQ(store.size(), 2u);
}

TEST(BlobStoreTest, BlobIdIsTheGitBlobId) {
  BlobStore store;
  EXPECT_EQ(store.Intern("hello\n")->id().hex(), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(store.Intern("")->id().hex(), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST(BlobStoreTest, FindReturnsStoredBlobOrNull) {
  BlobStore store;
  BlobPtr a = store.Intern("x");
  EXPECT_EQ(store.Find(a->id()).get(), a.get());
  EXPECT_EQ(store.Find(HashObject(ObjectType::kBlob, "y")), nullptr);
}

}  // namespace
}  // namespace fleetsim
