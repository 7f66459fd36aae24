// Who may do what on the hub's web console: the union tree, staff accounts, sign-in, sessions and
// the access rules every console page (and the CLI's add-user) goes through. No HTTP here: the
// console's handlers stay thin over this and the hub store, and tests call it directly.
//
// Index
// - Roles       staff: their own union's fairs, listings, terminals, people and reports;
//               supervisor: also every union below theirs, read-only there; admin: a supervisor
//               who also manages accounts and reads the audit log. Opening full ID or phone
//               numbers is a separate permission (AccountRow::may_open_numbers), never a role's.
// - Accounts    add_account() makes an account without a password and returns a one-time set-up
//               token (only its hash is kept); set_password() with it sets the Argon2id password.
// - Sign-in     sign_in(): wrong passwords count; after ConsoleLimits::max_failures in a row the
//               account is locked for lock_ms (right passwords too are refused meanwhile).
// - Sessions    a random id (the cookie; only its keyed hash is stored), ended after idle_ms
//               without a request; csrf_token() is derived from the id, so nothing more is kept.
// - Access      Access::reads_*/writes_* for a union, fair, terminal, listing, person, report.
// - Audit       every sign-in (and refusal), account change and opening of numbers is written to
//               the audit log of hub_audit.hpp as (account, action, what).
//
// Recipe: a console request
//   auto s = accounts.session(cookie_id, now);   // nullopt: sign in again
//   if (post && !Accounts::csrf_ok(cookie_id, form["csrf"])) refuse, change nothing;
//   Access a = accounts.access(s->account);
//   if (!a.reads_fair(*fair)) 404, nothing shown;
#pragma once

#include "sync/hub/hub_store.hpp"

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace jf::hub {

struct ConsoleLimits {
    int max_failures = 5;                          // wrong passwords in a row before the lock
    TimeMs lock_ms = 15 * 60 * 1000;               // how long the lock lasts
    TimeMs idle_ms = 30 * 60 * 1000;               // a session ends after this long unused
    TimeMs setup_lifetime_ms = 72LL * 3600 * 1000; // a set-up link works this long, once
    size_t min_password = 10;                      // characters (bytes of UTF-8)
    // Argon2id's cost: 19 MiB and 2 passes, OWASP's recommended minimum for Argon2id, so a
    // wave of sign-ins on a small hub stays cheap. Tests of the rules around it lower these
    // (the hash stays Argon2id); the hub never does.
    unsigned long long pwhash_ops = 2;
    size_t pwhash_mem = 19u << 20;
};

bool valid_role(std::string_view role); // staff | supervisor | admin

// What one account may see and change, from its role, its union and the union tree.
class Access {
  public:
    Access() = default; // nobody: reads and writes nothing
    Access(const AccountRow& account, const std::vector<UnionRow>& tree);

    const AccountRow& account() const { return account_; }
    bool admin() const { return account_.role == "admin"; }
    bool may_open_numbers() const { return account_.may_open_numbers; }
    // Unions readable: the own union, and for supervisors and admins every union below it.
    const std::set<std::string>& unions() const { return readable_; }

    bool reads_union(const std::string& union_id) const;
    bool writes_union(const std::string& union_id) const; // only the own union
    bool reads_fair(const Fair& f) const { return reads_union(f.union_unit); }
    bool writes_fair(const Fair& f) const { return writes_union(f.union_unit); }
    // A terminal belongs to its fair's union; one whose fair is unknown to nobody but the root.
    bool reads_terminal(HubStore& store, const TerminalRow& t) const;
    bool writes_terminal(HubStore& store, const TerminalRow& t) const;
    bool reads_listing(const JobListing& l) const { return reads_union(l.union_unit); }
    bool writes_listing(const JobListing& l) const { return writes_union(l.union_unit); }
    bool reads_person(const Attendee& a) const { return reads_union(a.union_unit); }
    // A report of one union, or of every union (empty) for an account at the tree's root.
    bool reads_report(const std::string& union_id) const;

  private:
    AccountRow account_;
    std::string root_;
    std::set<std::string> readable_;
};

enum class SignInResult { Ok, Wrong, Locked, NotSetUp, Storage };

struct SignIn {
    SignInResult result = SignInResult::Wrong;
    std::string session_id;  // Ok: the cookie's value
    TimeMs locked_until = 0; // Locked: until when
};

class Accounts {
  public:
    explicit Accounts(HubStore& store, ConsoleLimits limits = {});
    const ConsoleLimits& limits() const { return limits_; }

    // Creates (or resets) an account; `setup_token` receives the one-time set-up token. `by` is
    // the account or login making it (audit). Errors are message keys of assets/i18n/console.
    bool add_account(const std::string& by, AccountRow a, TimeMs now, std::string* setup_token,
                     std::string* error_key);
    // Sets the password with a set-up token (used once, within its lifetime).
    bool set_password(std::string_view setup_token, std::string_view password, TimeMs now,
                      std::string* account, std::string* error_key);

    SignIn sign_in(const std::string& name, std::string_view password, TimeMs now);
    // The account of a live session (and marks it used now); nullopt when unknown or idle.
    std::optional<AccountRow> session(std::string_view session_id, TimeMs now);
    void sign_out(std::string_view session_id);

    Access access(const AccountRow& a);
    // Writes one audit record (hub_audit.hpp); false when it could not be written.
    bool audit(const std::string& who, const std::string& action, const std::string& what);

    static std::string session_hash(std::string_view session_id);
    static std::string csrf_token(std::string_view session_id);
    static bool csrf_ok(std::string_view session_id, std::string_view token);
    std::string hash_password(std::string_view password) const; // Argon2id string
    static bool password_ok(const std::string& hash, std::string_view password);

  private:
    HubStore& store_;
    ConsoleLimits limits_;
    // A hash checked for unknown names, so they take as long as real ones (made at first use).
    std::once_flag dummy_once_;
    std::string dummy_;
};

} // namespace jf::hub
