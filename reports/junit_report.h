// JUnit XML for CI systems (DESIGN.md "Reports"): the common schema of testsuites, testsuite,
// testcase and failure that Jenkins, GitLab, GitHub Actions reporters and others read. One
// testcase per expectation; a failure carries the expected and the actual value. The text is a
// pure function of its input (no timestamps, no wall times), so the same runs give the same bytes.
#ifndef FLEETSIM_REPORTS_JUNIT_REPORT_H_
#define FLEETSIM_REPORTS_JUNIT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/run_report.h"

namespace fleetsim {

struct JUnitFailure {
  std::string message;  // one line: what was expected and what the run gave
  std::string text;     // the details, one "key: value" per line
};

struct JUnitCase {
  std::string classname;  // the suite's name, so reporters group the cases under it
  std::string name;
  std::optional<JUnitFailure> failure;
};

struct JUnitSuite {
  std::string name;
  std::vector<JUnitCase> cases;
};

// The document: <testsuites name="fleetsim"> holding the suites in the order given, cases in
// order, every attribute and text XML-escaped (characters XML 1.0 forbids become U+FFFD).
std::string RenderJUnitXml(const std::vector<JUnitSuite>& suites);

// Appends one testcase per expectation of `report` to `suite`, named
// "<name_prefix><metric> <op> <value>" (e.g. "seed 42: downtime_seconds max 600"). A failed
// expectation's text names the seed and `replay`, the command line that reproduces the run.
void AppendExpectationCases(const RunReport& report, std::string_view name_prefix,
                            std::string_view replay, JUnitSuite* suite);

// The `fleetsim run` command line that replays one run: the scenario, the seed and the --set
// overrides, each argument quoted for a POSIX shell when it needs it.
std::string ReplayCommand(std::string_view scenario_path, uint64_t seed,
                          const std::vector<std::string>& overrides);

// `text` with &, <, >, " and ' escaped, and characters XML 1.0 forbids replaced.
std::string XmlEscape(std::string_view text);

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_JUNIT_REPORT_H_
