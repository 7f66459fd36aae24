// The terminal's link to its hub as the screens see it: the sync engine (started at launch when
// enrolled, or right after enrolling from the admin screen), enrolment on a worker thread so the
// screen never waits, and the status every screen shows (Context::sync).
//
// The window's owner (gui_main, or a test) makes one SyncLink per store and sets Context::hub;
// the admin screen calls begin_enrol(), polls enrol_progress() each frame and, once it succeeded,
// adopt_enrolment() loads the new identity into the context and starts the engine.
// Everything but the worker runs on the UI thread.
#pragma once

#include "sync/engine/engine.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/ui/ui.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace jf::ui {

struct EnrolProgress {
    enum State { Idle, Running, Succeeded, Failed } state = Idle;
    std::string hub_url;
    sync::EnrollResult result; // error key and detail when Failed; ids when Succeeded
    bool adopted = false;      // the context holds the new identity and the engine runs
};

class SyncLink {
  public:
    explicit SyncLink(std::string store_path, sync::SyncOptions options = {});
    ~SyncLink(); // waits for an enrolment in flight, then stops the engine
    SyncLink(const SyncLink&) = delete;
    SyncLink& operator=(const SyncLink&) = delete;

    // Starts the engine when the store holds an identity enrolled with a hub. True when it runs.
    bool start_if_enrolled(Store& store);
    bool engine_running() const { return engine_ != nullptr; }
    // Stops the engine for good (a damaged store must not be sent on); start_if_enrolled then
    // refuses.
    void halt();
    // 立即同步: the engine starts a cycle now (no-op before enrolment).
    void sync_now();
    // Copies the engine's status and the store's waiting count into ctx.sync, and wakes the engine
    // when something was recorded since it last looked. True when anything shown changed.
    bool refresh(Context& ctx);

    // Enrolment on a worker thread with its own store connection; false if one is running.
    bool begin_enrol(const std::string& hub_url, const std::string& code,
                     sync::EnrollOptions options);
    EnrolProgress enrol_progress() const;
    // After success (once): the new identity becomes the context's (fair, mode), the engine starts
    // and syncs at once. refresh() does it too, should the admin screen be left meanwhile.
    void adopt_enrolment(Context& ctx);
    // Forgets a finished attempt's outcome (never one still running or not yet adopted).
    void clear_enrol_result();

  private:
    std::string path_;
    sync::SyncOptions options_;
    std::unique_ptr<sync::SyncEngine> engine_;
    bool halted_ = false;
    std::optional<TerminalIdentity> identity_; // the identity adopted after enrolment
    mutable std::mutex mu_;
    EnrolProgress progress_;
    std::thread worker_;
};

} // namespace jf::ui
