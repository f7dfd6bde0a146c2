// File contents, interned by their Git blob id so that every commit and tree holding the same bytes
// shares one copy. A blob of a real repository (git_replay.h) reads its bytes from the repository
// the first time they are needed, so files no source ever renders are never loaded.
#ifndef FLEETSIM_SIM_GIT_BLOB_STORE_H_
#define FLEETSIM_SIM_GIT_BLOB_STORE_H_

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "engine/status.h"
#include "sim/git/object_id.h"

namespace fleetsim {

// Where the bytes of a lazily loaded blob come from (a repository's object database).
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual Result<std::string> ReadBlob(const BlobId& id) const = 0;
};

// Immutable file contents (raw bytes, not necessarily text) and their Git blob id.
class Blob {
 public:
  Blob(BlobId id, std::string content) : id_(id), content_(std::move(content)) {}
  // Content read from `reader` on the first call to content(). REQUIRES: reader != nullptr.
  Blob(BlobId id, std::shared_ptr<const BlobReader> reader) : id_(id), reader_(std::move(reader)) {}

  const BlobId& id() const { return id_; }
  // The bytes. A lazy blob whose object cannot be read (the repository changed on disk during the
  // run) reads as empty. Not thread-safe, like the rest of the model.
  const std::string& content() const;

 private:
  BlobId id_;
  mutable std::string content_;
  mutable std::shared_ptr<const BlobReader> reader_;  // reset once the content is loaded
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

  // The stored blob with this id if any, else a new lazy one reading from `reader`.
  BlobPtr InternLazy(const BlobId& id, const std::shared_ptr<const BlobReader>& reader);

  // The stored blob with this id, or nullptr.
  BlobPtr Find(const BlobId& id) const;

  size_t size() const { return blobs_.size(); }

 private:
  std::map<BlobId, BlobPtr> blobs_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_BLOB_STORE_H_
