#pragma once
// The answers of the origin behind a cache under test (`condspec cache`):
// one resource per scenario, as the scenario scripts it. A script is the 200
// that resource answers with (its fields and content, exactly as written),
// optionally the fields of its 304s, and optionally a fault of the reference
// origin (faults.h) that reshapes the answers, so that a scenario can see
// what a broken origin does to the cache.
//
// A script is answered as a conforming origin answers (RFC 9110): the
// preconditions of a GET or HEAD are evaluated by the oracle
// (preconditions.h) against the script's ETag and Last-Modified, so a cache's
// validation request carrying the stored tag gets a 304 while the script is
// unchanged, and a 200 once a later step scripts another tag; a 304 carries
// the script's fields except representation metadata (RFC 9110 15.4.5); a
// Range is honoured when the script sends Accept-Ranges: bytes. Any other
// method gets 405: the cache checks send none.

#include <optional>
#include <string>

#include "src/core/clock.h"
#include "src/http/fields.h"
#include "src/origin/faults.h"
#include "src/origin/request_reply.h"

namespace condspec {

struct OriginScript {
  int status = 200;  // not 200: answered as is, preconditions ignored (13.2.1)
  // The fields of the full response, exactly, in order; Date is added to
  // each answer unless listed, Content-Length always (from the content).
  Fields fields;
  std::string content;
  // The fields of a 304, exactly (Date added unless listed); nullopt: the
  // full response's fields without its representation metadata.
  std::optional<Fields> not_modified_fields;
  // A fault of the reference origin (known_faults()) that reshapes every
  // answer of this script; empty: none.
  std::string fault;
};

// The representation a script describes: its content, Content-Type, ETag,
// Last-Modified and whether it is served in ranges, as the oracle and the
// faults' hooks see it.
Representation scripted_representation(const OriginScript& script, Seconds now);

// The fields of the 304 a script answers with, before a fault reshapes it.
Fields not_modified_fields(const OriginScript& script, Seconds now);

// The answer to `request` at `now`. `faults` are the script's own (built
// from script.fault; empty when it names none).
Reply answer_scripted(const OriginScript& script, const Incoming& request, Seconds now,
                      const ActiveFaults& faults);

}  // namespace condspec
