// The hashes Sprig's sha1sum, sha256sum and adler32sum print, as lowercase hex (adler32: decimal).
#ifndef FLEETSIM_SIM_TEMPLATE_DIGEST_H_
#define FLEETSIM_SIM_TEMPLATE_DIGEST_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace fleetsim::gotmpl {

std::string Sha1Hex(std::string_view data);
std::string Sha256Hex(std::string_view data);
uint32_t Adler32(std::string_view data);

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_DIGEST_H_
