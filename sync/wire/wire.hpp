// The sync wire messages between terminals and the hub (sync/PROTOCOL.md is the reference).
//
// Index
// - Versions and errors   kProtocolVersion, ErrorReply
// - Enrolment             EnrollRequest / EnrollResponse
// - Upload                WireEvent, UploadRequest / UploadResponse
// - Download              Stream, PullItem, PullPage
// - Reference records     JSON for Campaign, Fair, Employer, JobListing, Attendee
//
// Every decoder takes untrusted text and returns nullopt (with a reason) on anything malformed;
// none throws. Event bodies travel base64-encoded so the bytes the signature covers arrive
// unchanged.
#pragma once

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/domain/notice.hpp"
#include "kiosk/domain/records.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jf::wire {

// -----------------------------------------------------------------------------
// Versions and errors
// -----------------------------------------------------------------------------
constexpr int kProtocolVersion = 1;
constexpr size_t kMaxBatchEvents = 1000;    // the hub refuses larger upload batches
constexpr size_t kMaxPageItems = 1000;      // the hub never returns more in one page
constexpr size_t kMaxBodyBytes = 256 << 10; // one event body (a placement with signatures)

// Every non-2xx answer carries {"error": code, "message": text}. Codes are stable; the terminal
// maps them to translation keys (sync.err.<code>).
struct ErrorReply {
    std::string error;
    std::string message;
};
std::string encode(const ErrorReply& e);
std::optional<ErrorReply> decode_error(std::string_view text);

// -----------------------------------------------------------------------------
// Enrolment
// -----------------------------------------------------------------------------
struct EnrollRequest {
    int protocol = kProtocolVersion;
    std::string code;   // the one-time code the operator typed or scanned
    Bytes public_key;   // the terminal's Ed25519 public key (32 bytes)
    std::string device; // free text for staff (host name)
};
// An issuer key as the hub vouches for it: "hub" keys sign any credential; "terminal" keys are an
// enrolled terminal's own key and vouch only for attendee codes of `fair_id` (walk-up registration).
struct IssuerKey {
    std::string key_id;
    Bytes public_key;
    std::string kind = "hub"; // "hub" | "terminal"
    std::string fair_id;      // terminal keys: the fair the terminal serves
};
struct EnrollResponse {
    int protocol = kProtocolVersion;
    std::string terminal_id;
    std::string access_token;
    std::string fair_id;
    std::string mode; // entrance | employer | station
    std::vector<IssuerKey> issuer_keys;
    Bytes hub_seal_public_key; // X25519: terminals seal ID and phone numbers to it
    std::string tls_pin;       // "sha256//<base64>" of the hub certificate's public key
    TimeMs hub_time = 0;
};
std::string encode(const EnrollRequest& r);
std::optional<EnrollRequest> decode_enroll_request(std::string_view text,
                                                   std::string* why = nullptr);
std::string encode(const EnrollResponse& r);
std::optional<EnrollResponse> decode_enroll_response(std::string_view text,
                                                     std::string* why = nullptr);

// -----------------------------------------------------------------------------
// Upload
// -----------------------------------------------------------------------------
struct WireEvent {
    int64_t seq = 0;
    std::string uuid;
    std::string kind; // "checkin" | "placement" | "registration"
    Bytes body;       // canonical event bytes, exactly as the terminal stored and signed them
    Bytes signature;
    TimeMs device_time = 0;
};
struct UploadRequest {
    int protocol = kProtocolVersion;
    std::string terminal_id;
    TimeMs device_now = 0; // the terminal's clock when it sent the batch
    std::vector<WireEvent> events;
};
// An event of the batch the hub put in quarantine, and why (seq_reused, signature_invalid, …).
struct RefusedEvent {
    int64_t seq = 0;
    std::string reason;
};
struct UploadResponse {
    int64_t acked_seq = 0; // every event up to here is durably on the hub (stored or quarantined)
    int stored = 0, duplicates = 0, quarantined = 0;
    TimeMs hub_time = 0;
    std::vector<RefusedEvent> refused; // the batch's quarantined events (absent when none)
    // Non-zero: the hub lacks this terminal's events from this sequence on (it was restored from
    // a backup): the terminal sends them again from here. Absent when nothing is missing.
    int64_t resend_from = 0;
};
std::string encode(const UploadRequest& r);
std::optional<UploadRequest> decode_upload_request(std::string_view text,
                                                   std::string* why = nullptr);
std::string encode(const UploadResponse& r);
std::optional<UploadResponse> decode_upload_response(std::string_view text,
                                                     std::string* why = nullptr);

// The whole fair's figures as the hub counts them (docs/fair-day.md): people in (check-ins not
// undone), people with a booth intent, and the check-ins, intents, current placements and station
// services behind them, from every terminal of the fair.
struct FairTotals {
    std::string fair_id;
    int64_t people_in = 0, with_intent = 0;
    int64_t check_ins = 0, intents = 0, placements = 0, services = 0;
    bool operator==(const FairTotals&) const = default;
};
std::string encode(const FairTotals& f);
std::optional<FairTotals> decode_fair_totals(std::string_view text, std::string* why = nullptr);

// GET /v1/status: a reachability probe that also tells what the hub holds of this terminal and,
// from hubs that know the fair day, the terminal's fair's totals (absent from older hubs).
struct StatusReply {
    std::string terminal_id;
    TimeMs hub_time = 0;
    int64_t acked_seq = 0; // the hub holds every event of this terminal up to here
    std::optional<FairTotals> fair;
};
std::string encode(const StatusReply& s);
std::optional<StatusReply> decode_status_reply(std::string_view text, std::string* why = nullptr);

// -----------------------------------------------------------------------------
// Download
// -----------------------------------------------------------------------------
enum class Stream {
    Campaigns,
    Fairs,
    Employers,
    Listings,
    Attendees,
    Revocations,
    IssuerKeys,
    Notices
};
const char* stream_name(Stream s);
std::optional<Stream> parse_stream(std::string_view name);
constexpr Stream kAllStreams[] = {Stream::IssuerKeys, Stream::Revocations, Stream::Campaigns,
                                  Stream::Fairs,      Stream::Employers,   Stream::Listings,
                                  Stream::Attendees,  Stream::Notices};

// One change in a stream: a record to upsert, or a tombstone (deleted = true, only the id).
struct PullItem {
    int64_t version = 0; // the stream's change counter; the page cursor is the last item's version
    std::string id;
    bool deleted = false;
    std::optional<Campaign> campaign;
    std::optional<Fair> fair;
    std::optional<Employer> employer;
    std::optional<JobListing> listing;
    std::optional<Attendee> attendee;
    std::string revocation_reason; // Revocations: the credential id is `id`
    Bytes issuer_public_key;       // IssuerKeys: the key id is `id`
    std::string issuer_kind = "hub"; // IssuerKeys: "hub" | "terminal"
    std::string issuer_fair_id;      // IssuerKeys, terminal keys: the terminal's fair
    std::optional<StationNotice> notice;
};
struct PullPage {
    Stream stream = Stream::Fairs;
    std::string epoch;  // the hub's dataset epoch; a different one means "start again from 0"
    bool reset = false; // the terminal's epoch was stale: this page starts from a snapshot
    int64_t cursor = 0; // pass back as `cursor` for the next page
    bool more = false;  // another page is waiting
    std::vector<PullItem> items;
};
std::string encode(const PullPage& p);
std::optional<PullPage> decode_pull_page(std::string_view text, std::string* why = nullptr);

// -----------------------------------------------------------------------------
// Reference records as JSON text (used by the pages above and by the hub's store)
// -----------------------------------------------------------------------------
std::string to_json_text(const JobListing& l);
std::optional<JobListing> listing_from_json_text(std::string_view text);

} // namespace jf::wire
