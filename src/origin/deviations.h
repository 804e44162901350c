#pragma once
// Transitional: the deviations the reference origin's faults switch on,
// evaluated by the steps of RFC 9110 13.2.2 interleaved with them. Being
// replaced, group by group, by the hooks of the fault table (faults.h).

#include <string_view>

#include "src/http/fields.h"
#include "src/origin/preconditions.h"

namespace condspec {

// Deliberate departures from RFC 9110, each one switched on by a fault of the
// reference origin so that condspec can show its scenarios detect it. All
// false (the default) is the RFC.
struct Deviations {
  bool head_ignores_conditionals = false;  // HEAD requests skip every precondition
  bool im_true_skips_inm = false;          // a true If-Match skips If-None-Match and IMS
  bool inm_before_im = false;              // If-None-Match is decided before If-Match
  bool ims_before_im = false;              // If-Modified-Since is decided before If-Match
  bool ius_true_skips_inm = false;         // a true IUS skips If-None-Match and IMS
  bool inm_before_ius = false;             // If-None-Match is decided before IUS

  // Range and If-Range (13.1.5, 14.2, 13.2.2 step 5).
  bool if_range_without_range_412 = false;      // a false If-Range without Range gives 412
  bool if_range_412_without_ranges = false;     // ... gives 412 where no ranges are served
  bool if_range_tag_never_matches = false;      // an If-Range entity-tag is always false
  bool if_range_ignored = false;                // If-Range is never evaluated (Range applies)
  bool if_range_weak_compare = false;           // If-Range tags compared weakly
  bool if_range_date_not_after = false;         // an If-Range date holds when LM <= date
  bool if_range_date_first = false;             // read as a date (quotes removed) if it parses
  bool range_before_validation = false;         // Range without If-Range served before INM, IMS
  bool range_on_head = false;                   // Range is honoured on HEAD
  bool range_ignored_with_inm = false;          // Range with If-None-Match is served whole
  bool if_range_before_inm = false;             // Range with If-Range decided before INM
  bool if_range_before_ims = false;             // Range with If-Range decided before IMS
  bool if_range_partial_on_head = false;        // HEAD, Range and a true If-Range give 206
  bool if_range_date_ignores_strength = false;  // an If-Range date equal to a weak LM holds

  bool operator==(const Deviations&) const = default;
};

// evaluate_preconditions with the deviations switched on.
Decision evaluate_with_deviations(std::string_view method, const Fields& request,
                                  const RepresentationState& state, const Deviations& deviations);

}  // namespace condspec
