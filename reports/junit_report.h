#pragma once
// The JUnit XML report (--report junit=PATH), in the form CI dashboards
// read (Jenkins, GitLab, GitHub test-reporter actions): one <testsuite> per
// target, one <testcase> per scenario run on it, with
//   name       the scenario id
//   classname  RFC and section, e.g. "RFC9110.13.1.2"
//   time       seconds
// and, decided by the RunResult and the gate level only:
//   fail (warn under --fail-on should)  -> <failure>
//   error, or an unusable target        -> <error>
//   not_applicable                      -> <skipped message="the reason">
//   known (accepted by the baseline)    -> <skipped message="known failure: reason">
// The failure text names every broken requirement with its level, expected
// vs actual, and the exchange transcript. reports/junit.xsd is the schema the
// tests validate it against.

#include <string>

#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

std::string render_junit_report(const RunResult& run, FailOn fail_on);

}  // namespace condspec
