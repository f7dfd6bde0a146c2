#include "reports/junit_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/terminal_summary.h"

namespace fleetsim {
namespace {

// The expectation as the scenario wrote it: "downtime_seconds max 600", "rto_seconds null".
std::string Describe(const ExpectationResult& e) {
  if (e.op == "null" || !e.value) return e.metric + " null";
  double v = *e.value;
  bool whole = v == std::floor(v) && std::fabs(v) < 9e15;
  return fmt::format("{} {} {}", e.metric, e.op,
                     FormatMetricValue(e.metric, whole ? MetricValue::Int(static_cast<int64_t>(v))
                                                       : MetricValue::Real(v)));
}

JUnitFailure FailureOf(const RunReport& report, const ExpectationResult& e,
                       std::string_view replay) {
  std::string actual = FormatMetricValue(e.metric, e.actual);
  std::string expected = Describe(e);
  JUnitFailure failure;
  failure.message = fmt::format("{} is {}, expected {}", e.metric, actual, expected);
  failure.text = fmt::format("expected: {}\nactual: {}\nscenario: {}\nseed: {}\nreplay: {}\n",
                             expected, actual, report.scenario, report.seed, replay);
  return failure;
}

bool NeedsQuoting(std::string_view arg) {
  if (arg.empty()) return true;
  return std::any_of(arg.begin(), arg.end(), [](char c) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("-_./=:,@+%").find(c) != std::string_view::npos;
    return !plain;
  });
}

std::string ShellQuote(std::string_view arg) {
  if (!NeedsQuoting(arg)) return std::string(arg);
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Length of the UTF-8 sequence starting with `lead`, or 0 when `lead` cannot start one.
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

bool IsContinuation(unsigned char c) { return (c & 0xc0) == 0x80; }

constexpr std::string_view kReplacement = "\xef\xbf\xbd";  // U+FFFD

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '&':
        out += "&amp;";
        ++i;
        continue;
      case '<':
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      case '"':
        out += "&quot;";
        ++i;
        continue;
      case '\'':
        out += "&apos;";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += kReplacement;
      ++i;
      continue;
    }
    size_t n = Utf8Length(c);
    bool valid = n > 0 && i + n <= text.size();
    for (size_t k = 1; valid && k < n; ++k) {
      valid = IsContinuation(static_cast<unsigned char>(text[i + k]));
    }
    if (!valid) {
      out += kReplacement;
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string RenderJUnitXml(const std::vector<JUnitSuite>& suites) {
  size_t tests = 0, failures = 0;
  for (const JUnitSuite& suite : suites) {
    tests += suite.cases.size();
    failures += static_cast<size_t>(
        std::count_if(suite.cases.begin(), suite.cases.end(),
                      [](const JUnitCase& c) { return c.failure.has_value(); }));
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"fleetsim\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
                     tests, failures);
  for (const JUnitSuite& suite : suites) {
    size_t failed = static_cast<size_t>(
        std::count_if(suite.cases.begin(), suite.cases.end(),
                      [](const JUnitCase& c) { return c.failure.has_value(); }));
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
        XmlEscape(suite.name), suite.cases.size(), failed);
    for (const JUnitCase& c : suite.cases) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", XmlEscape(c.classname),
                         XmlEscape(c.name));
      if (!c.failure) {
        out += "/>\n";
        continue;
      }
      out += fmt::format(">\n      <failure message=\"{}\" type=\"expectation\">{}</failure>\n",
                         XmlEscape(c.failure->message), XmlEscape(c.failure->text));
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

void AppendExpectationCases(const RunReport& report, std::string_view name_prefix,
                            std::string_view replay, JUnitSuite* suite) {
  for (const ExpectationResult& e : report.expectations) {
    JUnitCase c;
    c.classname = suite->name;
    c.name = std::string(name_prefix) + Describe(e);
    if (!e.passed) c.failure = FailureOf(report, e, replay);
    suite->cases.push_back(std::move(c));
  }
}

std::string ReplayCommand(std::string_view scenario_path, uint64_t seed,
                          const std::vector<std::string>& overrides) {
  std::string out = "fleetsim run " + ShellQuote(scenario_path) + " --seed " + std::to_string(seed);
  for (const std::string& o : overrides) out += " --set " + ShellQuote(o);
  return out;
}

}  // namespace fleetsim
