#include "reports/run_report.h"

#include <algorithm>

namespace fleetsim {

bool RunReport::all_expectations_passed() const {
  return std::all_of(expectations.begin(), expectations.end(),
                     [](const ExpectationResult& e) { return e.passed; });
}

}  // namespace fleetsim
