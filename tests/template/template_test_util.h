// Helpers for the template tests: parse and execute in one call, returning the output or the
// error text, as Argo CD's Render.Replace would see them.
#ifndef FLEETSIM_TESTS_TEMPLATE_TEMPLATE_TEST_UTIL_H_
#define FLEETSIM_TESTS_TEMPLATE_TEMPLATE_TEST_UTIL_H_

#include <string>
#include <string_view>

#include "sim/manifest/json.h"

#include "sim/template/go_template.h"

namespace fleetsim::testing_template {

// The output of `text` executed with `data` (JSON text), or "ERROR: " + the parse/exec error.
std::string Render(std::string_view text, std::string_view data = "{}",
                   MissingKey missing_key = MissingKey::kDefault);

// The parse error of `text`, or "<ok>".
std::string ParseError(std::string_view text);

}  // namespace fleetsim::testing_template

#endif  // FLEETSIM_TESTS_TEMPLATE_TEMPLATE_TEST_UTIL_H_
