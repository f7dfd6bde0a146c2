#include "sim/git/blob_store.h"

#include <utility>

namespace fleetsim {

const std::string& Blob::content() const {
  if (reader_ != nullptr) {
    Result<std::string> bytes = reader_->ReadBlob(id_);
    if (bytes.ok()) content_ = std::move(bytes).value();
    reader_.reset();
  }
  return content_;
}

BlobPtr BlobStore::Intern(std::string content) {
  const BlobId id = HashObject(ObjectType::kBlob, content);
  auto [it, inserted] = blobs_.try_emplace(id);
  if (inserted) it->second = std::make_shared<const Blob>(id, std::move(content));
  return it->second;
}

BlobPtr BlobStore::InternLazy(const BlobId& id, const std::shared_ptr<const BlobReader>& reader) {
  auto [it, inserted] = blobs_.try_emplace(id);
  if (inserted) it->second = std::make_shared<const Blob>(id, reader);
  return it->second;
}

BlobPtr BlobStore::Find(const BlobId& id) const {
  auto it = blobs_.find(id);
  return it == blobs_.end() ? nullptr : it->second;
}

}  // namespace fleetsim
