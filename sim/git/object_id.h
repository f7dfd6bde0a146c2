// Git object ids: the SHA-1 of an object's canonical encoding, as real Git computes it, so the ids
// fleetsim reports (blobs, trees, commits) are the ones `git hash-object`, `git write-tree` and
// `git commit-tree` would print for the same content.
#ifndef FLEETSIM_SIM_GIT_OBJECT_ID_H_
#define FLEETSIM_SIM_GIT_OBJECT_ID_H_

#include <array>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace fleetsim {

class ObjectId {
 public:
  static constexpr size_t kRawSize = 20;
  static constexpr size_t kHexSize = 40;

  ObjectId() = default;  // all zeros; never the id of a real object
  explicit ObjectId(const std::array<unsigned char, kRawSize>& raw) : raw_(raw) {}

  // Exactly 40 hex digits, either case; nullopt otherwise.
  static std::optional<ObjectId> FromHex(std::string_view hex);

  std::string hex() const;  // 40 lowercase hex digits
  const std::array<unsigned char, kRawSize>& raw() const { return raw_; }

  auto operator<=>(const ObjectId&) const = default;

 private:
  std::array<unsigned char, kRawSize> raw_{};
};

using BlobId = ObjectId;
using TreeId = ObjectId;
using CommitId = ObjectId;

enum class ObjectType { kBlob, kTree, kCommit };

// The id Git gives an object of `type` whose body is `body` (libgit2's git_odb_hash: SHA-1 over
// "<type> <size>\0" + body). Pure: same input, same id.
ObjectId HashObject(ObjectType type, std::string_view body);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_OBJECT_ID_H_
