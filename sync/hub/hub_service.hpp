// The hub's request handling, independent of HTTP: enrolment, upload, download and status take
// the request text and return the reply (status + JSON). hub_server.cpp puts them behind HTTPS;
// tests and benchmarks can call them directly.
#pragma once

#include "hub_store.hpp"
#include "wire/wire.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace jf::hub {

constexpr TimeMs kEnrolCodeLifetimeMs = 24LL * 3600 * 1000;

struct Reply {
    int status = 200;
    std::string body;
};

TimeMs now_ms();

// A one-time enrolment code: 16 base32 characters in groups of four (80 random bits), and the
// hash the hub keeps of it (the code itself is never stored).
std::string new_enrol_code();
std::string normalise_code(std::string_view typed); // upper case, no spaces or dashes
std::string code_hash(std::string_view code);
std::string token_hash(std::string_view token);
// The enrolment QR: "JFENROL1|<code>|<hub url>|<pin>" (url and pin may be empty).
std::string enrol_qr_text(const std::string& code, const std::string& url, const std::string& pin);

// Decides each uploaded event: signature over exactly the received bytes, canonical decoding,
// header fields matching the envelope and the terminal. Pure CPU work, done outside the store lock.
IngestItem judge_event(const TerminalRow& terminal, const wire::WireEvent& e);
// Why a (signed, canonical) walk-up registration cannot enter the registry; empty when it can.
std::string registration_problem(const TerminalRow& terminal, const Registration& r);

// Data minimisation (docs/privacy.md): narrows a page of the attendees stream to what terminal `t`
// may hold. A station gets no people; an entrance or employer terminal the people of its fair's
// campaign and those registered at its fair, without sealed numbers or look-up hashes.
// Tombstones pass. The page's cursor is the caller's (the last change read, kept or not).
void narrow_attendees(HubStore& store, const TerminalRow& t, std::vector<wire::PullItem>& items);

class HubService {
  public:
    // `tls_pin`: the served certificate's public-key pin, handed to terminals at enrolment.
    HubService(HubStore& store, std::string tls_pin) : store_(store), pin_(std::move(tls_pin)) {}

    Reply enroll(std::string_view body, std::string_view device_addr = {});
    Reply upload(std::string_view bearer, std::string_view body);
    Reply pull(std::string_view bearer, std::string_view stream, std::string_view cursor,
               std::string_view epoch, std::string_view limit);
    Reply status(std::string_view bearer, std::string_view device_now);

  private:
    // The terminal behind a bearer token, or an error reply (unknown token, revoked terminal).
    std::optional<TerminalRow> authorise(std::string_view bearer, Reply* refusal);
    HubStore& store_;
    std::string pin_;
};

Reply error_reply(int status, const std::string& code, const std::string& message);

} // namespace jf::hub
