// Base64 as Go's encoding/base64 StdEncoding: what SealedSecret values and Secret data use.
#ifndef FLEETSIM_SIM_SECRETS_SEALED_BASE64_H_
#define FLEETSIM_SIM_SECRETS_SEALED_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace fleetsim::secrets {

std::string Base64Encode(std::string_view data);
// The decoded bytes, or Go's error text ("illegal base64 data at input byte N") in `error`.
std::optional<std::string> Base64Decode(std::string_view text, std::string* error);

}  // namespace fleetsim::secrets

#endif  // FLEETSIM_SIM_SECRETS_SEALED_BASE64_H_
