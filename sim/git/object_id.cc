#include "sim/git/object_id.h"

#include <git2.h>

#include <cstring>

namespace fleetsim {
namespace {

// libgit2 wants git_libgit2_init() before use. It is reference counted and never shut down here:
// the hashing it serves is pure and the process owns it until exit.
void EnsureLibgit2() {
  static const int kInitCount = git_libgit2_init();
  (void)kInitCount;
}

git_object_t ToGitType(ObjectType type) {
  switch (type) {
    case ObjectType::kBlob:
      return GIT_OBJECT_BLOB;
    case ObjectType::kTree:
      return GIT_OBJECT_TREE;
    case ObjectType::kCommit:
      return GIT_OBJECT_COMMIT;
  }
  return GIT_OBJECT_INVALID;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<ObjectId> ObjectId::FromHex(std::string_view hex) {
  if (hex.size() != kHexSize) return std::nullopt;
  std::array<unsigned char, kRawSize> raw{};
  for (size_t i = 0; i < kRawSize; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    raw[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return ObjectId(raw);
}

std::string ObjectId::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kHexSize, '0');
  for (size_t i = 0; i < kRawSize; ++i) {
    out[2 * i] = kDigits[raw_[i] >> 4];
    out[2 * i + 1] = kDigits[raw_[i] & 0xf];
  }
  return out;
}

ObjectId HashObject(ObjectType type, std::string_view body) {
  EnsureLibgit2();
  git_oid oid;
  // git_odb_hash fails only for an invalid type, which ToGitType never returns.
  git_odb_hash(&oid, body.data(), body.size(), ToGitType(type));
  std::array<unsigned char, ObjectId::kRawSize> raw{};
  std::memcpy(raw.data(), oid.id, raw.size());
  return ObjectId(raw);
}

}  // namespace fleetsim
