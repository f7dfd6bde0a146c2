// The JSON value type every part of fleetsim uses: nlohmann::basic_json with its objects kept as
// sorted flat maps (one contiguous array of key/value pairs per object) instead of std::map's node
// per key. Keys stay sorted, so iteration, dumps and hashes are the same as with nlohmann::json;
// an object costs about half the memory and a copy a single allocation per object. As with any
// vector, inserting into an object invalidates references into that object's members.
#ifndef FLEETSIM_SIM_MANIFEST_JSON_H_
#define FLEETSIM_SIM_MANIFEST_JSON_H_

#include <boost/container/flat_map.hpp>
#include <nlohmann/json.hpp>

namespace fleetsim {

template <class Key, class Value, class Compare, class Allocator>
using JsonObjectMap = boost::container::flat_map<Key, Value, Compare>;

using Json = nlohmann::basic_json<JsonObjectMap>;

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_JSON_H_
