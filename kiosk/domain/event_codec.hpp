// Canonical bytes of the signed event records: CheckIn, Placement and Registration as compact
// JSON.
//
// The terminal signs exactly these bytes, stores them in its event log and sends them; the hub
// verifies the signature over the received bytes and decodes them with this same code. Encoding
// is deterministic (keys sorted, no spaces, integers only, UTF-8 as is), and decoding accepts only
// canonical input: decode(x) succeeds only when encode(decode(x)) == x, so one record has exactly
// one byte form and no two readers can disagree about what was signed.
//
// Layout (all keys present, "v" is the format version):
//   check-in:  {"attendee_id","credential_id","device_time","fair_id","kind":"checkin","method",
//               "seq","terminal_id","uuid","v":1,"verdict"}
//   placement: the 附件6 columns by their record field names, dates as "YYYYMMDD" (empty when
//              unset), key_groups as the KeyGroup bit mask, and each signature as a list of
//              strokes, a stroke being a flat list [x0,y0,x1,y1,...] in pad units.
//   registration: {"attendee_id","campaign_id","consent":0|1,"credential_id","device_time",
//               "fair_id","gender","id_masked","id_tail_hash","key_groups","kind":"registration",
//               "name","name_initials","phone_hash","phone_masked","phone_tail_hash","sealed_id",
//               "sealed_phone","seq","terminal_id","union_unit","uuid","v":1}; the sealed numbers
//               are base64 sealed boxes to the hub's key, never plain numbers.
//   intent:    {"attendee_id","device_time","employer_id","fair_id","kind":"intent","level",
//               "listing_id","note","seq","terminal_id","uuid","v":1}
//   checkin_undo: {"attendee_id","check_in_uuid","device_time","fair_id","kind":"checkin_undo",
//               "reason","seq","terminal_id","uuid","v":1}
//   service:   {"attendee_id","device_time","fair_id","key_groups","kind":"service","seq",
//               "service","terminal_id","uuid","v":1}
//   needs:     {"attendee_id","certificates":[…],"device_time","fair_id","industries":[…],
//               "kind":"needs","seq","services":[…],"skill","terminal_id","uuid","v":1}; the
//               lists in canonical order (kiosk/domain/needs.hpp)
#pragma once

#include "kiosk/domain/needs.hpp"
#include "kiosk/domain/records.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace jf {

constexpr int kEventFormatVersion = 1;

std::string encode(const CheckIn& c);
std::string encode(const Placement& p);
std::string encode(const Registration& r);
std::string encode(const BoothIntent& i);
std::string encode(const CheckInUndo& u);
std::string encode(const ServiceGiven& s);
std::string encode(const SeekerNeeds& n);

// nullopt for anything that is not the canonical encoding of a record of that kind.
std::optional<CheckIn> decode_check_in(std::string_view bytes);
std::optional<Placement> decode_placement(std::string_view bytes);
std::optional<Registration> decode_registration(std::string_view bytes);
std::optional<BoothIntent> decode_intent(std::string_view bytes);
std::optional<CheckInUndo> decode_check_in_undo(std::string_view bytes);
std::optional<ServiceGiven> decode_service(std::string_view bytes);
std::optional<SeekerNeeds> decode_needs(std::string_view bytes);

} // namespace jf
