#include "sim/cluster/api_errors.h"

namespace fleetsim {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Quoted(std::string_view s) {
  std::string out(1, '"');
  out.append(s);
  out += '"';
  return out;
}

}  // namespace

Status NotFoundError(const ApiResource& resource, std::string_view name) {
  return Status::Error(resource.group_resource() + " " + Quoted(name) + " not found");
}

Status NamespaceNotFoundError(std::string_view ns) {
  return Status::Error("namespaces " + Quoted(ns) + " not found");
}

Status AlreadyExistsError(const ApiResource& resource, std::string_view name) {
  return Status::Error(resource.group_resource() + " " + Quoted(name) + " already exists");
}

Status NamespaceTerminatingError(const ApiResource& resource, std::string_view name,
                                 std::string_view ns) {
  return Status::Error(resource.group_resource() + " " + Quoted(name) +
                       " is forbidden: unable to create new content in namespace " +
                       std::string(ns) + " because it is being terminated");
}

Status InvalidError(const ApiResource& resource, std::string_view name, std::string_view detail) {
  std::string kind = resource.group.empty() ? resource.kind : resource.kind + "." + resource.group;
  return Status::Error(kind + " " + Quoted(name) + " is invalid: " + std::string(detail));
}

Status UnknownKindError() { return Status::Error(std::string(kNotFoundResourceText)); }

bool IsNotFound(const Status& status) {
  return !status.ok() &&
         (EndsWith(status.message(), "\" not found") || status.message() == kNotFoundResourceText);
}

bool IsAlreadyExists(const Status& status) {
  return !status.ok() && EndsWith(status.message(), "\" already exists");
}

}  // namespace fleetsim
