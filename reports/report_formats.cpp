#include "reports/report_formats.h"

#include <functional>
#include <string>
#include <string_view>

#include "reports/atomic_file.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"

namespace condspec {

std::string_view supported_report_formats() {
  return "json, junit, markdown, html";
}

bool is_report_format(std::string_view format) {
  return format == "json" || format == "junit" || format == "markdown" || format == "html";
}

Status write_report(const ReportRequest& request, const RunResult& run, FailOn fail_on) {
  // The JSON report, the one a run of many targets makes large, goes to
  // the file as it is rendered, one target at a time.
  if (request.format == "json")
    return write_output(request.path, [&](const std::function<void(std::string_view)>& sink) {
      render_json_report(run, fail_on, sink);
    });
  std::string text;
  if (request.format == "junit")
    text = render_junit_report(run, fail_on);
  else if (request.format == "markdown")
    text = render_markdown_report(run, fail_on);
  else if (request.format == "html")
    text = render_html_report(run, fail_on);
  else
    return Error{"unknown report format '" + request.format + "'"};
  return write_output(request.path, text);
}

}  // namespace condspec
