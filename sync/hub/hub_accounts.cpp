// Console accounts, sessions and access rules (see hub_accounts.hpp).
#include "sync/hub/hub_accounts.hpp"

#include "sync/hub/hub_audit.hpp"

#include <sodium.h>

#include <map>

namespace jf::hub {

bool valid_role(std::string_view role) {
    return role == "staff" || role == "supervisor" || role == "admin";
}

// -----------------------------------------------------------------------------
// Access
// -----------------------------------------------------------------------------
Access::Access(const AccountRow& account, const std::vector<UnionRow>& tree) : account_(account) {
    std::map<std::string, std::vector<std::string>> children;
    bool known = false;
    for (auto& u : tree) {
        children[u.parent].push_back(u.id);
        if (u.parent.empty() && root_.empty()) root_ = u.id;
        if (u.id == account.union_id) known = true;
    }
    if (!known || !valid_role(account.role)) return; // an account outside the tree sees nothing
    readable_.insert(account.union_id);
    if (account.role == "staff") return;
    std::vector<std::string> todo{account.union_id};
    while (!todo.empty()) {
        auto id = todo.back();
        todo.pop_back();
        for (auto& c : children[id])
            if (readable_.insert(c).second) todo.push_back(c);
    }
}

bool Access::reads_union(const std::string& union_id) const {
    return readable_.count(union_id) > 0;
}

bool Access::writes_union(const std::string& union_id) const {
    return !readable_.empty() && union_id == account_.union_id;
}

bool Access::reads_terminal(HubStore& store, const TerminalRow& t) const {
    auto f = store.fair(t.fair_id);
    if (f) return reads_fair(*f);
    return !root_.empty() && reads_union(root_);
}

bool Access::writes_terminal(HubStore& store, const TerminalRow& t) const {
    auto f = store.fair(t.fair_id);
    if (f) return writes_fair(*f);
    return !root_.empty() && writes_union(root_);
}

bool Access::reads_report(const std::string& union_id) const {
    if (union_id.empty()) return !root_.empty() && reads_union(root_);
    return reads_union(union_id);
}

// -----------------------------------------------------------------------------
// Hashes and passwords
// -----------------------------------------------------------------------------
std::string Accounts::session_hash(std::string_view session_id) {
    return keyed_hash(Bytes(32, 0), "jf.console-session.v1", session_id);
}

std::string Accounts::csrf_token(std::string_view session_id) {
    return keyed_hash(Bytes(32, 0), "jf.console-csrf.v1", session_id);
}

bool Accounts::csrf_ok(std::string_view session_id, std::string_view token) {
    auto want = csrf_token(session_id);
    return !session_id.empty() && token.size() == want.size() &&
           sodium_memcmp(want.data(), token.data(), want.size()) == 0;
}

std::string Accounts::hash_password(std::string_view password) const {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), limits_.pwhash_ops,
                              limits_.pwhash_mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    return out;
}

bool Accounts::password_ok(const std::string& hash, std::string_view password) {
    return !hash.empty() &&
           crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// -----------------------------------------------------------------------------
// Accounts
// -----------------------------------------------------------------------------
Accounts::Accounts(HubStore& store, ConsoleLimits limits) : store_(store), limits_(limits) {
    crypto_init();
}

bool Accounts::audit(const std::string& who, const std::string& action, const std::string& what) {
    return record_action(store_, who, action, what);
}

Access Accounts::access(const AccountRow& a) {
    return Access(a, store_.unions());
}

bool Accounts::add_account(const std::string& by, AccountRow a, TimeMs now,
                           std::string* setup_token, std::string* error_key) {
    auto fail = [&](const char* key) {
        if (error_key) *error_key = key;
        return false;
    };
    bool name_ok = !a.name.empty() && a.name.size() <= 64;
    for (unsigned char c : a.name)
        if (c < 0x21 || c == 0x7f) name_ok = false; // no spaces or control characters
    if (!name_ok) return fail("console.err.account_name");
    if (!valid_role(a.role)) return fail("console.err.role");
    bool known = false;
    for (auto& u : store_.unions())
        known = known || u.id == a.union_id;
    if (!known) return fail("console.err.union");
    std::string token = base32(random_bytes(20));
    a.password_hash.clear();
    a.setup_hash = session_hash("setup:" + token);
    a.setup_expires = now + limits_.setup_lifetime_ms;
    a.created_at = now;
    a.failures = 0;
    a.locked_until = 0;
    if (!store_.upsert_account(a)) return fail("console.err.storage");
    audit(by, "account.add",
          a.name + " " + a.role + " " + a.union_id + (a.may_open_numbers ? " open-numbers" : ""));
    if (setup_token) *setup_token = token;
    return true;
}

bool Accounts::set_password(std::string_view setup_token, std::string_view password, TimeMs now,
                            std::string* account, std::string* error_key) {
    auto fail = [&](const char* key) {
        if (error_key) *error_key = key;
        return false;
    };
    auto a = store_.account_by_setup(session_hash("setup:" + std::string(setup_token)));
    if (setup_token.empty() || !a || a->setup_expires < now) return fail("console.err.setup_link");
    if (password.size() < limits_.min_password) return fail("console.err.password_short");
    a->password_hash = hash_password(password);
    if (a->password_hash.empty()) return fail("console.err.storage");
    a->setup_hash.clear();
    a->setup_expires = 0;
    a->failures = 0;
    a->locked_until = 0;
    if (!store_.upsert_account(*a)) return fail("console.err.storage");
    audit(a->name, "account.password", a->name);
    if (account) *account = a->name;
    return true;
}

SignIn Accounts::sign_in(const std::string& name, std::string_view password, TimeMs now) {
    SignIn r;
    auto a = store_.account(name);
    if (!a) {
        // The same work as for a real account, so timing does not tell which names exist.
        std::call_once(dummy_once_,
                       [this] { dummy_ = hash_password("not an account's password"); });
        password_ok(dummy_, password);
        audit(name, "sign-in.refused", "unknown account");
        return r;
    }
    if (a->locked_until > now) {
        r.result = SignInResult::Locked;
        r.locked_until = a->locked_until;
        audit(name, "sign-in.refused", "locked");
        return r;
    }
    if (a->password_hash.empty()) {
        r.result = SignInResult::NotSetUp;
        audit(name, "sign-in.refused", "not set up");
        return r;
    }
    if (!password_ok(a->password_hash, password)) {
        a->failures += 1;
        if (a->failures >= limits_.max_failures) {
            a->locked_until = now + limits_.lock_ms;
            a->failures = 0;
            r.result = SignInResult::Locked;
            r.locked_until = a->locked_until;
        }
        store_.upsert_account(*a);
        audit(name, "sign-in.refused",
              r.result == SignInResult::Locked ? "wrong password; locked" : "wrong password");
        return r;
    }
    a->failures = 0;
    a->locked_until = 0;
    std::string id = hex(random_bytes(32));
    if (!store_.upsert_account(*a) || !store_.add_session({session_hash(id), a->name, now, now})) {
        r.result = SignInResult::Storage;
        return r;
    }
    audit(name, "sign-in", a->role + " " + a->union_id);
    r.result = SignInResult::Ok;
    r.session_id = id;
    return r;
}

std::optional<AccountRow> Accounts::session(std::string_view session_id, TimeMs now) {
    if (session_id.empty()) return std::nullopt;
    auto h = session_hash(session_id);
    auto s = store_.session(h);
    if (!s) return std::nullopt;
    if (now - s->last_seen > limits_.idle_ms) {
        store_.delete_session(h);
        audit(s->account, "sign-out", "idle timeout");
        return std::nullopt;
    }
    auto a = store_.account(s->account);
    if (!a || a->password_hash.empty()) { // the account was reset: its sessions end
        store_.delete_session(h);
        return std::nullopt;
    }
    store_.touch_session(h, now);
    return a;
}

void Accounts::sign_out(std::string_view session_id) {
    auto h = session_hash(session_id);
    if (auto s = store_.session(h)) {
        store_.delete_session(h);
        audit(s->account, "sign-out", "");
    }
}

} // namespace jf::hub
