// File contents, interned by their Git blob id so that every commit and tree holding the same bytes
// shares one copy.
#ifndef FLEETSIM_SIM_GIT_BLOB_STORE_H_
#define FLEETSIM_SIM_GIT_BLOB_STORE_H_

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "sim/git/object_id.h"

namespace fleetsim {

// Immutable file contents (raw bytes, not necessarily text) and their Git blob id.
class Blob {
 public:
  Blob(BlobId id, std::string content) : id_(id), content_(std::move(content)) {}

  const BlobId& id() const { return id_; }
  const std::string& content() const { return content_; }

 private:
  BlobId id_;
  std::string content_;
};

using BlobPtr = std::shared_ptr<const Blob>;

// Owns no more than one Blob per content. Blobs are immutable and shared with the trees that hold
// them, so they outlive the store if a tree does. Not thread-safe.
class BlobStore {
 public:
  BlobStore() = default;
  BlobStore(const BlobStore&) = delete;
  BlobStore& operator=(const BlobStore&) = delete;
  BlobStore(BlobStore&&) = default;
  BlobStore& operator=(BlobStore&&) = default;

  // The blob holding `content`: the one already stored if any, else a new one.
  BlobPtr Intern(std::string content);

  // The stored blob with this id, or nullptr.
  BlobPtr Find(const BlobId& id) const;

  size_t size() const { return blobs_.size(); }

 private:
  std::map<BlobId, BlobPtr> blobs_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_BLOB_STORE_H_
